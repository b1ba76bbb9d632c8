/**
 * The one model of the network-policy-api project's cluster-wide policies, beside the
 * NetworkPolicy model: `ClusterNetworkPolicy` (v1alpha2) and its predecessors
 * `AdminNetworkPolicy` and `BaselineAdminNetworkPolicy` (v1alpha1), each read with its own
 * semantics into one form:
 *
 *   object -> validate (the CRD of the channel, `validation/`) -> default (once) -> this model
 *
 * v1alpha1 is mapped onto v1alpha2's meaning where it is the same: `Allow` is `Accept`; an
 * AdminNetworkPolicy is the Admin tier, the BaselineAdminNetworkPolicy (only `default`) the
 * Baseline tier; `ports` become the same protocol entries as `protocols`. The action as written
 * stays in `actionText`, for explanations. The model is immutable (deeply frozen).
 */
import { ADMIN_NETWORK_POLICY_KIND, BASELINE_ADMIN_NETWORK_POLICY_KIND, CLUSTER_NETWORK_POLICY_KIND } from '../constants';
import { Direction } from '../direction';
import { Protocol } from '../port';
import { IpBlock } from './ip-block';
import { Selector } from './selector';
import { FieldError, FieldWarning } from '../validation/field-error';
import { NetworkPolicyValidator } from '../validation/network-policy-validator';
import { ClusterPolicyKind, isClusterPolicyKind, validateClusterPolicyObject } from '../validation/private/cluster-policy';

/** The tier of a cluster-wide policy: Admin is evaluated before NetworkPolicies, Baseline after. */
export type ClusterTier = 'Admin' | 'Baseline';

/** What a rule does with what it matches (v1alpha1's `Allow` is `Accept`). */
export type ClusterAction = 'Accept' | 'Deny' | 'Pass';

/** The pods a subject or a `pods` peer selects: pods matching `pods` in namespaces matching `namespaces`. */
export interface ClusterPodSelection {
  readonly namespaces: Selector;
  /** `undefined` for a `namespaces` selection: every pod of the namespaces. */
  readonly pods?: Selector;
}

/** One entry of a rule's `from`/`to`. Exactly one field is set, or `unknown`. */
export interface ClusterPeer {
  readonly index: number;
  /** A `namespaces` or `pods` peer. */
  readonly selection?: ClusterPodSelection;
  /** A `networks` peer: one block per CIDR (they match pod IPs too). */
  readonly networks?: readonly IpBlock[];
  /** A `nodes` peer (experimental): node IPs, which the input never holds. */
  readonly nodes?: Selector;
  /** A `domainNames` peer (experimental): names, which offline analysis cannot resolve. */
  readonly domainNames?: readonly string[];
  /**
   * A peer with no field this reader knows (a newer CRD's): it fails closed, as the API says:
   * in an Accept rule it matches nothing, in a Deny or Pass rule everything.
   */
  readonly unknown?: boolean;
  /** `namespaces {team=a}`, `pods {}/{app=web}`, `networks 10.0.0.0/8`. */
  readonly text: string;
}

/** One entry of a rule's `protocols` (v1alpha2) or `ports` (v1alpha1). */
export interface ClusterPort {
  readonly index: number;
  /** The protocol of a numbered entry; `undefined` for a named port (any protocol of that container port) or an unknown entry. */
  readonly protocol?: Protocol;
  /** The first port of a numbered entry. */
  readonly start?: number;
  /** The last port (inclusive) of a numbered entry; below `start` (no port) only for an inverted v1alpha1 `portRange`. */
  readonly end?: number;
  /** A destination named port: the destination pod's container ports of that name. */
  readonly name?: string;
  /** An entry with no field this reader knows: fails closed like an unknown peer. */
  readonly unknown?: boolean;
  /** `TCP/80`, `TCP/1-65535`, `"http"`. */
  readonly text: string;
}

/** One ingress or egress rule, in precedence order within its policy. */
export interface ClusterRule {
  readonly direction: Direction;
  readonly index: number;
  /** The rule's `name`, when it has one. */
  readonly name?: string;
  readonly action: ClusterAction;
  /** The action as written (`Allow` in v1alpha1). */
  readonly actionText: string;
  /** The peers, ORed (never empty). */
  readonly peers: readonly ClusterPeer[];
  /** The protocol entries, ORed; `undefined` when the rule has none (all traffic). */
  readonly ports?: readonly ClusterPort[];
}

