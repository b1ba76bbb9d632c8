import { Chart, Testing } from 'cdk8s';
import { Policy } from '../../src';
import { props } from '../../src/private/runtime-check';

/** A props object whose keys answer differently each time they are listed, counting the listings. */
function shiftyProps(): { value: object; listings: () => number } {
  let listings = 0;
  const target: { [key: string]: unknown } = { namespace: 'shop', evil: 'x' };
  const value = new Proxy(target, {
    ownKeys: () => (++listings === 1 ? ['namespace'] : ['namespace', 'evil']),
  });
  return { value, listings: () => listings };
}

describe('props', () => {
  test('lists the caller\'s keys once: the snapshot and the check of unknown props read the same list', () => {
    // GIVEN props whose second listing of keys would show an unknown prop
    const { value, listings } = shiftyProps();
    // WHEN they are checked
    const copy = props<{ namespace?: string }>('Test', 'props', value, ['namespace']);
    // THEN the keys were listed once, and the snapshot holds what that listing showed
    expect(listings()).toBe(1);
    expect(Object.keys(copy)).toEqual(['namespace']);
    expect(Object.getPrototypeOf(copy)).toBeNull();
    expect(copy.namespace).toBe('shop');
  });

  test('fails on an unknown prop in the one listing, naming it', () => {
    expect(() => props('Test', 'props', { namespace: 'shop', nmespace: 'x' }, ['namespace']))
      .toThrow(/props\.nmespace: unknown prop "nmespace"; did you mean `namespace`\?/);
  });

  test('a Policy lists the keys of its props once', () => {
    const chart = new Chart(Testing.app(), 'c');
    const { value, listings } = shiftyProps();
    const policy = new Policy(chart, 'P', value as any);
    expect(listings()).toBe(1);
    expect(policy.namespace).toBe('shop');
  });
});
