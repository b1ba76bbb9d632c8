import { ClusterProfile } from '../cluster-profile';

/**
 * Options of `PolicySuggestion.fromFlows()`.
 */
export interface SuggestOptions {
  /**
   * The cluster the policies are for: where DNS is (observed DNS becomes the profile's DNS
   * handling, `NamespaceBaseline`'s or `AllowDns`), the metadata endpoints (never opened) and
   * the system namespaces (left to the platform: no policy is suggested for their workloads).
   *
   * @default ClusterProfile.GENERIC
   */
  readonly profile?: ClusterProfile;

  /**
   * Whether an address outside `clusterCidrs` becomes every address of its family (`0.0.0.0/0`
   * or `::/0`, with `clusterCidrs` excepted) rather than the observed address alone (a /32 or
   * /128). Only for workloads that really talk to the whole internet.
   *
   * @default false
   */
  readonly anywhereForExternal?: boolean;

  /**
   * The cluster's own address ranges (pod and node CIDRs): never part of an "anywhere" peer.
   *
   * @default - none
   */
  readonly clusterCidrs?: string[];

  /**
   * Whether observed flows the recorder reported as dropped (Hubble `DROPPED`, Calico `deny`)
   * are suggested like the others (`PolicySuggestion.fromObserved()` only; the matched flows of
   * `fromFlows()` carry no verdict). The cluster denies them today, deliberately or not: a scan,
   * a misconfigured client and a dependency broken by a new policy all look alike. By default
   * they are left out, counted and listed in the proof; ask for them (after reading that list)
   * when they are the dependencies current policies broke.
   *
   * @default false
   */
  readonly includeDropped?: boolean;
}
