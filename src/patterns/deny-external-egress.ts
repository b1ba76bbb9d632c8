import { Construct } from 'constructs';
import { ClusterProfile } from '../cluster-profile';
import { LabelSelector } from '../label-selector';
import { PatternProps } from './pattern-props';
import { isStrictSubset, parseCidrSloppy } from '../net/cidr';
import { Peer } from '../peer';
import { Policy } from '../policy';
import { Port } from '../port';
import { constructProps, freezeStatics, optionalBoolean, strings } from '../private/runtime-check';

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
   * contains in its `except`.
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
    const excluded = p.excluded !== undefined ? strings(where, 'excluded', p.excluded, 'CIDRs (strings)') : ClusterProfile.of(scope).metadataCidrs();
    const privateRanges = p.privateRanges !== undefined ? strings(where, 'privateRanges', p.privateRanges, 'CIDRs (strings)') : DenyExternalEgress.PRIVATE_RANGES;
    const to = privateRanges.map(cidr => {
      const except = excluded.filter(e => strictlyInside(cidr, e));
      return Peer.ipBlock(cidr, except.length > 0 ? except : undefined);
    });
    if (optionalBoolean(where, 'allowClusterPods', p.allowClusterPods) ?? true) to.push(Peer.allNamespaces());
    super(scope, id, {
      namespace: p.namespace,
      name: p.name,
      podSelector: p.podSelector,
      egress: [{ to, ports: [Port.allTraffic()] }],
    });
  }
}

freezeStatics(DenyExternalEgress, ['PRIVATE_RANGES']);

/** Whether `inner` lies strictly inside `outer` (unparseable CIDRs are left to validation). */
function strictlyInside(outer: string, inner: string): boolean {
  const o = parseCidrSloppy(outer);
  const i = parseCidrSloppy(inner);
  return o !== undefined && i !== undefined && isStrictSubset(o, i);
}
