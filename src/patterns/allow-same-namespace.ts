import { Construct } from 'constructs';
import { LabelSelector } from '../label-selector';
import { PatternProps } from './pattern-props';
import { Peer } from '../peer';
import { Policy } from '../policy';
import { Port } from '../port';
import { egressDenials } from './private/egress-isolation';
import { constructProps, given, optionalBoolean } from '../private/runtime-check';
import { cachedInSynthesis, libraryValidation } from '../private/synth-memo';

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

  /**
   * Whether to open the sending side too: a second NetworkPolicy (`<name>-egress`) that lets
   * every pod of the namespace send to the selected pods on the ports. Needed when the
   * namespace denies egress (`NamespaceBaseline`, or `DefaultDeny` with egress): without it
   * the traffic stays blocked at the sender.
   *
   * @default - true when a `DefaultDeny` (or `NamespaceBaseline`) of the app created before
   * this construct isolates every pod of the namespace for egress; otherwise false, and then
   * synthesis fails if such a policy is created after it (set `egress` to say which you mean)
   */
  readonly egress?: boolean;
}

/**
 * Allows traffic between the pods of one namespace: ingress from every pod of the namespace
 * (`podSelector: {}` as the peer) into the selected pods, in a NetworkPolicy with
 * `policyTypes: [Ingress]`. Together with an ingress-only `DefaultDeny` this makes the
 * namespace accept traffic only from itself.
 *
 * When the namespace also denies egress (`NamespaceBaseline`), both ends are isolated, so it
 * opens both directions: a second policy, `policyTypes: [Egress]`, lets every pod of the
 * namespace send to the selected pods on the same ports (see `egress`).
 *
 * @example
 * new AllowSameNamespace(chart, 'AllowSameNamespace');
 */
export class AllowSameNamespace extends Policy {
  /**
   * The policy that opens the sending side.
   *
   * @default - none when `egress` is false
   */
  public readonly egressPolicy?: Policy;

  public constructor(scope: Construct, id: string, props: AllowSameNamespaceProps = {}) {
    const { where, props: p } = constructProps<AllowSameNamespaceProps>('AllowSameNamespace', scope, id, props, ['podSelector', 'ports', 'egress'], true);
    const explicitEgress = optionalBoolean(where, 'egress', p.egress);
    // a given `ports` (even null) is passed on to be checked, never replaced by "every port"
    const ports = given(p.ports) ? p.ports! : [Port.allTraffic()];
    super(scope, id, {
      namespace: p.namespace,
      name: p.name,
      podSelector: p.podSelector,
      ingress: [{ from: [Peer.sameNamespace()], ports }],
    });
    const egress = explicitEgress ?? egressDenials(this, this.namespace).length > 0;
    if (egress) {
      try {
        this.egressPolicy = new Policy(this, 'Egress', {
          namespace: this.namespace,
          name: p.name !== undefined ? `${p.name}-egress` : undefined,
          egress: [{ to: [Peer.podsMatching(this.podSelector)], ports }],
        });
      } catch (e) {
        scope.node.tryRemoveChild(id);
        throw e;
      }
    } else if (explicitEgress === undefined) {
      // cdk8s validates the whole app once per chart: the denials are looked up again only when the tree may have changed
      const denials = cachedInSynthesis(this.node.root, () => egressDenials(this, this.namespace));
      this.node.addValidation(libraryValidation(() => denials().map(d => `AllowSameNamespace opens ingress only, but ${d.node.path} `
        + `(created after it) isolates every pod of namespace ${this.namespace} for egress, so the pods still cannot reach each other. `
        + 'Create the baseline first, set `egress: true` to open the sending side too, or `egress: false` to keep ingress only')));
    }
  }
}
