/**
 * The tiers of cluster-wide policy over pod shapes, for the bulk evaluators (all-ports
 * connectivity, truth tables): `decideTiers` (see `tiers.ts`) per pair of shapes, with what
 * does not depend on the pair computed once:
 * - the shapes each policy's subject and each rule's peers select, as bitsets, with every
 *   namespace selector matched once per namespace (`selectionMatches` split at the namespace);
 * - per direction, the rules that select a shape, as one shared list for all the shapes the same
 *   policies select;
 * - per such list, the tiers' outcome for each set of its rules that can match a pair (which
 *   rules match the peer, and the destination when a rule has a named port): the Admin and
 *   Baseline tiers' claims are the same for every pair with the same candidates, so only the
 *   step that depends on the pair's NetworkPolicies (`decideAfterAdmin`) runs per pair.
 */
import { Bitset } from './bitset';
import { Direction } from '../direction';
import { ShapeSet } from './pod-shape';
import { PortSet } from './port-set';
import {
  AdminStep, TierCandidate, TierContext, TierDecision, TierOutcome, TierRule, claimAdmin, claimBaseline, clusterPeerMatches, clusterRulePorts,
  decideAfterAdmin, selectionMatchesPod,
} from './tiers';
import { ClusterPodSelection, ParsedClusterPolicy } from '../model/cluster-network-policy';
import { IpBlock } from '../model/ip-block';
import { Selector } from '../model/selector';
import { Protocol } from '../port';

/** The CIDRs of the `networks` peers of cluster-wide policies, as ipBlocks (they cut the address space like ipBlocks). */
export function clusterNetworkBlocks(policies: readonly ParsedClusterPolicy[]): IpBlock[] {
  const blocks = new Map<string, IpBlock>();
  for (const p of policies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const peer of r.peers) for (const block of peer.networks ?? []) blocks.set(block.toString(), block);
    }
  }
  return [...blocks.values()];
}

interface RuleState {
  readonly ref: TierRule;
  /** Every shape the rule's peers match. */
  readonly peers: Bitset;
  /** The ports towards any destination, when the rule has no named port (built on first use). */
  fixed?: PortSet;
  /** The ports towards each destination shape, when it has one. */
  readonly perShape?: Map<number, PortSet>;
}

/** The candidates one pair gets from a subject's rules, and what the tiers make of them. */
interface PairTiers {
  readonly admin: AdminStep;
  readonly baseline: readonly TierCandidate[];
  /** The Baseline tier's outcome over what the Admin tier left, once asked. */
  baselineOutcome?: TierOutcome;
  /** The decision where no NetworkPolicy selects the subject, once asked. */
  unselected?: TierDecision;
}

/** The rules that select a subject for one direction, shared by every subject the same policies select. */
interface SubjectRules {
  /** The Admin tier's rules, then the Baseline tier's, each in precedence order. */
  readonly rules: readonly RuleState[];
  /** How many of `rules` are the Admin tier's. */
  readonly adminCount: number;
  /** Whether a rule has a named port (its ports then depend on the destination). */
  readonly named: boolean;
  /** Per key of the rules that match a pair (see `pair()`): what the tiers decide; `null` when no rule matches. */
  readonly pairs: Map<number | string, PairTiers | null>;
  matched?: Bitset;
  accepted?: Bitset | null;
}

/** The tiers of a set of cluster-wide policies over the shapes of a cluster. */
export class ShapeTiers {
  private readonly count: number;
  /** Per rule of a policy (not per subject): what it matches does not depend on the subject. */
  private readonly states = new Map<object, RuleState>();
  /** Per selection (by its selectors' keys), the shapes it selects. */
  private readonly selections = new Map<string, Bitset>();
  /** Per direction and subject shape, its rules (one object for the shapes the same policies select), built on first use. */
  private readonly subjectRules: { [direction: string]: SubjectRules[] | undefined } = {};
  private admittedBySource?: (Bitset | undefined)[];
  /** Sets for `reachable()`'s intermediate results, reused. */
  private scratch?: Bitset;
  private scratch2?: Bitset;
  /** The shapes with an address, and those a selection can select, built on first use. */
  private withAddress?: number[];
  private selectableShapes?: Bitset;

