import { Protocol } from '../port';

/**
 * One observed flow, already matched to the input's endpoints: what a flow reader (Hubble,
 * Calico, Inspektor Gadget, the generic JSON lines form) hands to `PolicySuggestion`.
 */
export interface MatchedFlow {
  /** The source, named as `netpol list` names it: `namespace/name` of a pod or workload of the input, or an IP address outside it. */
  readonly from: string;
  /** The destination, named as `from`. */
  readonly to: string;
  /** The protocol. */
  readonly protocol: Protocol;
  /** The destination (container) port, 1-65535. */
  readonly port: number;
  /**
   * How many times the flow was seen.
   *
   * @default 1
   */
  readonly count?: number;
}
