/**
 * Small pieces the rules share: field paths, readable lists, and the AND/OR heuristic (used
 * by NP009, and by NP005 so that one slip is reported once).
 */
import { CheckFinding } from './lint-check';
import { LintContext } from './lint-context';
import { NamespaceView, WorkloadView, policyRef } from '../../analysis/cluster-queries';
import { PUBLIC_MARKER } from '../../constants';
import { Direction } from '../../direction';
import { ParsedPolicy, PolicyPeer, PolicyRule } from '../../model/network-policy';
import { labelValue, namespacesNamed, Selector } from '../../model/selector';


/** `spec.ingress[0]`. */
export function ruleField(rule: PolicyRule): string {
  return `spec.${rule.direction === Direction.INGRESS ? 'ingress' : 'egress'}[${rule.index}]`;
}

/** `spec.ingress[0].from[1]`. */
export function peerField(rule: PolicyRule, peer: PolicyPeer): string {
  return `${ruleField(rule)}.${rule.direction === Direction.INGRESS ? 'from' : 'to'}[${peer.index}]`;
}

/** The enforced rules of both directions, ingress first. */
export function enforcedRules(policy: ParsedPolicy): PolicyRule[] {
  return [...policy.ingress, ...policy.egress];
}

/** `a`, `a and b`, `a, b and c`, `a, b, c and 4 more`. */
export function listText(items: readonly string[], max = 3): string {
  if (items.length === 0) return 'none';
  if (items.length > max + 1) return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  if (items.length === 1) return items[0];
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `Deployment shop/web, Pod shop/debug and 2 more`. */
export function workloadList(workloads: readonly WorkloadView[], max = 3): string {
  return listText(workloads.map(w => w.text), max);
}

/** Whether every pod of the namespace is marked public, or the policy is. */
export function isPublicWorkload(workload: WorkloadView): boolean {
  return workload.labels[PUBLIC_MARKER] === 'true';
}

/**
 * For a selector that matches nothing: the values the workloads have for the keys it tests,
 * e.g. `app: backend, frontend` (a typo is then easy to spot).
 */
export function labelHint(selector: Selector, workloads: readonly WorkloadView[]): string {
  const keys = [...new Set(selector.requirements.map(r => r.key))];
  const parts: string[] = [];
  for (const key of keys) {
    const values = [...new Set(workloads.map(w => labelValue(w.labels, key)).filter((v): v is string => v !== undefined))].sort();
    parts.push(values.length > 0 ? `${key}: ${listText(values, 5)}` : `${key}: no pod has this label`);
  }
  return parts.join('; ');
}

/** What NP009 found on one peer. */
export interface AndOrSlip {
  /** The namespaces the namespaceSelector selects, in the input or by name. */
  readonly namespaces: string[];
  /** The pods of the policy's own namespace that the podSelector alone matches. */
  readonly localPods: WorkloadView[];
}

/**
 * The AND/OR heuristic: a peer with both a (non-empty) namespaceSelector N and a (non-empty)
 * podSelector S was probably meant as two peers when
 * - N does not select the policy's own namespace, and
 * - S matches pods of the policy's own namespace, and
 * - S matches no pod of the namespaces N selects (so the peer as written matches nothing in the input).
 * N must select some namespace: one of the input, or one it names (`kubernetes.io/metadata.name`).
 */
export function andOrSlip(ctx: LintContext, policy: ParsedPolicy, peer: PolicyPeer): AndOrSlip | undefined {
  const ns = peer.namespaceSelector;
  const pods = peer.podSelector;
  if (!ns || !pods || ns.isEmpty || pods.isEmpty) return undefined;
  const own = ctx.namespace(policy.namespace);
  if (own && ns.matches(own.labels)) return undefined;
  if (!own && namespacesNamed(ns)?.includes(policy.namespace)) return undefined;
  const localPods = ctx.workloadsIn(policy.namespace).filter(w => pods.matches(w.labels));
  if (localPods.length === 0) return undefined;
  const selected: NamespaceView[] = ctx.namespacesMatching(ns);
  if (selected.some(n => ctx.workloadsIn(n.name).some(w => pods.matches(w.labels)))) return undefined;
  const names = new Set(selected.map(n => n.name));
  for (const name of namespacesNamed(ns) ?? []) names.add(name);
  if (names.size === 0) return undefined;
  return { namespaces: [...names].sort(), localPods };
}

/**
 * NP006 and NP011: each broad peer (as `sourceOf` tells) of an enforced ingress rule (and, with
 * `noFrom`, each rule without `from`) of a policy that selects pods not marked public, or, when
 * the policy's namespace has no pods in the input, of a policy not annotated public.
 */
export function broadIngressFindings(ctx: LintContext, sourceOf: (peer: PolicyPeer) => string | undefined, noFrom: boolean): CheckFinding[] {
  const findings: CheckFinding[] = [];
  for (const policy of ctx.policies) {
    if (policy.ingress.length === 0 || policy.annotations[PUBLIC_MARKER] === 'true') continue;
    const local = ctx.workloadsIn(policy.namespace);
    const exposed = ctx.selectedBy(policy).filter(w => !isPublicWorkload(w));
    if (local.length > 0 && exposed.length === 0) continue;
    const target = local.length > 0
      ? `pods not marked public: ${workloadList(exposed)}`
      : `the pods it selects (podSelector ${policy.podSelector}), none of them marked public`;
    for (const rule of policy.ingress) {
      if (!rule.peers) {
        if (noFrom) {
          findings.push({
            subject: policyRef(policy),
            field: ruleField(rule),
            message: `the rule has no \`from\`, so it allows ingress from every pod and every address to ${target}`,
          });
        }
        continue;
      }
      for (const peer of rule.peers) {
        const source = sourceOf(peer);
        if (source) findings.push({ subject: policyRef(policy), field: peerField(rule, peer), message: `${peer.text} allows ingress from ${source} to ${target}` });
      }
    }
  }
  return findings;
}