  constructor(
    private readonly shapes: ShapeSet,
    private readonly policies: readonly ParsedClusterPolicy[],
    private readonly ctx: TierContext,
  ) {
    this.count = shapes.shapes.length;
  }

  /**
   * What one direction allows between two shapes: `subject` is the destination for ingress and
   * the source for egress, `peer` the other end.
   *
   * @param networkPolicy what the subject's NetworkPolicies allow towards (or from) the peer, or
   * `undefined` when none selects the subject for the direction
   */
  public allowed(direction: Direction, subject: number, peer: number, networkPolicy: PortSet | undefined): PortSet {
    return this.decide(direction, subject, peer, networkPolicy)?.allowed ?? networkPolicy ?? PortSet.ALL;
  }

  /**
   * The tiers' whole decision for one direction between two shapes (who claimed what, for
   * attribution), as `allowed()` takes it; `undefined` when no cluster-wide rule matches the pair.
   */
  public decide(direction: Direction, subject: number, peer: number, networkPolicy: PortSet | undefined): TierDecision | undefined {
    if (this.shapes.shapes[subject].representative.external) return undefined;
    const rules = this.rules(direction, subject);
    if (rules.rules.length === 0) return undefined;
    const pair = this.pair(rules, peer, direction === Direction.INGRESS ? subject : peer);
    if (!pair) return undefined;
    const baselineOf = (afterAdmin: PortSet) => (pair.baselineOutcome ??= claimBaseline(pair.baseline, afterAdmin));
    if (networkPolicy !== undefined) return decideAfterAdmin(pair.admin, networkPolicy, baselineOf);
    return (pair.unselected ??= decideAfterAdmin(pair.admin, undefined, baselineOf));
  }

  /**
   * One direction of one port's reachability, with the tiers around the NetworkPolicies': the
   * peers `subject` allows for `protocol`/`port` (`subject` is the destination for ingress and
   * the source for egress).
   *
   * @param networkPolicy the peers the subject's NetworkPolicies allow for that port, or
   * `undefined` when none selects the subject for the direction (shared: never changed)
   * @returns `networkPolicy` itself when no cluster-wide rule selects the subject
   */
  public reachable(direction: Direction, subject: number, networkPolicy: Bitset | undefined, protocol: Protocol, port: number): Bitset | undefined {
    if (!this.selects(direction, subject)) return networkPolicy;
    // peers no cluster-wide rule of the subject matches keep the NetworkPolicies' answer (or the default)
    const matched = this.matchedPeers(direction, subject);
    const out = (networkPolicy ? networkPolicy.clone() : Bitset.full(this.count)).andNot(matched);
    // where NetworkPolicies select the subject, only what they allow or an Admin Accept matches can be allowed
    const peers = (this.scratch ??= new Bitset(this.count));
    peers.words.set(matched.words);
    if (networkPolicy) {
      const open = this.acceptedPeers(direction, subject);
      peers.and(open ? this.scratchOr(networkPolicy, open) : networkPolicy);
    }
    const within = PortSet.range(protocol, port);
    for (const peer of peers.toArray()) {
      const allowedByNp = networkPolicy === undefined ? undefined : (networkPolicy.has(peer) ? within : PortSet.NONE);
      if (this.allowed(direction, subject, peer, allowedByNp).has(protocol, port)) out.add(peer);
    }
    return out;
  }

  /** `a` or `b`, in a second scratch set. */
  private scratchOr(a: Bitset, b: Bitset): Bitset {
    const set = (this.scratch2 ??= new Bitset(this.count));
    set.words.set(a.words);
    return set.or(b);
  }

  /** Whether any cluster-wide rule selects the shape for the direction. */
  public selects(direction: Direction, subject: number): boolean {
    return this.rules(direction, subject).rules.length > 0;
  }

