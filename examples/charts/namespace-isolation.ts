import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AllowSameNamespace, DefaultDeny, Direction, SameNamespaceOnly } from '../../src';
import { declareNamespace } from '../namespace';

/**
 * Namespace isolation, two ways.
 *
 * - `sandbox` (`SameNamespaceOnly`): both directions, one policy. Pods talk to pods of the
 *   sandbox and to cluster DNS, and to nothing else; nothing outside reaches them.
 * - `team-a` (`DefaultDeny` for ingress + `AllowSameNamespace`): pods accept traffic only from
 *   their own namespace; their egress stays open.
 */
export class NamespaceIsolationChart extends Chart {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    declareNamespace(this, 'sandbox');
    declareNamespace(this, 'team-a', { team: 'a' });

    new SameNamespaceOnly(this, 'Sandbox', { namespace: 'sandbox' });

    new DefaultDeny(this, 'TeamADenyIngress', { namespace: 'team-a', directions: [Direction.INGRESS] });
    new AllowSameNamespace(this, 'TeamAAllowSameNamespace', { namespace: 'team-a' });
  }
}
