import { ApiObject, ApiObjectMetadataDefinition, Chart, IAnyProducer, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Direction } from './direction';
import { LabelSelector } from './label-selector';
import { Peer } from './peer';
import { Port } from './port';
import { deepFreeze } from './private/canonical';
import { PolicyError, describeValue } from './private/errors';
import { childPath, claimName, deriveName } from './private/naming';
import { RenderedRule, renderRule } from './private/rules';
import { array, annotations as checkAnnotations, constructArgs, orDetach, pendingPath, enumValue, given, labels as checkLabels, optionalArray, optionalString, props as checkProps } from './private/runtime-check';
import { libraryValidation, markChanged, trackChanges } from './private/synth-memo';
import { ErrorType, FieldError } from './validation/field-error';
import { validateLabelSelector, validateLabels } from './validation/private/label-selector';
import { isDns1123Label, isDns1123Subdomain } from './validation/private/names';
import { validateAnnotations } from './validation/private/object';
import { validatePeer } from './validation/private/peer';
import { validatePort } from './validation/private/port';

/**
 * An ingress rule: traffic from any of `from` to any of `ports` of the selected pods.
 */
export interface IngressRule {
  /**
   * Where traffic may come from; any one peer suffices (OR). Use `[Peer.anywhere()]` for
   * every source. An empty list is an error.
   */
  readonly from: Peer[];
  /**
   * The destination ports on the selected pods; any one suffices (OR). Use
   * `[Port.allTraffic()]` for every port and protocol. An empty list is an error.
   */
  readonly ports: Port[];
}

/**
 * An egress rule: traffic from the selected pods to any of `to` on any of `ports`.
 */
export interface EgressRule {
  /**
   * Where traffic may go; any one peer suffices (OR). Use `[Peer.anywhere()]` for every
   * destination. An empty list is an error.
   */
  readonly to: Peer[];
  /**
   * The destination ports; any one suffices (OR). Use `[Port.allTraffic()]` for every port
   * and protocol. An empty list is an error.
   */
  readonly ports: Port[];
}

/**
 * Properties of a `Policy`.
 */
export interface PolicyProps {
  /**
   * The namespace the policy lives in; it only ever selects pods of this namespace.
   *
   * @default - the chart's namespace (an error if the chart has none)
   */
  readonly namespace?: string;

  /**
   * `metadata.name`.
   *
   * @default - derived from the construct path below the chart, kebab-cased (`Web/AllowFromLb` → `web-allow-from-lb`)
   */
  readonly name?: string;

  /**
   * The pods the policy applies to.
   *
   * @default - every pod in the namespace (`podSelector: {}`)
   */
  readonly podSelector?: LabelSelector;

  /**
   * The directions the policy isolates. A direction listed here with no rules denies all
   * traffic in that direction (for the selected pods, unless another policy allows it).
   * Adding a rule for a direction that is not listed is an error: the API server would
   * silently ignore it.
   *
   * @default - the directions that have rules (always written out, never left to server defaulting)
   */
  readonly policyTypes?: Direction[];

  /**
   * Ingress rules; more can be added with `addIngress()`.
   *
   * @default - none
   */
  readonly ingress?: IngressRule[];

  /**
   * Egress rules; more can be added with `addEgress()`.
   *
   * @default - none
   */
  readonly egress?: EgressRule[];

  /**
   * Labels of the NetworkPolicy object.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the NetworkPolicy object.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * One `networking.k8s.io/v1` NetworkPolicy, able to express every valid policy.
 *
 * Policies are allow-lists and additive: a pod is isolated in a direction as soon as one
 * policy selecting it lists that direction in `policyTypes`, and then only what the union of
 * all such policies allows gets through. A connection needs both the source's egress and the
 * destination's ingress to allow it.
 *
 * Every part is validated when it is added, with the API server's own rules; an invalid
 * value fails with an error that names this construct, the field and what would be valid.
 * Equal rules are emitted once.
 *
 * A `Policy` is itself the cdk8s `ApiObject` it synthesizes (one construct per object, like
 * the generated `KubeNetworkPolicy`), so `addJsonPatch()`, `metadata` and `addDependency()`
 * work on it directly.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 *
 * @example
 * const policy = new Policy(chart, 'Web', {
 *   podSelector: LabelSelector.labels({ app: 'web' }),
 * });
 * policy.addIngress({ from: [Peer.namespace('ingress-nginx')], ports: [Port.tcp(8080)] });
 */
export class Policy extends ApiObject {
  /**
   * `instanceof` with its ordinary meaning for `Policy` and its subclasses: cdk8s's
   * `ApiObject` answers `true` for every API object, which subclasses would inherit.
   *
   * @internal
   */
  public static [Symbol.hasInstance](o: unknown): o is Policy {
    return Function.prototype[Symbol.hasInstance].call(this, o);
  }

