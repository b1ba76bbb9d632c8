/**
 * The constants of the Kubernetes API and of this library that more than one layer needs,
 * each defined once.
 */

/** The label every namespace carries with its own name (immutable, set by the API server). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The protocols a NetworkPolicy port (and a container port) may name, exactly, in the API server's order. */
export const PROTOCOLS: readonly ('TCP' | 'UDP' | 'SCTP')[] = Object.freeze(['TCP', 'UDP', 'SCTP'] as const);

/** The smallest and largest valid port numbers. */
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** The namespace of objects that name none, as kubectl's default context has it. */
export const DEFAULT_NAMESPACE = 'default';

/** The apiVersion NetworkPolicy is served under, and its kind. */
export const NETWORK_POLICY_API_VERSION = 'networking.k8s.io/v1';
export const NETWORK_POLICY_KIND = 'NetworkPolicy';

/** Where cluster DNS runs by default: CoreDNS keeps kube-dns's namespace, label and port. */
export const DEFAULT_DNS_NAMESPACE = 'kube-system';
export const DEFAULT_DNS_POD_LABELS: Readonly<Record<string, string>> = Object.freeze({ 'k8s-app': 'kube-dns' });
export const DNS_PORT = 53;

/**
 * The instance-metadata endpoints of the common clouds: 169.254.169.254 (AWS, GCP, Azure,
 * OpenStack, ...), 100.100.100.200 (Alibaba Cloud) and fd00:ec2::254 (AWS IPv6).
 */
export const CLOUD_METADATA_ADDRESSES: readonly string[] = Object.freeze(['169.254.169.254', '100.100.100.200', 'fd00:ec2::254']);

/** The same endpoints as single-address CIDRs. */
export const CLOUD_METADATA_CIDRS: readonly string[] = Object.freeze(
  CLOUD_METADATA_ADDRESSES.map(a => `${a}/${a.includes(':') ? 128 : 32}`));

/** The label (on pods) and annotation (on NetworkPolicies) that mark pods as meant to be reachable from anywhere. */
export const PUBLIC_MARKER = 'netpol.cdk8s.io/public';

/**
 * The most characters `ConnectivityDiff.toMarkdown()` writes: GitHub refuses a pull-request
 * comment over 65,536 characters; this leaves room for a heading or a footer the workflow adds.
 */
export const DIFF_MARKDOWN_MAX_CHARS = 60000;

/** The rows of `ConnectivityDiff.toMarkdown()` shown before the rest are folded in `<details>`. */
export const DIFF_MARKDOWN_SHOWN_ROWS = 25;

/** The API group and versions of the network-policy-api project's cluster-wide policies, and their kinds. */
export const CLUSTER_POLICY_API_VERSION = 'policy.networking.k8s.io/v1alpha2';
export const ADMIN_POLICY_API_VERSION = 'policy.networking.k8s.io/v1alpha1';
export const CLUSTER_NETWORK_POLICY_KIND = 'ClusterNetworkPolicy';
export const ADMIN_NETWORK_POLICY_KIND = 'AdminNetworkPolicy';
export const BASELINE_ADMIN_NETWORK_POLICY_KIND = 'BaselineAdminNetworkPolicy';
/** The one name a v1alpha1 BaselineAdminNetworkPolicy may have (the CRD's rule). */
export const BASELINE_ADMIN_NETWORK_POLICY_NAME = 'default';
/** The lowest and highest `spec.priority` of a ClusterNetworkPolicy or AdminNetworkPolicy (lower wins). */
export const MIN_CLUSTER_POLICY_PRIORITY = 0;
export const MAX_CLUSTER_POLICY_PRIORITY = 1000;
