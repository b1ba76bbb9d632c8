import { parseManifestText } from '../../src/io/manifest-loader';

/** The value of `v` in a one-line YAML document, as the loader reads it. */
function read(scalar: string): unknown {
  const { objects, errors } = parseManifestText(`kind: A\nv: ${scalar}\n`, 'f.yaml');
  expect(errors).toEqual([]);
  return objects[0].object.v;
}

describe('go-yaml-schema | plain scalars are read as kubectl (go-yaml v2) reads them', () => {
  test.each([
    // base 60 is YAML 1.1 only: go-yaml keeps the text
    ['1:20', '1:20'],
    ['1:20.5', '1:20.5'],
    ['-1:20', '-1:20'],
    // Go's ParseInt with base 0
    ['0o17', 15],
    ['0O17', 15],
    ['017', 15],
    ['0x1F', 31],
    ['0X1F', 31],
    ['-0x1F', -31],
    ['0b101', 5],
    ['0B101', 5],
    ['1_000', 1000],
    ['+12', 12],
    ['-0', 0],
    ['08', 8],
    ['09', 9],
    // floats: go-yaml's yamlStyleFloat
    ['1e3', 1000],
    ['1.', 1],
    ['.5', 0.5],
    ['+.5', 0.5],
    ['1_000.5', 1000.5],
    // beyond 64 bits: a float
    ['99999999999999999999', 1e20],
    ['18446744073709551615', 18446744073709551615],
    // out of range or malformed: the text
    ['1e400', '1e400'],
    ['.', '.'],
    ['-.', '-.'],
    ['0x', '0x'],
    ['1.2.3', '1.2.3'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    // timestamps stay strings
    ['2001-12-14', '2001-12-14'],
    ['2001-12-14T21:59:43.10-05:00', '2001-12-14T21:59:43.10-05:00'],
    // booleans: go-yaml's list, which is YAML 1.1's
    ['y', true],
    ['Y', true],
    ['yes', true],
    ['on', true],
    ['ON', true],
    ['n', false],
    ['No', false],
    ['off', false],
    ['true', true],
    ['FALSE', false],
    ['yEs', 'yEs'],
    // nulls
    ['~', null],
    ['null', null],
    ['NULL', null],
    ['', null],
    // quoted text is always a string
    ['"1:20"', '1:20'],
    ["'010'", '010'],
    ['"y"', 'y'],
  ])('%s is read as %p', (scalar, expected) => {
    expect(read(scalar)).toEqual(expected);
  });

  test('!!binary is the decoded text', () => {
    expect(read('!!binary aGVsbG8=')).toBe('hello');
  });

  test('merge keys merge, and an explicit key overrides a merged one without a duplicate-key error', () => {
    const { objects, errors } = parseManifestText('base: &b {a: 1, b: 2}\nkind: A\nv:\n  <<: *b\n  b: 3\n', 'f.yaml');
    expect(errors).toEqual([]);
    expect(objects[0].object.v).toEqual({ a: 1, b: 3 });
  });

  test('!!set and !!omap are ordinary collections, as in go-yaml', () => {
    const { objects } = parseManifestText('kind: A\ns: !!set {a, b}\no: !!omap [{a: 1}]\n', 'f.yaml');
    expect(objects[0].object.s).toEqual({ a: null, b: null });
    expect(objects[0].object.o).toEqual([{ a: 1 }]);
  });

  test.each(['.inf', '-.inf', '.NaN'])('%s is refused: kubectl cannot write it as JSON', (scalar) => {
    const { objects, errors } = parseManifestText(`kind: A\nv: ${scalar}\n`, 'f.yaml');
    expect(objects).toEqual([]);
    expect(errors[0].message).toMatch(/^v: the YAML number -?\.(inf|nan) cannot be written as JSON, so kubectl refuses it/);
  });

  test('a boolean key becomes the string key sigs.k8s.io/yaml makes of it, with a warning', () => {
    const { objects, warnings } = parseManifestText('kind: A\nmetadata:\n  labels:\n    n: x\n', 'f.yaml');
    expect(objects[0].object.metadata.labels).toEqual({ false: 'x' });
    expect(warnings).toEqual([{
      file: 'f.yaml',
      index: 0,
      message: 'line 4: the key n is read as the boolean false, so it becomes the key "false" (YAML 1.1, as kubectl reads it); write "n" in quotes if you meant the string',
    }]);
  });

  test('a yes/no value outside metadata and NetworkPolicies is read without a warning (a boolean field is common there)', () => {
    const { warnings } = parseManifestText('kind: Deployment\nspec:\n  paused: yes\n', 'f.yaml');
    expect(warnings).toEqual([]);
  });
});
