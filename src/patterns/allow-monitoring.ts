import { Construct } from 'constructs';
import { LabelSelector } from '../label-selector';
import { PatternProps } from './pattern-props';
import { Peer } from '../peer';
import { Policy } from '../policy';
import { Port } from '../port';
import { constructProps, EMPTY_POD_LABELS, given, labels, optionalNamespaceName } from '../private/runtime-check';

/**
 * Properties of `AllowMonitoring`.
 */
export interface AllowMonitoringProps extends PatternProps {
  /** The metrics ports to scrape, e.g. `[Port.tcp(9090)]` or `[Port.named('metrics')]`. */
  readonly ports: Port[];

  /**
   * The namespace the scraper runs in.
   *
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;

  /**
   * Labels of the scraper pods (ANDed with the namespace, in one peer).
   *
   * @default - every pod of the monitoring namespace
   */
  readonly scraperPodLabels?: { [key: string]: string };

  /**
   * The pods to scrape.
   *
   * @default - every pod in the namespace
   */
  readonly podSelector?: LabelSelector;
}

/**
 * Allows a metrics scraper (e.g. Prometheus) in an observability namespace to reach the
 * metrics ports of the selected pods. One NetworkPolicy with `policyTypes: [Ingress]`. It opens
 * the receiving side only: the scraper's own namespace must let it send (most leave egress open).
 *
 * @example
 * new AllowMonitoring(chart, 'AllowScrape', {
 *   ports: [Port.named('metrics')],
 *   scraperPodLabels: { 'app.kubernetes.io/name': 'prometheus' },
 * });
 */
export class AllowMonitoring extends Policy {
  public constructor(scope: Construct, id: string, props: AllowMonitoringProps) {
    const { where, props: p } = constructProps<AllowMonitoringProps>('AllowMonitoring', scope, id, props,
      ['ports', 'monitoringNamespace', 'scraperPodLabels', 'podSelector'], false);
    const namespace = optionalNamespaceName(where, 'monitoringNamespace', p.monitoringNamespace) ?? 'monitoring';
    const scraperPodLabels = given(p.scraperPodLabels) ? labels(where, 'scraperPodLabels', p.scraperPodLabels, EMPTY_POD_LABELS) : undefined;
    const from = scraperPodLabels
      ? Peer.podsInNamespace(namespace, scraperPodLabels)
      : Peer.namespace(namespace);
    super(scope, id, {
      namespace: p.namespace,
      name: p.name,
      podSelector: p.podSelector,
      ingress: [{ from: [from], ports: p.ports }],
    });
  }
}
