import { Protocol } from '../port';

/**
 * Why a probe is in the plan.
 */
export enum ProbeKind {
  /** A flow the policies allow between two workloads, on a container port the destination declares. */
  ALLOWED_FLOW = 'ALLOWED_FLOW',
  /** From a pod in a namespace of its own (the plan's probe namespace) to an ingress-isolated workload. */
  OTHER_NAMESPACE = 'OTHER_NAMESPACE',
  /** From a pod without the workloads' labels, in the destination's own namespace, to an ingress-isolated workload. */
  UNLABELLED_POD = 'UNLABELLED_POD',
  /** From a source the destination accepts on some port to a port of the destination that is not opened to it. */
  UNOPENED_PORT = 'UNOPENED_PORT',
  /** From an egress-isolated workload to a cloud instance-metadata address. */
  METADATA = 'METADATA',
  /** From an egress-isolated workload to cluster DNS (a DNS pod or address of the cluster profile), on a DNS port. */
  DNS = 'DNS',
}

/**
 * The Service a probe connects through, when one selects the destination on the probed port.
 */
export interface ProbeService {
  /** The Service's name. */
  readonly name: string;
  /** The Service's namespace (the destination's). */
  readonly namespace: string;
  /**
   * The port to connect to: the Service port for a ClusterIP Service, the target (container)
   * port for a headless one (its DNS name resolves to the pod IPs, and no port is translated).
   */
  readonly port: number;
  /** Whether the Service is headless (`clusterIP: None`). */
  readonly headless: boolean;
}

/**
 * One connection to try in a live cluster, with what the offline analysis says about it.
 */
export interface Probe {
  /** A short id, unique in its plan (`p01`, `p02`, ...), in plan order. */
  readonly id: string;
  /** Why the probe is in the plan. */
  readonly kind: ProbeKind;
  /** The source endpoint the analysis evaluated, e.g. `shop/frontend` (a workload stands for its pods). */
  readonly from: string;
  /** The namespace the probe pod runs in: the source's. */
  readonly sourceNamespace: string;
  /**
   * The pod labels the probe pod carries besides the probe labels: the source workload's pod
   * template labels, so that policies select it exactly like the workload's pods (none for
   * `OTHER_NAMESPACE` and `UNLABELLED_POD` probes).
   */
  readonly sourceLabels: { [key: string]: string };
  /** The destination endpoint, e.g. `shop/postgres`, or an IP address for an external destination. */
  readonly to: string;
  /**
   * The destination's namespace.
   *
   * @default - none: the destination is an external address
   */
  readonly destinationNamespace?: string;
  /**
   * The destination workload's pod labels, to find its pods in a cluster.
   *
   * @default - none: the destination is an external address
   */
  readonly destinationLabels?: { [key: string]: string };
  /** The destination (container) port: the port the policies see, after any Service translation. */
  readonly port: number;
  /**
   * The name of that container port on the destination.
   *
   * @default - the port has no name, or the destination is external
   */
  readonly portName?: string;
  /** The protocol. */
  readonly protocol: Protocol;
  /**
   * The Service the probe connects through.
   *
   * @default - none selects the destination on this port: the probe connects to a pod IP
   */
  readonly service?: ProbeService;
  /** What the offline analysis says: whether the policies allow the connection. */
  readonly expectAllowed: boolean;
  /** The offline verdict's explanation (`ClusterModel.allowed(...).explanation`). */
  readonly explanation: string;
  /** A readable one-line form: `shop/frontend -> shop/backend TCP/9000`. */
  readonly description: string;
}
