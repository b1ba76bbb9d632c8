/**
 * The all-ports evaluator: for every ordered pair of endpoints, the set of connections
 * (protocol and destination port) the policies allow. Not part of the public API; see
 * `ClusterModel.connectivity()`.
 *
 * Exact, never sampled. Per pair of shapes, the allowed set is the intersection of the
 * source's egress set and the destination's ingress set; each is everything when no policy
 * isolates the endpoint in that direction, else the union, over the rules of the policies that
 * select it whose peers match the other end, of the ports each rule opens: a rule without
 * ports opens everything of every protocol, a protocol-only entry the whole protocol, a
 * numeric entry its port or `port`-`endPort` range, a named entry the destination's container
 * ports of that name and protocol (none on an external address).
 *
 * Work is on shapes (see `pod-shape.ts`) with the truth-table engine's selector sets, so the
 * peers of a rule mean exactly what they mean to `truthTable()`. Only pairs that some rule
 * of each side could allow are looked at: for a source shape, the destinations its egress
 * reaches, intersected with the destinations whose ingress admits it.
 */
import { AddressRange, formatAddressRange, splitAddressSpace } from '../net/address-ranges';
import { Protocol } from '../port';
import { SelfTraffic } from './analysis-options';
import { Bitset } from './bitset';
import type { Connection, FlowRules } from './connectivity';
import { ConnectivityFilter, FlowDirection } from './connectivity-filter';
import { flowFilter } from './flow-filter';
import { EndpointRecord, compareStrings } from './object-reader';
import { ShapeSet } from './pod-shape';
import { PortSet } from './port-set';
import { ReachabilityEngine } from './reachability';
import { REPRESENTATIVE_KIND, Representative, deriveRepresentatives, representativeRecord } from './representative';
import { ShapeTiers, clusterNetworkBlocks } from './shape-tiers';
import { TierClaim, describeTierRule } from './tiers';
import { Direction } from '../direction';
import { ParsedClusterPolicy } from '../model/cluster-network-policy';
import { IpAddress, IpBlock, parseIpAddress } from '../model/ip-block';
import { ParsedPolicy, PolicyRule } from '../model/network-policy';
import { Labels } from '../model/selector';
import { AddressMembership } from '../net/address-membership';
import { formatIp, parseCidrSloppy, ParsedCidr } from '../net/cidr';

/** What the all-ports evaluation reads: the parsed policies, the endpoints and two options. */
export interface ConnectivityInput {
  /** Pods, workloads and explicit external addresses (as `ClusterModel` reads them). */
  readonly endpoints: readonly EndpointRecord[];
  /** Namespace name to labels, the name label included. */
  readonly namespaces: ReadonlyMap<string, Labels>;
  /** The policies, after defaulting. */
  readonly policies: readonly ParsedPolicy[];
  /** Whether ipBlock peers match pod IPs. */
  readonly ipBlockMatchesPodIps: boolean;
  /** What an endpoint's traffic to itself is. */
  readonly selfTraffic: SelfTraffic;
  /** Whether NetworkPolicies apply to hostNetwork pods (see `HostNetworkPods`). */
  readonly hostNetworkIsolated: boolean;
  /**
   * More policies whose ipBlocks cut the address space (another version of the cluster), so
   * that two versions name the same ranges; they allow nothing here.
   */
  readonly alignWith?: readonly ParsedPolicy[];
  /**
   * Only evaluate flows with at least one end in these namespaces (the others are left out of
   * the result); every flow when undefined.
   */
  readonly touching?: ReadonlySet<string>;
  /**
   * Only the endpoints and representatives of the namespaces it keeps (by key and labels), and
   * every external endpoint: the namespaces that can hold the other end of a flow `touching`
   * selects (see `diff-scope.ts`). Every endpoint when undefined.
   */
  readonly scope?: (namespace: string, labels: Labels) => boolean;
  /**
   * The group (`namespace/owner`) of each endpoint of `endpoints` whose pod has a controller:
   * pods of one group that no policy tells apart are listed as one endpoint of that name.
   */
  readonly groupOf?: readonly (string | undefined)[];
  /**
   * Whether to add the representative endpoints the policies call for (see `representative.ts`),
   * derived from the policies and `alignWith` together so that two versions have the same ones.
   */
  readonly representatives?: boolean;
  /**
   * The endpoints of each version in `alignWith`: a representative is left out only when every
   * version has a pod of exactly its labels in its namespace.
   */
  readonly alignEndpoints?: readonly (readonly EndpointRecord[])[];
  /** Only the flows that pass this filter (as `Connectivity.filter`); every flow when undefined. */
  readonly filter?: ConnectivityFilter;
  /**
   * The most flows to list (after the filter): above it, a RangeError that gives the count and
   * says how to narrow the list, thrown before any flow is made. No limit when undefined.
   */
  readonly maxFlows?: number;
  /**
   * The cluster-wide policies (by tier, priority and id): the Admin tier before the
   * NetworkPolicies, the Baseline tier after (see `tiers.ts`). None when undefined.
   */
  readonly clusterPolicies?: readonly ParsedClusterPolicy[];
  /**
   * The cluster-wide policies of the versions in `alignWith`: their `networks` cut the address
   * space too, so that two versions name the same ranges; they allow nothing here.
   */
  readonly alignClusterPolicies?: readonly ParsedClusterPolicy[];
}

