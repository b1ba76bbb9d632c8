import { Construct } from 'constructs';
import { ClusterNetworkPolicy, ClusterRuleAction, ClusterTier } from '../cluster-policy/cluster-network-policy';
import { ClusterPeer } from '../cluster-policy/cluster-peer';
import { ClusterProfile } from '../cluster-profile';
import { DNS_PORT } from '../constants';
import { Port } from '../port';
import { profileProp } from './private/cluster-dns';
import { constructArgs, given, integer, optionalBoolean, optionalString, props as checkProps, strings } from '../private/runtime-check';

/** Properties of `ClusterMetadataGuard`. */
export interface ClusterMetadataGuardProps {
  /**
   * The cluster profile: its metadata addresses are the endpoints denied, and its metadata
   * exceptions (GKE with Cloud DNS: DNS on 169.254.169.254) are accepted before the deny.
   *
   * @default - the scope's profile (`ClusterProfile.of(this)`; GENERIC unless `ClusterProfile.use()` set one)
   */
  readonly profile?: ClusterProfile;
  /**
   * The metadata endpoints, as CIDRs.
   *
   * @default - the profile's (`profile.metadataCidrs()`; 169.254.169.254/32, 100.100.100.200/32 and fd00:ec2::254/128 for GENERIC)
   */
  readonly addresses?: string[];
  /**
   * Accept DNS (UDP and TCP 53) to 169.254.169.254 before the deny: the resolver of GKE with
   * Cloud DNS (and of other clouds' node-local resolvers) listens there. The profile's
   * exceptions are accepted either way (`ClusterProfile.GKE_CLOUD_DNS` has this one).
   *
   * @default false - only the profile's metadata exceptions are accepted
   */
  readonly allowDnsResolver?: boolean;
  /**
   * The pods that must never reach the endpoints.
   *
   * @default ClusterPeer.allNamespaces() - every pod (host-network pods are never selected)
   */
  readonly subject?: ClusterPeer;
  /**
   * The Admin priority (lower is evaluated first).
   *
   * @default 0
   */
  readonly priority?: number;
  /**
   * `metadata.name`.
   *
   * @default - derived from the construct path
   */
  readonly name?: string;
}

/**
 * Denies every selected pod's egress to the cloud instance-metadata endpoints, cluster-wide,
 * in the Admin tier: no NetworkPolicy of a namespace can allow it back. The cluster-wide form of
 * `BlockMetadata` (a `ClusterNetworkPolicy`, tier Admin, one Deny rule to the endpoints as
 * `networks`), with the endpoints and the exceptions of the cluster profile: each exception is
 * an Accept of its ports to its address before the deny (with `allowDnsResolver`, UDP and TCP 53
 * to 169.254.169.254 too).
 *
 * @example
 * new ClusterMetadataGuard(chart, 'MetadataGuard', { profile: ClusterProfile.GKE_CLOUD_DNS });
 */
export class ClusterMetadataGuard extends Construct {
  /** The policy. */
  public readonly policy: ClusterNetworkPolicy;

  public constructor(scope: Construct, id: string, props: ClusterMetadataGuardProps = {}) {
    constructArgs('ClusterMetadataGuard', scope, id);
    const where = `${scope.node.path ? `${scope.node.path}/` : ''}${id}`;
    checkProps(where, 'props', props, ['profile', 'addresses', 'allowDnsResolver', 'subject', 'priority', 'name'], { optional: true });
    const profile = profileProp(where, props.profile, scope);
    const addresses = given(props.addresses) ? strings(where, 'addresses', props.addresses, 'CIDRs (strings)') : profile.metadataCidrs();
    const allowDns = optionalBoolean(where, 'allowDnsResolver', props.allowDnsResolver) ?? false;
    const priority = given(props.priority) ? integer(where, 'priority', props.priority) : 0;
    const name = optionalString(where, 'name', props.name);
    super(scope, id);
    const egress = [];
    let n = 0;
    for (const [cidr, ports] of exceptions(profile, addresses, allowDns)) {
      const dnsOnly = cidr === DNS_RESOLVER && ports.every(p => DNS.includes(p.toString()));
      egress.push({ name: dnsOnly ? 'accept-dns-resolver' : `accept-metadata-exception-${n++}`, action: ClusterRuleAction.ACCEPT, peers: [ClusterPeer.networks([cidr])], ports });
    }
    egress.push({ name: 'deny-cloud-metadata', action: ClusterRuleAction.DENY, peers: [ClusterPeer.networks(addresses)], ports: [Port.allTraffic()] });
    this.policy = new ClusterNetworkPolicy(this, 'Resource', {
      tier: ClusterTier.ADMIN,
      priority,
      subject: props.subject ?? ClusterPeer.allNamespaces(),
      egress,
      ...(name !== undefined ? { name } : {}),
    });
  }
}

const DNS_RESOLVER = '169.254.169.254/32';
const DNS = [Port.udp(DNS_PORT).toString(), Port.tcp(DNS_PORT).toString()];

/**
 * The ports each guarded CIDR stays reachable on: the profile's metadata exceptions for the
 * guarded addresses (as `BlockMetadata` reads them), and DNS to 169.254.169.254 with
 * `allowDnsResolver`; in the order of `addresses`, ports without duplicates.
 */
function exceptions(profile: ClusterProfile, addresses: readonly string[], allowDns: boolean): Map<string, Port[]> {
  const out = new Map<string, Port[]>();
  const add = (cidr: string, ports: readonly Port[]) => {
    const list = out.get(cidr) ?? [];
    for (const p of ports) if (!list.some(q => q.toString() === p.toString())) list.push(p);
    out.set(cidr, list);
  };
  for (const cidr of addresses) {
    for (const e of profile.metadataExceptions) if (`${e.address}/${e.address.includes(':') ? 128 : 32}` === cidr) add(cidr, e.ports);
  }
  if (allowDns) add(DNS_RESOLVER, [Port.udp(DNS_PORT), Port.tcp(DNS_PORT)]);
  return out;
}
