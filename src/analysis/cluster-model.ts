import { App, Chart } from 'cdk8s';
import { DEFAULT_NAMESPACE, PROTOCOLS } from '../constants';
import { Direction } from '../direction';
import { Protocol } from '../port';
import { AnalysisInputError } from './analysis-input-error';
import { AnalysisOptions, HostNetworkPods, SelfTraffic } from './analysis-options';
import { Bitset } from './bitset';
import { Connectivity } from './connectivity';
import { computeConnectivity, policyIpBlocks } from './connectivity-engine';
import { ConnectivityOptions } from './connectivity-filter';
import { NamespaceScope, ScopeVersion } from './diff-scope';
import { Endpoint } from './endpoint';
import { renderExplanation } from './explanation';
import { ClusterObjects, EndpointRecord, compareStrings, readClusterObjects } from './object-reader';
import { podOwnerGroups } from './pod-owners';
import { ShapeSet } from './pod-shape';
import { EvaluationContext, evaluateDirection } from './policy-eval';
import { ReachabilityEngine, ShapeReachability } from './reachability';
import { REPRESENTATIVE_KIND, isRepresentativeName, parseRepresentative, representativeRecord } from './representative';
import { ClusterService, ServiceTarget } from './service';
import { ShapeTiers, clusterNetworkBlocks } from './shape-tiers';
import { ShapeTruthTable } from './shape-truth-table';
import { TrafficQuery } from './traffic-query';
import { TruthTable } from './truth-table';
import { Verdict } from './verdict';
import { IpAddress, IpBlock, addressKey, parseIpAddress } from '../model/ip-block';
import { ParsedPolicy, PolicyRule } from '../model/network-policy';
import { Labels } from '../model/selector';
import { SelectorSyntaxError } from '../model/selector-syntax';
import { appArg, appCharts, constructArg, enumValue, fail, optionalBoolean, optionalNamespaceName, props, strings } from '../private/runtime-check';
import { FieldValidation } from '../validation/field-validation';

/**
 * A cluster as NetworkPolicies see it, to ask offline which connections the policies allow.
 *
 * Built from Kubernetes objects: Namespaces (their labels; the `kubernetes.io/metadata.name`
 * label is always implied), Pods (labels, container ports, `status.podIP`), workloads whose pod
 * template stands for their pods (Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob) and `networking.k8s.io/v1` NetworkPolicies; other kinds
 * are ignored. Namespaces that objects refer to but that are not declared exist with only their
 * name label.
 *
 * Semantics are those of the Kubernetes API: a pod is isolated for a direction when a policy in
 * its namespace selects it with that direction in its (defaulted) `policyTypes`; what an isolated
 * pod allows is the union of all rules of all policies that select it; a connection needs both
 * the source's egress and the destination's ingress to allow it. A `hostNetwork` pod's traffic
 * is its node's: by default no NetworkPolicy isolates it and no pod or namespace selector
 * matches it (`AnalysisOptions.hostNetworkPods`).
 *
 * Equivalent pods (same namespace, labels, named ports and, if relevant, IPs) are evaluated once.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 *
 * @example
 * const model = ClusterModel.fromChart(chart);
 * const verdict = model.allowed({ from: 'shop/web', to: 'shop/db', port: 5432 });
 * console.log(verdict.explanation);
 */
export class ClusterModel {
  /**
   * A model of the given Kubernetes objects.
   *
   * @param objects plain Kubernetes objects (`List` objects are flattened)
   * @param options how to read them and evaluate policies
   */
  public static fromObjects(objects: any[], options: AnalysisOptions = {}): ClusterModel {
    if (!Array.isArray(objects)) throw new AnalysisInputError('ClusterModel.fromObjects: objects must be an array of Kubernetes objects');
    return new ClusterModel(objects, checkOptions('ClusterModel.fromObjects', options));
  }

  /**
   * A model of what a cdk8s chart synthesizes (this runs the chart's validations).
   */
  public static fromChart(chart: Chart, options: AnalysisOptions = {}): ClusterModel {
    constructArg('ClusterModel.fromChart', 'chart', chart, 'a cdk8s Chart');
    if (typeof (chart as any).toJson !== 'function') fail('ClusterModel.fromChart', 'chart', chart, 'must be a cdk8s Chart');
    return new ClusterModel(chart.toJson(), checkOptions('ClusterModel.fromChart', options));
  }

  /**
   * A model of what all the charts of a cdk8s app synthesize, together.
   */
  public static fromApp(app: App, options: AnalysisOptions = {}): ClusterModel {
    appArg('ClusterModel.fromApp', 'app', app);
    return new ClusterModel(appCharts('ClusterModel.fromApp', 'app', app).flatMap(chart => chart.toJson()), checkOptions('ClusterModel.fromApp', options));
  }