/** The result: every endpoint (the derived address ranges last) and, per source, its allowed destinations. */
export interface ConnectivityResult {
  /** The endpoint names: the input's, then one per derived address range. */
  readonly endpoints: readonly string[];
  /** Whether each endpoint is outside the cluster. */
  readonly external: readonly boolean[];
  /** The allowed flows, sorted by source then destination in the order of `endpoints`. */
  readonly connections: Connection[];
  /** The rules that allow a listed flow (see `FlowRules`), from this same evaluation. */
  readonly attribute: (from: string, to: string, allowed: PortSet) => FlowRules | undefined;
}

/** The distinct ipBlocks of the policies, by text. */
export function policyIpBlocks(policies: readonly ParsedPolicy[]): IpBlock[] {
  const blocks = new Map<string, IpBlock>();
  for (const p of policies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const peer of r.peers ?? []) if (peer.ipBlock) blocks.set(peer.ipBlock.toString(), peer.ipBlock);
    }
  }
  return [...blocks.values()];
}

/** `blocks` and the `more` whose text none of them has. */
function withBlocks(blocks: readonly IpBlock[], more: readonly IpBlock[]): IpBlock[] {
  if (more.length === 0) return [...blocks];
  const seen = new Set(blocks.map(b => b.toString()));
  return [...blocks, ...more.filter(b => !seen.has(b.toString()))];
}

/**
 * The CIDRs an ipBlock is made of, as the address-range split needs them. An IPv4-mapped IPv6
 * CIDR is added in both readings (IPv4, as the API server matches it, and IPv6 as written),
 * so that every range is uniform whichever reading the evaluator applies.
 */
function blockCidrs(block: IpBlock): ParsedCidr[] {
  const out: ParsedCidr[] = [];
  for (const text of [block.cidr, ...block.except]) {
    const cidr = parseCidrSloppy(text);
    if (!cidr) continue; // IpBlock.parse has already rejected what does not parse
    out.push(cidr);
    if (cidr.ipv4Mapped && cidr.family === 'ipv4') {
      const v6 = 0xffffn * 2n ** 32n + cidr.network;
      out.push({ ...cidr, family: 'ipv6', prefixLength: cidr.maskSize, network: v6, address: v6 });
    }
  }
  return out;
}

/** The endpoint that stands for an address range: its first address represents it. */
function rangeEndpoint(range: AddressRange): EndpointRecord {
  const name = formatAddressRange(range);
  const first = parseIpAddress(formatIp(range.first, range.family))!;
  return { name, kind: 'External', labels: {}, ports: [], ips: [], external: true, addresses: [first], aliases: [name] };
}

/**
 * The disjoint address ranges the policies' ipBlocks cut the IPv4 and IPv6 spaces into, as
 * external endpoints named `first-last`.
 */
export function addressRangeEndpoints(policies: readonly ParsedPolicy[], moreBlocks: readonly IpBlock[] = []): EndpointRecord[] {
  // Also used with the policies of two versions together: the ranges of both, refined.
  return splitAddressSpace([...policyIpBlocks(policies), ...moreBlocks].flatMap(blockCidrs)).map(rangeEndpoint);
}

/** The ports a rule opens, with its named entries resolved per destination shape. */
class RulePorts {
  private readonly fixed: PortSet;
  private readonly named: readonly { name: string; protocol: Protocol }[];
  private readonly perShape = new Map<number, PortSet>();

  constructor(rule: PolicyRule) {
    if (!rule.ports) {
      this.fixed = PortSet.ALL;
      this.named = [];
      return;
    }
    let fixed = PortSet.NONE;
    const named: { name: string; protocol: Protocol }[] = [];
    for (const entry of rule.ports) {
      if (entry.name !== undefined) named.push({ name: entry.name, protocol: entry.protocol });
      else if (entry.port === undefined) fixed = fixed.union(PortSet.protocol(entry.protocol));
      else fixed = fixed.union(PortSet.range(entry.protocol, entry.port, entry.endPort ?? entry.port));
    }
    this.fixed = fixed;
    this.named = named;
  }

