import { AllowEgressTo, AllowMonitoring, AllowSameNamespace, DenyExternalEgress, LabelSelector, NamespaceBaseline, Peer, Port, SameNamespaceOnly } from '../../src';
import { chartIn, synthPolicies, yamlOf } from '../util';

describe('AllowSameNamespace', () => {
  test('allows ingress from every pod of the namespace', () => {
    const chart = chartIn();
    new AllowSameNamespace(chart, 'AllowSameNamespace');
    const policies = synthPolicies(chart);
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
  });

  test('can be limited to pods and ports', () => {
    const chart = chartIn();
    new AllowSameNamespace(chart, 'S', { podSelector: LabelSelector.labels({ app: 'cache' }), ports: [Port.tcp(6379)] });
    const [policy] = synthPolicies(chart);
    expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'cache' } });
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 6379 }] }]);
  });
});

describe('AllowEgressTo', () => {
  test('allows egress to pods, namespaces and CIDRs on the given ports', () => {
    const chart = chartIn();
    new AllowEgressTo(chart, 'ToData', {
      podSelector: LabelSelector.labels({ app: 'api' }),
      to: [Peer.ipBlock('10.20.0.0/16', ['10.20.99.0/24']), Peer.namespace('data'), Peer.pods({ app: 'cache' })],
      ports: [Port.tcp(5432), Port.tcpRange(6379, 6380)],
    });
    const policies = synthPolicies(chart);
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies[0].spec).toEqual({
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Egress'],
      egress: [{
        to: [
          { ipBlock: { cidr: '10.20.0.0/16', except: ['10.20.99.0/24'] } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } } },
          { podSelector: { matchLabels: { app: 'cache' } } },
        ],
        ports: [{ protocol: 'TCP', port: 5432 }, { protocol: 'TCP', port: 6379, endPort: 6380 }],
      }],
    });
  });
});

describe('AllowMonitoring', () => {
  test('allows the monitoring namespace to scrape the metrics ports', () => {
    const chart = chartIn();
    new AllowMonitoring(chart, 'AllowScrape', { ports: [Port.named('metrics')] });
    const policies = synthPolicies(chart);
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies[0].spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ protocol: 'TCP', port: 'metrics' }],
    }]);
  });

  test('can narrow the scraper to its pods in another namespace', () => {
    const chart = chartIn();
    new AllowMonitoring(chart, 'S', { ports: [Port.tcp(9090)], monitoringNamespace: 'observability', scraperPodLabels: { app: 'prometheus' } });
    expect(synthPolicies(chart)[0].spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } },
      podSelector: { matchLabels: { app: 'prometheus' } },
    }]);
  });
});

describe('SameNamespaceOnly', () => {
  test('isolates both ways and allows only the namespace itself, plus DNS', () => {
    const chart = chartIn();
    new SameNamespaceOnly(chart, 'SameNamespaceOnly');
    const policies = synthPolicies(chart);
    expect(yamlOf(policies)).toMatchSnapshot();
    const spec = policies[0].spec;
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    expect(spec.egress[0]).toEqual({ to: [{ podSelector: {} }] });
    expect(spec.egress[1].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
  });

  test('with DNS elsewhere', () => {
    const chart = chartIn();
    new SameNamespaceOnly(chart, 'S', { dns: { dnsNamespace: 'dns', dnsPorts: [Port.DNS_UDP] } });
    expect(synthPolicies(chart)[0].spec.egress[1]).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }],
    });
  });

  test('without DNS', () => {
    const chart = chartIn();
    new SameNamespaceOnly(chart, 'S', { allowDns: false });
    expect(synthPolicies(chart)[0].spec.egress).toEqual([{ to: [{ podSelector: {} }] }]);
  });
});

describe('DenyExternalEgress', () => {
  test('allows egress to private ranges and cluster pods only', () => {
    const chart = chartIn();
    new DenyExternalEgress(chart, 'NoInternet');
    const policies = synthPolicies(chart);
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies[0].spec.egress).toEqual([{
      to: [
        { ipBlock: { cidr: '10.0.0.0/8' } },
        { ipBlock: { cidr: '172.16.0.0/12' } },
        { ipBlock: { cidr: '192.168.0.0/16' } },
        { ipBlock: { cidr: 'fc00::/7', except: ['fd00:ec2::254/128'] } },
        { namespaceSelector: {} },
      ],
    }]);
  });

  test('passes the metadata guarantee of NamespaceBaseline in the same namespace', () => {
    const chart = chartIn();
    new NamespaceBaseline(chart, 'Baseline');
    new DenyExternalEgress(chart, 'NoInternet');
    expect(synthPolicies(chart).map(p => p.metadata.name)).toEqual(['baseline-default-deny', 'baseline-allow-dns', 'no-internet']);
  });

  test('excludes other addresses inside the ranges, and leaves out a range an entry covers entirely', () => {
    const chart = chartIn();
    new DenyExternalEgress(chart, 'N', { excluded: ['10.0.0.1/32', '192.168.0.0/16'] });
    const to = synthPolicies(chart)[0].spec.egress[0].to;
    expect(to[0]).toEqual({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.1/32'] } });
    // 192.168.0.0/16 is excluded as a whole: it is not allowed (it used to be, silently)
    expect(to.map((p: any) => p.ipBlock?.cidr)).toEqual(['10.0.0.0/8', '172.16.0.0/12', 'fc00::/7', undefined]);
  });

  test('can take other ranges and leave cluster pods out', () => {
    const chart = chartIn();
    new DenyExternalEgress(chart, 'N', { privateRanges: ['10.0.0.0/8'], allowClusterPods: false });
    expect(synthPolicies(chart)[0].spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }]);
  });

  test('fails rather than allow everything when no range is left', () => {
    expect(() => new DenyExternalEgress(chartIn(), 'N', { privateRanges: [], allowClusterPods: false }))
      .toThrow(/\[test\/N\] spec\.egress\[0\]\.to: \[\]: a rule must list at least one peer/);
  });
});
