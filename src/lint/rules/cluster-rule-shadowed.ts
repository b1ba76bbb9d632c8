import { ClusterPeer, ClusterRule } from '../../model/cluster-network-policy';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { Severity } from '../severity';
import { clusterPolicyRef } from './cluster-priority-overlap';

/** Whether an earlier peer covers a later one: the same peer, or every pod of every namespace for a namespaces/pods peer. */
function peerCovers(earlier: ClusterPeer, later: ClusterPeer): boolean {
  if (earlier.unknown || later.unknown) return false;
  if (earlier.text === later.text) return true;
  const all = earlier.selection && earlier.selection.namespaces.isEmpty && (!earlier.selection.pods || earlier.selection.pods.isEmpty);
  return Boolean(all && later.selection);
}

/** Whether `earlier` claims every connection `later` matches (it has no ports, and its peers cover every peer of `later`). */
function ruleCovers(earlier: ClusterRule, later: ClusterRule): boolean {
  if (earlier.ports !== undefined) return false;
  if (earlier.action !== 'Accept' && earlier.peers.some(p => p.unknown)) return true; // fails closed: matches everything
  return later.peers.every(lp => earlier.peers.some(ep => peerCovers(ep, lp)));
}

/** NP014: a rule of a cluster-wide policy that an earlier rule of the same policy always decides first. */
export const CLUSTER_RULE_SHADOWED: LintCheck = {
  id: 'NP014',
  name: 'cluster-rule-shadowed',
  severity: Severity.WARNING,
  summary: 'A rule of a cluster-wide policy can never decide: an earlier rule of the same policy matches everything it matches.',
  explanation:
    'Rules of a ClusterNetworkPolicy are ordered, and the first rule that matches a connection decides it. A rule whose '
    + 'every connection an earlier rule of the same policy and direction already matches is dead: often the author meant '
    + 'the opposite order (a narrow Accept placed after a broad Deny). The rule flags a later rule when an earlier rule has '
    + 'no protocols (all traffic) and peers that cover each of its peers (the same peer, or `namespaces: {}` / `pods: '
    + '{}/{}` for namespace and pod peers).',
  fix: 'Move the narrower rule before the broader one, or remove it.',
  check: ctx => {
    const findings: CheckFinding[] = [];
    for (const policy of ctx.clusterPolicies) {
      for (const [direction, rules] of [['ingress', policy.ingress], ['egress', policy.egress]] as const) {
        rules.forEach((later, j) => {
          const earlier = rules.slice(0, j).find(r => ruleCovers(r, later));
          if (!earlier) return;
          findings.push({
            subject: clusterPolicyRef(policy),
            field: `spec.${direction}[${j}]`,
            message: `${direction} rule ${j}${later.name ? ` "${later.name}"` : ''} (${later.actionText}) never decides anything: `
              + `rule ${earlier.index}${earlier.name ? ` "${earlier.name}"` : ''} (${earlier.actionText}) comes first and matches all of its traffic`,
          });
        });
      }
    }
    return findings;
  },
};