  /** What the policy is and renders (see `PolicyState`), from the end of its construction; only this module reads it. */
  #state?: PolicyState;

  public constructor(scope: Construct, id: string, props: PolicyProps = {}) {
    // (a primitive `this`, from `Reflect.get` or `call`, has no state: `in` would throw a TypeError)
    stateIn ??= o => (typeof o === 'object' && o !== null && #state in o ? (o as Policy).#state : undefined);
    // The props are checked before the object exists: errors name the path it would have.
    constructArgs('Policy', scope, id);
    const where = pendingPath(scope, id);
    // every prop is read once, into this snapshot, which is all that is checked and used
    const p = checkProps<PolicyProps>(where, 'props', props, POLICY_PROPS, { optional: true });
    const givenNamespace = optionalString(where, 'namespace', p.namespace, { what: 'a namespace name' });
    const givenName = optionalString(where, 'name', p.name, { what: 'a NetworkPolicy name' });
    const podSelector = given(p.podSelector) ? LabelSelector._from(where, 'podSelector', p.podSelector) : LabelSelector.all();
    const policyTypes = optionalArray(where, 'policyTypes', p.policyTypes, 'Directions',
      (d, f) => enumValue(where, f, d, DIRECTIONS, 'Direction: Direction.INGRESS, Direction.EGRESS'));
    const ingress = optionalArray(where, 'ingress', p.ingress, 'ingress rules ({ from, ports })', r => r as IngressRule);
    const egress = optionalArray(where, 'egress', p.egress, 'egress rules ({ to, ports })', r => r as EgressRule);
    const labels = given(p.labels) ? checkLabels(where, 'labels', p.labels) : undefined;
    const annotations = given(p.annotations) ? checkAnnotations(where, 'annotations', p.annotations) : undefined;
    const namespace = givenNamespace ?? Chart.of(scope).namespace;
    if (namespace === undefined) {
      throw new PolicyError(childPath(scope, id), 'no namespace: set `namespace` on this construct or on its chart, so that it is clear which pods the policy isolates');
    }
    if (!VALID_NAMESPACES.has(namespace)) {
      failAt(() => childPath(scope, id), isDns1123Label(namespace).map(detail => invalid('metadata.namespace', namespace, detail)));
      VALID_NAMESPACES.add(namespace);
    }
    // a derived name is valid by construction (kebab-cased DNS-1123 parts); a given one is checked
    const name = givenName ?? deriveName(scope, id, namespace);
    if (givenName !== undefined) {
      failAt(() => childPath(scope, id), isDns1123Subdomain(name).map(detail => invalid('metadata.name', name, detail)));
    }
    const spec = new SpecProducer();
    const lazySpec = Lazy.any(spec);
    // the assignments of cdk8s's constructor land in this state (see identityField); constructions may nest
    const outer = building;
    building = new PolicyState();
    super(scope, id, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace, labels, annotations },
      spec: lazySpec,
    });
    const built = building;
    building = outer;
    spec.policy = this;
    Object.freeze(spec);
    // What the whole-app checks read of a policy without rendering it cannot be reassigned: the
    // fields cdk8s's constructor assigned and this policy's own are prototype accessors over
    // its private state (read-only once constructed; see IDENTITY_FIELDS), and the rendered props
    // (the spec's Lazy and its producer included) are frozen. Nothing is redefined on the instance:
    // V8 makes every Object.defineProperty on an instance a slow runtime call (it was most of the
    // constructor's time). The metadata stays an ordinary cdk8s object (jsii tags the objects it
    // hands to other languages, which a frozen one refuses); a change to its name or namespace is
    // seen by `isIntact`, and the checks then read the policy as it renders. A policy that renders
    // through the library's own `toJson()` and `_toKube()` (fixed on Policy.prototype) keeps them
    // (then its rules are what it writes, and the whole-app checks read them without rendering,
    // while `isIntact` holds); a subclass that overrides either is rendered and judged as written.
    const state = this.#state = constructed(this, built);
    state.namespace = namespace;
    state.podSelector = podSelector;
    Object.freeze(state.props!);
    Object.freeze(lazySpec);
    if (this.toJson === Policy.prototype.toJson && this._toKube === Policy.prototype._toKube) {
      // What the policy renders lives where no caller can reach it, and changes only through
      // addIngress()/addEgress(), which tell the whole-app checks (see synth-memo.ts and `trackChanges` below).
      state.tracked = true;
    }