  /**
   * Whether an error thrown by this class means the input cannot be evaluated (an object the
   * API server would reject, an unknown endpoint, a bad port), as opposed to a bug.
   *
   * @param error anything caught
   */
  public static isInputError(error: any): boolean {
    return error instanceof AnalysisInputError;
  }

  /** Whether ipBlock peers match pod IPs (see `AnalysisOptions.ipBlockMatchesPodIps`). */
  public readonly ipBlockMatchesPodIps: boolean;
  /** What traffic from an endpoint to itself is (see `AnalysisOptions.selfTraffic`). */
  public readonly selfTraffic: SelfTraffic;
  /** The namespace of objects without one. */
  public readonly defaultNamespace: string;
  /** Whether NetworkPolicies apply to hostNetwork pods (see `AnalysisOptions.hostNetworkPods`). */
  public readonly hostNetworkPods: HostNetworkPods;
  /** What an unknown field in a NetworkPolicy is (see `AnalysisOptions.fieldValidation`). */
  public readonly fieldValidation: FieldValidation;

  private readonly objects: ClusterObjects;
  /** `namespace/pod/name` of each pod with a controller to its group `namespace/owner`. */
  private readonly podGroups: Map<string, string>;
  private readonly context: EvaluationContext;
  private readonly byName = new Map<string, number>();
  private byAddress?: Map<string, number>;
  private engine?: ReachabilityEngine;
  private shapeSet?: ShapeSet;
  private allPorts?: Connectivity;
  private inputPorts?: Connectivity;
  /** Representative endpoints by the name a query used, with their namespace's labels. */
  private readonly representatives = new Map<string, { record: EndpointRecord; namespace: string; namespaceLabels: Labels }>();

  private constructor(objects: readonly any[], options: AnalysisOptions, read?: { objects: ClusterObjects; podGroups: Map<string, string> }) {
    this.ipBlockMatchesPodIps = options.ipBlockMatchesPodIps ?? true;
    this.selfTraffic = options.selfTraffic ?? SelfTraffic.ALLOW;
    this.defaultNamespace = options.defaultNamespace ?? DEFAULT_NAMESPACE;
    this.hostNetworkPods = options.hostNetworkPods ?? HostNetworkPods.UNRESTRICTED;
    this.fieldValidation = options.fieldValidation ?? FieldValidation.STRICT;
    this.objects = read?.objects ?? readClusterObjects(objects, this.defaultNamespace, options.externalIps ?? [], this.fieldValidation);
    this.podGroups = read?.podGroups ?? podOwnerGroups(objects, this.defaultNamespace);
    const policiesByNamespace = new Map<string, ParsedPolicy[]>();
    for (const policy of this.objects.policies) {
      const list = policiesByNamespace.get(policy.namespace);
      if (list) list.push(policy);
      else policiesByNamespace.set(policy.namespace, [policy]);
    }
    this.context = {
      namespaces: this.objects.namespaces,
      policiesByNamespace,
      ipBlockMatchesPodIps: this.ipBlockMatchesPodIps,
      hostNetworkIsolated: this.hostNetworkPods === HostNetworkPods.ISOLATED,
      clusterPolicies: this.objects.clusterPolicies,
    };
    this.objects.endpoints.forEach((e, i) => {
      for (const alias of e.aliases) this.byName.set(alias, i);
    });
  }

  /**
   * The endpoints: pods and workloads sorted by name, then the external IPs of the options.
   */
  public get endpoints(): Endpoint[] {
    return this.objects.endpoints.map(toEndpoint);
  }

  /**
   * The unknown NetworkPolicy fields dropped under `FieldValidation.WARN` (one line each:
   * `NetworkPolicy <namespace>/<name>: <field>: ...`), in input order; none otherwise.
   */
  public get warnings(): string[] {
    return [...this.objects.warnings];
  }

  /** The namespaces, declared or implied, sorted. */
  public get namespaces(): string[] {
    return [...this.objects.namespaces.keys()].sort();
  }

  /** The NetworkPolicies, as `namespace/name`, sorted. */
  public get policies(): string[] {
    return this.objects.policies.map(p => p.id);
  }

  /** The Services that select pods by labels, sorted by name (`namespace/name`). */
  public get services(): ClusterService[] {
    return this.objects.services.map(s => ({ ...s, selector: { ...s.selector }, ports: s.ports.map(p => ({ ...p })) }));
  }

  /**
   * Finds a Service by name (`namespace/name`, or `name` in the default namespace).
   *
   * @returns the Service, or `undefined` if there is none of that name (or it selects no pods by labels)
   */
  public findService(name: string): ClusterService | undefined {
    if (typeof name !== 'string') return undefined;
    const full = name.includes('/') ? name : `${this.defaultNamespace}/${name}`;
    return this.services.find(s => s.name === full);
  }

