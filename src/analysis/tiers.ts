/**
 * The tiers of cluster-wide policy, as one pure function over port sets.
 *
 * Per direction (the source's egress, the destination's ingress), a connection is decided by:
 *
 *   Admin tier       ClusterNetworkPolicies of tier Admin (and v1alpha1 AdminNetworkPolicies) that select the
 *                    pod, by priority (lower first), each policy's rules in order: the first rule that matches
 *                    decides. Accept and Deny are final; Pass hands the traffic to the next tier.
 *   NetworkPolicy    if any NetworkPolicy selects the pod for the direction, it decides (allow what its rules
 *                    allow, deny the rest).
 *   Baseline tier    ClusterNetworkPolicies of tier Baseline (and the v1alpha1 BaselineAdminNetworkPolicy), the
 *                    same way; Pass goes on to the default.
 *   default          allow.
 *
 * `claimInOrder` fills three disjoint sets (accepted, denied, passed) rule by rule in precedence
 * order, each rule claiming only what the earlier rules left; `decideTiers` hands each tier what
 * the previous one passed or left unmatched. Which rule claimed what is kept, for `explain`.
 * Both work on a port set, so one function answers one port (`allowed()`, `explain`) and every
 * port (`connectivity()`, `list`) alike.
 *
 * Matching (network-policy-api v1alpha2; v1alpha1 read onto the same model):
 * - host-network pods are never selected, neither as subject nor by a `namespaces`/`pods` peer;
 * - `networks` match external addresses, and pod IPs unless `ipBlockMatchesPodIps` is off (the
 *   option that models plugins whose ipBlocks skip pod IPs governs `networks` the same way);
 * - `nodes` and `domainNames` match nothing offline: the input has no Node objects and names are
 *   not resolved (domainNames are Accept-only, so this never widens what is allowed);
 * - a peer or protocol entry with no known field fails closed: in an Accept rule it matches
 *   nothing, in a Deny or Pass rule everything;
 * - a pod reaching itself is not subject to cluster-wide policies.
 *
 * Policies of one tier with the same priority that match the same connection are undefined by
 * the API (any of them may apply). They are evaluated as the worst case for a promise that
 * traffic is denied, the one a reviewer of openings checks: each port gets the most open outcome
 * any of them gives it (Accept, then Pass, then Deny), so `list`, `diff` and `allowed()` show
 * every connection some order allows; the disagreement is kept (`TierOutcome.conflicts`) for
 * `explain`, which says "undefined", and lint rule NP013 reports the overlap.
 */
import { Direction } from '../direction';
import type { EndpointRecord } from './object-reader';
import { PortSet } from './port-set';
import { ClusterAction, ClusterPeer, ClusterPodSelection, ClusterRule, ParsedClusterPolicy } from '../model/cluster-network-policy';
import { Labels } from '../model/selector';

/** One rule of a cluster-wide policy, with its policy. */
export interface TierRule {
  readonly policy: ParsedClusterPolicy;
  readonly rule: ClusterRule;
}

/** A rule with the ports it matches for one connection (before earlier rules take their part). */
export interface TierCandidate {
  readonly ref: TierRule;
  readonly action: ClusterAction;
  readonly ports: PortSet;
}

/** What a rule claimed: the part of its ports no earlier rule had claimed. */
export interface TierClaim extends TierCandidate {}

/**
 * Ports that policies of one tier at the same priority decide differently: the API leaves their
 * order undefined ("the implementation can apply any of the matching policies"), so the cluster
 * may apply any of these claims.
 */
export interface TierConflict {
  readonly ports: PortSet;
  /** What each policy's first matching rule would decide of `ports`, in policy id order. */
  readonly claims: readonly TierClaim[];
}

/** The outcome of one tier: disjoint accepted, denied and passed sets, and who claimed what. */
export interface TierOutcome {
  readonly accepted: PortSet;
  readonly denied: PortSet;
  readonly passed: PortSet;
  readonly claims: readonly TierClaim[];
  /** Where policies of equal priority disagree (evaluated as the most open of their outcomes). */
  readonly conflicts: readonly TierConflict[];
}

/** Nothing matched. */
export const NO_CLAIMS: TierOutcome = Object.freeze({
  accepted: PortSet.NONE, denied: PortSet.NONE, passed: PortSet.NONE, claims: Object.freeze([]), conflicts: Object.freeze([]),
});

