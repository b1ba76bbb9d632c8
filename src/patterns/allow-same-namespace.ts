import { Construct } from 'constructs';
import { LabelSelector } from '../label-selector';
import { PatternProps } from './pattern-props';
import { Peer } from '../peer';
import { Policy } from '../policy';
import { Port } from '../port';
import { constructProps, given } from '../private/runtime-check';

/**
 * Properties of `AllowSameNamespace`.
 */
export interface AllowSameNamespaceProps extends PatternProps {
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
 * Allows ingress from every pod of the same namespace (`podSelector: {}` as the peer). One
 * NetworkPolicy with `policyTypes: [Ingress]`: together with `DefaultDeny` this makes the
 * namespace accept traffic only from itself.
 *
 * @example
 * new AllowSameNamespace(chart, 'AllowSameNamespace');
 */
export class AllowSameNamespace extends Policy {
  public constructor(scope: Construct, id: string, props: AllowSameNamespaceProps = {}) {
    const { props: p } = constructProps<AllowSameNamespaceProps>('AllowSameNamespace', scope, id, props, ['podSelector', 'ports'], true);
    super(scope, id, {
      namespace: p.namespace,
      name: p.name,
      podSelector: p.podSelector,
      // a given `ports` (even null) is passed on to be checked, never replaced by "every port"
      ingress: [{ from: [Peer.sameNamespace()], ports: given(p.ports) ? p.ports! : [Port.allTraffic()] }],
    });
  }
}
