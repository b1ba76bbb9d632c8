import { Construct } from 'constructs';
import { ClusterProfile } from '../cluster-profile';
import { DnsOptions } from './allow-dns';
import { PatternProps } from './pattern-props';
import { Direction } from '../direction';
import { Peer } from '../peer';
import { Policy } from '../policy';
import { Port } from '../port';
import { checkDnsProp, dnsEgressRule } from './private/dns-rule';
import { constructProps, optionalBoolean } from '../private/runtime-check';

/**
 * Properties of `SameNamespaceOnly`.
 */
export interface SameNamespaceOnlyProps extends PatternProps {
  /**
   * Whether pods may also resolve names through cluster DNS (in another namespace).
   *
   * @default true
   */
  readonly allowDns?: boolean;

  /**
   * Where cluster DNS runs, when `allowDns` is true.
   *
   * @default - where the cluster profile (`ClusterProfile.of(this)`) says DNS is: for GENERIC, UDP and TCP 53 to pods labelled k8s-app=kube-dns in kube-system
   */
  readonly dns?: DnsOptions;
}

/**
 * Confines a namespace to itself: every pod is isolated in both directions and may only talk
 * to pods of the same namespace (every port), plus cluster DNS unless `allowDns` is false.
 * One NetworkPolicy with `policyTypes: [Ingress, Egress]`.
 *
 * @example
 * new SameNamespaceOnly(chart, 'Sandbox', { namespace: 'sandbox' });
 */
export class SameNamespaceOnly extends Policy {
  public constructor(scope: Construct, id: string, props: SameNamespaceOnlyProps = {}) {
    const { where, props: p } = constructProps<SameNamespaceOnlyProps>('SameNamespaceOnly', scope, id, props, ['allowDns', 'dns'], true);
    const allowDns = optionalBoolean(where, 'allowDns', p.allowDns) ?? true;
    const dns = checkDnsProp(where, 'dns', p.dns);
    super(scope, id, {
      namespace: p.namespace,
      name: p.name,
      policyTypes: [Direction.INGRESS, Direction.EGRESS],
      ingress: [{ from: [Peer.sameNamespace()], ports: [Port.allTraffic()] }],
      egress: [
        { to: [Peer.sameNamespace()], ports: [Port.allTraffic()] },
        ...allowDns ? [dnsEgressRule(dns, ClusterProfile.of(scope))] : [],
      ],
    });
  }
}
