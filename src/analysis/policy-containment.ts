/**
 * Policy containment (used by lint rule NP008, policy-without-effect).
 */
import { ClusterQueries, PeerSample, WitnessPod, WorkloadView } from './cluster-queries';
import { policiesSelecting } from './selecting-index';
import { KeyValues, keyValues, witnessPods, witnessPorts } from './witness-pods';
import { PROTOCOLS as PROTOCOL_NAMES } from '../constants';
import { Direction } from '../direction';
import { ParsedPolicy, PolicyPeer, PolicyRule } from '../model/network-policy';
import { Selector } from '../model/selector';
import { formatIp, parseCidrSloppy } from '../net/cidr';
import { Protocol } from '../port';

/** The protocols, as the `Protocol` values they are. */
const PROTOCOLS = PROTOCOL_NAMES as readonly string[] as readonly Protocol[];

/** A peer that matches every pod of every namespace: what a rule without `from`/`to` allows. */
const ANY_POD: PolicyPeer = {
  index: -1,
  namespaceSelector: Selector.EVERYTHING,
  text: 'any peer',
};

/**
 * Policy containment: whether the other policies of a namespace already do everything a policy
 * does, so that removing it would change nothing.
 *
 * Exact over what the input can tell apart: for every pod shape the policy selects and every
 * direction it isolates, another policy must isolate the shape too, and every connection one
 * of its rules allows must be allowed by a rule of another policy. Connections are checked from
 * and to every pod shape of the input; witness pods that stand for the pods a peer selects
 * outside the input (`witness-pods.ts`); one address of every range the ipBlocks cut the
 * address space into; and, per protocol, every port where a port range starts or ends and every
 * named port.
 */
export class PolicyContainment {
  private readonly named: NamedPorts;
  private readonly pods: PodSamples;
  private readonly bounds: CidrBounds = new Map();

  constructor(private readonly ctx: ClusterQueries) {
    this.named = namedPorts(ctx);
    this.pods = podSamples(ctx);
  }

  /**
   * The policies whose removal would change nothing, in the order of `ctx.policies`, each with
   * the workloads it selects and the ids of the policies that together shadow it (empty when its
   * rules allow nothing and others isolate what it isolates). Policies without rules (a default
   * deny: its purpose is isolation, also of pods added later) and policies that select no
   * workload are never reported. Of two policies that make each other redundant, the one that
   * sorts last is reported.
   */
  public redundantPolicies(): RedundantPolicy[] {
    const ctx = this.ctx;
    const found: RedundantPolicy[] = [];
    const redundant = new Set<string>();
    const byNamespace = new Map<string, ParsedPolicy[]>();
    for (const p of ctx.policies) {
      const list = byNamespace.get(p.namespace);
      if (list) list.push(p);
      else byNamespace.set(p.namespace, [p]);
    }
    // What depends only on the namespace's policies still in play is worked out once per namespace
    // (again after one is found redundant), not once per policy: linear, not quadratic, in the policies.
    const samples = new Map<string, RuleSamples>();
    const selecting = new Map<string, ParsedPolicy[]>();
    for (const policy of [...ctx.policies].reverse()) {
      if (policy.ingress.length + policy.egress.length === 0) continue;
      const selected = ctx.selectedBy(policy);
      if (selected.length === 0) continue;
      const namespacePolicies = byNamespace.get(policy.namespace)!;
      let ruleSamples = samples.get(policy.namespace);
      if (!ruleSamples) {
        const inPlay = namespacePolicies.filter(p => !redundant.has(p.id));
        samples.set(policy.namespace, ruleSamples = ruleSamplesOf(inPlay, this.named, this.bounds));
      }
      const selectingSubject = (subject: WorkloadView): ParsedPolicy[] => {
        const key = `${policy.namespace}\u0000${ctx.shapeKey(subject)}`;
        let all = selecting.get(key);
        if (!all) selecting.set(key, all = policiesSelecting(namespacePolicies, subject.labels, () => true));
        return all.filter(o => o.id !== policy.id && !redundant.has(o.id));
      };
      const covering = coveringPolicies(ctx, policy, selected, selectingSubject, this.pods, ruleSamples);
      if (!covering) continue;
      redundant.add(policy.id);
      samples.delete(policy.namespace);
      found.push({ policy, selected, covering });
    }
    return found.reverse();
  }
}

