import { AnalysisInputError } from '../analysis/analysis-input-error';
import { parseIp } from '../net/cidr';
import { Protocol } from '../port';
import { ProbeClient } from './connect-outcome';
import { imageReferenceProblems } from './image-reference';
import { Probe, ProbeKind } from './probe';
import { DEFAULT_AGNHOST_IMAGE, DEFAULT_BUSYBOX_IMAGE, PROBE_ID_LABEL, PROBE_LABEL, PROBE_RUN_LABEL, probeJobName, sampleRank } from './probe-names';
import { ProbePlan } from './probe-plan';
import { fail, isPlainObject, props } from '../private/runtime-check';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from '../validation/private/names';

/**
 * How probe manifests are rendered.
 */
export interface ProbeManifestOptions {
  /**
   * The connect program.
   *
   * @default ProbeClient.AGNHOST
   */
  readonly client?: ProbeClient;
  /**
   * The image that provides it.
   *
   * @default - `DEFAULT_AGNHOST_IMAGE` for agnhost, `DEFAULT_BUSYBOX_IMAGE` for BusyBox
   */
  readonly image?: string;
  /**
   * How long one connection attempt may take before it counts as blocked, in seconds.
   *
   * @default 5
   */
  readonly timeoutSeconds?: number;
  /**
   * A short id (lowercase alphanumerics, at most 12) that names this run's objects
   * (`netpol-probe-<runId>-<probe id>`) and labels them (`netpol.cdk8s.io/probe-run`).
   *
   * @default - derived from the plan: the same plan gives the same names
   */
  readonly runId?: string;
  /**
   * The address to connect to for destinations that no Service selects on the probed port,
   * by destination endpoint name (`shop/backend`): a pod IP. `netpol probe run` looks them up.
   *
   * @default - none: such probes are left out (see `ProbeManifests.unaddressed`)
   */
  readonly addresses?: { [endpoint: string]: string };
  /**
   * Addresses of Services, by `namespace/name`, to connect to instead of the Service's DNS
   * name (which needs DNS egress from the source). `netpol probe run` uses the cluster IPs.
   *
   * @default - the Service's DNS name, `<name>.<namespace>.svc`
   */
  readonly serviceAddresses?: { [service: string]: string };
  /**
   * How long a finished probe Job (and its pod) stays before Kubernetes deletes it.
   *
   * @default 600
   */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * How long a probe Job may run before the Job controller stops it (the Job's
   * `activeDeadlineSeconds`), in seconds: at least `timeoutSeconds` + 1. `netpol probe run`
   * derives it from its `--deadline`, so that the Jobs outlive the run's wait and the run reads
   * why a probe did not finish instead of finding its pod gone.
   *
   * @default - `timeoutSeconds` + 120
   */
  readonly activeDeadlineSeconds?: number;
}

/** The keys of `ProbeManifestOptions`. */
export const PROBE_MANIFEST_OPTION_KEYS = ['client', 'image', 'timeoutSeconds', 'runId', 'addresses', 'serviceAddresses', 'ttlSecondsAfterFinished', 'activeDeadlineSeconds'] as const;

/**
 * The Kubernetes objects that run a probe plan in a cluster: one Job per probe, in the source's
 * namespace, plus the probe Namespace when a probe runs there.
 *
 * Each Job runs one pod that carries the source workload's pod labels (so the policies select it
 * exactly like the workload's pods) plus `netpol.cdk8s.io/probe: "true"` and the probe's id, and
 * connects once to the destination: through the Service that selects it on that port when there
 * is one (its DNS name, or the address given in `serviceAddresses`), else to the address given in
 * `addresses`. The pods are Jobs' pods, so no ReplicaSet or DaemonSet whose selector matches the
 * workload's labels can adopt them; they never become Ready (a readiness probe that always fails),
 * so no Service ever sends them traffic; they run as a non-root user with no privileges and no
 * service-account token (they pass the `restricted` Pod Security Standard); a Job retries nothing
 * (`backoffLimit: 0`), gives up after its deadline, and is deleted `ttlSecondsAfterFinished` after
 * it ends. No NetworkPolicy is added or changed.
 *
 * The result is read back from the pod: its container's exit code and termination message (the
 * tail of its output, `terminationMessagePolicy: FallbackToLogsOnError`), classified by
 * `ConnectClassifier`.
 *
 * @example
 * const plan = ProbePlan.fromChart(chart);
 * const manifests = ProbeManifests.render(plan, { addresses: { 'shop/backend': '10.0.1.7' } });
 * console.log(manifests.objects.length, manifests.unaddressed);
 */
