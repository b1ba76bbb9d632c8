import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DefaultDeny, Direction } from '../../src';
import { declareNamespace } from '../namespace';

/**
 * Default deny, in each direction and in both, one namespace per variant. A default deny
 * allows nothing: it only isolates the pods, so that other policies' allow rules are all that
 * gets through.
 *
 * - `deny-ingress`: every pod is isolated for ingress; its egress stays open.
 * - `deny-egress`: every pod is isolated for egress (DNS included!); its ingress stays open.
 * - `deny-all`: both.
 */
export class DefaultDenyChart extends Chart {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    declareNamespace(this, 'deny-ingress');
    declareNamespace(this, 'deny-egress');
    declareNamespace(this, 'deny-all');

    new DefaultDeny(this, 'DenyIngress', { namespace: 'deny-ingress', directions: [Direction.INGRESS] });
    new DefaultDeny(this, 'DenyEgress', { namespace: 'deny-egress', directions: [Direction.EGRESS] });
    new DefaultDeny(this, 'DenyAll', { namespace: 'deny-all' });
  }
}
