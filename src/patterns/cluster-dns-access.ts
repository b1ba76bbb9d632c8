import { Construct } from 'constructs';
import { ClusterNetworkPolicy, ClusterRuleAction, ClusterTier } from '../cluster-policy/cluster-network-policy';
import { ClusterPeer } from '../cluster-policy/cluster-peer';
import { ClusterProfile } from '../cluster-profile';
import { clusterDnsTarget, profileProp } from './private/cluster-dns';
import { constructArgs, given, integer, labels as checkLabels, optionalNamespaceName, props as checkProps, EMPTY_POD_LABELS } from '../private/runtime-check';

/** Properties of `ClusterDnsAccess`. */
export interface ClusterDnsAccessProps {
  /**
   * The cluster profile: where DNS is (its DNS pods and addresses) and on which ports.
   *
   * @default - the scope's profile (`ClusterProfile.of(this)`; GENERIC unless `ClusterProfile.use()` set one)
   */
  readonly profile?: ClusterProfile;
  /**
   * The namespace of the cluster DNS pods.
   *
   * @default - the profile's ('kube-system' for GENERIC); 'kube-system' when only `dnsPodLabels` is given to a profile without DNS pods
   */
  readonly dnsNamespace?: string;
  /**
   * The labels of the cluster DNS pods.
   *
   * @default - the profile's ({ 'k8s-app': 'kube-dns' } for GENERIC); kube-dns's when only `dnsNamespace` is given to a profile without DNS pods
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
 * Accepts DNS from every pod to the cluster DNS, in the Admin tier, so that no namespace's
 * NetworkPolicies can break name resolution. DNS is where the cluster profile says it is, on its
 * ports (UDP and TCP 53 for GENERIC): one `ClusterNetworkPolicy` accepts the egress of every pod
 * to the DNS pods and the profile's DNS addresses (`Egress`), another the ingress of the DNS
 * pods from every pod (`Ingress`; none when DNS is not served by pods, as with GKE's Cloud DNS).
 * Nothing else is accepted or denied.
 *
 * @example
 * new ClusterDnsAccess(chart, 'Dns');
 */
export class ClusterDnsAccess extends Construct {
  /** The egress policy (every pod to the DNS pods). */
  public readonly egress: ClusterNetworkPolicy;
  /**
   * The ingress policy (the DNS pods from every pod).
   *
   * @default - none: the profile's DNS is not served by pods
   */
  public readonly ingress?: ClusterNetworkPolicy;

  public constructor(scope: Construct, id: string, props: ClusterDnsAccessProps = {}) {
    constructArgs('ClusterDnsAccess', scope, id);
    const where = `${scope.node.path ? `${scope.node.path}/` : ''}${id}`;
    checkProps(where, 'props', props, ['profile', 'dnsNamespace', 'dnsPodLabels', 'priority'], { optional: true });
    const profile = profileProp(where, props.profile, scope);
    const namespace = optionalNamespaceName(where, 'dnsNamespace', props.dnsNamespace);
    const podLabels = given(props.dnsPodLabels) ? checkLabels(where, 'dnsPodLabels', props.dnsPodLabels, EMPTY_POD_LABELS) : undefined;
    const priority = given(props.priority) ? integer(where, 'priority', props.priority) : 0;
    const dns = clusterDnsTarget(where, profile, namespace, podLabels);
    super(scope, id);
    this.egress = new ClusterNetworkPolicy(this, 'Egress', {
      tier: ClusterTier.ADMIN,
      priority,
      subject: ClusterPeer.allNamespaces(),
      egress: [{ name: 'accept-cluster-dns', action: ClusterRuleAction.ACCEPT, peers: [dns.pods, dns.networks].filter((p): p is ClusterPeer => p !== undefined), ports: dns.ports }],
    });
    if (dns.pods) {
      this.ingress = new ClusterNetworkPolicy(this, 'Ingress', {
        tier: ClusterTier.ADMIN,
        priority,
        subject: dns.pods,
        ingress: [{ name: 'accept-dns-from-every-pod', action: ClusterRuleAction.ACCEPT, peers: [ClusterPeer.allNamespaces()], ports: dns.ports }],
      });
    }
  }
}
