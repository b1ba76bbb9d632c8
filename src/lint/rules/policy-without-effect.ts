import { policyRef } from '../../analysis/cluster-queries';
import { PolicyContainment } from '../../analysis/policy-containment';
import { ParsedPolicy } from '../../model/network-policy';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { listText, workloadList } from '../private/rule-helpers';
import { Severity } from '../severity';

/** NP008: a policy whose removal would change nothing (shadowed by the others). */
export const POLICY_WITHOUT_EFFECT: LintCheck = {
  id: 'NP008',
  name: 'policy-without-effect',
  severity: Severity.WARNING,
  summary: 'A policy has no effect: other policies already isolate the pods it selects and allow everything it allows.',
  explanation:
    'Policies add up, so a policy whose every allowed connection is already allowed by other policies selecting the '
    + 'same pods (and whose isolation those policies also provide) changes nothing. It is dead weight at best; often '
    + 'it is a leftover whose author believes it restricts something (NetworkPolicies cannot deny). The rule works '
    + 'on the connectivity engine (its policy containment), per pod shape (pods with the same namespace, labels, named ports and IPs): for '
    + 'every shape the policy selects and every direction it isolates, another policy must isolate the shape too, and '
    + 'every connection one of its rules allows must be allowed by a rule of another policy. Connections are checked '
    + 'from and to every pod shape of the input; witness pods that stand for the pods a peer selects outside the input '
    + '(in namespaces, or with labels, the input does not have; their label values are those the selectors test); one '
    + 'address of every range the ipBlocks cut the address space into; and, per protocol, every port where a port '
    + 'range starts or ends and every named port. A policy without rules (a default deny) is never reported: its '
    + 'purpose is isolation, also of pods added later. Policies that select no pod in the input are not reported '
    + '(NP005 covers a podSelector that matches nothing). Of two policies that make each other redundant, the one '
    + 'that sorts last is reported.'
    + ' It is a warning: the policy is redundant, not harmful, and may be kept on purpose (a team\'s own copy of a shared rule).',
  fix: 'Remove the policy, or merge what it was meant to allow into the policy that shadows it.',
  check: ctx => new PolicyContainment(ctx).redundantPolicies().map(({ policy, selected, covering }): CheckFinding => ({
    subject: policyRef(policy),
    message: `the policy has no effect: for every pod it selects (${workloadList(selected)}), other policies already `
      + `isolate ${directionsText(policy)}, and ${covering.length === 0 ? 'its rules allow nothing'
        : `${listText(covering)} already ${covering.length === 1 ? 'allows' : 'allow'} everything it allows`}`,
  })),
};

function directionsText(policy: ParsedPolicy): string {
  return [policy.isolatesIngress ? 'ingress' : undefined, policy.isolatesEgress ? 'egress' : undefined].filter(Boolean).join(' and ');
}