/** A valid cluster-wide policy after its CRD's defaulting. */
export interface ParsedClusterPolicy {
  readonly kind: ClusterPolicyKind;
  readonly apiVersion: string;
  readonly name: string;
  /** `ClusterNetworkPolicy/name`, `AdminNetworkPolicy/name` or `BaselineAdminNetworkPolicy/default`. */
  readonly id: string;
  readonly tier: ClusterTier;
  /** `spec.priority` (lower wins); 0 for the v1alpha1 BaselineAdminNetworkPolicy, the only one of its tier. */
  readonly priority: number;
  /** The pods the policy applies to (host-network pods never). */
  readonly subject: ClusterPodSelection;
  readonly ingress: readonly ClusterRule[];
  readonly egress: readonly ClusterRule[];
  readonly annotations: Readonly<Record<string, string>>;
  readonly warnings: readonly FieldWarning[];
}

/** Options of `readClusterPolicy`. */
export interface ReadClusterPolicyOptions {
  /** Whether the experimental channel's CRDs are installed. @default true */
  readonly experimental?: boolean;
}

/** A cluster-wide policy read from an object: the model, or why the API server would reject it. */
export interface ClusterPolicyRead {
  readonly policy?: ParsedClusterPolicy;
  readonly errors: readonly FieldError[];
  readonly warnings: readonly FieldWarning[];
}

/** Whether an object is a ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy of the network-policy-api group. */
export function isClusterPolicyObject(obj: any): boolean {
  return isClusterPolicyKind(obj);
}

/** Reads one object: validates it with its CRD, applies the CRD's defaulting, builds the model. */
export function readClusterPolicy(obj: any, options: ReadClusterPolicyOptions = {}): ClusterPolicyRead {
  const { errors, warnings, defaulted } = validateClusterPolicyObject(obj, { experimental: options.experimental ?? true, keepUnknown: true });
  if (errors.length > 0 || !defaulted) return { errors, warnings };
  const kind: ClusterPolicyKind = defaulted.kind;
  const spec = defaulted.spec;
  const v1alpha1 = kind !== CLUSTER_NETWORK_POLICY_KIND;
  const name: string = defaulted.metadata.name || defaulted.metadata.generateName;
  const tier: ClusterTier = kind === CLUSTER_NETWORK_POLICY_KIND ? spec.tier : kind === ADMIN_NETWORK_POLICY_KIND ? 'Admin' : 'Baseline';
  const rules = (list: any[] | undefined, direction: Direction) => (list ?? []).map((r, i) => buildRule(r, i, direction, v1alpha1));
  const policy: ParsedClusterPolicy = deepFreeze({
    kind,
    apiVersion: defaulted.apiVersion,
    name,
    id: `${kind}/${name}`,
    tier,
    priority: kind === BASELINE_ADMIN_NETWORK_POLICY_KIND ? 0 : spec.priority,
    subject: selection(spec.subject),
    ingress: rules(spec.ingress, Direction.INGRESS),
    egress: rules(spec.egress, Direction.EGRESS),
    annotations: { ...defaulted.metadata.annotations },
    warnings: [...warnings],
  });
  return { policy, errors: [], warnings };
}

/**
 * The message of a policy's first error, for an input error:
 * `ClusterNetworkPolicy deny-metadata: spec.priority: Invalid value: 1001: ...`.
 */
export function clusterPolicyErrorMessage(obj: any, errors: readonly FieldError[]): string {
  const name = typeof obj?.metadata?.name === 'string' && obj.metadata.name !== '' ? obj.metadata.name : '(unnamed)';
  const kind = typeof obj?.kind === 'string' ? obj.kind : 'object';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''}: run \`netpol validate\` for all)` : '';
  return `${kind} ${name}: ${NetworkPolicyValidator.formatError(errors[0])}${more}`;
}