  /**
   * The ports opened towards one destination shape: named entries resolved on its container
   * ports, none on an external address, and kept as named ports on a representative endpoint
   * (whose container ports are unknown).
   */
  public towards(shape: number, destination: EndpointRecord): PortSet {
    if (this.named.length === 0 || destination.external) return this.fixed;
    let set = this.perShape.get(shape);
    if (!set) {
      set = this.fixed;
      if (destination.kind === REPRESENTATIVE_KIND) {
        for (const n of this.named) set = set.union(PortSet.named(n.protocol, n.name));
        this.perShape.set(shape, set);
        return set;
      }
      for (const n of this.named) {
        for (const p of destination.ports) {
          if (p.name === n.name && p.protocol === n.protocol) set = set.union(PortSet.range(p.protocol, p.port));
        }
      }
      this.perShape.set(shape, set);
    }
    return set;
  }
}

/** Interns port sets by their text, so equal sets are one object, numbered in `sets`. */
class PortSetPool {
  /** The distinct sets, by id. */
  public readonly sets: PortSet[] = [];
  private readonly byText = new Map<string, number>();
  private readonly byObject = new Map<PortSet, number>();
  /** The id of the set equal to `set`. */
  public intern(set: PortSet): number {
    let id = this.byObject.get(set);
    if (id !== undefined) return id;
    const key = set.toString();
    id = this.byText.get(key);
    if (id === undefined) {
      id = this.sets.push(set) - 1;
      this.byText.set(key, id);
    }
    this.byObject.set(set, id);
    return id;
  }
}

/**
 * Per endpoint, the id of the set of ipBlocks that contain one of its addresses (`-1` for an
 * endpoint without addresses, or one the ipBlocks cannot match), all found in one sweep.
 */
interface EndpointBlockSets {
  readonly membership: AddressMembership;
  readonly setOf: Int32Array;
}

function endpointBlockSets(
  endpoints: readonly EndpointRecord[],
  blocks: readonly IpBlock[],
  matched: (e: EndpointRecord) => boolean,
): EndpointBlockSets {
  const owners: number[] = [];
  const addresses: IpAddress[] = [];
  endpoints.forEach((e, i) => {
    if (!matched(e)) return;
    for (const a of e.addresses) {
      owners.push(i);
      addresses.push(a);
    }
  });
  const membership = IpBlock.membership(blocks, addresses);
  const setOf = new Int32Array(endpoints.length).fill(-1);
  owners.forEach((owner, k) => {
    setOf[owner] = setOf[owner] < 0 ? membership.ids[k] : membership.union(setOf[owner], membership.ids[k]);
  });
  return { membership, setOf };
}

/**
 * Per derived address range, a key shared by the ranges that every ipBlock of the policies
 * treats alike (the same blocks contain them): such ranges are one shape, evaluated once.
 */
export function rangeKeys(ranges: readonly EndpointRecord[], blocks: readonly IpBlock[]): string[] {
  return Array.from(endpointBlockSets(ranges, blocks, () => true).setOf, id => `${id}`);
}

/**
 * The shapes each ipBlock of the policies matches: the shapes with an address in it (external
 * ones, and pods when ipBlocks match pod IPs), from the sets of their representatives.
 */
function ipBlockShapeSets(shapes: ShapeSet, blocks: readonly IpBlock[], sets: EndpointBlockSets, ipBlockMatchesPodIps: boolean): Map<string, Bitset> {
  const size = shapes.shapes.length;
  const members: number[][] = blocks.map(() => []);
  for (let s = ipBlockMatchesPodIps ? 0 : shapes.podShapeCount; s < size; s++) {
    const set = sets.setOf[shapes.shapes[s].members[0]];
    if (set > 0) for (const b of sets.membership.blocks(set)) members[b].push(s);
  }
  const out = new Map<string, Bitset>();
  blocks.forEach((block, b) => out.set(block.toString(), Bitset.of(size, members[b])));
  return out;
}

/**
 * The rules of one side of a pair, grouped by what their ports are: for each group, one rule's
 * ports (all rules of a group open the same ports towards any destination) and the union of
 * their peers. A pair is then looked up in a few groups rather than in every rule.
 */
interface RuleGroup {
  readonly ports: RulePorts;
  readonly peers: Bitset;
}

