import { Severity } from '../../../src/lint';
import { FILE, deployment, findingsOf, lint, namespace, pod, policy, suppressedOf } from '../lint-helpers';

const FIX = 'Add a default deny for ingress to the namespace: `new DefaultDeny(chart, \'DefaultDeny\')` (or `NamespaceBaseline`), '
  + 'or a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress]`, then allow what each pod needs.';

describe('NP001 missing-default-deny-ingress: a namespace has pods that no policy isolates for ingress', () => {
  test('compliant: a default deny isolates every pod', () => {
    const report = lint([
      namespace('shop'),
      deployment('shop', 'web', { app: 'web' }),
      pod('shop', 'debug', { app: 'debug' }),
      policy('shop', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
    ]);
    expect(findingsOf(report, 'NP001')).toEqual([]);
  });

  test('compliant: policies that select every pod isolate them too', () => {
    const report = lint([
      deployment('shop', 'web', { app: 'web' }),
      policy('shop', 'web-ingress', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 80 }] }] }),
    ]);
    expect(findingsOf(report, 'NP001')).toEqual([]);
  });

  test('non-compliant: no policy at all, reported on the Namespace object', () => {
    const report = lint([namespace('shop'), deployment('shop', 'web', { app: 'web' }), pod('shop', 'debug', { app: 'debug' })]);
    expect(findingsOf(report, 'NP001')).toEqual([{
      ruleId: 'NP001',
      ruleName: 'missing-default-deny-ingress',
      severity: Severity.ERROR,
      message: 'no NetworkPolicy in namespace shop isolates its pods for ingress, so Pod shop/debug and Deployment shop/web '
        + 'accept connections from every pod and every address',
      fix: FIX,
      kind: 'Namespace',
      namespace: 'shop',
      name: 'shop',
      file: FILE,
      documentIndex: 0,
    }]);
  });

  test('non-compliant: some pods are isolated, one is not; without a Namespace object, reported on that pod', () => {
    const report = lint([
      deployment('shop', 'web', { app: 'web' }),
      pod('shop', 'debug', { app: 'debug' }),
      policy('shop', 'web-ingress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] }),
      policy('shop', 'egress', { podSelector: {}, policyTypes: ['Egress'] }),
    ]);
    expect(findingsOf(report, 'NP001')).toEqual([{
      ruleId: 'NP001',
      ruleName: 'missing-default-deny-ingress',
      severity: Severity.ERROR,
      message: 'in namespace shop, no NetworkPolicy isolates Pod shop/debug for ingress (1 of 2 pods and workloads), '
        + 'so it accepts connections from every pod and every address',
      fix: FIX,
      kind: 'Pod',
      namespace: 'shop',
      name: 'debug',
      file: FILE,
      documentIndex: 1,
    }]);
  });

  test('non-compliant: an egress-only default deny does not isolate ingress', () => {
    const report = lint([deployment('shop', 'web', { app: 'web' }), policy('shop', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] })]);
    expect(findingsOf(report, 'NP001').map(f => f.message)).toEqual([
      'no NetworkPolicy in namespace shop isolates its pods for ingress, so Deployment shop/web accepts connections from every pod and every address',
    ]);
  });

  test('suppressed: by the annotation on the Namespace', () => {
    const report = lint([
      namespace('shop', {}, { 'netpol.cdk8s.io/suppress': 'NP001: a sandbox for experiments, isolated by the cluster firewall' }),
      deployment('shop', 'web', { app: 'web' }),
    ]);
    expect(findingsOf(report, 'NP001')).toEqual([]);
    expect(suppressedOf(report, 'NP001')).toEqual([expect.objectContaining({
      kind: 'Namespace',
      name: 'shop',
      suppressionReason: 'a sandbox for experiments, isolated by the cluster firewall',
    })]);
  });

  test('not applicable: a namespace without pods or workloads in the input', () => {
    const report = lint([namespace('shop'), policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'] })]);
    expect(findingsOf(report, 'NP001')).toEqual([]);
  });
});
