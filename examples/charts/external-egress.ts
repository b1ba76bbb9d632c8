import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DenyExternalEgress } from '../../src';
import { declareNamespace } from '../namespace';

/**
 * No internet for the `internal-only` namespace (`DenyExternalEgress`): its pods reach the
 * private ranges (RFC 1918 and IPv6 unique local addresses, e.g. a database in the VPC) and
 * every pod of the cluster, cluster DNS included, on every port. Public addresses and the
 * cloud metadata endpoints stay unreachable: 169.254.169.254 is link-local, not private, and
 * AWS's fd00:ec2::254, inside fc00::/7, is excepted from that range.
 * Ingress is left alone.
 */
export class ExternalEgressChart extends Chart {
  public static readonly NAMESPACE = 'internal-only';

  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: ExternalEgressChart.NAMESPACE });
    declareNamespace(this, ExternalEgressChart.NAMESPACE);

    new DenyExternalEgress(this, 'NoInternet');
  }
}