    // a construction that fails leaves no half-built policy in the tree
    orDetach(this, () => {
      claimName(this, namespace, name);
      if (labels !== undefined || annotations !== undefined) {
        this.fail([
          ...validateLabels(labels ?? {}, 'metadata.labels'),
          ...validateAnnotations(annotations ?? {}, 'metadata.annotations'),
        ]);
      }
      if (!VALID_SELECTORS.has(podSelector)) {
        this.fail(validateLabelSelector(podSelector._config(), 'spec.podSelector'));
        VALID_SELECTORS.add(podSelector);
      }

      if (policyTypes?.length === 0) {
        throw new PolicyError(this, 'policyTypes is empty: list Direction.INGRESS and/or Direction.EGRESS, or leave it unset to isolate the directions that have rules');
      }
      state.explicitTypes = policyTypes && Object.freeze([Direction.INGRESS, Direction.EGRESS].filter(d => policyTypes.includes(d)));

      for (const rule of ingress ?? []) this.addIngress(rule);
      for (const rule of egress ?? []) this.addEgress(rule);

      // Only a policy that starts out empty can end up empty; one with rules or policyTypes
      // needs no check at synthesis (cdk8s runs every validation once per chart it synthesizes).
      if (!state.explicitTypes && state.ingress.size === 0 && state.egress.size === 0) {
        this.node.addValidation(libraryValidation(() => this.validateRules()));
      }
    });
  }

  /** The namespace of the policy. */
  public get namespace(): string {
    return stateOf(this).namespace;
  }

  /** The pods the policy applies to. */
  public get podSelector(): LabelSelector {
    return stateOf(this).podSelector;
  }

  /**
   * Allows traffic into the selected pods from any of `rule.from` on any of `rule.ports`.
   * Isolates the selected pods for ingress, unless `policyTypes` was given without it
   * (then this throws).
   */
  public addIngress(rule: IngressRule): void {
    this.addRule(Direction.INGRESS, rule, 'from');
  }

  /**
   * Allows traffic from the selected pods to any of `rule.to` on any of `rule.ports`.
   * Isolates the selected pods for egress, unless `policyTypes` was given without it
   * (then this throws).
   */
  public addEgress(rule: EgressRule): void {
    this.addRule(Direction.EGRESS, rule, 'to');
  }

  /** The directions this policy isolates: `policyTypes` as it will be written. */
  public get policyTypes(): Direction[] {
    const state = stateOf(this);
    if (state.explicitTypes) return [...state.explicitTypes];
    const types: Direction[] = [];
    if (state.ingress.size > 0) types.push(Direction.INGRESS);
    if (state.egress.size > 0) types.push(Direction.EGRESS);
    return types;
  }

  /**
   * The NetworkPolicy `spec`.
   *
   * @internal
   */
  public _toKube(): any {
    const state = stateOf(this);
    const spec: any = {
      podSelector: state.podSelector._config(),
      policyTypes: this.policyTypes,
    };
    if (state.ingress.size > 0) spec.ingress = [...state.ingress.values()].map(r => toKubeRule(r, 'from'));
    if (state.egress.size > 0) spec.egress = [...state.egress.values()].map(r => toKubeRule(r, 'to'));
    return spec;
  }

