import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AllowDns, AllowEgressTo, BlockMetadata, Peer, Port } from '../../src';
import { declareNamespace } from '../namespace';

/**
 * Cloud metadata endpoints (169.254.169.254, 100.100.100.200, fd00:ec2::254), kept
 * unreachable in both of `BlockMetadata`'s modes.
 *
 * - `metadata-open`, the default mode: the pods may reach every address except the metadata
 *   endpoints (`0.0.0.0/0` and `::/0` with the endpoints in `except`), plus cluster DNS, which
 *   is allowed explicitly because some plugins (Cilium) never match pod IPs with an ipBlock.
 * - `metadata-guarded`, the guarantee alone (`allowInternet: false`): no policy is emitted,
 *   but synthesis fails if any egress rule in the namespace could reach an endpoint. Here the
 *   pods reach every IPv4 address on HTTPS, and that rule passes the check only because it
 *   excepts the two IPv4 endpoints.
 */
export class MetadataChart extends Chart {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    declareNamespace(this, 'metadata-open');
    declareNamespace(this, 'metadata-guarded');

    new BlockMetadata(this, 'BlockMetadata', { namespace: 'metadata-open' });
    new AllowDns(this, 'AllowDns', { namespace: 'metadata-open' });

    new BlockMetadata(this, 'MetadataGuard', { namespace: 'metadata-guarded', allowInternet: false });
    new AllowDns(this, 'GuardedAllowDns', { namespace: 'metadata-guarded' });
    new AllowEgressTo(this, 'GuardedHttpsEverywhere', {
      namespace: 'metadata-guarded',
      to: [Peer.anyIpv4(['169.254.169.254/32', '100.100.100.200/32'])],
      ports: [Port.HTTPS],
    });
  }
}
