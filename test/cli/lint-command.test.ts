import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expectNoStackTrace, netpol } from './run-netpol';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lint');
const fixture = (...p: string[]) => path.join(FIXTURES, ...p);
const PROBLEMS = fixture('problems.yaml');

describe('netpol lint | output and exit codes', () => {
  test('human output by default: findings by object with fixes, suppressed findings, a summary; exit 1 on errors', async () => {
    const c = await netpol(['lint', PROBLEMS]);
    expect(c.code).toBe(1);
    expect(c.stderr).toBe('');
    expect(c.stdout).toBe([
      `${PROBLEMS}:3 (document 0) Deployment jobs/worker`,
      '  error   NP003 egress-without-dns: Deployment jobs/worker is isolated for egress (by jobs/worker) but cannot reach cluster DNS '
        + '(kube-system pods labelled k8s-app=kube-dns, assumed: the input has none) on UDP/53 or TCP/53',
      '          fix: Allow DNS for the pods: `new AllowDns(chart, \'AllowDns\')` (or `NamespaceBaseline`), which go where the '
        + 'cluster profile says DNS is (`ClusterProfile.use(app, ClusterProfile.GKE_CLOUD_DNS)`), or an egress rule to '
        + 'the DNS pods (namespace AND pod labels) or addresses on the DNS ports.',
      '',
      `${PROBLEMS}:17 (document 1) NetworkPolicy jobs/worker`,
      '  warning NP010 wide-port-range: spec.egress[0].ports[0]: TCP/1024-65535 opens 64512 ports, more than the 1000 allowed (maxPortRangeWidth)',
      '          fix: List the ports the application uses, or a narrow range; raise `maxPortRangeWidth` if wide ranges are your norm.',
      '',
      'Suppressed:',
      `  NP006 ingress-from-anywhere at ${PROBLEMS}:29 (document 2) NetworkPolicy web/storefront: the storefront is public, behind the CDN`,
      '',
      'Not run:',
      '  NP001, NP002, NP003, NP004, NP008, NP009 did not run in namespace web: the input has NetworkPolicies there but no pods or '
        + 'workloads, and these checks judge pods (default deny, DNS, metadata, policies without effect, AND/OR slips). Lint the '
        + 'policies together with the workloads\' manifests (or the chart that has them).',
      '',
      '1 error, 1 warning, 1 suppressed in 3 objects.',
      '',
    ].join('\n'));
  });

  test('exit 0 on a clean directory', async () => {
    const c = await netpol(['lint', fixture('clean')]);
    expect([c.code, c.stdout, c.stderr]).toEqual([0, 'No findings in 5 objects.\n', '']);
  });

  test('exit 0 with warnings only; 1 with --fail-on-warnings', async () => {
    const lenient = await netpol(['lint', fixture('warnings.yaml')]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('warning NP010 wide-port-range');
    const strict = await netpol(['lint', '--fail-on-warnings', fixture('warnings.yaml')]);
    expect(strict.code).toBe(1);
  });

  test('--format json', async () => {
    const c = await netpol(['lint', '--format', 'json', PROBLEMS]);
    expect(c.code).toBe(1);
    const out = JSON.parse(c.stdout);
    expect(out.summary).toEqual({ objects: 3, errors: 1, warnings: 1, suppressed: 1 });
    expect(out.findings[1]).toEqual({
      ruleId: 'NP010',
      ruleName: 'wide-port-range',
      severity: 'warning',
      message: 'TCP/1024-65535 opens 64512 ports, more than the 1000 allowed (maxPortRangeWidth)',
      fix: 'List the ports the application uses, or a narrow range; raise `maxPortRangeWidth` if wide ranges are your norm.',
      kind: 'NetworkPolicy',
      namespace: 'jobs',
      name: 'worker',
      field: 'spec.egress[0].ports[0]',
      file: PROBLEMS,
      documentIndex: 1,
      line: 17,
    });
    expect(out.suppressed.map((f: any) => [f.ruleId, f.suppressionReason])).toEqual([['NP006', 'the storefront is public, behind the CDN']]);
  });

  test('--format sarif: SARIF 2.1.0 with rule metadata, results located by file and line', async () => {
    const relative = path.relative(process.cwd(), PROBLEMS).split(path.sep).join('/');
    const c = await netpol(['lint', '--format', 'sarif', PROBLEMS]);
    expect(c.code).toBe(1);
    const sarif = JSON.parse(c.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules).toHaveLength(21);
    const where = (r: any) => r.locations[0].physicalLocation;
    expect(run.results.map((r: any) => [r.ruleId, r.level, where(r).artifactLocation.uri, where(r).region.startLine])).toEqual([
      ['NP003', 'error', relative, 3],
      ['NP010', 'warning', relative, 17],
      ['NP006', 'error', relative, 29],
    ]);
    expect(run.results[2].suppressions).toEqual([{ kind: 'inSource', justification: 'the storefront is public, behind the CDN' }]);
    expect(run.results.every((r: any) => run.tool.driver.rules[r.ruleIndex].id === r.ruleId)).toBe(true);
  });

  test('reads standard input for "-"', async () => {
    const c = await netpol(['lint', '-'], fs.readFileSync(fixture('warnings.yaml'), 'utf8'));
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('<stdin>:1 (document 0) NetworkPolicy ftp/passive-ftp');
  });
});

describe('netpol lint | options', () => {
  test('--max-port-range-width', async () => {
    const c = await netpol(['lint', '--max-port-range-width', '20000', fixture('warnings.yaml')]);
    expect(c.stdout).toMatch(/^Not run:\n {2}NP001, [^\n]+ did not run in namespace ftp: [^\n]+\n\nNo findings in 1 object\.\n$/);
  });

  test('--dns-namespace and --dns-label', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-lint-cli-'));
    try {
      const file = path.join(dir, 'x.yaml');
      fs.writeFileSync(file, [
        fs.readFileSync(PROBLEMS, 'utf8').split('---')[0],
        '---',
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata: {name: dns, namespace: jobs}',
        'spec:',
        '  podSelector: {}',
        '  egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: dns}}, podSelector: {matchLabels: {app: resolver}}}], ports: [{port: 53, protocol: UDP}, {port: 53}]}]',
      ].join('\n'));
      expect((await netpol(['lint', file])).stdout).toContain('NP003');
      const c = await netpol(['lint', '--dns-namespace', 'dns', '--dns-label', 'app=resolver', file]);
      expect(c.stdout).not.toContain('NP003');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--metadata-address', async () => {
    const c = await netpol(['lint', '--metadata-address', '198.51.100.7', '-'], [
      'apiVersion: v1', 'kind: Pod', 'metadata: {name: p, namespace: ftp, labels: {app: ftp}}', 'spec: {containers: [{name: c}]}', '---',
      'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: out, namespace: ftp}',
      'spec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 198.51.100.0/24}}]}]}',
    ].join('\n'));
    expect(c.stdout).toContain('NP004 metadata-reachable: spec.egress[0].to[0]: ipBlock 198.51.100.0/24 lets Pod ftp/p reach the cloud metadata endpoint 198.51.100.7 (TCP/80)');
  });

  test('a construct-metadata.json written by cdk8s next to the manifests is skipped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-lint-cli-'));
    try {
      fs.copyFileSync(fixture('warnings.yaml'), path.join(dir, 'app.k8s.yaml'));
      fs.writeFileSync(path.join(dir, 'construct-metadata.json'), JSON.stringify({ version: '1.0.0', resources: {} }));
      const c = await netpol(['lint', dir]);
      expect([c.code, c.stderr]).toEqual([0, '']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('netpol lint | bad input and usage: exit 2, never a stack trace', () => {
  test.each([
    ['a missing file', ['lint', fixture('nope.yaml')], /netpol lint: .*nope\.yaml: cannot read: no such file or directory\n$/],
    ['invalid YAML', ['lint', path.join(__dirname, '..', 'fixtures', 'validate', 'broken.yaml')], /netpol lint: .*broken\.yaml: document 1: not valid YAML: line 16/],
    ['an invalid policy, in netpol validate\'s format', ['lint', fixture('unanalysable.yaml')],
      /^netpol lint: .*unanalysable\.yaml \(document 0, line 1\): NetworkPolicy shop\/zero: invalid \(1 error\)\n  error: spec\.ingress\[0\]\.ports\[0\]\.port: Invalid value: 0: must be between 1 and 65535, inclusive\nnetpol lint: 1 NetworkPolicy is invalid: /],
    ['an unknown format', ['lint', '--format', 'xml', PROBLEMS], /option '--format <format>' argument 'xml' is invalid/],
    ['a bad width', ['lint', '--max-port-range-width', '0', PROBLEMS], /must be a whole number of ports, at least 1/],
    ['a bad DNS label', ['lint', '--dns-label', 'k8s-app', PROBLEMS], /must be key=value/],
    ['a bad metadata address', ['lint', '--metadata-address', 'metadata.google.internal', PROBLEMS], /metadataAddresses: Invalid value: "metadata.google.internal"/],
    ['no paths', ['lint'], /missing required argument 'paths'/],
  ])('%s', async (_name, args, stderr) => {
    const c = await netpol(args);
    expect(c.code).toBe(2);
    expect(c.stdout).toBe('');
    expect(c.stderr).toMatch(stderr);
    expectNoStackTrace(c);
  });

  test('--help documents the exit codes', async () => {
    const c = await netpol(['lint', '--help']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('Exit codes:\n  0  no errors');
    expect(c.stdout).toContain('--format <format>');
  });
});