function groupRules(rules: readonly number[], peersOf: (r: number) => Bitset, ports: readonly RulePorts[], portKeys: readonly string[]): RuleGroup[] {
  const groups = new Map<string, { ports: RulePorts; peers: Bitset; shared: boolean }>();
  for (const r of rules) {
    const found = groups.get(portKeys[r]);
    if (!found) {
      groups.set(portKeys[r], { ports: ports[r], peers: peersOf(r), shared: true });
    } else {
      if (found.shared) {
        found.peers = found.peers.clone();
        found.shared = false;
      }
      found.peers.or(peersOf(r));
    }
  }
  return [...groups.values()].map(g => ({ ports: g.ports, peers: g.peers }));
}

/** A key equal for rules whose ports are written alike (so they open the same ports towards any destination). */
function portsKey(rule: PolicyRule): string {
  return rule.ports ? rule.ports.map(p => `${p.protocol}/${p.name ?? ''}/${p.port ?? ''}/${p.endPort ?? ''}`).join(',') : '*';
}

/** Evaluates every ordered pair of endpoints, for every port of every protocol. */
export function computeConnectivity(input: ConnectivityInput): ConnectivityResult {
  const allPolicies = [...input.policies, ...(input.alignWith ?? [])];
  const allClusterPolicies = [...(input.clusterPolicies ?? []), ...(input.alignClusterPolicies ?? [])];
  const scope = input.scope;
  const inScope = (e: EndpointRecord) => e.external || scope!(e.namespace!, input.namespaces.get(e.namespace!) ?? {});
  const kept = scope ? input.endpoints.map(inScope) : undefined;
  const inputOwn = kept ? input.endpoints.filter((_, i) => kept[i]) : input.endpoints;
  const groupOf = kept ? (input.groupOf ?? []).filter((_, i) => kept[i]) : input.groupOf ?? [];
  const representatives = input.representatives
    ? withoutInputPods(
      deriveRepresentatives(input.namespaces, allPolicies, allClusterPolicies).filter(r => !scope || scope(r.namespace, r.namespaceLabels)),
      [input.endpoints, ...(input.alignEndpoints ?? [])])
    : [];
  let namespaces = input.namespaces;
  if (representatives.length > 0) {
    const extended = new Map(input.namespaces);
    for (const r of representatives) if (!extended.has(r.namespace)) extended.set(r.namespace, r.namespaceLabels);
    namespaces = extended;
  }
  const clusterPolicies = input.clusterPolicies ?? [];
  // the cluster-wide policies' networks cut the address space (and pod shapes) like ipBlocks
  const networks = clusterNetworkBlocks(clusterPolicies);
  const ranges = addressRangeEndpoints(allPolicies, withBlocks(networks, clusterNetworkBlocks(input.alignClusterPolicies ?? [])));
  const inputEndpoints = [...inputOwn, ...representatives.map(representativeRecord)];
  const endpoints = [...inputEndpoints, ...ranges];
  const blocks = withBlocks(policyIpBlocks(input.policies), networks);
  const sets = endpointBlockSets(endpoints, blocks, e => e.external || input.ipBlockMatchesPodIps);
  const firstRange = inputEndpoints.length;
  const shapes = ShapeSet.build(endpoints, input.ipBlockMatchesPodIps ? blocks : [], i => (i >= firstRange ? `${sets.setOf[i]}` : undefined));
  const engine = new ReachabilityEngine(shapes, namespaces, input.policies, input.ipBlockMatchesPodIps,
    ipBlockShapeSets(shapes, blocks, sets, input.ipBlockMatchesPodIps), input.hostNetworkIsolated);
  const tiers = clusterPolicies.length > 0
    ? new ShapeTiers(shapes, clusterPolicies, { namespaces, ipBlockMatchesPodIps: input.ipBlockMatchesPodIps })
    : undefined;
  // A representative in a namespace without policies (in any version compared) that no
  // cluster-wide policy selects and an external range are never isolated: flows between two
  // such ends are always every connection and say nothing about the policies, so they are not listed.
  const policed = new Set(allPolicies.map(p => p.namespace));
  const isRepresentative = shapes.shapes.map(sh => sh.representative.kind === REPRESENTATIVE_KIND);
  const unpoliced = shapes.shapes.map((sh, s) => sh.namespace === undefined
    || (isRepresentative[s] && !policed.has(sh.namespace)
      && !(tiers && (tiers.selects(Direction.EGRESS, s) || tiers.selects(Direction.INGRESS, s)))));
  const shapeCount = shapes.shapes.length;
  const representative = (s: number) => shapes.shapes[s].representative;
  const rulePorts = (ingress: boolean) => Array.from({ length: engine.ruleCount(ingress) }, (_, id) => new RulePorts(engine.ruleOf(ingress, id)));
  const ingressPorts = rulePorts(true);
  const egressPorts = rulePorts(false);
  const ruleKeys = (ingress: boolean) => Array.from({ length: engine.ruleCount(ingress) }, (_, id) => portsKey(engine.ruleOf(ingress, id)));
  const ingressKeys = ruleKeys(true);
  const egressKeys = ruleKeys(false);
  const groupCache = new Map<string, RuleGroup[]>();
  const groupsOf = (ingress: boolean, rules: readonly number[]): RuleGroup[] => {
    const key = `${ingress ? 'in' : 'out'} ${rules.join(',')}`;
    let groups = groupCache.get(key);
    if (!groups) {
      groups = groupRules(rules, r => engine.peersOf(ingress, r), ingress ? ingressPorts : egressPorts, ingress ? ingressKeys : egressKeys);
      groupCache.set(key, groups);
    }
    return groups;
  };
  const ingressGroups: (RuleGroup[] | undefined)[] = new Array(shapeCount);
  const all = Bitset.full(shapeCount);

  // Transposed ingress: for each source shape, the destinations whose ingress may admit it.
  const ingressBase = new Bitset(shapeCount); // not isolated, or a rule without peers
  const selectedBy: number[][] = Array.from({ length: engine.ruleCount(true) }, () => []);
  for (let d = 0; d < shapeCount; d++) {
    const rules = engine.rulesOf(true, d);
    if (!rules) {
      ingressBase.add(d);
      continue;
    }
    for (const r of rules) {
      if (!engine.ruleOf(true, r).peers) ingressBase.add(d);
      else selectedBy[r].push(d);
    }
  }
  const rulesWithPeer: number[][] = Array.from({ length: shapeCount }, () => []);
  selectedBy.forEach((selected, r) => {
    if (selected.length === 0) return;
    for (const s of engine.peersOf(true, r).toArray()) rulesWithPeer[s].push(r);
  });
  const admittedCache = new Map<string, Bitset>();
  const admittedBy = (s: number): Bitset => {
    const rules = rulesWithPeer[s];
    if (rules.length === 0) return ingressBase;
    const key = rules.join(',');
    let set = admittedCache.get(key);
    if (!set) {
      set = ingressBase.clone();
      for (const r of rules) for (const d of selectedBy[r]) set.add(d);
      admittedCache.set(key, set);
    }
    return set;
  };
  const reachedCache = new Map<string, Bitset>();
  const reachedBy = (rules: readonly number[]): Bitset => {
    if (rules.length === 0) return new Bitset(shapeCount);
    const key = rules.join(',');
    let set = reachedCache.get(key);
    if (!set) {
      set = new Bitset(shapeCount);
      for (const r of rules) set.or(engine.peersOf(false, r));
      reachedCache.set(key, set);
    }
    return set;
  };

  /** What the NetworkPolicies of destination `d` admit from `s`, undefined when none isolates it for ingress. */
  const ingressAllowed = (s: number, d: number, destination: EndpointRecord): PortSet | undefined => {
    const ingressRules = engine.rulesOf(true, d);
    if (!ingressRules) return undefined;
    let ingress = PortSet.NONE;
    let groups = ingressGroups[d];
    if (!groups) ingressGroups[d] = groups = groupsOf(true, ingressRules);
    for (const g of groups) {
      if (g.peers.has(s)) ingress = ingress.union(g.ports.towards(d, destination));
    }
    return ingress;
  };

  const pool = new PortSetPool();
  const isExternal = (s: number) => s >= shapes.podShapeCount;
  // Per source shape, the destination shapes with something allowed (increasing) and what is
  // allowed (an id into the pool): two typed arrays, so that thousands of distinct shapes that
  // all reach each other cost 8 bytes a pair.
  const rowTo: Int32Array[] = new Array(shapeCount);
  const rowPorts: Int32Array[] = new Array(shapeCount);
  let focus: Bitset | undefined;
  if (input.touching) {
    focus = new Bitset(shapeCount);
    // a representative of a namespace the input lacks has no policies: its flows change only
    // through the other end, which the focus holds
    for (const ns of input.touching) {
      const range = shapes.namespaceRanges.get(ns);
      if (range) focus.addRange(range[0], range[1]);
    }
  }
  // With a focus, a source outside it is only paired with the focus's shapes: work in
  // proportion to the focus (the namespaces a diff found changed), not to the whole cluster.
  const focusShapes = focus?.toArray();
  // the destinations to look at, per source: one set reused (not a copy per source)
  const reachedScratch = new Bitset(shapeCount);
  const admittedScratch = new Bitset(shapeCount);
  const into = (scratch: Bitset, a: Bitset, b?: Bitset) => {
    scratch.words.set(a.words);
    return b ? scratch.or(b) : scratch;
  };
  for (let s = 0; s < shapeCount; s++) {
    const egressRules = engine.rulesOf(false, s);
    let reached = egressRules ? reachedBy(egressRules) : all;
    let admitted = admittedBy(s);
    if (tiers) {
      // beyond what NetworkPolicies reach (or, for a pod none selects, everything), only an Admin Accept can allow
      const egressAccepted = tiers.acceptedPeers(Direction.EGRESS, s);
      if (egressAccepted) reached = into(reachedScratch, reached, egressAccepted);
      const ingressAccepted = tiers.admittedByAccept(s);
      if (ingressAccepted) admitted = into(admittedScratch, admitted, ingressAccepted);
    }
    let candidates: number[];
    if (focusShapes && !focus!.has(s)) {
      candidates = focusShapes.filter(d => reached.has(d) && admitted.has(d));
    } else {
      if (reached !== reachedScratch) reached = into(reachedScratch, reached);
      candidates = reached.and(admitted).toArray();
    }
    const egressGroups = egressRules ? groupsOf(false, egressRules) : undefined;
    const to: number[] = [];
    const allowed: number[] = [];
    for (const d of candidates) {
      if (isExternal(s) && isExternal(d)) continue; // never through the cluster
      if (unpoliced[s] && unpoliced[d] && (isRepresentative[s] || isRepresentative[d])) continue;
      const destination = representative(d);
      // what the NetworkPolicies allow each way, undefined for a side none isolates
      let egress: PortSet | undefined;
      if (egressGroups) {
        egress = PortSet.NONE;
        for (const g of egressGroups) {
          if (g.peers.has(d)) egress = egress.union(g.ports.towards(d, destination));
        }
      }
      let ports: PortSet;
      if (tiers) {
        // the tiers per direction: the source's egress, then the destination's ingress
        ports = tiers.allowed(Direction.EGRESS, s, d, egress);
        if (!ports.isEmpty) ports = ports.intersect(tiers.allowed(Direction.INGRESS, d, s, ingressAllowed(s, d, destination)));
      } else {
        ports = egress ?? PortSet.ALL;
        if (!ports.isEmpty) {
          const ingress = ingressAllowed(s, d, destination);
          if (ingress) ports = ports.intersect(ingress);
        }
      }
      if (!ports.isEmpty) {
        to.push(d);
        allowed.push(pool.intern(ports));
      }
    }
    rowTo[s] = Int32Array.from(to);
    rowPorts[s] = Int32Array.from(allowed);
  }

  // The listed endpoints: each endpoint, except pods grouped under their controller.
  const nodes = groupEndpoints(endpoints, groupOf, shapes.shapeOf);
  const nodesOfShape: number[][] = Array.from({ length: shapeCount }, () => []);
  nodes.forEach((node, i) => nodesOfShape[node.shape].push(i));
  const evaluateSelf = input.selfTraffic === SelfTraffic.EVALUATE;
  const names = nodes.map(n => n.name);

  // How many flows there are, before any is made: refused above the limit.
  const filter = input.filter;
  // checked first (null, an array, an unknown prop are the filter's own errors), even when it keeps everything
  const test = filter !== undefined ? flowFilter(filter, names) : undefined;
  const filtered = filter !== undefined && !(filter.from === undefined && filter.to === undefined && filter.port === undefined
    && filter.protocol === undefined && (filter.direction === undefined || filter.direction === FlowDirection.ALL));
  const limit = input.maxFlows;
  if (limit !== undefined) {
    let total = 0;
    nodes.forEach((node, i) => {
      const to = rowTo[node.shape];
      for (let k = 0; k < to.length; k++) {
        const listed = nodesOfShape[to[k]];
        if (!filtered) {
          total += listed.length - (!evaluateSelf && !node.representative && to[k] === node.shape ? 1 : 0);
          continue;
        }
        const allowed = [pool.sets[rowPorts[node.shape][k]]];
        for (const j of listed) if ((j !== i || evaluateSelf || node.representative) && test!(names[i], names[j], allowed)) total++;
      }
    });
    if (total > limit) throw new RangeError(tooManyFlows(limit, total, filtered));
  }

  // Expand shapes to listed endpoints. Every endpoint of a shape has the same destinations
  // (but itself), so each shape's destination list is sorted once (and kept when several
  // endpoints share it).
  const destinations = new Map<number, { to: Int32Array; ports: PortSet[] }>();
  const destinationsOf = (s: number) => {
    let found = destinations.get(s);
    if (!found) {
      const shapeTo = rowTo[s];
      const portsOfShape = new Map<number, PortSet>();
      const listed: number[] = [];
      for (let k = 0; k < shapeTo.length; k++) {
        portsOfShape.set(shapeTo[k], pool.sets[rowPorts[s][k]]);
        for (const j of nodesOfShape[shapeTo[k]]) listed.push(j);
      }
      const to = Int32Array.from(listed).sort();
      found = { to, ports: Array.from(to, j => portsOfShape.get(nodes[j].shape)!) };
      if (nodesOfShape[s].length > 1) destinations.set(s, found);
    }
    return found;
  };
  const connections: Connection[] = [];
  nodes.forEach((node, i) => {
    if (rowTo[node.shape].length === 0) return;
    const { to, ports } = destinationsOf(node.shape);
    for (let k = 0; k < to.length; k++) {
      const j = to[k];
      // a representative stands for any number of pods: its flow to itself is between two of them
      if (j === i && !evaluateSelf && !node.representative) continue;
      if (filtered && !test!(names[i], names[j], [ports[k]])) continue;
      connections.push({ from: names[i], to: names[j], allowed: ports[k] });
    }
  });
  let lookup: { index: Map<string, number>; policyOf: Map<PolicyRule, string> } | undefined;
  const attribute = (from: string, to: string, allowed: PortSet) => {
    if (!lookup) {
      const policyOf = new Map<PolicyRule, string>();
      for (const p of input.policies) for (const r of [...p.ingress, ...p.egress]) policyOf.set(r, p.id);
      lookup = { index: new Map(names.map((n, i) => [n, i])), policyOf };
    }
    const f = lookup.index.get(from);
    const t = lookup.index.get(to);
    if (f === undefined || t === undefined) return undefined;
    return flowRules(engine, lookup.policyOf, [egressPorts, ingressPorts], nodes[f], nodes[t], representative(nodes[t].shape), allowed, tiers,
      shape => !input.hostNetworkIsolated && representative(shape).hostNetwork === true);
  };
  return { endpoints: names, external: nodes.map(n => n.external), connections, attribute };
}

