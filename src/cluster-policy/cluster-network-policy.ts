import { ApiObject, IAnyProducer, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterPeer } from './cluster-peer';
import { CLUSTER_NETWORK_POLICY_KIND, CLUSTER_POLICY_API_VERSION, MAX_CLUSTER_POLICY_PRIORITY, MAX_PORT, MIN_CLUSTER_POLICY_PRIORITY, MIN_PORT } from '../constants';
import { Port } from '../port';
import { PolicyError, describeValue } from '../private/errors';
import { childPath, claimName, deriveName } from '../private/naming';
import { array, constructArgs, enumValue, given, integer, labels as checkLabels, optionalBoolean, optionalString, orDetach, props as checkProps, string } from '../private/runtime-check';
import { validateClusterPolicyObject } from '../validation/private/cluster-policy';

/** The tier of a `ClusterNetworkPolicy`. */
export enum ClusterTier {
  /** Evaluated before every NetworkPolicy: its Accept and Deny cannot be overridden by namespace owners. */
  ADMIN = 'Admin',
  /** Evaluated only for pods that no NetworkPolicy selects (for the direction): a default that namespace owners override. */
  BASELINE = 'Baseline',
}

/** What a `ClusterNetworkPolicy` rule does with the traffic it matches. */
export enum ClusterRuleAction {
  /** Allow it; no later rule of the tier, nor a NetworkPolicy, decides it any more (the other end's ingress/egress still applies). */
  ACCEPT = 'Accept',
  /** Drop it; nothing later decides it any more. */
  DENY = 'Deny',
  /** Skip the rest of this tier: the Admin tier hands it to NetworkPolicies, the Baseline tier to the default (allow). */
  PASS = 'Pass',
}

/**
 * One rule of a `ClusterNetworkPolicy`. Rules are ordered: within a policy, the first rule that
 * matches decides. There is no implicit isolation: traffic no rule matches goes on to the next
 * tier.
 */
export interface ClusterPolicyRule {
  /** What the rule does with the traffic it matches. */
  readonly action: ClusterRuleAction;
  /**
   * The rule's name (at most 100 characters), shown by `netpol explain`.
   *
   * @default - no name
   */
  readonly name?: string;
  /** Where the traffic comes from (ingress) or goes to (egress); any one suffices. At least one. */
  readonly peers: ClusterPeer[];
  /**
   * The destination ports, any one suffices: `Port.tcp(443)`, `Port.udpRange(...)`,
   * `Port.allTcp()` (rendered as the range 1-65535: `tcp: {}` is invalid here) or
   * `[Port.allTraffic()]` for all traffic. A named `Port.named()` is an error: use `namedPorts`.
   * An empty list is an error unless `namedPorts` is given.
   */
  readonly ports: Port[];
  /**
   * Container port names of the destination (`destinationNamedPort`). Unlike a NetworkPolicy's
   * named port, one matches the container port of that name whatever its protocol. Not with a
   * `networks`, `nodes` or `domainNames` peer.
   *
   * @default - none
   */
  readonly namedPorts?: string[];
}

/** Properties of a `ClusterNetworkPolicy`. */
export interface ClusterNetworkPolicyProps {
  /** `Admin` (before NetworkPolicies) or `Baseline` (after them). */
  readonly tier: ClusterTier;
  /**
   * 0 to 1000; lower is evaluated first within the tier. Two policies of one tier with the same
   * priority that match the same traffic are undefined: which one decides is up to the plugin.
   */
  readonly priority: number;
  /**
   * The pods the policy applies to: `ClusterPeer.namespaces(...)`, `ClusterPeer.allNamespaces()`
   * or `ClusterPeer.pods(...)`. Host-network pods are never selected.
   */
  readonly subject: ClusterPeer;
  /**
   * Ingress rules, in precedence order (at most 25).
   *
   * @default - none: the policy does not affect ingress
   */
  readonly ingress?: ClusterPolicyRule[];
  /**
   * Egress rules, in precedence order (at most 25).
   *
   * @default - none: the policy does not affect egress
   */
  readonly egress?: ClusterPolicyRule[];
  /**
   * Allow the fields of the experimental channel's CRD (`ClusterPeer.nodes()`,
   * `ClusterPeer.domainNames()`): the policy is then validated against the experimental CRD,
   * which the cluster must have installed.
   *
   * @default false - the standard channel's CRD
   */
  readonly experimental?: boolean;
  /**
   * `metadata.name`.
   *
   * @default - derived from the construct path below the chart, kebab-cased
   */
  readonly name?: string;
  /**
   * `metadata.labels`.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * `metadata.annotations`.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

const PROPS = ['tier', 'priority', 'subject', 'ingress', 'egress', 'experimental', 'name', 'labels', 'annotations'];
const RULE_PROPS = ['action', 'name', 'peers', 'ports', 'namedPorts'];
/** Names are per kind and cluster-wide: one registry entry for all of them. */
const CLUSTER_SCOPE = '(cluster-scoped ClusterNetworkPolicy)';

interface State {
  readonly ingress: any[];
  readonly egress: any[];
  readonly experimental: boolean;
  readonly labels?: { [key: string]: string };
  readonly annotations?: { [key: string]: string };
}

const STATE = new WeakMap<ClusterNetworkPolicy, State>();

/**
 * A `ClusterNetworkPolicy` (`policy.networking.k8s.io/v1alpha2`, network-policy-api bundle
 * v0.2.0): cluster-wide rules a platform team sets once, evaluated per direction in tiers:
 * the Admin tier (by priority, then rule order; Accept and Deny final, Pass to the next tier),
 * then NetworkPolicies (if any selects the pod for the direction, they decide), then the
 * Baseline tier, then allow. Cluster-scoped: it has no namespace.
 *
 * Every value is checked when given, and the rendered object is validated with the same
 * validator as `netpol validate` (the CRD of the channel), so synthesis never writes an object
 * the API server would reject.
 *
 * @see https://network-policy-api.sigs.k8s.io/api-overview/
 */
export class ClusterNetworkPolicy extends ApiObject {
  /**
   * `instanceof` with its ordinary meaning (cdk8s's `ApiObject` answers `true` for every API object).
   *
   * @internal
   */
  public static [Symbol.hasInstance](o: unknown): o is ClusterNetworkPolicy {
    return Function.prototype[Symbol.hasInstance].call(this, o);
  }

