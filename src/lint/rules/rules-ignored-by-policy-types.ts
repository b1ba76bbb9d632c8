import { policyRef } from '../../analysis/cluster-queries';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { Severity } from '../severity';

/** NP007: rules for a direction that `policyTypes` does not list (the validator's IgnoredRules warning). */
export const RULES_IGNORED_BY_POLICY_TYPES: LintCheck = {
  id: 'NP007',
  name: 'rules-ignored-by-policy-types',
  severity: Severity.ERROR,
  summary: 'A policy has rules for a direction its policyTypes does not list, so they are never enforced.',
  explanation:
    'The API server accepts `egress` rules in a policy whose `policyTypes` is `[Ingress]` (and the reverse), keeps '
    + 'them, and never enforces them: the pods are not isolated for that direction, and the rules allow nothing. It '
    + 'usually means `policyTypes` was written for the first direction and not updated when rules for the second '
    + 'were added. The rule reports the `IgnoredRules` warning of the API-server validator (`netpol validate`). '
    + 'Policies built with this library\'s `Policy` construct cannot have it: adding such a rule throws.'
    + ' It is an error: the API server stores the rules and never enforces them, which is never what the author meant.',
  fix: 'Add the direction to `policyTypes`, or remove the rules if they are not wanted.',
  check: ctx => {
    const findings: CheckFinding[] = [];
    for (const policy of ctx.policies) {
      for (const warning of policy.warnings) {
        if (warning.code === 'IgnoredRules') findings.push({ subject: policyRef(policy), field: warning.field, message: warning.detail });
      }
    }
    return findings;
  },
};