/**
 * The rules of both directions that allow some of `allowed` from one listed endpoint to
 * another: the same rules, peers and ports the evaluation above unions, recorded by name; with
 * cluster-wide policies, the tiers' decision for the pair says which parts an Admin (or Baseline)
 * Accept allowed, and only what reached the NetworkPolicy tier is credited to NetworkPolicy rules.
 */
function flowRules(
  engine: ReachabilityEngine, policyOf: ReadonlyMap<PolicyRule, string>, [egressPorts, ingressPorts]: readonly RulePorts[][],
  from: ListedEndpoint, to: ListedEndpoint, destination: EndpointRecord, allowed: PortSet, tiers: ShapeTiers | undefined,
  exempt: (shape: number) => boolean,
): FlowRules {
  const side = (ingress: boolean, subject: ListedEndpoint, other: number): string[] => {
    if (subject.external) return [];
    const word = ingress ? 'ingress' : 'egress';
    const notIsolated = `${ingress ? 'ingress to' : 'egress from'} ${subject.name}: not isolated`
      + `${exempt(subject.shape) ? ' (a hostNetwork pod: NetworkPolicies do not apply to it)' : ''}`;
    const rules = engine.rulesOf(ingress, subject.shape);
    const ports = ingress ? ingressPorts : egressPorts;
    // the NetworkPolicy rules whose peers match the other end, with the ports they open towards the destination
    const matching: { name: string; ports: PortSet }[] = [];
    for (const r of rules ?? []) {
      if (!engine.peersOf(ingress, r).has(other)) continue;
      const opened = ports[r].towards(to.shape, destination);
      const rule = engine.ruleOf(ingress, r);
      if (!opened.isEmpty) matching.push({ name: `${policyOf.get(rule)} ${word} rule ${rule.index}`, ports: opened });
    }
    const networkPolicyRules = (within: PortSet) => (rules
      ? matching.filter(m => !m.ports.intersect(within).isEmpty).map(m => m.name)
      : [notIsolated]);
    const npAllowed = rules ? matching.reduce((set, m) => set.union(m.ports), PortSet.NONE) : undefined;
    const decision = tiers?.decide(ingress ? Direction.INGRESS : Direction.EGRESS, subject.shape, other, npAllowed);
    if (!decision) return networkPolicyRules(allowed);
    const accepts = (claims: readonly TierClaim[], within: PortSet) => claims
      .filter(c => c.action === 'Accept' && !c.ports.intersect(within).isEmpty).map(c => describeTierRule(c.ref));
    const out = accepts(decision.admin.claims, allowed);
    const rest = allowed.intersect(decision.afterAdmin);
    if (rest.isEmpty) return out;
    if (decision.networkPolicySelects) return [...out, ...networkPolicyRules(rest)];
    out.push(...accepts(decision.baseline.claims, rest));
    // passed by the Baseline tier or matched by none of its rules: the default allows it
    if (!rest.subtract(decision.baseline.accepted).isEmpty) out.push(notIsolated);
    return out;
  };
  return { egress: side(false, from, to.shape), ingress: side(true, to, from.shape) };
}