/** The action's set of an outcome. */
function setOf(outcome: { accepted: PortSet; denied: PortSet; passed: PortSet }, action: ClusterAction): PortSet {
  return action === 'Accept' ? outcome.accepted : action === 'Deny' ? outcome.denied : outcome.passed;
}

/** Rules of one order (one policy, or policies of distinct priorities) claiming `within` one after the other. */
function claimSequence(candidates: readonly TierCandidate[], within: PortSet): TierOutcome & { left: PortSet } {
  let left = within;
  let accepted = PortSet.NONE;
  let denied = PortSet.NONE;
  let passed = PortSet.NONE;
  const claims: TierClaim[] = [];
  for (const c of candidates) {
    if (left.isEmpty) break;
    const take = c.ports.intersect(left);
    if (take.isEmpty) continue;
    left = left.subtract(take);
    if (c.action === 'Accept') accepted = accepted.union(take);
    else if (c.action === 'Deny') denied = denied.union(take);
    else passed = passed.union(take);
    claims.push({ ref: c.ref, action: c.action, ports: take });
  }
  return { accepted, denied, passed, claims, conflicts: [], left };
}

/**
 * Policies of equal priority (whose order is undefined) claiming `within`: each policy's rules
 * in order, every policy over the same ports; a port goes to the most open outcome any of them
 * gives it (Accept, then Pass, which lets the next tier decide, then Deny): the union of what
 * any order allows, the worst case for a promise that traffic is denied.
 */
function claimUnordered(candidates: readonly TierCandidate[], within: PortSet): TierOutcome & { left: PortSet } {
  const byPolicy = new Map<unknown, TierCandidate[]>();
  for (const c of candidates) {
    const list = byPolicy.get(c.ref.policy);
    if (list) list.push(c);
    else byPolicy.set(c.ref.policy, [c]);
  }
  const outcomes = [...byPolicy.values()].map(list => claimSequence(list, within));
  const any = (action: ClusterAction) => outcomes.reduce((set, o) => set.union(setOf(o, action)), PortSet.NONE);
  const [anyAccepted, anyPassed, anyDenied] = [any('Accept'), any('Pass'), any('Deny')];
  const merged = { accepted: anyAccepted, passed: anyPassed.subtract(anyAccepted), denied: anyDenied.subtract(anyAccepted).subtract(anyPassed) };
  const claims: TierClaim[] = [];
  for (const o of outcomes) {
    for (const c of o.claims) {
      const ports = c.ports.intersect(setOf(merged, c.action));
      if (!ports.isEmpty) claims.push({ ...c, ports });
    }
  }
  const undefinedPorts = anyAccepted.intersect(anyPassed.union(anyDenied)).union(anyPassed.intersect(anyDenied));
  const conflicts: TierConflict[] = [];
  if (!undefinedPorts.isEmpty) {
    const disagreeing = outcomes.flatMap(o => o.claims).map(c => ({ ...c, ports: c.ports.intersect(undefinedPorts) })).filter(c => !c.ports.isEmpty);
    conflicts.push({ ports: undefinedPorts, claims: disagreeing });
  }
  const left = within.subtract(merged.accepted).subtract(merged.passed).subtract(merged.denied);
  return { ...merged, claims, conflicts, left };
}

/**
 * Claims `within` rule by rule, in the candidates' order (precedence): each rule takes what it
 * matches of what is left; what no rule takes stays unclaimed. Candidates of different policies
 * at the same priority (adjacent: sorted by priority, then policy) have no order: see
 * `claimUnordered`.
 */
export function claimInOrder(candidates: readonly TierCandidate[], within: PortSet): TierOutcome {
  const unordered = candidates.some((c, i) => i > 0 && c.ref.policy !== candidates[i - 1].ref.policy
    && c.ref.policy?.priority === candidates[i - 1].ref.policy?.priority);
  if (!unordered) {
    const { left: _, ...outcome } = claimSequence(candidates, within);
    return outcome;
  }
  let left = within;
  let accepted = PortSet.NONE;
  let denied = PortSet.NONE;
  let passed = PortSet.NONE;
  const claims: TierClaim[] = [];
  const conflicts: TierConflict[] = [];
  for (let i = 0; i < candidates.length && !left.isEmpty;) {
    const first = candidates[i].ref.policy;
    let j = i + 1;
    let several = false;
    while (j < candidates.length && candidates[j].ref.policy?.priority === first?.priority) {
      if (candidates[j].ref.policy !== first) several = true;
      j++;
    }
    const group = candidates.slice(i, j);
    const out = several ? claimUnordered(group, left) : claimSequence(group, left);
    accepted = accepted.union(out.accepted);
    denied = denied.union(out.denied);
    passed = passed.union(out.passed);
    claims.push(...out.claims);
    conflicts.push(...out.conflicts);
    left = out.left;
    i = j;
  }
  return { accepted, denied, passed, claims, conflicts };
}

