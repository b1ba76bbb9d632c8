/**
 * The bulk evaluator: which shapes may talk to which, for one port and protocol.
 *
 * Work is done on pod shapes (see `pod-shape.ts`), never on individual pods, and with bit sets:
 * every selector, peer and rule becomes the set of shapes it matches, computed once and cached;
 * for each shape that a direction isolates, the set of shapes it allows is the union of the sets
 * of the rules that apply to it. Shapes that share the same applicable rules share that union.
 */
import { Protocol } from '../port';
import { Bitset } from './bitset';
import { ShapeSet } from './pod-shape';
import { ParsedPolicy, PolicyPeer, PolicyRule } from '../model/network-policy';
import { Labels, Selector } from '../model/selector';

/** A rule with the namespace of its policy. */
interface IndexedRule {
  readonly rule: PolicyRule;
  readonly namespace: string;
}

/** Which shapes a rule's ports admit for one query: all of them, some destinations, or none. */
type PortScope = 'all' | Bitset | undefined;

/**
 * For one port and protocol: for each shape, the shapes its egress allows to be reached and the
 * shapes its ingress allows traffic from; `undefined` when the shape is not isolated in that
 * direction (everything allowed).
 */
export class ShapeReachability {
  constructor(
    public readonly egress: readonly (Bitset | undefined)[],
    public readonly ingress: readonly (Bitset | undefined)[],
  ) {}

  /** Whether traffic from shape `s` to shape `d` is allowed by both directions. */
  public allowed(s: number, d: number): boolean {
    const e = this.egress[s];
    if (e && !e.has(d)) return false;
    const i = this.ingress[d];
    return !i || i.has(s);
  }
}

/**
 * Evaluates a set of policies over the shapes of a cluster.
 */
export class ReachabilityEngine {
  private readonly size: number;
  private readonly ingressRules: IndexedRule[] = [];
  private readonly egressRules: IndexedRule[] = [];
  /** For each shape, the ids (into `ingressRules`) of the ingress rules of the policies that select it. */
  private readonly ingressRulesOf: (number[] | undefined)[];
  /** For each shape, the ids (into `egressRules`) of the egress rules of the policies that select it. */
  private readonly egressRulesOf: (number[] | undefined)[];
  private readonly selectorCache = new Map<string, Bitset>();
  private readonly namespaceSelectorCache = new Map<string, Bitset>();
  private readonly namespaceCache = new Map<string, Bitset>();
  private readonly ipBlockCache = new Map<string, Bitset>();
  private readonly namedPortCache = new Map<string, Bitset>();
  /** `name/protocol/port` to the pod shapes with such a container port; built on first use. */
  private namedPortIndex?: Map<string, number[]>;
  /** The shapes an ipBlock can match: those with addresses (pods only if ipBlocks match pod IPs). */
  private addressedShapes?: number[];
  private readonly ingressRuleSets: (Bitset | undefined)[];
  private readonly egressRuleSets: (Bitset | undefined)[];
  private readonly allShapes: Bitset;
  /** The pod shapes that selectors can select: all of them, but hostNetwork pods when policies do not apply to them. */
  private readonly podShapes: Bitset;
  private readonly empty: Bitset;

  /**
   * @param ipBlockSets the shapes each ipBlock (by its text) matches, when the caller already
   * knows them (else each is worked out from the shapes' addresses on first use)
   * @param hostNetworkIsolated whether policies apply to hostNetwork pods (`HostNetworkPods.ISOLATED`);
   * when false, no policy selects them and selector peers never match them (ipBlocks and rules
   * without peers still do), as `hostNetworkExempt` says for one connection
   */
  constructor(
    private readonly shapes: ShapeSet,
    private readonly namespaces: ReadonlyMap<string, Labels>,
    policies: readonly ParsedPolicy[],
    private readonly ipBlockMatchesPodIps: boolean,
    ipBlockSets?: ReadonlyMap<string, Bitset>,
    hostNetworkIsolated: boolean = true,
  ) {
    if (ipBlockSets) for (const [key, set] of ipBlockSets) this.ipBlockCache.set(key, set);
    this.size = shapes.shapes.length;
    this.allShapes = Bitset.full(this.size);
    this.podShapes = new Bitset(this.size);
    for (let s = 0; s < shapes.podShapeCount; s++) {
      if (hostNetworkIsolated || shapes.shapes[s].representative.hostNetwork !== true) this.podShapes.add(s);
    }
    this.empty = new Bitset(this.size);
    this.ingressRulesOf = new Array(this.size).fill(undefined);
    this.egressRulesOf = new Array(this.size).fill(undefined);

    for (const policy of policies) {
      const selected = this.selectorSet(policy.podSelector).clone().and(this.namespaceSet(policy.namespace)).toArray();
      if (selected.length === 0) continue;
      if (policy.isolatesIngress) this.register(policy, policy.ingress, this.ingressRules, this.ingressRulesOf, selected);
      if (policy.isolatesEgress) this.register(policy, policy.egress, this.egressRules, this.egressRulesOf, selected);
    }
    this.ingressRuleSets = new Array(this.ingressRules.length).fill(undefined);
    this.egressRuleSets = new Array(this.egressRules.length).fill(undefined);
  }

