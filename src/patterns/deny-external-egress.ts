import { Construct } from 'constructs';
import { ClusterProfile } from '../cluster-profile';
import { LabelSelector } from '../label-selector';
import { PatternProps } from './pattern-props';
import { cidrContains, isStrictSubset } from '../net/cidr';
import { Peer } from '../peer';
import { Policy } from '../policy';
import { Port } from '../port';
import { PolicyError, describeValue } from '../private/errors';
import { constructProps, freezeStatics, optionalBoolean } from '../private/runtime-check';
import { cidrList } from './private/cidr-list';

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
   * Addresses inside the private ranges that stay unreachable: each range lists those it
   * contains in its `except`, and a range that an entry covers entirely is left out. Each entry
   * must be a CIDR (a bare address such as `169.254.169.254` is an error: write
   * `169.254.169.254/32`); an entry outside every range needs nothing (it is not allowed).
   *
   * @default - the cluster profile's metadata endpoints (`ClusterProfile.of(this).metadataCidrs()`; for GENERIC
   * BlockMetadata.CLOUD_METADATA_CIDRS: AWS's IPv6 endpoint fd00:ec2::254 lies inside fc00::/7)
   */
  readonly excluded?: string[];

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
 * `policyTypes: [Egress]`. The cloud metadata endpoints stay unreachable: the link-local
 * range with 169.254.169.254 is not private here, and `fd00:ec2::254` (AWS IPv6), which lies
 * inside `fc00::/7`, is excepted from it, so this construct passes `BlockMetadata`'s guarantee.
 *
 * @example
 * new DenyExternalEgress(chart, 'NoInternet');
 */
export class DenyExternalEgress extends Policy {
  /** RFC 1918 IPv4 ranges and IPv6 unique local addresses (frozen: a shared default cannot be changed). */
  public static readonly PRIVATE_RANGES: string[] = Object.freeze(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']) as string[];

  public constructor(scope: Construct, id: string, props: DenyExternalEgressProps = {}) {
    const { where, props: p } = constructProps<DenyExternalEgressProps>('DenyExternalEgress', scope, id, props,
      ['privateRanges', 'allowClusterPods', 'excluded', 'podSelector'], true);
    // every entry must parse and be placed: one that cannot is an error, never dropped
    const excluded = cidrList(where, 'excluded', p.excluded !== undefined ? p.excluded : ClusterProfile.of(scope).metadataCidrs());
    const privateRanges = cidrList(where, 'privateRanges', p.privateRanges !== undefined ? p.privateRanges : DenyExternalEgress.PRIVATE_RANGES);
    const to: Peer[] = [];
    for (const range of privateRanges) {
      // a range that an excluded entry covers entirely is left out: an ipBlock cannot except all of itself
      if (excluded.some(e => cidrContains(e.cidr, range.cidr))) continue;
      const except = excluded.filter(e => isStrictSubset(range.cidr, e.cidr)).map(e => e.text);
      to.push(Peer.ipBlock(range.text, except.length > 0 ? except : undefined));
    }
    if (optionalBoolean(where, 'allowClusterPods', p.allowClusterPods) ?? true) to.push(Peer.allNamespaces());
    if (to.length === 0 && privateRanges.length > 0) {
      throw new PolicyError(where, `excluded: ${describeValue(excluded.map(e => e.text))} covers every private range, and allowClusterPods is false: `
        + 'nothing is left to allow. To deny all egress, use DefaultDeny with Direction.EGRESS');
    }
    super(scope, id, {
      namespace: p.namespace,
      name: p.name,
      podSelector: p.podSelector,
      egress: [{ to, ports: [Port.allTraffic()] }],
    });
  }
}

freezeStatics(DenyExternalEgress, ['PRIVATE_RANGES']);