  /**
   * Where a Service port sends traffic: for each endpoint the Service selects (same namespace,
   * every selector label), the target port it maps to (a numeric `targetPort`; a named one
   * resolved on that endpoint's container ports; none given: the same number). Policies see
   * only the target port, so this is the port to evaluate.
   *
   * @param service the Service, `namespace/name` (or `name` in the default namespace)
   * @param port the Service port
   * @param protocol the protocol; defaults to TCP
   * @throws if there is no such Service, or it has no such port
   */
  public serviceTargets(service: string, port: number, protocol?: Protocol): ServiceTarget[] {
    const proto = protocol ?? Protocol.TCP;
    const found = this.findService(service);
    if (!found) {
      const known = this.objects.services.map(s => s.name);
      throw new AnalysisInputError(`unknown Service ${JSON.stringify(service)}` + (known.length > 0 ? `; known Services: ${known.slice(0, 20).join(', ')}` : '; the input has no Service that selects pods'));
    }
    const entry = found.ports.find(p => p.port === port && p.protocol === proto);
    if (!entry) {
      const ports = found.ports.map(p => `${p.protocol}/${p.port}`).join(', ') || 'none';
      throw new AnalysisInputError(`port: Invalid value: ${port}: Service ${found.name} has no ${proto} port ${port} (its ports: ${ports})`);
    }
    const selected = this.objects.endpoints.filter(e => !e.external && e.namespace === found.namespace
      && Object.entries(found.selector).every(([k, v]) => e.labels[k] === v));
    return selected.map(e => {
      const head = `Service ${found.name} ${proto} port ${port} -> targetPort`;
      if (entry.targetPortName !== undefined) {
        const target = e.ports.find(p => p.name === entry.targetPortName && p.protocol === proto);
        return {
          service: found.name,
          servicePort: port,
          protocol: proto,
          endpoint: e.name,
          ...(target ? { targetPort: target.port } : {}),
          description: target ? `${head} ${JSON.stringify(entry.targetPortName)} = ${target.port} on ${e.name}`
            : `${head} ${JSON.stringify(entry.targetPortName)}: ${e.name} has no ${proto} container port of that name (the Service sends it nothing)`,
        };
      }
      const target = entry.targetPort ?? port;
      return { service: found.name, servicePort: port, protocol: proto, endpoint: e.name, targetPort: target, description: `${head} ${target} on ${e.name}` };
    });
  }

  /**
   * When a query's destination is a Service, where its port goes: the targets of
   * `serviceTargets()` for the Service port (`port`, or the Service port named `portName`).
   * `to` is a Service when it names one and no endpoint, or when it also names an endpoint (a
   * workload and its Service often share a name) that has no container port of that number or
   * name while the Service has such a port.
   *
   * @returns the targets, or `undefined` when `to` is not a Service
   * @throws if `to` is a Service without such a port
   */
  public serviceQueryTargets(query: TrafficQuery): ServiceTarget[] | undefined {
    const protocol = query.protocol ?? Protocol.TCP;
    const service = typeof query.to === 'string' ? this.findService(query.to) : undefined;
    if (!service) return undefined;
    const matches = (p: { port: number; name?: string; protocol: Protocol }) => p.protocol === protocol
      && (query.portName !== undefined ? p.name === query.portName : p.port === query.port);
    const endpoint = this.findEndpoint(query.to);
    if (endpoint && (endpoint.ports.some(matches) || !service.ports.some(matches))) return undefined;
    const entry = service.ports.find(matches);
    if (!entry) {
      const ports = service.ports.map(p => `${p.protocol}/${p.port}${p.name ? ` (${JSON.stringify(p.name)})` : ''}`).join(', ') || 'none';
      const asked = query.portName !== undefined ? JSON.stringify(query.portName) : String(query.port);
      throw new AnalysisInputError(`port: Invalid value: ${asked}: Service ${service.name} has no ${protocol} port ${asked} (its ports: ${ports})`);
    }
    return this.serviceTargets(service.name, entry.port, protocol);
  }

  /**
   * The labels of a namespace, the implied `kubernetes.io/metadata.name` included.
   *
   * @returns the labels, or `undefined` if the model has no such namespace
   */
  public namespaceLabels(namespace: string): { [key: string]: string } | undefined {
    const labels = this.objects.namespaces.get(namespace);
    return labels ? { ...labels } : undefined;
  }

