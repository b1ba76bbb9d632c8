import { AllowDns, LabelSelector, Port } from '../../src';
import { chartIn, synthPolicies, yamlOf } from '../util';

describe('AllowDns', () => {
  test('allows UDP and TCP 53 to kube-dns pods in kube-system (one peer: both must hold)', () => {
    const chart = chartIn('shop');
    new AllowDns(chart, 'AllowDns');
    const policies = synthPolicies(chart);
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies[0].metadata.name).toBe('allow-dns');
    expect(policies[0].spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
  });

  test('takes another DNS namespace, pod labels, ports, pods and a NodeLocal DNSCache', () => {
    const chart = chartIn();
    new AllowDns(chart, 'Dns', {
      dnsNamespace: 'dns',
      dnsPodLabels: { app: 'coredns' },
      dnsPorts: [Port.DNS_UDP, Port.DNS_TCP, Port.udp(5353)],
      nodeLocalDnsCidr: '169.254.20.10/32',
      podSelector: LabelSelector.labels({ app: 'api' }),
    });
    const [policy] = synthPolicies(chart);
    expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'api' } });
    expect(policy.spec.egress[0].to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { app: 'coredns' } } },
      { ipBlock: { cidr: '169.254.20.10/32' } },
    ]);
    expect(policy.spec.egress[0].ports.map((p: any) => `${p.protocol}/${p.port}`)).toEqual(['UDP/53', 'TCP/53', 'UDP/5353']);
  });
});
