import { DnsTargets, LintContext, ProtocolPort, ResolvedLintOptions } from './lint-context';
import { ClusterIndex, OverlayMap } from '../../analysis/cluster-index';
import { ClusterModel } from '../../analysis/cluster-model';
import { WorkloadView } from '../../analysis/cluster-queries';
import { EndpointRecord, readClusterObjects } from '../../analysis/object-reader';
import { EvaluationContext, evaluateDirection } from '../../analysis/policy-eval';
import { Direction } from '../../direction';
import { labelValue } from '../../model/selector';
import { Protocol } from '../../port';

/** The name of the DNS pod assumed when the input has none. */
const ASSUMED_DNS_POD = 'netpol-lint-assumed-kube-dns';

/**
 * The `LintContext`: the analysis's `ClusterIndex` of the input, the settled options, and where
 * cluster DNS is (the input's DNS pods, or one assumed where the options say).
 */
export class AnalysedModel extends ClusterIndex implements LintContext {
  /**
   * Analyses the objects.
   *
   * @throws AnalysisInputError for objects the engine cannot evaluate
   */
  public static build(manifests: readonly any[], options: ResolvedLintOptions): AnalysedModel {
    return new AnalysedModel(manifests, options);
  }

  private readonly dnsReach = new Map<string, boolean>();
  private dns?: DnsTargets;
  private dnsModel?: ClusterModel;
  private assumedDns?: { record: EndpointRecord; evaluation: EvaluationContext } | null;

  private constructor(manifests: readonly any[], public readonly options: ResolvedLintOptions) {
    super(manifests, options);
  }

  public dnsTargets(): DnsTargets {
    if (!this.dns) {
      const { dnsNamespace, dnsPodLabels, dnsAddresses } = this.options;
      if (dnsNamespace === undefined || dnsPodLabels === undefined) {
        this.dns = { workloads: [], pods: false, assumed: false, text: '', addresses: dnsAddresses };
      } else {
        const workloads = this.workloadsIn(dnsNamespace)
          .filter(w => Object.entries(dnsPodLabels).every(([k, v]) => labelValue(w.labels, k) === v));
        const labels = Object.entries(dnsPodLabels).map(([k, v]) => `${k}=${v}`).join(',');
        this.dns = { workloads, pods: true, assumed: workloads.length === 0, text: `${dnsNamespace} pods labelled ${labels}`, addresses: dnsAddresses };
      }
    }
    return this.dns;
  }

  public reachesDns(from: WorkloadView, port: ProtocolPort, address?: string): boolean {
    if (address !== undefined) return this.egressAllowedBy(from, address, port.port, port.protocol).length > 0;
    const targets = this.dnsTargets();
    // a DNS pod is not asked about itself, so it is not cached for the other pods of its shape
    if (targets.workloads.some(t => t.name === from.name)) return this.computeReachesDns(from, port);
    const key = `${port.protocol}/${port.port}\u0000${this.shapeKey(from)}`;
    let reaches = this.dnsReach.get(key);
    if (reaches === undefined) {
      reaches = this.computeReachesDns(from, port);
      this.dnsReach.set(key, reaches);
    }
    return reaches;
  }

  private computeReachesDns(from: WorkloadView, { port, protocol }: ProtocolPort): boolean {
    const targets = this.dnsTargets();
    if (!targets.pods) return false;
    const source = this.record(from);
    if (!targets.assumed) {
      return targets.workloads.some(t => t.name !== from.name && allows(source, this.record(t), port, protocol, this.evaluation));
    }
    const assumed = this.assumedDnsPod();
    if (assumed) return allows(source, assumed.record, port, protocol, assumed.evaluation);
    if (!this.dnsModel) {
      this.dnsModel = ClusterModel.fromObjects([...this.manifests, assumedDnsManifest(this.options)], {
        defaultNamespace: this.options.defaultNamespace,
        ipBlockMatchesPodIps: this.options.ipBlockMatchesPodIps,
        hostNetworkPods: this.options.hostNetworkPods,
      });
    }
    // `namespace/kind/name` names an endpoint whatever else shares its name
    const to = `${this.options.dnsNamespace}/pod/${ASSUMED_DNS_POD}`;
    return this.dnsModel.allowed({ from: from.name, to, port, protocol }).allowed;
  }

  /**
   * The assumed DNS pod and the context that knows its namespace: what a `ClusterModel` of the
   * input plus that pod would evaluate. `null` when an object of the input has the pod's name
   * (the two would then be named apart, and that model is asked instead).
   */
  private assumedDnsPod(): { record: EndpointRecord; evaluation: EvaluationContext } | null {
    if (this.assumedDns === undefined) {
      const { defaultNamespace } = this.options;
      const dnsNamespace = this.options.dnsNamespace!;
      const clash = this.objects.endpoints.some(e => e.namespace === dnsNamespace && e.aliases.some(a => a.endsWith(`/${ASSUMED_DNS_POD}`)));
      if (clash) {
        this.assumedDns = null;
      } else {
        const read = readClusterObjects([assumedDnsManifest(this.options)], defaultNamespace, []);
        const namespaces = this.objects.namespaces.has(dnsNamespace) ? this.objects.namespaces
          : new OverlayMap(this.objects.namespaces, dnsNamespace, read.namespaces.get(dnsNamespace)!);
        this.assumedDns = { record: read.endpoints[0], evaluation: { ...this.evaluation, namespaces } };
      }
    }
    return this.assumedDns;
  }

}

/**
 * Whether the source may open the connection to the destination (two different endpoints): what
 * `ClusterModel.allowed()` decides, both directions, without the explanation.
 */
function allows(source: EndpointRecord, destination: EndpointRecord, port: number, protocol: Protocol, evaluation: EvaluationContext): boolean {
  return evaluateDirection(Direction.EGRESS, source, destination, port, protocol, evaluation).allowed
    && evaluateDirection(Direction.INGRESS, destination, source, port, protocol, evaluation).allowed;
}

/** The DNS pod assumed when the input has none. */
function assumedDnsManifest(options: ResolvedLintOptions): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: ASSUMED_DNS_POD, namespace: options.dnsNamespace, labels: { ...options.dnsPodLabels } },
    spec: {
      containers: [{
        name: 'coredns',
        // CoreDNS's port names (OpenShift's dns-default uses them too): the first UDP and TCP port
        ports: options.dnsPorts.map((p, i) => {
          const first = options.dnsPorts.findIndex(q => q.protocol === p.protocol) === i;
          const name = first && p.protocol === 'UDP' ? 'dns' : first && p.protocol === 'TCP' ? 'dns-tcp' : undefined;
          return { ...(name ? { name } : {}), containerPort: p.port, protocol: p.protocol };
        }),
      }],
    },
  };
}

