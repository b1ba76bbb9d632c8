import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { expectNoStackTrace, netpol } from './run-netpol';
import { ClusterModel, PolicySuggestion } from '../../src';
import { deployment, policy } from '../fixtures/manifests';
import { SHOP_FLOWS, shopObjects } from '../suggest/shop-flows';

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
    flows = file('flows.jsonl', jsonl(SHOP_FLOWS));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('prints the suggestion as YAML with its proof, exactly as the library writes it; exit 0', async () => {
    const c = await netpol(['suggest', '--flows', flows, shop]);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(c.stdout).toBe(PolicySuggestion.fromFlows(ClusterModel.fromObjects(shopObjects()), SHOP_FLOWS).toYaml());
    expect(c.stdout).toContain('# The proof holds.');
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
    const cloudDns = file('cloud-dns.jsonl', jsonl([{ from: 'shop/web', to: '169.254.169.254', protocol: 'UDP', port: 53 }]));
    const c = await netpol(['suggest', '--flows', cloudDns, shop, '--profile', 'gke-cloud-dns']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('cidr: 169.254.169.254/32');
    expect(c.stdout).toContain('profile gke-cloud-dns');
  });

  test('a proof that does not hold is printed with the suggestion, and exits 1', async () => {
    const twins = file('twins.yaml', [deployment('a', 'web', { app: 'web' }), deployment('a', 'web-canary', { app: 'web' }), deployment('a', 'db', { app: 'db' })]
      .map(o => YAML.stringify(o)).join('---\n'));
    const c = await netpol(['suggest', '--flows', file('twins.jsonl', jsonl([{ from: 'a/web', to: 'a/db', protocol: 'TCP', port: 5432 }])), twins]);
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('#   beyond: a/web-canary => a/db : TCP 5432');
    expect(c.stderr).toBe('netpol suggest: the proof does not hold: 0 observed flows left denied, 1 pairs allowed beyond the observed flows (see the comments at the top)\n');
  });

  test.each([
    ['a line that is not JSON', '{"from":"shop/web"\n', /flows-bad\.jsonl:1: not a JSON object: /],
    ['a flow without a port', `\n${JSON.stringify({ from: 'shop/web', to: 'shop/api', protocol: 'TCP' })}\n`, /flows-bad\.jsonl:2\.port: undefined: must be a port number/],
    ['an unknown endpoint', `${JSON.stringify(SHOP_FLOWS[1])}\n\n${JSON.stringify({ ...SHOP_FLOWS[1], to: 'shop/ap' })}\n`, /flows-bad\.jsonl:3 \(shop\/web => shop\/ap TCP\/8080\): to: unknown endpoint "shop\/ap"/],
    ['an empty file', '\n', /flows-bad\.jsonl: no flow: give one JSON object per line/],
  ])('%s is an input error naming the file and line: exit 2, no stack trace', async (_name, text, message) => {
    const c = await netpol(['suggest', '--flows', file('flows-bad.jsonl', text), shop]);
    expect(c.code).toBe(2);
    expect(c.stdout).toBe('');
    expect(c.stderr).toMatch(message);
    expectNoStackTrace(c);
  });

  test('flows from standard input', async () => {
    const c = await netpol(['suggest', '--flows', '-', shop], jsonl(SHOP_FLOWS));
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('observed flows allowed: 8 of 8');
  });

  test('a missing flows file, and no --flows at all', async () => {
    const missing = await netpol(['suggest', '--flows', path.join(dir, 'nope.jsonl'), shop]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.jsonl: cannot read: no such file or directory/);
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
