/** Where a flow crosses the cluster's boundary, to focus a list on one kind. */
export enum FlowDirection {
  /** Every flow. */
  ALL = 'ALL',
  /** From an external address into the cluster. */
  INGRESS = 'INGRESS',
  /** From the cluster to an external address. */
  EGRESS = 'EGRESS',
  /** Between two endpoints of the cluster. */
  INTERNAL = 'INTERNAL',
}

/** Which flows of a `Connectivity` to keep. */
export interface ConnectivityFilter {
  /**
   * Keep flows from this endpoint (its name), from the pods and workloads of this namespace, or
   * from the external range or IP endpoint containing this IP address.
   *
   * @default - from anywhere
   */
  readonly from?: string;
  /**
   * Keep flows to this endpoint, namespace or address (as `from`).
   *
   * @default - to anywhere
   */
  readonly to?: string;
  /**
   * Keep flows that cross the cluster boundary this way.
   *
   * @default FlowDirection.ALL
   */
  readonly direction?: FlowDirection;
  /**
   * Keep flows that allow this destination port (of `protocol`).
   *
   * @default - any port
   */
  readonly port?: number;
  /**
   * The protocol of `port`.
   *
   * @default Protocol.TCP
   */
  readonly protocol?: string;
}
