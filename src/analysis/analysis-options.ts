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
}
