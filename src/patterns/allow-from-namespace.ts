import { Construct } from 'constructs';
import { LabelSelector } from '../label-selector';
import { PatternProps } from './pattern-props';
import { NAMESPACE_NAME_LABEL } from '../constants';
import { Peer } from '../peer';
import { Policy } from '../policy';
import { Port } from '../port';
import { PolicyError } from '../private/errors';
import { childPath } from '../private/naming';

/**
 * Properties of `AllowFromNamespace`. Name the source namespace with exactly one of
 * `fromNamespace` and `fromNamespaceLabels`.
 */
export interface AllowFromNamespaceProps extends PatternProps {
  /**
   * The source namespace, by name.
   *
   * @default - the namespaces matching `fromNamespaceLabels`
   */
  readonly fromNamespace?: string;

  /**
   * The source namespaces, by labels.
   *
   * @default - the namespace named `fromNamespace`
   */
  readonly fromNamespaceLabels?: { [key: string]: string };

  /**
   * Only pods with these labels in the source namespaces (ANDed with the namespace, in one peer).
   *
   * @default - every pod of the source namespaces
   */
  readonly fromPodLabels?: { [key: string]: string };

  /**
   * The pods that accept the traffic.
   *
   * @default - every pod in the namespace
   */
  readonly podSelector?: LabelSelector;

  /**
   * The ports the traffic may use.
   *
   * @default - every port and protocol
   */
  readonly ports?: Port[];
}

/**
 * Allows ingress from another namespace (by name or by labels), optionally only from some of
 * its pods, optionally only on some ports. One NetworkPolicy with `policyTypes: [Ingress]`; it
 * isolates the selected pods for ingress.
 *
 * @example
 * new AllowFromNamespace(chart, 'FromIngress', {
 *   fromNamespace: 'ingress-nginx',
 *   fromPodLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
 *   podSelector: LabelSelector.labels({ app: 'web' }),
 *   ports: [Port.tcp(8080)],
 * });
 */
export class AllowFromNamespace extends Policy {
  public constructor(scope: Construct, id: string, props: AllowFromNamespaceProps) {
    if ((props.fromNamespace === undefined) === (props.fromNamespaceLabels === undefined)) {
      throw new PolicyError(childPath(scope, id), 'set exactly one of `fromNamespace` (a namespace name) and `fromNamespaceLabels` (namespace labels); '
        + `got ${props.fromNamespace === undefined ? 'neither' : 'both'}`);
    }
    const namespaces = props.fromNamespace !== undefined
      ? LabelSelector.labels({ [NAMESPACE_NAME_LABEL]: props.fromNamespace })
      : LabelSelector.labels(props.fromNamespaceLabels!);
    const from = Peer.selectors({
      namespaces,
      pods: props.fromPodLabels ? LabelSelector.labels(props.fromPodLabels) : undefined,
    });
    super(scope, id, {
      namespace: props.namespace,
      name: props.name,
      podSelector: props.podSelector,
      ingress: [{ from: [from], ports: props.ports ?? [Port.allTraffic()] }],
    });
  }
}
