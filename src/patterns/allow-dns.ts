import { Construct } from 'constructs';
import { ClusterProfile } from '../cluster-profile';
import { LabelSelector } from '../label-selector';
import { PatternProps } from './pattern-props';
import { Policy } from '../policy';
import { Port } from '../port';
import { DNS_OPTION_KEYS, checkDnsOptions, dnsEgressRule } from './private/dns-rule';
import { constructProps } from '../private/runtime-check';

/**
 * Where cluster DNS runs, for `AllowDns` and the constructs that include it.
 */
export interface DnsOptions {
  /**
   * The namespace of the DNS pods.
   *
   * @default - the cluster profile's (`ClusterProfile.of(this)`; 'kube-system' for GENERIC)
   */
  readonly dnsNamespace?: string;

  /**
   * The labels of the DNS pods (CoreDNS keeps the historical `k8s-app: kube-dns`).
   *
   * @default - the cluster profile's ({ 'k8s-app': 'kube-dns' } for GENERIC)
   */
  readonly dnsPodLabels?: { [key: string]: string };

  /**
   * The DNS ports, as the policy sees them (the DNS pods' target ports).
   *
   * @default - the cluster profile's ([Port.DNS_UDP, Port.DNS_TCP] for GENERIC; UDP and TCP 5353 for OPENSHIFT)
   */
  readonly dnsPorts?: Port[];

  /**
   * The CIDR of a NodeLocal DNSCache, e.g. `169.254.20.10/32`, allowed as well.
   *
   * @default - no NodeLocal DNSCache
   */
  readonly nodeLocalDnsCidr?: string;
}

/**
 * Properties of `AllowDns`.
 */
export interface AllowDnsProps extends PatternProps, DnsOptions {
  /**
   * The pods that may resolve names.
   *
   * @default - every pod in the namespace
   */
  readonly podSelector?: LabelSelector;
}

/**
 * Allows egress to cluster DNS where the cluster profile (`ClusterProfile.of(this)`) says it
 * is: with GENERIC, on UDP and TCP 53 to pods labelled `k8s-app: kube-dns` in the
 * `kube-system` namespace (one peer, both must hold); with GKE_CLOUD_DNS, to 169.254.169.254
 * on port 53; with OPENSHIFT, to the dns-default pods on 5353. Given options take precedence,
 * and an optional NodeLocal DNSCache address is added. One NetworkPolicy with `policyTypes: [Egress]`; it
 * isolates the selected pods for egress, so add the rest of what they may reach.
 *
 * @example
 * new AllowDns(chart, 'AllowDns');
 * new AllowDns(chart, 'AllowNodeLocalDns', { nodeLocalDnsCidr: '169.254.20.10/32' });
 */
export class AllowDns extends Policy {
  public constructor(scope: Construct, id: string, props: AllowDnsProps = {}) {
    const { where, props: p } = constructProps<AllowDnsProps>('AllowDns', scope, id, props, ['podSelector', ...DNS_OPTION_KEYS], true);
    super(scope, id, {
      namespace: p.namespace,
      name: p.name,
      podSelector: p.podSelector,
      egress: [dnsEgressRule(checkDnsOptions(where, 'props', p), ClusterProfile.of(scope))],
    });
  }
}

