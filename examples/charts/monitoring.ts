import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AllowMonitoring, DefaultDeny, Direction, LabelSelector, Port } from '../../src';
import { declareNamespace } from '../namespace';

/**
 * Metrics scraping into the `metrics-demo` namespace, whose pods are isolated for ingress.
 *
 * - By named port: the Prometheus pods of the `monitoring` namespace reach the container port
 *   named `metrics` of every pod (whatever its number, and only on pods that have one).
 * - By number: every pod of the `observability` namespace reaches the Redis exporter on 9121.
 */
export class MonitoringChart extends Chart {
  public static readonly NAMESPACE = 'metrics-demo';

  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: MonitoringChart.NAMESPACE });
    declareNamespace(this, MonitoringChart.NAMESPACE);

    new DefaultDeny(this, 'DenyIngress', { directions: [Direction.INGRESS] });

    new AllowMonitoring(this, 'ScrapeMetricsPort', {
      ports: [Port.named('metrics')],
      scraperPodLabels: { 'app.kubernetes.io/name': 'prometheus' },
    });

    new AllowMonitoring(this, 'ScrapeRedisExporter', {
      podSelector: LabelSelector.labels({ app: 'redis' }),
      monitoringNamespace: 'observability',
      ports: [Port.tcp(9121)],
    });
  }
}