  /**
   * Finds an endpoint by name (`namespace/name`, `namespace/kind/name`, an external IP of the
   * options, or a representative endpoint such as `tools/*` or `*\/{app=web}`).
   *
   * @returns the endpoint, or `undefined` if there is none of that name
   */
  public findEndpoint(name: string): Endpoint | undefined {
    const index = this.byName.get(name);
    if (index !== undefined) return toEndpoint(this.objects.endpoints[index]);
    if (typeof name !== 'string' || !isRepresentativeName(name)) return undefined;
    let record: EndpointRecord;
    try {
      record = this.resolve(name, 'name');
    } catch (err) {
      if (err instanceof AnalysisInputError) return undefined;
      throw err;
    }
    return { ...toEndpoint(record), namespaceLabels: { ...this.representatives.get(name)!.namespaceLabels } };
  }

  /**
   * Whether a connection is allowed, and why.
   *
   * @throws if an endpoint is unknown, or the port is missing, invalid, or a name the destination does not have
   */
  public allowed(query: TrafficQuery): Verdict {
    const source = this.resolve(query.from, 'from');
    const destination = this.resolve(query.to, 'to');
    const protocol = query.protocol ?? Protocol.TCP;
    if (!PROTOCOLS.includes(protocol)) {
      throw new AnalysisInputError(`Unsupported protocol ${JSON.stringify(protocol)}: use TCP, UDP or SCTP`);
    }
    const port = this.resolvePort(query, destination, protocol);
    const context = this.contextFor(source, destination);
    const egress = evaluateDirection(Direction.EGRESS, source, destination, port, protocol, context);
    const ingress = evaluateDirection(Direction.INGRESS, destination, source, port, protocol, context);
    // a representative stands for any number of pods: its traffic to itself is between two of them
    const selfTraffic = source.kind !== REPRESENTATIVE_KIND
      && (source === destination || (source.external && destination.external && source.name === destination.name));
    const selfAllowed = selfTraffic && this.selfTraffic === SelfTraffic.ALLOW;
    const verdict = {
      from: source.name,
      to: destination.name,
      port,
      portName: query.portName,
      protocol,
      allowed: selfAllowed || (egress.allowed && ingress.allowed),
      selfTraffic,
      egress,
      ingress,
    };
    return { ...verdict, explanation: renderExplanation(verdict, this.selfTraffic === SelfTraffic.ALLOW) };
  }

  /**
   * Whether a connection is allowed (the `allowed` field of `allowed()`).
   *
   * @param from the source: an endpoint name or an IP address
   * @param to the destination: an endpoint name or an IP address
   * @param port the destination port number
   * @param protocol the protocol; defaults to TCP
   */
  public isAllowed(from: string, to: string, port: number, protocol?: Protocol): boolean {
    return this.allowed({ from, to, port, protocol }).allowed;
  }

  /**
   * Evaluates every ordered pair of endpoints for one port and protocol.
   *
   * @param port the destination port number
   * @param protocol the protocol; defaults to TCP
   */
  public truthTable(port: number, protocol?: Protocol): TruthTable {
    const proto = protocol ?? Protocol.TCP;
    checkPortNumber(port);
    if (!PROTOCOLS.includes(proto)) throw new AnalysisInputError(`Unsupported protocol ${JSON.stringify(proto)}: use TCP, UDP or SCTP`);
    if (!this.engine || !this.shapeSet) {
      const ipBlocks = new Map<string, IpBlock>();
      if (this.ipBlockMatchesPodIps) {
        for (const p of this.objects.policies) {
          for (const r of [...p.ingress, ...p.egress]) {
            for (const peer of r.peers ?? []) if (peer.ipBlock) ipBlocks.set(peer.ipBlock.toString(), peer.ipBlock);
          }
        }
      }
      const networks = this.ipBlockMatchesPodIps ? clusterNetworkBlocks(this.objects.clusterPolicies) : [];
      this.shapeSet = ShapeSet.build(this.objects.endpoints, [...ipBlocks.values(), ...networks]);
      this.engine = new ReachabilityEngine(this.shapeSet, this.objects.namespaces, this.objects.policies, this.ipBlockMatchesPodIps,
        undefined, this.context.hostNetworkIsolated);
    }
    const endpoints = this.objects.endpoints;
    let reachability = this.engine.compute(port, proto);
    if (this.objects.clusterPolicies.length > 0) reachability = this.tieredReachability(reachability, port, proto);
    return new ShapeTruthTable(
      port,
      proto,
      endpoints.map(e => e.name),
      reachability,
      this.shapeSet.shapeOf,
      this.shapeSet.shapes.map(s => s.members),
      this.selfTraffic === SelfTraffic.ALLOW,
      name => {
        const index = this.byName.get(name);
        if (index === undefined) throw new AnalysisInputError(this.unknownEndpointMessage(name));
        return index;
      },
    );
  }

