import { Severity } from '../../../src/lint';
import { FILE, baseline, deployment, findingsOf, lint, namespace, policy, suppressedOf } from '../lint-helpers';

describe('NP002 missing-default-deny-egress: a namespace has pods that no policy isolates for egress', () => {
  test('compliant: the baseline isolates every pod for egress', () => {
    const report = lint([namespace('shop'), deployment('shop', 'web', { app: 'web' }), ...baseline('shop')]);
    expect(findingsOf(report, 'NP002')).toEqual([]);
  });

  test('non-compliant: only ingress is isolated; a warning on the Namespace object', () => {
    const report = lint([
      namespace('shop'),
      deployment('shop', 'web', { app: 'web' }),
      deployment('shop', 'api', { app: 'api' }),
      policy('shop', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
      policy('shop', 'api-egress', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'] }),
    ]);
    expect(findingsOf(report, 'NP002')).toEqual([{
      ruleId: 'NP002',
      ruleName: 'missing-default-deny-egress',
      severity: Severity.WARNING,
      message: 'in namespace shop, no NetworkPolicy isolates Deployment shop/web for egress (1 of 2 pods and workloads), '
        + 'so it may connect to every pod and every address',
      fix: 'Add a default deny for egress together with DNS: `new NamespaceBaseline(chart, \'Baseline\')`, or `DefaultDeny` '
        + 'plus `AllowDns`, then allow the destinations each pod needs.',
      kind: 'Namespace',
      namespace: 'shop',
      name: 'shop',
      file: FILE,
      documentIndex: 0,
    }]);
  });

  test('non-compliant: egress rules a policy ignores (policyTypes [Ingress]) do not isolate', () => {
    const report = lint([
      deployment('shop', 'web', { app: 'web' }),
      policy('shop', 'web', { podSelector: {}, policyTypes: ['Ingress'], egress: [{ ports: [{ port: 443 }] }] }),
    ]);
    expect(findingsOf(report, 'NP002').map(f => [f.kind, f.name, f.message])).toEqual([[
      'Deployment', 'web', 'no NetworkPolicy in namespace shop isolates its pods for egress, so Deployment shop/web may connect to every pod and every address',
    ]]);
  });

  test('suppressed: by the annotation on the first open workload (no Namespace object)', () => {
    const report = lint([
      deployment('shop', 'web', { app: 'web' }, { annotations: { 'netpol.cdk8s.io/suppress': 'missing-default-deny-egress: egress is filtered by the mesh' } }),
      policy('shop', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
    ]);
    expect(findingsOf(report, 'NP002')).toEqual([]);
    expect(suppressedOf(report, 'NP002').map(f => [f.kind, f.name, f.suppressionReason])).toEqual([['Deployment', 'web', 'egress is filtered by the mesh']]);
  });

  test('not applicable: no pods in the input', () => {
    expect(findingsOf(lint([namespace('shop'), policy('shop', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] })]), 'NP002')).toEqual([]);
  });
});
