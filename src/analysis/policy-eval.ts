/**
 * Evaluates policies for one connection, endpoint by endpoint, with reasons. This is the
 * reference evaluator: the truth-table engine (`reachability.ts`) computes the same answers in
 * bulk over pod shapes, and the tests check that both agree.
 */
import { Direction } from '../direction';
import { Protocol } from '../port';
import { EndpointRecord } from './object-reader';
import { PortSet } from './port-set';
import { policiesSelecting } from './selecting-index';
import { TierClaim, decideTiers, describeTierRule, tierCandidates, tierRulesSelecting } from './tiers';
import { ClusterRuleRef, DirectionVerdict, RuleRef } from './verdict';
import { ParsedClusterPolicy } from '../model/cluster-network-policy';
import { ParsedPolicy, PolicyPeer, PolicyPort, PolicyRule } from '../model/network-policy';
import { Labels } from '../model/selector';

/** What evaluation needs besides the two endpoints. */
export interface EvaluationContext {
  /** Namespace name to labels. */
  readonly namespaces: ReadonlyMap<string, Labels>;
  /** The policies of each namespace, sorted by id. */
  readonly policiesByNamespace: ReadonlyMap<string, readonly ParsedPolicy[]>;
  /** Whether ipBlock peers match pod IPs. */
  readonly ipBlockMatchesPodIps: boolean;
  /**
   * Whether NetworkPolicies apply to hostNetwork pods (`HostNetworkPods.ISOLATED`); when not,
   * no policy selects them and selector peers never match them (see `hostNetworkExempt`).
   */
  readonly hostNetworkIsolated: boolean;
  /** The cluster-wide policies, by tier, priority and id (`sortClusterPolicies`). @default - none */
  readonly clusterPolicies?: readonly ParsedClusterPolicy[];
}

/**
 * Whether NetworkPolicies leave the endpoint alone: a hostNetwork pod when policies do not
 * apply to them (`HostNetworkPods.UNRESTRICTED`). Its traffic is its node's: no policy
 * isolates it, and `podSelector`/`namespaceSelector` peers never match it; a rule without
 * peers matches it, and an ipBlock that contains its address (the node's) does as it would a
 * pod IP. Whether it shares a node with the other end (traffic from a pod's own node is always
 * allowed) is not known offline, so that exception is never assumed.
 */
export function hostNetworkExempt(endpoint: EndpointRecord, ctx: Pick<EvaluationContext, 'hostNetworkIsolated'>): boolean {
  return endpoint.hostNetwork === true && !ctx.hostNetworkIsolated;
}

/** Whether the peer entry of a policy in `policyNamespace` matches the endpoint. */
export function peerMatches(peer: PolicyPeer, policyNamespace: string, endpoint: EndpointRecord, ctx: EvaluationContext): boolean {
  if (peer.ipBlock) {
    if (!endpoint.external && !ctx.ipBlockMatchesPodIps) return false;
    return endpoint.addresses.some(a => peer.ipBlock!.contains(a));
  }
  // selectors only ever select pods, and never a pod whose traffic is its node's
  if (endpoint.external || hostNetworkExempt(endpoint, ctx)) return false;
  const namespaceOk = peer.namespaceSelector
    ? peer.namespaceSelector.matches(ctx.namespaces.get(endpoint.namespace!) ?? {})
    : endpoint.namespace === policyNamespace;
  return namespaceOk && (!peer.podSelector || peer.podSelector.matches(endpoint.labels));
}

/**
 * Whether a port entry matches traffic to `port`/`protocol` on `destination`. A named port
 * matches when the destination has a container port of that name and protocol with that number,
 * so it never matches an external endpoint.
 */
export function portMatches(entry: PolicyPort, port: number, protocol: Protocol, destination: EndpointRecord): boolean {
  if (entry.protocol !== protocol) return false;
  if (entry.name !== undefined) {
    return destination.ports.some(p => p.name === entry.name && p.protocol === protocol && p.port === port);
  }
  if (entry.port === undefined) return true;
  if (entry.endPort !== undefined) return port >= entry.port && port <= entry.endPort;
  return port === entry.port;
}

/** The policies in the endpoint's namespace that select it for the direction, sorted by id. */
export function selectingPolicies(endpoint: EndpointRecord, direction: Direction, ctx: EvaluationContext): ParsedPolicy[] {
  if (endpoint.external || hostNetworkExempt(endpoint, ctx)) return [];
  const candidates = ctx.policiesByNamespace.get(endpoint.namespace!) ?? [];
  return policiesSelecting(candidates, endpoint.labels, p => (direction === Direction.INGRESS ? p.isolatesIngress : p.isolatesEgress));
}

/**
 * What one direction says about a connection: the tiers of cluster-wide policy around the
 * NetworkPolicies (see `tiers.ts`), or the NetworkPolicies alone when the input has no
 * cluster-wide policy.
 *
 * @param direction INGRESS: `subject` is the destination and `peer` the source; EGRESS: the reverse
 */
