import { Severity } from '../../../src/lint';
import { deployment, findingsOf, lint, policy, suppressedOf } from '../lint-helpers';

const web = deployment('shop', 'web', { app: 'web' });
const ingress = (from: any[], annotations?: Record<string, string>) =>
  policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from }] }, annotations);

describe('NP011 ingress-from-all-namespaces: ingress from every pod of every namespace to pods not marked public', () => {
  test('compliant: named namespaces, and every namespace narrowed to some pods', () => {
    const report = lint([web, ingress([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'frontend' } } },
      { namespaceSelector: {}, podSelector: { matchLabels: { app: 'gateway' } } },
    ])]);
    expect(findingsOf(report, 'NP011')).toEqual([]);
  });

  test('non-compliant: namespaceSelector {} is a warning, not an error (it stays in the cluster, and is usually deliberate)', () => {
    const report = lint([web, ingress([{ namespaceSelector: {} }])]);
    expect(findingsOf(report, 'NP011').map(f => [f.severity, f.field, f.message])).toEqual([[
      Severity.WARNING, 'spec.ingress[0].from[0]', 'namespaceSelector {} allows ingress from every pod in every namespace to pods not marked public: Deployment shop/web',
    ]]);
    expect(report.hasErrors).toBe(false);
    expect(findingsOf(report, 'NP006')).toEqual([]);
  });

  test('non-compliant: without pods in the input, the policy is judged by itself (the Exists form too)', () => {
    const report = lint([ingress([{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'Exists' }] } }])]);
    expect(findingsOf(report, 'NP011').map(f => f.message)).toEqual([
      'namespaceSelector {kubernetes.io/metadata.name} allows ingress from every pod in every namespace to the pods it selects (podSelector {app=web}), none of them marked public',
    ]);
  });

  test('suppressed: by the annotation on the policy', () => {
    const report = lint([web, ingress([{ namespaceSelector: {} }], { 'netpol.cdk8s.io/suppress': 'NP011: the cluster-wide cache' })]);
    expect(findingsOf(report, 'NP011')).toEqual([]);
    expect(suppressedOf(report, 'NP011').map(f => f.suppressionReason)).toEqual(['the cluster-wide cache']);
  });

  test('not applicable: pods marked public, or a policy annotated public', () => {
    const publicWeb = deployment('shop', 'web', { 'app': 'web', 'netpol.cdk8s.io/public': 'true' });
    expect(findingsOf(lint([publicWeb, ingress([{ namespaceSelector: {} }])]), 'NP011')).toEqual([]);
    expect(findingsOf(lint([web, ingress([{ namespaceSelector: {} }], { 'netpol.cdk8s.io/public': 'true' })]), 'NP011')).toEqual([]);
  });
});