  /**
   * The egress rules as they will be rendered (shared, not copies).
   *
   * @internal
   */
  public _egressRules(): RenderedRule[] {
    return [...stateOf(this).egress.values()];
  }

  /**
   * Whether an egress rule may allow traffic to IP addresses (it has an ipBlock peer, or no
   * `to`): only those can reach an address outside the cluster.
   *
   * @internal
   */
  public _egressToAddresses(): boolean {
    return stateOf(this).egressToAddresses;
  }

  private addRule(direction: Direction, rule: IngressRule | EgressRule, peersField: 'from' | 'to'): void {
    const state = stateOf(this);
    const rules = direction === Direction.INGRESS ? state.ingress : state.egress;
    const field = `spec.${direction === Direction.INGRESS ? 'ingress' : 'egress'}[${rules.size}]`;
    // the rule, its lists and their elements are read once (a snapshot): what is checked is what is rendered
    const r = checkProps<{ [key: string]: unknown }>(this, field, rule as unknown as { [key: string]: unknown }, RULE_PROPS[peersField]);
    if (state.explicitTypes && !state.explicitTypes.includes(direction)) {
      throw new PolicyError(this, `${field}: an ${direction.toLowerCase()} rule was added, but policyTypes is [${state.explicitTypes.join(', ')}]: `
        + `the API server would silently ignore the rule. Add Direction.${direction.toUpperCase()} to policyTypes, or drop the rule`);
    }
    const peers = ruleList(this, `${field}.${peersField}`, r[peersField], 'Peers', (p, f) => Peer._from(this, f, p), NO_PEERS[peersField]);
    const ports = ruleList(this, `${field}.ports`, r.ports, 'Ports', (p, f) => Port._from(this, f, p), NO_PORTS);
    const rendered = validRule(this, field, peersField, peers, ports);
    if (!rules.has(rendered.key)) {
      rules.set(rendered.key, rendered);
      if (direction === Direction.EGRESS && (!rendered.peers || rendered.peers.some(p => p.ipBlock))) state.egressToAddresses = true;
      markChanged();
    }
  }

  /**
   * The one check that must wait for synthesis: every field was validated when it was
   * given, but whether the policy ends up with rules is only known now.
   */
  private validateRules(): string[] {
    const state = stateOf(this);
    if (state.explicitTypes || state.ingress.size > 0 || state.egress.size > 0) return [];
    return ['this policy has no rules and no policyTypes, so it would do nothing (the API server would read it as ingress isolation): '
      + 'add rules, or set policyTypes to isolate'];
  }

  private fail(errors: FieldError[]): void {
    failAt(() => this, errors);
  }
}

/**
 * What a policy is and renders: what cdk8s's constructor assigned (see IDENTITY_FIELDS), its
 * namespace and pod selector, its policyTypes (when given) and its rules, by key. A class, so
 * that every state has one shape from the start (the accessors store into existing fields).
 */
class PolicyState {
  /** Whether the identity fields are own read-only properties of the instance (a cdk8s with standard class fields; see `constructed`). */
  public lockedOnInstance = false;
  public apiVersion?: string = undefined;
  public kind?: string = undefined;
  public name?: string = undefined;
  public metadata?: ApiObjectMetadataDefinition = undefined;
  public props?: object = undefined;
  public namespace: string = '';
  public podSelector: LabelSelector = LabelSelector.all();
  public explicitTypes?: readonly Direction[] = undefined;
  public readonly ingress = new Map<string, RenderedRule>();
  public readonly egress = new Map<string, RenderedRule>();
  /** Whether an egress rule may allow traffic to IP addresses (an ipBlock peer, or no `to`). */
  public egressToAddresses = false;
  /** Whether the policy renders through the library's own renderers, so that the whole-app checks track it (see `trackChanges`). */
  public tracked = false;
}

/**
 * The state of a constructed `Policy` (its private field), `undefined` for anything else; set by
 * the first construction (before it, no object has a state).
 */
let stateIn: ((o: object) => PolicyState | undefined) | undefined;

