import { Severity } from '../../../src/lint';
import { FILE, baseline, deployment, findingsOf, lint, namespace, pod, policy, suppressedOf } from '../lint-helpers';

const FIX = 'Allow DNS for the pods: `new AllowDns(chart, \'AllowDns\')` (or `NamespaceBaseline`), which go where the '
  + 'cluster profile says DNS is (`ClusterProfile.use(app, ClusterProfile.GKE_CLOUD_DNS)`), or an egress rule to '
  + 'the DNS pods (namespace AND pod labels) or addresses on the DNS ports.';
const COREDNS = pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, {
  ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }],
});
const denyEgress = policy('shop', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
const udpOnly = policy('shop', 'dns-udp', {
  podSelector: {},
  policyTypes: ['Egress'],
  egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] }],
});

describe('NP003 egress-without-dns: egress-isolated pods cannot reach cluster DNS on UDP and TCP 53', () => {
  test('compliant: the baseline allows DNS (evaluated against an assumed kube-dns pod)', () => {
    expect(findingsOf(lint([deployment('shop', 'web', { app: 'web' }), ...baseline('shop')]), 'NP003')).toEqual([]);
  });

  test('compliant: the real DNS pods are used when the input has them', () => {
    expect(findingsOf(lint([COREDNS, deployment('shop', 'web', { app: 'web' }), ...baseline('shop')]), 'NP003')).toEqual([]);
  });

  test('non-compliant: egress isolation without any DNS allowance', () => {
    const report = lint([namespace('shop'), deployment('shop', 'web', { app: 'web' }), denyEgress]);
    expect(findingsOf(report, 'NP003')).toEqual([{
      ruleId: 'NP003',
      ruleName: 'egress-without-dns',
      severity: Severity.ERROR,
      message: 'Deployment shop/web is isolated for egress (by shop/deny-egress) but cannot reach cluster DNS '
        + '(kube-system pods labelled k8s-app=kube-dns, assumed: the input has none) on UDP/53 or TCP/53',
      fix: FIX,
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      file: FILE,
      documentIndex: 1,
    }]);
  });

  test('non-compliant: UDP only; TCP/53 is missing', () => {
    const report = lint([COREDNS, deployment('shop', 'web', { app: 'web' }), denyEgress, udpOnly]);
    expect(findingsOf(report, 'NP003').map(f => f.message)).toEqual([
      'Deployment shop/web is isolated for egress (by shop/deny-egress and shop/dns-udp) but cannot reach cluster DNS '
      + '(kube-system pods labelled k8s-app=kube-dns) on TCP/53 (UDP/53 is allowed)',
    ]);
  });

  test('non-compliant: the DNS pods\' own ingress policies refuse the client', () => {
    const report = lint([
      COREDNS,
      policy('kube-system', 'dns-ingress', { podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'core' } } }] }] }),
      deployment('shop', 'web', { app: 'web' }),
      ...baseline('shop'),
    ]);
    expect(findingsOf(report, 'NP003').map(f => f.name)).toEqual(['web']);
  });

  test('non-compliant: pods of one template, told apart by the ipBlock of the DNS pods\' ingress that their IPs fall in', () => {
    const web = (name: string, ip: string) => pod('shop', name, { app: 'web' }, { ip });
    const report = lint([
      COREDNS,
      policy('kube-system', 'dns-ingress', { podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/24' } }] }] }),
      web('web-1', '10.0.0.5'), web('web-2', '10.1.0.5'), web('web-3', '10.0.0.6'),
      ...baseline('shop'),
    ]);
    expect(findingsOf(report, 'NP003').map(f => f.name)).toEqual(['web-2']);
  });

  test('options: DNS elsewhere (dnsNamespace, dnsPodLabels)', () => {
    const objects = [
      pod('dns', 'resolver', { app: 'resolver' }, { ports: [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53 }] }),
      deployment('shop', 'web', { app: 'web' }),
      denyEgress,
      policy('shop', 'dns', {
        podSelector: {},
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { port: 53 }] }],
      }),
    ];
    expect(findingsOf(lint(objects), 'NP003')).toHaveLength(1);
    expect(findingsOf(lint(objects, { dnsNamespace: 'dns', dnsPodLabels: { app: 'resolver' } }), 'NP003')).toEqual([]);
  });

  test('suppressed: by the annotation on the workload', () => {
    const report = lint([
      deployment('shop', 'web', { app: 'web' }, { annotations: { 'netpol.cdk8s.io/suppress': 'NP003: resolves through NodeLocal DNSCache on the host network' } }),
      denyEgress,
    ]);
    expect(findingsOf(report, 'NP003')).toEqual([]);
    expect(suppressedOf(report, 'NP003').map(f => f.suppressionReason)).toEqual(['resolves through NodeLocal DNSCache on the host network']);
  });

  test('not applicable: pods not isolated for egress, and the DNS pods themselves', () => {
    const report = lint([
      COREDNS,
      policy('kube-system', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
      deployment('shop', 'web', { app: 'web' }),
    ]);
    expect(findingsOf(report, 'NP003')).toEqual([]);
  });
});
