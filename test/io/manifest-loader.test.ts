import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { collectFiles, formatLoadError, loadManifests, parseManifestText } from '../../src/io/manifest-loader';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'validate');
const fixture = (...p: string[]) => path.join(FIXTURES, ...p);

describe('manifest-loader | YAML', () => {
  test('reads every document of a multi-document file, with its index and line', () => {
    const { objects, errors } = parseManifestText('a: 1\nkind: A\n---\nkind: B\n---\n\n---\nkind: C\n', 'f.yaml');
    expect(errors).toEqual([]);
    expect(objects.map((o) => [o.object.kind, o.index, o.line])).toEqual([['A', 0, 1], ['B', 1, 4], ['C', 3, 8]]);
  });

  test('skips empty documents and documents holding only comments or null', () => {
    const { objects, errors } = parseManifestText('---\n# nothing\n---\n~\n---\nkind: A\n', 'f.yaml');
    expect(errors).toEqual([]);
    expect(objects.map((o) => o.index)).toEqual([2]);
  });

  test('reads YAML 1.1 as kubectl does: yes is a boolean, 010 is octal, dates stay strings', () => {
    const { objects } = parseManifestText('kind: A\nflag: yes\nnum: 010\nday: 2024-01-01\n', 'f.yaml');
    expect(objects[0].object).toEqual({ kind: 'A', flag: true, num: 8, day: '2024-01-01' });
  });

  test('a YAML syntax error names the document, line and column', () => {
    const { objects, errors } = parseManifestText('kind: A\n---\nkind: B\nspec: {a: 1\nx: 2\n', 'f.yaml');
    expect(objects.map((o) => o.object.kind)).toEqual(['A']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'f.yaml', index: 1 });
    expect(errors[0].message).toMatch(/^not valid YAML: line \d+, column \d+: /);
  });

  test('duplicate keys are an error (the server rejects them too)', () => {
    const { errors } = parseManifestText('kind: A\nkind: B\n', 'f.yaml');
    expect(errors[0].message).toMatch(/^duplicate key "kind" at line 2, column 1: kubectl's strict decoding rejects duplicate fields/);
  });

  test('a document that is not a mapping is reported, not returned', () => {
    const { objects, errors } = parseManifestText('- a\n- b\n---\njust text\n', 'f.yaml');
    expect(objects).toEqual([]);
    expect(errors.map((e) => [e.index, e.message])).toEqual([
      [0, 'is a list, not a Kubernetes object (a mapping with apiVersion and kind)'],
      [1, 'is the string "just text", not a Kubernetes object (a mapping with apiVersion and kind)'],
    ]);
  });

  test('an object without kind is reported with its document index', () => {
    const { errors } = parseManifestText('kind: A\n---\napiVersion: v1\nmetadata: {name: x}\n', 'f.yaml');
    expect(errors).toEqual([{ file: 'f.yaml', index: 1, message: expect.stringMatching(/^object has no "kind"/) }]);
  });

  test('a non-string kind is reported', () => {
    const { errors } = parseManifestText('kind: 5\n', 'f.yaml');
    expect(errors[0].message).toBe('"kind" must be a string, not a number');
  });

  test('a binary file is not read as text', () => {
    const { objects, errors } = parseManifestText('kind: A\u0000\u0001', 'f.yaml');
    expect(objects).toEqual([]);
    expect(errors[0].message).toMatch(/not a text file/);
  });
});

