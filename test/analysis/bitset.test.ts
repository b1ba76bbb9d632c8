import { Bitset } from '../../src/analysis/bitset';

describe('Bitset', () => {
  test('adds ranges within and across words', () => {
    const set = new Bitset(100);
    set.addRange(3, 5);
    set.addRange(30, 70);
    set.addRange(99, 100);
    set.addRange(10, 10);
    expect(set.toArray()).toEqual([3, 4, ...Array.from({ length: 40 }, (_, i) => 30 + i), 99]);
    expect(set.count()).toBe(43);
  });

  test('set operations work in place', () => {
    const a = Bitset.of(70, [1, 2, 40, 69]);
    const b = Bitset.of(70, [2, 40, 41]);
    expect(a.clone().or(b).toArray()).toEqual([1, 2, 40, 41, 69]);
    expect(a.clone().and(b).toArray()).toEqual([2, 40]);
    expect(a.clone().andNot(b).toArray()).toEqual([1, 69]);
    expect(a.clone().keepRange(2, 41).toArray()).toEqual([2, 40]);
    expect(a.toArray()).toEqual([1, 2, 40, 69]);
  });

  test('full, empty and membership', () => {
    expect(Bitset.full(33).count()).toBe(33);
    expect(Bitset.full(33).has(32)).toBe(true);
    expect(new Bitset(33).isEmpty()).toBe(true);
    expect(Bitset.of(33, [31]).has(31)).toBe(true);
    expect(Bitset.of(33, [31]).has(30)).toBe(false);
  });
});