export class ProbeManifests {
  /** The agnhost image of the upstream end-to-end tests, the default image. */
  public static readonly DEFAULT_AGNHOST_IMAGE = DEFAULT_AGNHOST_IMAGE;
  /** The BusyBox image used with `ProbeClient.BUSYBOX` by default. */
  public static readonly DEFAULT_BUSYBOX_IMAGE = DEFAULT_BUSYBOX_IMAGE;
  /** The label every probe object carries, with the value `"true"`. */
  public static readonly PROBE_LABEL = PROBE_LABEL;
  /** The label that ties a probe Job and its pod to one probe of the plan (its id). */
  public static readonly PROBE_ID_LABEL = PROBE_ID_LABEL;
  /** The label that ties every object of one run together (the run id). */
  public static readonly PROBE_RUN_LABEL = PROBE_RUN_LABEL;

  /**
   * Renders the objects for a plan.
   *
   * @throws if an option is invalid, or BusyBox is asked to probe UDP or SCTP
   */
  public static render(plan: ProbePlan, options: ProbeManifestOptions = {}): ProbeManifests {
    if (!(plan instanceof ProbePlan)) fail('ProbeManifests.render', 'plan', plan, 'must be a ProbePlan (ProbePlan.fromObjects(), fromChart() or fromApp())');
    return new ProbeManifests(plan, props<ProbeManifestOptions>('ProbeManifests.render', 'options', options, PROBE_MANIFEST_OPTION_KEYS, { optional: true }));
  }

  /** The objects, ready for `kubectl apply`: the probe Namespace (if used) first, then one Job per probe in plan order. */
  public readonly objects: any[];
  /** The ids of the probes left out because their destination has no Service on the port and no address was given. */
  public readonly unaddressed: string[];
  /** The run id the objects are named and labelled with. */
  public readonly runId: string;

  private constructor(plan: ProbePlan, options: ProbeManifestOptions) {
    const client = options.client ?? ProbeClient.AGNHOST;
    if (client !== ProbeClient.AGNHOST && client !== ProbeClient.BUSYBOX) {
      throw new AnalysisInputError(`client: Unsupported value: ${JSON.stringify(client)}: supported values: "AGNHOST", "BUSYBOX"`);
    }
    const image = options.image ?? (client === ProbeClient.AGNHOST ? DEFAULT_AGNHOST_IMAGE : DEFAULT_BUSYBOX_IMAGE);
    const imageProblems = typeof image === 'string' ? imageReferenceProblems(image) : ['must be a string'];
    if (imageProblems.length > 0) {
      throw new AnalysisInputError(`image: Invalid value: ${JSON.stringify(image)}: ${imageProblems.join('; ')}`);
    }
    const timeout = wholeNumber('timeoutSeconds', options.timeoutSeconds ?? 5, 1, 300);
    const ttl = wholeNumber('ttlSecondsAfterFinished', options.ttlSecondsAfterFinished ?? 600, 0, 2147483647);
    const activeDeadline = wholeNumber('activeDeadlineSeconds', options.activeDeadlineSeconds ?? timeout + 120, timeout + 1, 2147483647);
    const runId = options.runId ?? defaultRunId(plan);
    if (typeof runId !== 'string' || !/^[a-z0-9]{1,12}$/.test(runId)) {
      throw new AnalysisInputError(`runId: Invalid value: ${JSON.stringify(runId)}: must be 1 to 12 lowercase letters or digits`);
    }
    const addresses = checkAddressMap('addresses', options.addresses, isDns1123Subdomain);
    const serviceAddresses = checkAddressMap('serviceAddresses', options.serviceAddresses, isDns1035Label);
    this.runId = runId;

    const jobs: any[] = [];
    const unaddressed: string[] = [];
    for (const probe of plan.probes) {
      if (client === ProbeClient.BUSYBOX && probe.protocol !== Protocol.TCP) {
        throw new AnalysisInputError(`client: Invalid value: "BUSYBOX": probe ${probe.id} (${probe.description}) is ${probe.protocol}, and the BusyBox client probes TCP only: use the agnhost client`);
      }
      const target = targetOf(probe, addresses, serviceAddresses);
      if (!target) {
        unaddressed.push(probe.id);
        continue;
      }
      jobs.push(jobFor(probe, target, { client, image, timeout, ttl, runId, activeDeadline }));
    }
    const namespace = plan.probes.some(p => p.kind === ProbeKind.OTHER_NAMESPACE && !unaddressed.includes(p.id))
      ? [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: plan.probeNamespace, labels: { ...plan.probeNamespaceLabels, [PROBE_RUN_LABEL]: runId } } }]
      : [];
    this.objects = [...namespace, ...jobs];
    this.unaddressed = unaddressed;
  }
}

