import { Chart, Testing } from 'cdk8s';
import {
  AllowDns, AllowFromNamespace, AllowMonitoring, AllowSameNamespace, BlockMetadata, DefaultDeny, DenyExternalEgress,
  Direction, LabelSelector, NamespaceBaseline, Peer, Policy, Port, Protocol, SameNamespaceOnly, TieredApp,
} from '../src';
import { chartIn } from './util';
import { registerNetpolMatchers } from '../src/testing';

registerNetpolMatchers();

/**
 * What each construct means, proved with the connectivity engine on a small cluster:
 * the policies a chart synthesizes plus namespaces and pods.
 */
interface PodSpec {
  readonly ns: string;
  readonly name: string;
  readonly labels?: { [key: string]: string };
  readonly ports?: { name?: string; containerPort: number; protocol?: string }[];
}

function world(chart: Chart, pods: PodSpec[], namespaceLabels: { [ns: string]: { [key: string]: string } } = {}): any[] {
  const namespaces = [...new Set(pods.map(p => p.ns))].map(ns => ({
    apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: namespaceLabels[ns] ?? {} },
  }));
  const podObjects = pods.map(p => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.ns, labels: p.labels ?? { app: p.name } },
    spec: { containers: [{ name: 'main', image: 'x', ports: p.ports ?? [{ containerPort: 80 }] }] },
  }));
  return [...namespaces, ...podObjects, ...Testing.synth(chart)];
}

const DNS: PodSpec = { ns: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' }, ports: [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53 }] };
const METADATA = '169.254.169.254';

describe('DefaultDeny', () => {
  test('denies everything in and out of the namespace, and nothing elsewhere', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'DefaultDeny');
    const objects = world(chart, [{ ns: 'shop', name: 'web' }, { ns: 'shop', name: 'api' }, { ns: 'other', name: 'client' }, { ns: 'other', name: 'server' }]);
    expect(objects).toDenyTraffic({ from: 'shop/web', to: 'shop/api', port: 80 });
    expect(objects).toDenyTraffic({ from: 'other/client', to: 'shop/web', port: 80 });
    expect(objects).toDenyTraffic({ from: 'shop/web', to: '8.8.8.8', port: 443 });
    expect(objects).toAllowTraffic({ from: 'other/client', to: 'other/server', port: 80 });
  });

  test('ingress only leaves egress open', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'DenyIngress', { directions: [Direction.INGRESS] });
    const objects = world(chart, [{ ns: 'shop', name: 'web' }, { ns: 'other', name: 'server' }]);
    expect(objects).toAllowTraffic({ from: 'shop/web', to: 'other/server', port: 80 });
    expect(objects).toDenyTraffic({ from: 'other/server', to: 'shop/web', port: 80 });
  });
});

describe('AllowDns', () => {
  test('with a default deny, exactly DNS on UDP and TCP 53 to kube-dns gets out', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'DefaultDeny', { directions: [Direction.EGRESS] });
    new AllowDns(chart, 'AllowDns');
    const objects = world(chart, [{ ns: 'shop', name: 'web' }, DNS, { ns: 'kube-system', name: 'other', ports: [{ containerPort: 53, protocol: 'UDP' }] }]);
    expect(objects).toAllowTraffic({ from: 'shop/web', to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP });
    expect(objects).toAllowTraffic({ from: 'shop/web', to: 'kube-system/coredns', port: 53, protocol: Protocol.TCP });
    expect(objects).toDenyTraffic({ from: 'shop/web', to: 'kube-system/coredns', port: 54, protocol: Protocol.UDP });
    expect(objects).toDenyTraffic({ from: 'shop/web', to: 'kube-system/other', port: 53, protocol: Protocol.UDP });
    expect(objects).toDenyTraffic({ from: 'shop/web', to: '8.8.8.8', port: 53, protocol: Protocol.UDP });
  });

  test('a NodeLocal DNSCache address is reachable too', () => {
    const chart = chartIn('shop');
    new AllowDns(chart, 'AllowDns', { nodeLocalDnsCidr: '169.254.20.10/32' });
    const objects = world(chart, [{ ns: 'shop', name: 'web' }, DNS]);
    expect(objects).toAllowTraffic({ from: 'shop/web', to: '169.254.20.10', port: 53, protocol: Protocol.UDP });
    expect(objects).toDenyTraffic({ from: 'shop/web', to: '169.254.20.11', port: 53, protocol: Protocol.UDP });
  });
});

