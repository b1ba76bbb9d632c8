import * as fc from 'fast-check';
import { canonical } from '../../src/private/canonical';

/** A deep copy with every object's keys inserted in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).reverse().map(k => [k, reversed((value as any)[k])]));
}

describe('canonical', () => {
  test('is JSON of the same value, and ignores key order, for any JSON value (and undefined members)', () => {
    const json = fc.letrec(tie => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, undefined, true, false, 0, -1, 1.5, ''),
        fc.string(),
        fc.integer(),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 5 }),
      ),
    })).value;
    fc.assert(fc.property(fc.oneof(fc.array(json), fc.dictionary(fc.string(), json)), v => {
      expect(JSON.parse(canonical(v))).toEqual(JSON.parse(JSON.stringify(v)));
      expect(canonical(reversed(v))).toBe(canonical(v));
    }), { numRuns: 500 });
  });

  test('values that differ only in key order give one string; different values differ', () => {
    expect(canonical({ b: { y: 1, x: [2, { q: 1, p: 2 }] }, a: 'z' })).toBe(canonical({ a: 'z', b: { x: [2, { p: 2, q: 1 }], y: 1 } }));
    expect(canonical({ a: '1' })).not.toBe(canonical({ a: 1 }));
    expect(canonical({ 'a"b': 1 })).toBe('{"a\\"b":1}');
  });
});
