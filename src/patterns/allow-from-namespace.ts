import { Construct } from 'constructs';
import { LabelSelector } from '../label-selector';
import { PatternProps } from './pattern-props';
import { NAMESPACE_NAME_LABEL } from '../constants';
import { Peer } from '../peer';
import { Policy } from '../policy';
import { Port } from '../port';
import { PolicyError } from '../private/errors';
import { constructProps, EMPTY_NAMESPACE_LABELS, EMPTY_POD_LABELS, given, labels, optionalNamespaceName } from '../private/runtime-check';

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
 * It opens the receiving side only. When the source namespace denies egress too (its own
 * `NamespaceBaseline`), allow the sending side there (`AllowEgressTo`).
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
    const { where, props: p } = constructProps<AllowFromNamespaceProps>('AllowFromNamespace', scope, id, props,
      ['fromNamespace', 'fromNamespaceLabels', 'fromPodLabels', 'podSelector', 'ports'], false);
    const fromNamespace = optionalNamespaceName(where, 'fromNamespace', p.fromNamespace);
    const fromNamespaceLabels = given(p.fromNamespaceLabels) ? labels(where, 'fromNamespaceLabels', p.fromNamespaceLabels, EMPTY_NAMESPACE_LABELS) : undefined;
    const fromPodLabels = given(p.fromPodLabels) ? labels(where, 'fromPodLabels', p.fromPodLabels, EMPTY_POD_LABELS) : undefined;
    if ((fromNamespace === undefined) === (fromNamespaceLabels === undefined)) {
      throw new PolicyError(where, 'set exactly one of `fromNamespace` (a namespace name) and `fromNamespaceLabels` (namespace labels); '
        + `got ${fromNamespace === undefined ? 'neither' : 'both'}`);
    }
    const namespaces = fromNamespace !== undefined
      ? LabelSelector.labels({ [NAMESPACE_NAME_LABEL]: fromNamespace })
      : LabelSelector.labels(fromNamespaceLabels!);
    const from = Peer.selectors({
      namespaces,
      pods: fromPodLabels ? LabelSelector.labels(fromPodLabels) : undefined,
    });
    super(scope, id, {
      namespace: p.namespace,
      name: p.name,
      podSelector: p.podSelector,
      // a given `ports` (even null) is passed on to be checked, never replaced by "every port"
      ingress: [{ from: [from], ports: given(p.ports) ? p.ports! : [Port.allTraffic()] }],
    });
  }
}
