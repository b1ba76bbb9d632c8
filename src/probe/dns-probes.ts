import { ClusterModel, Endpoint, EndpointPort } from '../analysis';
import { AnalysisInputError } from '../analysis/analysis-input-error';
import { ClusterProfile } from '../cluster-profile';
import { Protocol } from '../port';

/** The name of the DNS pod a plan assumes when the input has none where the profile says DNS runs. */
export const ASSUMED_DNS_PROBE_POD = 'netpol-probe-dns';

/**
 * Where the probe plan sends its DNS probes: the cluster profile's DNS pods (those of the input,
 * else one assumed pod with the profile's labels, which a live run finds by those labels) and
 * its DNS addresses, each on the profile's DNS ports.
 */
export class DnsProbeTargets {
  /**
   * The targets for a profile and the input's workloads.
   *
   * @throws AnalysisInputError when an object of the input has the assumed DNS pod's name
   */
  public static of(profile: ClusterProfile, base: ClusterModel, workloads: readonly Endpoint[]): DnsProbeTargets {
    const namespace = profile.dnsNamespace;
    const labels = profile.dnsPodLabels;
    const ports: EndpointPort[] = profile.dnsPorts.map(p => ({ port: p.number!, protocol: p.protocol ?? Protocol.TCP }));
    const objects: any[] = [];
    let podNames: string[] = [];
    if (namespace !== undefined && labels !== undefined) {
      const found = workloads.filter(w => w.namespace === namespace && Object.entries(labels).every(([k, v]) => w.labels[k] === v));
      if (found.length > 0) {
        podNames = [found.map(w => w.name).sort()[0]];
      } else {
        const name = `${namespace}/${ASSUMED_DNS_PROBE_POD}`;
        if (base.findEndpoint(name)) {
          throw new AnalysisInputError(`the input has an object named ${name}, the name the probe plan gives the DNS pod it assumes there: rename it`);
        }
        objects.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: ASSUMED_DNS_PROBE_POD, namespace, labels: { ...labels } },
          spec: { containers: [{ name: 'dns', ports: ports.map(p => ({ containerPort: p.port, protocol: p.protocol })) }] },
        });
        podNames = [name];
      }
    }
    return new DnsProbeTargets(podNames, [...profile.dnsAddresses], ports, objects);
  }

  private constructor(
    private readonly podNames: readonly string[],
    private readonly addresses: readonly string[],
    /** The DNS ports. */
    public readonly ports: readonly EndpointPort[],
    /** The objects to add to the model (the assumed DNS pod, if any). */
    public readonly objects: readonly any[],
  ) {}

  /** Whether the endpoint is one of the DNS pods. */
  public isTarget(endpoint: Endpoint): boolean {
    return this.podNames.includes(endpoint.name);
  }

  /** The targets, as the model names them: the DNS pod, then each address. */
  public endpoints(model: ClusterModel): Endpoint[] {
    return [
      ...this.podNames.map(n => model.findEndpoint(n)!),
      ...this.addresses.map((a): Endpoint => ({ name: a, kind: 'External', labels: {}, ports: [], ips: [a], external: true })),
    ];
  }
}
