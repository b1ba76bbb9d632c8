import { Construct } from 'constructs';
import { ClusterNetworkPolicy, ClusterRuleAction, ClusterTier } from '../cluster-policy/cluster-network-policy';
import { ClusterPeer } from '../cluster-policy/cluster-peer';
import { LabelExpression, LabelSelector } from '../label-selector';
import { Port } from '../port';
import { kebab } from '../private/naming';
import { constructArgs, fail, given, integer, props as checkProps, string, strings } from '../private/runtime-check';

/** Properties of `TenantIsolation`. */
export interface TenantIsolationProps {
  /** The tenants: the values of `tenantLabel` on their namespaces (at least one). */
  readonly tenants: string[];
  /**
   * The namespace label that names a namespace's tenant.
   *
   * @default 'tenant'
   */
  readonly tenantLabel?: string;
  /**
   * The Admin priority of the policies (lower is evaluated first).
   *
   * @default 100
   */
  readonly priority?: number;
}

/**
 * Keeps the namespaces of different tenants apart, cluster-wide, in the Admin tier: for each
 * tenant, one `ClusterNetworkPolicy` whose subject is the tenant's namespaces (by the tenant
 * label) Passes traffic from and to the same tenant's namespaces (their NetworkPolicies decide)
 * and Denies traffic from and to namespaces of any other tenant (those with the label and
 * another value). Namespaces without the label are not affected, and nothing else is decided:
 * everything else goes on to NetworkPolicies.
 *
 * One policy per tenant: a selector cannot say "the same value as mine" (v1alpha2 has no
 * `sameLabels`).
 *
 * @example
 * new TenantIsolation(chart, 'Tenants', { tenants: ['acme', 'globex'] });
 */
export class TenantIsolation extends Construct {
  /** The policies, one per tenant, in the order of `tenants`. */
  public readonly policies: ClusterNetworkPolicy[];

  public constructor(scope: Construct, id: string, props: TenantIsolationProps) {
    constructArgs('TenantIsolation', scope, id);
    const where = `${scope.node.path ? `${scope.node.path}/` : ''}${id}`;
    checkProps(where, 'props', props, ['tenants', 'tenantLabel', 'priority']);
    const tenants = strings(where, 'tenants', props.tenants, 'tenant names (strings)');
    if (tenants.length === 0) fail(where, 'tenants', props.tenants, 'must list at least one tenant');
    if (new Set(tenants).size !== tenants.length) fail(where, 'tenants', props.tenants, 'must not repeat a tenant');
    const key = given(props.tenantLabel) ? string(where, 'tenantLabel', props.tenantLabel, { nonEmpty: true, what: 'a label key' }) : 'tenant';
    const priority = given(props.priority) ? integer(where, 'priority', props.priority) : 100;
    super(scope, id);
    this.policies = tenants.map(tenant => {
      const same = ClusterPeer.namespaces(LabelSelector.labels({ [key]: tenant }));
      const others = ClusterPeer.namespaces(LabelSelector.of({ expressions: [LabelExpression.exists(key), LabelExpression.notIn(key, [tenant])] }));
      const all = [Port.allTraffic()];
      return new ClusterNetworkPolicy(this, kebab(tenant) || 'Tenant', {
        tier: ClusterTier.ADMIN,
        priority,
        subject: same,
        ingress: [
          { name: 'pass-same-tenant', action: ClusterRuleAction.PASS, peers: [same], ports: all },
          { name: 'deny-other-tenants', action: ClusterRuleAction.DENY, peers: [others], ports: all },
        ],
        egress: [
          { name: 'pass-same-tenant', action: ClusterRuleAction.PASS, peers: [same], ports: all },
          { name: 'deny-other-tenants', action: ClusterRuleAction.DENY, peers: [others], ports: all },
        ],
      });
    });
  }
}