  /**
   * The peer shapes an Admin Accept rule that selects the subject matches: beyond what the
   * subject's NetworkPolicies allow, only these can be allowed when a NetworkPolicy selects it.
   * Shared between subjects: do not change it.
   */
  public acceptedPeers(direction: Direction, subject: number): Bitset | undefined {
    const rules = this.rules(direction, subject);
    if (rules.accepted === undefined) {
      let set: Bitset | null = null;
      for (let i = 0; i < rules.adminCount; i++) {
        const state = rules.rules[i];
        if (state.ref.rule.action === 'Accept') set = (set ?? new Bitset(this.count)).or(state.peers);
      }
      rules.accepted = set;
    }
    return rules.accepted ?? undefined;
  }

  /**
   * The peer shapes any cluster-wide rule that selects the subject matches: for the others,
   * NetworkPolicies (or the default) alone decide. Shared between subjects: do not change it.
   */
  public matchedPeers(direction: Direction, subject: number): Bitset {
    const rules = this.rules(direction, subject);
    if (!rules.matched) {
      const set = new Bitset(this.count);
      for (const state of rules.rules) set.or(state.peers);
      rules.matched = set;
    }
    return rules.matched;
  }

  /** For each source shape, the destination shapes an Admin Accept ingress rule of theirs admits it from. */
  public admittedByAccept(source: number): Bitset | undefined {
    if (!this.admittedBySource) {
      const out: (Bitset | undefined)[] = new Array(this.count).fill(undefined);
      for (let d = 0; d < this.count; d++) {
        const peers = this.acceptedPeers(Direction.INGRESS, d);
        if (!peers) continue;
        for (const s of peers.toArray()) (out[s] ??= new Bitset(this.count)).add(d);
      }
      this.admittedBySource = out;
    }
    return this.admittedBySource[source];
  }

  /**
   * The rules of the policies whose subject selects the shape, for a direction: the Admin tier's
   * then the Baseline tier's, each in the policies' order (as `tierRulesSelecting` gives them).
   * Built for every shape at once, from each policy's subject set.
   */
  private rules(direction: Direction, subject: number): SubjectRules {
    let bySubject = this.subjectRules[direction];
    if (!bySubject) {
      const selecting: number[][] = Array.from({ length: this.count }, () => []);
      for (const tier of ['Admin', 'Baseline'] as const) {
        this.policies.forEach((policy, i) => {
          const rules = direction === Direction.INGRESS ? policy.ingress : policy.egress;
          if (policy.tier !== tier || rules.length === 0) return;
          for (const s of this.selected(policy.subject).toArray()) selecting[s].push(i);
        });
      }
      const interned = new Map<string, SubjectRules>();
      bySubject = selecting.map(list => {
        const key = list.join(',');
        let found = interned.get(key);
        if (!found) {
          const states: RuleState[] = [];
          let adminCount = 0;
          for (const i of list) {
            const policy = this.policies[i];
            for (const rule of direction === Direction.INGRESS ? policy.ingress : policy.egress) states.push(this.state({ policy, rule }));
            if (policy.tier === 'Admin') adminCount = states.length;
          }
          found = { rules: states, adminCount, named: states.some(st => st.perShape !== undefined), pairs: new Map() };
          interned.set(key, found);
        }
        return found;
      });
      this.subjectRules[direction] = bySubject;
    }
    return bySubject[subject];
  }

