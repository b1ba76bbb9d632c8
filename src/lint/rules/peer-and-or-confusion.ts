import { policyRef } from '../../analysis/cluster-queries';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { andOrSlip, listText, peerField, enforcedRules, workloadList } from '../private/rule-helpers';
import { Severity } from '../severity';

/** NP009: a peer whose namespaceSelector and podSelector were probably meant as two peers. */
export const PEER_AND_OR_CONFUSION: LintCheck = {
  id: 'NP009',
  name: 'peer-and-or-confusion',
  severity: Severity.WARNING,
  summary: 'A peer with both namespaceSelector and podSelector (AND) was probably meant as two peers (OR).',
  explanation:
    'In YAML the difference between one peer with two selectors and two peers is one dash: '
    + '`- namespaceSelector: ...` followed by `podSelector: ...` (one peer: pods with those labels IN those namespaces) '
    + 'versus `- namespaceSelector: ...` followed by `- podSelector: ...` (two peers: every pod of those namespaces, OR '
    + 'pods with those labels in the policy\'s own namespace). The rule flags a peer with a non-empty namespaceSelector '
    + 'AND a non-empty podSelector when the namespaceSelector does not select the policy\'s own namespace, the '
    + 'podSelector matches pods of the policy\'s own namespace, and it matches no pod in the namespaces the '
    + 'namespaceSelector selects (those of the input, or those it names): as written, the peer matches none of the '
    + 'pods its podSelector was evidently written for. It is a heuristic, hence a warning; the finding spells out both '
    + 'readings.',
  fix: 'If two peers were meant, split the entry into two list items (`- namespaceSelector: ...` and `- podSelector: ...`); '
    + 'if the AND was meant, suppress the finding with the reason.',
  check: ctx => {
    const findings: CheckFinding[] = [];
    for (const policy of ctx.policies) {
      for (const rule of enforcedRules(policy)) {
        for (const peer of rule.peers ?? []) {
          const slip = andOrSlip(ctx, policy, peer);
          if (!slip) continue;
          const namespaces = `namespace${slip.namespaces.length === 1 ? '' : 's'} ${listText(slip.namespaces)}`;
          findings.push({
            subject: policyRef(policy),
            field: peerField(rule, peer),
            message: `one peer with namespaceSelector ${peer.namespaceSelector} AND podSelector ${peer.podSelector}. `
              + `As written (AND) it matches pods labelled ${peer.podSelector} in ${namespaces}: none in the input. `
              + `As two peers (OR) it would match every pod in ${namespaces}, or pods labelled ${peer.podSelector} in `
              + `namespace ${policy.namespace}: ${workloadList(slip.localPods)}`,
          });
        }
      }
    }
    return findings;
  },
};
