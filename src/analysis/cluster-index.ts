import { AnalysisInputError } from './analysis-input-error';
import { HostNetworkPods } from './analysis-options';
import { ClusterModel } from './cluster-model';
import { ClusterQueries, NamespaceView, PeerSample, WitnessPod, WorkloadView } from './cluster-queries';
import { ClusterObjects, EndpointRecord, readClusterObjects } from './object-reader';
import { ShapeSet } from './pod-shape';
import { EvaluationContext, evaluateDirection, peerMatches, portMatches, selectingPolicies } from './policy-eval';
import { DirectionVerdict, RuleRef, Verdict } from './verdict';
import { Direction } from '../direction';
import { selectionMatches } from './tiers';
import { ClusterPeer, ParsedClusterPolicy } from '../model/cluster-network-policy';
import { IpBlock, addressKey, parseIpAddress } from '../model/ip-block';
import { ParsedPolicy, PolicyRule } from '../model/network-policy';
import { Selector } from '../model/selector';
import { Protocol } from '../port';
import type { ClusterService } from './service';

/** How `ClusterIndex` reads the objects. */
export interface ClusterIndexOptions {
  /** The namespace of objects without one. */
  readonly defaultNamespace: string;
  /** Whether ipBlock peers match pod IPs. */
  readonly ipBlockMatchesPodIps: boolean;
  /** Whether NetworkPolicies apply to hostNetwork pods. */
  readonly hostNetworkPods: HostNetworkPods;
}

/**
 * The `ClusterQueries` over the connectivity engine: the engine's object reader (with the one
 * policy model) and evaluator, and `ClusterModel` for whole-connection verdicts. Selector
 * matching and policy evaluation are never re-implemented here.
 *
 * Checks ask the same questions for many workloads and policies, so answers are cached: per pod
 * shape (the engine's: workloads no policy can tell apart get the same answers), per selector
 * (`namespacesMatching`, through an index of namespace labels), per workload (`isolatedBy`).
 * The `ClusterModel` is only built when `connection()` is asked.
 */
export class ClusterIndex implements ClusterQueries {
  public readonly namespaces: readonly NamespaceView[];
  public readonly hasDeclaredNamespaces: boolean;
  public readonly workloads: readonly WorkloadView[];
  public readonly policies: readonly ParsedPolicy[];
  public readonly services: readonly ClusterService[];
  public readonly clusterPolicies: readonly ParsedClusterPolicy[];

  protected readonly objects: ClusterObjects;
  protected readonly evaluation: EvaluationContext;
  private readonly records = new Map<string, EndpointRecord>();
  private readonly namespaceByName = new Map<string, NamespaceView>();
  private readonly externals = new Map<string, EndpointRecord>();
  private readonly witnesses = new WeakMap<WitnessPod, { record: EndpointRecord; evaluation: EvaluationContext }>();
  private readonly isolation = { [Direction.INGRESS]: new Map<string, string[]>(), [Direction.EGRESS]: new Map<string, string[]>() };
  private readonly matchingBySelector = new WeakMap<Selector, readonly NamespaceView[]>();
  private readonly matchingByKey = new Map<string, readonly NamespaceView[]>();
  private readonly egressRefs = new Map<string, readonly RuleRef[]>();
  private readonly addressRecords = new Map<string, EndpointRecord | null>();
  private byNamespace?: Map<string, WorkloadView[]>;
  private shapes?: Map<string, string>;
  private labelIndex?: Map<string, Map<string, number[]>>;
  private clusterModel?: ClusterModel;