/** Where a probe connects: host (DNS name or IP) and port. */
function targetOf(probe: Probe, addresses: Map<string, string>, serviceAddresses: Map<string, string>): { host: string; port: number } | undefined {
  if (probe.destinationNamespace === undefined) return { host: probe.to, port: probe.port };
  const s = probe.service;
  if (s) {
    const key = `${s.namespace}/${s.name}`;
    const given = s.headless ? addresses.get(probe.to) : serviceAddresses.get(key);
    return { host: given ?? `${s.name}.${s.namespace}.svc`, port: s.port };
  }
  const ip = addresses.get(probe.to);
  return ip === undefined ? undefined : { host: ip, port: probe.port };
}

interface JobSettings { client: ProbeClient; image: string; timeout: number; ttl: number; runId: string; activeDeadline: number }

function jobFor(probe: Probe, target: { host: string; port: number }, s: JobSettings): any {
  const name = probeJobName(s.runId, probe.id);
  const probeLabels = { [PROBE_LABEL]: 'true', [PROBE_ID_LABEL]: probe.id, [PROBE_RUN_LABEL]: s.runId };
  const hostPort = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  const command = s.client === ProbeClient.AGNHOST
    ? ['/agnhost', 'connect', hostPort, `--timeout=${s.timeout}s`, `--protocol=${probe.protocol.toLowerCase()}`]
    : ['nc', '-vv', '-z', '-w', String(s.timeout), target.host, String(target.port)];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: probe.sourceNamespace,
      labels: probeLabels,
      annotations: {
        'netpol.cdk8s.io/probe-description': `${probe.description}: expected ${probe.expectAllowed ? 'allowed' : 'denied'}`,
      },
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: s.activeDeadline,
      ttlSecondsAfterFinished: s.ttl,
      template: {
        metadata: { labels: { ...probe.sourceLabels, ...probeLabels } },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 1,
          securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'probe',
            image: s.image,
            command,
            // Never Ready: no Service ever routes traffic meant for the workload to a probe pod.
            readinessProbe: { exec: { command: ['/bin/false'] }, periodSeconds: 1, failureThreshold: 1 },
            terminationMessagePolicy: 'FallbackToLogsOnError',
            resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              runAsNonRoot: true,
              capabilities: { drop: ['ALL'] },
            },
          }],
        },
      },
    },
  };
}

function defaultRunId(plan: ProbePlan): string {
  return sampleRank(JSON.stringify(plan.toJson())).slice(0, 7);
}

function wholeNumber(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new AnalysisInputError(`${field}: Invalid value: ${JSON.stringify(value)}: must be a whole number between ${min} and ${max}`);
  }
  return value;
}

/** The kinds an endpoint name can carry (`namespace/kind/name`, see `Endpoint.name`). */
const ENDPOINT_KINDS = new Set(['pod', 'deployment', 'statefulset', 'daemonset', 'replicaset', 'replicationcontroller', 'job', 'cronjob']);

/** A map of `namespace/name` to IP addresses, read once into a Map; every key and address checked. */
function checkAddressMap(field: string, value: unknown, nameCheck: (name: string) => string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (value === undefined) return out;
  if (!isPlainObject(value)) {
    throw new AnalysisInputError(`${field}: Invalid value: ${JSON.stringify(value)}: must map names to IP addresses`);
  }
  for (const [key, ip] of Object.entries(value)) {
    // `namespace/name`, or `namespace/kind/name` for an endpoint whose name another kind shares
    const parts = key.split('/');
    const keyProblems = parts.length !== 2 && (parts.length !== 3 || !ENDPOINT_KINDS.has(parts[1])) ? ['must be <namespace>/<name> (or <namespace>/<kind>/<name>)']
      : [...isDns1123Label(parts[0]).map(p => `namespace ${p}`), ...nameCheck(parts[parts.length - 1]).map(p => `name ${p}`)];
    if (keyProblems.length > 0) throw new AnalysisInputError(`${field}: Invalid key: ${JSON.stringify(key)}: ${keyProblems.join('; ')}`);
    const parsed = typeof ip === 'string' ? parseIp(ip, true) : 'must be a string';
    if (typeof parsed === 'string') throw new AnalysisInputError(`${field}[${JSON.stringify(key)}]: Invalid value: ${JSON.stringify(ip)}: ${parsed}`);
    out.set(key, ip as string);
  }
  return out;
}