export function evaluateDirection(
  direction: Direction,
  subject: EndpointRecord,
  peer: EndpointRecord,
  port: number,
  protocol: Protocol,
  ctx: EvaluationContext,
): DirectionVerdict {
  const networkPolicy = networkPolicyDirection(direction, subject, peer, port, protocol, ctx);
  const cluster = ctx.clusterPolicies;
  if (!cluster || cluster.length === 0) return networkPolicy;
  const ingress = direction === Direction.INGRESS;
  const label = ingress ? `ingress to ${subject.name}` : `egress from ${subject.name}`;
  const npTier = networkPolicy.isolated ? 'NetworkPolicy' : 'default';
  if (subject.external) return { ...networkPolicy, tier: 'default' };
  if (subject === peer) {
    return { ...networkPolicy, tier: npTier, reason: `${networkPolicy.reason} (a pod reaching itself is not subject to cluster-wide policies)` };
  }
  const destination = ingress ? subject : peer;
  const within = PortSet.range(protocol, port);
  const admin = tierCandidates(tierRulesSelecting(cluster, 'Admin', subject, direction, ctx), peer, destination, ctx);
  const baseline = tierCandidates(tierRulesSelecting(cluster, 'Baseline', subject, direction, ctx), peer, destination, ctx);
  const decision = decideTiers(admin, networkPolicy.isolated ? (networkPolicy.allowed ? within : PortSet.NONE) : undefined, baseline, within);
  const passedBy: ClusterRuleRef[] = [];
  // equal-priority policies that disagree: the most open outcome was taken (see tiers.ts); say so
  const conflicting = [...decision.admin.conflicts, ...decision.baseline.conflicts].flatMap(c => c.claims).map(clusterRuleRef);
  const undefinedText = conflicting.length === 0 ? ''
    : `undefined: policies of equal priority disagree (${conflicting.map(r => `${r.action === 'Deny' ? 'denied' : r.action === 'Pass' ? 'passed' : 'allowed'} by ${r.description}`).join('; ')}); `
      + 'evaluated as the most open outcome, the worst case for a promise that it is denied: ';
  const undefinedBetween = conflicting.length > 0 ? { undefinedBetween: conflicting } : {};
  for (const outcome of [decision.admin, decision.baseline]) {
    const claim = outcome.claims[0];
    if (!claim) continue;
    const ref = clusterRuleRef(claim);
    if (claim.action === 'Pass') {
      passedBy.push(ref);
      continue;
    }
    const allowed = claim.action === 'Accept';
    return {
      ...networkPolicy,
      allowed,
      allowedBy: [],
      unmatched: [],
      tier: claim.ref.policy.tier,
      decidedBy: ref,
      ...(passedBy.length > 0 ? { passedBy } : {}),
      ...undefinedBetween,
      reason: `${label}: ${undefinedText}${passedBy.map(p => `passed by ${p.description}, then `).join('')}decided by ${ref.description}; ${allowed ? 'allowed' : 'denied'}`,
    };
  }
  const passed = undefinedText + passedBy.map(p => `passed by ${p.description}; `).join('');
  if (networkPolicy.isolated) {
    return { ...networkPolicy, tier: 'NetworkPolicy', ...(passedBy.length > 0 ? { passedBy } : {}), ...undefinedBetween, reason: passed ? `${label}: ${passed}${networkPolicy.reason.slice(label.length + 2)}` : networkPolicy.reason };
  }
  return {
    ...networkPolicy,
    tier: 'default',
    ...(passedBy.length > 0 ? { passedBy } : {}),
    ...undefinedBetween,
    reason: `${label}: ${passed}no Admin or Baseline rule decides and ${networkPolicy.reason.slice(label.length + 2)}`,
  };
}

/** The reference to the rule that claimed a connection. */
function clusterRuleRef(claim: TierClaim): ClusterRuleRef {
  const { policy, rule } = claim.ref;
  return {
    tier: policy.tier,
    policy: policy.id,
    priority: policy.priority,
    direction: rule.direction,
    ruleIndex: rule.index,
    ...(rule.name !== undefined ? { ruleName: rule.name } : {}),
    action: rule.actionText,
    description: describeTierRule(claim.ref),
  };
}

/** Why a hostNetwork pod is not isolated (`HostNetworkPods.UNRESTRICTED`). */
const HOST_NETWORK_SUBJECT = 'not isolated: a hostNetwork pod, whose traffic is its node\'s, and NetworkPolicies do not apply to '
  + 'hostNetwork pods in the common implementations (AnalysisOptions.hostNetworkPods: HostNetworkPods.ISOLATED, '
  + 'netpol --host-network isolated, or a cluster profile with hostNetworkPodsIsolated, models a plugin that applies them)';

/** Why selector peers do not match a hostNetwork pod (`HostNetworkPods.UNRESTRICTED`). */
const HOST_NETWORK_PEER = 'is a hostNetwork pod: its traffic carries its node\'s IP, so podSelector and namespaceSelector peers '
  + 'never match it (only a rule without peers, or an ipBlock with its node\'s address, does; traffic from a pod\'s own node '
  + 'is always allowed, but which node is not known offline)';

