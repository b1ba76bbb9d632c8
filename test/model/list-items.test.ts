import { expandList } from '../../src/model/list-items';
import { policy } from '../fixtures/manifests';

describe('List expansion (the one every reader shares)', () => {
  test('an object that is not a list stands for itself', () => {
    const p = policy('shop', 'p', { podSelector: {} });
    expect(expandList(p)).toEqual([{ object: p }]);
  });

  test('items of a typed list without kind get the item kind and the list\'s apiVersion, as the API returns them', () => {
    const { kind, apiVersion, ...item } = policy('shop', 'p', { podSelector: {} });
    const entries = expandList({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicyList', items: [item] });
    expect(entries).toEqual([{ item: 0, object: { ...item, apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' } }]);
    expect(kind).toBe('NetworkPolicy');
    expect(apiVersion).toBe('networking.k8s.io/v1');
  });

  test('lists inside lists are flattened in place, each object keeping its outermost item index', () => {
    const a = policy('shop', 'a', { podSelector: {} });
    const b = policy('shop', 'b', { podSelector: {} });
    const c = policy('shop', 'c', { podSelector: {} });
    const entries = expandList({ kind: 'List', items: [a, { kind: 'List', items: [b, { kind: 'List', items: [c] }] }] });
    expect(entries.map(e => [e.item, e.object.metadata.name])).toEqual([[0, 'a'], [1, 'b'], [1, 'c']]);
  });

  test('a list that contains itself is a problem, never an endless loop', () => {
    const list: any = { kind: 'List', items: [] };
    list.items.push(policy('shop', 'a', { podSelector: {} }), list);
    const entries = expandList(list);
    expect(entries.map(e => e.object?.metadata.name ?? e.problem)).toEqual(['a', 'is a List that contains itself']);
  });

  test('an item that is not an object is a problem', () => {
    expect(expandList({ kind: 'List', items: [null, 'x', [1]] }).map(e => e.problem)).toEqual([
      'is null, not a Kubernetes object', 'is a string, not a Kubernetes object', 'is a list, not a Kubernetes object',
    ]);
  });
});