  /**
   * Every allowed flow, for every port of every protocol: each ordered pair of endpoints with
   * anything allowed, and exactly what (per protocol, a minimal list of port ranges; named ports
   * resolved on the destination's container ports).
   *
   * Endpoints are the pods and workloads, the external IPs of the options, and the address
   * ranges the policies' ipBlocks cut the IPv4 and IPv6 spaces into (every `cidr` and `except`
   * boundary), named `first-last`: each range is treated alike by every policy, so no sample
   * addresses are needed. Pods with a controller (`metadata.ownerReferences`; a Deployment's
   * ReplicaSet counts as the Deployment) are listed as one endpoint `namespace/owner` when no
   * policy tells them apart (or under the workload of that name, when the input has it). Flows between two external addresses are not listed, nor, under
   * `SelfTraffic.ALLOW`, an endpoint's traffic to itself.
   *
   * @param options `alignWith`: other versions whose ipBlocks also cut the address space, so that
   * the versions name the same ranges (`ConnectivityDiff.betweenModels` does this); `filter`:
   * only the flows that pass it; `maxFlows`: refuse a longer list (see `ConnectivityOptions`)
   */
  public connectivity(options: ConnectivityOptions = {}): Connectivity {
    const read = props<ConnectivityOptions>('ClusterModel.connectivity', 'options', options, ['alignWith', 'inputOnly', 'filter', 'maxFlows'], { optional: true });
    const others = read.alignWith ?? [];
    const inputOnly = optionalBoolean('ClusterModel.connectivity', 'options.inputOnly', read.inputOnly) ?? false;
    const filter = read.filter;
    const maxFlows = read.maxFlows;
    if (!Array.isArray(others) || others.some(o => !(o instanceof ClusterModel))) {
      throw new AnalysisInputError('connectivity: alignWith must be a list of ClusterModel objects');
    }
    if (maxFlows !== undefined && !(Number.isSafeInteger(maxFlows) && maxFlows >= 0)) {
      fail('ClusterModel.connectivity', 'options.maxFlows', maxFlows, 'must be a whole number of flows, 0 or more');
    }
    const aligned = others.filter(o => o !== this);
    if (aligned.length > 0 || filter !== undefined || maxFlows !== undefined) {
      const whole = aligned.length === 0 ? (inputOnly ? this.inputPorts : this.allPorts) : undefined;
      if (whole) {
        // already made whole: filter it, and refuse it above the limit as if it were made now
        const list = filter === undefined ? whole : whole.filter(filter);
        if (maxFlows !== undefined && list.connections.length > maxFlows) {
          return this.buildConnectivity([], undefined, !inputOnly, { filter, maxFlows });
        }
        return list;
      }
      return this.buildConnectivity(aligned, undefined, !inputOnly, { filter, maxFlows });
    }
    if (inputOnly) {
      if (!this.inputPorts) this.inputPorts = this.buildConnectivity([], undefined, false);
      return this.inputPorts;
    }
    if (!this.allPorts) this.allPorts = this.buildConnectivity([], undefined, true);
    return this.allPorts;
  }

  /** One port's reachability with the tiers of cluster-wide policy around the NetworkPolicies' (`networkPolicy`). */
  private tieredReachability(networkPolicy: ShapeReachability, port: number, protocol: Protocol): ShapeReachability {
    const shapes = this.shapeSet!;
    const tiers = new ShapeTiers(shapes, this.objects.clusterPolicies, this.context);
    const side = (direction: Direction, np: readonly (Bitset | undefined)[]) =>
      np.map((set, s) => tiers.reachable(direction, s, set, protocol, port));
    return new ShapeReachability(side(Direction.EGRESS, networkPolicy.egress), side(Direction.INGRESS, networkPolicy.ingress));
  }

  /** The controller group of a pod endpoint, if it has one. */
  private groupOf(e: EndpointRecord): string | undefined {
    if (e.kind !== 'Pod' || this.podGroups.size === 0) return undefined;
    const alias = e.aliases.find(a => a.startsWith(`${e.namespace}/pod/`));
    return alias === undefined ? undefined : this.podGroups.get(alias);
  }