/** The state of the policy whose `ApiObject` constructor is running (see `identityField`). */
let building: PolicyState | undefined;

/** What the identity accessors stored on objects that are not policies (`Reflect.set` with another receiver). */
const FOREIGN = new WeakMap<object, PolicyState>();

function stateOf(policy: Policy): PolicyState {
  const state = stateIn?.(policy);
  if (state === undefined) throw new Error(`internal error: ${policy?.node?.path ?? String(policy)} is not a Policy of this library`);
  return state;
}

/**
 * The fields of `ApiObject` that its constructor assigns and the whole-app checks read without
 * rendering (or that rendering reads: `props`, `metadata`). On `Policy.prototype` they are
 * accessors over the policy's state: the assignments of cdk8s's constructor land in the state being
 * built, and once the `Policy` constructor has run, assigning one throws a `TypeError`, as
 * assigning a read-only property does.
 */
const IDENTITY_FIELDS = ['apiVersion', 'kind', 'name', 'metadata', 'props'] as const;

/**
 * The accessor of one identity field (each reads and writes one named field: no keyed access on
 * the hot path). A constructed policy has its state; one whose `ApiObject` constructor is running
 * has none yet, and reads and writes the state being built (no lookup by identity: a `WeakMap`
 * per assignment was a tenth of the constructor's time).
 */
function identityField(field: string, read: (s: PolicyState) => unknown, write: (s: PolicyState, value: any) => void): PropertyDescriptor {
  return {
    get(this: Policy) {
      const state = stateIn?.(this) ?? building ?? FOREIGN.get(this);
      if (state === undefined) return stateOf(this);
      return read(state);
    },
    set(this: Policy, value: unknown) {
      let state = stateIn?.(this);
      if (state !== undefined) throw new TypeError(`Cannot assign to read only property '${field}' of Policy '${this.node.path}': it is fixed when the policy is constructed`);
      state = building;
      if (state === undefined) {
        state = FOREIGN.get(this);
        if (state === undefined) FOREIGN.set(this, state = new PolicyState());
      }
      write(state, value);
    },
    enumerable: true,
    configurable: false,
  };
}

Object.defineProperties(Policy.prototype, {
  apiVersion: identityField('apiVersion', s => s.apiVersion, (s, v) => { s.apiVersion = v; }),
  kind: identityField('kind', s => s.kind, (s, v) => { s.kind = v; }),
  name: identityField('name', s => s.name, (s, v) => { s.name = v; }),
  metadata: identityField('metadata', s => s.metadata, (s, v) => { s.metadata = v; }),
  props: identityField('props', s => s.props, (s, v) => { s.props = v; }),
});

/**
 * The state of a policy whose `ApiObject` constructor has just run (`state`, which its
 * assignments reached); its identity fields are read-only once the policy holds it. A cdk8s
 * compiled with standard class fields (2.70.100 and later, what `cdk8s init` brings: `name;`,
 * `apiVersion;` ... in `ApiObject`) defines them as own properties of the instance before its
 * constructor assigns them, so the assignments never reach the accessors: their values are
 * adopted into the state and the own properties made read-only in place (`lockedOnInstance`).
 * Deleting them instead would put every policy in V8's dictionary mode, which made `App.synth`
 * with one chart per namespace 1.4 times slower.
 */
function constructed(policy: Policy, state: PolicyState): PolicyState {
  let locked: PropertyDescriptorMap | undefined;
  for (const field of IDENTITY_FIELDS) {
    const own = Object.getOwnPropertyDescriptor(policy, field);
    if (own === undefined || !('value' in own) || own.configurable !== true) continue;
    (state as unknown as { [f: string]: unknown })[field] = own.value;
    (locked ??= {})[field] = { value: own.value, writable: false, configurable: false, enumerable: own.enumerable };
  }
  if (locked !== undefined) {
    Object.defineProperties(policy, locked);
    state.lockedOnInstance = true;
  }
  const missing = IDENTITY_FIELDS.filter(f => state[f] === undefined);
  if (missing.length > 0) {
    throw new PolicyError(policy, `${missing.join(', ')} never reached the Policy: a subclass of Policy cannot redefine ${IDENTITY_FIELDS.join(', ')} `
      + '(they are what the policy renders and what the whole-app checks read); override toJson() or _toKube() to render differently');
  }
  return state;
}

