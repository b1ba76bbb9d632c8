/**
 * What a lint rule sees: the queries over the analysed input (`ClusterQueries`, answered by the
 * analysis), the settled lint options, and where cluster DNS is. Rules only ever use this
 * interface; the one implementation (`AnalysedModel`) adds the DNS questions to the analysis.
 */
import { ClusterQueries, WorkloadView } from '../../analysis/cluster-queries';
import { Protocol } from '../../port';

/** Settled lint options. */
export interface ResolvedLintOptions {
  readonly maxPortRangeWidth: number;
  readonly dnsNamespace: string;
  readonly dnsPodLabels: Readonly<Record<string, string>>;
  readonly metadataAddresses: readonly string[];
  readonly defaultNamespace: string;
  readonly ipBlockMatchesPodIps: boolean;
}

/** Where cluster DNS is, for rule NP003. */
export interface DnsTargets {
  /** The DNS pods of the input; empty when they are assumed. */
  readonly workloads: readonly WorkloadView[];
  /** Whether the input has no DNS pods, so that one is assumed. */
  readonly assumed: boolean;
  /** `kube-system pods labelled k8s-app=kube-dns`. */
  readonly text: string;
}

/**
 * The analysed input, as lint rules see it.
 */
export interface LintContext extends ClusterQueries {
  readonly options: ResolvedLintOptions;
  /** Where cluster DNS is. */
  dnsTargets(): DnsTargets;
  /** Whether the workload may open a connection to cluster DNS on port 53 of the protocol. */
  reachesDns(from: WorkloadView, protocol: Protocol): boolean;
}
