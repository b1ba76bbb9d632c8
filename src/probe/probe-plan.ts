import { App, Chart } from 'cdk8s';
import { AnalysisOptions, ClusterModel, DirectionVerdict, Endpoint, EndpointPort, HostNetworkPods, TruthTable, Verdict } from '../analysis';
import { DnsProbeTargets } from './dns-probes';
import { Probe, ProbeKind } from './probe';
import { OUTSIDER_PROBE_POD, PROBE_LABEL, REPRESENTATIVE_PROBE_POD, sampleRank, UNLABELLED_PROBE_POD } from './probe-names';
import { findService, readServices, selects, ServiceRecord } from './service-index';
import { AnalysisInputError } from '../analysis/analysis-input-error';
import { REPRESENTATIVE_KIND } from '../analysis/representative';
import { ClusterProfile } from '../cluster-profile';
import { CLOUD_METADATA_ADDRESSES, MAX_PORT, MIN_PORT, NAMESPACE_NAME_LABEL } from '../constants';
import { markdownCell } from '../io/output-escape';
import { parseIp } from '../net/cidr';
import { Protocol } from '../port';
import { appArg, appCharts, optionalBoolean, props } from '../private/runtime-check';
import { isDns1123Label } from '../validation/private/names';

/**
 * What goes into a probe plan.
 */
export interface ProbePlanOptions {
  /**
   * How the objects are read and the policies evaluated.
   *
   * @default - the `ClusterModel` defaults
   */
  readonly analysis?: AnalysisOptions;
  /**
   * The most allowed flows to probe. When the policies allow more, a deterministic sample of
   * this many is probed: the flows whose key (`from -> to PROTOCOL/port`) has the smallest
   * SHA-256 hash; the others are listed in `omittedFlows`. 0 probes no allowed flow.
   *
   * @default 50
   */
  readonly maxFlows?: number;
  /**
   * The namespace the `OTHER_NAMESPACE` probes run in: one that no workload of the input uses,
   * created for the run (with only its name label and the probe label) and deleted after it.
   *
   * @default 'netpol-probe'
   */
  readonly probeNamespace?: string;
  /**
   * The instance-metadata addresses the `METADATA` probes connect to (on `metadataPort`).
   *
   * @default - the first IPv4 address of `BlockMetadata.CLOUD_METADATA_CIDRS` (169.254.169.254)
   */
  readonly metadataAddresses?: string[];
  /**
   * The TCP port of the `METADATA` probes.
   *
   * @default 80
   */
  readonly metadataPort?: number;
  /**
   * Only probes whose source and destination namespaces (the probe namespace aside) are all in
   * this list.
   *
   * @default - every namespace
   */
  readonly namespaces?: string[];
  /**
   * The cluster the plan is for. With a profile, the plan also probes DNS (`DNS` probes) from
   * each egress-isolated workload to the profile's DNS pods and addresses on its DNS ports,
   * and the default metadata address is the profile's first IPv4 one.
   *
   * @default - no DNS probes; the metadata probes of ClusterProfile.GENERIC
   */
  readonly profile?: ClusterProfile;
  /**
   * Also probe the flows the policies allow from representative endpoints (pods the input does
   * not contain, such as `ingress-nginx/{app=controller}`) to the workloads: see `ProbePlan`.
   * `false` probes only the input's own workloads (and skips the all-ports evaluation that finds
   * the representatives).
   *
   * @default true
   */
  readonly representatives?: boolean;
}

/** One allowed flow and its key. */
interface Flow {
  readonly key: string;
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: EndpointPort;
  /** For a flow from a representative source: the representative and its probe pod's namespace. */
  readonly representative?: RepresentativeSource;
}

