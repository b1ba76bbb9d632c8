import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Captured, expectNoStackTrace, netpol } from './run-netpol';

/**
 * Issue 12: every hostile input ends with the documented exit code and a clear one-line message
 * naming the file (and document), never a crash, a hang or spoofed output. Issue 10: the analysis
 * commands refuse every policy `validate` rejects.
 */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-hostile-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}\n';

function policy(spec: string, name = 'p'): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: shop}\nspec:\n${spec}`;
}

/** The argument lists that run each analysis command on a file. */
const ANALYSIS: Array<[string, (file: string) => string[]]> = [
  ['matrix', (f) => ['matrix', f, '--port', '80']],
  ['explain', (f) => ['explain', f, '--from', 'shop/web', '--to', 'shop/web', '--port', '80']],
  ['lint', (f) => ['lint', f]],
];

const ALL: Array<[string, (file: string) => string[]]> = [['validate', (f) => ['validate', f]], ...ANALYSIS];

/** The stderr of a run is short lines that each name the tool. */
function expectCleanError(c: Captured, code: number): void {
  expect(c.code).toBe(code);
  expectNoStackTrace(c);
  for (const line of c.stderr.split('\n').filter((l) => l !== '')) {
    expect(line.length).toBeLessThan(2500);
  }
}

describe('issue 10 | the analysis commands refuse every policy validate rejects, with exit 2', () => {
  const invalid: Array<[string, string]> = [
    ['ports: [80]', policy('  podSelector: {}\n  ingress: [{ports: [80]}]\n')],
    ['ingress: ["from"]', policy('  podSelector: {}\n  ingress: ["from"]\n')],
    ['ingress: [1]', policy('  podSelector: {}\n  ingress: [1]\n')],
    ['ingress: [[]]', policy('  podSelector: {}\n  ingress: [[]]\n')],
    ['port: 1:20 (a string for kubectl, never the base-60 number 80)', policy('  podSelector: {}\n  ingress: [{ports: [{port: 1:20}]}]\n')],
    ['matchExpressions values that are not a list', policy('  podSelector: {matchExpressions: [{key: a, operator: In, values: "x"}]}\n  ingress: []\n')],
    ['an invalid policy in a List inside a List', `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - ${policy('    podSelector: {}\n    ingress: [{ports: [80]}]\n').replace(/\n/g, '\n    ').trimEnd()}\n`],
    ['apiVersion extensions/v1beta1 (no longer served)', policy('  podSelector: {}\n').replace('networking.k8s.io/v1', 'extensions/v1beta1')],
    ['apiVersion networking.k8s.io/v2 (does not exist)', policy('  podSelector: {}\n').replace('networking.k8s.io/v1', 'networking.k8s.io/v2')],
  ];

  test.each(invalid)('validate reports %s as invalid (exit 1)', (_name, text) => {
    const file = write(`invalid-${_name.replace(/[^a-z0-9]+/gi, '-')}.yaml`, `${POD}---\n${text}`);
    const c = netpol(['validate', file]);
    return c.then((r) => {
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/NetworkPolicy shop\/p: invalid/);
    });
  });

  for (const [command, args] of ANALYSIS) {
    test.each(invalid)(`${command} refuses %s with exit 2 and validate's message`, async (name, text) => {
      const file = write(`invalid-${name.replace(/[^a-z0-9]+/gi, '-')}.yaml`, `${POD}---\n${text}`);
      const c = await netpol(args(file));
      expectCleanError(c, 2);
      expect(c.stdout).toBe('');
      expect(c.stderr).toContain(`netpol ${command}: ${file} (document 1`);
      expect(c.stderr).toMatch(/NetworkPolicy shop\/p: invalid \(\d+ errors?\)\n {2}error: /);
      expect(c.stderr).toContain('1 NetworkPolicy is invalid: the API server would reject it, so the analysis does not evaluate it');
    });
  }

  const duplicates: Array<[string, string, string]> = [
    ['JSON', 'dup.json', JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'shop' }, spec: { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'lb' } } }] }] } })
      .replace('"from":[', '"from":[],"from":[')],
    ['YAML', 'dup.yaml', policy('  podSelector: {}\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: lb}}}]\n    from: []\n')],
  ];
  for (const [command, args] of ALL) {
    test.each(duplicates)(`${command} refuses duplicate keys in %s with exit 2, naming the file, line and key`, async (_format, name, text) => {
      const file = write(`${command}-${name}`, text);
      const c = await netpol(args(file));
      expectCleanError(c, 2);
      expect(c.stderr).toMatch(new RegExp(`^netpol ${command}: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: document 0: .*duplicate key "from".*line \\d+`, 'm'));
      expect(c.stderr).toContain('kubectl\'s strict decoding rejects duplicate fields');
    });
  }

  test('all four commands read a policy nested in a List inside a List', async () => {
    const nested = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - ${policy('    podSelector: {}\n    policyTypes: [Ingress]\n').replace(/\n/g, '\n    ').trimEnd()}\n`;
    const file = write('nested-valid.yaml', `${POD}---\n${nested}`);
    const validate = await netpol(['validate', file]);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('NetworkPolicy shop/p: valid');
    const explain = await netpol(['explain', file, '--from', '10.0.0.1', '--to', 'shop/web', '--port', '80']);
    expect(explain.code).toBe(3);
    expect(explain.stdout).toContain('shop/p');
  });

  test('kindless items of a NetworkPolicyList are NetworkPolicies for every command', async () => {
    const list = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicyList\nitems:\n- metadata: {name: p, namespace: shop}\n  spec: {podSelector: {}, ingress: [{ports: [80]}]}\n';
    const file = write('kindless.yaml', `${POD}---\n${list}`);
    expect((await netpol(['validate', file])).code).toBe(1);
    for (const [, args] of ANALYSIS) expectCleanError(await netpol(args(file)), 2);
  });

  test('a Calico NetworkPolicy is not read by the analysis, with a warning naming it', async () => {
    const calico = 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: c, namespace: shop}\nspec: {selector: all()}\n';
    const file = write('calico.yaml', `${POD}---\n${calico}`);
    const c = await netpol(['matrix', file, '--port', '80']);
    expect(c.code).toBe(0);
    expect(c.stderr).toContain(`netpol matrix: warning: ${file} (document 1, line 6): projectcalico.org/v3 NetworkPolicy shop/c is not a Kubernetes NetworkPolicy`);
  });
});

describe('issue 12 | hostile YAML and JSON', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['a mapping whose alias refers to itself', 'self-map.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: &m {name: a, labels: {x: *m}}\n', /document 0: metadata\.labels\.x contains itself/],
    ['a List containing itself', 'self-list.yaml', 'apiVersion: v1\nkind: List\nitems: &s [{apiVersion: v1, kind: List, items: *s}]\n', /document 0: items\[0\]\.items contains itself/],
    ['a spec whose ingress holds the spec', 'self-spec.yaml', policy('  &s {podSelector: {}, ingress: [*s]}\n').replace('spec:\n  &s', 'spec: &s'), /document 0: spec\.ingress\[0\] contains itself/],
    ['JSON nested 2,000 levels deep', 'deep.json', `{"apiVersion":"v1","kind":"Pod","x":${'['.repeat(2000)}${']'.repeat(2000)}}`, /document 0: nested more than 200 levels deep at line 1/],
    ['YAML flow nested 2,000 levels deep', 'deep-flow.yaml', `apiVersion: v1\nkind: Pod\nx: ${'['.repeat(2000)}${']'.repeat(2000)}\n`, /document 0: nested (more than 200 levels deep|too deeply to read)/],
    ['YAML blocks nested 300 levels deep', 'deep-block.yaml', `apiVersion: v1\nkind: Pod\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`, /document 0: nested (more than 200 levels deep|too deeply to read)/],
    ['a billion laughs', 'laughs.yaml', `apiVersion: v1\nkind: Pod\na: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`).join('\n')}\n`, /document 0: expands YAML aliases more than 100 times/],
    ['.inf, which kubectl cannot turn into JSON', 'inf.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nx: .inf\n', /document 0: x: the YAML number \.inf cannot be written as JSON/],
  ];
  for (const [command, args] of ALL) {
    test.each(cases)(`${command}: %s is exit 2 with a one-line message naming the file and document`, async (_name, name, text, message) => {
      const file = write(`${command}-${name}`, text);
      const c = await netpol(args(file));
      expectCleanError(c, 2);
      expect(c.stderr).toContain(`netpol ${command}: ${file}: document 0: `);
      expect(c.stderr).toMatch(message);
    });
  }

  test('150,000 objects in one file are read by every command (no argument spread over them)', async () => {
    const items = Array.from({ length: 150_000 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'shop' } }));
    const file = write('many.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...items, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' } }] }));
    const validate = await netpol(['validate', file]);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toBe('No NetworkPolicy found in 1 file; skipped 150,001 other objects.\n');
    const matrix = await netpol(['matrix', file, '--port', '80']);
    expect([matrix.code, matrix.stderr]).toEqual([0, '']);
    expect(matrix.stdout).toContain('shop/web');
  });

  test('a huge value in an error is cut, not echoed whole', async () => {
    const huge = 'a'.repeat(5_000_000);
    const file = write('huge.yaml', policy(`  podSelector: {matchLabels: {app: ${huge}}}\n`));
    const c = await netpol(['validate', file]);
    expect(c.code).toBe(1);
    expect(c.stdout.length).toBeLessThan(5000);
    expect(c.stdout).toContain('more characters)');
    const json = await netpol(['validate', '--format', 'json', file]);
    expect(json.stdout.length).toBeLessThan(5000);
  });

  test('invalid UTF-8 is read with a warning naming the file and the byte offset', async () => {
    const file = path.join(dir, 'latin1.yaml');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf'), Buffer.from([0xe9]), Buffer.from('}\n')]));
    const c = await netpol(['validate', file]);
    expect(c.code).toBe(0);
    expect(c.stderr).toBe(`netpol validate: warning: ${file}: is not valid UTF-8 (first bad byte at offset 51); such bytes are read as U+FFFD, so names and values there are not what the file holds\n`);
  });
});

