import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Peer, Port, TieredApp } from '../../src';
import { declareNamespace } from '../namespace';

/**
 * Frontend → backend → database with plain labels (`tier: frontend`, ...), as the manifests
 * of an app that is not written with cdk8s-plus would label its pods. Each tier is isolated
 * both ways, accepts only the tier before it on its own ports, reaches only the tier after it
 * and cluster DNS. The frontend accepts every pod of the `ingress-nginx` namespace.
 */
export class TiersChart extends Chart {
  public static readonly NAMESPACE = 'webapp';

  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: TiersChart.NAMESPACE });
    declareNamespace(this, TiersChart.NAMESPACE);

    new TieredApp(this, 'WebApp', {
      entry: [Peer.namespace('ingress-nginx')],
      tiers: [
        { name: 'frontend', ports: [Port.tcp(8080)] },
        { name: 'backend', ports: [Port.tcp(9000)] },
        { name: 'database', ports: [Port.tcp(5432)] },
      ],
    });
  }
}
