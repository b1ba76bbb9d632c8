import { BoundedCache } from '../../src/private/bounded-cache';

describe('BoundedCache', () => {
  test('computes a key once, undefined values included', () => {
    const cache = new BoundedCache<string, string | undefined>();
    const compute = jest.fn((k: string) => (k === 'none' ? undefined : k.toUpperCase()));
    expect([cache.get('a', compute), cache.get('a', compute), cache.get('none', compute), cache.get('none', compute)])
      .toEqual(['A', 'A', undefined, undefined]);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  test('stops keeping new keys at its limit, and still answers them', () => {
    const cache = new BoundedCache<number, number>(2);
    const compute = jest.fn((k: number) => k * 10);
    expect([1, 2, 3, 3, 1].map(k => cache.get(k, compute))).toEqual([10, 20, 30, 30, 10]);
    expect(compute.mock.calls.map(c => c[0])).toEqual([1, 2, 3, 3]);
  });
});
