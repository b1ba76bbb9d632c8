import { Construct } from 'constructs';
import { ClusterNetworkPolicy, ClusterPolicyRule, ClusterRuleAction, ClusterTier } from '../cluster-policy/cluster-network-policy';
import { ClusterPeer } from '../cluster-policy/cluster-peer';
import { ClusterProfile } from '../cluster-profile';
import { MAX_CLUSTER_POLICY_PRIORITY } from '../constants';
import { Port } from '../port';
import { clusterDnsTarget, profileProp } from './private/cluster-dns';
import { constructArgs, given, integer, optionalBoolean, props as checkProps } from '../private/runtime-check';

/** Properties of `ClusterBaselineDeny`. */
export interface ClusterBaselineDenyProps {
  /**
   * The pods to isolate by default.
   *
   * @default ClusterPeer.allNamespaces() - every pod (host-network pods are never selected)
   */
  readonly subject?: ClusterPeer;
  /**
   * Accept DNS before denying egress, so that default-denied pods still resolve names: to the
   * cluster profile's DNS pods and addresses, on its DNS ports (UDP and TCP 53 to kube-dns in
   * kube-system for GENERIC).
   *
   * @default true
   */
  readonly allowDns?: boolean;
  /**
   * The cluster profile, for where DNS is (`allowDns`).
   *
   * @default - the scope's profile (`ClusterProfile.of(this)`; GENERIC unless `ClusterProfile.use()` set one)
   */
  readonly profile?: ClusterProfile;
  /**
   * The Baseline priority (lower is evaluated first).
   *
   * @default 1000
   */
  readonly priority?: number;
}

/**
 * A default deny for every namespace that has no NetworkPolicy of its own, in the Baseline
 * tier: a pod that no NetworkPolicy selects for a direction is denied ingress from every pod,
 * and egress to every pod and address (`networks` 0.0.0.0/0 and ::/0), except DNS where the
 * cluster profile says it is (`allowDns`). As soon as a NetworkPolicy selects a pod for a
 * direction, it decides instead (the Baseline tier is never reached), so namespace owners opt
 * out by writing their policies.
 *
 * Ingress from outside the cluster is not covered: a ClusterNetworkPolicy's ingress peers are
 * namespaces and pods only.
 *
 * @example
 * new ClusterBaselineDeny(chart, 'BaselineDeny');
 */
export class ClusterBaselineDeny extends Construct {
  /** The policy. */
  public readonly policy: ClusterNetworkPolicy;

  public constructor(scope: Construct, id: string, props: ClusterBaselineDenyProps = {}) {
    constructArgs('ClusterBaselineDeny', scope, id);
    const where = `${scope.node.path ? `${scope.node.path}/` : ''}${id}`;
    checkProps(where, 'props', props, ['subject', 'allowDns', 'priority', 'profile'], { optional: true });
    const profile = profileProp(where, props.profile, scope);
    const allowDns = optionalBoolean(where, 'allowDns', props.allowDns) ?? true;
    const priority = given(props.priority) ? integer(where, 'priority', props.priority) : MAX_CLUSTER_POLICY_PRIORITY;
    super(scope, id);
    const all = [Port.allTraffic()];
    const egress: ClusterPolicyRule[] = [];
    if (allowDns) {
      const dns = clusterDnsTarget(where, profile);
      egress.push({ name: 'accept-dns', action: ClusterRuleAction.ACCEPT, peers: [dns.pods, dns.networks].filter((p): p is ClusterPeer => p !== undefined), ports: dns.ports });
    }
    egress.push({ name: 'deny-all-egress', action: ClusterRuleAction.DENY, peers: [ClusterPeer.allNamespaces(), ClusterPeer.networks(['0.0.0.0/0', '::/0'])], ports: all });
    this.policy = new ClusterNetworkPolicy(this, 'Resource', {
      tier: ClusterTier.BASELINE,
      priority,
      subject: props.subject ?? ClusterPeer.allNamespaces(),
      ingress: [{ name: 'deny-all-ingress', action: ClusterRuleAction.DENY, peers: [ClusterPeer.allNamespaces()], ports: all }],
      egress,
    });
  }
}
