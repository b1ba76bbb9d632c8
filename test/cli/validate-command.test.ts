import * as path from 'path';
import { expectNoStackTrace, netpol } from './run-netpol';
import { isKubernetesNetworkPolicy } from '../../src/cli/validate-command';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'validate');
const fixture = (...p: string[]) => path.join(FIXTURES, ...p);

describe('netpol validate | verdicts and exit codes', () => {
  test('exits 0 when every NetworkPolicy is valid, skipping other kinds', async () => {
    const c = await netpol(['validate', fixture('valid')]);
    expect(c.code).toBe(0);
    expect(c.stderr).toBe('');
    expect(c.stdout).toContain('app.k8s.yaml (document 2, line 25): NetworkPolicy shop/default-deny: valid\n');
    expect(c.stdout).toContain('list.json (document 0, item 0): NetworkPolicy shop/allow-web: valid\n');
    expect(c.stdout).toMatch(/Checked 3 NetworkPolicies in 2 files: 3 valid, 0 invalid, 0 warnings; skipped 3 other objects\.\n$/);
  });

  test('exits 1 and prints errors in the server form when a policy is invalid', async () => {
    const c = await netpol(['validate', fixture('invalid.yaml')]);
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('invalid.yaml (document 0, line 2): NetworkPolicy shop/all-tcp: invalid (1 error)\n'
      + '  error: spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n');
    expect(c.stdout).toContain('  error: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain');
    expect(c.stdout).toContain('  error: spec.ingress[0].ports[0].protocol: Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP"\n');
    expect(c.stdout).toContain('  error: spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer\n');
    expect(c.stdout).toMatch(/ {2}warning: spec\.ingress: IgnoredRules: policyTypes is \["Egress"\]/);
    expect(c.stdout).toContain('NetworkPolicy shop/fine: valid\n');
    expect(c.stdout).toMatch(/Checked 3 NetworkPolicies in 1 file: 1 valid, 2 invalid, 1 warning\.\n$/);
  });

  test('--lenient-cidr accepts host bits with a warning; the default rejects them', async () => {
    const strict = await netpol(['validate', fixture('host-bits.yaml')]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('spec.egress[0].to[0].ipBlock.cidr: Invalid value: "192.168.1.10/24": must not have bits set beyond the prefix length');

    const lenient = await netpol(['validate', '--lenient-cidr', fixture('host-bits.yaml')]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('NetworkPolicy shop/egress-to-office: valid, 1 warning\n');
    expect(lenient.stdout).toContain('  warning: spec.egress[0].to[0].ipBlock.cidr: HostBitsSet: ');
  });

  test('Calico NetworkPolicies (another API group) are skipped', async () => {
    const c = await netpol(['validate', fixture('calico.yaml')]);
    expect(c.code).toBe(0);
    expect(c.stdout).toBe('No NetworkPolicy found in 1 file; skipped 1 other object.\n');
  });

  test('reads standard input for "-"', async () => {
    const c = await netpol(['validate', '-'], 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec: {podSelector: {}}\n');
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('<stdin> (document 0, line 1): NetworkPolicy shop/web: valid\n');
  });
});

describe('netpol validate | --format json', () => {
  test('prints an array of {file, kind, namespace, name, errors, warnings}', async () => {
    const c = await netpol(['validate', '--format', 'json', fixture('invalid.yaml'), fixture('valid')]);
    expect(c.code).toBe(1);
    const out = JSON.parse(c.stdout);
    expect(Array.isArray(out)).toBe(true);
    expect(out).toHaveLength(6);
    for (const entry of out) {
      expect(Object.keys(entry)).toEqual(expect.arrayContaining(['file', 'kind', 'namespace', 'name', 'errors', 'warnings']));
      for (const e of entry.errors) expect(Object.keys(e).sort()).toEqual(['detail', 'field', 'type', 'value']);
      for (const w of entry.warnings) expect(Object.keys(w).sort()).toEqual(['code', 'detail', 'field', 'value']);
    }
    expect(out[0]).toEqual({
      file: fixture('invalid.yaml'),
      index: 0,
      line: 2,
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'all-tcp',
      valid: false,
      errors: [{ field: 'spec.ingress[0].ports[0].port', type: 'Invalid value', value: 0, detail: 'must be between 1 and 65535, inclusive' }],
      warnings: [],
    });
    expect(out[1].errors.map((e: any) => [e.field, e.type])).toEqual([
      ['metadata.name', 'Invalid value'],
      ['spec.ingress[0].ports[0].protocol', 'Unsupported value'],
      ['spec.ingress[0].ports[0].port', 'Invalid value'],
      ['spec.ingress[0].from[0]', 'Forbidden'],
    ]);
    expect(out[1].errors[3].value).toBeNull();
  });

  test('a missing namespace is null in JSON', async () => {
    const c = await netpol(['validate', '--format', 'json', '-'], 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\nspec: {}\n');
    expect(c.code).toBe(0);
    const [entry] = JSON.parse(c.stdout);
    expect(entry.namespace).toBeNull();
    expect(entry.warnings.map((w: any) => w.code)).toEqual(['NamespaceNotSet']);
  });

  test('an empty input gives an empty array', async () => {
    const c = await netpol(['validate', '--format', 'json', fixture('tree')]);
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout)).toEqual([]);
  });
});

describe('netpol validate | bad input', () => {
  test.each([
    ['broken.yaml', /broken\.yaml: document 1: not valid YAML: line \d+, column \d+: /],
    ['truncated.json', /truncated\.json: document 0: not valid JSON: /],
    ['no-kind.yaml', /no-kind\.yaml: document 0: object has no "kind"/],
  ])('%s: exit 2 with the file and document index, no stack trace', async (file, message) => {
    const c = await netpol(['validate', fixture(file)]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(message);
    expect(c.stderr.startsWith('netpol validate: ')).toBe(true);
    expectNoStackTrace(c);
  });

  test('a document that is not an object is reported too', async () => {
    const c = await netpol(['validate', fixture('no-kind.yaml')]);
    expect(c.stderr).toMatch(/no-kind\.yaml: document 1: is a list, not a Kubernetes object/);
  });

  test('unreadable input wins over invalid policies: exit 2', async () => {
    const c = await netpol(['validate', fixture('invalid.yaml'), fixture('missing.yaml')]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(`netpol validate: ${fixture('missing.yaml')}: cannot read: no such file or directory\n`);
    expect(c.stdout).toContain('NetworkPolicy shop/all-tcp: invalid');
  });

  test('good documents around a broken one are still checked', async () => {
    const c = await netpol(['validate', fixture('broken.yaml')]);
    expect(c.stdout).toContain('NetworkPolicy shop/ok: valid');
  });
});

describe('isKubernetesNetworkPolicy', () => {
  test.each([
    [{ kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1' }, true],
    [{ kind: 'NetworkPolicy', apiVersion: 'extensions/v1beta1' }, true],
    [{ kind: 'NetworkPolicy' }, true],
    [{ kind: 'NetworkPolicy', apiVersion: 'projectcalico.org/v3' }, false],
    [{ kind: 'CiliumNetworkPolicy', apiVersion: 'cilium.io/v2' }, false],
    [{ kind: 'Service', apiVersion: 'v1' }, false],
  ])('%j -> %s', (obj, expected) => {
    expect(isKubernetesNetworkPolicy(obj)).toBe(expected);
  });
});

describe('netpol validate | cluster-wide policies', () => {
  test('validates ClusterNetworkPolicy and v1alpha1 objects with the CRDs of the channel', async () => {
    const standard = await netpol(['validate', '--channel', 'standard', fixture('cluster-policies.yaml')]);
    expect(standard.code).toBe(1);
    expect(standard.stdout).toContain('cluster-policies.yaml (document 0, line 2): ClusterNetworkPolicy guard: invalid (2 errors)\n'
      + '  error: spec.priority: Invalid value: 1001: must be less than or equal to 1000\n'
      + '  error: spec.egress[0].to[0].nodes: Forbidden: "nodes" exists only in the experimental channel\'s CRD');
    expect(standard.stdout).toContain('BaselineAdminNetworkPolicy default: valid\n');
    expect(standard.stdout).toMatch(/Checked 0 NetworkPolicies and 2 cluster-wide policies \(standard channel\) in 1 file: 1 valid, 1 invalid, 0 warnings\.\n$/);
    expectNoStackTrace(standard);

    const experimental = await netpol(['validate', fixture('cluster-policies.yaml')]);
    expect(experimental.stdout).toContain('ClusterNetworkPolicy guard: invalid (1 error)\n');
    expect(experimental.stdout).toContain('(experimental channel)');
  });
});

describe('netpol validate | --config: a lint configuration file, read as netpol lint reads it', () => {
  const config = (name: string) => fixture('config', name);

  test('alone: a valid file, with what it extends, exits 0', async () => {
    const c = await netpol(['validate', '--config', config('netpol.config.json')]);
    expect([c.code, c.stderr]).toEqual([0, '']);
    expect(c.stdout).toBe(`${config('netpol.config.json')}: lint configuration: valid (extends ${config('base.json')})\n`);
  });

  test('alone: an invalid file exits 1 with the error netpol lint would stop on, naming the file and the field', async () => {
    const c = await netpol(['validate', '--config', config('typo.json')]);
    expect(c.code).toBe(1);
    expect(c.stdout).toMatch(/^.*typo\.json: lint configuration: invalid\n {2}error: .*typo\.json\]? options\.profile: .*did you mean "openshift"/);
    const lint = await netpol(['lint', '--config', config('typo.json'), fixture('valid')]);
    expect(lint.code).toBe(2);
    expect(lint.stderr).toContain(c.stdout.split('\n')[1].replace(/^ {2}error: /, ''));
    expect(lint.stderr).toContain(`\`netpol validate --config ${config('typo.json')}\` checks it alone`);
    expectNoStackTrace(c);
  });

  test('with manifests: both are checked, and an invalid configuration fails the run even when every policy is valid', async () => {
    const c = await netpol(['validate', '--config', config('typo.json'), fixture('valid')]);
    expect(c.code).toBe(1);
    expect(c.stdout).toMatch(/^.*typo\.json: lint configuration: invalid\n/);
    expect(c.stdout).toContain('NetworkPolicy shop/allow-web: valid\n');
    expect(c.stdout).toMatch(/Checked 3 NetworkPolicies in 2 files: 3 valid, 0 invalid, 0 warnings; skipped 3 other objects; the lint configuration is invalid\.\n$/);
    const fine = await netpol(['validate', '--config', config('netpol.config.json'), fixture('valid')]);
    expect(fine.code).toBe(0);
    expect(fine.stdout).toMatch(/; the lint configuration is valid\.\n$/);
  });

  test('--format json: the configuration is the first entry, kind LintConfiguration', async () => {
    const c = await netpol(['validate', '--format', 'json', '--config', config('typo.json'), fixture('valid')]);
    expect(c.code).toBe(1);
    const out = JSON.parse(c.stdout);
    expect(out[0]).toEqual(expect.objectContaining({ file: config('typo.json'), kind: 'LintConfiguration', valid: false, warnings: [] }));
    expect(out[0].errors).toEqual([expect.objectContaining({ detail: expect.stringMatching(/options\.profile/) })]);
    expect(out.slice(1).map((e: any) => e.kind)).toEqual(['NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy']);
  });

  test('a configuration file that does not exist is an input error (exit 2); so is nothing to check', async () => {
    const missing = await netpol(['validate', '--config', config('nope.json'), fixture('valid')]);
    expect([missing.code, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toMatch(/^netpol validate: .*nope\.json: no such lint configuration file\n$/);
    const nothing = await netpol(['validate']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to check: give the files or directories of the manifests, or --config <file>/);
    expectNoStackTrace(nothing);
  });
});
