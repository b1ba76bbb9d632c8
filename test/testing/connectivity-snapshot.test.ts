import { Testing } from 'cdk8s';
import { NamespaceBaseline } from '../../src/patterns/namespace-baseline';
import { connectivitySnapshotText, registerConnectivitySnapshotMatcher, toMatchConnectivitySnapshot } from '../../src/testing';

registerConnectivitySnapshotMatcher();

const OBJECTS = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'x', labels: { app: 'web' } } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'x', labels: { app: 'db' } } },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace: 'x' },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }] }],
    },
  },
];

describe('toMatchConnectivitySnapshot', () => {
  test('stores the flow list through Jest\'s snapshots', () => {
    expect(OBJECTS).toMatchConnectivitySnapshot();
    expect(connectivitySnapshotText(OBJECTS)).toBe('x/web => x/db : TCP 5432\n');
  });

  test('a chart with only policies pins their meaning through representative endpoints', () => {
    const chart = Testing.chart();
    new NamespaceBaseline(chart, 'Baseline', { namespace: 'shop' });
    expect(chart).toMatchConnectivitySnapshot();
    expect(connectivitySnapshotText(chart)).toContain('shop/* => kube-system/{k8s-app=kube-dns} : TCP 53; UDP 53\n');
  });

  test('stores a line saying so when nothing is allowed', () => {
    expect(connectivitySnapshotText([OBJECTS[0], { ...OBJECTS[2], spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }])).toBe('No allowed flows.\n');
  });

  test('throws if negated', () => {
    expect(() => expect(OBJECTS).not.toMatchConnectivitySnapshot()).toThrow(/cannot be negated/);
  });

  test('throws if given something that is not a cluster', () => {
    expect(() => toMatchConnectivitySnapshot.call({ isNot: false } as any, 42)).toThrow(/expected a cdk8s Chart or App, an array of Kubernetes objects, or a ClusterModel; received number/);
  });

  test('registering throws if Jest\'s expect is not given', () => {
    expect(() => registerConnectivitySnapshotMatcher({} as any)).toThrow(/Jest's expect is not available/);
  });
});