  /**
   * Analyses the objects.
   *
   * @throws AnalysisInputError for objects the engine cannot evaluate
   */
  public constructor(protected readonly manifests: readonly any[], protected readonly reading: ClusterIndexOptions) {
    // the ClusterModel reads the same objects with the same options, so evaluating the records
    // read here with the same context gives its answers
    this.objects = readClusterObjects(manifests, reading.defaultNamespace, []);

    const policiesByNamespace = new Map<string, ParsedPolicy[]>();
    for (const p of this.objects.policies) pushTo(policiesByNamespace, p.namespace, p);
    this.evaluation = {
      namespaces: this.objects.namespaces,
      policiesByNamespace,
      ipBlockMatchesPodIps: reading.ipBlockMatchesPodIps,
      hostNetworkIsolated: reading.hostNetworkPods === HostNetworkPods.ISOLATED,
      clusterPolicies: this.objects.clusterPolicies,
    };

    const declared = this.objects.declaredNamespaces;
    this.hasDeclaredNamespaces = declared.size > 0;
    this.namespaces = [...this.objects.namespaces.keys()].sort(compare).map(name => {
      const view: NamespaceView = {
        name,
        labels: { ...this.objects.namespaces.get(name) },
        ref: declared.has(name) ? { kind: 'Namespace', name } : undefined,
      };
      this.namespaceByName.set(name, view);
      return view;
    });

    this.workloads = this.objects.endpoints.filter(e => !e.external).map(e => {
      const objectName = e.name.slice(e.name.lastIndexOf('/') + 1);
      const view: WorkloadView = {
        name: e.name,
        kind: e.kind,
        namespace: e.namespace!,
        labels: e.labels,
        ports: e.ports,
        ips: e.ips,
        hostNetwork: e.hostNetwork === true,
        ref: { kind: e.kind, namespace: e.namespace, name: objectName },
        text: `${e.kind} ${e.namespace}/${objectName}`,
      };
      this.records.set(e.name, e);
      return view;
    });

    this.policies = this.objects.policies;
    this.services = this.objects.services;
    this.clusterPolicies = this.objects.clusterPolicies;
  }

  public clusterSubjectSelects(policy: ParsedClusterPolicy): WorkloadView[] {
    return this.workloads.filter(w => selectionMatches(policy.subject, this.records.get(w.name)!, this.evaluation));
  }

  public clusterPeerSelects(peer: ClusterPeer): WorkloadView[] {
    const selection = peer.selection;
    return selection ? this.workloads.filter(w => selectionMatches(selection, this.records.get(w.name)!, this.evaluation)) : [];
  }

  public namespace(name: string): NamespaceView | undefined {
    return this.namespaceByName.get(name);
  }

  public workloadsIn(namespace: string): WorkloadView[] {
    if (!this.byNamespace) {
      this.byNamespace = new Map();
      for (const w of this.workloads) pushTo(this.byNamespace, w.namespace, w);
    }
    return [...(this.byNamespace.get(namespace) ?? [])];
  }

  public isolatedBy(workload: WorkloadView, direction: Direction): string[] {
    const cache = this.isolation[direction];
    let ids = cache.get(workload.name);
    if (ids === undefined) {
      ids = selectingPolicies(this.record(workload), direction, this.evaluation).map(p => p.id);
      cache.set(workload.name, ids);
    }
    return [...ids];
  }

  public selectedBy(policy: ParsedPolicy): WorkloadView[] {
    return this.workloadsIn(policy.namespace).filter(w => policy.podSelector.matches(w.labels));
  }

  public namespacesMatching(selector: Selector): NamespaceView[] {
    let found = this.matchingBySelector.get(selector);
    if (!found) {
      // equal selectors (policies of many namespaces often share them) are matched once
      const key = selector instanceof Selector ? selector.key : undefined;
      found = key === undefined ? undefined : this.matchingByKey.get(key);
      if (!found) {
        found = this.candidateNamespaces(selector).filter(ns => selector.matches(ns.labels));
        if (key !== undefined) this.matchingByKey.set(key, found);
      }
      this.matchingBySelector.set(selector, found);
    }
    return [...found];
  }

  public connection(from: WorkloadView, to: WorkloadView | string, port: number, protocol: Protocol): Verdict {
    return this.model.allowed({ from: from.name, to: typeof to === 'string' ? to : to.name, port, protocol });
  }

