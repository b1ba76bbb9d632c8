import { FieldValidation } from '../validation/field-validation';

/**
 * What a pod's traffic to itself is.
 *
 * Implementations differ (kubernetes/kubernetes#95879); the upstream conformance tests ignore
 * the diagonal of their truth tables, and the NetworkPolicy documentation says a pod cannot
 * block access to itself.
 */
export enum SelfTraffic {
  /** Traffic from an endpoint to itself is always allowed, whatever the policies say. */
  ALLOW = 'ALLOW',
  /** Traffic from an endpoint to itself is evaluated like any other (egress and ingress). */
  EVALUATE = 'EVALUATE',
}

/**
 * Whether NetworkPolicies apply to `hostNetwork` pods.
 *
 * Kubernetes leaves it undefined and allows two behaviours: the plugin cannot tell a
 * hostNetwork pod's traffic from its node's, so it ignores hostNetwork pods when matching
 * `podSelector` and `namespaceSelector` and treats their traffic as node traffic (the most
 * common implementation); or it tells them apart and applies policies to them like any pod.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-and-hostnetwork-pods
 */
export enum HostNetworkPods {
  /**
   * NetworkPolicies do not apply to hostNetwork pods (the common implementations): no policy
   * isolates them, and as a peer their traffic is the node's, so `podSelector` and
   * `namespaceSelector` peers never match them; a rule without peers, or an ipBlock that
   * contains the pod's address (its node's), still does.
   */
  UNRESTRICTED = 'UNRESTRICTED',
  /** NetworkPolicies apply to hostNetwork pods as to any other pod. */
  ISOLATED = 'ISOLATED',
}

/**
 * How a `ClusterModel` reads objects and where it settles what implementations disagree on.
 */
export interface AnalysisOptions {
  /**
   * Whether an `ipBlock` peer matches pods whose IP (`status.podIP`/`status.podIPs`) lies in its
   * CIDR (and outside its `except` ranges).
   *
   * Calico matches pod IPs, and so do the upstream conformance tests; Cilium and others apply
   * CIDRs only to traffic that leaves the cluster. Pods without a known IP never match an ipBlock.
   *
   * @default true
   */
  readonly ipBlockMatchesPodIps?: boolean;

  /**
   * What traffic from an endpoint to itself is.
   *
   * @default SelfTraffic.ALLOW
   */
  readonly selfTraffic?: SelfTraffic;

  /**
   * Whether NetworkPolicies apply to `hostNetwork` pods (see `HostNetworkPods`); a cluster
   * profile's `hostNetworkPodsIsolated` says which (`netpol --profile` uses it).
   *
   * @default HostNetworkPods.UNRESTRICTED
   */
  readonly hostNetworkPods?: HostNetworkPods;

  /**
   * The namespace of objects that have no `metadata.namespace`.
   *
   * @default 'default'
   */
  readonly defaultNamespace?: string;

  /**
   * IP addresses outside the cluster to include as endpoints (in `endpoints` and in truth tables).
   * Any other IP address can still be queried with `allowed()`.
   *
   * @default - none
   */
  readonly externalIps?: string[];

  /**
   * What an unknown field in a NetworkPolicy is, as kubectl's `--validate`: an error
   * (`STRICT`, the API server's strict field validation), or a field the server drops while
   * decoding (`WARN`, listed in `ClusterModel.warnings`; `IGNORE`, without a word), the policy
   * then read as the server stores it. Exports of clusters before Kubernetes 1.27 carry a
   * NetworkPolicy `status`, which the API no longer has.
   *
   * @default FieldValidation.STRICT
   */
  readonly fieldValidation?: FieldValidation;
}
