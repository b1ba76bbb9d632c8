import { Protocol } from '../port';

/**
 * A connection to ask a `ClusterModel` about.
 *
 * Give the destination port as `port` (a number) or as `portName` (a container port name,
 * resolved on the destination pod by name and protocol).
 */
export interface TrafficQuery {
  /** The source: an endpoint name (`namespace/name`) or an IP address. */
  readonly from: string;
  /** The destination: an endpoint name (`namespace/name`) or an IP address. */
  readonly to: string;
  /**
   * The destination port number (1-65535).
   *
   * @default - `portName` is resolved on the destination pod
   */
  readonly port?: number;
  /**
   * The name of a container port of the destination pod.
   *
   * @default - `port` is used
   */
  readonly portName?: string;
  /**
   * The protocol.
   *
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}
