import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { expectNoStackTrace, netpol } from './run-netpol';
import { ClusterModel, ObservedFlows, PolicySuggestion, Protocol } from '../../src';
import { deployment, policy } from '../fixtures/manifests';
import { SHOP_FLOWS, shopFlowsGeneric, shopObjects } from '../suggest/shop-flows';

const OBSERVED = path.join(__dirname, '..', 'fixtures', 'observed');

describe('netpol suggest', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };
  const jsonl = (flows: unknown[]) => flows.map(f => JSON.stringify(f)).join('\n') + '\n';
  let shop: string;
  let flows: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-suggest-'));
    shop = file('shop.yaml', shopObjects().map(o => YAML.stringify(o)).join('---\n'));
    flows = file('flows.jsonl', shopFlowsGeneric());
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('prints the suggestion as YAML with its proof, exactly as the library writes it from the same flows named by hand; exit 0', async () => {
    const c = await netpol(['suggest', '--flows', flows, shop]);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(c.stdout).toBe(PolicySuggestion.fromFlows(ClusterModel.fromObjects(shopObjects()), SHOP_FLOWS).toYaml());
    expect(c.stdout).toContain('# The proof holds.');
  });

  test('a Hubble export: matched as netpol replay matches it, unreadable lines and unmatched flows are warnings with file and line', async () => {
    const hubble = path.join(OBSERVED, 'hubble.json');
    const manifests = path.join(OBSERVED, 'shop.yaml');
    const c = await netpol(['suggest', '--flows', hubble, '--include-dropped', manifests]);
    expectNoStackTrace(c);
    expect(c.code).toBe(0);
    const model = ClusterModel.fromObjects(YAML.parseAllDocuments(fs.readFileSync(manifests, 'utf8')).map(d => d.toJS()));
    expect(c.stdout).toBe(PolicySuggestion.fromObserved(model, await ObservedFlows.fromFiles([hubble]), { includeDropped: true }).toYaml());
    // without --include-dropped, the two flows Hubble reported DROPPED are listed, not suggested
    const withoutDropped = await netpol(['suggest', '--flows', hubble, manifests]);
    expect(withoutDropped.stdout).toBe(PolicySuggestion.fromObserved(model, await ObservedFlows.fromFiles([hubble])).toYaml());
    expect(withoutDropped.stdout).not.toContain('cidr: 93.184.216.34/32');
    expect(withoutDropped.stdout).toContain('#   dropped: shop/web => 93.184.216.34 TCP/443');
    // the current policies deny web's call out and ops/debug's connection to db: those are the additions
    expect(c.stdout).toContain('only what the current policies deny (1 already allowed)');
    expect(c.stdout).toContain('cidr: 93.184.216.34/32');
    expect(c.stdout).toContain('kubernetes.io/metadata.name: ops');
    expect(c.stdout).toContain(`#   unmatched: other/x-1 => shop/db-0 TCP/5432 (seen once, first at ${hubble}:7): other/x-1: the input has no endpoint in namespace other`);
    expect(c.stderr.split('\n')).toEqual([
      `netpol suggest: warning: ${hubble}:6: not JSON: Unexpected end of JSON input`,
      expect.stringMatching(new RegExp(`^netpol suggest: warning: ${hubble.replace(/[.]/g, '\\.')}:7: unmatched: other/x-1 => shop/db-0 TCP/5432: other/x-1: the input has no endpoint in namespace other;`)),
      '',
    ]);
  });

  test('flows that were all reported DROPPED: nothing to suggest without --include-dropped, and the error says so (exit 2)', async () => {
    const hubble = fs.readFileSync(path.join(OBSERVED, 'hubble.json'), 'utf8').split('\n').filter(l => l.includes('"DROPPED"'));
    expect(hubble).toHaveLength(2);
    const dropped = file('dropped.json', hubble.join('\n') + '\n');
    const manifests = path.join(OBSERVED, 'shop.yaml');
    const c = await netpol(['suggest', '--flows', dropped, manifests]);
    expectNoStackTrace(c);
    expect(c.code).toBe(2);
    expect(c.stdout).toBe('');
    expect(c.stderr).toBe('netpol suggest: every one of the 2 observed flows that match the manifests\' workloads was reported dropped by the '
      + 'recorder: nothing to suggest without --include-dropped (use it if they are dependencies, not scans or mistakes)\n');
    const included = await netpol(['suggest', '--flows', dropped, '--include-dropped', manifests]);
    expect(included.code).toBe(0);
    expect(included.stdout).toContain('cidr: 93.184.216.34/32');
  });

  test('--format-in reads every file as the format given: a Hubble export read as the generic form has no flow (exit 2)', async () => {
    const hubble = path.join(OBSERVED, 'hubble.json');
    const asHubble = await netpol(['suggest', '--flows', hubble, '--format-in', 'hubble', path.join(OBSERVED, 'shop.yaml')]);
    expect(asHubble.code).toBe(0);
    const asGeneric = await netpol(['suggest', '--flows', hubble, '--format-in', 'generic', path.join(OBSERVED, 'shop.yaml')]);
    expect(asGeneric.code).toBe(2);
    expect(asGeneric.stdout).toBe('');
    expect(asGeneric.stderr).toContain(`netpol suggest: warning: ${hubble}:1: `);
    expect(asGeneric.stderr).toMatch(/netpol suggest: no flow read from .*hubble\.json: give the flows of a recorder/);
    const wrong = await netpol(['suggest', '--flows', hubble, '--format-in', 'pcap', path.join(OBSERVED, 'shop.yaml')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("argument 'pcap' is invalid");
  });

  test('--flows is repeatable: the flows of every file, each in its own format', async () => {
    const half = Math.floor(SHOP_FLOWS.length / 2);
    const a = file('part-a.jsonl', shopFlowsGeneric(SHOP_FLOWS.slice(0, half)));
    const b = file('part-b.csv', 'source,destination,protocol,port,count\n'
      + SHOP_FLOWS.slice(half).map(f => `${f.from},${f.to},${f.protocol},${f.port},${f.count}`).join('\n') + '\n');
    const c = await netpol(['suggest', '--flows', a, '--flows', b, shop]);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(c.stdout).toBe(PolicySuggestion.fromFlows(ClusterModel.fromObjects(shopObjects()), SHOP_FLOWS).toYaml());
  });

  test('--format ts prints the cdk8s app', async () => {
    const c = await netpol(['suggest', '--flows', flows, shop, '--format', 'ts']);
    expect(c.code).toBe(0);
    expect(c.stdout).toBe(PolicySuggestion.fromFlows(ClusterModel.fromObjects(shopObjects()), SHOP_FLOWS).toTypeScript());
  });

  test('--policies: only what the current policies deny', async () => {
    const current = file('current/deny.yaml', YAML.stringify(policy('shop', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })));
    const c = await netpol(['suggest', '--flows', flows, shop, '--policies', path.dirname(current)]);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('only what the current policies deny (0 already allowed)');
    expect(c.stdout).not.toContain('baseline-default-deny');
    expect(c.stdout).toContain('name: web-allow-dns');
  });

  test('--profile: DNS where the profile says it is', async () => {
    const cloudDns = file('cloud-dns.jsonl', jsonl([{ source: 'shop/web', destination: '169.254.169.254', protocol: 'UDP', port: 53 }]));
    const c = await netpol(['suggest', '--flows', cloudDns, shop, '--profile', 'gke-cloud-dns']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('cidr: 169.254.169.254/32');
    expect(c.stdout).toContain('profile gke-cloud-dns');
  });

  test('a proof that does not hold is printed with the suggestion, and exits 1', async () => {
    const twins = file('twins.yaml', [deployment('a', 'web', { app: 'web' }), deployment('a', 'web-canary', { app: 'web' }), deployment('a', 'db', { app: 'db' })]
      .map(o => YAML.stringify(o)).join('---\n'));
    const c = await netpol(['suggest', '--flows', file('twins.jsonl', jsonl([{ source: 'a/web', destination: 'a/db', protocol: 'TCP', port: 5432 }])), twins]);
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('#   beyond: a/web-canary => a/db : TCP 5432');
    expect(c.stderr).toBe('netpol suggest: the proof does not hold: 0 observed flows left denied, 1 pairs allowed beyond the observed flows (see the comments at the top)\n');
  });

  test('an unreadable line is a warning with its file and line; the other flows are suggested', async () => {
    const bad = file('flows-bad.jsonl', `${shopFlowsGeneric()}{"source":"shop/web"\n${JSON.stringify({ source: 'shop/web', destination: 'shop/api', protocol: 'TCP' })}\n`);
    const c = await netpol(['suggest', '--flows', bad, shop]);
    expectNoStackTrace(c);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('observed flows allowed: 8 of 8');
    const warnings = c.stderr.trimEnd().split('\n');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^netpol suggest: warning: .*flows-bad\.jsonl:9: not JSON/);
    expect(warnings[1]).toMatch(/^netpol suggest: warning: .*flows-bad\.jsonl:10: port: /);
  });

  test('a flow that matches nothing is a warning and an unmatched: comment, never suggested nor dropped silently', async () => {
    const typo = file('typo.jsonl', shopFlowsGeneric([...SHOP_FLOWS, { from: 'shop/web', to: 'shop/ap', protocol: Protocol.TCP, port: 8080 }]));
    const c = await netpol(['suggest', '--flows', typo, shop]);
    expect(c.code).toBe(0);
    expect(c.stderr).toMatch(/^netpol suggest: warning: .*typo\.jsonl:9: unmatched: shop\/web => shop\/ap TCP\/8080: shop\/ap: no pod or workload of that name/);
    expect(c.stdout).toContain('#   observed flows matching nothing in the input (not suggested, not checked): 1\n');
    expect(c.stdout).toMatch(/#   unmatched: shop\/web => shop\/ap TCP\/8080 \(seen once, first at .*typo\.jsonl:9\)/);
    // the rest is the suggestion of the matched flows
    expect(c.stdout).toContain('observed flows allowed: 8 of 8');
  });

  test('no flow read, or no flow matching the manifests, is an error naming the files: exit 2, nothing printed', async () => {
    const empty = await netpol(['suggest', '--flows', file('empty.jsonl', '\n'), shop]);
    expect(empty.code).toBe(2);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/no flow read from .*empty\.jsonl/);
    const elsewhere = await netpol(['suggest', '--flows', file('elsewhere.jsonl', shopFlowsGeneric([{ from: 'a/x', to: 'a/y', protocol: Protocol.TCP, port: 1 }])), shop]);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stdout).toBe('');
    expect(elsewhere.stderr).toMatch(/warning: .*elsewhere\.jsonl:1: unmatched: a\/x => a\/y TCP\/1/);
    expect(elsewhere.stderr).toContain('netpol suggest: none of the 1 observed flows matches the manifests\' workloads: nothing to suggest');
    expectNoStackTrace(elsewhere);
  });

  test('unmatched flows: the first 100 are warnings, then a count', async () => {
    const many = Array.from({ length: 103 }, (_, i) => ({ from: 'other/x', to: 'shop/web', protocol: Protocol.TCP, port: i + 1 }));
    const c = await netpol(['suggest', '--flows', file('many.jsonl', shopFlowsGeneric([...SHOP_FLOWS, ...many])), shop]);
    expect(c.code).toBe(0);
    const lines = c.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(101);
    expect(lines[100]).toBe('netpol suggest: warning: 3 more unmatched flows');
    expect(c.stdout).toContain('#   and 3 more unmatched flows\n');
  });

  test('flows from standard input', async () => {
    const c = await netpol(['suggest', '--flows', '-', shop], shopFlowsGeneric());
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('observed flows allowed: 8 of 8');
    const hubble = await netpol(['suggest', '--flows', '-', '--format-in', 'hubble', path.join(OBSERVED, 'shop.yaml')], fs.readFileSync(path.join(OBSERVED, 'hubble.json'), 'utf8'));
    expect(hubble.code).toBe(0);
    expect(hubble.stderr).toContain('netpol suggest: warning: -:6: not JSON');
    const mixed = await netpol(['suggest', '--flows', '-', '--flows', flows, shop], shopFlowsGeneric());
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toBe('netpol suggest: "-" (standard input) must be the only flow file\n');
  });

  test('a missing flows file, and no --flows at all', async () => {
    const missing = await netpol(['suggest', '--flows', path.join(dir, 'nope.jsonl'), shop]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.jsonl: .*no such file or directory/i);
    const usage = await netpol(['suggest', shop]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("required option '--flows <file>' not specified");
  });

  test('the usage lists it, and its help documents the exit codes', async () => {
    expect((await netpol(['--help'])).stdout).toMatch(/suggest \[options\] <manifests\.\.\.>/);
    const help = await netpol(['suggest', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toContain('--policies <path>');
  });
});