  /** The tier. */
  public readonly tier: ClusterTier;
  /** The priority within the tier. */
  public readonly priority: number;
  /** The pods the policy applies to. */
  public readonly subject: ClusterPeer;

  public constructor(scope: Construct, id: string, props: ClusterNetworkPolicyProps) {
    constructArgs('ClusterNetworkPolicy', scope, id);
    const where = childPath(scope, id);
    checkProps(where, 'props', props, PROPS);
    const tier = enumValue(where, 'tier', props.tier, Object.values(ClusterTier), 'ClusterTier: ClusterTier.ADMIN, ClusterTier.BASELINE');
    const priority = integer(where, 'priority', props.priority, `an integer from ${MIN_CLUSTER_POLICY_PRIORITY} to ${MAX_CLUSTER_POLICY_PRIORITY}`);
    if (priority < MIN_CLUSTER_POLICY_PRIORITY || priority > MAX_CLUSTER_POLICY_PRIORITY) {
      throw new PolicyError(where, `priority: ${priority}: must be from ${MIN_CLUSTER_POLICY_PRIORITY} to ${MAX_CLUSTER_POLICY_PRIORITY} (lower is evaluated first)`);
    }
    const subject = ClusterPeer._from(where, 'subject', props.subject);
    if (subject.field !== 'namespaces' && subject.field !== 'pods') {
      throw new PolicyError(where, `subject: ${subject}: a subject selects pods: use ClusterPeer.namespaces(), ClusterPeer.allNamespaces() or ClusterPeer.pods()`);
    }
    const experimental = optionalBoolean(where, 'experimental', props.experimental) ?? false;
    optionalString(where, 'name', props.name, { what: 'a ClusterNetworkPolicy name' });
    const labels = given(props.labels) ? checkLabels(where, 'labels', props.labels) : undefined;
    const annotations = given(props.annotations) ? checkLabels(where, 'annotations', props.annotations) : undefined;
    const ingress = given(props.ingress) ? array(where, 'ingress', props.ingress, 'rules', r => r) : [];
    const egress = given(props.egress) ? array(where, 'egress', props.egress, 'rules', r => r) : [];
    const name = props.name ?? deriveName(scope, id, CLUSTER_SCOPE);
    const spec = new SpecProducer();
    super(scope, id, {
      apiVersion: CLUSTER_POLICY_API_VERSION,
      kind: CLUSTER_NETWORK_POLICY_KIND,
      metadata: { name, labels, annotations },
      spec: Lazy.any(spec),
    });
    spec.policy = this;
    this.tier = tier;
    this.priority = priority;
    this.subject = subject;
    STATE.set(this, { ingress: [], egress: [], experimental, labels, annotations });
    orDetach(this, () => {
      claimName(this, CLUSTER_SCOPE, name);
      for (const r of ingress) this.addRule('ingress', r, false);
      for (const r of egress) this.addRule('egress', r, false);
      this.checkCrd();
    });
  }

  /** Adds an ingress rule after the existing ones (lower precedence). */
  public addIngress(rule: ClusterPolicyRule): void {
    this.addRule('ingress', rule, true);
  }

  /** Adds an egress rule after the existing ones (lower precedence). */
  public addEgress(rule: ClusterPolicyRule): void {
    this.addRule('egress', rule, true);
  }

  /**
   * The object without a namespace: a ClusterNetworkPolicy is cluster-scoped, whatever the chart's namespace.
   */
  public toJson(): any {
    const json = super.toJson();
    if (json.metadata) delete json.metadata.namespace;
    return json;
  }

  /**
   * The `spec`.
   *
   * @internal
   */
  public _toKube(): any {
    const state = STATE.get(this)!;
    const spec: any = { tier: this.tier, priority: this.priority, subject: this.subject.toPeerConfig() };
    if (state.ingress.length > 0) spec.ingress = JSON.parse(JSON.stringify(state.ingress));
    if (state.egress.length > 0) spec.egress = JSON.parse(JSON.stringify(state.egress));
    return spec;
  }

