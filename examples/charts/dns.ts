import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AllowDns, DefaultDeny, Direction } from '../../src';
import { declareNamespace } from '../namespace';

/**
 * DNS egress after an egress default deny, the first thing that breaks when egress is
 * isolated.
 *
 * - `dns-egress`: cluster DNS only, UDP and TCP 53 to the pods labelled `k8s-app: kube-dns`
 *   in `kube-system` (one peer: both selectors must hold).
 * - `dns-nodelocal`: the same, plus a NodeLocal DNSCache listening on a link-local address on
 *   every node (pods resolve through `169.254.20.10`, which no selector can match).
 */
export class DnsChart extends Chart {
  /** The address NodeLocal DNSCache listens on (its documented default). */
  public static readonly NODE_LOCAL_DNS = '169.254.20.10';

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    declareNamespace(this, 'dns-egress');
    declareNamespace(this, 'dns-nodelocal');

    new DefaultDeny(this, 'DenyEgress', { namespace: 'dns-egress', directions: [Direction.EGRESS] });
    new AllowDns(this, 'AllowDns', { namespace: 'dns-egress' });

    new DefaultDeny(this, 'NodeLocalDenyEgress', { namespace: 'dns-nodelocal', directions: [Direction.EGRESS] });
    new AllowDns(this, 'NodeLocalAllowDns', { namespace: 'dns-nodelocal', nodeLocalDnsCidr: `${DnsChart.NODE_LOCAL_DNS}/32` });
  }
}