/** `namespace`, then the labels, sorted. */
function exactLabelsKey(namespace: string, labels: Readonly<Record<string, string>>): string {
  return [namespace, ...Object.keys(labels).sort().map(k => `${k}=${labels[k]}`)].join('\u0000');
}

/**
 * The representatives without those that stand for a pod the input contains: one of exactly the
 * representative's labels in its namespace (in every version compared), whose flows the list
 * already shows under the pod's own name.
 */
function withoutInputPods(representatives: Representative[], versions: readonly (readonly EndpointRecord[])[]): Representative[] {
  const namespaces = new Set(representatives.map(r => r.namespace));
  const present = versions.map(endpoints => new Set(endpoints
    .filter(e => !e.external && namespaces.has(e.namespace!))
    .map(e => exactLabelsKey(e.namespace!, e.labels))));
  return representatives.filter(r => !present.every(keys => keys.has(exactLabelsKey(r.namespace, r.labels))));
}

/** The refusal of a list above the limit, and how to narrow it. */
function tooManyFlows(limit: number, total: number, filtered: boolean): string {
  const count = (n: number) => n.toLocaleString('en-US');
  return `${count(total)} flows${filtered ? ' pass the filter' : ''}, more than the limit of ${count(limit)}: `
    + 'list fewer at a time, with a filter on from or to (an endpoint, a namespace or an address), direction or port';
}

