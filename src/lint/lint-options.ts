import { ClusterProfile } from '../cluster-profile';

/**
 * How the linter reads objects and what its rules assume.
 */
export interface LintOptions {
  /**
   * The cluster the policies are for: where DNS is and on which ports (NP003), the metadata
   * endpoints and their documented exceptions (NP004), the platform's own namespaces (NP001 and
   * NP002 leave them out). `dnsNamespace`, `dnsPodLabels` and `metadataAddresses` override it.
   *
   * @default - the configuration file's `profile`, else ClusterProfile.GENERIC
   */
  readonly profile?: ClusterProfile;

  /**
   * The widest port range (`port` to `endPort`, inclusive) rule NP010 accepts.
   *
   * @default 1000
   */
  readonly maxPortRangeWidth?: number;

  /**
   * The namespace of the cluster DNS pods (rule NP003).
   *
   * @default - the profile's ('kube-system' for GENERIC)
   */
  readonly dnsNamespace?: string;

  /**
   * The labels of the cluster DNS pods (rule NP003). When the input has no such pods, a
   * DNS pod with these labels in `dnsNamespace` is assumed.
   *
   * @default - the profile's ({ 'k8s-app': 'kube-dns' } for GENERIC)
   */
  readonly dnsPodLabels?: { [key: string]: string };

  /**
   * The cloud metadata addresses that egress-isolated pods must not reach (rule NP004).
   *
   * @default - the profile's (['169.254.169.254', '100.100.100.200', 'fd00:ec2::254'] for GENERIC)
   */
  readonly metadataAddresses?: string[];

  /**
   * The namespace of objects without `metadata.namespace`.
   *
   * @default 'default'
   */
  readonly defaultNamespace?: string;

  /**
   * Whether `ipBlock` peers match pod IPs (`status.podIP`), as in Calico (see `AnalysisOptions`).
   *
   * @default true
   */
  readonly ipBlockMatchesPodIps?: boolean;

  /**
   * The project's lint configuration file (rules on or off, their severity, these options),
   * relative to the working directory. Options given here take precedence over the file's.
   *
   * @default - `netpol.config.json` in the working directory or above it, up to the first
   * directory with a `package.json`; none if there is no such file
   */
  readonly configFile?: string;
}

/**
 * One Kubernetes object to lint, with where it came from.
 */
export interface LintInput {
  /** The object, as parsed from YAML or JSON or synthesized by cdk8s. */
  readonly manifest: any;

  /**
   * The construct path of the object, when it came from a cdk8s chart.
   *
   * @default - not from a construct
   */
  readonly constructPath?: string;

  /**
   * The file the object was read from.
   *
   * @default - not from a file
   */
  readonly file?: string;

  /**
   * The 0-based index of the document in `file`.
   *
   * @default - not from a file
   */
  readonly documentIndex?: number;

  /**
   * The 1-based line where the object starts in `file`.
   *
   * @default - unknown
   */
  readonly line?: number;
}
