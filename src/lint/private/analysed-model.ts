import {
  DnsTargets, LintContext, NamespaceView, PeerSample, PolicyView, ResolvedLintOptions, ResourceRef, RuleView,
  SelectorView, WitnessPod, WorkloadView,
} from './lint-context';
import { AnalysisInputError } from '../../analysis/analysis-input-error';
import { ClusterModel } from '../../analysis/cluster-model';
import { parseIpAddress } from '../../analysis/ip-block';
import { ClusterObjects, EndpointRecord, readClusterObjects } from '../../analysis/object-reader';
import { EvaluationContext, peerMatches, portMatches, selectingPolicies } from '../../analysis/policy-eval';
import { ParsedPolicy, PolicyRule } from '../../analysis/policy-model';
import { Verdict } from '../../analysis/verdict';
import { Direction } from '../../policy';
import { Protocol } from '../../port';
import { NetworkPolicyValidator } from '../../validation/network-policy-validator';

/** The name of the DNS pod assumed when the input has none. */
const ASSUMED_DNS_POD = 'netpol-lint-assumed-kube-dns';

/**
 * The `LintContext` over the connectivity engine: the engine's object reader, policy parser
 * (with the API server's defaulting) and evaluator, and `ClusterModel` for whole-connection
 * verdicts. Selector matching and policy evaluation are never re-implemented here.
 */
export class AnalysedModel implements LintContext {
  /**
   * Analyses the objects.
   *
   * @throws AnalysisInputError for objects the engine cannot evaluate
   */
  public static build(manifests: readonly any[], options: ResolvedLintOptions): AnalysedModel {
    return new AnalysedModel(manifests, options);
  }

  public readonly namespaces: readonly NamespaceView[];
  public readonly hasDeclaredNamespaces: boolean;
  public readonly workloads: readonly WorkloadView[];
  public readonly policies: readonly PolicyView[];

  private readonly model: ClusterModel;
  private readonly objects: ClusterObjects;
  private readonly evaluation: EvaluationContext;
  private readonly records = new Map<string, EndpointRecord>();
  private readonly parsed = new Map<string, ParsedPolicy>();
  private readonly namespaceByName = new Map<string, NamespaceView>();
  private readonly shapeKeys = new Map<string, string>();
  private readonly externals = new Map<string, EndpointRecord>();
  private readonly witnesses = new WeakMap<WitnessPod, { record: EndpointRecord; evaluation: EvaluationContext }>();
  private byNamespace?: Map<string, WorkloadView[]>;
  private dns?: DnsTargets;
  private dnsModel?: ClusterModel;