  private buildConnectivity(
    alignWith: ClusterModel[], touching: ReadonlySet<string> | undefined, representatives: boolean,
    focus: Pick<ConnectivityOptions, 'filter' | 'maxFlows'> = {}, scope?: NamespaceScope,
  ): Connectivity {
    const result = computeConnectivity({
      endpoints: this.objects.endpoints,
      namespaces: this.objects.namespaces,
      policies: this.objects.policies,
      ipBlockMatchesPodIps: this.ipBlockMatchesPodIps,
      selfTraffic: this.selfTraffic,
      hostNetworkIsolated: this.context.hostNetworkIsolated,
      alignWith: alignWith.flatMap(o => o.objects.policies),
      touching,
      scope,
      groupOf: this.objects.endpoints.map(e => this.groupOf(e)),
      representatives,
      alignEndpoints: alignWith.map(o => o.objects.endpoints),
      filter: focus.filter,
      maxFlows: focus.maxFlows,
      clusterPolicies: this.objects.clusterPolicies,
      alignClusterPolicies: alignWith.flatMap(o => o.objects.clusterPolicies),
    });
    return Connectivity._fromSorted([...result.endpoints], result.connections, result.attribute);
  }

  /**
   * What tells this model's namespaces apart for connectivity: per namespace, a fingerprint of
   * its labels, its policies and its endpoints. A flow depends only on its two ends and the
   * policies and labels of their namespaces, so flows between namespaces with equal
   * fingerprints in two versions are equal.
   *
   * @internal
   */
  public _namespaceFingerprints(): Map<string, string> {
    const parts = new Map<string, string[]>();
    const add = (ns: string, text: string) => {
      const list = parts.get(ns);
      if (list) list.push(text);
      else parts.set(ns, [text]);
    };
    for (const [ns, labels] of this.objects.namespaces) add(ns, `namespace ${JSON.stringify(Object.entries(labels).sort())}`);
    for (const p of this.objects.policies) {
      const rules = (list: readonly PolicyRule[]) => list.map(r => `${r.peers?.map(x => x.text).join(' OR ') ?? '*'} : ${r.ports?.map(x => x.text).join(',') ?? '*'}`).join('; ');
      add(p.namespace, `policy ${p.id} ${p.podSelector.key} ${p.isolatesIngress} ${p.isolatesEgress} in ${rules(p.ingress)} out ${rules(p.egress)}`);
    }
    if (this.objects.clusterPolicies.length > 0) {
      // cluster-wide policies may touch every namespace: a change to them changes every fingerprint
      const cluster = `cluster ${this._clusterPoliciesFingerprint()}`;
      for (const ns of this.objects.namespaces.keys()) add(ns, cluster);
    }
    // pods of one controller are listed as one endpoint only when no ipBlock tells them apart:
    // with pod IPs, any ipBlock of the cluster may rename the endpoints of such a namespace
    const blocks = this.ipBlockMatchesPodIps
      ? JSON.stringify([...policyIpBlocks(this.objects.policies), ...clusterNetworkBlocks(this.objects.clusterPolicies)].map(String).sort())
      : '';
    const renamed = new Set<string>();
    for (const e of this.objects.endpoints) {
      if (e.namespace === undefined) continue;
      const group = this.groupOf(e);
      add(e.namespace, `endpoint ${JSON.stringify([e.name, e.kind, Object.entries(e.labels).sort(), e.ports, e.ips, group, e.hostNetwork === true])}`);
      if (blocks !== '' && group !== undefined && e.addresses.length > 0 && !renamed.has(e.namespace)) {
        renamed.add(e.namespace);
        add(e.namespace, `ipBlocks ${blocks}`);
      }
    }
    const out = new Map<string, string>();
    for (const [ns, list] of parts) out.set(ns, list.join('\n'));
    return out;
  }

  /**
   * Whether the models read the same options and external IPs (so their flows compare).
   *
   * @internal
   */
  public _sameSettings(other: ClusterModel): boolean {
    const externals = (m: ClusterModel) => m.objects.endpoints.filter(e => e.external).map(e => e.name).join(',');
    return this.ipBlockMatchesPodIps === other.ipBlockMatchesPodIps && this.selfTraffic === other.selfTraffic
      && this.hostNetworkPods === other.hostNetworkPods && externals(this) === externals(other);
  }

  /**
   * The flows with at least one end in the given namespaces, address ranges aligned with the
   * other models.
   *
   * @internal
   */
  public _connectivityTouching(
    namespaces: ReadonlySet<string>, alignWith: ClusterModel[], inputOnly: boolean = false, maxFlows?: number, scope?: NamespaceScope,
  ): Connectivity {
    return this.buildConnectivity(alignWith, namespaces, !inputOnly, { maxFlows }, scope);
  }

  /**
   * What `diffScope` reads of this model, or `undefined` when it has cluster-wide policies
   * (which may select any namespace: the scope is then every namespace).
   *
   * @internal
   */
  public _scopeVersion(): ScopeVersion | undefined {
    if (this.objects.clusterPolicies.length > 0) return undefined;
    const addresses = new Map<string, IpAddress[]>();
    for (const e of this.objects.endpoints) {
      if (e.namespace === undefined || e.addresses.length === 0) continue;
      const list = addresses.get(e.namespace);
      if (list) list.push(...e.addresses);
      else addresses.set(e.namespace, [...e.addresses]);
    }
    return { namespaces: this.objects.namespaces, policiesByNamespace: this.context.policiesByNamespace, addresses };
  }

