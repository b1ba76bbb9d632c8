import type { ClusterModel } from './cluster-model';

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

/** How `ClusterModel.connectivity()` names its external address ranges. */
export interface ConnectivityOptions {
  /**
   * Other versions of the cluster whose ipBlocks also cut the IPv4 and IPv6 spaces, so that every
   * version names the same address ranges and a diff compares like with like. Their policies
   * allow nothing here.
   *
   * @default - only this model's own ipBlocks
   */
  readonly alignWith?: ClusterModel[];
  /**
   * List only the input's own endpoints (pods, workloads, external IPs and address ranges),
   * without the representative endpoints that stand for pods the input does not contain.
   *
   * @default false
   */
  readonly inputOnly?: boolean;
  /**
   * Only the flows that pass this filter: the same flows as `connectivity().filter(filter)`,
   * without making the others (and so within `maxFlows` when the whole list is not).
   *
   * @default - every flow
   */
  readonly filter?: ConnectivityFilter;
  /**
   * The most flows to list: above it, `connectivity()` throws a RangeError that gives the count
   * and says how to narrow the list (a filter on `from`, `to`, `direction` or `port`). The flows
   * are counted, and the list refused, before any is made, so a cluster of thousands of pods that
   * all reach each other is refused in bounded memory rather than listed.
   *
   * @default - no limit
   */
  readonly maxFlows?: number;
}
