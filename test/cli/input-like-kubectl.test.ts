import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Captured, expectNoStackTrace, netpol } from './run-netpol';
import { collectFiles, loadManifests } from '../../src/io/manifest-loader';

/**
 * Issue 19, sections 2 and 6, and the smaller input ones: the command line reads exactly what
 * kubectl applies for the same arguments, refuses what the API server (or kubectl apply) would
 * read differently, and reads its configuration with the manifest reader's limits.
 */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-like-kubectl-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

const NAMESPACE = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;
const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}\n';
const DENY_ALL = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n';
const ALLOW_ALL = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-all, namespace: shop}\nspec: {podSelector: {}, ingress: [{}]}\n';

function policy(spec: string, name = 'p'): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: shop}\nspec:\n${spec}`;
}

function expectCleanError(c: Captured, code: number): void {
  expect(c.code).toBe(code);
  expectNoStackTrace(c);
}

const relative = (root: string) => (f: string) => path.relative(root, f);

describe('issue 19 §6 | a directory is read as kubectl apply -f reads it', () => {
  let tree: string;
  beforeAll(() => {
    tree = path.join(dir, 'tree');
    write('tree/a.yaml', NAMESPACE('a'));
    write('tree/.hidden.yaml', NAMESPACE('hidden'));
    write('tree/node_modules/pkg/x.yaml', NAMESPACE('nested'));
    write('tree/node_modules.yaml', NAMESPACE('nm'));
    write('tree/UPPER.YAML', NAMESPACE('upper'));
    write('tree/notes.txt', 'not a manifest');
    write('tree/sub/b.yml', NAMESPACE('b'));
    write('tree/sub/deeper/c.json', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'c' } }));
    write('outside.yaml', NAMESPACE('outside'));
    fs.symlinkSync(path.join(tree, 'a.yaml'), path.join(tree, 'link-inside.yaml'));
    fs.symlinkSync('/proc/self', path.join(tree, 'proc')); // a link to a directory that contains itself
    fs.symlinkSync(tree, path.join(tree, 'sub', 'loop')); // a loop back to the top
  });

  test.each([
    ['only the files directly in it, hidden ones and any name included; extensions exactly .yaml, .yml, .json', false,
      ['.hidden.yaml', 'a.yaml', 'link-inside.yaml', 'node_modules.yaml']],
    ['with -R, every subdirectory too (node_modules and hidden ones included), in filepath.Walk order, never through a link', true,
      ['.hidden.yaml', 'a.yaml', 'link-inside.yaml', path.join('node_modules', 'pkg', 'x.yaml'), 'node_modules.yaml', path.join('sub', 'b.yml'), path.join('sub', 'deeper', 'c.json')]],
  ])('%s', (_, recursive, expected) => {
    const { files, errors } = collectFiles([tree], { recursive });
    expect(errors).toEqual([]);
    // a link to a file read once: link-inside.yaml names a.yaml, which comes first
    expect(files.map(relative(tree))).toEqual(expected.filter(f => f !== 'link-inside.yaml'));
  });

  test('without -R, each subdirectory holding manifests is named in a warning saying how to read it', () => {
    const { warnings } = collectFiles([tree]);
    expect(warnings.map(w => path.relative(tree, w.file))).toEqual(['sub']);
    expect(warnings[0].message).toMatch(/kubectl apply -f reads only the files directly in the directory.*pass -R \(--recursive\)/);
  });

  test.each([
    ['a link named like a manifest to a file outside the tree', 'escape.yaml', () => path.join(dir, 'outside.yaml'),
      /is a symbolic link to ".*outside\.yaml", outside the directory given: netpol never reads outside the tree it is given/],
    ['a link named like a manifest to a directory (here one that contains itself)', 'self.yaml', () => '/proc/self',
      /is a symbolic link to a directory: kubectl apply -f fails on it/],
    ['a dangling link named like a manifest', 'dangling.yaml', () => path.join(dir, 'nowhere'),
      /cannot read: a symbolic link whose target cannot be read/],
  ])('%s is an error naming it, never followed', (_, name, target, message) => {
    const root = fs.mkdtempSync(path.join(dir, 'links-'));
    fs.writeFileSync(path.join(root, 'ok.yaml'), NAMESPACE('ok'));
    fs.symlinkSync(target(), path.join(root, name));
    const { files, errors } = collectFiles([root], { recursive: true });
    expect(files.map(relative(root))).toEqual(['ok.yaml']);
    expect(errors).toEqual([{ file: path.join(root, name), message: expect.stringMatching(message) }]);
  });

  test('a FIFO named like a manifest is refused, never waited on', () => {
    const root = fs.mkdtempSync(path.join(dir, 'fifo-'));
    execFileSync('mkfifo', [path.join(root, 'pipe.yaml')]);
    const loaded = loadManifests([root]);
    expect(loaded.errors).toEqual([{ file: path.join(root, 'pipe.yaml'), message: expect.stringMatching(/is a FIFO \(named pipe\), not a regular file/) }]);
  });

  test('the reproduction: netpol diff sees pr/.allow-all.yaml, which kubectl apply -f pr applies', async () => {
    write('diff/base/app.yaml', `${POD}---\n${DENY_ALL}`);
    write('diff/pr/app.yaml', `${POD}---\n${DENY_ALL}`);
    write('diff/pr/.allow-all.yaml', ALLOW_ALL);
    const result = await netpol(['diff', path.join(dir, 'diff', 'base'), path.join(dir, 'diff', 'pr'), '--fail-on', 'opened']);
    expect(result.code).toBe(4);
    expect(result.stdout).not.toMatch(/No change/);
    expect(result.stdout).toMatch(/shop\/web/);
  });

  test('-R is offered by every command, as kubectl apply -R', async () => {
    write('r/top.yaml', POD);
    write('r/nested/policy.yaml', DENY_ALL);
    const flat = await netpol(['validate', path.join(dir, 'r')]);
    expect(flat.stdout).toMatch(/No NetworkPolicy found/);
    expect(flat.stderr).toMatch(/warning: .*nested: not read: it is a subdirectory/);
    const deep = await netpol(['validate', '-R', path.join(dir, 'r')]);
    expect(deep.code).toBe(0);
    expect(deep.stdout).toMatch(/NetworkPolicy shop\/deny: valid/);
    const matrix = await netpol(['matrix', '--recursive', path.join(dir, 'r'), '--port', '80']);
    expect(matrix.code).toBe(0);
  });
});

describe('issue 19 §6 | the lint configuration is read with the manifest reader\'s limits', () => {
  const objects = () => write('cfg/shop.yaml', POD);

  test.each([
    ['/dev/zero (a device that never ends)', () => '/dev/zero', /is a device, not a regular file/],
    ['a FIFO (which blocks forever)', () => {
      const fifo = path.join(dir, 'cfg', 'config-fifo.json');
      if (!fs.existsSync(fifo)) execFileSync('mkfifo', [fifo]);
      return fifo;
    }, /is a FIFO \(named pipe\), not a regular file/],
    ['a file over 1 MiB', () => write('cfg/huge.json', `{"rules": {}, "x": "${'a'.repeat(1024 * 1024)}"}`), /is larger than the limit of 1 MiB per file/],
    ['UTF-16 without a byte order mark', () => write('cfg/utf16.json', Buffer.from('{"rules": {}}', 'utf16le')), /looks like UTF-16LE text without a byte order mark/],
  ])('--config naming %s is refused with why', async (_, config, message) => {
    const result = await netpol(['lint', objects(), '--config', config()]);
    expectCleanError(result, 2);
    expect(result.stderr).toMatch(message);
  });

  test.each([
    ['a secret that is not JSON', 'root:$6$s3cr3t-hash:19000:0:99999:7:::\n'],
    ['JSON with a secret after the error', '{"rules": {}, "token": s3cr3t-hash}'],
    ['a secret in an extended file', null],
  ])('a refused file is never echoed: %s', async (_, content) => {
    const file = content === null
      ? write('cfg/extends-secret.json', JSON.stringify({ extends: `./${path.basename(write('cfg/secret2', 'user:s3cr3t-hash'))}` }))
      : write('cfg/secret.json', content);
    const result = await netpol(['lint', objects(), '--config', file]);
    expectCleanError(result, 2);
    expect(result.stderr).toMatch(/not valid JSON/);
    expect(result.stderr).not.toMatch(/s3cr3t/);
  });

  test('a configuration in UTF-16 with a byte order mark is read, as kubectl reads manifests', async () => {
    const text = JSON.stringify({ rules: { NP001: 'off' } });
    const file = write('cfg/utf16-bom.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const result = await netpol(['lint', objects(), '--config', file, '--format', 'json']);
    expect(result.stderr).not.toMatch(/not valid JSON|not a readable/);
    expect(JSON.parse(result.stdout).findings.map((f: any) => f.ruleId)).not.toContain('NP001');
  });

  test.each([
    ['options', '{"options": {"__proto__": {"maxPortRangeWidth": 1}}}', /options\.__proto__: unknown option: use maxPortRangeWidth/],
    ['options', '{"options": {"constructor": 5}}', /options\.constructor: unknown option: use maxPortRangeWidth/],
    ['options', '{"options": {"toString": "x"}}', /options\.toString: unknown option/],
    ['rules', '{"rules": {"constructor": "off"}}', /rules\.constructor: unknown rule "constructor"/],
    ['the top level', '{"__proto__": {"rules": {}}}', /__proto__: unknown key: use "extends", "rules" or "options"/],
  ])('a configuration key JavaScript treats specially, in %s, is an unknown key, never "must be a [object Object]"', async (_, content, message) => {
    const result = await netpol(['lint', objects(), '--config', write('cfg/proto.json', content)]);
    expectCleanError(result, 2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/object Object/);
  });
});

describe('issue 19 | files in UTF-16 are read as kubectl reads them', () => {
  test.each([
    ['UTF-16LE with a byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(NAMESPACE('shop'), 'utf16le')])],
    ['UTF-16BE with a byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(NAMESPACE('shop'), 'utf16le').swap16()])],
    ['UTF-8 with a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(NAMESPACE('shop'))])],
  ])('%s is decoded (cli-runtime decodes through a BOM override)', (_, bytes) => {
    const loaded = loadManifests([write('utf16/ns.yaml', bytes)]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.objects.map(o => o.object.metadata.name)).toEqual(['shop']);
  });

  test.each([
    ['UTF-16LE', Buffer.from(NAMESPACE('shop'), 'utf16le')],
    ['UTF-16BE', Buffer.from(NAMESPACE('shop'), 'utf16le').swap16()],
  ])('%s without a byte order mark is refused, saying what it is and how to convert it', async (encoding, bytes) => {
    const file = write(`utf16/no-bom-${encoding}.yaml`, bytes);
    const result = await netpol(['validate', file]);
    expectCleanError(result, 2);
    expect(result.stderr).toMatch(new RegExp(`no-bom-${encoding}\\.yaml: looks like ${encoding} text without a byte order mark.*convert it to UTF-8`));
  });
});

describe('issue 19 §2 | a typo the API server rejects is not "valid"', () => {
  const TYPO = policy('  podSelector: {}\n  ingress: [{form: [{podSelector: {matchLabels: {app: web}}}]}]\n');

  test('netpol validate: an unknown field is an error (exit 1), in the server\'s words', async () => {
    const result = await netpol(['validate', write('typo/typo.yaml', TYPO)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/error: spec\.ingress\[0\]\.form: strict decoding error: unknown field "spec\.ingress\[0\]\.form" \(did you mean "from"\?\)/);
  });

  test.each([
    ['--validate=warn', ['--validate', 'warn'], 0, /warning: spec\.ingress\[0\]\.form: UnknownField/],
    ['--validate=ignore', ['--validate', 'ignore'], 0, /NetworkPolicy shop\/p: valid\n/],
    ['--validate=false (kubectl\'s older spelling)', ['--validate', 'false'], 0, /NetworkPolicy shop\/p: valid\n/],
    ['--validate=true', ['--validate', 'true'], 1, /strict decoding error/],
  ])('netpol validate %s', async (_, args, code, output) => {
    const result = await netpol(['validate', write('typo/typo.yaml', TYPO), ...args]);
    expect(result.code).toBe(code);
    expect(result.stdout).toMatch(output);
  });

  test('--validate refuses a mode kubectl does not have', async () => {
    const result = await netpol(['validate', write('typo/typo.yaml', TYPO), '--validate', 'lenient']);
    expectCleanError(result, 2);
    expect(result.stderr).toMatch(/must be strict, warn or ignore/);
  });

  test.each([
    ['matrix', (f: string) => ['matrix', f, '--port', '80']],
    ['explain', (f: string) => ['explain', f, '--from', '10.1.1.1', '--to', 'shop/web', '--port', '80']],
    ['lint', (f: string) => ['lint', f]],
    ['list', (f: string) => ['list', f]],
  ])('netpol %s refuses the typo (exit 2); with --validate=warn it reads the rule as the server stores it: every source', async (_, args) => {
    const file = write('typo/with-pod.yaml', `${POD}---\n${TYPO}`);
    const strict = await netpol(args(file));
    expectCleanError(strict, 2);
    expect(strict.stderr).toMatch(/strict decoding error: unknown field "spec\.ingress\[0\]\.form"/);
    const warn = await netpol([...args(file), '--validate', 'warn']);
    expect(warn.code === 0 || warn.code === 1).toBe(true);
    expect(warn.stderr).toMatch(/warning: .*NetworkPolicy shop\/p: spec\.ingress\[0\]\.form: UnknownField/);
  });

  test('under --validate=warn, explain says what the server stores: the rule without "from" allows every source', async () => {
    const file = write('typo/with-pod.yaml', `${POD}---\n${TYPO}`);
    const result = await netpol(['explain', file, '--from', '10.1.1.1', '--to', 'shop/web', '--port', '80', '--validate', 'warn']);
    expect(result.code).toBe(0); // allowed: the typo made the rule wider, which is what the cluster would do
  });

  const NULL_LABEL = policy('  podSelector: {matchLabels: {app: null}}\n  policyTypes: [Ingress]\n');
  test.each([
    ['validate', (f: string) => ['validate', f], 1],
    ['matrix', (f: string) => ['matrix', f, '--port', '80'], 2],
    ['explain', (f: string) => ['explain', f, '--from', '10.1.1.1', '--to', 'shop/web', '--port', '80'], 2],
    ['lint', (f: string) => ['lint', f], 2],
    ['list', (f: string) => ['list', f], 2],
  ])('netpol %s refuses matchLabels {app: null} as ambiguous, saying what each tool would do', async (_, args, code) => {
    const result = await netpol(args(write('null/p.yaml', `${POD}---\n${NULL_LABEL}`)));
    expectCleanError(result, code);
    const text = result.stdout + result.stderr;
    expect(text).toMatch(/spec\.podSelector\.matchLabels\[app\]: Invalid value: null: label "app" has no value/);
    expect(text).toMatch(/API server stores "app": ""/);
    expect(text).toMatch(/kubectl apply deletes the key/);
  });

  test.each([
    ['a Pod', 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: null}}\n'],
    ['a Namespace', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: null}}\n'],
    ['a Deployment\'s pod template', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {template: {metadata: {labels: {app: null}}}}\n'],
  ])('a null label value on %s is refused by the analysis too', async (_, object) => {
    const result = await netpol(['matrix', write('null/object.yaml', `${object}---\n${DENY_ALL}`), '--port', '80']);
    expectCleanError(result, 2);
    expect(result.stderr).toMatch(/Invalid value: null: label "(app|team)" has no value.*kubectl apply deletes the key/);
  });

  test('netpol validate warns about a non-canonical IPv6 CIDR, as the API server does', async () => {
    const file = write('ipv6/p.yaml', policy('  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: "2001:0db8:0000::/32"}}]}]\n'));
    const result = await netpol(['validate', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/warning: spec\.egress\[0\]\.to\[0\]\.ipBlock\.cidr: NonCanonicalCidr: IPv6 CIDR value "2001:0db8:0000::\/32" should be in RFC 5952 canonical format \("2001:db8::\/32"\)/);
  });
});

describe('issue 19 | smaller input cases', () => {
  test.each([
    ['!!float 8080 is the number 8080, as go-yaml reads it', 'port: !!float 8080', 8080],
    ['!!float "8080" too: the tag wins over the quotes', 'port: !!float "8080"', 8080],
    ['!!int "8080" too', 'port: !!int "8080"', 8080],
    ['!!str 8080 is the string', 'port: !!str 8080', '8080'],
  ])('%s', (_, line, expected) => {
    const loaded = loadManifests([write('tags/x.yaml', `apiVersion: v1\nkind: X\n${line}\n`)]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.objects[0].object.port).toBe(expected);
  });

  test.each([
    ['!!float abc', /cannot decode !!str `abc` as a !!float/],
    ['!!int 80.5', /cannot decode !!float `80\.5` as a !!int/],
  ])('%s is an error, as kubectl fails on it', (value, message) => {
    const loaded = loadManifests([write('tags/bad.yaml', `apiVersion: v1\nkind: X\nport: ${value}\n`)]);
    expect(loaded.objects).toEqual([]);
    expect(loaded.errors[0].message).toMatch(message);
  });

  test('a port given as !!float 8080 in a policy means TCP 8080, as kubectl applies it', async () => {
    const file = write('tags/policy.yaml', `${POD}---\n${policy('  podSelector: {}\n  ingress: [{ports: [{port: !!float 80}]}]\n')}`);
    const allowed = await netpol(['explain', file, '--from', '10.1.1.1', '--to', 'shop/web', '--port', '80']);
    expect(allowed.code).toBe(0);
    const denied = await netpol(['explain', file, '--from', '10.1.1.1', '--to', 'shop/web', '--port', '81']);
    expect(denied.code).toBe(3);
  });

  test.each([
    ['a pod IP', (f: string) => ['matrix', f, '--port', '80'], 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nstatus: {podIP: 010.0.0.1}\n'],
    ['--external', (f: string) => ['matrix', f, '--port', '80', '--external', '010.0.0.1'], POD],
  ])('010.0.0.1 as %s is refused with why (Go refuses leading zeros), never read as 10.0.0.1', async (_, args, objects) => {
    const result = await netpol(args(write('zeros/x.yaml', objects)));
    expectCleanError(result, 2);
    expect(result.stderr).toMatch(/"010\.0\.0\.1": must not have leading zeros.*write 10\.0\.0\.1/);
  });

  test('010.0.0.1 as the lint\'s metadata address is refused', async () => {
    const config = write('zeros/netpol.config.json', JSON.stringify({ options: { metadataAddresses: ['010.0.0.1'] } }));
    const result = await netpol(['lint', write('zeros/pod.yaml', POD), '--config', config]);
    expectCleanError(result, 2);
    expect(result.stderr).toMatch(/metadataAddresses: Invalid value: "010\.0\.0\.1"/);
  });
});

describe('issue 19 §7 | names the API server would reject are input errors, never output', () => {
  const pod = (name: string, namespace = 'shop') => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${JSON.stringify(name)}, namespace: ${JSON.stringify(namespace)}}\n`;
  test.each([
    ['a pod name carrying an HTML comment', pod('web<!-- x -->'), /Pod in namespace shop: metadata.name: Invalid value: "web<!-- x -->": a lowercase RFC 1123 subdomain/],
    ['a pod name with an @mention', pod('@maintainers'), /metadata.name: Invalid value: "@maintainers"/],
    ['a pod name with a backtick', pod('web`'), /metadata.name: Invalid value: "web`"/],
    ['a pod name in capitals', pod('Web'), /metadata.name: Invalid value: "Web"/],
    ['a workload name with a formula', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: "=HYPERLINK(x)", namespace: shop}\n', /Deployment in namespace shop: metadata.name: Invalid value: "=HYPERLINK\(x\)"/],
    ['a namespace with a space', pod('web', 'shop '), /Pod web: metadata.namespace: Invalid value: "shop ": a lowercase RFC 1123 label/],
    ['a namespace with a dot', pod('web', 'shop.prod'), /metadata.namespace: Invalid value: "shop.prod": must not contain dots/],
    ['a Namespace object named with a link', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: "[x](https://evil.example)"}\n', /Namespace: metadata.name: Invalid value: "\[x\]\(https:\/\/evil.example\)"/],
  ])('%s', async (_, object, message) => {
    const file = write('names/x.yaml', object);
    for (const args of [['list', file, '--format', 'md'], ['list', file, '--format', 'csv'], ['matrix', file, '--port', '80', '--format', 'mermaid']]) {
      const result = await netpol(args);
      expectCleanError(result, 2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
    }
  });

  test('valid names are read as before', async () => {
    const result = await netpol(['list', write('names/ok.yaml', `${POD}---\n${pod('api-0.v2')}`), '--format', 'md']);
    expect(result.code).toBe(0);
  });
});