function selection(raw: any): ClusterPodSelection {
  if (raw.namespaces !== undefined && raw.namespaces !== null) return { namespaces: Selector.fromValid(raw.namespaces) };
  return { namespaces: Selector.fromValid(raw.pods.namespaceSelector), pods: Selector.fromValid(raw.pods.podSelector) };
}

function selectionText(s: ClusterPodSelection): string {
  return s.pods ? `pods ${s.namespaces}/${s.pods}` : `namespaces ${s.namespaces}`;
}

function buildRule(raw: any, index: number, direction: Direction, v1alpha1: boolean): ClusterRule {
  const actionText: string = raw.action;
  const action: ClusterAction = actionText === 'Allow' ? 'Accept' : actionText as ClusterAction;
  const peers: any[] = direction === Direction.INGRESS ? raw.from : raw.to;
  const ports: any[] | undefined = v1alpha1 ? raw.ports : raw.protocols;
  return {
    direction,
    index,
    ...(typeof raw.name === 'string' && raw.name !== '' ? { name: raw.name } : {}),
    action,
    actionText,
    peers: peers.map(buildPeer),
    ports: ports === undefined || ports === null ? undefined : ports.map(v1alpha1 ? buildV1alpha1Port : buildPort),
  };
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function buildPeer(raw: any, index: number): ClusterPeer {
  if (present(raw.namespaces) || present(raw.pods)) {
    const s = selection(raw);
    return { index, selection: s, text: selectionText(s) };
  }
  if (present(raw.networks)) {
    const cidrs: string[] = raw.networks;
    return { index, networks: cidrs.map(cidr => IpBlock.fromValid({ cidr })), text: `networks ${cidrs.join(', ')}` };
  }
  if (present(raw.nodes)) {
    const nodes = Selector.fromValid(raw.nodes);
    return { index, nodes, text: `nodes ${nodes}` };
  }
  if (present(raw.domainNames)) {
    const names: string[] = raw.domainNames;
    return { index, domainNames: [...names], text: `domainNames ${names.join(', ')}` };
  }
  return { index, unknown: true, text: `unknown peer (fields ${Object.keys(raw).map(k => JSON.stringify(k)).join(', ')})` };
}

const PROTOCOL_FIELDS: readonly [string, Protocol][] = [['tcp', Protocol.TCP], ['udp', Protocol.UDP], ['sctp', Protocol.SCTP]];

function numbered(index: number, protocol: Protocol, start: number, end: number): ClusterPort {
  const text = start === end ? `${protocol}/${start}` : `${protocol}/${start}-${end}`;
  return { index, protocol, start, end, text };
}

function buildPort(raw: any, index: number): ClusterPort {
  for (const [field, protocol] of PROTOCOL_FIELDS) {
    const match = raw[field];
    if (!present(match)) continue;
    const port = match.destinationPort;
    if (present(port?.number)) return numbered(index, protocol, port.number, port.number);
    if (present(port?.range)) return numbered(index, protocol, port.range.start, port.range.end);
    // `tcp: { futureField: ... }`: a match this reader does not know
    return { index, protocol, unknown: true, text: `${protocol}/(unknown match)` };
  }
  if (present(raw.destinationNamedPort)) return { index, name: raw.destinationNamedPort, text: JSON.stringify(raw.destinationNamedPort) };
  return { index, unknown: true, text: `unknown protocol entry (fields ${Object.keys(raw).map(k => JSON.stringify(k)).join(', ')})` };
}

function buildV1alpha1Port(raw: any, index: number): ClusterPort {
  if (present(raw.portNumber)) return numbered(index, raw.portNumber.protocol, raw.portNumber.port, raw.portNumber.port);
  if (present(raw.portRange)) {
    const { protocol, start, end } = raw.portRange;
    // v1alpha1 has no start < end rule: an inverted range (start > end) holds no port
    return numbered(index, protocol, start, end);
  }
  if (present(raw.namedPort)) return { index, name: raw.namedPort, text: JSON.stringify(raw.namedPort) };
  return { index, unknown: true, text: `unknown port entry (fields ${Object.keys(raw).map(k => JSON.stringify(k)).join(', ')})` };
}

/** Freezes what the model builds, all the way down (selectors and ipBlocks freeze themselves). */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}
