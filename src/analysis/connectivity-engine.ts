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
import type { Connection } from './connectivity';
import { EndpointRecord, compareStrings } from './object-reader';
import { ShapeSet } from './pod-shape';
import { PortSet } from './port-set';
import { ReachabilityEngine } from './reachability';
import { ShapeTiers, clusterNetworkBlocks } from './shape-tiers';
import { Direction } from '../direction';
import { ParsedClusterPolicy } from '../model/cluster-network-policy';
import { IpBlock, parseIpAddress } from '../model/ip-block';
import { ParsedPolicy, PolicyRule } from '../model/network-policy';
import { Labels } from '../model/selector';
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
   * The group (`namespace/owner`) of each endpoint of `endpoints` whose pod has a controller:
   * pods of one group that no policy tells apart are listed as one endpoint of that name.
   */
  readonly groupOf?: readonly (string | undefined)[];
  /**
   * The cluster-wide policies (by tier, priority and id): the Admin tier before the
   * NetworkPolicies, the Baseline tier after (see `tiers.ts`). None when undefined.
   */
  readonly clusterPolicies?: readonly ParsedClusterPolicy[];
}

/** The result: every endpoint (the derived address ranges last) and, per source, its allowed destinations. */
export interface ConnectivityResult {
  /** The endpoint names: the input's, then one per derived address range. */
  readonly endpoints: readonly string[];
  /** Whether each endpoint is outside the cluster. */
  readonly external: readonly boolean[];
  /** The allowed flows, sorted by source then destination in the order of `endpoints`. */
  readonly connections: Connection[];
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