/** A representative endpoint as a probe source: a pod with its labels, in a namespace that matches it. */
interface RepresentativeSource {
  /** The representative endpoint, e.g. `ingress-nginx/{app=controller}`. */
  readonly endpoint: Endpoint;
  /** The probe pod's namespace. */
  readonly namespace: string;
  /** The labels the runner creates that namespace with; `undefined` when the input has it. */
  readonly namespaceLabels?: { [key: string]: string };
  /** The probe pod's name (`namespace/pod`) in the model the probes are evaluated with. */
  readonly pod: string;
}

/** The model's truth tables, one per port and protocol, computed on first use, read by endpoint name. */
class TableCache {
  private readonly tables = new Map<string, TruthTable>();
  private index?: Map<string, number>;
  public constructor(private readonly model: ClusterModel) {}

  /** Whether the model allows `from` to reach `to` on the port (`ClusterModel.isAllowed`, from the port's truth table). */
  public allowed(from: string, to: string, port: EndpointPort): boolean {
    const key = `${port.protocol}/${port.port}`;
    let table = this.tables.get(key);
    if (!table) {
      table = this.model.truthTable(port.port, port.protocol);
      this.tables.set(key, table);
    }
    if (!this.index) this.index = new Map(table.endpoints.map((name, i) => [name, i]));
    return table.isAllowedAt(this.index.get(from)!, this.index.get(to)!);
  }
}

/** The keys of `ProbePlanOptions`. */
const PROBE_PLAN_OPTION_KEYS = ['analysis', 'maxFlows', 'probeNamespace', 'metadataAddresses', 'metadataPort', 'namespaces', 'profile', 'representatives'] as const;

/**
 * The connections to try in a live cluster to check that it enforces what the policies say,
 * each with the offline verdict of a `ClusterModel` and its explanation.
 *
 * - Every flow the policies allow from one workload (or pod) to another, on each container port
 *   the destination declares, up to `maxFlows` (a deterministic sample beyond that). A workload
 *   to itself is left out: which pod of it answers is not known, and implementations differ on
 *   traffic from a pod to itself.
 * - For each workload isolated for ingress, on its first declared port: a connection from a pod
 *   in another namespace (the probe namespace), one from a pod without the workloads' labels in
 *   its own namespace, and one from a source it accepts on some port to a declared port (else the
 *   next port number) that is not opened to that source.
 * - For each workload isolated for egress: a connection to each cloud metadata address and,
 *   with a cluster `profile`, a DNS query to each of its DNS targets on each DNS port.
 * - Unless `representatives` is `false`: every flow the policies allow from a representative endpoint (a pod the input does not
 *   contain, e.g. `ingress-nginx/{app=controller}`; `*\/*` aside) to a workload, on each container
 *   port the destination declares, counted with the allowed flows: the probe pod carries the
 *   representative's labels, in its namespace when the input has it or names it (a named
 *   namespace the cluster lacks is created by the run, and deleted; one it has is used as it is),
 *   else in a namespace `<probeNamespace>-r<n>` the run creates, and deletes, with the labels its
 *   selector requires.
 *
 * The sources that are not workloads of the input (the pod in the probe namespace and the
 * unlabelled pods) are evaluated as pods carrying only the probe label `netpol.cdk8s.io/probe`;
 * the other sources as the workload itself. The probe pods also carry the probe id and run
 * labels (`netpol.cdk8s.io/probe-id`, `netpol.cdk8s.io/probe-run`) and the labels the Job
 * controller adds (`job-name`, `controller-uid` and their `batch.kubernetes.io/` forms): a policy
 * that selects on those keys would see them differently. A plan is deterministic: the same
 * objects and options give the same probes. With cluster-wide policies, the expectations follow
 * the tiers, a direction restricted by a cluster-wide rule alone counts as isolated, and a
 * connection whose outcome is undefined (policies of one tier at the same priority that disagree
 * on it) is not probed: there is no expectation to check.
 *
 * @example
 * const plan = ProbePlan.fromChart(chart);
 * for (const probe of plan.probes) console.log(probe.description, probe.expectAllowed);
 */
