/**
 * Evaluates policies for one connection, endpoint by endpoint, with reasons. This is the
 * reference evaluator: the truth-table engine (`reachability.ts`) computes the same answers in
 * bulk over pod shapes, and the tests check that both agree.
 */
import { Direction } from '../direction';
import { Protocol } from '../port';
import { EndpointRecord } from './object-reader';
import { policiesSelecting } from './selecting-index';
import { DirectionVerdict, RuleRef } from './verdict';
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
}

/** Whether the peer entry of a policy in `policyNamespace` matches the endpoint. */
export function peerMatches(peer: PolicyPeer, policyNamespace: string, endpoint: EndpointRecord, ctx: EvaluationContext): boolean {
  if (peer.ipBlock) {
    if (!endpoint.external && !ctx.ipBlockMatchesPodIps) return false;
    return endpoint.addresses.some(a => peer.ipBlock!.contains(a));
  }
  if (endpoint.external) return false; // selectors only ever select pods
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
  if (endpoint.external) return [];
  const candidates = ctx.policiesByNamespace.get(endpoint.namespace!) ?? [];
  return policiesSelecting(candidates, endpoint.labels, p => (direction === Direction.INGRESS ? p.isolatesIngress : p.isolatesEgress));
}

/**
 * What one direction says about a connection.
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
  const ingress = direction === Direction.INGRESS;
  const label = ingress ? `ingress to ${subject.name}` : `egress from ${subject.name}`;
  const base = { direction, endpoint: subject.name, external: subject.external };
  // Not isolated: every connection is allowed in this direction.
  const open = (why: string): DirectionVerdict => ({
    ...base, isolated: false, isolatedBy: [], allowed: true, allowedBy: [], unmatched: [], reason: `${label}: ${why}; allowed`,
  });
  if (subject.external) return open('outside the cluster, no NetworkPolicy applies');
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
  const isolation = `${label}: isolated by ${isolatedBy.join(', ')}`;
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
    return `${ruleName}: no peer matches ${peer.name} (${peers})`;
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
