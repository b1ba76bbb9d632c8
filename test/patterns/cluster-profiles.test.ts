import { Chart, Testing } from 'cdk8s';
import {
  AllowDns, BlockMetadata, ClusterProfile, DenyExternalEgress, NamespaceBaseline, Peer, Policy, Port, SameNamespaceOnly, TieredApp,
} from '../../src';
import { synthPolicies } from '../util';

/** A chart in namespace `shop` of an app that uses the profile. */
function chartOn(profile: ClusterProfile): Chart {
  const app = Testing.app();
  ClusterProfile.use(app, profile);
  return new Chart(app, 'test', { namespace: 'shop' });
}

describe('patterns read the cluster profile', () => {
  test('AllowDns goes where the profile says DNS is', () => {
    const onOpenShift = chartOn(ClusterProfile.OPENSHIFT);
    new AllowDns(onOpenShift, 'Dns');
    expect(synthPolicies(onOpenShift)[0].spec.egress).toEqual([{
      to: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } },
        podSelector: { matchLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } },
      }],
      ports: [{ protocol: 'UDP', port: 5353 }, { protocol: 'TCP', port: 5353 }],
    }]);
    const nodeLocal = chartOn(ClusterProfile.GKE_NODELOCAL_DNS);
    new AllowDns(nodeLocal, 'Dns');
    expect(synthPolicies(nodeLocal)[0].spec.egress[0].to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
      { ipBlock: { cidr: '169.254.20.10/32' } },
    ]);
  });

  test('given DNS options take precedence over the profile, field by field', () => {
    const chart = chartOn(ClusterProfile.OPENSHIFT);
    new AllowDns(chart, 'Dns', { dnsPorts: [Port.DNS_UDP] });
    const [policy] = synthPolicies(chart);
    expect(policy.spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }]);
    expect(policy.spec.egress[0].to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']).toBe('openshift-dns');
  });

  test('a chart\'s profile overrides its app\'s', () => {
    const app = Testing.app();
    ClusterProfile.use(app, ClusterProfile.OPENSHIFT);
    const chart = new Chart(app, 'gke', { namespace: 'shop' });
    ClusterProfile.use(chart, ClusterProfile.GKE_CLOUD_DNS);
    new TieredApp(chart, 'App', { entry: [], tiers: [{ name: 'web', ports: [Port.tcp(8080)] }] });
    expect(synthPolicies(chart)[0].spec.egress).toEqual([{
      to: [{ ipBlock: { cidr: '169.254.169.254/32' } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
  });

  test('SameNamespaceOnly\'s DNS rule and DenyExternalEgress\'s excluded endpoints come from the profile', () => {
    const chart = chartOn(ClusterProfile.GKE);
    new SameNamespaceOnly(chart, 'Sandbox');
    new DenyExternalEgress(chart, 'NoInternet');
    const [sandbox, noInternet] = synthPolicies(chart);
    expect(sandbox.spec.egress[1].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    // GCP's IPv6 metadata server lies inside fc00::/7, so it is excepted
    expect(noInternet.spec.egress[0].to).toContainEqual({ ipBlock: { cidr: 'fc00::/7', except: ['fd20:ce::254/128'] } });
  });

  test('BlockMetadata and NamespaceBaseline guard the profile\'s endpoints', () => {
    const chart = chartOn(ClusterProfile.AKS);
    const baseline = new NamespaceBaseline(chart, 'Baseline', { allowInternet: true });
    expect(baseline.blockMetadata.addresses).toEqual(['169.254.169.254/32', '168.63.129.16/32']);
    const internet = synthPolicies(chart).find(p => p.metadata.name === 'baseline-block-metadata');
    expect(internet.spec.egress[0].to[0]).toEqual({ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '168.63.129.16/32'] } });
  });
});

describe('the metadata guarantee is exact per profile', () => {
  test('on GKE with Cloud DNS, the baseline\'s DNS rule to 169.254.169.254:53 passes the guarantee', () => {
    const chart = chartOn(ClusterProfile.GKE_CLOUD_DNS);
    new NamespaceBaseline(chart, 'Baseline');
    expect(synthPolicies(chart).map(p => p.metadata.name)).toEqual(['baseline-default-deny', 'baseline-allow-dns']);
  });

  test('on GKE with Cloud DNS, any other port to 169.254.169.254 still fails synthesis', () => {
    const chart = chartOn(ClusterProfile.GKE_CLOUD_DNS);
    new NamespaceBaseline(chart, 'Baseline');
    new Policy(chart, 'Http', { egress: [{ to: [Peer.ipBlock('169.254.169.254/32')], ports: [Port.DNS_UDP, Port.tcp(80)] }] });
    expect(() => Testing.synth(chart)).toThrow(/spec\.egress\[0\]\.to\[0\] ipBlock 169\.254\.169\.254\/32 covers 169\.254\.169\.254\/32 without excepting it on UDP\/53, TCP\/80 \(the cluster profile allows only 169\.254\.169\.254\/32 on UDP\/53, TCP\/53\)/);
  });

  test('on GKE with Cloud DNS, a rule with no `to` fails for every endpoint it reaches beyond the exception', () => {
    const anyPort = chartOn(ClusterProfile.GKE_CLOUD_DNS);
    new BlockMetadata(anyPort, 'Guard', { allowInternet: false });
    new Policy(anyPort, 'All', { egress: [{ to: [Peer.anywhere()], ports: [Port.allUdp()] }] });
    expect(() => Testing.synth(anyPort)).toThrow(/has no `to`, so it allows every address, including 169\.254\.169\.254\/32, fd20:ce::254\/128 on UDP\/\*/);
    // port 53 to anywhere still reaches GCP's IPv6 metadata server, which has no exception
    const dnsAnywhere = chartOn(ClusterProfile.GKE_CLOUD_DNS);
    new BlockMetadata(dnsAnywhere, 'Guard', { allowInternet: false });
    new Policy(dnsAnywhere, 'Dns', { egress: [{ to: [Peer.anywhere()], ports: [Port.DNS_UDP, Port.DNS_TCP] }] });
    expect(() => Testing.synth(dnsAnywhere)).toThrow(/including fd20:ce::254\/128 on UDP\/53, TCP\/53/);
    // port 53 to every IPv4 address reaches 169.254.169.254 on its exception ports only
    const dnsIpv4 = chartOn(ClusterProfile.GKE_CLOUD_DNS);
    new BlockMetadata(dnsIpv4, 'Guard', { allowInternet: false });
    new Policy(dnsIpv4, 'Dns', { egress: [{ to: [Peer.anyIpv4()], ports: [Port.DNS_UDP, Port.DNS_TCP] }] });
    expect(synthPolicies(dnsIpv4).map(p => p.metadata.name)).toEqual(['dns']);
  });

  test('without the exception (GENERIC), the same DNS rule to 169.254.169.254 fails, as before', () => {
    const chart = chartOn(ClusterProfile.GENERIC);
    new NamespaceBaseline(chart, 'Baseline');
    new Policy(chart, 'Dns', { egress: [{ to: [Peer.ipBlock('169.254.169.254/32')], ports: [Port.DNS_UDP] }] });
    expect(() => Testing.synth(chart)).toThrow(/ipBlock 169\.254\.169\.254\/32 covers 169\.254\.169\.254\/32 without excepting it: metadata endpoints/);
  });
});