export class ProbePlan {
  /**
   * The plan for some Kubernetes objects (Namespaces, workloads and Pods, Services,
   * NetworkPolicies; other kinds are ignored).
   *
   * @throws if the objects cannot be analysed, or an option is invalid
   */
  public static fromObjects(objects: any[], options: ProbePlanOptions = {}): ProbePlan {
    if (!Array.isArray(objects)) throw new AnalysisInputError('ProbePlan.fromObjects: objects must be an array of Kubernetes objects');
    return new ProbePlan(objects, props<ProbePlanOptions>('ProbePlan', 'options', options, PROBE_PLAN_OPTION_KEYS, { optional: true }));
  }

  /** The plan for what a cdk8s chart synthesizes (this runs the chart's validations). */
  public static fromChart(chart: Chart, options: ProbePlanOptions = {}): ProbePlan {
    return ProbePlan.fromObjects(chart.toJson(), options);
  }

  /** The plan for what all the charts of a cdk8s app synthesize, together. */
  public static fromApp(app: App, options: ProbePlanOptions = {}): ProbePlan {
    appArg('ProbePlan.fromApp', 'app', app);
    return ProbePlan.fromObjects(appCharts('ProbePlan.fromApp', 'app', app).flatMap(chart => chart.toJson()), options);
  }

  /** The probes, in plan order: the allowed flows, then each isolated workload's probes. */
  public readonly probes: Probe[];
  /** How many flows the policies allow between the workloads on their declared ports (those the namespace filter keeps). */
  public readonly allowedFlowCount: number;
  /** The keys (`from -> to PROTOCOL/port`) of the allowed flows left out by `maxFlows`, sorted. */
  public readonly omittedFlows: string[];
  /** The cap on allowed flows. */
  public readonly maxFlows: number;
  /** The namespace of the `OTHER_NAMESPACE` probes. */
  public readonly probeNamespace: string;
  /** The labels the probe namespace is created with (its name label and the probe label). */
  public readonly probeNamespaceLabels: { [key: string]: string };
  /**
   * The workloads the plan does not probe, each with why (`namespace/name: why`), sorted: under
   * `HostNetworkPods.UNRESTRICTED`, hostNetwork workloads (no probe expects their traffic
   * denied, and none starts from them: a probe pod with their labels would not be in the host's
   * network namespace, so the cluster would not judge it as it judges them).
   */
  public readonly skipped: string[];