/**
 * What the whole-app checks read of a tracked policy, or what renders it: none of it may be
 * shadowed by an own property of the instance (`Object.defineProperty` on it) or of a subclass
 * prototype, nor may the prototype chain have been changed to one without `Policy.prototype`.
 */
const READ_BY_CHECKS_BUT_IDENTITY = ['namespace', 'podSelector', 'policyTypes', 'toJson', '_toKube', '_egressRules', '_egressToAddresses'] as const;
const READ_BY_CHECKS = [...IDENTITY_FIELDS, ...READ_BY_CHECKS_BUT_IDENTITY] as const;

/**
 * Whether the whole-app checks may still read `o` through its fields and state (see
 * `trackChanges`): nothing on its prototype chain below `Policy.prototype` shadows what they read,
 * and its metadata still renders the name and namespace it was constructed with (plain data
 * fields, no renderer of its own).
 */
function isIntact(o: object): boolean {
  const state = stateIn?.(o);
  for (let p: object | null = o; p !== Policy.prototype; p = Object.getPrototypeOf(p)) {
    if (p === null) return false;
    // identity fields locked on the instance at construction can never change (non-writable, non-configurable)
    const keys = p === o && state?.lockedOnInstance ? READ_BY_CHECKS_BUT_IDENTITY : READ_BY_CHECKS;
    for (const key of keys) {
      if (Object.prototype.hasOwnProperty.call(p, key)) return false;
    }
  }
  const metadata = state?.metadata;
  return metadata !== undefined && Object.getPrototypeOf(metadata) === ApiObjectMetadataDefinition.prototype
    && !Object.prototype.hasOwnProperty.call(metadata, 'toJson')
    && dataField(metadata, 'name') === state!.name && dataField(metadata, 'namespace') === state!.namespace;
}

// The whole-app checks track the policies that render through the library's own renderers, as
// long as they are intact (a private-field check: no table of every policy to keep).
trackChanges(o => (stateIn?.(o)?.tracked === true ? isIntact(o) : undefined));

/** The value of an own data property (an accessor could answer differently to each reader). */
function dataField(o: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(o, key);
  return d !== undefined && 'value' in d ? d.value : NOT_DATA;
}

const NOT_DATA = Symbol('not a data property');

// What the checks read on Policy.prototype itself cannot be replaced either (a subclass still
// overrides a method with its own definition; assigning one on an instance throws a TypeError).
// That includes the renderer, cdk8s's `toJson()` as it is when this module loads: fixed here once
// for every policy instead of on each instance (two `Object.defineProperty` per policy, about 5%
// of the constructor's time in a CPU profile); one defined on an instance or a subclass prototype
// later is seen by `isIntact`, and the checks then judge the policy as it renders.
Object.defineProperty(Policy.prototype, 'toJson', { value: ApiObject.prototype.toJson, writable: true, configurable: true, enumerable: false });
for (const key of READ_BY_CHECKS) {
  const own = Object.getOwnPropertyDescriptor(Policy.prototype, key)!;
  Object.defineProperty(Policy.prototype, key, 'value' in own ? { ...own, writable: false, configurable: false } : { ...own, configurable: false });
}

/** Renders the spec of the policy it is given once the policy exists (after `super()`). */
class SpecProducer implements IAnyProducer {
  public policy?: Policy;
  public produce(): any {
    return this.policy!._toKube();
  }
}

/** Throws for `errors`, if any, naming the construct (or the path of one not yet created). */
function failAt(scope: () => IConstruct | string, errors: FieldError[]): void {
  if (errors.length > 0) throw PolicyError.fromFieldErrors(scope(), errors);
}

/**
 * A rule rendered from `peers` and `ports`, every peer and port validated (the first one not yet
 * found valid fails, naming the policy and the field). Each list of peers and ports is rendered
 * and validated once per process, and its rule shared, frozen: values are immutable, and an app
 * writes the same few rules in every namespace.
 */
