import { ClusterPeer } from '../../cluster-policy/cluster-peer';
import { ClusterProfile } from '../../cluster-profile';
import { DEFAULT_DNS_NAMESPACE, DEFAULT_DNS_POD_LABELS, NAMESPACE_NAME_LABEL } from '../../constants';
import { LabelSelector } from '../../label-selector';
import { Port } from '../../port';
import { Where, fail } from '../../private/runtime-check';

/** Where cluster DNS is, as peers of a cluster-wide rule. */
export interface ClusterDnsTarget {
  /** The DNS pods; `undefined` when DNS is not served by pods (GKE with Cloud DNS). */
  readonly pods?: ClusterPeer;
  /** The DNS addresses (NodeLocal DNSCache, Cloud DNS), as `networks`; `undefined` when there are none. */
  readonly networks?: ClusterPeer;
  /** The DNS ports. */
  readonly ports: Port[];
}

/**
 * Cluster DNS as the profile says it is, as `AllowDns` reads it: the given namespace and pod
 * labels take precedence over the profile's DNS pods (one given: the other half from the
 * profile, else kube-dns's), and the profile's DNS addresses are added.
 *
 * @throws when there is no DNS at all (a custom profile without DNS pods or addresses)
 */
export function clusterDnsTarget(
  where: Where, profile: ClusterProfile, namespace?: string, podLabels?: Readonly<Record<string, string>>,
): ClusterDnsTarget {
  const podsGiven = namespace !== undefined || podLabels !== undefined;
  const ns = namespace ?? profile.dnsNamespace ?? (podsGiven ? DEFAULT_DNS_NAMESPACE : undefined);
  const labels = podLabels ?? profile.dnsPodLabels ?? (podsGiven ? DEFAULT_DNS_POD_LABELS : undefined);
  const pods = ns !== undefined && labels !== undefined
    ? ClusterPeer.pods(LabelSelector.labels({ ...labels }), LabelSelector.labels({ [NAMESPACE_NAME_LABEL]: ns }))
    : undefined;
  const cidrs = profile.dnsCidrs();
  const networks = cidrs.length > 0 ? ClusterPeer.networks(cidrs) : undefined;
  if (!pods && !networks) {
    fail(where, 'profile', profile.name, 'the cluster profile has neither DNS pods nor DNS addresses: give dnsNamespace and dnsPodLabels');
  }
  return { ...(pods ? { pods } : {}), ...(networks ? { networks } : {}), ports: [...profile.dnsPorts] };
}

/** Reads a `profile` prop: the given profile (checked), or the scope's (`ClusterProfile.of`). */
export function profileProp(where: Where, value: unknown, scope: Parameters<typeof ClusterProfile.of>[0]): ClusterProfile {
  return value !== undefined ? ClusterProfile._from(where, 'profile', value) : ClusterProfile.of(scope);
}