  /**
   * The cluster-wide policies, as text: equal in two versions when they mean the same.
   *
   * @internal
   */
  public _clusterPoliciesFingerprint(): string {
    return JSON.stringify(this.objects.clusterPolicies.map(p => [p.id, p.tier, p.priority, p.subject, p.ingress, p.egress]));
  }

  /**
   * The pods listed under their controller by `connectivity()` (`namespace/owner`): endpoint name to group name.
   *
   * @internal
   */
  public _podGroups(): Map<string, string> {
    const out = new Map<string, string>();
    for (const e of this.objects.endpoints) {
      const group = this.groupOf(e);
      if (group !== undefined) out.set(e.name, group);
    }
    return out;
  }

  /**
   * This model with more NetworkPolicies (plain objects, read and checked as `fromObjects` reads
   * them; nothing else may be among them), with the same endpoints, namespaces and options.
   *
   * @internal
   */
  public _withPolicies(objects: readonly any[]): ClusterModel {
    const read = readClusterObjects(objects, this.defaultNamespace, [], this.fieldValidation);
    if (read.endpoints.length > 0 || read.services.length > 0 || read.clusterPolicies.length > 0 || read.declaredNamespaces.size > 0) {
      throw new AnalysisInputError('_withPolicies: only NetworkPolicy objects can be added to a model');
    }
    const ids = new Set(this.objects.policies.map(p => p.id));
    const policies = [...this.objects.policies];
    for (const p of read.policies) {
      if (ids.has(p.id)) throw new AnalysisInputError(`NetworkPolicy ${p.id} is defined more than once`);
      policies.push(p);
    }
    policies.sort((a, b) => compareStrings(a.id, b.id));
    const options: AnalysisOptions = {
      ipBlockMatchesPodIps: this.ipBlockMatchesPodIps,
      selfTraffic: this.selfTraffic,
      defaultNamespace: this.defaultNamespace,
      hostNetworkPods: this.hostNetworkPods,
      fieldValidation: this.fieldValidation,
    };
    return new ClusterModel([], options, { objects: { ...this.objects, policies }, podGroups: this.podGroups });
  }

  /** The first endpoint with each address (`<family> <address>`), indexed on first use. */
  private endpointsByAddress(): Map<string, number> {
    if (!this.byAddress) {
      this.byAddress = new Map();
      this.objects.endpoints.forEach((e, i) => {
        for (const a of e.addresses) {
          const key = addressKey(a);
          if (!this.byAddress!.has(key)) this.byAddress!.set(key, i);
        }
      });
    }
    return this.byAddress;
  }

  /** An endpoint by name, or by IP address (a pod with that IP, or an external endpoint). */
  private resolve(name: string, field: string): EndpointRecord {
    if (typeof name !== 'string' || name === '') throw new AnalysisInputError(`${field}: Required value: an endpoint name (namespace/name) or an IP address`);
    const endpoints = this.objects.endpoints;
    const index = this.byName.get(name) ?? (name.includes('/') ? undefined : this.byName.get(`${this.defaultNamespace}/${name}`));
    if (index !== undefined) return endpoints[index];
    if (isRepresentativeName(name)) {
      const known = this.representatives.get(name);
      if (known) return known.record;
      try {
        const rep = parseRepresentative(name, this.objects.namespaces, this.objects.policies, this.objects.clusterPolicies);
        if (rep) {
          const record = representativeRecord(rep);
          this.representatives.set(name, { record, namespace: rep.namespace, namespaceLabels: rep.namespaceLabels });
          this.representatives.set(rep.name, { record, namespace: rep.namespace, namespaceLabels: rep.namespaceLabels });
          return record;
        }
      } catch (err) {
        if (err instanceof SelectorSyntaxError) throw new AnalysisInputError(`${field}: ${err.message}`);
        throw err;
      }
    }
    const address = parseIpAddress(name);
    if (address) {
      const pod = this.endpointsByAddress().get(addressKey(address));
      if (pod !== undefined) return endpoints[pod];
      return { name, kind: 'External', labels: {}, ports: [], ips: [name], external: true, addresses: [address], aliases: [name] };
    }
    throw new AnalysisInputError(`${field}: ${this.unknownEndpointMessage(name)}`);
  }