function validRule(policy: Policy, field: string, peersField: 'from' | 'to', peers: Peer[], ports: Port[]): RenderedRule {
  const known = ruleNode(peers, ports, false)?.rule;
  if (known !== undefined) return known;
  const rendered = renderRule(peers, ports);
  const errors: FieldError[] = [];
  rendered.peerKeys.forEach((key, i) => {
    if (VALID_PEERS.has(key)) return;
    const found = validatePeer(rendered.peers![i], `${field}.${peersField}[${i}]`, { strictCidr: true });
    if (found.length === 0) VALID_PEERS.add(key);
    errors.push(...found);
  });
  rendered.portKeys.forEach((key, i) => {
    if (VALID_PORTS.has(key)) return;
    const found = validatePort(rendered.ports![i], `${field}.ports[${i}]`);
    if (found.length === 0) VALID_PORTS.add(key);
    errors.push(...found);
  });
  failAt(() => policy, errors);
  return ruleNode(peers, ports, true)!.rule = deepFreeze(rendered);
}

/** A trie of the valid rules, by the identity of each peer, then each port, in order (see `validRule`). */
interface RuleNode {
  readonly next: WeakMap<Peer | Port, RuleNode>;
  rule?: RenderedRule;
}

const VALID_RULES: RuleNode = { next: new WeakMap() };

/** The node of `peers` then `ports` (peers and ports are distinct classes: the lists cannot run into each other). */
function ruleNode(peers: readonly Peer[], ports: readonly Port[], create: boolean): RuleNode | undefined {
  let node = VALID_RULES;
  for (const list of [peers, ports]) {
    for (const value of list) {
      let next = node.next.get(value);
      if (next === undefined) {
        if (!create) return undefined;
        node.next.set(value, next = { next: new WeakMap() });
      }
      node = next;
    }
  }
  return node;
}

/**
 * Peers and ports (by canonical key) already found valid: values are immutable and validity
 * depends on the value alone, so each distinct one is validated once per process.
 */
const VALID_PEERS = new Set<string>();
const VALID_PORTS = new Set<string>();
/** The props of a rule, by the name of its peers field. */
const RULE_PROPS = { from: ['from', 'ports'], to: ['to', 'ports'] } as const;
/** What an empty list of peers (by the name of the peers field) or of ports is. */
const NO_PEERS = {
  from: 'a rule must list at least one peer. Use [Peer.anywhere()] to allow every source: an empty list is never read as "anywhere"',
  to: 'a rule must list at least one peer. Use [Peer.anywhere()] to allow every destination: an empty list is never read as "anywhere"',
} as const;
const NO_PORTS = 'a rule must list at least one port. Use [Port.allTraffic()] to allow every port and protocol: an empty list is never read as "all ports"';
/** The props of a Policy. */
const POLICY_PROPS = ['namespace', 'name', 'podSelector', 'policyTypes', 'ingress', 'egress', 'labels', 'annotations'] as const;
const DIRECTIONS = [Direction.INGRESS, Direction.EGRESS] as const;

/** Namespace names already found valid. */
const VALID_NAMESPACES = new Set<string>();
/** Label selectors (immutable) already found valid. */
const VALID_SELECTORS = new WeakSet<LabelSelector>();

function invalid(field: string, value: string, detail: string): FieldError {
  return { field, type: ErrorType.INVALID, value, detail };
}

function toKubeRule(rule: RenderedRule, peersField: 'from' | 'to'): any {
  const out: any = {};
  if (rule.peers) out[peersField] = rule.peers;
  if (rule.ports) out.ports = rule.ports;
  return out;
}

/**
 * A rule's list of peers or ports, read once: missing or empty is the rule's error (`empty`),
 * anything but an array (a `Set`, a single value) is "must be an array".
 */
function ruleList<T>(policy: Policy, field: string, value: unknown, what: string, each: (v: unknown, f: string) => T, empty: string): T[] {
  if (value === undefined || value === null) throw new PolicyError(policy, `${field}: ${describeValue(value)}: ${empty}`);
  const out = array(policy, field, value, what, each);
  if (out.length === 0) throw new PolicyError(policy, `${field}: []: ${empty}`);
  return out;
}
