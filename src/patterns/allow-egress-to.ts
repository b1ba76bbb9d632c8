import { Construct } from 'constructs';
import { LabelSelector } from '../label-selector';
import { PatternProps } from './pattern-props';
import { Peer } from '../peer';
import { Policy } from '../policy';
import { Port } from '../port';
import { constructProps } from '../private/runtime-check';

/**
 * Properties of `AllowEgressTo`.
 */
export interface AllowEgressToProps extends PatternProps {
  /** The destinations: pods, namespaces or CIDRs (any one suffices). */
  readonly to: Peer[];

  /** The destination ports; `[Port.allTraffic()]` for every port and protocol. */
  readonly ports: Port[];

  /**
   * The pods that may send the traffic.
   *
   * @default - every pod in the namespace
   */
  readonly podSelector?: LabelSelector;
}

/**
 * Allows egress from the selected pods to pods, namespaces or CIDRs on the given ports. One
 * NetworkPolicy with `policyTypes: [Egress]`; it isolates the selected pods for egress.
 *
 * It opens the sending side only. When the destination pods are isolated for ingress (their
 * namespace has a `NamespaceBaseline`), allow their ingress too: `AllowFromNamespace` in their
 * namespace, `AllowSameNamespace` within one namespace, or a `Policy`.
 *
 * @example
 * new AllowEgressTo(chart, 'ToPostgres', {
 *   podSelector: LabelSelector.labels({ app: 'api' }),
 *   to: [Peer.ipBlock('10.20.0.0/16')],
 *   ports: [Port.tcp(5432)],
 * });
 */
export class AllowEgressTo extends Policy {
  public constructor(scope: Construct, id: string, props: AllowEgressToProps) {
    const { props: p } = constructProps<AllowEgressToProps>('AllowEgressTo', scope, id, props, ['to', 'ports', 'podSelector'], false);
    super(scope, id, {
      namespace: p.namespace,
      name: p.name,
      podSelector: p.podSelector,
      egress: [{ to: p.to, ports: p.ports }],
    });
  }
}