  private constructor(private readonly manifests: readonly any[], public readonly options: ResolvedLintOptions) {
    const analysis = { defaultNamespace: options.defaultNamespace, ipBlockMatchesPodIps: options.ipBlockMatchesPodIps };
    this.objects = readClusterObjects(manifests, options.defaultNamespace, []);
    this.model = ClusterModel.fromObjects([...manifests], analysis);

    const policiesByNamespace = new Map<string, ParsedPolicy[]>();
    for (const p of this.objects.policies) policiesByNamespace.set(p.namespace, [...(policiesByNamespace.get(p.namespace) ?? []), p]);
    this.evaluation = { namespaces: this.objects.namespaces, policiesByNamespace, ipBlockMatchesPodIps: options.ipBlockMatchesPodIps };

    const declared = new Set<string>();
    const policyManifests = new Map<string, any>();
    for (const m of manifests) {
      if (m?.kind === 'Namespace' && typeof m.metadata?.name === 'string') declared.add(m.metadata.name);
      if (m?.kind === 'NetworkPolicy' && isNetworkingApi(m.apiVersion)) {
        policyManifests.set(`${m.metadata?.namespace || options.defaultNamespace}/${m.metadata?.name}`, m);
      }
    }
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
        ref: { kind: e.kind, namespace: e.namespace, name: objectName },
        text: `${e.kind} ${e.namespace}/${objectName}`,
      };
      this.records.set(e.name, e);
      return view;
    });

    this.policies = this.objects.policies.map(p => {
      this.parsed.set(p.id, p);
      const manifest = policyManifests.get(p.id) ?? {};
      return {
        id: p.id,
        namespace: p.namespace,
        name: p.name,
        ref: { kind: 'NetworkPolicy', namespace: p.namespace, name: p.name },
        podSelector: p.podSelector,
        isolatesIngress: p.isolatesIngress,
        isolatesEgress: p.isolatesEgress,
        ingress: p.ingress,
        egress: p.egress,
        annotations: stringMap(manifest.metadata?.annotations),
        manifest,
      };
    });
  }

  public namespace(name: string): NamespaceView | undefined {
    return this.namespaceByName.get(name);
  }

  public workloadsIn(namespace: string): WorkloadView[] {
    if (!this.byNamespace) {
      this.byNamespace = new Map();
      for (const w of this.workloads) this.byNamespace.set(w.namespace, [...(this.byNamespace.get(w.namespace) ?? []), w]);
    }
    return [...(this.byNamespace.get(namespace) ?? [])];
  }

  public isolatedBy(workload: WorkloadView, direction: Direction): string[] {
    return selectingPolicies(this.record(workload), direction, this.evaluation).map(p => p.id);
  }

  public selectedBy(policy: PolicyView): WorkloadView[] {
    return this.workloadsIn(policy.namespace).filter(w => policy.podSelector.matches(w.labels));
  }

  public namespacesMatching(selector: SelectorView): NamespaceView[] {
    return this.namespaces.filter(ns => selector.matches(ns.labels));
  }

  public connection(from: WorkloadView, to: WorkloadView | string, port: number, protocol: Protocol): Verdict {
    return this.model.allowed({ from: from.name, to: typeof to === 'string' ? to : to.name, port, protocol });
  }

  public dnsTargets(): DnsTargets {
    if (!this.dns) {
      const { dnsNamespace, dnsPodLabels } = this.options;
      const workloads = this.workloadsIn(dnsNamespace)
        .filter(w => Object.entries(dnsPodLabels).every(([k, v]) => w.labels[k] === v));
      const labels = Object.entries(dnsPodLabels).map(([k, v]) => `${k}=${v}`).join(',');
      this.dns = { workloads, assumed: workloads.length === 0, text: `${dnsNamespace} pods labelled ${labels}` };
    }
    return this.dns;
  }

  public reachesDns(from: WorkloadView, protocol: Protocol): boolean {
    const targets = this.dnsTargets();
    if (!targets.assumed) {
      return targets.workloads.some(t => t.name !== from.name && this.connection(from, t, 53, protocol).allowed);
    }
    if (!this.dnsModel) {
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: ASSUMED_DNS_POD, namespace: this.options.dnsNamespace, labels: { ...this.options.dnsPodLabels } },
        spec: {
          containers: [{
            name: 'coredns',
            ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }],
          }],
        },
      };
      this.dnsModel = ClusterModel.fromObjects([...this.manifests, pod], {
        defaultNamespace: this.options.defaultNamespace,
        ipBlockMatchesPodIps: this.options.ipBlockMatchesPodIps,
      });
    }
    // `namespace/kind/name` names an endpoint whatever else shares its name
    const to = `${this.options.dnsNamespace}/pod/${ASSUMED_DNS_POD}`;
    return this.dnsModel.allowed({ from: from.name, to, port: 53, protocol }).allowed;
  }

  public rulePeerMatches(policy: PolicyView, rule: RuleView, peer: PeerSample): boolean {
    const parsedRule = rule as PolicyRule;
    if (!parsedRule.peers) return true;
    const { record, evaluation } = this.peerRecord(peer);
    return parsedRule.peers.some(p => peerMatches(p, policy.namespace, record, evaluation));
  }

  public ruleAllows(policy: PolicyView, rule: RuleView, subject: WorkloadView, peer: PeerSample, port: number, protocol: Protocol): boolean {
    const parsedRule = rule as PolicyRule;
    const { record, evaluation } = this.peerRecord(peer);
    if (parsedRule.peers && !parsedRule.peers.some(p => peerMatches(p, policy.namespace, record, evaluation))) return false;
    const destination = rule.direction === Direction.INGRESS ? this.record(subject) : record;
    return !parsedRule.ports || parsedRule.ports.some(p => portMatches(p, port, protocol, destination));
  }

  public shapeKey(workload: WorkloadView): string {
    let key = this.shapeKeys.get(workload.name);
    if (key === undefined) {
      const labels = Object.keys(workload.labels).sort(compare).map(k => `${k}=${workload.labels[k]}`).join('\u0001');
      const ports = workload.ports.filter(p => p.name !== undefined).map(p => `${p.name}:${p.port}/${p.protocol}`).sort(compare).join('\u0001');
      const ips = this.options.ipBlockMatchesPodIps ? [...this.record(workload).ips].sort(compare).join('\u0001') : '';
      key = [workload.namespace, labels, ports, ips].join('\u0000');
      this.shapeKeys.set(workload.name, key);
    }
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

  public ignoredRules(policy: PolicyView): { field: string; detail: string }[] {
    return NetworkPolicyValidator.validate(policy.manifest).warnings
      .filter(w => w.code === 'IgnoredRules')
      .map(w => ({ field: w.field, detail: w.detail }));
  }

  private record(workload: WorkloadView): EndpointRecord {
    const record = this.records.get(workload.name);
    if (!record) throw new AnalysisInputError(`unknown workload ${workload.name}`);
    return record;
  }
}

/** The identity key of an object, as `kind/namespace/name` (namespace empty for a Namespace). */
export function refKey(ref: ResourceRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/** Whether a NetworkPolicy object is the Kubernetes one (not, e.g., Calico's). */
export function isNetworkingApi(apiVersion: unknown): boolean {
  return apiVersion === undefined || (typeof apiVersion === 'string' && apiVersion.startsWith('networking.k8s.io/'));
}

/** A map with one entry added or replaced, without copying the map. */
class OverlayMap<V> implements ReadonlyMap<string, V> {
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

function externalRecord(address: string): EndpointRecord {
  const parsed = parseIpAddress(address);
  if (!parsed) throw new AnalysisInputError(`not an IP address: ${address}`);
  return { name: address, kind: 'External', labels: {}, ports: [], ips: [address], external: true, addresses: [parsed], aliases: [address] };
}

function stringMap(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