  private constructor(objects: readonly any[], options: ProbePlanOptions) {
    this.maxFlows = checkMaxFlows(options.maxFlows);
    this.probeNamespace = checkNamespaceName('probeNamespace', options.probeNamespace ?? 'netpol-probe');
    this.probeNamespaceLabels = { [NAMESPACE_NAME_LABEL]: this.probeNamespace, [PROBE_LABEL]: 'true' };
    const profile = options.profile === undefined ? undefined : ClusterProfile._from('ProbePlan', 'options.profile', options.profile);
    const metadataAddresses = checkAddresses(options.metadataAddresses
      ?? [profile ? profile.metadataAddresses.find(a => !a.includes(':')) ?? profile.metadataAddresses[0] : CLOUD_METADATA_ADDRESSES[0]]);
    const metadataPort = checkPort('metadataPort', options.metadataPort ?? 80);
    const filter = options.namespaces === undefined ? undefined : checkNamespaces(options.namespaces);

    const base = ClusterModel.fromObjects([...objects], options.analysis);
    const workloads = base.endpoints.filter(e => !e.external);
    if (workloads.some(e => e.namespace === this.probeNamespace)) {
      throw new AnalysisInputError(`probeNamespace: Invalid value: ${JSON.stringify(this.probeNamespace)}: the input has workloads in that namespace; the probe namespace must be one of its own (choose another name)`);
    }
    // The synthetic sources: a pod in the probe namespace, and a label-less pod in each namespace.
    const namespacesWithWorkloads = [...new Set(workloads.map(e => e.namespace!))].sort();
    const synthetic: any[] = [];
    if (base.namespaceLabels(this.probeNamespace) === undefined) {
      synthetic.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.probeNamespace, labels: { [PROBE_LABEL]: 'true' } } });
    }
    synthetic.push(probePod(OUTSIDER_PROBE_POD, this.probeNamespace));
    for (const ns of namespacesWithWorkloads) {
      if (base.findEndpoint(`${ns}/${UNLABELLED_PROBE_POD}`)) {
        throw new AnalysisInputError(`the input has an object named ${ns}/${UNLABELLED_PROBE_POD}, the name the probe plan gives its unlabelled pod in that namespace: rename it`);
      }
      synthetic.push(probePod(UNLABELLED_PROBE_POD, ns));
    }
    const dns = profile && DnsProbeTargets.of(profile, base, workloads);
    if (dns) synthetic.push(...dns.objects);
    // The representative sources (pods the input does not contain that the policies let reach a
    // workload, `*/*` aside: the outsider stands for it): a pod with the representative's labels,
    // in its namespace when the input has it or names it, else in a namespace the run creates with
    // the labels its selector requires.
    const representatives: RepresentativeSource[] = [];
    const withRepresentatives = optionalBoolean('ProbePlan', 'options.representatives', options.representatives) ?? true;
    // (without representatives there is nothing to look for: the all-ports evaluation is skipped)
    const exposure = withRepresentatives ? base.connectivity() : undefined;
    const reaching = new Set(exposure?.connections.filter(c => workloads.some(w => w.name === c.to)).map(c => c.from));
    for (const name of exposure?.endpoints ?? []) {
      const endpoint = name === '*/*' || !reaching.has(name) ? undefined : base.findEndpoint(name);
      if (!endpoint || endpoint.kind !== REPRESENTATIVE_KIND) continue;
      const k = representatives.length + 1;
      const inInput = base.namespaceLabels(endpoint.namespace!) !== undefined;
      const named = isDns1123Label(endpoint.namespace!).length === 0;
      const namespace = inInput || named ? endpoint.namespace! : `${this.probeNamespace}-r${k}`.slice(0, 63);
      const namespaceLabels = inInput ? undefined : { ...endpoint.namespaceLabels, [NAMESPACE_NAME_LABEL]: namespace, [PROBE_LABEL]: 'true' };
      if (namespaceLabels && !synthetic.some(o => o.kind === 'Namespace' && o.metadata.name === namespace)) {
        synthetic.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: namespaceLabels } });
      }
      const pod = `${REPRESENTATIVE_PROBE_POD}-${k}`;
      if (base.findEndpoint(`${namespace}/${pod}`)) {
        throw new AnalysisInputError(`the input has an object named ${namespace}/${pod}, the name the probe plan gives a representative source's pod: rename it`);
      }
      synthetic.push({ ...probePod(pod, namespace), metadata: { name: pod, namespace, labels: { ...endpoint.labels, [PROBE_LABEL]: 'true' } } });
      representatives.push({ endpoint, namespace, namespaceLabels, pod: `${namespace}/${pod}` });
    }
    const model = ClusterModel.fromObjects([...objects, ...synthetic], options.analysis);
    // A Service that also selects another workload's pods could send a probe to the wrong pod: pod IPs then.
    const services = readServices(model).filter(s => workloads.filter(w => selects(s, w)).length === 1);
    const inScope = (...namespaces: (string | undefined)[]) =>
      filter === undefined || namespaces.every(ns => ns === undefined || ns === this.probeNamespace || filter.has(ns));

    // 1. Allowed flows between workloads, on the destination's declared ports: one truth table
    //    per distinct port and protocol, then a verdict (with its explanation) for each probed flow.
    const tables = new TableCache(model);
    // hostNetwork workloads NetworkPolicies leave alone: nothing of theirs is expected denied
    // (the analysis already finds them not isolated), and no probe pod can stand for them
    const hostNetworkSkipped = model.hostNetworkPods === HostNetworkPods.UNRESTRICTED;
    const sources = hostNetworkSkipped ? workloads.filter(w => w.hostNetwork !== true) : workloads;
    this.skipped = workloads.filter(w => w.hostNetwork === true && hostNetworkSkipped && inScope(w.namespace)).map(w => `${w.name}: ${HOST_NETWORK_SKIPPED}`);
    const flows: Flow[] = [];
    for (const to of workloads) {
      for (const port of sortedPorts(to.ports)) {
        for (const from of sources) {
          if (from.name !== to.name && inScope(from.namespace, to.namespace) && tables.allowed(from.name, to.name, port)) {
            flows.push({ key: flowKey(from.name, to.name, port), from, to, port });
          }
        }
      }
    }
    for (const r of representatives) {
      const from = model.findEndpoint(r.pod)!;
      for (const to of workloads) {
        if (!inScope(to.namespace)) continue;
        for (const port of sortedPorts(to.ports)) {
          if (tables.allowed(r.pod, to.name, port)) flows.push({ key: flowKey(r.endpoint.name, to.name, port), from, to, port, representative: r });
        }
      }
    }
    flows.sort((a, b) => compare(a.key, b.key));
    this.allowedFlowCount = flows.length;
    let probed = flows;
    if (flows.length > this.maxFlows) {
      const ranked = [...flows].sort((a, b) => compare(sampleRank(a.key), sampleRank(b.key)) || compare(a.key, b.key));
      const chosen = new Set(ranked.slice(0, this.maxFlows).map(f => f.key));
      probed = flows.filter(f => chosen.has(f.key));
    }
    const probedKeys = new Set(probed.map(f => f.key));
    this.omittedFlows = flows.filter(f => !probedKeys.has(f.key)).map(f => f.key);

    const verdictOf = (from: Endpoint, to: Endpoint, port: EndpointPort) =>
      model.allowed({ from: from.name, to: to.name, port: port.port, protocol: port.protocol });
    const drafts: (Omit<Probe, 'id'> | undefined)[] = probed.filter(f => !f.representative)
      .map(f => draft(ProbeKind.ALLOWED_FLOW, f.from, f.to, f.port, verdictOf(f.from, f.to, f.port), services));
    // the representative sources' probes come last: the input's own keep their ids whether or not they are probed
    const representativeDrafts: (Omit<Probe, 'id'> | undefined)[] = probed.filter(f => f.representative).map(f => {
      const r = f.representative!;
      const labels = { ...r.endpoint.labels };
      const d = draft(ProbeKind.REPRESENTATIVE_SOURCE, f.from, f.to, f.port, verdictOf(f.from, f.to, f.port), services);
      return d && {
        ...d,
        from: r.endpoint.name,
        sourceLabels: labels,
        ...(r.namespaceLabels ? { sourceNamespaceLabels: { ...r.namespaceLabels } } : {}),
        description: flowKey(r.endpoint.name, f.to.name, f.port),
      };
    });

    // 2. Each isolated workload: what must (by the analysis) stay out, and the metadata endpoints.
    for (const w of [...workloads].sort((a, b) => compare(a.name, b.name))) {
      const ports = sortedPorts(w.ports);
      const first = ports[0];
      // Isolation is a property of the pod and the direction alone: one query each tells.
      const outsiderName = `${this.probeNamespace}/${OUTSIDER_PROBE_POD}`;
      const outsider = model.findEndpoint(outsiderName)!;
      const ingressIsolated = first !== undefined && restricted(verdictOf(outsider, w, first).ingress);
      if (first !== undefined && ingressIsolated && inScope(w.namespace)) {
        const unlabelled = model.findEndpoint(`${w.namespace}/${UNLABELLED_PROBE_POD}`)!;
        drafts.push(draft(ProbeKind.OTHER_NAMESPACE, outsider, w, first, verdictOf(outsider, w, first), services));
        drafts.push(draft(ProbeKind.UNLABELLED_POD, unlabelled, w, first, verdictOf(unlabelled, w, first), services));
        const unopened = this.unopenedPort(model, tables, sources, w, ports, inScope);
        if (unopened) drafts.push(draft(ProbeKind.UNOPENED_PORT, unopened.from, w, unopened.port, unopened.verdict, services));
      }
      const egressIsolated = metadataAddresses.length > 0
        && restricted(model.allowed({ from: w.name, to: metadataAddresses[0], port: metadataPort }).egress);
      if (egressIsolated && inScope(w.namespace)) {
        for (const address of metadataAddresses) {
          const verdict = model.allowed({ from: w.name, to: address, port: metadataPort, protocol: Protocol.TCP });
          const external: Endpoint = { name: address, kind: 'External', labels: {}, ports: [], ips: [address], external: true };
          drafts.push(draft(ProbeKind.METADATA, w, external, { port: metadataPort, protocol: Protocol.TCP }, verdict, services));
        }
      }
      if (dns && inScope(w.namespace) && !dns.isTarget(w)) drafts.push(...dnsDrafts(model, dns, w, services));
    }
    drafts.push(...representativeDrafts);
    // a draft is undefined where the analysis has no expectation to check (see draft)
    const kept = drafts.filter((d): d is Omit<Probe, 'id'> => d !== undefined);
    const width = String(kept.length).length < 2 ? 2 : String(kept.length).length;
    this.probes = kept.map((d, i) => ({ id: `p${String(i + 1).padStart(width, '0')}`, ...d }));
  }

  /**
   * The plan as plain JSON: the options that shaped it and the probes.
   */
  public toJson(): any {
    return {
      probeNamespace: this.probeNamespace,
      maxFlows: this.maxFlows,
      allowedFlowCount: this.allowedFlowCount,
      omittedFlows: [...this.omittedFlows],
      ...(this.skipped.length > 0 ? { skipped: [...this.skipped] } : {}),
      probes: this.probes.map(p => ({ ...p })),
    };
  }

  /**
   * The plan as readable text: one line per probe (`id kind description: expected allowed|denied`)
   * with the explanation indented below it.
   */
  public toText(): string {
    const lines = [this.summary(), ...this.skipped.map(line => `Not probed: ${line}`), ''];
    for (const p of this.probes) {
      lines.push(`${p.id}  ${describeKind(p.kind)}: ${p.description}${via(p)}: expected ${p.expectAllowed ? 'allowed' : 'denied'}`);
      for (const line of reasons(p)) lines.push(`      ${line}`);
    }
    return lines.join('\n') + '\n';
  }

  /**
   * The plan as a Markdown table (id, kind, connection, expected), for a pull request or a wiki.
   */
  public toMarkdown(): string {
    const skipped = this.skipped.map(line => `Not probed: ${markdownCell(line)}`);
    const lines = [this.summary(), ...(skipped.length > 0 ? ['', ...skipped] : []), '', '| Probe | Kind | Connection | Expected | Why |', '|---|---|---|---|---|'];
    for (const p of this.probes) {
      const why = reasons(p).join('<br>');
      lines.push(`| ${p.id} | ${describeKind(p.kind)} | ${markdownCell(p.description + via(p))} | ${p.expectAllowed ? 'allowed' : 'denied'} | ${markdownCell(why)} |`);
    }
    return lines.join('\n') + '\n';
  }

  private summary(): string {
    const allowed = this.probes.filter(p => p.expectAllowed).length;
    let text = `${this.probes.length} probes: ${allowed} expected allowed, ${this.probes.length - allowed} expected denied`;
    text += this.omittedFlows.length > 0
      ? `; ${this.allowedFlowCount} allowed flows, ${this.allowedFlowCount - this.omittedFlows.length} probed (a deterministic sample: --max-flows ${this.maxFlows})`
      : `; all ${this.allowedFlowCount} allowed flows between workloads on their declared ports probed`;
    return text + '.';
  }

  /** A source the workload accepts on one of its ports, and a port not opened to that source. */
  private unopenedPort(
    model: ClusterModel, tables: TableCache, workloads: Endpoint[], w: Endpoint, ports: EndpointPort[],
    inScope: (...ns: (string | undefined)[]) => boolean,
  ): { from: Endpoint; port: EndpointPort; verdict: Verdict } | undefined {
    for (const from of workloads) {
      if (from.name === w.name || !inScope(from.namespace)) continue;
      if (!ports.some(p => tables.allowed(from.name, w.name, p))) continue;
      const closed = ports.find(p => !tables.allowed(from.name, w.name, p));
      if (closed) {
        return { from, port: closed, verdict: model.allowed({ from: from.name, to: w.name, port: closed.port, protocol: closed.protocol }) };
      }
      // Every declared port is open to this source: the next port numbers, in order.
      for (const port of ports) {
        for (let n = port.port + 1; n <= Math.min(65535, port.port + 100); n++) {
          if (ports.some(p => p.port === n && p.protocol === port.protocol)) continue;
          const verdict = model.allowed({ from: from.name, to: w.name, port: n, protocol: port.protocol });
          if (!verdict.allowed) return { from, port: { port: n, protocol: port.protocol }, verdict };
        }
      }
    }
    return undefined;
  }
}