/** What the tiers decide for one direction. */
export interface TierDecision {
  /** What the direction allows. */
  readonly allowed: PortSet;
  readonly admin: TierOutcome;
  /** What reached the NetworkPolicy tier (passed or unmatched by the Admin tier). */
  readonly afterAdmin: PortSet;
  /** Whether NetworkPolicies select the pod for the direction (then the Baseline tier is never reached). */
  readonly networkPolicySelects: boolean;
  readonly baseline: TierOutcome;
}

/**
 * The tiers for one direction, over `within`.
 *
 * @param admin the Admin tier's candidates, in precedence order
 * @param networkPolicy what the NetworkPolicies that select the pod allow, or `undefined` when none selects it
 * @param baseline the Baseline tier's candidates, in precedence order
 */
export function decideTiers(
  admin: readonly TierCandidate[],
  networkPolicy: PortSet | undefined,
  baseline: readonly TierCandidate[],
  within: PortSet = PortSet.ALL,
): TierDecision {
  return decideAfterAdmin(claimAdmin(admin, within), networkPolicy, afterAdmin => claimBaseline(baseline, afterAdmin));
}

/** The Admin tier's outcome over `within`, and what it leaves to the next tiers. */
export interface AdminStep {
  readonly outcome: TierOutcome;
  /** What reaches the NetworkPolicy tier: passed or unmatched. */
  readonly afterAdmin: PortSet;
}

/** The Admin tier over `within` (its candidates in precedence order). */
export function claimAdmin(admin: readonly TierCandidate[], within: PortSet = PortSet.ALL): AdminStep {
  const outcome = admin.length === 0 ? NO_CLAIMS : claimInOrder(admin, within);
  const afterAdmin = outcome.claims.length === 0 ? within : within.subtract(outcome.accepted).subtract(outcome.denied);
  return { outcome, afterAdmin };
}

/** The Baseline tier over what the Admin tier left (its candidates in precedence order). */
export function claimBaseline(baseline: readonly TierCandidate[], afterAdmin: PortSet): TierOutcome {
  return baseline.length === 0 || afterAdmin.isEmpty ? NO_CLAIMS : claimInOrder(baseline, afterAdmin);
}

/**
 * The rest of `decideTiers` once the Admin tier has claimed its part: what depends on the
 * NetworkPolicies. The bulk evaluators keep the Admin (and Baseline) outcome of one set of
 * candidates and call this for each `networkPolicy`.
 *
 * @param baselineOf the Baseline tier's outcome over what the Admin tier left (`claimBaseline`);
 * only asked when no NetworkPolicy selects the pod
 */
export function decideAfterAdmin(
  admin: AdminStep,
  networkPolicy: PortSet | undefined,
  baselineOf: (afterAdmin: PortSet) => TierOutcome,
): TierDecision {
  const { outcome: adminOutcome, afterAdmin } = admin;
  if (networkPolicy !== undefined) {
    return {
      allowed: adminOutcome.accepted.union(afterAdmin.intersect(networkPolicy)),
      admin: adminOutcome,
      afterAdmin,
      networkPolicySelects: true,
      baseline: NO_CLAIMS,
    };
  }
  const baselineOutcome = baselineOf(afterAdmin);
  return {
    // Baseline Accept, Pass and what it leaves unmatched are all allowed (the default)
    allowed: adminOutcome.accepted.union(afterAdmin.subtract(baselineOutcome.denied)),
    admin: adminOutcome,
    afterAdmin,
    networkPolicySelects: false,
    baseline: baselineOutcome,
  };
}

/** What matching needs besides the endpoints. */
export interface TierContext {
  /** Namespace name to labels. */
  readonly namespaces: ReadonlyMap<string, Labels>;
  /** Whether `networks` (like ipBlocks) match pod IPs. */
  readonly ipBlockMatchesPodIps: boolean;
}

