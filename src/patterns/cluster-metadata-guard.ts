import { Construct } from 'constructs';
import { ClusterNetworkPolicy, ClusterRuleAction, ClusterTier } from '../cluster-policy/cluster-network-policy';
import { ClusterPeer } from '../cluster-policy/cluster-peer';
import { CLOUD_METADATA_CIDRS, DNS_PORT } from '../constants';
import { Port } from '../port';
import { constructArgs, given, integer, optionalBoolean, optionalString, props as checkProps, strings } from '../private/runtime-check';

/** Properties of `ClusterMetadataGuard`. */
export interface ClusterMetadataGuardProps {
  /**
   * The metadata endpoints, as CIDRs.
   *
   * @default - 169.254.169.254/32, 100.100.100.200/32 and fd00:ec2::254/128
   */
  readonly addresses?: string[];
  /**
   * Accept DNS (UDP and TCP 53) to 169.254.169.254 before the deny: the resolver of GKE with
   * Cloud DNS (and of other clouds' node-local resolvers) listens there.
   *
   * @default false
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
 * `networks`; with `allowDnsResolver`, an Accept of UDP and TCP 53 to 169.254.169.254 first).
 *
 * @example
 * new ClusterMetadataGuard(chart, 'MetadataGuard', { allowDnsResolver: true });
 */
export class ClusterMetadataGuard extends Construct {
  /** The policy. */
  public readonly policy: ClusterNetworkPolicy;

  public constructor(scope: Construct, id: string, props: ClusterMetadataGuardProps = {}) {
    constructArgs('ClusterMetadataGuard', scope, id);
    const where = `${scope.node.path ? `${scope.node.path}/` : ''}${id}`;
    checkProps(where, 'props', props, ['addresses', 'allowDnsResolver', 'subject', 'priority', 'name'], { optional: true });
    const addresses = given(props.addresses) ? strings(where, 'addresses', props.addresses, 'CIDRs (strings)') : [...CLOUD_METADATA_CIDRS];
    const allowDns = optionalBoolean(where, 'allowDnsResolver', props.allowDnsResolver) ?? false;
    const priority = given(props.priority) ? integer(where, 'priority', props.priority) : 0;
    const name = optionalString(where, 'name', props.name);
    super(scope, id);
    const egress = [];
    if (allowDns) {
      egress.push({ name: 'accept-dns-resolver', action: ClusterRuleAction.ACCEPT, peers: [ClusterPeer.networks(['169.254.169.254/32'])], ports: [Port.udp(DNS_PORT), Port.tcp(DNS_PORT)] });
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