/** Why a hostNetwork workload is not probed under `HostNetworkPods.UNRESTRICTED`. */
const HOST_NETWORK_SKIPPED = 'a hostNetwork workload, and NetworkPolicies do not apply to hostNetwork pods in the common implementations '
  + '(HostNetworkPods.UNRESTRICTED; --host-network isolated or a profile with hostNetworkPodsIsolated for a plugin that applies them): '
  + 'no probe expects its traffic denied, and no probe starts from it, as a probe pod with its labels would not be in the host\'s '
  + 'network namespace and the cluster would judge it as it does not judge the workload';

/** The DNS probes of an egress-isolated workload: each DNS target on each DNS port. */
function dnsDrafts(model: ClusterModel, dns: DnsProbeTargets, w: Endpoint, services: ServiceRecord[]): (Omit<Probe, 'id'> | undefined)[] {
  const targets = dns.endpoints(model);
  const first = dns.ports[0];
  if (targets.length === 0 || !first) return [];
  if (!model.allowed({ from: w.name, to: targets[0].name, port: first.port, protocol: first.protocol }).egress.isolated) return [];
  return targets.flatMap(t => dns.ports.map(p =>
    draft(ProbeKind.DNS, w, t, p, model.allowed({ from: w.name, to: t.name, port: p.port, protocol: p.protocol }), services)));
}