  /** The evaluation context, with the namespaces of representative ends the input lacks. */
  private contextFor(...ends: EndpointRecord[]): EvaluationContext {
    const missing = ends.filter(e => e.kind === REPRESENTATIVE_KIND && !this.objects.namespaces.has(e.namespace!));
    if (missing.length === 0) return this.context;
    const namespaces = new Map<string, Labels>();
    for (const e of missing) namespaces.set(e.namespace!, this.representatives.get(e.name)!.namespaceLabels);
    const base = this.objects.namespaces;
    // the input's namespaces and the representatives' (never the same keys), without copying the input's
    const lookup: ReadonlyMap<string, Labels> = {
      get: (k: string) => namespaces.get(k) ?? base.get(k),
      has: (k: string) => namespaces.has(k) || base.has(k),
    } as ReadonlyMap<string, Labels>;
    return { ...this.context, namespaces: lookup };
  }

  private unknownEndpointMessage(name: string): string {
    const known = this.objects.endpoints.map(e => e.name);
    const shown = known.slice(0, 20).join(', ') + (known.length > 20 ? `, ... (${known.length - 20} more)` : '');
    return `unknown endpoint ${JSON.stringify(name)}: not a pod, a workload or an IP address` +
      (known.length > 0 ? `; known endpoints: ${shown}` : '; the input has no pods or workloads');
  }

  private resolvePort(query: TrafficQuery, destination: EndpointRecord, protocol: Protocol): number {
    if (query.portName === undefined) {
      if (query.port === undefined) throw new AnalysisInputError('port: Required value: give a port number or a portName');
      checkPortNumber(query.port);
      return query.port;
    }
    if (destination.external) {
      throw new AnalysisInputError(`portName: Invalid value: ${JSON.stringify(query.portName)}: a named port can only be resolved on a pod, and ${destination.name} is an external address`);
    }
    if (destination.kind === REPRESENTATIVE_KIND) {
      throw new AnalysisInputError(`portName: Invalid value: ${JSON.stringify(query.portName)}: ${destination.name} is a representative endpoint, whose container ports are unknown: give a port number`);
    }
    const match = destination.ports.find(p => p.name === query.portName && p.protocol === protocol);
    if (!match) {
      const named = destination.ports.filter(p => p.name !== undefined).map(p => `${p.name} (${p.protocol}/${p.port})`);
      throw new AnalysisInputError(`portName: Invalid value: ${JSON.stringify(query.portName)}: ${destination.name} has no ${protocol} container port of that name` +
        (named.length > 0 ? `; its named ports: ${named.join(', ')}` : '; it has no named ports'));
    }
    if (query.port !== undefined && query.port !== match.port) {
      throw new AnalysisInputError(`port: Invalid value: ${query.port}: portName ${JSON.stringify(query.portName)} is port ${match.port} on ${destination.name}`);
    }
    return match.port;
  }
}

/** A copy of an endpoint record without the internal fields. */
function toEndpoint(e: EndpointRecord): Endpoint {
  return {
    name: e.name,
    kind: e.kind,
    namespace: e.namespace,
    labels: { ...e.labels },
    ports: e.ports.map(p => ({ ...p })),
    ips: [...e.ips],
    external: e.external,
    ...(e.hostNetwork === true ? { hostNetwork: true } : {}),
  };
}

function checkPortNumber(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new AnalysisInputError(`port: Invalid value: ${JSON.stringify(port)}: must be between 1 and 65535, inclusive`);
  }
}

/** The keys of `AnalysisOptions`. */
const ANALYSIS_OPTION_KEYS = ['ipBlockMatchesPodIps', 'selfTraffic', 'defaultNamespace', 'externalIps', 'hostNetworkPods', 'fieldValidation'] as const;

/** Checks analysis options as a caller without TypeScript may pass them: known keys and types, `null` never a default. */
function checkOptions(where: string, options: AnalysisOptions | undefined): AnalysisOptions {
  const o = props<AnalysisOptions>(where, 'options', options, ANALYSIS_OPTION_KEYS, { optional: true });
  optionalBoolean(where, 'options.ipBlockMatchesPodIps', o.ipBlockMatchesPodIps);
  if (o.selfTraffic !== undefined) enumValue(where, 'options.selfTraffic', o.selfTraffic, Object.values(SelfTraffic), 'SelfTraffic');
  optionalNamespaceName(where, 'options.defaultNamespace', o.defaultNamespace);
  if (o.externalIps !== undefined) strings(where, 'options.externalIps', o.externalIps, 'IP addresses (strings)');
  if (o.hostNetworkPods !== undefined) enumValue(where, 'options.hostNetworkPods', o.hostNetworkPods, Object.values(HostNetworkPods), 'HostNetworkPods');
  if (o.fieldValidation !== undefined) enumValue(where, 'options.fieldValidation', o.fieldValidation, Object.values(FieldValidation), 'FieldValidation');
  return o;
}