describe('BlockMetadata', () => {
  test('everything but the metadata endpoints is reachable', () => {
    const chart = chartIn('shop');
    new BlockMetadata(chart, 'BlockMetadata');
    const objects = world(chart, [{ ns: 'shop', name: 'web' }]);
    expect(objects).toDenyTraffic({ from: 'shop/web', to: METADATA, port: 80 });
    expect(objects).toDenyTraffic({ from: 'shop/web', to: '100.100.100.200', port: 80 });
    expect(objects).toDenyTraffic({ from: 'shop/web', to: 'fd00:ec2::254', port: 80 });
    expect(objects).toAllowTraffic({ from: 'shop/web', to: '8.8.8.8', port: 443 });
    expect(objects).toAllowTraffic({ from: 'shop/web', to: '2001:db8::1', port: 443 });
  });
});

describe('AllowFromNamespace', () => {
  test('AND form: only the named pods of the named namespace, only on the port', () => {
    const chart = chartIn('shop');
    new AllowFromNamespace(chart, 'FromLb', {
      fromNamespace: 'ingress', fromPodLabels: { app: 'lb' }, podSelector: LabelSelector.labels({ app: 'web' }), ports: [Port.tcp(8080)],
    });
    const objects = world(chart, [
      { ns: 'shop', name: 'web', ports: [{ containerPort: 8080 }] },
      { ns: 'ingress', name: 'lb' }, { ns: 'ingress', name: 'debug' }, { ns: 'other', name: 'lb' },
    ]);
    expect(objects).toAllowTraffic({ from: 'ingress/lb', to: 'shop/web', port: 8080 });
    expect(objects).toDenyTraffic({ from: 'ingress/lb', to: 'shop/web', port: 8081 });
    expect(objects).toDenyTraffic({ from: 'ingress/debug', to: 'shop/web', port: 8080 });
    expect(objects).toDenyTraffic({ from: 'other/lb', to: 'shop/web', port: 8080 });
  });

  test('OR form (two peers) is wider than the AND form: the whole namespace, or those pods here', () => {
    const chart = chartIn('shop');
    new Policy(chart, 'Or', {
      podSelector: LabelSelector.labels({ app: 'web' }),
      ingress: [{ from: [Peer.namespace('ingress'), Peer.pods({ app: 'lb' })], ports: [Port.tcp(80)] }],
    });
    const objects = world(chart, [{ ns: 'shop', name: 'web' }, { ns: 'shop', name: 'lb' }, { ns: 'ingress', name: 'debug' }, { ns: 'other', name: 'lb' }]);
    expect(objects).toAllowTraffic({ from: 'ingress/debug', to: 'shop/web', port: 80 });
    expect(objects).toAllowTraffic({ from: 'shop/lb', to: 'shop/web', port: 80 });
    expect(objects).toDenyTraffic({ from: 'other/lb', to: 'shop/web', port: 80 });
  });

  test('by namespace labels', () => {
    const chart = chartIn('shop');
    new AllowFromNamespace(chart, 'FromTeam', { fromNamespaceLabels: { team: 'payments' } });
    const objects = world(chart, [{ ns: 'shop', name: 'web' }, { ns: 'billing', name: 'api' }, { ns: 'other', name: 'api' }], { billing: { team: 'payments' } });
    expect(objects).toAllowTraffic({ from: 'billing/api', to: 'shop/web', port: 80 });
    expect(objects).toDenyTraffic({ from: 'other/api', to: 'shop/web', port: 80 });
  });
});