/**
 * Whether policies restrict a direction, so that probes of what they deny are worth running:
 * NetworkPolicies isolate it, or a rule of a cluster-wide policy decided the connection asked
 * about (an Admin Deny restricts a pod no NetworkPolicy selects).
 */
function restricted(direction: DirectionVerdict): boolean {
  return direction.isolated || direction.decidedBy !== undefined;
}

/**
 * The probe of one connection, with the verdict as its expectation; `undefined` when the outcome
 * is undefined (cluster-wide policies of equal priority that disagree: the cluster may apply any
 * of them, so there is no expectation to check; lint rule NP013 reports the overlap).
 */
function draft(
  kind: ProbeKind, from: Endpoint, to: Endpoint, port: EndpointPort, verdict: Verdict, services: ServiceRecord[],
): Omit<Probe, 'id'> | undefined {
  if (verdict.egress.undefinedBetween || verdict.ingress.undefinedBetween) return undefined;
  const synthetic = kind === ProbeKind.OTHER_NAMESPACE || kind === ProbeKind.UNLABELLED_POD;
  const service = to.external ? undefined : findService(services, to, port);
  return {
    kind,
    from: from.name,
    sourceNamespace: from.namespace!,
    sourceLabels: synthetic ? {} : { ...from.labels },
    to: to.name,
    ...(to.external ? {} : { destinationNamespace: to.namespace, destinationLabels: { ...to.labels } }),
    port: port.port,
    ...(port.name !== undefined ? { portName: port.name } : {}),
    protocol: port.protocol,
    ...(service ? { service } : {}),
    expectAllowed: verdict.allowed,
    explanation: verdict.explanation,
    description: flowKey(from.name, to.name, port),
  };
}