describe('issue 12 | output that input cannot spoof', () => {
  test('a name holding a newline and ESC is printed escaped, on its own line', async () => {
    const file = write('spoof.json', JSON.stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'x\nChecked 1 NetworkPolicy in 1 file: 1 valid, 0 invalid, 0 warnings.\u001b[2K', namespace: 'shop' },
      spec: { podSelector: {} },
    }));
    const c = await netpol(['validate', file]);
    expect(c.code).toBe(1);
    expect(c.stdout).not.toContain('\u001b');
    expect(c.stdout.split('\n').filter((l) => l.startsWith('Checked '))).toEqual(['Checked 1 NetworkPolicy in 1 file: 0 valid, 1 invalid, 0 warnings.']);
    expect(c.stdout).toContain('NetworkPolicy shop/x\\nChecked 1 NetworkPolicy');
    expect(c.stdout).toContain('\\u001b[2K');
  });

  test('the analysis commands refuse a pod whose name holds control characters', async () => {
    const file = write('spoof-pod.json', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a\nb', namespace: 'shop' } }));
    for (const [command, args] of ANALYSIS) {
      const c = await netpol(args(file));
      expectCleanError(c, 2);
      expect(c.stderr).toBe(`netpol ${command}: ${file} (document 0): Pod: metadata.name: Invalid value: "a\\nb": a name cannot contain control characters\n`);
    }
  });
});