  public egressAllowedBy(from: WorkloadView, to: string, port: number, protocol: Protocol): readonly RuleRef[] {
    // egress to an address depends on the source only through the policies that select it
    const key = `${to}\u0000${port}/${protocol}\u0000${this.shapeKey(from)}`;
    let refs = this.egressRefs.get(key);
    if (!refs) {
      const destination = this.addressRecord(to);
      refs = destination
        ? evaluateDirection(Direction.EGRESS, this.record(from), destination, port, protocol, this.evaluation).allowedBy
        : this.connection(from, to, port, protocol).egress.allowedBy;
      this.egressRefs.set(key, refs);
    }
    return refs;
  }

  public rulePeerMatches(policy: ParsedPolicy, rule: PolicyRule, peer: PeerSample): boolean {
    if (!rule.peers) return true;
    const { record, evaluation } = this.peerRecord(peer);
    return rule.peers.some(p => peerMatches(p, policy.namespace, record, evaluation));
  }

  public directionVerdict(direction: Direction, subject: WorkloadView, peer: PeerSample, port: number, protocol: Protocol): DirectionVerdict {
    const { record, evaluation } = this.peerRecord(peer);
    return evaluateDirection(direction, this.record(subject), record, port, protocol, evaluation);
  }

  public ruleAllows(policy: ParsedPolicy, rule: PolicyRule, subject: WorkloadView, peer: PeerSample, port: number, protocol: Protocol): boolean {
    const { record, evaluation } = this.peerRecord(peer);
    if (rule.peers && !rule.peers.some(p => peerMatches(p, policy.namespace, record, evaluation))) return false;
    const destination = rule.direction === Direction.INGRESS ? this.record(subject) : record;
    return !rule.ports || rule.ports.some(p => portMatches(p, port, protocol, destination));
  }

  public shapeKey(workload: WorkloadView): string {
    if (!this.shapes) {
      // the engine's pod shapes: when ipBlocks match pod IPs, pods are told apart by which of
      // the policies' ipBlocks contain one of their addresses
      const ipBlocks = new Map<string, IpBlock>();
      if (this.reading.ipBlockMatchesPodIps) {
        for (const p of this.objects.policies) {
          for (const r of [...p.ingress, ...p.egress]) {
            for (const peer of r.peers ?? []) if (peer.ipBlock) ipBlocks.set(peer.ipBlock.toString(), peer.ipBlock);
          }
        }
      }
      const set = ShapeSet.build(this.objects.endpoints, [...ipBlocks.values()]);
      this.shapes = new Map(this.objects.endpoints.map((e, i) => [e.name, String(set.shapeOf[i])]));
    }
    const key = this.shapes.get(workload.name);
    if (key === undefined) throw new AnalysisInputError(`unknown workload ${workload.name}`);
    return key;
  }

  /** The endpoint record of a peer sample, and the evaluation context that knows its namespace. */
  private peerRecord(peer: PeerSample): { record: EndpointRecord; evaluation: EvaluationContext } {
    if (peer.workload) return { record: this.record(peer.workload), evaluation: this.evaluation };
    if (peer.address !== undefined) {
      let record = this.externals.get(peer.address);
      if (!record) this.externals.set(peer.address, record = externalRecord(peer.address));
      return { record, evaluation: this.evaluation };
    }
    const w = peer.witness!;
    let cached = this.witnesses.get(w);
    if (!cached) {
      cached = {
        record: {
          name: `${w.namespace}/(witness)`,
          kind: 'Pod',
          namespace: w.namespace,
          labels: { ...w.labels },
          ports: [...w.ports],
          ips: [],
          external: false,
          addresses: [],
          aliases: [],
        },
        evaluation: { ...this.evaluation, namespaces: new OverlayMap(this.objects.namespaces, w.namespace, { ...w.namespaceLabels }) },
      };
      this.witnesses.set(w, cached);
    }
    return cached;
  }

