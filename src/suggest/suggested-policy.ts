import { Direction } from '../direction';
import type { MatchedFlow } from './matched-flow';
import type { SuggestedPort } from './suggested-port';

/**
 * A peer of a suggested rule: the pods of one of the input's workloads (by its labels, in its
 * namespace), or addresses.
 */
export interface SuggestedPeer {
  /** The endpoint the peer stands for: `namespace/name` of a workload, or the observed address. */
  readonly endpoint: string;
  /**
   * The namespace of the pods (selected by its `kubernetes.io/metadata.name` label when it is not the policy's).
   *
   * @default - an address (`cidr`)
   */
  readonly namespace?: string;
  /**
   * The labels of the pods.
   *
   * @default - every pod of `namespace` (the workload is every pod there), or an address (`cidr`)
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * The addresses: the observed address as a /32 (IPv4) or /128 (IPv6), or with
   * `anywhereForExternal` every address of its family outside the cluster's ranges.
   *
   * @default - pods (`namespace`)
   */
  readonly cidr?: string;
  /**
   * CIDRs left out of `cidr` (the cluster's ranges, with `anywhereForExternal`).
   *
   * @default - none
   */
  readonly except?: string[];
}

/** A suggested rule: any of its peers, on any of its ports. */
export interface SuggestedRule {
  /** The peers, which were all observed on exactly these ports. */
  readonly peers: SuggestedPeer[];
  /** The observed ports (consecutive observed ports merged into ranges). */
  readonly ports: SuggestedPort[];
}

/** One suggested NetworkPolicy: what one workload was observed to need in one direction. */
export interface SuggestedPolicy {
  /** The namespace. */
  readonly namespace: string;
  /** `metadata.name`: `<workload>-ingress` or `<workload>-egress`. */
  readonly name: string;
  /** The workload the policy is for (`namespace/name`). */
  readonly workload: string;
  /** The direction. */
  readonly direction: Direction;
  /** The labels its `podSelector` matches (the fewest stable labels that select exactly the workload's pods; empty when it is every pod of the namespace). */
  readonly podLabels: { [key: string]: string };
  /** The rules, one per set of ports shared by its peers. */
  readonly rules: SuggestedRule[];
}

/** A namespace's baseline: default deny both ways, the metadata guarantee and, when observed, DNS (a `NamespaceBaseline`). */
export interface SuggestedBaseline {
  /** The namespace. */
  readonly namespace: string;
  /** Whether some workload of the namespace was observed resolving names through cluster DNS (the baseline then allows DNS to every pod of the namespace). */
  readonly allowDns: boolean;
}

/** DNS egress for one workload (an `AllowDns` for its pods), suggested when current policies deny its observed DNS. */
export interface SuggestedDnsAccess {
  /** The namespace. */
  readonly namespace: string;
  /** `metadata.name`: `<workload>-allow-dns`. */
  readonly name: string;
  /** The workload (`namespace/name`). */
  readonly workload: string;
  /** The labels of its pods (as `SuggestedPolicy.podLabels`). */
  readonly podLabels: { [key: string]: string };
}

/** An observed flow that the suggestion does not allow, and why. */
export interface SkippedFlow {
  /** The flow. */
  readonly flow: MatchedFlow;
  /** Why it is not allowed. */
  readonly reason: string;
}
