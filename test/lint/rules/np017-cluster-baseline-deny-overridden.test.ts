import { Severity } from '../../../src/lint';
import { cnp } from '../../fixtures/cluster-policies';
import { namespace, pod, policy } from '../../fixtures/manifests';
import { FILE, findingsOf, lint, suppressedOf } from '../lint-helpers';

const PODS = [namespace('a'), namespace('b'), pod('a', 'web', { app: 'web' }), pod('b', 'api', { app: 'api' })];
const denyIngress = (ns: string) => policy(ns, 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
const baselineDeny = (annotations?: Record<string, string>) => {
  const o = cnp('baseline', {
    tier: 'Baseline',
    priority: 5,
    subject: { namespaces: {} },
    ingress: [{ action: 'Deny', name: 'deny-all', from: [{ namespaces: {} }] }],
  });
  if (annotations) o.metadata.annotations = annotations;
  return o;
};

describe('NP017 cluster-baseline-deny-overridden: a Baseline Deny that NetworkPolicies always decide first', () => {
  test('non-compliant: every subject pod is isolated for ingress by its namespace\'s policies', () => {
    expect(findingsOf(lint([...PODS, denyIngress('a'), denyIngress('b'), baselineDeny()]), 'NP017')).toEqual([{
      ruleId: 'NP017',
      ruleName: 'cluster-baseline-deny-overridden',
      severity: Severity.WARNING,
      message: 'ingress rule 0 "deny-all" (Deny) has no effect: every pod the policy selects (Pod a/web and Pod b/api) is '
        + 'isolated for ingress by NetworkPolicies of its namespace, which decide before the Baseline tier',
      fix: 'Remove the rule, or keep it on purpose for namespaces added later and suppress the finding with that reason.',
      kind: 'ClusterNetworkPolicy',
      name: 'baseline',
      field: 'spec.ingress[0]',
      file: FILE,
      documentIndex: 6,
    }]);
  });

  test('the engine agrees: the Baseline rule decides no connection of the input', () => {
    const report = lint([...PODS, denyIngress('a'), denyIngress('b'), baselineDeny()]);
    expect(findingsOf(report, 'NP017')).toHaveLength(1);
    // and one namespace without a policy makes the rule effective again: no finding
    expect(findingsOf(lint([...PODS, denyIngress('a'), baselineDeny()]), 'NP017')).toEqual([]);
  });

  test('compliant: a namespace without an ingress policy is still guarded by the Baseline Deny', () => {
    const egressOnly = policy('b', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
    expect(findingsOf(lint([...PODS, denyIngress('a'), egressOnly, baselineDeny()]), 'NP017')).toEqual([]);
  });

  test('not applicable: Accept and Pass rules, Admin Deny rules, and policies that select no workload', () => {
    const accept = cnp('accept', { tier: 'Baseline', priority: 5, subject: { namespaces: {} }, ingress: [{ action: 'Accept', from: [{ namespaces: {} }] }] });
    const admin = cnp('admin', { tier: 'Admin', priority: 5, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
    const nobody = cnp('nobody', {
      tier: 'Baseline', priority: 6, subject: { namespaces: { matchLabels: { team: 'none' } } }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
    });
    expect(findingsOf(lint([...PODS, denyIngress('a'), denyIngress('b'), accept, admin, nobody]), 'NP017')).toEqual([]);
  });

  test('suppressed: by the annotation on the policy, with the reason', () => {
    const report = lint([...PODS, denyIngress('a'), denyIngress('b'),
      baselineDeny({ 'netpol.cdk8s.io/suppress': 'NP017: guards namespaces created later' })]);
    expect(findingsOf(report, 'NP017')).toEqual([]);
    expect(suppressedOf(report, 'NP017').map(f => f.suppressionReason)).toEqual(['guards namespaces created later']);
  });
});
