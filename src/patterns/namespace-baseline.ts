import { Construct } from 'constructs';
import { AllowDns, DnsOptions } from './allow-dns';
import { BlockMetadata } from './block-metadata';
import { DefaultDeny } from './default-deny';
import { PatternProps } from './pattern-props';
import { checkDnsProp } from './private/dns-rule';
import { constructProps, fail, optionalBoolean, strings } from '../private/runtime-check';

/**
 * Properties of `NamespaceBaseline`.
 */
export interface NamespaceBaselineProps extends PatternProps {
  /**
   * Whether every pod may resolve names through cluster DNS.
   *
   * @default true
   */
  readonly allowDns?: boolean;

  /**
   * Where cluster DNS runs.
   *
   * @default - where the cluster profile (`ClusterProfile.of(this)`) says DNS is: for GENERIC, UDP and TCP 53 to pods labelled k8s-app=kube-dns in kube-system
   */
  readonly dns?: DnsOptions;

  /**
   * The metadata endpoints that must stay unreachable.
   *
   * @default - the cluster profile's (`ClusterProfile.of(this).metadataCidrs()`; BlockMetadata.CLOUD_METADATA_CIDRS for GENERIC)
   */
  readonly metadataAddresses?: string[];

  /**
   * Whether to also allow egress to every address outside the metadata endpoints.
   *
   * @default false
   */
  readonly allowInternet?: boolean;
}

/**
 * A zero-trust namespace baseline, the pattern an organisation publishes for every
 * namespace: default deny in both directions, DNS egress, and the guarantee that no policy
 * in the namespace opens the cloud metadata endpoints. DNS and the endpoints are where the
 * cluster profile (`ClusterProfile.of(this)`) says: on GKE with Cloud DNS, DNS egress goes to
 * 169.254.169.254 on port 53, which the guarantee then allows on that port only. Workloads then add what they need
 * with more policies. The policies are named `<name>-default-deny`, `<name>-allow-dns` and
 * (with `allowInternet`) `<name>-block-metadata`.
 *
 * @example
 * new NamespaceBaseline(chart, 'Baseline', { namespace: 'team-a' });
 */
export class NamespaceBaseline extends Construct {
  /** Default deny, ingress and egress. */
  public readonly defaultDeny: DefaultDeny;
  /**
   * DNS egress.
   *
   * @default - none when `allowDns` is false
   */
  public readonly allowDns?: AllowDns;
  /** The metadata guarantee. */
  public readonly blockMetadata: BlockMetadata;

  public constructor(scope: Construct, id: string, props: NamespaceBaselineProps = {}) {
    const { where, props: p } = constructProps<NamespaceBaselineProps>('NamespaceBaseline', scope, id, props,
      ['allowDns', 'dns', 'metadataAddresses', 'allowInternet'], true);
    const allowDns = optionalBoolean(where, 'allowDns', p.allowDns) ?? true;
    const dns = checkDnsProp(where, 'dns', p.dns);
    const allowInternet = optionalBoolean(where, 'allowInternet', p.allowInternet) ?? false;
    const metadataAddresses = p.metadataAddresses !== undefined ? strings(where, 'metadataAddresses', p.metadataAddresses, 'CIDRs (strings)') : undefined;
    if (metadataAddresses?.length === 0) {
      fail(where, 'metadataAddresses', metadataAddresses, 'is empty: list the metadata endpoints to block as CIDRs, or leave it unset for BlockMetadata.CLOUD_METADATA_CIDRS');
    }
    super(scope, id);
    // a construction that fails leaves nothing half-built in the tree
    try {
      const name = (suffix: string) => p.name !== undefined ? `${p.name}-${suffix}` : undefined;
      this.defaultDeny = new DefaultDeny(this, 'DefaultDeny', { namespace: p.namespace, name: name('default-deny') });
      if (allowDns) {
        this.allowDns = new AllowDns(this, 'AllowDns', { ...dns, namespace: p.namespace, name: name('allow-dns') });
      }
      this.blockMetadata = new BlockMetadata(this, 'BlockMetadata', {
        namespace: p.namespace,
        name: name('block-metadata'),
        addresses: metadataAddresses,
        allowInternet,
      });
    } catch (e) {
      scope.node.tryRemoveChild(id);
      throw e;
    }
  }
}