/** A policy whose removal would change nothing. */
export interface RedundantPolicy {
  readonly policy: ParsedPolicy;
  /** The workloads it selects. */
  readonly selected: readonly WorkloadView[];
  /** The ids of the policies that together shadow it, sorted. */
  readonly covering: readonly string[];
}

/** The samples every check in a namespace uses: they depend only on the rules of the policies in play. */
interface RuleSamples {
  /** The policies in play in the namespace (not found redundant), in their order. */
  readonly inPlay: readonly ParsedPolicy[];
  /** The ports of the witness pods. */
  readonly ports: WitnessPod['ports'];
  readonly addresses: readonly PeerSample[];
  readonly portNumbers: ReadonlyMap<Protocol, number[]>;
  /**
   * Per direction, what tells a pod sample apart for the rules of the policies in play: which of
   * their peers match it, and its named ports (see `podSamplesToTry`). The same for every policy of
   * the namespace, so worked out once per sample, not once per sample and policy.
   */
  readonly kinds: Map<Direction, Map<PeerSample, string>>;
}

function ruleSamplesOf(policies: readonly ParsedPolicy[], named: NamedPorts, bounds: CidrBounds): RuleSamples {
  const involved = allRules(policies);
  const ports = witnessPorts(involved.flatMap(r => r.ports ?? []));
  return { inPlay: policies, ports, addresses: addressSamples(involved, bounds), portNumbers: portSamples(named, involved, ports), kinds: new Map() };
}

/**
 * The ids of the policies that together shadow `policy`, or `undefined` if it has an effect.
 *
 * @param selecting the other policies of the namespace still in play whose pod selector matches a subject
 * @param samples the samples of the rules of the policies in play (`policy` among them)
 */
function coveringPolicies(
  ctx: ClusterQueries,
  policy: ParsedPolicy,
  selected: readonly WorkloadView[],
  selecting: (subject: WorkloadView) => ParsedPolicy[],
  pods: PodSamples,
  samples: RuleSamples,
): string[] | undefined {
  const covering = new Set<string>();
  const { ports, addresses, portNumbers } = samples;
  // the pods to try depend on the direction, not on the subject: worked out once, as far as needed
  const podPeers = new Map<Direction, Replay<PeerSample>>();
  for (const subject of representatives(ctx, selected)) {
    for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
      const isolates = direction === Direction.INGRESS ? policy.isolatesIngress : policy.isolatesEgress;
      if (!isolates) continue;
      const otherSelecting = selecting(subject).filter(o => (direction === Direction.INGRESS ? o.isolatesIngress : o.isolatesEgress));
      if (otherSelecting.length === 0) return undefined;
      const rules = direction === Direction.INGRESS ? policy.ingress : policy.egress;
      if (rules.length === 0) {
        otherSelecting.forEach(o => covering.add(o.id));
        continue;
      }
      const otherRules = otherSelecting.flatMap(o => (direction === Direction.INGRESS ? o.ingress : o.egress).map(rule => ({ policy: o, rule })));
      const otherPeers = otherRules.flatMap(o => o.rule.peers ?? []);
      const tested = {
        pods: keyValues(otherPeers.flatMap(p => p.podSelector ? [p.podSelector] : [])),
        namespaces: keyValues(otherPeers.flatMap(p => p.namespaceSelector ? [p.namespaceSelector] : [])),
      };
      let podsToTry = podPeers.get(direction);
      if (!podsToTry) {
        let kinds = samples.kinds.get(direction);
        if (!kinds) samples.kinds.set(direction, kinds = new Map());
        podPeers.set(direction, podsToTry = new Replay(podSamplesToTry(ctx, policy, samples.inPlay, direction, pods, kinds)));
      }
      for (const peer of peerSamples(ctx, policy, rules, podsToTry, addresses, tested, ports)) {
        if (peer === undefined) return undefined;
        if (!rules.some(rule => ctx.rulePeerMatches(policy, rule, peer))) continue;
        for (const protocol of PROTOCOLS) {
          for (const port of portNumbers.get(protocol)!) {
            if (!rules.some(rule => ctx.ruleAllows(policy, rule, subject, peer, port, protocol))) continue;
            const other = otherRules.find(o => ctx.ruleAllows(o.policy, o.rule, subject, peer, port, protocol));
            if (!other) return undefined;
            covering.add(other.policy.id);
          }
        }
      }
    }
  }
  return [...covering].sort();
}

/**
 * The peers to try, lazily: the pod shapes of the input the rules' peers may match, the
 * addresses, then the witness pods of the rules' peers (`undefined` when a selector is too
 * complex to search).
 */
