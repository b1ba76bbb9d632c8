import { Construct } from 'constructs';
import { LabelSelector } from '../label-selector';
import { PatternProps } from './pattern-props';
import { Direction } from '../direction';
import { Policy } from '../policy';
import { recordEgressDenial } from './private/egress-isolation';
import { constructProps, enumValue, optionalArray } from '../private/runtime-check';

/**
 * Properties of `DefaultDeny`.
 */
export interface DefaultDenyProps extends PatternProps {
  /**
   * The directions to deny.
   *
   * @default [Direction.INGRESS, Direction.EGRESS]
   */
  readonly directions?: Direction[];

  /**
   * The pods to isolate.
   *
   * @default - every pod in the namespace
   */
  readonly podSelector?: LabelSelector;
}

/**
 * Isolates pods (by default every pod of the namespace) in the given directions, so that
 * only what other policies allow gets through. One NetworkPolicy with the pod selector,
 * `policyTypes` set to the directions and no rules.
 *
 * Isolating egress also blocks DNS: pair it with `AllowDns`, or use `NamespaceBaseline`.
 *
 * @example
 * new DefaultDeny(chart, 'DefaultDeny'); // ingress and egress
 * new DefaultDeny(chart, 'DenyIngress', { directions: [Direction.INGRESS] });
 */
export class DefaultDeny extends Policy {
  public constructor(scope: Construct, id: string, props: DefaultDenyProps = {}) {
    const { where, props: p } = constructProps<DefaultDenyProps>('DefaultDeny', scope, id, props, ['directions', 'podSelector'], true);
    const directions = optionalArray(where, 'directions', p.directions, 'Directions',
      (d, f) => enumValue(where, f, d, [Direction.INGRESS, Direction.EGRESS], 'Direction: Direction.INGRESS, Direction.EGRESS'));
    super(scope, id, {
      namespace: p.namespace,
      name: p.name,
      podSelector: p.podSelector,
      policyTypes: directions ?? [Direction.INGRESS, Direction.EGRESS],
    });
    if (this.policyTypes.includes(Direction.EGRESS) && this.podSelector.isEmpty()) recordEgressDenial(this);
  }
}