  /** Evaluates every shape pair for traffic to `port`/`protocol`. */
  public compute(port: number, protocol: Protocol): ShapeReachability {
    const ingressScopes = this.ingressRules.map(r => this.portScope(r.rule, port, protocol));
    const egressScopes = this.egressRules.map(r => this.portScope(r.rule, port, protocol));

    // Ingress: a rule applies to destination d when its ports admit d; it allows its peers.
    const ingressUnions = new Map<string, Bitset>();
    const ingress = this.ingressRulesOf.map((ruleIds, d) => {
      if (!ruleIds) return undefined;
      const applicable = ruleIds.filter(id => {
        const scope = ingressScopes[id];
        return scope === 'all' || (scope !== undefined && scope.has(d));
      });
      return this.union(applicable, ingressUnions, id => this.ruleSet(id, this.ingressRules, this.ingressRuleSets));
    });

    // Egress: a rule allows those of its peers that its ports admit as destinations.
    const contributions = new Map<number, Bitset>();
    const egressUnions = new Map<string, Bitset>();
    const egress = this.egressRulesOf.map(ruleIds => {
      if (!ruleIds) return undefined;
      const applicable = ruleIds.filter(id => egressScopes[id] !== undefined);
      return this.union(applicable, egressUnions, id => {
        let set = contributions.get(id);
        if (!set) {
          const scope = egressScopes[id]!;
          const peers = this.ruleSet(id, this.egressRules, this.egressRuleSets);
          set = scope === 'all' ? peers : peers.clone().and(scope);
          contributions.set(id, set);
        }
        return set;
      });
    });
    return new ShapeReachability(egress, ingress);
  }

  /**
   * The ids of the rules of one direction that apply to a shape (the rules of every policy that
   * selects it for that direction), or `undefined` when no policy isolates it in that direction.
   */
  public rulesOf(ingress: boolean, shape: number): readonly number[] | undefined {
    return (ingress ? this.ingressRulesOf : this.egressRulesOf)[shape];
  }

  /** The number of rules of one direction (ids are `0` to this, exclusive). */
  public ruleCount(ingress: boolean): number {
    return (ingress ? this.ingressRules : this.egressRules).length;
  }

  /** A rule of one direction, by id. */
  public ruleOf(ingress: boolean, id: number): PolicyRule {
    return (ingress ? this.ingressRules : this.egressRules)[id].rule;
  }

  /** The shapes a rule's peers match (every shape, external ones included, when it has none). */
  public peersOf(ingress: boolean, id: number): Bitset {
    return ingress ? this.ruleSet(id, this.ingressRules, this.ingressRuleSets) : this.ruleSet(id, this.egressRules, this.egressRuleSets);
  }

  private register(policy: ParsedPolicy, rules: readonly PolicyRule[], all: IndexedRule[], of: (number[] | undefined)[], selected: number[]): void {
    const ids = rules.map(rule => all.push({ rule, namespace: policy.namespace }) - 1);
    for (const s of selected) {
      const list = of[s];
      if (list) list.push(...ids);
      else of[s] = [...ids];
    }
  }

  /** The union of the sets of the rules, shared between shapes with the same rules. */
  private union(ids: number[], cache: Map<string, Bitset>, setOf: (id: number) => Bitset): Bitset {
    if (ids.length === 0) return this.empty;
    if (ids.length === 1) return setOf(ids[0]);
    const key = ids.join(',');
    let set = cache.get(key);
    if (!set) {
      set = setOf(ids[0]).clone();
      for (let i = 1; i < ids.length; i++) set.or(setOf(ids[i]));
      cache.set(key, set);
    }
    return set;
  }

  /** The shapes a rule's peers match (every shape, external ones included, when it has none). */
  private ruleSet(id: number, rules: IndexedRule[], cache: (Bitset | undefined)[]): Bitset {
    let set = cache[id];
    if (!set) {
      const { rule, namespace } = rules[id];
      if (!rule.peers) {
        set = this.allShapes;
      } else {
        set = new Bitset(this.size);
        for (const peer of rule.peers) set.or(this.peerSet(peer, namespace));
      }
      cache[id] = set;
    }
    return set;
  }

