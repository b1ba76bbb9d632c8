import { Protocol } from '../port';

/**
 * A container port of an endpoint: what a named port in a policy resolves to.
 */
export interface EndpointPort {
  /** The port number. */
  readonly port: number;
  /** The protocol. */
  readonly protocol: Protocol;
  /**
   * The port's name (an IANA_SVC_NAME), which policies can refer to.
   *
   * @default - an unnamed port
   */
  readonly name?: string;
}

/**
 * Something traffic can flow from or to in a `ClusterModel`: a pod, a workload standing for
 * its pods, or an external IP address.
 */
export interface Endpoint {
  /**
   * How queries and truth tables name it: `namespace/name` for a pod or a workload (a workload
   * stands for its pods under its own name), the address for an external endpoint. When objects
   * of different kinds share a namespace and name, each is named `namespace/kind/name` instead
   * (kind in lower case, e.g. `shop/deployment/web`); that form is accepted for every endpoint.
   */
  readonly name: string;
  /**
   * The kind of object it comes from: `Pod`, `Deployment`, `StatefulSet`, `DaemonSet`,
   * `ReplicaSet`, `ReplicationController`, `Job`, `CronJob`, `External`, or `Representative` for
   * a representative endpoint (a pod the input does not contain, such as `tools/*`).
   */
  readonly kind: string;
  /**
   * The namespace: for a representative endpoint of `*` or a namespace selector, that part of
   * its name (a namespace the input does not contain; see `namespaceLabels`).
   *
   * @default - none: an external endpoint
   */
  readonly namespace?: string;
  /**
   * The labels of the namespace a representative endpoint is evaluated in (its name label included).
   *
   * @default - not a representative endpoint: see `ClusterModel.namespaceLabels()`
   */
  readonly namespaceLabels?: { [key: string]: string };
  /** The pod's labels (for a workload, those of its pod template). */
  readonly labels: { [key: string]: string };
  /** The container ports. */
  readonly ports: EndpointPort[];
  /** The IP addresses: `status.podIP`/`status.podIPs` of a pod, the address of an external endpoint. */
  readonly ips: string[];
  /** Whether it lies outside the cluster (an external IP address). */
  readonly external: boolean;
  /**
   * Whether the pod runs in the host's network namespace (`spec.hostNetwork`), so that its
   * traffic is its node's (see `AnalysisOptions.hostNetworkPods`).
   *
   * @default false
   */
  readonly hostNetwork?: boolean;
}