function* peerSamples(
  ctx: ClusterQueries,
  policy: ParsedPolicy,
  rules: readonly PolicyRule[],
  pods: Iterable<PeerSample>,
  addresses: readonly PeerSample[],
  tested: { pods: KeyValues; namespaces: KeyValues },
  ports: WitnessPod['ports'],
): Generator<PeerSample | undefined> {
  yield* pods;
  yield* addresses;
  for (const peer of rules.flatMap(r => r.peers ?? [ANY_POD])) {
    const witnesses = witnessPods(ctx, policy, peer, tested, ports);
    if (witnesses === undefined) {
      yield undefined;
      return;
    }
    yield* witnesses.map(witness => ({ witness }));
  }
}

/**
 * The pod shapes of the input that the policy's rules for the direction may match, lazily, in
 * the order of their namespaces: every shape of the namespaces the rules' peers may select, and
 * elsewhere (where only an ipBlock can match, and only a pod with an IP) the shapes with an IP.
 *
 * Pods that no rule of the policies can tell apart (the same rules' peers match them, and they
 * have the same named ports, which the rules' named ports may match) get the same answers from
 * every rule, so only the first of them is tried: the pods with IPs that an ipBlock reaches in
 * every namespace are then not tried one by one.
 */
function* podSamplesToTry(
  ctx: ClusterQueries,
  policy: ParsedPolicy,
  inPlay: readonly ParsedPolicy[],
  direction: Direction,
  pods: PodSamples,
  kindOf: Map<PeerSample, string>,
): Generator<PeerSample> {
  const rulesOf = (p: ParsedPolicy) => (direction === Direction.INGRESS ? p.ingress : p.egress);
  const peers = rulesOf(policy).flatMap(r => r.peers ?? [ANY_POD]);
  // an ipBlock may match pod IPs anywhere
  const everywhere = peers.some(p => p.ipBlock);
  const namespaces = new Set<string>();
  for (const peer of peers) {
    if (peer.ipBlock) continue;
    if (!peer.namespaceSelector) namespaces.add(policy.namespace);
    else ctx.namespacesMatching(peer.namespaceSelector).forEach(ns => namespaces.add(ns.name));
  }
  let involved: { policy: ParsedPolicy; rule: PolicyRule }[] | undefined;
  const kinds = new Set<string>();
  function* fresh(samples: readonly PeerSample[]): Generator<PeerSample> {
    for (const sample of samples) {
      let kind = kindOf.get(sample);
      if (kind === undefined) {
        involved ??= inPlay.flatMap(p => rulesOf(p).map(rule => ({ policy: p, rule })));
        const matches = involved.map(r => (ctx.rulePeerMatches(r.policy, r.rule, sample) ? '1' : '0')).join('');
        const named = sample.workload!.ports.filter(p => p.name !== undefined).map(p => `${p.name}:${p.port}/${p.protocol}`).sort().join(',');
        kind = `${matches}\u0000${named}`;
        kindOf.set(sample, kind);
      }
      if (kinds.has(kind)) continue;
      kinds.add(kind);
      yield sample;
    }
  }
  const own = [...namespaces].filter(ns => pods.all.has(ns)).sort((a, b) => pods.order.get(a)! - pods.order.get(b)!);
  let next = 0;
  if (everywhere) {
    for (const [namespace, samples] of pods.withIps) {
      while (next < own.length && pods.order.get(own[next])! < pods.order.get(namespace)!) yield* fresh(pods.all.get(own[next++])!);
      if (!namespaces.has(namespace)) yield* fresh(samples);
    }
  }
  while (next < own.length) yield* fresh(pods.all.get(own[next++])!);
}

/** An iterable over a generator's values that can be iterated again, pulling only what is new. */
class Replay<T> implements Iterable<T> {
  private readonly values: T[] = [];
  private done = false;

  constructor(private readonly source: Iterator<T>) {}

  public *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; ; i++) {
      if (i === this.values.length) {
        if (this.done) return;
        const next = this.source.next();
        if (next.done) {
          this.done = true;
          return;
        }
        this.values.push(next.value);
      }
      yield this.values[i];
    }
  }
}

/** One sample pod of each shape of the input, by namespace (in the order of the workloads). */
interface PodSamples {
  readonly all: ReadonlyMap<string, readonly PeerSample[]>;
  /** Those with an IP, for the namespaces that have some. */
  readonly withIps: ReadonlyMap<string, readonly PeerSample[]>;
  /** The position of each namespace in `all`. */
  readonly order: ReadonlyMap<string, number>;
}

