import { readNetworkPolicy } from '../../src/model/network-policy';
import { Selector } from '../../src/model/selector';

/** A selector through the one path: validated as a policy's podSelector, then compiled. */
function parse(raw: any): Selector {
  const read = readNetworkPolicy({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'x' }, spec: { podSelector: raw } }, { defaultNamespace: 'default' });
  if (!read.policy) throw new Error(read.errors.map(e => `${e.field}: ${e.type}: ${JSON.stringify(e.value)}: ${e.detail}`).join('; '));
  return read.policy.podSelector;
}

describe('Selector | matching', () => {
  test('an empty or missing selector matches everything', () => {
    expect(parse({}).matches({})).toBe(true);
    expect(parse(undefined).matches({ app: 'web' })).toBe(true);
    expect(parse({}).isEmpty).toBe(true);
  });

  test('matchLabels needs every label with its exact value', () => {
    const s = parse({ matchLabels: { app: 'web', tier: 'front' } });
    expect(s.matches({ app: 'web', tier: 'front', extra: 'x' })).toBe(true);
    expect(s.matches({ app: 'web' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'back' })).toBe(false);
  });

  test('In needs the key with one of the values', () => {
    const s = parse({ matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] });
    expect(s.matches({ app: 'b' })).toBe(true);
    expect(s.matches({ app: 'c' })).toBe(false);
    expect(s.matches({})).toBe(false);
  });

  test('NotIn matches when the key is absent or has none of the values', () => {
    const s = parse({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] });
    expect(s.matches({})).toBe(true);
    expect(s.matches({ app: 'b' })).toBe(true);
    expect(s.matches({ app: 'a' })).toBe(false);
  });

  test('Exists and DoesNotExist test the key only, whatever its value', () => {
    expect(parse({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }).matches({ app: '' })).toBe(true);
    expect(parse({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }).matches({ other: 'app' })).toBe(false);
    expect(parse({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }).matches({ other: 'x' })).toBe(true);
    expect(parse({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }).matches({ app: 'x' })).toBe(false);
  });

  test('matchLabels and matchExpressions are ANDed', () => {
    const s = parse({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] });
    expect(s.matches({ app: 'web', env: 'prod' })).toBe(true);
    expect(s.matches({ app: 'web', env: 'dev' })).toBe(false);
    expect(s.matches({ app: 'db', env: 'prod' })).toBe(false);
  });

  test('a null label value never reaches the model: the server and kubectl apply read it differently', () => {
    expect(() => parse({ matchLabels: { app: null } })).toThrow(/matchLabels\[app\]: Invalid value: null: .*kubectl apply deletes the key/);
  });

  test('label values that YAML read as numbers never reach the model: the validator rejects them', () => {
    expect(() => parse({ matchLabels: { version: 1 } })).toThrow(/spec.podSelector.matchLabels\[version\]: Invalid value: 1: must be a string/);
  });
});

describe('Selector | long value lists (looked up in a set)', () => {
  const names = Array.from({ length: 40 }, (_, i) => `team-${String(i).padStart(3, '0')}`);
  const list = (operator: string, values: string[]) => parse({ matchExpressions: [{ key: 'team', operator, values }, { key: 'app', operator: 'In', values: ['web'] }] });

  test('In and NotIn with many values answer as the value list says, for values in, out of and near the list', () => {
    const probes = [...names, 'team-040', 'team-00', 'team-0000', 'Team-001', '', 'team-001 '];
    for (const count of [1, 8, 9, 40]) {
      const values = names.slice(0, count);
      const into = list('In', values);
      const outOf = list('NotIn', values);
      for (const value of probes) {
        expect(into.matches({ team: value, app: 'web' })).toBe(values.includes(value));
        expect(outOf.matches({ team: value, app: 'web' })).toBe(!values.includes(value));
        // the other requirement still applies
        expect(into.matches({ team: value, app: 'db' })).toBe(false);
        expect(outOf.matches({ team: value, app: 'db' })).toBe(false);
      }
      expect(into.matches({ app: 'web' })).toBe(false);
      expect(outOf.matches({ app: 'web' })).toBe(true);
    }
  });

  test('a label inherited from the prototype is not the key (constructor, toString)', () => {
    const s = parse({ matchExpressions: [{ key: 'constructor', operator: 'NotIn', values: names }] });
    expect(s.matches({})).toBe(true);
    expect(parse({ matchExpressions: [{ key: 'constructor', operator: 'In', values: names }] }).matches({})).toBe(false);
  });
});

describe('Selector | canonical form', () => {
  test('equal selectors have equal keys, whatever the order or form', () => {
    const a = parse({ matchLabels: { b: '2', a: '1' } });
    const b = parse({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }, { key: 'b', operator: 'In', values: ['2'] }] });
    expect(a.key).toEqual(b.key);
    expect(parse({ matchExpressions: [{ key: 'k', operator: 'In', values: ['y', 'x', 'x'] }] }).key)
      .toEqual(parse({ matchExpressions: [{ key: 'k', operator: 'In', values: ['x', 'y'] }] }).key);
  });

  test('prints in kubectl syntax', () => {
    expect(parse({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['db', 'api'] },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    }).toString()).toEqual('{app=web,tier in (api,db),env notin (dev),team,!legacy}');
    expect(parse({}).toString()).toEqual('{}');
  });
});

describe('Selector | invalid selectors never become a model', () => {
  test('an unknown operator is an error', () => {
    expect(() => parse({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] }))
      .toThrow('spec.podSelector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator (supported: In, NotIn, Exists, DoesNotExist)');
  });

  test('throws for In or NotIn without values', () => {
    expect(() => parse({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] }))
      .toThrow(/matchExpressions\[0\].values: Required value/);
  });

  test('throws for Exists or DoesNotExist with values', () => {
    expect(() => parse({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }))
      .toThrow(/matchExpressions\[0\].values: Forbidden/);
  });

  test('throws for an expression without a key, or a selector that is not an object', () => {
    expect(() => parse({ matchExpressions: [{ operator: 'Exists' }] })).toThrow(/matchExpressions\[0\].key: Invalid value: "": name part must be non-empty/);
    expect(() => parse('app=web')).toThrow(/spec.podSelector: Invalid value: "app=web": must be an object, not a string/);
  });

  test('values that are not a list are an error, never read as characters', () => {
    expect(() => parse({ matchExpressions: [{ key: 'a', operator: 'In', values: 'x' }] })).toThrow(/values: Invalid value: "x": must be a list/);
  });
});
