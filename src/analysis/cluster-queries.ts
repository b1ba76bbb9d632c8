/**
 * The questions asked of an analysed input by the checks built on the engine (lint rules,
 * policy containment): its policies in the one policy model, its namespaces and workloads,
 * and what the policies allow, answered per rule, per connection or per pod shape.
 */
import { DirectionVerdict, RuleRef, Verdict } from './verdict';
import { Direction } from '../direction';
import { ClusterPeer, ParsedClusterPolicy } from '../model/cluster-network-policy';
import { ParsedPolicy, PolicyRule } from '../model/network-policy';
import { Selector } from '../model/selector';
import { Protocol } from '../port';
import type { ClusterService } from './service';

/** The identity of one input object. */
export interface ResourceRef {
  readonly kind: string;
  /** `undefined` for a cluster-scoped object (a Namespace). */
  readonly namespace?: string;
  readonly name: string;
}

/** A namespace, declared by a Namespace object or implied by the objects in it. */
export interface NamespaceView {
  readonly name: string;
  /** The labels, `kubernetes.io/metadata.name` included. */
  readonly labels: Readonly<Record<string, string>>;
  /** The Namespace object, when the input has one. */
  readonly ref?: ResourceRef;
}

/** A pod, or a workload standing for its pods. */
export interface WorkloadView {
  /** The engine's endpoint name (`namespace/name` or `namespace/kind/name`). */
  readonly name: string;
  readonly kind: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly port: number; readonly protocol: Protocol; readonly name?: string }[];
  /** The pod IPs (empty for workloads and for pods the input gives none). */
  readonly ips: readonly string[];
  /** Whether its pods run in the host's network namespace (`spec.hostNetwork`). */
  readonly hostNetwork: boolean;
  readonly ref: ResourceRef;
  /** `Deployment shop/web`. */
  readonly text: string;
}

/**
 * A pod that may exist outside the input, standing for the pods a peer selects there: its
 * namespace (with that namespace's labels), its labels and its named container ports.
 */
export interface WitnessPod {
  readonly namespace: string;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly port: number; readonly protocol: Protocol; readonly name?: string }[];
}

/** A peer to evaluate a rule against: a workload of the input, a witness pod, or an address outside the cluster. */
export interface PeerSample {
  readonly workload?: WorkloadView;
  readonly witness?: WitnessPod;
  readonly address?: string;
}

/**
 * The queries over an analysed input; `ClusterIndex` answers them from the engine.
 */
export interface ClusterQueries {
  /** Every namespace, sorted by name. */
  readonly namespaces: readonly NamespaceView[];
  /** Whether the input declares at least one Namespace object (so namespace labels are known). */
  readonly hasDeclaredNamespaces: boolean;
  /** Every pod and workload, sorted by namespace and name. */
  readonly workloads: readonly WorkloadView[];
  /** Every NetworkPolicy, sorted by id. */
  readonly policies: readonly ParsedPolicy[];
  /** Every Service that selects pods by labels, sorted by name. */
  readonly services: readonly ClusterService[];
  /** The cluster-wide policies (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy), by tier, priority and id. */
  readonly clusterPolicies: readonly ParsedClusterPolicy[];
  /** The workloads a cluster-wide policy's subject selects (host-network pods never). */
  clusterSubjectSelects(policy: ParsedClusterPolicy): WorkloadView[];
  /** The workloads a `namespaces`/`pods` peer of a cluster-wide rule selects (none for other peers). */
  clusterPeerSelects(peer: ClusterPeer): WorkloadView[];

  /** The namespace, if the input has or implies it. */
  namespace(name: string): NamespaceView | undefined;
  /** The pods and workloads of a namespace. */
  workloadsIn(namespace: string): WorkloadView[];
  /** The policies (ids) that isolate the workload for the direction. */
  isolatedBy(workload: WorkloadView, direction: Direction): string[];
  /** The workloads a policy selects. */
  selectedBy(policy: ParsedPolicy): WorkloadView[];
  /** The namespaces a namespace selector matches. */
  namespacesMatching(selector: Selector): NamespaceView[];
  /** What the policies say about one connection, to a workload or an IP address. */
  connection(from: WorkloadView, to: WorkloadView | string, port: number, protocol: Protocol): Verdict;
  /**
   * The rules that allow the workload's egress to an IP address on the port (what
   * `connection(from, to, port, protocol).egress.allowedBy` says); empty when the workload is
   * not isolated for egress.
   */
  egressAllowedBy(from: WorkloadView, to: string, port: number, protocol: Protocol): readonly RuleRef[];
  /** Whether a rule of a policy has a peer that matches `peer` (ports aside); a rule without peers matches every peer. */
  rulePeerMatches(policy: ParsedPolicy, rule: PolicyRule, peer: PeerSample): boolean;
  /**
   * What one direction says about a connection between `subject` and `peer`, with the tiers of
   * cluster-wide policy: INGRESS is the subject's ingress from the peer, EGRESS its egress to it.
   */
  directionVerdict(direction: Direction, subject: WorkloadView, peer: PeerSample, port: number, protocol: Protocol): DirectionVerdict;
  /** Whether one rule of a policy allows `peer` for `subject` (the selected pod) on the port. */
  ruleAllows(policy: ParsedPolicy, rule: PolicyRule, subject: WorkloadView, peer: PeerSample, port: number, protocol: Protocol): boolean;
  /**
   * A key equal for workloads no policy can tell apart: the engine's pod shape (namespace,
   * labels, named ports and, when ipBlocks match pod IPs, which ipBlocks contain their IPs).
   */
  shapeKey(workload: WorkloadView): string;
}

/** The identity of a policy, as findings name it. */
export function policyRef(policy: ParsedPolicy): ResourceRef {
  return { kind: 'NetworkPolicy', namespace: policy.namespace, name: policy.name };
}

/** The identity key of an object, as `kind/namespace/name` (namespace empty for a Namespace). */
export function refKey(ref: ResourceRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}
