import { Severity } from '../../../src/lint';
import { cnp } from '../../fixtures/cluster-policies';
import { namespace, pod, policy } from '../../fixtures/manifests';
import { FILE, findingsOf, lint, suppressedOf } from '../lint-helpers';

const PODS = [
  namespace('shop'), namespace('monitoring'),
  pod('shop', 'web', { app: 'web' }, { ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }),
  pod('monitoring', 'prometheus', { app: 'prometheus' }),
];
const denyIngress = policy('shop', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
const allowMetrics = policy('shop', 'allow-metrics', {
  podSelector: {},
  policyTypes: ['Ingress'],
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090 }] }],
});
const acceptMonitoring = (protocols?: unknown[], annotations?: Record<string, string>) => {
  const o = cnp('monitoring', {
    priority: 20,
    subject: { namespaces: {} },
    ingress: [{
      action: 'Accept',
      name: 'scrape',
      from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ...(protocols ? { protocols } : {}),
    }],
  });
  if (annotations) o.metadata.annotations = annotations;
  return o;
};

describe('NP018 cluster-admin-accept-bypasses-isolation: an Admin Accept that overrides a namespace\'s default deny', () => {
  test('non-compliant: the Accept lets in what the namespace\'s default deny denies, with the connection as evidence', () => {
    expect(findingsOf(lint([...PODS, denyIngress, acceptMonitoring()]), 'NP018')).toEqual([{
      ruleId: 'NP018',
      ruleName: 'cluster-admin-accept-bypasses-isolation',
      severity: Severity.WARNING,
      message: 'ingress rule 0 "scrape" (Accept) bypasses the isolation of namespace shop: it allows '
        + 'monitoring/prometheus => shop/web TCP/1, which shop/deny-ingress does not allow',
      fix: 'Narrow the Accept (subject, peers or protocols) to what must bypass the namespaces\' policies, use Pass to let '
        + 'the namespaces decide, or suppress the finding with the reason the bypass is intended.',
      kind: 'ClusterNetworkPolicy',
      namespace: 'shop',
      name: 'monitoring',
      field: 'spec.ingress[0]',
      file: FILE,
      documentIndex: 5,
    }]);
  });

  test('non-compliant: a port inside the Accept\'s range that the namespace\'s policies do not allow is found', () => {
    const range = [{ tcp: { destinationPort: { range: { start: 9000, end: 9100 } } } }];
    const findings = findingsOf(lint([...PODS, denyIngress, allowMetrics, acceptMonitoring(range)]), 'NP018');
    expect(findings.map(f => f.message)).toEqual(['ingress rule 0 "scrape" (Accept) bypasses the isolation of namespace shop: '
      + 'it allows monitoring/prometheus => shop/web TCP/9000, which shop/allow-metrics and shop/deny-ingress do not allow']);
  });

  test('non-compliant: egress to a network that the namespace\'s egress policies deny', () => {
    const denyEgress = policy('shop', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
    const internet = cnp('internet', {
      priority: 30, subject: { namespaces: {} }, egress: [{ action: 'Accept', to: [{ networks: ['203.0.113.0/24'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] }],
    });
    const findings = findingsOf(lint([...PODS, denyEgress, internet]), 'NP018');
    expect(findings.map(f => [f.namespace, f.message])).toEqual([['shop', 'egress rule 0 (Accept) bypasses the isolation of namespace shop: '
      + 'it allows shop/web => 203.0.113.0 TCP/443, which shop/deny-egress does not allow']]);
  });

  test('compliant: the Accept opens only what the namespace\'s policies allow anyway', () => {
    const metrics = [{ tcp: { destinationPort: { number: 9090 } } }];
    expect(findingsOf(lint([...PODS, denyIngress, allowMetrics, acceptMonitoring(metrics)]), 'NP018')).toEqual([]);
  });

  test('compliant: no NetworkPolicy isolates the subject pods, so there is no isolation to bypass', () => {
    expect(findingsOf(lint([...PODS, acceptMonitoring()]), 'NP018')).toEqual([]);
  });

  test('compliant: a higher-precedence Admin Deny decides first, so the Accept never lets the connection in', () => {
    const deny = cnp('deny-first', {
      priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }],
    });
    expect(findingsOf(lint([...PODS, denyIngress, deny, acceptMonitoring()]), 'NP018')).toEqual([]);
  });

  test('suppressed: by the annotation on the policy, with the reason', () => {
    const report = lint([...PODS, denyIngress, acceptMonitoring(undefined, { 'netpol.cdk8s.io/suppress': 'NP018: monitoring must reach every pod' })]);
    expect(findingsOf(report, 'NP018')).toEqual([]);
    expect(suppressedOf(report, 'NP018').map(f => f.suppressionReason)).toEqual(['monitoring must reach every pod']);
  });
});

test('NP018 suppressed: by the bypassed namespace\'s owners, with the annotation on their Namespace', () => {
  const shop = namespace('shop', {}, { 'netpol.cdk8s.io/suppress': 'NP018: we rely on the platform\'s monitoring' });
  const report = lint([shop, ...PODS.slice(1), denyIngress, acceptMonitoring()]);
  expect(findingsOf(report, 'NP018')).toEqual([]);
  expect(suppressedOf(report, 'NP018').map(f => f.suppressionReason)).toEqual(['we rely on the platform\'s monitoring']);
});