  /** The ClusterModel of the input, built on first use. */
  private get model(): ClusterModel {
    if (!this.clusterModel) {
      this.clusterModel = ClusterModel.fromObjects([...this.manifests], {
        defaultNamespace: this.reading.defaultNamespace,
        ipBlockMatchesPodIps: this.reading.ipBlockMatchesPodIps,
        hostNetworkPods: this.reading.hostNetworkPods,
      });
    }
    return this.clusterModel;
  }

  /**
   * The external endpoint a query to the IP address reaches; `undefined` when an input
   * endpoint may be meant (a pod with that IP, or an object so named): the ClusterModel then
   * resolves it.
   */
  private addressRecord(address: string): EndpointRecord | undefined {
    let record = this.addressRecords.get(address);
    if (record === undefined) {
      const parsed = parseIpAddress(address);
      const id = parsed && addressKey(parsed);
      const names = [address, `${this.reading.defaultNamespace}/${address}`];
      const known = !parsed || this.objects.endpoints.some(e => e.aliases.some(a => names.includes(a))
        || e.addresses.some(a => addressKey(a) === id));
      record = known ? null : externalRecord(address);
      this.addressRecords.set(address, record);
    }
    return record ?? undefined;
  }

  /**
   * The namespaces that may match the selector: for an `In` requirement, those with one of its
   * values (from an index of namespace labels, built on first use); otherwise all of them.
   */
  private candidateNamespaces(selector: Selector): readonly NamespaceView[] {
    if (!(selector instanceof Selector)) return this.namespaces;
    let best: number[] | undefined;
    for (const r of selector.requirements) {
      if (r.operator !== 'In') continue;
      const byValue = this.labelValues(r.key);
      const positions = [...new Set(r.values.flatMap(v => byValue.get(v) ?? []))];
      if (!best || positions.length < best.length) best = positions;
    }
    return best ? best.sort((a, b) => a - b).map(i => this.namespaces[i]) : this.namespaces;
  }

  /** Value to the positions (in `namespaces`) of the namespaces with that value for the label. */
  private labelValues(key: string): ReadonlyMap<string, number[]> {
    if (!this.labelIndex) this.labelIndex = new Map();
    let byValue = this.labelIndex.get(key);
    if (!byValue) {
      byValue = new Map();
      this.namespaces.forEach((ns, i) => {
        if (Object.prototype.hasOwnProperty.call(ns.labels, key)) pushTo(byValue!, ns.labels[key], i);
      });
      this.labelIndex.set(key, byValue);
    }
    return byValue;
  }

  protected record(workload: WorkloadView): EndpointRecord {
    const record = this.records.get(workload.name);
    if (!record) throw new AnalysisInputError(`unknown workload ${workload.name}`);
    return record;
  }
}

/** A map with one entry added or replaced, without copying the map. */
export class OverlayMap<V> implements ReadonlyMap<string, V> {
  constructor(private readonly base: ReadonlyMap<string, V>, private readonly key: string, private readonly value: V) {}

  public get size(): number {
    return this.base.size + (this.base.has(this.key) ? 0 : 1);
  }

  public get(key: string): V | undefined {
    return key === this.key ? this.value : this.base.get(key);
  }

  public has(key: string): boolean {
    return key === this.key || this.base.has(key);
  }

  public forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [k, v] of this.entries()) callback(v, k, this);
  }

  public *entries(): MapIterator<[string, V]> {
    for (const [k, v] of this.base) if (k !== this.key) yield [k, v];
    yield [this.key, this.value];
  }

  public *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  public *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  public [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}

export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function externalRecord(address: string): EndpointRecord {
  const parsed = parseIpAddress(address);
  if (!parsed) throw new AnalysisInputError(`not an IP address: ${address}`);
  return { name: address, kind: 'External', labels: {}, ports: [], ips: [address], external: true, addresses: [parsed], aliases: [address] };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
