import { Construct } from 'constructs';
import { LabelSelector } from '../label-selector';
import { PatternProps } from './pattern-props';
import { Peer } from '../peer';
import { Policy } from '../policy';
import { Port } from '../port';

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
    super(scope, id, {
      namespace: props.namespace,
      name: props.name,
      podSelector: props.podSelector,
      ingress: [{ from: [Peer.sameNamespace()], ports: props.ports ?? [Port.allTraffic()] }],
    });
  }
}