/** What the NetworkPolicies alone say about one direction of a connection. */
function networkPolicyDirection(
  direction: Direction,
  subject: EndpointRecord,
  peer: EndpointRecord,
  port: number,
  protocol: Protocol,
  ctx: EvaluationContext,
): DirectionVerdict {
  const ingress = direction === Direction.INGRESS;
  const label = ingress ? `ingress to ${subject.name}` : `egress from ${subject.name}`;
  const base = { direction, endpoint: subject.name, external: subject.external };
  // Not isolated: every connection is allowed in this direction.
  const open = (why: string): DirectionVerdict => ({
    ...base, isolated: false, isolatedBy: [], allowed: true, allowedBy: [], unmatched: [], reason: `${label}: ${why}; allowed`,
  });
  if (subject.external) return open('outside the cluster, no NetworkPolicy applies');
  if (hostNetworkExempt(subject, ctx)) return open(HOST_NETWORK_SUBJECT);
  const policies = selectingPolicies(subject, direction, ctx);
  if (policies.length === 0) return open(`not isolated (no policy in namespace ${subject.namespace} selects it for ${direction})`);
  const destination = ingress ? subject : peer;
  const allowedBy: RuleRef[] = [];
  const unmatched: string[] = [];
  for (const policy of policies) {
    const rules = ingress ? policy.ingress : policy.egress;
    if (rules.length === 0) {
      unmatched.push(`${policy.id}: no ${ingress ? 'ingress' : 'egress'} rules (it only isolates)`);
    }
    for (const rule of rules) {
      const result = matchRule(policy, rule, peer, destination, port, protocol, ctx);
      if (typeof result === 'string') unmatched.push(result);
      else allowedBy.push(result);
    }
  }
  const isolatedBy = policies.map(p => p.id);
  const host = subject.hostNetwork === true ? ' (a hostNetwork pod: policies apply to it under HostNetworkPods.ISOLATED)' : '';
  const isolation = `${label}: isolated by ${isolatedBy.join(', ')}${host}`;
  if (allowedBy.length > 0) {
    return {
      ...base,
      isolated: true,
      isolatedBy,
      allowed: true,
      allowedBy,
      unmatched: [],
      reason: `${isolation}; allowed by ${allowedBy.map(r => r.description).join('; ')}`,
    };
  }
  const policiesText = policies.length === 1 ? 'the policy that selects' : `the ${policies.length} policies that select`;
  return {
    ...base,
    isolated: true,
    isolatedBy,
    allowed: false,
    allowedBy: [],
    unmatched,
    reason: `${isolation}; no rule of ${policiesText} ${subject.name} allows it`,
  };
}

/** The rule reference when the rule matches, or why it does not. */
function matchRule(
  policy: ParsedPolicy,
  rule: PolicyRule,
  peer: EndpointRecord,
  destination: EndpointRecord,
  port: number,
  protocol: Protocol,
  ctx: EvaluationContext,
): RuleRef | string {
  const ingress = rule.direction === Direction.INGRESS;
  const ruleName = `${policy.id} ${ingress ? 'ingress' : 'egress'} rule ${rule.index}`;
  const peerField = ingress ? 'from' : 'to';

  const matchedPeer = rule.peers?.find(p => peerMatches(p, policy.namespace, peer, ctx));
  if (rule.peers && !matchedPeer) {
    const peers = rule.peers.map(p => `${peerField}[${p.index}] ${p.text}`).join('; ');
    const host = hostNetworkExempt(peer, ctx) && rule.peers.some(p => !p.ipBlock) ? `; ${peer.name} ${HOST_NETWORK_PEER}` : '';
    return `${ruleName}: no peer matches ${peer.name} (${peers})${host}`;
  }
  const matchedPort = rule.ports?.find(p => portMatches(p, port, protocol, destination));
  if (rule.ports && !matchedPort) {
    const ports = rule.ports.map(p => p.text).join(', ');
    const named = destination.external && rule.ports.some(p => p.name !== undefined) ? '; named ports never match an external address' : '';
    return `${ruleName}: no port matches ${protocol}/${port} (ports: ${ports})${named}`;
  }
  const peerText = matchedPeer ? `${peerField}[${matchedPeer.index}] ${matchedPeer.text}` : `${peerField} any peer`;
  let portText = 'any port';
  if (matchedPort) {
    portText = `ports[${matchedPort.index}] ${matchedPort.text}`;
    if (matchedPort.name !== undefined) portText += ` = ${port} on ${destination.name}`;
  }
  return {
    policy: policy.id,
    direction: rule.direction,
    ruleIndex: rule.index,
    peerIndex: matchedPeer?.index,
    portIndex: matchedPort?.index,
    description: `${ruleName} (${peerText}, ${portText})`,
  };
}
