import { LintCheck, CheckFinding } from '../private/lint-check';
import { Severity } from '../severity';
import { clusterPolicyRef } from './cluster-priority-overlap';

/** NP015: `domainNames` in a rule whose action is not Accept. */
export const CLUSTER_DOMAIN_NAMES_NOT_ACCEPT: LintCheck = {
  id: 'NP015',
  name: 'cluster-domain-names-not-accept',
  severity: Severity.ERROR,
  summary: 'A domainNames peer is in a Deny or Pass rule: domain names are only supported for Accept rules.',
  explanation:
    'The network-policy-api defines `domainNames` (experimental channel) for Accept rules only: "In order to control '
    + 'access, DomainNames Accept rules should be used with a lower precedence egress deny". The CRD does not reject a '
    + 'Deny or Pass with domain names, but implementations do not enforce it, so the deny the author expects does not '
    + 'happen.',
  fix: 'Accept the allowed domains and follow with a broader Deny rule (an allowlist).',
  check: ctx => {
    const findings: CheckFinding[] = [];
    for (const policy of ctx.clusterPolicies) {
      policy.egress.forEach((rule, i) => {
        if (rule.action === 'Accept') return;
        rule.peers.forEach((peer, p) => {
          if (!peer.domainNames) return;
          findings.push({
            subject: clusterPolicyRef(policy),
            field: `spec.egress[${i}].to[${p}].domainNames`,
            message: `egress rule ${i} is a ${rule.actionText} with a domainNames peer (${peer.domainNames.join(', ')}): domain names are only supported for Accept rules`,
          });
        });
      });
    }
    return findings;
  },
};