  /** The ports opened towards one destination shape. */
  public towards(shape: number, destination: EndpointRecord): PortSet {
    if (this.named.length === 0 || destination.external) return this.fixed;
    let set = this.perShape.get(shape);
    if (!set) {
      set = this.fixed;
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

/** Interns port sets by their text, so equal sets are one object. */
class PortSetPool {
  private readonly pool = new Map<string, PortSet>();
  private readonly interned = new Set<PortSet>();
  public intern(set: PortSet): PortSet {
    if (this.interned.has(set)) return set;
    const key = set.toString();
    const found = this.pool.get(key);
    if (found) return found;
    this.pool.set(key, set);
    this.interned.add(set);
    return set;
  }
}

/** Evaluates every ordered pair of endpoints, for every port of every protocol. */
export function computeConnectivity(input: ConnectivityInput): ConnectivityResult {
  const clusterPolicies = input.clusterPolicies ?? [];
  const networks = clusterNetworkBlocks(clusterPolicies);
  const endpoints = [...input.endpoints, ...addressRangeEndpoints([...input.policies, ...(input.alignWith ?? [])], networks)];
  const shapes = ShapeSet.build(endpoints, input.ipBlockMatchesPodIps ? [...policyIpBlocks(input.policies), ...networks] : []);
  const engine = new ReachabilityEngine(shapes, input.namespaces, input.policies, input.ipBlockMatchesPodIps);
  const shapeCount = shapes.shapes.length;
  const representative = (s: number) => shapes.shapes[s].representative;
  const rulePorts = (ingress: boolean) => Array.from({ length: engine.ruleCount(ingress) }, (_, id) => new RulePorts(engine.ruleOf(ingress, id)));
  const ingressPorts = rulePorts(true);
  const egressPorts = rulePorts(false);
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

  const pool = new PortSetPool();
  const isExternal = (s: number) => s >= shapes.podShapeCount;
  /** Per source shape, `[destination shape, ports]` for every shape pair with something allowed. */
  const shapeRows: [number, PortSet][][] = new Array(shapeCount);
  let focus: Bitset | undefined;
  if (input.touching) {
    focus = new Bitset(shapeCount);
    for (const ns of input.touching) {
      const range = shapes.namespaceRanges.get(ns);
      if (range) focus.addRange(range[0], range[1]);
    }
  }
  const tiers = clusterPolicies.length > 0
    ? new ShapeTiers(shapes, clusterPolicies, { namespaces: input.namespaces, ipBlockMatchesPodIps: input.ipBlockMatchesPodIps })
    : undefined;
  for (let s = 0; s < shapeCount; s++) {
    const egressRules = engine.rulesOf(false, s);
    const candidates = (egressRules ? reachedBy(egressRules) : all).clone();
    if (tiers) {
      // beyond what NetworkPolicies reach (or, for a pod none selects, everything), only an Admin Accept can allow
      const egressAccepted = tiers.acceptedPeers(Direction.EGRESS, s);
      if (egressAccepted) candidates.or(egressAccepted);
      const ingressAccepted = tiers.admittedByAccept(s);
      candidates.and(ingressAccepted ? admittedBy(s).clone().or(ingressAccepted) : admittedBy(s));
    } else {
      candidates.and(admittedBy(s));
    }
    if (focus && !focus.has(s)) candidates.and(focus);
    const row: [number, PortSet][] = [];
    for (const d of candidates.toArray()) {
      if (isExternal(s) && isExternal(d)) continue; // never through the cluster
      const destination = representative(d);
      if (tiers) {
        const ports = tieredPorts(tiers, engine, s, d, destination, egressPorts, ingressPorts);
        if (!ports.isEmpty) row.push([d, pool.intern(ports)]);
        continue;
      }
      let ports = PortSet.ALL;
      if (egressRules) {
        let egress = PortSet.NONE;
        for (const r of egressRules) {
          if (engine.peersOf(false, r).has(d)) egress = egress.union(egressPorts[r].towards(d, destination));
        }
        ports = egress;
      }
      const ingressRules = engine.rulesOf(true, d);
      if (ingressRules && !ports.isEmpty) {
        let ingress = PortSet.NONE;
        for (const r of ingressRules) {
          if (engine.peersOf(true, r).has(s)) ingress = ingress.union(ingressPorts[r].towards(d, destination));
        }
        ports = ports.intersect(ingress);
      }
      if (!ports.isEmpty) row.push([d, pool.intern(ports)]);
    }
    shapeRows[s] = row;
  }

  // The listed endpoints: each endpoint, except pods grouped under their controller.
  const nodes = groupEndpoints(endpoints, input.groupOf ?? [], shapes.shapeOf);
  const nodesOfShape: number[][] = Array.from({ length: shapeCount }, () => []);
  nodes.forEach((node, i) => nodesOfShape[node.shape].push(i));

  // Expand shapes to listed endpoints. Every endpoint of a shape has the same destinations
  // (but itself), so each shape's destination list is sorted once.
  const evaluateSelf = input.selfTraffic === SelfTraffic.EVALUATE;
  const names = nodes.map(n => n.name);
  const destinations = new Map<number, { to: Int32Array; ports: PortSet[] }>();
  const destinationsOf = (s: number) => {
    let found = destinations.get(s);
    if (!found) {
      const portsOfShape = new Map<number, PortSet>(shapeRows[s]);
      const to = Int32Array.from(shapeRows[s].flatMap(([d]) => nodesOfShape[d])).sort();
      found = { to, ports: Array.from(to, j => portsOfShape.get(nodes[j].shape)!) };
      destinations.set(s, found);
    }
    return found;
  };
  const connections: Connection[] = [];
  nodes.forEach((node, i) => {
    if (shapeRows[node.shape].length === 0) return;
    const { to, ports } = destinationsOf(node.shape);
    for (let k = 0; k < to.length; k++) {
      const j = to[k];
      if (j !== i || evaluateSelf) connections.push({ from: names[i], to: names[j], allowed: ports[k] });
    }
  });
  return { endpoints: names, external: nodes.map(n => n.external), connections };
}

/** What the tiers allow from shape `s` to shape `d`: the source's egress, then the destination's ingress. */
function tieredPorts(
  tiers: ShapeTiers,
  engine: ReachabilityEngine,
  s: number,
  d: number,
  destination: EndpointRecord,
  egressPorts: readonly RulePorts[],
  ingressPorts: readonly RulePorts[],
): PortSet {
  const networkPolicy = (ingress: boolean, subject: number, peer: number, ports: readonly RulePorts[]): PortSet | undefined => {
    const rules = engine.rulesOf(ingress, subject);
    if (!rules) return undefined;
    let set = PortSet.NONE;
    for (const r of rules) if (engine.peersOf(ingress, r).has(peer)) set = set.union(ports[r].towards(d, destination));
    return set;
  };
  const egress = tiers.allowed(Direction.EGRESS, s, d, networkPolicy(false, s, d, egressPorts));
  if (egress.isEmpty) return egress;
  return egress.intersect(tiers.allowed(Direction.INGRESS, d, s, networkPolicy(true, d, s, ingressPorts)));
}

/** An endpoint as listed: one endpoint, or the pods of one controller. */
interface ListedEndpoint {
  readonly name: string;
  readonly namespace?: string;
  readonly external: boolean;
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
    groups.push({ name: group, namespace: endpoints[list[0]].namespace, external: false, shape });
  }
  const listed: ListedEndpoint[] = endpoints
    .map((e, i) => ({ name: e.name, namespace: e.namespace, external: e.external, shape: shapeOf[i] }))
    .filter((_, i) => !merged.has(i));
  if (groups.length === 0) return listed;
  const inCluster = [...listed.filter(e => !e.external), ...groups]
    .sort((a, b) => compareStrings(a.namespace!, b.namespace!) || compareStrings(a.name, b.name));
  return [...inCluster, ...listed.filter(e => e.external)];
}
