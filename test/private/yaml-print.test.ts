import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { YamlPrinter } from '../../src/private/yaml-print';

/** A deep copy (new objects, the same JSON). */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

const spec = {
  ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
  podSelector: { matchLabels: { tier: 'web' } },
  policyTypes: ['Ingress'],
};

function policy(i: number, s: unknown = copy(spec)): unknown {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `web-${i}`, namespace: `ns-${i}` }, spec: s };
}

describe('YamlPrinter', () => {
  test('prints like Yaml.stringify, and a recurring pair once', () => {
    const docs = Array.from({ length: 50 }, (_, i) => policy(i));
    const stringify = jest.spyOn(Yaml, 'stringify');
    try {
      const text = new YamlPrinter().print(docs);
      const specPrints = stringify.mock.calls.filter(args => args.length === 1 && Object.keys(args[0] as object).join() === 'spec');
      expect(specPrints).toHaveLength(1);
      stringify.mockRestore();
      expect(text).toBe(Yaml.stringify(...docs));
      expect(text.split('---\n')).toHaveLength(50);
    } finally {
      stringify.mockRestore();
    }
  });

  test('documents it cannot split are printed whole, as Yaml.stringify prints them', () => {
    const shared = { matchLabels: { a: 'b' } };
    const docs: unknown[] = [
      // an object twice in one document: anchors
      { kind: 'A', metadata: shared, spec: { podSelector: shared } },
      { kind: 'A', metadata: shared, spec: { podSelector: shared } },
      // not JSON data
      { kind: 'B', spec: { a: undefined } }, { kind: 'B', spec: { a: undefined } },
      { kind: 'C', spec: { n: NaN, m: -0, i: Infinity } }, { kind: 'C', spec: { n: NaN, m: -0, i: Infinity } },
      { kind: 'D', spec: { at: new Date(0), m: new Map([['k', 'v']]) } }, { kind: 'D', spec: { at: new Date(0), m: new Map([['k', 'v']]) } },
      { kind: 'E', spec: [1, , 3] }, { kind: 'E', spec: [1, , 3] }, // eslint-disable-line no-sparse-arrays
      JSON.parse('{"__proto__":{"a":1},"spec":{"b":2}}'), JSON.parse('{"__proto__":{"a":1},"spec":{"b":2}}'),
      undefined, 'a string', 7, [1, 2], null,
      Object.assign(Object.create(null), { spec: { x: 1 } }), Object.assign(Object.create(null), { spec: { x: 1 } }),
      {}, { spec: {} }, { spec: {} }, { spec: [] }, { spec: [] },
    ];
    expect(new YamlPrinter().print(docs)).toBe(Yaml.stringify(...docs));
    expect(new YamlPrinter().print([])).toBe(Yaml.stringify());
  });

  test('a pair is kept under its JSON: equal text for equal JSON, whatever object carries it', () => {
    const printer = new YamlPrinter();
    const first = printer.print([policy(1), policy(2)]);
    // the same spec object in several documents (no anchors: one document at a time)
    const one = copy(spec);
    const again = printer.print([policy(1, one), policy(2, one), policy(3, { ...copy(spec), policyTypes: ['Egress'] })]);
    expect(first).toBe(Yaml.stringify(policy(1), policy(2)));
    expect(again).toBe(Yaml.stringify(policy(1, one), policy(2, one), policy(3, { ...copy(spec), policyTypes: ['Egress'] })));
  });

  test('equals Yaml.stringify on generated documents with recurring pairs', () => {
    const scalar = fc.oneof(
      fc.constantFrom(null, undefined, true, false, 0, -0, -1, 1.5, 1e21, NaN, Infinity, '', 'yes', 'no', 'on', '~', 'null',
        '0777', '0x1F', '1_000', '1e3', '.inf', '2001-12-14', '<<', '- a', 'a: b', '#c', '"q"', "'s'", 'multi\nline', 'trailing\n',
        ' lead', 'tab\there', '*alias', '&anchor', '!tag', '%dir', '@at', '`tick', '{x}', '[y]', '---', '...', 'ü', '\u0000'),
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.double(),
    );
    const key = fc.oneof(fc.constantFrom('spec', 'metadata', 'data', '1', '10', 'a b', 'yes', '', '__proto__', 'toJSON'), fc.string({ maxLength: 5 }));
    const value = fc.letrec(tie => ({
      value: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    const doc = fc.dictionary(key, value, { maxKeys: 5 });
    // documents drawn from a small pool, copied, so that pairs recur as equal JSON in distinct objects
    const docs = fc.array(doc, { minLength: 1, maxLength: 4 })
      .chain(pool => fc.array(fc.nat(pool.length - 1), { maxLength: 8 }).map(picks => picks.map(i => {
        const d = pool[i];
        return Object.fromEntries(Object.keys(d).map(k => [k, structuredCopy(d[k])]));
      })));
    // how often the printer printed part of a document (the path under test), not the whole
    let parts = 0;
    fc.assert(fc.property(docs, ds => {
      const stringify = jest.spyOn(Yaml, 'stringify');
      let text: string;
      try {
        text = new YamlPrinter().print(ds);
        parts += stringify.mock.calls.filter(args => args.length === 1 && !ds.includes(args[0])).length;
      } finally {
        stringify.mockRestore();
      }
      expect(text).toBe(Yaml.stringify(...ds));
    }), { numRuns: 400 });
    expect(parts).toBeGreaterThan(100);
  });
});

/** A deep copy that keeps what JSON would lose (undefined, -0, NaN): new objects, the same values. */
function structuredCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(structuredCopy);
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: unknown } = {};
  for (const k of Object.keys(value)) {
    Object.defineProperty(out, k, { value: structuredCopy((value as any)[k]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
