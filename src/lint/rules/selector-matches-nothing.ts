import { policyRef } from '../../analysis/cluster-queries';
import { namespacesNamed } from '../../model/selector';
import { NearestIndex } from '../../validation/private/did-you-mean';
import { isDns1123Label } from '../../validation/private/names';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { LintContext } from '../private/lint-context';
import { andOrSlip, labelHint, listText, peerField, enforcedRules } from '../private/rule-helpers';
import { Severity } from '../severity';

/** NP005: a policy podSelector, or a peer selector, that matches no pod or namespace of the input. */
export const SELECTOR_MATCHES_NOTHING: LintCheck = {
  id: 'NP005',
  name: 'selector-matches-nothing',
  severity: Severity.ERROR,
  summary: 'A policy\'s podSelector, or a peer\'s selector, matches no pod or namespace in the input.',
  explanation:
    'A selector with a typo (`app: frontnd`) or a stale label is valid and silently matches nothing: the policy then '
    + 'isolates or allows nothing. The rule only judges what the input can show: '
    + '(1) `spec.podSelector`, and a peer `podSelector` without `namespaceSelector`, are checked when the policy\'s '
    + 'namespace has pods or workloads in the input; '
    + '(2) a peer `namespaceSelector` that selects namespaces by name (`kubernetes.io/metadata.name`) may name '
    + 'namespaces outside the input and is not reported; one that selects by other labels is reported when the input '
    + 'declares Namespace objects (so labels are known) and none matches; '
    + '(3) a peer `podSelector` next to a `namespaceSelector` is checked when the set of namespaces it may look in is '
    + 'known and every one of them has pods in the input: the namespaces a selector names (`kubernetes.io/metadata.name`), '
    + 'or, when the input declares Namespace objects, those whose labels match (other namespace selectors, such as `{}`, '
    + 'may select namespaces outside the input). A peer that NP009 reports as a probable AND/OR slip is not reported again here. '
    + 'The finding lists the values the pods have for the selector\'s keys, to make typos obvious. '
    + '(4) A namespace a selector names that the input does not declare is reported when it can never exist (not a '
    + 'DNS-1123 label, such as `Ingress_Nginx`), or when the input declares Namespace objects and one of them has a near '
    + 'name (`paymnets` for `payments`): "did you mean" (the search for near names is capped, so that an input of '
    + 'thousands of near-identical names stays fast: past the cap, no such finding is made).'
    + ' It is an error: a selector that matches nothing silently isolates or allows nothing, and it is only reported where the input can show it (pods of that namespace present, or namespaces declared).',
  fix: 'Correct the selector to the labels the pods (or namespaces) really have; if the pods are deployed from '
    + 'elsewhere, suppress the finding with the reason.',
  check: ctx => {
    const findings: CheckFinding[] = [];
    for (const policy of ctx.policies) {
      const local = ctx.workloadsIn(policy.namespace);
      if (local.length > 0 && !policy.podSelector.isEmpty && ctx.selectedBy(policy).length === 0) {
        findings.push({
          subject: policyRef(policy),
          field: 'spec.podSelector',
          message: `${policy.podSelector} matches no pod in namespace ${policy.namespace} (${labelHint(policy.podSelector, local)})`,
        });
      }
      for (const rule of enforcedRules(policy)) {
        for (const peer of rule.peers ?? []) {
          if (peer.ipBlock || andOrSlip(ctx, policy, peer)) continue;
          const field = peerField(rule, peer);
          const pods = peer.podSelector;
          if (!peer.namespaceSelector) {
            if (pods && !pods.isEmpty && local.length > 0 && !local.some(w => pods.matches(w.labels))) {
              findings.push({
                subject: policyRef(policy),
                field: `${field}.podSelector`,
                message: `${pods} matches no pod in namespace ${policy.namespace}, the policy's own (a podSelector without `
                  + `a namespaceSelector selects only there) (${labelHint(pods, local)})`,
              });
            }
            continue;
          }
          for (const name of namespacesNamed(peer.namespaceSelector) ?? []) {
            const problem = namespaceNameProblem(ctx, name);
            if (problem) findings.push({ subject: policyRef(policy), field: `${field}.namespaceSelector`, message: problem });
          }
          const namespaces = ctx.namespacesMatching(peer.namespaceSelector);
          if (namespaces.length === 0) {
            if (ctx.hasDeclaredNamespaces && namespacesNamed(peer.namespaceSelector) === undefined) {
              findings.push({
                subject: policyRef(policy),
                field: `${field}.namespaceSelector`,
                message: `${peer.namespaceSelector} matches no namespace in the input (namespaces: ${listText(ctx.namespaces.map(n => n.name), 8)})`,
              });
            }
            continue;
          }
          // only a closed set of namespaces can be searched, all with pods in the input: those named,
          // or (labels being known) the declared ones the selector matches
          if (!pods || pods.isEmpty || peer.namespaceSelector.isEmpty) continue;
          const named = namespacesNamed(peer.namespaceSelector);
          const searched = named ?? (ctx.hasDeclaredNamespaces ? namespaces.map(n => n.name) : undefined);
          if (!searched || searched.some(n => ctx.workloadsIn(n).length === 0)) continue;
          const candidates = namespaces.flatMap(n => ctx.workloadsIn(n.name));
          if (!candidates.some(w => pods.matches(w.labels))) {
            findings.push({
              subject: policyRef(policy),
              field: `${field}.podSelector`,
              message: `${pods} matches no pod in the namespaces its namespaceSelector selects (${listText(namespaces.map(n => n.name))}) `
                + `(${labelHint(pods, candidates)})`,
            });
          }
        }
      }
    }
    return findings;
  },
};

/**
 * The declared namespaces of a lint, indexed once for every "did you mean" of the lint (each
 * peer naming a namespace asks): linear in practice, and capped (`NearestIndex`), where comparing
 * every peer with every namespace took 75 s on 409 KB of input.
 */
const DECLARED = new WeakMap<LintContext, NearestIndex>();

function declaredNames(ctx: LintContext): NearestIndex {
  let index = DECLARED.get(ctx);
  if (!index) {
    index = new NearestIndex(ctx.namespaces.filter(n => n.ref).map(n => n.name));
    DECLARED.set(ctx, index);
  }
  return index;
}

/** Why a namespace a selector names cannot be the one meant, if it cannot. */
function namespaceNameProblem(ctx: LintContext, name: string): string | undefined {
  if (ctx.namespace(name)) return undefined;
  const invalid = isDns1123Label(name);
  if (invalid.length > 0) {
    return `namespace ${JSON.stringify(name)} can never exist, so the selector matches nothing: namespace names are DNS-1123 labels (${invalid[0]})`;
  }
  if (!ctx.hasDeclaredNamespaces) return undefined;
  const near = declaredNames(ctx).nearest(name, Math.max(1, Math.min(2, Math.floor(name.length / 4))));
  return near ? `namespace ${JSON.stringify(name)} is not in the input, which declares ${JSON.stringify(near)}: did you mean ${JSON.stringify(near)}?` : undefined;
}
