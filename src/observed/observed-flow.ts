import { Protocol } from '../port';

/** What the recording tool said happened to a flow, where it says so. */
export enum ObservedVerdict {
  /** Delivered (Hubble `FORWARDED`, Calico `allow`). */
  ALLOWED = 'ALLOWED',
  /** Dropped or refused by policy (Hubble `DROPPED`, Calico `deny`). */
  DENIED = 'DENIED',
}

/**
 * One end of an observed flow, as the recording tool saw it: whatever of namespace, pod,
 * workload, labels and IP address it reported. Matched to the input's endpoints by
 * `FlowReplay` (see there for the order).
 */
export interface ObservedEndpoint {
  /**
   * The namespace.
   *
   * @default - none reported: outside the cluster, or not a pod
   */
  readonly namespace?: string;
  /**
   * The pod's name.
   *
   * @default - none reported
   */
  readonly pod?: string;
  /**
   * The workload's name (a Deployment, StatefulSet, DaemonSet, Job...), as reported or as the
   * generic form's `namespace/name` gives it.
   *
   * @default - none reported
   */
  readonly workload?: string;
  /**
   * The workload's kind, when reported (`Deployment`).
   *
   * @default - none reported
   */
  readonly workloadKind?: string;
  /** The pod's labels as reported (Cilium's `k8s:` source prefix removed, its own meta labels dropped). */
  readonly labels: { [key: string]: string };
  /**
   * The IP address.
   *
   * @default - none reported
   */
  readonly ip?: string;
}

/**
 * Identical observed flows, aggregated: the same two ends, protocol, port and observed verdict.
 */
export interface ObservedFlow {
  /** Where the flow came from. */
  readonly source: ObservedEndpoint;
  /** Where it went. */
  readonly destination: ObservedEndpoint;
  /** The protocol. */
  readonly protocol: Protocol;
  /** The destination port (1-65535). */
  readonly port: number;
  /** How many times it was observed (the sum of the records' counts: Calico's `num_flows`, the generic form's `count`, else 1 per record). */
  readonly count: number;
  /**
   * What the recording tool said happened to it.
   *
   * @default - the format does not say
   */
  readonly verdict?: ObservedVerdict;
  /** Where it was first read: `file:line`. */
  readonly firstSeen: string;
}

/** A line of a flow file that could not be read, with why. */
export interface ObservedFlowProblem {
  /** The file (`-` for standard input). */
  readonly file: string;
  /** The line, from 1 (0: the whole file). */
  readonly line: number;
  /** What is wrong, and what would be valid. */
  readonly message: string;
}

/** Records that were read but are not flows a NetworkPolicy decides, counted by reason. */
export interface SkippedRecords {
  /** Why they were skipped, e.g. `ICMPv4 flows (NetworkPolicies match only TCP, UDP and SCTP)`. */
  readonly reason: string;
  /** How many records. */
  readonly count: number;
  /** Where the first one is: `file:line`. */
  readonly firstSeen: string;
}
