/**
 * What a lint rule sees: the queries over the analysed input (`ClusterQueries`, answered by the
 * analysis), the settled lint options, and where cluster DNS is. Rules only ever use this
 * interface; the one implementation (`AnalysedModel`) adds the DNS questions to the analysis.
 */
import { HostNetworkPods } from '../../analysis/analysis-options';
import { ClusterQueries, WorkloadView } from '../../analysis/cluster-queries';
import { ClusterProfile } from '../../cluster-profile';
import { Protocol } from '../../port';

/** A port and protocol, as the DNS checks ask about them. */
export interface ProtocolPort {
  readonly protocol: Protocol;
  readonly port: number;
}

/** Settled lint options. */
export interface ResolvedLintOptions {
  readonly maxPortRangeWidth: number;
  /** The cluster profile (the options below already take it into account). */
  readonly profile: ClusterProfile;
  /** The namespace of the DNS pods; `undefined` when DNS is not served by pods (GKE Cloud DNS). */
  readonly dnsNamespace?: string;
  readonly dnsPodLabels?: Readonly<Record<string, string>>;
  /** DNS servers by address (NodeLocal DNSCache, Cloud DNS). */
  readonly dnsAddresses: readonly string[];
  /** The DNS ports, as policies see them. */
  readonly dnsPorts: readonly ProtocolPort[];
  readonly metadataAddresses: readonly string[];
  /** Metadata address -> the ports on which the profile allows reaching it. */
  readonly metadataExceptions: ReadonlyMap<string, readonly ProtocolPort[]>;
  readonly defaultNamespace: string;
  readonly ipBlockMatchesPodIps: boolean;
  /** Whether NetworkPolicies apply to hostNetwork pods: the profile's `hostNetworkPodsIsolated`. */
  readonly hostNetworkPods: HostNetworkPods;
}

/** Where cluster DNS is, for rule NP003. */
export interface DnsTargets {
  /** The DNS pods of the input; empty when they are assumed (or DNS is not served by pods). */
  readonly workloads: readonly WorkloadView[];
  /** Whether DNS is served by pods at all. */
  readonly pods: boolean;
  /** Whether the input has no DNS pods, so that one is assumed. */
  readonly assumed: boolean;
  /** `kube-system pods labelled k8s-app=kube-dns`; empty when DNS is not served by pods. */
  readonly text: string;
  /** DNS servers by address. */
  readonly addresses: readonly string[];
}

/**
 * The analysed input, as lint rules see it.
 */
export interface LintContext extends ClusterQueries {
  readonly options: ResolvedLintOptions;
  /** Where cluster DNS is. */
  dnsTargets(): DnsTargets;
  /** Whether the workload may open a connection to the DNS pods (`address` undefined) or a DNS address, on the port. */
  reachesDns(from: WorkloadView, port: ProtocolPort, address?: string): boolean;
}
