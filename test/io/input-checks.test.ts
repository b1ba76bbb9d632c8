import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scanJsonText } from '../../src/io/json-scan';
import { collectFiles, loadManifests } from '../../src/io/manifest-loader';
import { checkParsedValue } from '../../src/io/parsed-value-check';
import { quote } from '../../src/io/quote';
import { firstInvalidUtf8Offset } from '../../src/io/read-input';

describe('json-scan | what JSON.parse lets through', () => {
  test('finds a duplicate key with its path and line', () => {
    expect(scanJsonText('{\n"spec": {"ingress": [{"from": [], "ports": [],\n"from": [1]}]}}', 200))
      .toEqual({ line: 3, message: expect.stringMatching(/^duplicate key "from" in spec\.ingress\[0\] at line 3: kubectl's strict decoding rejects duplicate fields/) });
  });

  test('sees duplicates written with different escapes', () => {
    expect(scanJsonText('{"a": 1, "\\u0061": 2}', 200)?.message).toMatch(/^duplicate key "a" in the top level/);
  });

  test('the same key in sibling objects is no duplicate, and strings holding quotes and brackets are skipped', () => {
    expect(scanJsonText('[{"a": "x\\"{["}, {"a": "]}\\\\"}, {"b": {"a": 1}, "a": 2}]', 200)).toBeUndefined();
  });

  test('refuses nesting deeper than the limit', () => {
    expect(scanJsonText(`{"a": ${'['.repeat(10)}${']'.repeat(10)}}`, 5)?.message).toMatch(/^nested more than 5 levels deep at line 1 \(in a\[0\]\[0\]\[0\]\[0\]\)/);
  });
});

describe('parsed-value-check | cycles, depth, numbers JSON cannot hold', () => {
  test('a cycle is named by its path', () => {
    const m: any = { name: 'a' };
    m.labels = { x: m };
    expect(checkParsedValue({ metadata: m }, 200)).toMatch(/^metadata\.labels\.x contains itself/);
  });

  test('a shared (acyclic) value is fine', () => {
    const shared = { a: 1 };
    expect(checkParsedValue({ x: shared, y: [shared, shared] }, 200)).toBeUndefined();
  });

  test('depth is counted without recursion, however deep', () => {
    let deep: any = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(checkParsedValue(deep, 200)).toMatch(/^nested more than 200 levels deep/);
  });

  test('NaN and infinities are refused with their path', () => {
    expect(checkParsedValue({ a: [1, Infinity] }, 200)).toMatch(/^a\[1\]: the YAML number \.inf cannot be written as JSON/);
    expect(checkParsedValue({ a: NaN }, 200)).toMatch(/^a: the YAML number \.nan/);
  });
});

describe('quote | values in messages', () => {
  test('cuts a long value and says how much is left out', () => {
    expect(quote('x'.repeat(100), 10)).toBe('"xxxxxxxxxx"... (90 more characters)');
  });

  test('escapes control characters', () => {
    expect(quote('a\nb\u001b')).toBe('"a\\nb\\u001b"');
  });
});

describe('read-input | UTF-8', () => {
  test.each([
    [[0x61, 0x62], -1],
    [[0x61, 0xe9, 0x62], 1],
    [[0xc3, 0xa9, 0xff], 2],
    [[0x61, 0xe2, 0x82], 1],
    [[0xed, 0xa0, 0x80], 0],
  ])('the first invalid byte of %j is at %d', (bytes, offset) => {
    expect(firstInvalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });

  test('finds the offset far into a large buffer', () => {
    const buf = Buffer.alloc(200_000, 0x61);
    buf[150_001] = 0xff;
    expect(firstInvalidUtf8Offset(buf)).toBe(150_001);
  });
});

describe('manifest-loader | listing files', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-list-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a file named twice, through another path or a symbolic link, is read once', () => {
    const file = path.join(dir, 'a.yaml');
    fs.writeFileSync(file, 'kind: A\n');
    fs.symlinkSync(file, path.join(dir, 'link.yaml'));
    const other = path.join(dir, '.', 'a.yaml').replace(dir, `${dir}/../${path.basename(dir)}`);
    const { files } = collectFiles([file, other, path.join(dir, 'link.yaml'), dir]);
    expect(files).toEqual([file]);
  });

  test('lists 5,000 files in directory order', () => {
    const tree = path.join(dir, 'many');
    fs.mkdirSync(tree);
    for (let i = 0; i < 5000; i++) fs.writeFileSync(path.join(tree, `f${String(i).padStart(5, '0')}.yaml`), '');
    const { files, errors } = collectFiles([tree, tree]);
    expect(errors).toEqual([]);
    expect(files).toHaveLength(5000);
    expect(files[0]).toBe(path.join(tree, 'f00000.yaml'));
    expect(files[4999]).toBe(path.join(tree, 'f04999.yaml'));
  });

  test('a directory nested deeper than the call stack is walked', () => {
    let deep = path.join(dir, 'deep');
    const top = deep;
    for (let i = 0; i < 200; i++) deep = path.join(deep, 'd');
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, 'x.yaml'), 'kind: A\n');
    expect(loadManifests([top], { recursive: true }).objects.map((o) => o.object.kind)).toEqual(['A']);
  });
});