function probePod(name: string, namespace: string): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { [PROBE_LABEL]: 'true' } }, spec: { containers: [] } };
}

function flowKey(from: string, to: string, port: EndpointPort): string {
  return `${from} -> ${to} ${port.protocol}/${port.port}`;
}

/** The explanation's one line per direction (without the per-rule details). */
function reasons(p: Probe): string[] {
  return p.explanation.split('\n').slice(1).map(l => l.trim()).filter(l => !l.startsWith('- '));
}

function via(p: Probe): string {
  if (!p.service) return '';
  return ` (via Service ${p.service.namespace}/${p.service.name}${p.service.headless ? ', headless' : ` port ${p.service.port}`})`;
}

function describeKind(kind: ProbeKind): string {
  switch (kind) {
    case ProbeKind.ALLOWED_FLOW: return 'allowed flow';
    case ProbeKind.OTHER_NAMESPACE: return 'from another namespace';
    case ProbeKind.UNLABELLED_POD: return 'from an unlabelled pod';
    case ProbeKind.UNOPENED_PORT: return 'to a port not opened';
    case ProbeKind.DNS: return 'to cluster DNS';
    default: return 'to cloud metadata';
  }
}


function sortedPorts(ports: EndpointPort[]): EndpointPort[] {
  const seen = new Set<string>();
  return [...ports]
    .sort((a, b) => a.port - b.port || compare(a.protocol, b.protocol))
    .filter(p => {
      const key = `${p.protocol}/${p.port}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkMaxFlows(value: unknown): number {
  if (value === undefined) return 50;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new AnalysisInputError(`maxFlows: Invalid value: ${JSON.stringify(value)}: must be a whole number, 0 or more`);
  }
  return value;
}

function checkPort(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_PORT || value > MAX_PORT) {
    throw new AnalysisInputError(`${field}: Invalid value: ${JSON.stringify(value)}: must be between ${MIN_PORT} and ${MAX_PORT}, inclusive`);
  }
  return value;
}

function checkNamespaceName(field: string, value: unknown): string {
  if (typeof value !== 'string' || isDns1123Label(value).length > 0) {
    throw new AnalysisInputError(`${field}: Invalid value: ${JSON.stringify(value)}: must be a namespace name (a DNS-1123 label: at most 63 lowercase alphanumerics or '-', alphanumeric at both ends)`);
  }
  return value;
}

function checkNamespaces(value: unknown): Set<string> {
  if (!Array.isArray(value) || value.length === 0) {
    throw new AnalysisInputError(`namespaces: Invalid value: ${JSON.stringify(value)}: must list at least one namespace (leave it out to probe every namespace)`);
  }
  return new Set(value.map((ns, i) => checkNamespaceName(`namespaces[${i}]`, ns)));
}

function checkAddresses(value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw new AnalysisInputError(`metadataAddresses: Invalid value: ${JSON.stringify(value)}: must be a list of IP addresses`);
  }
  return value.map((text, i) => {
    const parsed = typeof text === 'string' ? parseIp(text, true) : 'must be a string';
    if (typeof parsed === 'string') throw new AnalysisInputError(`metadataAddresses[${i}]: Invalid value: ${JSON.stringify(text)}: ${parsed}`);
    return text as string;
  });
}