describe('TieredApp', () => {
  const pods: PodSpec[] = [
    { ns: 'ingress-nginx', name: 'controller' },
    { ns: 'shop', name: 'frontend', labels: { tier: 'frontend' }, ports: [{ containerPort: 8080 }] },
    { ns: 'shop', name: 'backend', labels: { tier: 'backend' }, ports: [{ containerPort: 9000 }] },
    { ns: 'shop', name: 'database', labels: { tier: 'database' }, ports: [{ containerPort: 5432 }] },
    DNS,
  ];

  test('traffic flows only tier to next tier on its ports, plus DNS', () => {
    const chart = chartIn('shop');
    new TieredApp(chart, 'Shop', {
      entry: [Peer.namespace('ingress-nginx')],
      tiers: [{ name: 'frontend', ports: [Port.tcp(8080)] }, { name: 'backend', ports: [Port.tcp(9000)] }, { name: 'database', ports: [Port.tcp(5432)] }],
    });
    const objects = world(chart, pods);
    expect(objects).toAllowTraffic({ from: 'ingress-nginx/controller', to: 'shop/frontend', port: 8080 });
    expect(objects).toAllowTraffic({ from: 'shop/frontend', to: 'shop/backend', port: 9000 });
    expect(objects).toAllowTraffic({ from: 'shop/backend', to: 'shop/database', port: 5432 });
    for (const tier of ['frontend', 'backend', 'database']) {
      expect(objects).toAllowTraffic({ from: `shop/${tier}`, to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP });
    }
    expect(objects).toDenyTraffic({ from: 'ingress-nginx/controller', to: 'shop/backend', port: 9000 });
    expect(objects).toDenyTraffic({ from: 'shop/frontend', to: 'shop/database', port: 5432 });
    expect(objects).toDenyTraffic({ from: 'shop/database', to: 'shop/backend', port: 9000 });
    expect(objects).toDenyTraffic({ from: 'shop/backend', to: 'shop/frontend', port: 8080 });
    expect(objects).toDenyTraffic({ from: 'shop/frontend', to: 'shop/backend', port: 9001 });
    expect(objects).toDenyTraffic({ from: 'shop/database', to: '8.8.8.8', port: 443 });
  });
});

