import { clusterPolicyRef } from './cluster-priority-overlap';
import { Direction } from '../../direction';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { workloadList } from '../private/rule-helpers';
import { Severity } from '../severity';

/** NP017: a Baseline `Deny` rule that the NetworkPolicies of every pod it applies to decide first. */
export const CLUSTER_BASELINE_DENY_OVERRIDDEN: LintCheck = {
  id: 'NP017',
  name: 'cluster-baseline-deny-overridden',
  severity: Severity.WARNING,
  summary: 'A Baseline Deny rule has no effect: NetworkPolicies already isolate every pod it applies to, so the Baseline tier is never reached.',
  explanation:
    'The Baseline tier decides a direction of a connection only for a pod that no NetworkPolicy of its namespace '
    + 'selects for that direction: once one does, the NetworkPolicies decide (allow what they allow, deny the rest) '
    + 'and Baseline rules are never consulted. A Baseline Deny whose every subject pod in the input is isolated that way '
    + 'denies nothing today; its author often believes it restricts those namespaces, when only their own policies do. '
    + 'The rule asks the engine, per rule of a Baseline policy with action Deny, whether each workload the policy\'s '
    + 'subject selects is isolated for the rule\'s direction (the test the tiers themselves apply). Policies that '
    + 'select no workload of the input are not reported. It is a warning: the rule still guards pods of namespaces '
    + 'without policies that are added later, which may be why it is there.',
  fix: 'Remove the rule, or keep it on purpose for namespaces added later and suppress the finding with that reason.',
  check: ctx => {
    const findings: CheckFinding[] = [];
    for (const policy of ctx.clusterPolicies) {
      if (policy.tier !== 'Baseline') continue;
      const subjects = ctx.clusterSubjectSelects(policy);
      if (subjects.length === 0) continue;
      for (const [field, direction, rules] of [['ingress', Direction.INGRESS, policy.ingress], ['egress', Direction.EGRESS, policy.egress]] as const) {
        if (!rules.some(r => r.action === 'Deny')) continue;
        if (!subjects.every(w => ctx.isolatedBy(w, direction).length > 0)) continue;
        for (const rule of rules) {
          if (rule.action !== 'Deny') continue;
          findings.push({
            subject: clusterPolicyRef(policy),
            field: `spec.${field}[${rule.index}]`,
            message: `${field} rule ${rule.index}${rule.name !== undefined ? ` ${JSON.stringify(rule.name)}` : ''} (${rule.actionText}) has no effect: `
              + `every pod the policy selects (${workloadList(subjects)}) is isolated for ${field} by NetworkPolicies of its namespace, `
              + 'which decide before the Baseline tier',
          });
        }
      }
    }
    return findings;
  },
};