describe('manifest-loader | JSON and List kinds', () => {
  test('expands a List into its items, with their positions', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n  - kind: A\n  - kind: B\n';
    const { objects } = parseManifestText(text, 'f.yaml');
    expect(objects.map((o) => [o.object.kind, o.index, o.item, o.line])).toEqual([['A', 0, 0, 4], ['B', 0, 1, 5]]);
  });

  test('expands typed lists such as NetworkPolicyList', () => {
    const { objects } = parseManifestText(JSON.stringify({ kind: 'NetworkPolicyList', items: [{ kind: 'NetworkPolicy' }] }), 'f.json', 'json');
    expect(objects.map((o) => [o.object.kind, o.item])).toEqual([['NetworkPolicy', 0]]);
  });

  test('items of a typed list without kind get the list\'s item kind and apiVersion, as the API returns them', () => {
    const list = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicyList', items: [{ metadata: { name: 'a' } }] };
    const { objects, errors } = parseManifestText(JSON.stringify(list), 'f.json', 'json');
    expect(errors).toEqual([]);
    expect(objects[0].object).toEqual({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'a' } });
  });

  test('a kind ending in List without items is an ordinary object', () => {
    const { objects } = parseManifestText('kind: AllowList\nspec: {}\n', 'f.yaml');
    expect(objects.map((o) => [o.object.kind, o.item])).toEqual([['AllowList', undefined]]);
  });

  test('list items without kind are reported with the item index', () => {
    const { errors } = parseManifestText(JSON.stringify({ kind: 'List', items: [{ kind: 'A' }, { metadata: {} }, 7] }), 'f.json', 'json');
    expect(errors.map((e) => [e.index, e.item])).toEqual([[0, 1], [0, 2]]);
  });

  test('a truncated JSON file is a clear error', () => {
    const { objects, errors } = loadManifests([fixture('truncated.json')]);
    expect(objects).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(formatLoadError(errors[0])).toMatch(/truncated\.json: document 0: not valid JSON: /);
  });

  test('a JSON syntax error gives the line and column', () => {
    // a missing comma: the parser reports the position of the next property
    const { errors } = parseManifestText('{\n  "kind": "A"\n  "x": 1\n}\n', 'f.json', 'json');
    expect(errors[0].message).toBe("not valid JSON: line 3, column 3: Expected ',' or '}' after property value in JSON");
  });

  test('JSON-looking text in a .yaml file is read as JSON', () => {
    const { objects } = parseManifestText('{"kind": "A", "n": 1}', 'f.yaml');
    expect(objects[0].object).toEqual({ kind: 'A', n: 1 });
  });

  test('YAML flow style that is not JSON is still read as YAML', () => {
    const { objects, errors } = parseManifestText('{kind: A, count: 1}', 'f.yaml');
    expect(errors).toEqual([]);
    expect(objects[0].object).toEqual({ kind: 'A', count: 1 });
  });
});

describe('manifest-loader | files and directories', () => {
  test('reads a directory as kubectl apply -f does: its own manifest files, hidden ones included, in sorted order', () => {
    const { files, errors, warnings } = collectFiles([fixture('tree')]);
    expect(errors).toEqual([]);
    expect(files.map((f) => path.relative(fixture('tree'), f))).toEqual(['a.yaml']);
    // the subdirectories holding manifests are named, with the way to read them
    expect(warnings.map((w) => path.relative(fixture('tree'), w.file))).toEqual(['.hidden', 'sub']);
    expect(warnings[0].message).toMatch(/pass -R \(--recursive\) to read subdirectories, as kubectl apply -R does/);
  });

  test('with recursive, walks subdirectories in kubectl\'s (filepath.Walk) order, hidden ones included', () => {
    const { files, errors, warnings } = collectFiles([fixture('tree')], { recursive: true });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(files.map((f) => path.relative(fixture('tree'), f))).toEqual([path.join('.hidden', 'x.yaml'), 'a.yaml', path.join('sub', 'b.yml'), path.join('sub', 'c.json')]);
  });

  test('an explicit file is read whatever its extension', () => {
    const { files } = collectFiles([fixture('tree', 'notes.txt')]);
    expect(files).toEqual([fixture('tree', 'notes.txt')]);
  });

  test('a file given twice is read once', () => {
    const f = fixture('tree', 'a.yaml');
    expect(collectFiles([f, f]).files).toEqual([f]);
  });

  test('a missing path is an error, not an exception', () => {
    const { objects, errors } = loadManifests([fixture('does-not-exist.yaml')]);
    expect(objects).toEqual([]);
    expect(errors).toEqual([{ file: fixture('does-not-exist.yaml'), message: 'cannot read: no such file or directory' }]);
  });

  test('reads objects of every kind from fixtures', () => {
    const { objects, errors } = loadManifests([fixture('valid')]);
    expect(errors).toEqual([]);
    expect(objects.map((o) => o.object.kind)).toEqual(['Namespace', 'Deployment', 'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'Service']);
  });

  test('"-" reads standard input', () => {
    const { objects } = loadManifests(['-'], { readStdin: () => 'kind: FromStdin\n' });
    expect(objects).toEqual([{ file: '<stdin>', index: 0, line: 1, object: { kind: 'FromStdin' } }]);
  });

  test('a broken document does not hide the good ones before it', () => {
    const { objects, errors } = loadManifests([fixture('broken.yaml')]);
    expect(objects.map((o) => o.object.metadata.name)).toEqual(['ok']);
    expect(errors.map((e) => e.index)).toEqual([1]);
  });
});

describe('cdk8s output directories', () => {
  test('a directory walk skips construct-metadata.json, which cdk8s writes next to the manifests', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-meta-'));
    try {
      fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n');
      fs.writeFileSync(path.join(dir, 'construct-metadata.json'), '{"version":"1.0.0","resources":{}}');
      const loaded = loadManifests([dir]);
      expect(loaded.errors).toEqual([]);
      expect(loaded.objects.map(o => path.basename(o.file))).toEqual(['app.k8s.yaml']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
