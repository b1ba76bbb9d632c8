/**
 * What a lint rule sees: the input as the connectivity engine understands it, through views
 * that do not depend on how the engine is built. Rules only ever use this interface; the one
 * implementation (`AnalysedModel`) adapts the engine.
 */
import { RuleRef, Verdict } from '../../analysis/verdict';
import { Direction } from '../../direction';
import { Protocol } from '../../port';

/** The identity of one input object. */
export interface ResourceRef {
  readonly kind: string;
  /** `undefined` for a cluster-scoped object (a Namespace). */
  readonly namespace?: string;
  readonly name: string;
}

/** A label selector, compiled. */
export interface SelectorView {
  /** Whether it is `{}` (matches everything). */
  readonly isEmpty: boolean;
  /** The requirements, ANDed (`matchLabels` entries are `In` with one value). */
  readonly requirements: readonly { readonly key: string; readonly operator: string; readonly values: readonly string[] }[];
  /** Whether the labels satisfy it. */
  matches(labels: Readonly<Record<string, string>>): boolean;
  /** `{app=web,tier in (a,b)}`. */
  toString(): string;
}

/** An ipBlock peer. */
export interface IpBlockView {
  readonly cidr: string;
  readonly except: readonly string[];
  /** `ipBlock 0.0.0.0/0 except 10.0.0.0/8`. */
  toString(): string;
}

/** One entry of a rule's `from`/`to`. */
export interface PeerView {
  readonly index: number;
  readonly podSelector?: SelectorView;
  readonly namespaceSelector?: SelectorView;
  readonly ipBlock?: IpBlockView;
  /** `namespaceSelector {team=a} AND podSelector {app=web}`. */
  readonly text: string;
}

/** One entry of a rule's `ports`, defaulted (a missing protocol is TCP). */
export interface PortView {
  readonly index: number;
  readonly protocol: Protocol;
  readonly port?: number;
  readonly endPort?: number;
  readonly name?: string;
  /** `TCP/80`, `TCP/8000-8080`, `TCP/"http"`, `UDP/*`. */
  readonly text: string;
}

/** One enforced ingress or egress rule. */
export interface RuleView {
  readonly direction: Direction;
  readonly index: number;
  /** `undefined`: no `from`/`to`, every peer (external addresses included). */
  readonly peers?: readonly PeerView[];
  /** `undefined`: no `ports`, every port of every protocol. */
  readonly ports?: readonly PortView[];
}

/** A NetworkPolicy after the API server's defaulting. */
export interface PolicyView {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly ref: ResourceRef;
  readonly podSelector: SelectorView;
  readonly isolatesIngress: boolean;
  readonly isolatesEgress: boolean;
  /** The enforced ingress rules (none when `policyTypes` omits Ingress). */
  readonly ingress: readonly RuleView[];
  /** The enforced egress rules (none when `policyTypes` omits Egress). */
  readonly egress: readonly RuleView[];
  readonly annotations: Readonly<Record<string, string>>;
  /** The object as written. */
  readonly manifest: any;
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

/** Settled lint options. */
export interface ResolvedLintOptions {
  readonly maxPortRangeWidth: number;
  readonly dnsNamespace: string;
  readonly dnsPodLabels: Readonly<Record<string, string>>;
  readonly metadataAddresses: readonly string[];
  readonly defaultNamespace: string;
  readonly ipBlockMatchesPodIps: boolean;
}

/** Where cluster DNS is, for rule NP003. */
export interface DnsTargets {
  /** The DNS pods of the input; empty when they are assumed. */
  readonly workloads: readonly WorkloadView[];
  /** Whether the input has no DNS pods, so that one is assumed. */
  readonly assumed: boolean;
  /** `kube-system pods labelled k8s-app=kube-dns`. */
  readonly text: string;
}

/**
 * The analysed input.
 */
export interface LintContext {
  readonly options: ResolvedLintOptions;
  /** Every namespace, sorted by name. */
  readonly namespaces: readonly NamespaceView[];
  /** Whether the input declares at least one Namespace object (so namespace labels are known). */
  readonly hasDeclaredNamespaces: boolean;
  /** Every pod and workload, sorted by namespace and name. */
  readonly workloads: readonly WorkloadView[];
  /** Every NetworkPolicy, sorted by id. */
  readonly policies: readonly PolicyView[];

  /** The namespace, if the input has or implies it. */
  namespace(name: string): NamespaceView | undefined;
  /** The pods and workloads of a namespace. */
  workloadsIn(namespace: string): WorkloadView[];
  /** The policies (ids) that isolate the workload for the direction. */
  isolatedBy(workload: WorkloadView, direction: Direction): string[];
  /** The workloads a policy selects. */
  selectedBy(policy: PolicyView): WorkloadView[];
  /** The namespaces a namespace selector matches. */
  namespacesMatching(selector: SelectorView): NamespaceView[];
  /** What the policies say about one connection, to a workload or an IP address. */
  connection(from: WorkloadView, to: WorkloadView | string, port: number, protocol: Protocol): Verdict;
  /**
   * The rules that allow the workload's egress to an IP address on the port (what
   * `connection(from, to, port, protocol).egress.allowedBy` says); empty when the workload is
   * not isolated for egress.
   */
  egressAllowedBy(from: WorkloadView, to: string, port: number, protocol: Protocol): readonly RuleRef[];
  /** Where cluster DNS is. */
  dnsTargets(): DnsTargets;
  /** Whether the workload may open a connection to cluster DNS on port 53 of the protocol. */
  reachesDns(from: WorkloadView, protocol: Protocol): boolean;
  /** Whether a rule of a policy has a peer that matches `peer` (ports aside); a rule without peers matches every peer. */
  rulePeerMatches(policy: PolicyView, rule: RuleView, peer: PeerSample): boolean;
  /** Whether one rule of a policy allows `peer` for `subject` (the selected pod) on the port. */
  ruleAllows(policy: PolicyView, rule: RuleView, subject: WorkloadView, peer: PeerSample, port: number, protocol: Protocol): boolean;
  /**
   * A key equal for workloads no policy can tell apart: the engine's pod shape (namespace,
   * labels, named ports and, when ipBlocks match pod IPs, which ipBlocks contain their IPs).
   */
  shapeKey(workload: WorkloadView): string;
  /** The API server's `IgnoredRules` warnings for the policy (rules for a direction `policyTypes` omits). */
  ignoredRules(policy: PolicyView): { field: string; detail: string }[];
}