  /**
   * What the tiers make of the rules that match one pair. The rules that match (by their peers,
   * with ports towards the destination) are the same for every pair with the same key: which
   * rules' peers match, and, when a rule has a named port, the destination.
   */
  private pair(rules: SubjectRules, peer: number, destination: number): PairTiers | null {
    const list = rules.rules;
    let key: number | string;
    if (!rules.named && list.length <= 30) {
      key = 0;
      // eslint-disable-next-line no-bitwise
      for (let i = 0; i < list.length; i++) if (list[i].peers.has(peer)) key |= 1 << i;
    } else {
      const matching: number[] = [];
      for (let i = 0; i < list.length; i++) if (list[i].peers.has(peer)) matching.push(i);
      key = `${matching.join(',')}${rules.named ? `/${destination}` : ''}`;
    }
    let found = rules.pairs.get(key);
    if (found !== undefined) return found;
    const admin: TierCandidate[] = [];
    const baseline: TierCandidate[] = [];
    list.forEach((state, i) => {
      if (!state.peers.has(peer)) return;
      const ports = this.ports(state, destination);
      if (!ports.isEmpty) (i < rules.adminCount ? admin : baseline).push({ ref: state.ref, action: state.ref.rule.action, ports });
    });
    found = admin.length === 0 && baseline.length === 0 ? null : { admin: claimAdmin(admin), baseline };
    rules.pairs.set(key, found);
    return found;
  }

  /**
   * The shapes a selection selects: its namespace selector matched once per namespace, then
   * `selectionMatchesPod` for each shape of the namespaces it selects.
   */
  private selected(selection: ClusterPodSelection): Bitset {
    const key = `${selection.namespaces.key}\u0003${selection.pods ? selection.pods.key : '\u0004'}`;
    let set = this.selections.get(key);
    if (!set) {
      set = new Bitset(this.count);
      for (const [namespace, [start, end]] of this.shapes.namespaceRanges) {
        if (!selection.namespaces.matches(this.ctx.namespaces.get(namespace) ?? {})) continue;
        if (!selection.pods) set.addRange(start, end);
        else for (let s = start; s < end; s++) if (selectionMatchesPod(selection, this.shapes.shapes[s].representative)) set.add(s);
      }
      // every pod of the namespaces, less those no selection selects (external, host-network)
      if (!selection.pods) set.and(this.selectable());
      this.selections.set(key, set);
    }
    return set;
  }

  private state(ref: TierRule): RuleState {
    let state = this.states.get(ref.rule);
    if (!state) {
      const { rule } = ref;
      const peers = new Bitset(this.count);
      for (const peer of rule.peers) {
        if (peer.selection && !peer.unknown) {
          peers.or(this.selected(peer.selection));
          continue;
        }
        // a `networks` peer matches only endpoints with an address
        const candidates = peer.networks && !peer.unknown ? this.addressed() : undefined;
        const test = (s: number) => {
          if (clusterPeerMatches(peer, rule.action, this.shapes.shapes[s].representative, this.ctx)) peers.add(s);
        };
        if (candidates) candidates.forEach(test);
        else for (let s = 0; s < this.count; s++) test(s);
      }
      const named = rule.ports?.some(p => p.name !== undefined) ?? false;
      state = named ? { ref, peers, perShape: new Map() } : { ref, peers };
      this.states.set(ref.rule, state);
    }
    return state;
  }

  /** The shapes a selection that selects their namespace selects (as `selectionMatchesPod` with no pod selector). */
  private selectable(): Bitset {
    if (!this.selectableShapes) {
      this.selectableShapes = new Bitset(this.count);
      for (let s = 0; s < this.count; s++) {
        if (selectionMatchesPod({ namespaces: Selector.EVERYTHING }, this.shapes.shapes[s].representative)) this.selectableShapes.add(s);
      }
    }
    return this.selectableShapes;
  }

  /** The shapes whose representative has an address. */
  private addressed(): readonly number[] {
    if (!this.withAddress) {
      this.withAddress = [];
      for (let s = 0; s < this.count; s++) if (this.shapes.shapes[s].representative.addresses.length > 0) this.withAddress.push(s);
    }
    return this.withAddress;
  }

  private ports(state: RuleState, destination: number): PortSet {
    if (!state.perShape) {
      // without a named port, the ports do not depend on the destination
      return (state.fixed ??= clusterRulePorts(state.ref.rule, this.shapes.shapes[destination].representative));
    }
    let set = state.perShape.get(destination);
    if (!set) {
      set = clusterRulePorts(state.ref.rule, this.shapes.shapes[destination].representative);
      state.perShape.set(destination, set);
    }
    return set;
  }
}