describe('issue 12 | empty input fails the gate', () => {
  test.each(ALL)('%s exits 2 when no Kubernetes object was found, and 0 with --allow-empty', async (command, args) => {
    const empty = path.join(dir, `empty-${command}`);
    fs.mkdirSync(empty, { recursive: true });
    const c = await netpol(args(empty));
    expectCleanError(c, 2);
    expect(c.stderr).toContain(`netpol ${command}: no Kubernetes object found in ${empty} (0 files read): nothing was checked`);
    expect(c.stderr).toContain('--allow-empty');
    if (command === 'explain') return; // nothing to explain in an empty cluster
    const allowed = await netpol([...args(empty), '--allow-empty']);
    expect(allowed.code).toBe(0);
  });
});

describe('issue 12 | messages that say what happened', () => {
  test('an unquoted y or n is read as kubectl reads it, with a warning that says to quote it', async () => {
    const file = write('bool.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  namespace: y\n  labels:\n    n: x\n');
    const c = await netpol(['validate', file]);
    expect(c.stderr).toContain(`netpol validate: warning: ${file}: document 0: line 5: y is read as the boolean true (YAML 1.1, as kubectl reads it); write "y" in quotes if you meant the string`);
    expect(c.stderr).toContain(`netpol validate: warning: ${file}: document 0: line 7: the key n is read as the boolean false, so it becomes the key "false"`);
  });

  test('the same file named twice is read once', async () => {
    const file = write('twice/a.yaml', `${POD}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n`);
    const relative = `./${path.relative(process.cwd(), file)}`;
    const c = await netpol(['matrix', file, relative, '--port', '80']);
    expect([c.code, c.stderr]).toEqual([0, '']);
  });

  test('an object defined in two files is an error naming both', async () => {
    const a = write('two/a.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
    const b = write('two/b.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
    const c = await netpol(['lint', path.dirname(a)]);
    expectCleanError(c, 2);
    expect(c.stderr).toBe(`netpol lint: ${b} (document 0, line 1): Namespace shop is defined more than once (first at ${a} (document 0, line 1)); `
      + 'kubectl apply would keep only the last one: remove the other, or give the same path only once\n');
  });

  test('--skip-non-manifests skips a Helm values file and a JSON report with a warning each; by default they are errors', async () => {
    const tree = path.join(dir, 'mixed');
    write('mixed/app.yaml', POD);
    write('mixed/values.yaml', 'replicas: 3\nimage: {tag: latest}\n');
    write('mixed/report.json', '[{"check": "ok"}]');
    const strict = await netpol(['validate', tree]);
    expectCleanError(strict, 2);
    expect(strict.stderr).toContain(`${path.join(tree, 'values.yaml')}: document 0: object has no "kind"`);
    const lenient = await netpol(['validate', tree, '--skip-non-manifests']);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toBe(
      `netpol validate: warning: ${path.join(tree, 'report.json')}: skipped (--skip-non-manifests): no document in it is a Kubernetes object (document 0: is a list, not a Kubernetes object (a mapping with apiVersion and kind))\n`
      + `netpol validate: warning: ${path.join(tree, 'values.yaml')}: skipped (--skip-non-manifests): no document in it is a Kubernetes object (document 0: object has no "kind": every Kubernetes object needs "apiVersion" and "kind")\n`);
  });

  test('--skip-non-manifests still fails on a broken manifest', async () => {
    const file = write('broken-manifest.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a\n');
    const c = await netpol(['validate', file, '--skip-non-manifests']);
    expectCleanError(c, 2);
    expect(c.stderr).toContain('not valid YAML');
  });

  test('--max-file-size refuses a larger file, naming it', async () => {
    const file = write('big.yaml', `${POD}# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    const c = await netpol(['validate', file, '--max-file-size', '1']);
    expectCleanError(c, 2);
    expect(c.stderr).toContain(`netpol validate: ${file}: is larger than the limit of 1 MiB per file; split it, or raise the limit with --max-file-size`);
  });
});

describe('issue 12 | CI users', () => {
  test('validate --quiet prints only the policies with problems, and the summary on standard error', async () => {
    const file = write('quiet.yaml', `${policy('  podSelector: {}\n', 'good')}---\n${policy('  podSelector: {}\n  ingress: [{ports: [{port: 0}]}]\n', 'bad')}`);
    const c = await netpol(['validate', '--quiet', file]);
    expect(c.code).toBe(1);
    expect(c.stdout).toBe(`${file} (document 1, line 7): NetworkPolicy shop/bad: invalid (1 error)\n`
      + '  error: spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n');
    expect(c.stderr).toMatch(/^netpol validate: Checked 2 NetworkPolicies in 1 file: 1 valid, 1 invalid, 0 warnings \(\d+\.\d s\)\n$/);
  });

  test('matrix --port takes a container port name, resolved on each destination', async () => {
    const db = 'apiVersion: v1\nkind: Pod\nmetadata: {name: db, namespace: shop, labels: {app: db}}\nspec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 9090}]}]}\n';
    const ext = 'apiVersion: v1\nkind: Pod\nmetadata: {name: ext, namespace: shop}\nspec: {containers: [{name: c, image: x}]}\n';
    const deny = policy('  podSelector: {matchLabels: {app: db}}\n  ingress: [{ports: [{port: 9090}]}]\n');
    const file = write('named.yaml', [POD, db, ext, deny].join('---\n'));
    const c = await netpol(['matrix', file, '--port', 'http']);
    expect(c.code).toBe(0);
    expect(c.stdout).toBe('TCP/http: rows are sources, columns destinations; . allowed, X denied; - http is not a TCP container port of the destination\n\n'
      + '-        shop/db shop/ext shop/web\n'
      + 'shop/db  .       -        .\n'
      + 'shop/ext .       -        .\n'
      + 'shop/web .       -        .\n');
    const json = JSON.parse((await netpol(['matrix', file, '--port', 'http', '--format', 'json'])).stdout);
    expect(json.port).toBe('http');
    expect(json.allowed['shop/web']).toEqual({ 'shop/db': true, 'shop/ext': null, 'shop/web': true });
  });

  test('matrix --port with a name no pod has is exit 2', async () => {
    const file = write('noname.yaml', POD);
    const c = await netpol(['matrix', file, '--port', 'metrics']);
    expectCleanError(c, 2);
    expect(c.stderr).toBe('netpol matrix: --port: no pod or workload has a TCP container port named "metrics"; give a port number, or the name of a container port\n');
  });
});
