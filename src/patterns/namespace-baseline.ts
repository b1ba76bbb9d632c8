import { Construct } from 'constructs';
import { AllowDns, DnsOptions } from './allow-dns';
import { BlockMetadata } from './block-metadata';
import { DefaultDeny } from './default-deny';
import { PatternProps } from './pattern-props';

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
   * @default - UDP and TCP 53 to pods labelled k8s-app=kube-dns in kube-system
   */
  readonly dns?: DnsOptions;

  /**
   * The metadata endpoints that must stay unreachable.
   *
   * @default BlockMetadata.CLOUD_METADATA_CIDRS
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
 * in the namespace opens the cloud metadata endpoints. Workloads then add what they need
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
    super(scope, id);
    const name = (suffix: string) => props.name !== undefined ? `${props.name}-${suffix}` : undefined;
    this.defaultDeny = new DefaultDeny(this, 'DefaultDeny', { namespace: props.namespace, name: name('default-deny') });
    if (props.allowDns ?? true) {
      this.allowDns = new AllowDns(this, 'AllowDns', { ...props.dns, namespace: props.namespace, name: name('allow-dns') });
    }
    this.blockMetadata = new BlockMetadata(this, 'BlockMetadata', {
      namespace: props.namespace,
      name: name('block-metadata'),
      addresses: props.metadataAddresses,
      allowInternet: props.allowInternet ?? false,
    });
  }
}