function podSamples(ctx: ClusterQueries): PodSamples {
  const all = new Map<string, PeerSample[]>();
  const withIps = new Map<string, PeerSample[]>();
  for (const workload of representatives(ctx, ctx.workloads)) {
    const sample = { workload };
    for (const map of workload.ips.length > 0 ? [all, withIps] : [all]) {
      const list = map.get(workload.namespace);
      if (list) list.push(sample);
      else map.set(workload.namespace, [sample]);
    }
  }
  return { all, withIps, order: new Map([...all.keys()].map((ns, i) => [ns, i])) };
}

/** `name/protocol` to the numbers that container ports of that name have in the input. */
type NamedPorts = ReadonlyMap<string, readonly number[]>;

function namedPorts(ctx: ClusterQueries): NamedPorts {
  const out = new Map<string, number[]>();
  for (const w of ctx.workloads) {
    for (const p of w.ports) {
      if (p.name === undefined) continue;
      const key = `${p.name}/${p.protocol}`;
      const list = out.get(key) ?? [];
      if (!list.includes(p.port)) list.push(p.port);
      out.set(key, list);
    }
  }
  return out;
}

/** One workload of each shape. */
function representatives(ctx: ClusterQueries, workloads: readonly WorkloadView[]): WorkloadView[] {
  const seen = new Map<string, WorkloadView>();
  for (const w of workloads) {
    const key = ctx.shapeKey(w);
    if (!seen.has(key)) seen.set(key, w);
  }
  return [...seen.values()];
}

function allRules(policies: readonly ParsedPolicy[]): PolicyRule[] {
  return policies.flatMap(p => [...p.ingress, ...p.egress]);
}

/** CIDR text to the addresses where its interval starts and ends, worked out once per check. */
type CidrBounds = Map<string, readonly string[]>;

/**
 * The first address of every interval the ipBlocks' CIDRs (and excepts) cut the address space
 * into: an ipBlock matches all of an interval or none of it.
 */
function addressSamples(rules: readonly PolicyRule[], bounds: CidrBounds): PeerSample[] {
  const addresses = new Set<string>(['0.0.0.0', '::']);
  for (const rule of rules) {
    for (const peer of rule.peers ?? []) {
      if (!peer.ipBlock) continue;
      for (const text of [peer.ipBlock.cidr, ...peer.ipBlock.except]) {
        let found = bounds.get(text);
        if (!found) bounds.set(text, found = cidrBounds(text));
        found.forEach(a => addresses.add(a));
      }
    }
  }
  return [...addresses].map(address => ({ address }));
}

/** The first address of the CIDR and the one after its last (if any); none if it does not parse. */
function cidrBounds(text: string): string[] {
  const cidr = parseCidrSloppy(text);
  if (!cidr) return [];
  const bits = cidr.family === 'ipv4' ? 32 : 128;
  const out = [formatIp(cidr.network, cidr.family)];
  const next = cidr.network + 2n ** BigInt(bits - cidr.prefixLength);
  if (next < 2n ** BigInt(bits)) out.push(formatIp(next, cidr.family));
  return out;
}

/**
 * Per protocol, the first port of every interval the port entries cut 1-65535 into, and every
 * number a named port resolves to (and the one after it): a port entry matches all of an
 * interval or none of it.
 */
function portSamples(named: NamedPorts, rules: readonly PolicyRule[], witnessed: WitnessPod['ports']): Map<Protocol, number[]> {
  const samples = new Map<Protocol, Set<number>>(PROTOCOLS.map(p => [p, new Set([1])]));
  const add = (protocol: Protocol, port: number) => {
    if (port >= 1 && port <= 65535) samples.get(protocol)!.add(port);
  };
  for (const p of witnessed) {
    add(p.protocol, p.port);
    add(p.protocol, p.port + 1);
  }
  for (const rule of rules) {
    for (const entry of rule.ports ?? []) {
      if (entry.port !== undefined) {
        add(entry.protocol, entry.port);
        add(entry.protocol, (entry.endPort ?? entry.port) + 1);
      }
      for (const port of entry.name !== undefined ? named.get(`${entry.name}/${entry.protocol}`) ?? [] : []) {
        add(entry.protocol, port);
        add(entry.protocol, port + 1);
      }
    }
  }
  return new Map(PROTOCOLS.map(p => [p, [...samples.get(p)!].sort((a, b) => a - b)]));
}
