import { ResourceRef } from '../../analysis/cluster-queries';
import { ParsedClusterPolicy } from '../../model/cluster-network-policy';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { workloadList } from '../private/rule-helpers';
import { Severity } from '../severity';

/** The reference of a cluster-wide policy (cluster-scoped: no namespace). */
export function clusterPolicyRef(policy: ParsedClusterPolicy): ResourceRef {
  return { kind: policy.kind, name: policy.name };
}

/** NP013: two cluster-wide policies of one tier with the same priority that select the same pods. */
export const CLUSTER_PRIORITY_OVERLAP: LintCheck = {
  id: 'NP013',
  name: 'cluster-priority-overlap',
  severity: Severity.WARNING,
  summary: 'Two cluster-wide policies of one tier share a priority and select the same pods: which one decides is undefined.',
  explanation:
    'ClusterNetworkPolicies (and AdminNetworkPolicies) of one tier are evaluated by priority; when two with the same '
    + 'priority could match a connection, "the implementation can apply any of the matching policies", so the result '
    + 'differs between plugins and even between runs. The rule flags two policies of the same tier and priority whose '
    + 'subjects select a common workload of the input and that both have rules in the same direction. The analysis '
    + 'evaluates a connection they decide differently as the most open of their outcomes (Accept, then Pass, then '
    + 'Deny: the worst case for a promise that it is denied), and `explain` reports it as undefined.',
  fix: 'Give the policies distinct priorities, in the order they are meant to apply.',
  check: ctx => {
    const findings: CheckFinding[] = [];
    const policies = ctx.clusterPolicies;
    for (let i = 0; i < policies.length; i++) {
      for (let j = i + 1; j < policies.length; j++) {
        const [a, b] = [policies[i], policies[j]];
        if (a.tier !== b.tier || a.priority !== b.priority) continue;
        const sameDirection = (a.ingress.length > 0 && b.ingress.length > 0) || (a.egress.length > 0 && b.egress.length > 0);
        if (!sameDirection) continue;
        const inB = new Set(ctx.clusterSubjectSelects(b).map(w => w.name));
        const both = ctx.clusterSubjectSelects(a).filter(w => inB.has(w.name));
        if (both.length === 0) continue;
        findings.push({
          subject: clusterPolicyRef(b),
          field: 'spec.priority',
          message: `${b.id} and ${a.id} are both ${a.tier} tier at priority ${a.priority} and both select ${workloadList(both)}: `
            + 'which one decides a connection they both match is undefined',
        });
      }
    }
    return findings;
  },
};
