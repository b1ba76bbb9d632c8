import { Construct } from 'constructs';
import { LabelSelector } from './label-selector';
import { PatternProps } from './pattern-props';
import { Peer } from './peer';
import { Policy } from './policy';
import { Port } from './port';

/**
 * Properties of `DenyExternalEgress`.
 */
export interface DenyExternalEgressProps extends PatternProps {
  /**
   * The address ranges that count as internal.
   *
   * @default DenyExternalEgress.PRIVATE_RANGES
   */
  readonly privateRanges?: string[];

  /**
   * Whether pods in every namespace of the cluster stay reachable (`namespaceSelector: {}`),
   * whatever their IPs.
   *
   * @default true
   */
  readonly allowClusterPods?: boolean;

  /**
   * The pods to restrict.
   *
   * @default - every pod in the namespace
   */
  readonly podSelector?: LabelSelector;
}

/**
 * Restricts egress to private address ranges (RFC 1918 and IPv6 unique local addresses) and
 * the cluster's pods, so nothing leaves for the internet. One NetworkPolicy with
 * `policyTypes: [Egress]`. The link-local range, and with it the cloud metadata endpoint
 * 169.254.169.254, is not private here and stays unreachable.
 *
 * @example
 * new DenyExternalEgress(chart, 'NoInternet');
 */
export class DenyExternalEgress extends Construct {
  /** RFC 1918 IPv4 ranges and IPv6 unique local addresses. */
  public static readonly PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'];

  /** The policy. */
  public readonly policy: Policy;

  public constructor(scope: Construct, id: string, props: DenyExternalEgressProps = {}) {
    super(scope, id);
    const to = (props.privateRanges ?? DenyExternalEgress.PRIVATE_RANGES).map(cidr => Peer.ipBlock(cidr));
    if (props.allowClusterPods ?? true) to.push(Peer.allNamespaces());
    this.policy = new Policy(this, 'Default', {
      namespace: props.namespace,
      name: props.name,
      podSelector: props.podSelector,
      egress: [{ to, ports: [Port.allTraffic()] }],
    });
  }
}
