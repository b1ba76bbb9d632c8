import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { LabelExpression, LabelSelector, Peer, Policy, Port } from '../../src';
import { declareNamespace } from '../namespace';

/** The office network, and its guest Wi-Fi, which must not reach the admin console. */
export const OFFICE_CIDR = '198.51.100.0/24';
export const GUEST_WIFI_CIDR = '198.51.100.192/26';
/** A partner's network, which delivers files over FTP. */
export const PARTNER_CIDR = '192.0.2.0/24';
/** The ranges a crawler must not reach: RFC 1918 and link-local (cloud metadata included). */
export const NON_PUBLIC_CIDRS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'];

/**
 * IP blocks with `except`, port ranges and named ports, in the `edge` namespace.
 *
 * - `admin` accepts the office network except its guest Wi-Fi, on its container port named
 *   `https` (a named port resolves on the destination pod: here, the admin pod).
 * - `ftp` accepts a partner's network on TCP 21 and on the passive range 30000-30100
 *   (`endPort` is inclusive; a plugin without `endPort` support would only open 30000).
 * - The `crawler` and `fetcher` pods (one selector with a `matchExpressions` entry) reach every
 *   public IPv4 address on HTTP and HTTPS: `0.0.0.0/0` except the private and link-local ranges.
 */
export class IpBlocksAndPortsChart extends Chart {
  public static readonly NAMESPACE = 'edge';

  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: IpBlocksAndPortsChart.NAMESPACE });
    declareNamespace(this, IpBlocksAndPortsChart.NAMESPACE);

    new Policy(this, 'AdminFromOffice', {
      podSelector: LabelSelector.labels({ app: 'admin' }),
      ingress: [{ from: [Peer.ipBlock(OFFICE_CIDR, [GUEST_WIFI_CIDR])], ports: [Port.named('https')] }],
    });

    new Policy(this, 'FtpFromPartner', {
      podSelector: LabelSelector.labels({ app: 'ftp' }),
      ingress: [{ from: [Peer.ipBlock(PARTNER_CIDR)], ports: [Port.tcp(21), Port.tcpRange(30000, 30100)] }],
    });

    new Policy(this, 'CrawlersToInternet', {
      podSelector: LabelSelector.of({ expressions: [LabelExpression.in('app', ['crawler', 'fetcher'])] }),
      egress: [{ to: [Peer.anyIpv4(NON_PUBLIC_CIDRS)], ports: [Port.HTTP, Port.HTTPS] }],
    });
  }
}
