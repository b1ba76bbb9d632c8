import { Direction } from '../direction';
import { Protocol } from '../port';

/**
 * A reference to the rule (and the peer and port entries in it) that allowed a connection.
 */
export interface RuleRef {
  /** The policy, as `namespace/name`. */
  readonly policy: string;
  /** Whether it is an ingress or an egress rule. */
  readonly direction: Direction;
  /** The index of the rule in `spec.ingress` or `spec.egress`. */
  readonly ruleIndex: number;
  /**
   * The index of the first matching entry of the rule's `from`/`to` list.
   *
   * @default - the rule has no `from`/`to`: it matches every peer
   */
  readonly peerIndex?: number;
  /**
   * The index of the first matching entry of the rule's `ports` list.
   *
   * @default - the rule has no `ports`: it matches every port of every protocol
   */
  readonly portIndex?: number;
  /**
   * A readable form, e.g. `y/allow-from-x ingress rule 0 (from[1] namespaceSelector {team=x}, ports[0] TCP/80)`.
   */
  readonly description: string;
}

/**
 * A reference to the rule of a cluster-wide policy (ClusterNetworkPolicy, AdminNetworkPolicy or
 * BaselineAdminNetworkPolicy) that decided a direction of a connection.
 */
export interface ClusterRuleRef {
  /** `Admin` or `Baseline`. */
  readonly tier: string;
  /** The policy, as `Kind/name`, e.g. `ClusterNetworkPolicy/guard`. */
  readonly policy: string;
  /** The policy's priority (lower wins within its tier). */
  readonly priority: number;
  /** Whether it is an ingress or an egress rule. */
  readonly direction: Direction;
  /** The index of the rule in `spec.ingress` or `spec.egress`. */
  readonly ruleIndex: number;
  /**
   * The rule's `name`.
   *
   * @default - the rule has no name
   */
  readonly ruleName?: string;
  /** The action as written: `Accept`, `Deny` or `Pass` (`Allow` in v1alpha1). */
  readonly action: string;
  /** A readable form, e.g. `Admin tier: ClusterNetworkPolicy/guard (priority 10) egress rule 0 "metadata" (Deny)`. */
  readonly description: string;
}

/**
 * What one direction (the source's egress, or the destination's ingress) says about a connection.
 */
export interface DirectionVerdict {
  /** The direction. */
  readonly direction: Direction;
  /** The endpoint whose policies this is about: the source for egress, the destination for ingress. */
  readonly endpoint: string;
  /** Whether the endpoint is outside the cluster, where no NetworkPolicy applies. */
  readonly external: boolean;
  /** Whether a policy in the endpoint's namespace selects it for this direction. */
  readonly isolated: boolean;
  /** The policies (`namespace/name`) that select the endpoint for this direction, sorted. */
  readonly isolatedBy: string[];
  /** Whether this direction allows the connection. */
  readonly allowed: boolean;
  /** Every rule that allows the connection (empty when it is not isolated, or denied). */
  readonly allowedBy: RuleRef[];
  /** Why each rule of the selecting policies does not match, when the direction denies the connection. */
  readonly unmatched: string[];
  /** One readable line, e.g. `ingress to y/b: isolated by y/deny-all; no rule of the policy that selects y/b allows it`. */
  readonly reason: string;
  /**
   * The tier that decided: `Admin`, `NetworkPolicy`, `Baseline`, or `default` (no policy decided: allowed).
   *
   * @default - no cluster-wide policy in the input: NetworkPolicies alone decide
   */
  readonly tier?: string;
  /**
   * The rule of a cluster-wide policy that decided (an Accept or Deny of the Admin or Baseline tier).
   *
   * @default - no cluster-wide rule decided (NetworkPolicies or the default did)
   */
  readonly decidedBy?: ClusterRuleRef;
  /**
   * The Pass rules of the Admin tier that sent the connection on to the NetworkPolicy tier (or the
   * Baseline tier's Pass that sent it to the default).
   *
   * @default - none
   */
  readonly passedBy?: ClusterRuleRef[];
  /**
   * The rules of cluster-wide policies of one tier and the same priority that decide this
   * connection differently: the API leaves their order undefined, so the cluster may apply any
   * of them. The verdict takes the most open of their outcomes (Accept, then Pass, then Deny),
   * the worst case for a promise that the connection is denied; one that it is allowed holds
   * only if no rule here denies it.
   *
   * @default - no disagreement: the outcome is defined
   */
  readonly undefinedBetween?: ClusterRuleRef[];
}

/**
 * The answer to a `TrafficQuery`, with its explanation.
 */
export interface Verdict {
  /** The source endpoint's name. */
  readonly from: string;
  /** The destination endpoint's name. */
  readonly to: string;
  /** The destination port number (a named port in the query is resolved on the destination). */
  readonly port: number;
  /**
   * The port name given in the query.
   *
   * @default - the query gave a port number
   */
  readonly portName?: string;
  /** The protocol. */
  readonly protocol: Protocol;
  /** Whether the connection is allowed: both directions allow it (or it is self-traffic, always allowed). */
  readonly allowed: boolean;
  /** Whether source and destination are the same endpoint. */
  readonly selfTraffic: boolean;
  /** What the source's egress policies say. */
  readonly egress: DirectionVerdict;
  /** What the destination's ingress policies say. */
  readonly ingress: DirectionVerdict;
  /** The whole verdict as readable text, one line per direction. */
  readonly explanation: string;
}
