/**
 * The tiers of cluster-wide policy over pod shapes, for the bulk evaluators (all-ports
 * connectivity, truth tables): `decideTiers` (see `tiers.ts`) per pair of shapes, with what
 * does not depend on the pair computed once: the rules that select each shape, and which shapes
 * each rule's peers match.
 */
import { Bitset } from './bitset';
import { Direction } from '../direction';
import { ShapeSet } from './pod-shape';
import { PortSet } from './port-set';
import { TierCandidate, TierContext, TierDecision, TierRule, clusterPeerMatches, clusterRulePorts, decideTiers, tierRulesSelecting } from './tiers';
import { ParsedClusterPolicy } from '../model/cluster-network-policy';
import { IpBlock } from '../model/ip-block';

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
  /** Per peer shape: 1 matches, 2 does not, 0 not computed. */
  readonly matches: Uint8Array;
  /** The ports towards a destination shape (one set when the rule has no named port). */
  fixed?: PortSet;
  readonly perShape?: Map<number, PortSet>;
  /** Every peer shape the rule matches, built on first use. */
  all?: Bitset;
}

/** The tiers of a set of cluster-wide policies over the shapes of a cluster. */
export class ShapeTiers {
  /** Per rule of a policy (not per subject): what it matches does not depend on the subject. */
  private readonly states = new Map<object, RuleState>();
  private readonly rulesOf = new Map<string, RuleState[]>();
  private readonly accepted = new Map<string, Bitset>();
  private admittedBySource?: (Bitset | undefined)[];

  constructor(
    private readonly shapes: ShapeSet,
    private readonly policies: readonly ParsedClusterPolicy[],
    private readonly ctx: TierContext,
  ) {}

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
    const destination = direction === Direction.INGRESS ? subject : peer;
    const admin = this.candidates('Admin', direction, subject, peer, destination);
    const baseline = this.candidates('Baseline', direction, subject, peer, destination);
    if (admin.length === 0 && baseline.length === 0) return undefined;
    return decideTiers(admin, networkPolicy, baseline);
  }

  /** Whether any cluster-wide rule selects the shape for the direction. */
  public selects(direction: Direction, subject: number): boolean {
    return this.rules('Admin', direction, subject).length > 0 || this.rules('Baseline', direction, subject).length > 0;
  }

  private rules(tier: 'Admin' | 'Baseline', direction: Direction, subject: number): RuleState[] {
    const key = `${tier}/${direction}/${subject}`;
    let list = this.rulesOf.get(key);
    if (!list) {
      list = tierRulesSelecting(this.policies, tier, this.shapes.shapes[subject].representative, direction, this.ctx).map(ref => this.state(ref));
      this.rulesOf.set(key, list);
    }
    return list;
  }

  /**
   * The peer shapes an Admin Accept rule that selects the subject matches: beyond what the
   * subject's NetworkPolicies allow, only these can be allowed when a NetworkPolicy selects it.
   */
  public acceptedPeers(direction: Direction, subject: number): Bitset | undefined {
    const key = `${direction}/${subject}`;
    if (this.accepted.has(key)) return this.accepted.get(key);
    let set: Bitset | undefined;
    for (const state of this.rules('Admin', direction, subject)) {
      if (state.ref.rule.action !== 'Accept') continue;
      set = (set ?? new Bitset(this.shapes.shapes.length)).or(this.peerSet(state));
    }
    this.accepted.set(key, set as Bitset);
    return set;
  }

  /** The peer shapes any cluster-wide rule that selects the subject matches: for the others, NetworkPolicies (or the default) alone decide. */
  public matchedPeers(direction: Direction, subject: number): Bitset {
    const set = new Bitset(this.shapes.shapes.length);
    for (const tier of ['Admin', 'Baseline'] as const) for (const state of this.rules(tier, direction, subject)) set.or(this.peerSet(state));
    return set;
  }

  /** For each source shape, the destination shapes an Admin Accept ingress rule of theirs admits it from. */
  public admittedByAccept(source: number): Bitset | undefined {
    if (!this.admittedBySource) {
      const count = this.shapes.shapes.length;
      const out: (Bitset | undefined)[] = new Array(count).fill(undefined);
      for (let d = 0; d < count; d++) {
        const peers = this.acceptedPeers(Direction.INGRESS, d);
        if (!peers) continue;
        for (const s of peers.toArray()) (out[s] ??= new Bitset(count)).add(d);
      }
      this.admittedBySource = out;
    }
    return this.admittedBySource[source];
  }

  private peerSet(state: RuleState): Bitset {
    if (!state.all) {
      const set = new Bitset(this.shapes.shapes.length);
      for (let p = 0; p < this.shapes.shapes.length; p++) if (this.peerMatches(state, p)) set.add(p);
      state.all = set;
    }
    return state.all;
  }

  private state(ref: TierRule): RuleState {
    let state = this.states.get(ref.rule);
    if (!state) {
      const named = ref.rule.ports?.some(p => p.name !== undefined) ?? false;
      state = { ref, matches: new Uint8Array(this.shapes.shapes.length), ...(named ? { perShape: new Map() } : {}) };
      this.states.set(ref.rule, state);
    }
    return state;
  }

  private candidates(tier: 'Admin' | 'Baseline', direction: Direction, subject: number, peer: number, destination: number): TierCandidate[] {
    const out: TierCandidate[] = [];
    for (const state of this.rules(tier, direction, subject)) {
      if (!this.peerMatches(state, peer)) continue;
      const ports = this.ports(state, destination);
      if (!ports.isEmpty) out.push({ ref: state.ref, action: state.ref.rule.action, ports });
    }
    return out;
  }

  private peerMatches(state: RuleState, peer: number): boolean {
    let m = state.matches[peer];
    if (m === 0) {
      const endpoint = this.shapes.shapes[peer].representative;
      const action = state.ref.rule.action;
      m = state.ref.rule.peers.some(p => clusterPeerMatches(p, action, endpoint, this.ctx)) ? 1 : 2;
      state.matches[peer] = m;
    }
    return m === 1;
  }

  private ports(state: RuleState, destination: number): PortSet {
    if (!state.perShape) {
      if (!state.fixed) state.fixed = clusterRulePorts(state.ref.rule, this.shapes.shapes[destination].representative);
      return state.fixed;
    }
    let set = state.perShape.get(destination);
    if (!set) {
      set = clusterRulePorts(state.ref.rule, this.shapes.shapes[destination].representative);
      state.perShape.set(destination, set);
    }
    return set;
  }
}
