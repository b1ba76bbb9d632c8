import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AllowDns, AllowEgressTo, DefaultDeny, Direction, LabelSelector, Peer, Port } from '../../src';
import { declareNamespace } from '../namespace';

/** The VPC subnet of the managed PostgreSQL database. */
export const DATABASE_SUBNET = '10.20.0.0/16';
/** The two addresses of a partner's API. */
export const PARTNER_API_ADDRESSES = ['203.0.113.10/32', '203.0.113.11/32'];

/**
 * An egress allowlist for the `orders` namespace: egress is denied by default, every pod may
 * resolve names, and the `orders` pods may reach exactly:
 * - the database subnet on TCP 5432 (a CIDR);
 * - the partner API's two addresses on HTTPS (two CIDRs, either one);
 * - the `inventory-api` pods of the `inventory` namespace on TCP 8080 (pods in another namespace);
 * - the `cache` pods of their own namespace on TCP 6379 (pods in the same namespace).
 */
export class EgressAllowlistChart extends Chart {
  public static readonly NAMESPACE = 'orders';

  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: EgressAllowlistChart.NAMESPACE });
    declareNamespace(this, EgressAllowlistChart.NAMESPACE);
    declareNamespace(this, 'inventory');

    new DefaultDeny(this, 'DenyEgress', { directions: [Direction.EGRESS] });
    new AllowDns(this, 'AllowDns');

    const orders = LabelSelector.labels({ app: 'orders' });
    new AllowEgressTo(this, 'ToDatabaseSubnet', {
      podSelector: orders,
      to: [Peer.ipBlock(DATABASE_SUBNET)],
      ports: [Port.tcp(5432)],
    });
    new AllowEgressTo(this, 'ToPartnerApi', {
      podSelector: orders,
      to: PARTNER_API_ADDRESSES.map(cidr => Peer.ipBlock(cidr)),
      ports: [Port.HTTPS],
    });
    new AllowEgressTo(this, 'ToInventoryApi', {
      podSelector: orders,
      to: [Peer.podsInNamespace('inventory', { app: 'inventory-api' })],
      ports: [Port.tcp(8080)],
    });
    new AllowEgressTo(this, 'ToCache', {
      podSelector: orders,
      to: [Peer.pods({ app: 'cache' })],
      ports: [Port.tcp(6379)],
    });
  }
}
