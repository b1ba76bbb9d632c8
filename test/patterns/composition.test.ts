import { Chart, Testing } from 'cdk8s';
import {
  AllowDns, AllowEgressTo, AllowFromNamespace, AllowMonitoring, AllowSameNamespace, BlockMetadata, ClusterModel, DefaultDeny,
  DenyExternalEgress, Direction, LabelSelector, NamespaceBaseline, Peer, Policy, Port, Protocol, SameNamespaceOnly, TieredApp,
} from '../../src';
import { pod } from '../fixtures/manifests';

/** The cluster around the `shop` namespace: two shop pods, pods in two other namespaces, Prometheus and CoreDNS. */
const PODS = [
  pod('shop', 'a', { app: 'a', tier: 'web' }, { ports: [{ containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }),
  pod('shop', 'b', { app: 'b', tier: 'api' }, { ports: [{ containerPort: 8080 }] }),
  pod('frontend', 'x', { app: 'x' }, { ports: [{ containerPort: 80 }] }),
  pod('elsewhere', 'outsider', { app: 'outsider' }),
  pod('monitoring', 'prometheus', { 'app.kubernetes.io/name': 'prometheus' }),
  pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, { ports: [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53 }] }),
];

/** The world of a chart in `shop` with the baseline first, then what `add` creates. */
function withBaseline(add: (chart: Chart) => void): ClusterModel {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  new NamespaceBaseline(chart, 'Baseline');
  add(chart);
  return ClusterModel.fromObjects([...chart.toJson(), ...PODS]);
}

describe('every allow pattern on top of NamespaceBaseline allows its intended flow', () => {
  const cases: [string, (chart: Chart) => void, { from: string; to: string; port: number; protocol?: Protocol }][] = [
    ['AllowSameNamespace', c => new AllowSameNamespace(c, 'Same'), { from: 'shop/a', to: 'shop/b', port: 8080 }],
    ['AllowSameNamespace with a podSelector and ports',
      c => new AllowSameNamespace(c, 'Same', { podSelector: LabelSelector.labels({ app: 'b' }), ports: [Port.tcp(8080)] }),
      { from: 'shop/a', to: 'shop/b', port: 8080 }],
    ['AllowFromNamespace', c => new AllowFromNamespace(c, 'From', { fromNamespace: 'frontend' }), { from: 'frontend/x', to: 'shop/a', port: 8080 }],
    ['AllowMonitoring', c => new AllowMonitoring(c, 'Scrape', { ports: [Port.named('metrics')] }), { from: 'monitoring/prometheus', to: 'shop/a', port: 9090 }],
    ['AllowEgressTo (an address)', c => new AllowEgressTo(c, 'Out', { to: [Peer.ipBlock('203.0.113.0/24')], ports: [Port.HTTPS] }),
      { from: 'shop/a', to: '203.0.113.7', port: 443 }],
    ['AllowEgressTo (another namespace)', c => new AllowEgressTo(c, 'Out', { to: [Peer.namespace('frontend')], ports: [Port.tcp(80)] }),
      { from: 'shop/a', to: 'frontend/x', port: 80 }],
    ['AllowDns', c => new AllowDns(c, 'Dns'), { from: 'shop/a', to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP }],
    ['TieredApp', c => new TieredApp(c, 'App', {
      entry: [], tiers: [{ name: 'web', ports: [Port.tcp(8080)] }, { name: 'api', ports: [Port.tcp(8080)] }],
    }), { from: 'shop/a', to: 'shop/b', port: 8080 }],
    ['SameNamespaceOnly', c => new SameNamespaceOnly(c, 'Sandbox'), { from: 'shop/b', to: 'shop/a', port: 8080 }],
    ['DenyExternalEgress', c => new DenyExternalEgress(c, 'NoInternet'), { from: 'shop/a', to: '10.20.0.5', port: 5432 }],
    ['BlockMetadata (allowInternet)', c => new BlockMetadata(c, 'Internet'), { from: 'shop/a', to: '8.8.8.8', port: 443 }],
  ];

  test.each(cases)('%s', (_name, add, flow) => {
    const model = withBaseline(add);
    const verdict = model.allowed(flow);
    if (!verdict.allowed) throw new Error(`intended flow denied:\n${verdict.explanation}`);
    // and the baseline still holds elsewhere: nothing reaches the shop from a namespace nobody opened
    expect(model.allowed({ from: 'elsewhere/outsider', to: 'shop/b', port: 8080 }).allowed).toBe(false);
  });

  test('without the baseline, AllowSameNamespace stays one ingress policy (nothing else becomes isolated)', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const same = new AllowSameNamespace(chart, 'Same');
    expect(same.egressPolicy).toBeUndefined();
    expect(chart.toJson().filter(o => o.kind === 'NetworkPolicy').map(o => o.spec.policyTypes)).toEqual([['Ingress']]);
  });

  test('AllowSameNamespace opens the sending side for every pod of the namespace, on its ports only', () => {
    const model = withBaseline(c => new AllowSameNamespace(c, 'Same', { podSelector: LabelSelector.labels({ app: 'b' }), ports: [Port.tcp(8080)] }));
    expect(model.allowed({ from: 'shop/a', to: 'shop/b', port: 9090 }).allowed).toBe(false);
    expect(model.allowed({ from: 'shop/b', to: 'shop/a', port: 8080 }).allowed).toBe(false);
  });

  test('AllowSameNamespace created before a baseline that denies egress fails synthesis, saying why and what to do', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new AllowSameNamespace(chart, 'Same');
    new DefaultDeny(chart, 'Deny', { directions: [Direction.EGRESS] });
    expect(() => chart.toJson()).toThrow(/AllowSameNamespace opens ingress only, but test\/Deny \(created after it\) isolates every pod of namespace shop for egress.*set `egress: true`/);
    // saying which you mean settles it
    const explicit = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new AllowSameNamespace(explicit, 'Same', { egress: false });
    new DefaultDeny(explicit, 'Deny', { directions: [Direction.EGRESS] });
    expect(explicit.toJson().filter(o => o.kind === 'NetworkPolicy')).toHaveLength(2);
  });

  test('AllowEgressTo opens the sending side only: to a pod of the isolated namespace it needs that pod\'s ingress too', () => {
    const alone = withBaseline(c => new AllowEgressTo(c, 'ToB', { to: [Peer.pods({ app: 'b' })], ports: [Port.tcp(8080)] }));
    const verdict = alone.allowed({ from: 'shop/a', to: 'shop/b', port: 8080 });
    expect([verdict.egress.allowed, verdict.ingress.allowed]).toEqual([true, false]);
    const paired = withBaseline(c => {
      new AllowEgressTo(c, 'ToB', { to: [Peer.pods({ app: 'b' })], ports: [Port.tcp(8080)] });
      new Policy(c, 'BFromA', { podSelector: LabelSelector.labels({ app: 'b' }), ingress: [{ from: [Peer.pods({ app: 'a' })], ports: [Port.tcp(8080)] }] });
    });
    expect(paired.allowed({ from: 'shop/a', to: 'shop/b', port: 8080 }).allowed).toBe(true);
  });
});