  private addRule(direction: 'ingress' | 'egress', value: unknown, validate: boolean): void {
    const state = STATE.get(this)!;
    const list = state[direction];
    const field = `spec.${direction}[${list.length}]`;
    const r = checkProps<{ [key: string]: unknown }>(this, field, value as { [key: string]: unknown }, RULE_PROPS);
    const action = enumValue(this, `${field}.action`, r.action, Object.values(ClusterRuleAction),
      'ClusterRuleAction: ClusterRuleAction.ACCEPT, ClusterRuleAction.DENY, ClusterRuleAction.PASS');
    const ruleName = optionalString(this, `${field}.name`, r.name, { nonEmpty: true, what: 'a rule name' });
    const peersField = direction === 'ingress' ? 'from' : 'to';
    if (!Array.isArray(r.peers) || r.peers.length === 0) {
      throw new PolicyError(this, `${field}.peers: ${describeValue(r.peers)}: a rule must list at least one peer (ClusterPeer.allNamespaces() for every pod): an empty list is never read as "anywhere"`);
    }
    const peers = array(this, `${field}.peers`, r.peers, 'ClusterPeers', (p, f) => ClusterPeer._from(this.node.path, f, p));
    peers.forEach((peer, i) => {
      if (direction === 'ingress' && peer.field !== 'namespaces' && peer.field !== 'pods') {
        throw new PolicyError(this, `${field}.peers[${i}]: ${peer}: an ingress rule's peers are namespaces or pods; ${peer.field} peers are egress only`);
      }
      if (peer.experimental && !state.experimental) {
        throw new PolicyError(this, `${field}.peers[${i}]: ${peer}: ${peer.field} exists only in the experimental channel's CRD: `
          + 'set `experimental: true` on the policy (and install the experimental CRD), or use a standard peer');
      }
    });
    const namedPorts = given(r.namedPorts) ? array(this, `${field}.namedPorts`, r.namedPorts, 'container port names', (n, f) => string(this, f, n, { nonEmpty: true, what: 'a container port name' })) : [];
    if (!Array.isArray(r.ports) || (r.ports.length === 0 && namedPorts.length === 0)) {
      throw new PolicyError(this, `${field}.ports: ${describeValue(r.ports)}: a rule must list at least one port, or namedPorts. `
        + 'Use [Port.allTraffic()] for all traffic: an empty list is never read as "all ports"');
    }
    const ports = array(this, `${field}.ports`, r.ports, 'Ports', (p, f) => Port._from(this, f, p));
    const allTraffic = ports.some(p => p.isAllTraffic);
    if (allTraffic && (ports.length > 1 || namedPorts.length > 0)) {
      throw new PolicyError(this, `${field}.ports: Port.allTraffic() matches every port of every protocol: it cannot be listed with other ports`);
    }
    const protocols = allTraffic ? undefined : [...ports.map((p, i) => protocolEntry(this, `${field}.ports[${i}]`, p)), ...namedPorts.map(n => ({ destinationNamedPort: n }))];
    const rule: any = {
      ...(ruleName !== undefined ? { name: ruleName } : {}),
      action,
      [peersField]: peers.map(p => p.toPeerConfig()),
      ...(protocols ? { protocols } : {}),
    };
    list.push(rule);
    if (validate) {
      try {
        this.checkCrd();
      } catch (e) {
        list.pop(); // a rejected rule leaves the policy as it was
        throw e;
      }
    }
  }

  /** Validates the whole object with the loader's validator (the CRD of the channel). */
  private checkCrd(): void {
    const state = STATE.get(this)!;
    const metadata = { name: this.metadata.name, labels: state.labels, annotations: state.annotations };
    const obj = { apiVersion: CLUSTER_POLICY_API_VERSION, kind: CLUSTER_NETWORK_POLICY_KIND, metadata, spec: this._toKube() };
    const { errors } = validateClusterPolicyObject(obj, { experimental: state.experimental });
    if (errors.length > 0) throw PolicyError.fromFieldErrors(this, errors);
  }
}

/** A numbered port as a `protocols` entry: a number, or a range (a one-port range is written as a number). */
function protocolEntry(policy: ClusterNetworkPolicy, field: string, port: Port): any {
  if (port.name !== undefined) {
    throw new PolicyError(policy, `${field}: ${port}: a ClusterNetworkPolicy names container ports with namedPorts (destinationNamedPort), `
      + 'which match the name whatever the protocol: move the name to namedPorts');
  }
  const protocol = (port.protocol ?? 'TCP').toLowerCase();
  const start = port.number ?? MIN_PORT;
  const end = port.number === undefined ? MAX_PORT : port.endPort ?? port.number;
  const destinationPort = start === end ? { number: start } : { range: { start, end } };
  return { [protocol]: { destinationPort } };
}

/** Renders the spec of the policy it is given once the policy exists (after `super()`). */
class SpecProducer implements IAnyProducer {
  public policy?: ClusterNetworkPolicy;
  public produce(): any {
    return this.policy!._toKube();
  }
}

