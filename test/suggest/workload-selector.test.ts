import { workloadSelection } from '../../src/suggest/workload-selector';

const others = (entries: [string, Record<string, string>][]) => new Map(entries);

describe('workloadSelection', () => {
  test('one preferred label when it tells the workload apart', () => {
    expect(workloadSelection({ 'team': 'a', 'app': 'web', 'app.kubernetes.io/name': 'web' }, others([['ns/db', { app: 'db', team: 'a' }]])))
      .toEqual({ labels: { 'app.kubernetes.io/name': 'web' }, alsoSelects: [] });
  });

  test('per-revision labels are never selected, even when they alone tell pods apart', () => {
    expect(workloadSelection({ 'app': 'web', 'pod-template-hash': '1' }, others([['ns/web-old', { 'app': 'web', 'pod-template-hash': '0' }]])))
      .toEqual({ labels: { app: 'web' }, alsoSelects: ['ns/web-old'] });
  });

  test('the smallest set: two labels when no single one does', () => {
    expect(workloadSelection({ app: 'shop', component: 'x' }, others([['ns/y', { app: 'shop', component: 'y' }], ['ns/z', { app: 'z', component: 'x' }]])))
      .toEqual({ labels: { app: 'shop', component: 'x' }, alsoSelects: [] });
  });

  test('alone in its namespace: its first preferred label, or none when it has none', () => {
    expect(workloadSelection({ tier: 'front', app: 'web' }, others([]))).toEqual({ labels: { app: 'web' }, alsoSelects: [] });
    expect(workloadSelection({}, others([]))).toEqual({ labels: {}, alsoSelects: [] });
  });

  test('no label to tell it apart: every stable label, and what they also select', () => {
    expect(workloadSelection({}, others([['ns/a', { app: 'a' }]]))).toEqual({ labels: {}, alsoSelects: ['ns/a'] });
    expect(workloadSelection({ app: 'web' }, others([['ns/b', { app: 'web', v: '2' }], ['ns/a', { app: 'web' }]])))
      .toEqual({ labels: { app: 'web' }, alsoSelects: ['ns/a', 'ns/b'] });
  });
});