describe('namespace patterns', () => {
  const pods: PodSpec[] = [{ ns: 'shop', name: 'a' }, { ns: 'shop', name: 'b' }, { ns: 'other', name: 'c' }, DNS];

  test('AllowSameNamespace with DefaultDeny: the namespace talks to itself only', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'DefaultDeny', { directions: [Direction.INGRESS] });
    new AllowSameNamespace(chart, 'AllowSameNamespace');
    const objects = world(chart, pods);
    expect(objects).toAllowTraffic({ from: 'shop/a', to: 'shop/b', port: 80 });
    expect(objects).toDenyTraffic({ from: 'other/c', to: 'shop/b', port: 80 });
  });

  test('SameNamespaceOnly confines both directions, DNS aside', () => {
    const chart = chartIn('shop');
    new SameNamespaceOnly(chart, 'Sandbox');
    const objects = world(chart, pods);
    expect(objects).toAllowTraffic({ from: 'shop/a', to: 'shop/b', port: 80 });
    expect(objects).toDenyTraffic({ from: 'shop/a', to: 'other/c', port: 80 });
    expect(objects).toDenyTraffic({ from: 'other/c', to: 'shop/a', port: 80 });
    expect(objects).toAllowTraffic({ from: 'shop/a', to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP });
    expect(objects).toDenyTraffic({ from: 'shop/a', to: '10.0.0.1', port: 80 });
  });

  test('NamespaceBaseline: nothing in or out but DNS, and never metadata', () => {
    const chart = chartIn('shop');
    new NamespaceBaseline(chart, 'Baseline');
    const objects = world(chart, pods);
    expect(objects).toDenyTraffic({ from: 'shop/a', to: 'shop/b', port: 80 });
    expect(objects).toAllowTraffic({ from: 'shop/a', to: 'kube-system/coredns', port: 53, protocol: Protocol.TCP });
    expect(objects).toDenyTraffic({ from: 'shop/a', to: METADATA, port: 80 });
  });

  test('AllowMonitoring: the monitoring namespace scrapes the named port only', () => {
    const chart = chartIn('shop');
    new AllowMonitoring(chart, 'Scrape', { ports: [Port.named('metrics')] });
    const objects = world(chart, [{ ns: 'shop', name: 'a', ports: [{ name: 'metrics', containerPort: 9090 }, { containerPort: 80 }] }, { ns: 'monitoring', name: 'prometheus' }]);
    expect(objects).toAllowTraffic({ from: 'monitoring/prometheus', to: 'shop/a', port: 9090 });
    expect(objects).toAllowTraffic({ from: 'monitoring/prometheus', to: 'shop/a', port: 'metrics' });
    expect(objects).toDenyTraffic({ from: 'monitoring/prometheus', to: 'shop/a', port: 80 });
  });

  test('DenyExternalEgress: private ranges and pods yes, the internet and metadata no', () => {
    const chart = chartIn('shop');
    new DenyExternalEgress(chart, 'NoInternet');
    const objects = world(chart, pods);
    expect(objects).toAllowTraffic({ from: 'shop/a', to: '10.1.2.3', port: 443 });
    expect(objects).toAllowTraffic({ from: 'shop/a', to: 'other/c', port: 80 });
    expect(objects).toDenyTraffic({ from: 'shop/a', to: '8.8.8.8', port: 443 });
    expect(objects).toDenyTraffic({ from: 'shop/a', to: METADATA, port: 80 });
    expect(objects).toDenyTraffic({ from: 'shop/a', to: 'fd00:ec2::254', port: 80 });
    expect(objects).toAllowTraffic({ from: 'shop/a', to: 'fd00::1', port: 80 });
  });
});

describe('ports', () => {
  test('ranges are inclusive, protocols never mix, allTcp is every TCP port only', () => {
    const chart = chartIn('shop');
    new Policy(chart, 'P', { ingress: [{ from: [Peer.anywhere()], ports: [Port.tcpRange(8000, 8080), Port.allUdp()] }] });
    const objects = world(chart, [{ ns: 'shop', name: 'a' }, { ns: 'other', name: 'c' }]);
    expect(objects).toAllowTraffic({ from: 'other/c', to: 'shop/a', port: 8000 });
    expect(objects).toAllowTraffic({ from: 'other/c', to: 'shop/a', port: 8080 });
    expect(objects).toDenyTraffic({ from: 'other/c', to: 'shop/a', port: 8081 });
    expect(objects).toDenyTraffic({ from: 'other/c', to: 'shop/a', port: 8000, protocol: Protocol.SCTP });
    expect(objects).toAllowTraffic({ from: 'other/c', to: 'shop/a', port: 1, protocol: Protocol.UDP });
  });
});

describe('one chart, many namespaces', () => {
  test('constructs with their own namespace isolate only that namespace', () => {
    const chart = new Chart(Testing.app(), 'org');
    new NamespaceBaseline(chart, 'TeamA', { namespace: 'team-a' });
    const objects = world(chart, [{ ns: 'team-a', name: 'x' }, { ns: 'team-b', name: 'y' }, { ns: 'team-b', name: 'z' }]);
    expect(objects).toDenyTraffic({ from: 'team-b/y', to: 'team-a/x', port: 80 });
    expect(objects).toAllowTraffic({ from: 'team-b/y', to: 'team-b/z', port: 80 });
  });
});
