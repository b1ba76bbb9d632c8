import { DnsChart } from '../../examples/charts/dns';
import { Protocol } from '../../src';
import { registerConnectivitySnapshotMatcher, registerNetpolMatchers } from '../../src/testing';
import { policyNamed, synthPolicies, yamlOf } from '../util';
import { exampleChart, expectListedFlowsAllowed, INTERNET, worldOf } from './cluster';

registerNetpolMatchers();
registerConnectivitySnapshotMatcher();

const KUBE_DNS = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } };
const DNS_PORTS = [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }];

describe('DNS egress example', () => {
  test('an egress default deny, then DNS to kube-dns (and to NodeLocal DNSCache), UDP and TCP 53', () => {
    const policies = synthPolicies(exampleChart(DnsChart));
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies.map(p => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'dns-egress/deny-egress', 'dns-egress/allow-dns', 'dns-nodelocal/node-local-deny-egress', 'dns-nodelocal/node-local-allow-dns',
    ]);
    expect(policyNamed(policies, 'deny-egress').spec).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
    // One peer: the kube-dns pods AND the kube-system namespace.
    expect(policyNamed(policies, 'allow-dns').spec).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [KUBE_DNS], ports: DNS_PORTS }] });
    expect(policyNamed(policies, 'node-local-allow-dns').spec.egress).toEqual([
      { to: [KUBE_DNS, { ipBlock: { cidr: '169.254.20.10/32' } }], ports: DNS_PORTS },
    ]);
  });

  const world = worldOf(exampleChart(DnsChart), [
    { ns: 'dns-egress', name: 'app' },
    { ns: 'dns-nodelocal', name: 'app' },
    { ns: 'kube-system', name: 'metrics-server', ports: [{ containerPort: 53, protocol: 'UDP' }] },
  ]);

  test('pins who can reach whom, on every port (the flow list of netpol list)', () => {
    expect(world).toMatchConnectivitySnapshot();
    expectListedFlowsAllowed(world);
  });

  test('dns-egress: cluster DNS on UDP and TCP 53, and nothing else', () => {
    expect(world).toAllowTraffic({ from: 'dns-egress/app', to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP });
    expect(world).toAllowTraffic({ from: 'dns-egress/app', to: 'kube-system/coredns', port: 53, protocol: Protocol.TCP });
    expect(world).toDenyTraffic({ from: 'dns-egress/app', to: 'kube-system/coredns', port: 9153 });
    expect(world).toDenyTraffic({ from: 'dns-egress/app', to: 'kube-system/metrics-server', port: 53, protocol: Protocol.UDP });
    expect(world).toDenyTraffic({ from: 'dns-egress/app', to: INTERNET, port: 53, protocol: Protocol.UDP });
    expect(world).toDenyTraffic({ from: 'dns-egress/app', to: DnsChart.NODE_LOCAL_DNS, port: 53, protocol: Protocol.UDP });
    expect(world).toDenyTraffic({ from: 'dns-egress/app', to: 'elsewhere/outsider', port: 8080 });
  });

  test('dns-nodelocal: the node-local cache address too, on the DNS ports only', () => {
    expect(world).toAllowTraffic({ from: 'dns-nodelocal/app', to: DnsChart.NODE_LOCAL_DNS, port: 53, protocol: Protocol.UDP });
    expect(world).toAllowTraffic({ from: 'dns-nodelocal/app', to: DnsChart.NODE_LOCAL_DNS, port: 53, protocol: Protocol.TCP });
    expect(world).toAllowTraffic({ from: 'dns-nodelocal/app', to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP });
    expect(world).toDenyTraffic({ from: 'dns-nodelocal/app', to: DnsChart.NODE_LOCAL_DNS, port: 80 });
    expect(world).toDenyTraffic({ from: 'dns-nodelocal/app', to: '169.254.20.11', port: 53, protocol: Protocol.UDP });
  });
});
