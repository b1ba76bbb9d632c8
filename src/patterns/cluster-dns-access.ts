import { Construct } from 'constructs';
import { ClusterNetworkPolicy, ClusterRuleAction, ClusterTier } from '../cluster-policy/cluster-network-policy';
import { ClusterPeer } from '../cluster-policy/cluster-peer';
import { DEFAULT_DNS_NAMESPACE, DEFAULT_DNS_POD_LABELS, DNS_PORT, NAMESPACE_NAME_LABEL } from '../constants';
import { LabelSelector } from '../label-selector';
import { Port } from '../port';
import { constructArgs, given, integer, labels as checkLabels, optionalNamespaceName, props as checkProps, EMPTY_POD_LABELS } from '../private/runtime-check';

/** Properties of `ClusterDnsAccess`. */
export interface ClusterDnsAccessProps {
  /**
   * The namespace of the cluster DNS.
   *
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;
  /**
   * The labels of the cluster DNS pods.
   *
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly dnsPodLabels?: { [key: string]: string };
  /**
   * The Admin priority of both policies (lower is evaluated first).
   *
   * @default 0
   */
  readonly priority?: number;
}

/**
 * Accepts DNS (UDP and TCP 53) from every pod to the cluster DNS, in the Admin tier, so that no
 * namespace's NetworkPolicies can break name resolution: one `ClusterNetworkPolicy` accepts the
 * egress of every pod to the DNS pods (`Egress`), another the ingress of the DNS pods from every
 * pod (`Ingress`). Nothing else is accepted or denied.
 *
 * @example
 * new ClusterDnsAccess(chart, 'Dns');
 */
export class ClusterDnsAccess extends Construct {
  /** The egress policy (every pod to the DNS pods). */
  public readonly egress: ClusterNetworkPolicy;
  /** The ingress policy (the DNS pods from every pod). */
  public readonly ingress: ClusterNetworkPolicy;

  public constructor(scope: Construct, id: string, props: ClusterDnsAccessProps = {}) {
    constructArgs('ClusterDnsAccess', scope, id);
    const where = `${scope.node.path ? `${scope.node.path}/` : ''}${id}`;
    checkProps(where, 'props', props, ['dnsNamespace', 'dnsPodLabels', 'priority'], { optional: true });
    const namespace = optionalNamespaceName(where, 'dnsNamespace', props.dnsNamespace) ?? DEFAULT_DNS_NAMESPACE;
    const podLabels = given(props.dnsPodLabels) ? checkLabels(where, 'dnsPodLabels', props.dnsPodLabels, EMPTY_POD_LABELS) : { ...DEFAULT_DNS_POD_LABELS };
    const priority = given(props.priority) ? integer(where, 'priority', props.priority) : 0;
    super(scope, id);
    const dnsPods = ClusterPeer.pods(LabelSelector.labels(podLabels), LabelSelector.labels({ [NAMESPACE_NAME_LABEL]: namespace }));
    const dns = [Port.udp(DNS_PORT), Port.tcp(DNS_PORT)];
    this.egress = new ClusterNetworkPolicy(this, 'Egress', {
      tier: ClusterTier.ADMIN,
      priority,
      subject: ClusterPeer.allNamespaces(),
      egress: [{ name: 'accept-cluster-dns', action: ClusterRuleAction.ACCEPT, peers: [dnsPods], ports: dns }],
    });
    this.ingress = new ClusterNetworkPolicy(this, 'Ingress', {
      tier: ClusterTier.ADMIN,
      priority,
      subject: dnsPods,
      ingress: [{ name: 'accept-dns-from-every-pod', action: ClusterRuleAction.ACCEPT, peers: [ClusterPeer.allNamespaces()], ports: dns }],
    });
  }
}