/** Orders policies by tier (Admin first), priority (lower first), then id, so that evaluation is deterministic. */
export function sortClusterPolicies(policies: readonly ParsedClusterPolicy[]): ParsedClusterPolicy[] {
  return [...policies].sort((a, b) => (a.tier === b.tier ? 0 : a.tier === 'Admin' ? -1 : 1)
    || a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Whether a selection (a subject, or a `namespaces`/`pods` peer) selects the endpoint. */
export function selectionMatches(selection: ClusterPodSelection, endpoint: EndpointRecord, ctx: TierContext): boolean {
  return selectionMatchesPod(selection, endpoint) && selection.namespaces.matches(ctx.namespaces.get(endpoint.namespace!) ?? {});
}

/**
 * The part of `selectionMatches` that does not depend on the namespace's labels: whether the
 * selection selects the endpoint when it selects its namespace (so a bulk evaluator matches the
 * namespace selector once per namespace).
 */
export function selectionMatchesPod(selection: ClusterPodSelection, endpoint: EndpointRecord): boolean {
  if (endpoint.external || endpoint.hostNetwork) return false;
  return !selection.pods || selection.pods.matches(endpoint.labels);
}

/** Whether a peer of a rule with `action` matches the endpoint at the other end. */
export function clusterPeerMatches(peer: ClusterPeer, action: ClusterAction, endpoint: EndpointRecord, ctx: TierContext): boolean {
  if (peer.unknown) return action !== 'Accept';
  if (peer.selection) return selectionMatches(peer.selection, endpoint, ctx);
  if (peer.networks) {
    if (!endpoint.external && !ctx.ipBlockMatchesPodIps) return false;
    return endpoint.addresses.some(a => peer.networks!.some(block => block.contains(a)));
  }
  return false; // nodes, domainNames: nothing offline can match them
}

/** The ports a rule matches towards a destination (named ports resolved on its container ports). */
export function clusterRulePorts(rule: ClusterRule, destination: EndpointRecord): PortSet {
  if (!rule.ports) return PortSet.ALL;
  let set = PortSet.NONE;
  for (const entry of rule.ports) {
    if (entry.unknown) {
      if (rule.action !== 'Accept') return PortSet.ALL;
    } else if (entry.name !== undefined) {
      if (destination.external) continue;
      for (const p of destination.ports) if (p.name === entry.name) set = set.union(PortSet.range(p.protocol, p.port));
    } else if (entry.protocol !== undefined && entry.start! <= entry.end!) {
      set = set.union(PortSet.range(entry.protocol, entry.start!, entry.end!));
    }
  }
  return set;
}

/** The rules of the policies of one tier that select the subject for a direction, in precedence order. */
export function tierRulesSelecting(
  policies: readonly ParsedClusterPolicy[],
  tier: 'Admin' | 'Baseline',
  subject: EndpointRecord,
  direction: Direction,
  ctx: TierContext,
): TierRule[] {
  const out: TierRule[] = [];
  for (const policy of policies) {
    if (policy.tier !== tier) continue;
    const rules = direction === Direction.INGRESS ? policy.ingress : policy.egress;
    if (rules.length === 0 || !selectionMatches(policy.subject, subject, ctx)) continue;
    for (const rule of rules) out.push({ policy, rule });
  }
  return out;
}

/**
 * The candidates of a tier for one connection: each rule of `rules` whose peers match `peer`,
 * with the ports it matches towards `destination`.
 */
export function tierCandidates(rules: readonly TierRule[], peer: EndpointRecord, destination: EndpointRecord, ctx: TierContext): TierCandidate[] {
  const out: TierCandidate[] = [];
  for (const ref of rules) {
    const action = ref.rule.action;
    if (!ref.rule.peers.some(p => clusterPeerMatches(p, action, peer, ctx))) continue;
    const ports = clusterRulePorts(ref.rule, destination);
    if (!ports.isEmpty) out.push({ ref, action, ports });
  }
  return out;
}

/** `Admin tier: ClusterNetworkPolicy/guard (priority 10) egress rule 0 "deny-metadata" (Deny)`. */
export function describeTierRule(ref: TierRule, actionText?: string): string {
  const { policy, rule } = ref;
  const name = rule.name !== undefined ? ` ${JSON.stringify(rule.name)}` : '';
  const direction = rule.direction === Direction.INGRESS ? 'ingress' : 'egress';
  return `${policy.tier} tier: ${policy.id} (priority ${policy.priority}) ${direction} rule ${rule.index}${name} (${actionText ?? rule.actionText})`;
}