  private peerSet(peer: PolicyPeer, policyNamespace: string): Bitset {
    if (peer.ipBlock) {
      const key = peer.ipBlock.toString();
      let set = this.ipBlockCache.get(key);
      if (!set) {
        set = new Bitset(this.size);
        if (!this.addressedShapes) {
          const from = this.ipBlockMatchesPodIps ? 0 : this.shapes.podShapeCount;
          this.addressedShapes = [];
          for (let s = from; s < this.size; s++) {
            if (this.shapes.shapes[s].representative.addresses.length > 0) this.addressedShapes.push(s);
          }
        }
        for (const s of this.addressedShapes) {
          if (this.shapes.shapes[s].representative.addresses.some(a => peer.ipBlock!.contains(a))) set.add(s);
        }
        this.ipBlockCache.set(key, set);
      }
      return set;
    }
    const namespaces = peer.namespaceSelector ? this.namespaceSelectorSet(peer.namespaceSelector) : this.namespaceSet(policyNamespace);
    return peer.podSelector ? this.selectorSet(peer.podSelector).clone().and(namespaces) : namespaces;
  }

  /** The pod shapes (in any namespace) whose labels a selector matches. */
  private selectorSet(selector: Selector): Bitset {
    let set = this.selectorCache.get(selector.key);
    if (set) return set;
    set = this.podShapes.clone();
    const indexed = (list: readonly number[] | undefined) => Bitset.of(this.size, list ?? []);
    for (const r of selector.requirements) {
      switch (r.operator) {
        case 'In':
        case 'NotIn': {
          const values = this.shapes.labelIndex.get(r.key);
          const matching = new Bitset(this.size);
          for (const v of r.values) {
            const list = values?.get(v);
            if (list) matching.or(indexed(list));
          }
          if (r.operator === 'In') set.and(matching);
          else set.andNot(matching);
          break;
        }
        case 'Exists':
          set.and(indexed(this.shapes.keyIndex.get(r.key)));
          break;
        case 'DoesNotExist':
          set.andNot(indexed(this.shapes.keyIndex.get(r.key)));
          break;
      }
    }
    this.selectorCache.set(selector.key, set);
    return set;
  }

  /** The selectable pod shapes of every namespace the selector matches. */
  private namespaceSelectorSet(selector: Selector): Bitset {
    let set = this.namespaceSelectorCache.get(selector.key);
    if (!set) {
      set = new Bitset(this.size);
      for (const [name, labels] of this.namespaces) {
        const range = this.shapes.namespaceRanges.get(name);
        if (range && selector.matches(labels)) set.addRange(range[0], range[1]);
      }
      set.and(this.podShapes);
      this.namespaceSelectorCache.set(selector.key, set);
    }
    return set;
  }

  /** The selectable pod shapes of one namespace. */
  private namespaceSet(namespace: string): Bitset {
    let set = this.namespaceCache.get(namespace);
    if (!set) {
      set = new Bitset(this.size);
      const range = this.shapes.namespaceRanges.get(namespace);
      if (range) set.addRange(range[0], range[1]);
      set.and(this.podShapes);
      this.namespaceCache.set(namespace, set);
    }
    return set;
  }

  /**
   * Which destinations a rule's ports admit for traffic to `port`/`protocol`: every shape when
   * the rule has no ports or a numeric or protocol-only entry matches; otherwise the pod shapes
   * with a matching named container port; `undefined` when none.
   */
  private portScope(rule: PolicyRule, port: number, protocol: Protocol): PortScope {
    if (!rule.ports) return 'all';
    let named: Bitset | undefined;
    for (const entry of rule.ports) {
      if (entry.protocol !== protocol) continue;
      if (entry.name === undefined) {
        if (entry.port === undefined) return 'all';
        if (entry.endPort !== undefined ? port >= entry.port && port <= entry.endPort : port === entry.port) return 'all';
        continue;
      }
      const shapes = this.namedPortSet(entry.name, protocol, port);
      if (!shapes.isEmpty()) named = (named ?? new Bitset(this.size)).or(shapes);
    }
    return named;
  }

  /** The pod shapes with a container port of that name and protocol, numbered `port`. */
  private namedPortSet(name: string, protocol: Protocol, port: number): Bitset {
    const key = `${name}/${protocol}/${port}`;
    let set = this.namedPortCache.get(key);
    if (!set) {
      if (!this.namedPortIndex) {
        this.namedPortIndex = new Map();
        for (let s = 0; s < this.shapes.podShapeCount; s++) {
          for (const p of this.shapes.shapes[s].representative.ports) {
            if (p.name === undefined) continue;
            const k = `${p.name}/${p.protocol}/${p.port}`;
            const list = this.namedPortIndex.get(k);
            if (list) list.push(s);
            else this.namedPortIndex.set(k, [s]);
          }
        }
      }
      set = Bitset.of(this.size, this.namedPortIndex.get(key) ?? []);
      this.namedPortCache.set(key, set);
    }
    return set;
  }
}