/** An endpoint as listed: one endpoint, or the pods of one controller. */
interface ListedEndpoint {
  readonly name: string;
  readonly namespace?: string;
  readonly external: boolean;
  readonly representative: boolean;
  readonly shape: number;
}

/**
 * The endpoints to list. Pods with the same group (their controller) become one endpoint named
 * after it when they are all of one shape (no policy tells them apart) and the name is free or
 * names a workload of that same shape (which then stands for them); otherwise they stay apart.
 * Pods and workloads sorted by namespace and name, then external endpoints in their order.
 */
function groupEndpoints(endpoints: readonly EndpointRecord[], groupOf: readonly (string | undefined)[], shapeOf: Int32Array): ListedEndpoint[] {
  const byName = new Map<string, number>();
  endpoints.forEach((e, i) => byName.set(e.name, i));
  const members = new Map<string, number[]>();
  groupOf.forEach((group, i) => {
    if (group === undefined || i >= endpoints.length || endpoints[i].external) return;
    const list = members.get(group);
    if (list) list.push(i);
    else members.set(group, [i]);
  });
  const merged = new Set<number>();
  const groups: ListedEndpoint[] = [];
  for (const [group, list] of members) {
    const shape = shapeOf[list[0]];
    if (list.some(i => shapeOf[i] !== shape)) continue;
    const existing = byName.get(group);
    if (existing !== undefined && !list.includes(existing)) {
      if (shapeOf[existing] !== shape) continue;
      list.forEach(i => merged.add(i)); // the workload of that name stands for its pods
      continue;
    }
    if (list.length < 2 && existing !== undefined) continue;
    list.forEach(i => merged.add(i));
    groups.push({ name: group, namespace: endpoints[list[0]].namespace, external: false, representative: false, shape });
  }
  const listed: ListedEndpoint[] = endpoints
    .map((e, i) => ({
      name: e.name, namespace: e.namespace, external: e.external, representative: e.kind === REPRESENTATIVE_KIND, shape: shapeOf[i],
    }))
    .filter((_, i) => !merged.has(i));
  if (groups.length === 0) return listed;
  const inCluster = [...listed.filter(e => !e.external && !e.representative), ...groups]
    .sort((a, b) => compareStrings(a.namespace!, b.namespace!) || compareStrings(a.name, b.name));
  return [...inCluster, ...listed.filter(e => e.representative), ...listed.filter(e => e.external)];
}
