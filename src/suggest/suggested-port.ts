import { Protocol } from '../port';

/** A port, or an inclusive range of ports, of one protocol. */
export interface SuggestedPort {
  /** The protocol. */
  readonly protocol: Protocol;
  /** The port, or the first port of the range. */
  readonly port: number;
  /**
   * The last port of the range.
   *
   * @default - a single port
   */
  readonly endPort?: number;
}
