import { Protocol } from '../port';

/** One port of a Service: what clients connect to, and the pod port it is sent to. */
export interface ServicePort {
  /**
   * The port's name in the Service.
   *
   * @default - an unnamed port
   */
  readonly name?: string;
  /** The Service port clients connect to. */
  readonly port: number;
  /** The protocol. */
  readonly protocol: Protocol;
  /**
   * The numeric `targetPort`.
   *
   * @default - `targetPortName`, or the same number as `port` when neither is set
   */
  readonly targetPort?: number;
  /**
   * The named `targetPort`: the container port of that name (and protocol) on each selected pod.
   *
   * @default - `targetPort`, or the same number as `port`
   */
  readonly targetPortName?: string;
}

/**
 * A Service that selects pods by labels, as the analysis reads it. NetworkPolicies never see a
 * Service port: traffic to a Service is matched after translation, on the selected pod and its
 * target (container) port.
 */
export interface ClusterService {
  /** `namespace/name`. */
  readonly name: string;
  /** The namespace. */
  readonly namespace: string;
  /** `spec.selector`: the labels a pod needs (all of them) to be selected. */
  readonly selector: { [key: string]: string };
  /** Whether it is headless (`clusterIP: None`). */
  readonly headless: boolean;
  /** The ports. */
  readonly ports: ServicePort[];
}

/** Where one Service port sends traffic on one selected endpoint. */
export interface ServiceTarget {
  /** The Service, `namespace/name`. */
  readonly service: string;
  /** The Service port. */
  readonly servicePort: number;
  /** The protocol. */
  readonly protocol: Protocol;
  /** The selected endpoint (a pod, or a workload standing for its pods). */
  readonly endpoint: string;
  /**
   * The target (container) port on that endpoint.
   *
   * @default - none: the named targetPort is not a container port of that endpoint (the Service sends it nothing)
   */
  readonly targetPort?: number;
  /** How the port maps: `TCP port 8080 -> targetPort 5000`, `TCP port 80 -> targetPort "http" = 8080 on shop/web`. */
  readonly description: string;
}
