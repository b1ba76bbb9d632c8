import { spawn } from 'child_process';
import { randomInt } from 'crypto';
import { AnalysisInputError } from '../analysis/analysis-input-error';
import { Protocol } from '../port';
import { ConnectClassifier, ProbeClient, ProbeObservation } from './connect-outcome';
import { Probe } from './probe';
import { PROBE_MANIFEST_OPTION_KEYS, ProbeManifestOptions, ProbeManifests } from './probe-manifests';
import { PROBE_ATTEMPT_LABEL, PROBE_ID_LABEL, PROBE_LABEL, PROBE_RUN_LABEL } from './probe-names';
import { ProbePlan } from './probe-plan';

/** What one command printed and how it ended. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kubectl` with these arguments (and this standard input). The runner's only way to the cluster. */
export type CommandExecutor = (args: string[], stdin?: string) => Promise<CommandResult>;

/**
 * The executor that runs the user's `kubectl` (found on the PATH unless a path is given), with
 * `--context` when one is given. It never throws: a kubectl that cannot be started is a result
 * with code 127 and the reason on stderr.
 */
export function kubectlExecutor(options: { kubectl?: string; context?: string } = {}): CommandExecutor {
  const program = options.kubectl ?? 'kubectl';
  const prefix = options.context ? ['--context', options.context] : [];
  return (args, stdin) => new Promise<CommandResult>(resolve => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const done = (r: CommandResult) => { if (!settled) { settled = true; resolve(r); } };
    // env given explicitly: the PATH lookup then uses this process's current PATH
    const child = spawn(program, [...prefix, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    child.on('error', err => done({ code: 127, stdout, stderr: `could not run ${program}: ${err.message}` }));
    child.on('close', code => done({ code: code ?? 1, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? '');
  });
}

/** What the runner does besides rendering the manifests. */
export interface ProbeRunOptions extends ProbeManifestOptions {
  /** How to call kubectl. */
  readonly executor: CommandExecutor;
  /** How often to read the probe pods, in milliseconds. @default 2000 */
  readonly pollIntervalMs?: number;
  /** How long to wait for all probes, in seconds, before the rest count as could-not-run. @default 180 */
  readonly deadlineSeconds?: number;
  /**
   * How many times a probe that disagrees is run (each time in a fresh pod) before the
   * disagreement counts: policies are programmed asynchronously. @default 2
   */
  readonly attempts?: number;
  /** Aborting it stops the run; the runner then deletes what it applied. @default - never aborted */
  readonly signal?: AbortSignal;
  /** Progress lines (what is applied, waited for, deleted). @default - none */
  readonly log?: (line: string) => void;
}

/** The observed result of one probe. */
export interface ProbeResult {
  readonly probe: Probe;
  readonly observation: ProbeObservation;
  /** Why, in words. */
  readonly detail: string;
  /** Whether the observation agrees with the offline verdict; undefined when the probe could not run. */
  readonly agrees?: boolean;
}

/** The outcome of `runProbes`. */
export interface ProbeRun {
  readonly runId: string;
  /** One result per probe of the plan, in plan order. */
  readonly results: ProbeResult[];
  /** Whether the run was interrupted (its objects were still deleted). */
  readonly interrupted: boolean;
  /** Problems with kubectl itself (apply or delete failures). */
  readonly errors: string[];
}

const CANNOT_START = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/**
 * Runs a plan in the cluster kubectl points at: looks up the addresses the probes need (Service
 * cluster IPs, else the IP of a running pod of the destination), applies the probe Jobs, reads
 * their pods until each has a result or the deadline passes, and deletes everything it applied,
 * also when it fails or is interrupted.
 */
export async function runProbes(plan: ProbePlan, options: ProbeRunOptions): Promise<ProbeRun> {
  const kubectl = options.executor;
  const log = options.log ?? (() => undefined);
  const client = options.client ?? ProbeClient.AGNHOST;
  const runId = options.runId ?? randomRunId();
  const results = new Map<string, ProbeResult>();
  const errors: string[] = [];
  const aborted = () => options.signal?.aborted === true;
  const attempts = options.attempts ?? 2;
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 1 || attempts > 5) {
    throw new AnalysisInputError(`attempts: Invalid value: ${JSON.stringify(attempts)}: must be a whole number between 1 and 5`);
  }

  // 1. Addresses.
  const { addresses, serviceAddresses, missing } = await lookUpAddresses(plan, kubectl, errors);
  for (const [id, why] of missing) {
    const probe = plan.probes.find(p => p.id === id)!;
    results.set(id, { probe, observation: ProbeObservation.COULD_NOT_RUN, detail: why });
  }
  // the run's options include its own (context, deadline, ...): only the manifest options go on
  const given = PROBE_MANIFEST_OPTION_KEYS.filter(k => (options as any)[k] !== undefined);
  const manifestOptions = Object.fromEntries(given.map(k => [k, (options as any)[k]]));
  const rendered = ProbeManifests.render(plan, {
    ...manifestOptions,
    runId,
    addresses: { ...options.addresses, ...addresses },
    serviceAddresses: { ...options.serviceAddresses, ...serviceAddresses },
  });
  // The probe namespace is created and deleted only if it does not exist yet (or is a leftover of
  // an earlier run): never someone else's namespace, whose labels the plan did not model.
  for (const ns of rendered.objects.filter(o => o.kind === 'Namespace')) {
    const problem = await probeNamespaceProblem(ns.metadata.name, kubectl);
    if (problem === undefined) continue;
    for (const probe of plan.probes.filter(p => p.sourceNamespace === ns.metadata.name && !results.has(p.id))) {
      results.set(probe.id, { probe, observation: ProbeObservation.COULD_NOT_RUN, detail: problem });
    }
  }
  // Probes already known not to run (no pod to connect to, no namespace to run in) are not applied.
  const jobs = rendered.objects.filter(o => o.kind === 'Job' && !results.has(o.metadata.labels[PROBE_ID_LABEL]));
  const manifests = {
    unaddressed: rendered.unaddressed,
    objects: [...rendered.objects.filter(o => o.kind === 'Namespace' && jobs.some(j => j.metadata.namespace === o.metadata.name)), ...jobs],
  };
  for (const id of manifests.unaddressed) {
    if (!results.has(id)) {
      const probe = plan.probes.find(p => p.id === id)!;
      results.set(id, { probe, observation: ProbeObservation.COULD_NOT_RUN, detail: `no address for ${probe.to}` });
    }
  }

  // 2. Apply, 3. wait, 4. retry what disagrees, 5. delete whatever happens.
  const applied: AppliedObject[] = [];
  let interrupted = aborted();
  try {
    let round = manifests.objects;
    for (let attempt = 1; attempt <= attempts && !aborted(); attempt++) {
      const roundJobs = round.filter(o => o.kind === 'Job').map(o => withAttempt(o, attempt));
      if (roundJobs.length === 0) break;
      const objects = [...round.filter(o => o.kind === 'Namespace'), ...roundJobs];
      const roundResults = await runRound(plan, objects, attempt, runId, client, options, applied, errors, log);
      for (const [id, r] of roundResults) results.set(id, attempt > 1 ? { ...r, detail: `${r.detail} (attempt ${attempt} of ${attempts})` } : r);
      const again = new Set([...roundResults.values()].filter(r => r.agrees === false).map(r => r.probe.id));
      if (again.size === 0 || attempt === attempts || aborted()) break;
      // Policies are programmed asynchronously: a disagreement is confirmed with a fresh pod.
      log(`${again.size} probes disagree; running them again (attempt ${attempt + 1} of ${attempts})`);
      await sleep(options.pollIntervalMs ?? 2000, options.signal);
      round = manifests.objects.filter(o => o.kind === 'Job' && again.has(o.metadata.labels[PROBE_ID_LABEL]));
    }
  } catch (err) {
    errors.push(err instanceof Error ? err.message : String(err));
  } finally {
    await deleteApplied(applied, kubectl, log, errors);
  }
  interrupted = interrupted || aborted();
  const ordered = plan.probes.map(p => results.get(p.id)
    ?? { probe: p, observation: ProbeObservation.COULD_NOT_RUN, detail: interrupted ? 'interrupted before the probe ran' : 'not run: see the errors' });
  return { runId, results: ordered, interrupted, errors };
}

/** A copy of a probe Job for an attempt: named `<name>-a<attempt>` from the second one on, its pod labelled with the attempt. */
function withAttempt(job: any, attempt: number): any {
  const template = job.spec.template;
  const labels = { ...template.metadata.labels, [PROBE_ATTEMPT_LABEL]: String(attempt) };
  return {
    ...job,
    metadata: { ...job.metadata, name: attempt === 1 ? job.metadata.name : `${job.metadata.name}-a${attempt}` },
    spec: { ...job.spec, template: { ...template, metadata: { ...template.metadata, labels } } },
  };
}

/** Applies one attempt's objects (recording them in `applied` first), and reads its probe pods until each has a result or the deadline passes. */
async function runRound(
  plan: ProbePlan, objects: any[], attempt: number, runId: string, client: ProbeClient, options: ProbeRunOptions,
  applied: AppliedObject[], errors: string[], log: (line: string) => void,
): Promise<Map<string, ProbeResult>> {
  const kubectl = options.executor;
  const results = new Map<string, ProbeResult>();
  applied.push(...objects.map(o => ({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name })));
  const jobsByProbe = new Map<string, string>(objects.filter(o => o.kind === 'Job').map(o => [o.metadata.labels[PROBE_ID_LABEL], o.metadata.name]));
  log(`applying ${objects.length} objects (run ${runId}, attempt ${attempt})`);
  const apply = await kubectl(['apply', '-f', '-', '-o', 'name'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  if (apply.code !== 0) throw new Error(`kubectl apply failed (exit code ${apply.code}): ${apply.stderr.trim() || apply.stdout.trim()}`);
  const deadline = Date.now() + (options.deadlineSeconds ?? 180) * 1000;
  const pending = () => [...jobsByProbe.keys()].filter(id => !results.has(id));
  let lastSeen = new Map<string, string>();
  // One query per namespace the probes run in: namespace-scoped permissions are enough.
  const namespaces = [...new Set(objects.filter(o => o.kind === 'Job').map(o => o.metadata.namespace as string))].sort();
  const selector = `${PROBE_RUN_LABEL}=${runId},${PROBE_ATTEMPT_LABEL}=${attempt}`;
  while (pending().length > 0 && options.signal?.aborted !== true) {
    lastSeen = new Map();
    for (const namespace of namespaces) {
      const pods = await kubectl(['get', 'pods', '--namespace', namespace, '-l', selector, '-o', 'json']);
      if (pods.code === 0) {
        for (const [id, state] of readPods(pods.stdout, namespace, plan, client, results, new Set(jobsByProbe.keys()))) lastSeen.set(id, state);
      } else {
        errors.push(`kubectl get pods --namespace ${namespace} failed (exit code ${pods.code}): ${pods.stderr.trim()}`);
      }
    }
    if (pending().length === 0 || Date.now() >= deadline) break;
    log(`waiting for ${pending().length} probes`);
    await sleep(options.pollIntervalMs ?? 2000, options.signal);
  }
  const interrupted = options.signal?.aborted === true;
  for (const id of pending()) {
    const probe = plan.probes.find(p => p.id === id)!;
    const state = lastSeen.get(id);
    const detail = interrupted ? 'interrupted before the probe finished'
      : state ? `did not finish before the deadline (pod ${state})`
        : `no pod was created for Job ${jobsByProbe.get(id)} before the deadline (quota, admission, Pod Security?): `
          + `kubectl describe job -n ${probe.sourceNamespace} ${jobsByProbe.get(id)}`;
    results.set(id, { probe, observation: ProbeObservation.COULD_NOT_RUN, detail });
  }
  return results;
}

/** Deletes what was applied: Jobs by namespace (their pods go with them), then the probe Namespace. */
interface AppliedObject { readonly kind: string; readonly namespace?: string; readonly name: string }

async function deleteApplied(applied: AppliedObject[], kubectl: CommandExecutor, log: (l: string) => void, errors: string[]): Promise<void> {
  if (applied.length === 0) return;
  const byNamespace = new Map<string, string[]>();
  for (const o of applied.filter(a => a.kind === 'Job')) {
    byNamespace.set(o.namespace!, [...(byNamespace.get(o.namespace!) ?? []), o.name]);
  }
  log(`deleting ${applied.length} objects`);
  for (const [namespace, names] of [...byNamespace.entries()].sort()) {
    const r = await kubectl(['delete', 'job', '--namespace', namespace, '--ignore-not-found', '--wait=false', '--cascade=background', ...names]);
    if (r.code !== 0) errors.push(`kubectl delete job in ${namespace} failed (exit code ${r.code}): ${r.stderr.trim()}; delete them with: kubectl delete job -n ${namespace} -l ${PROBE_LABEL}=true`);
  }
  for (const o of applied.filter(a => a.kind === 'Namespace')) {
    const r = await kubectl(['delete', 'namespace', o.name, '--ignore-not-found', '--wait=false']);
    if (r.code !== 0) errors.push(`kubectl delete namespace ${o.name} failed (exit code ${r.code}): ${r.stderr.trim()}`);
  }
}

/** Reads the probe pods into results; returns a short state of each pod still running. */
function readPods(
  json: string, namespace: string, plan: ProbePlan, client: ProbeClient, results: Map<string, ProbeResult>, expected: Set<string>,
): Map<string, string> {
  const states = new Map<string, string>();
  let items: any[] = [];
  try {
    const parsed = JSON.parse(json);
    items = Array.isArray(parsed?.items) ? parsed.items : [];
  } catch {
    return states;
  }
  for (const pod of items) {
    const id = pod?.metadata?.labels?.[PROBE_ID_LABEL];
    const probe = plan.probes.find(p => p.id === id);
    if (!probe || probe.sourceNamespace !== namespace || !expected.has(probe.id) || results.has(probe.id)) continue;
    const status = (pod.status?.containerStatuses ?? []).find((c: any) => c?.name === 'probe') ?? pod.status?.containerStatuses?.[0];
    const terminated = status?.state?.terminated;
    const waiting = status?.state?.waiting;
    if (terminated && Number.isInteger(terminated.exitCode)) {
      const c = ConnectClassifier.classify(client, probe.protocol, terminated.exitCode, String(terminated.message ?? ''));
      results.set(probe.id, withAgreement(probe, c.observation, c.detail));
    } else if (waiting && CANNOT_START.has(waiting.reason)) {
      results.set(probe.id, withAgreement(probe, ProbeObservation.COULD_NOT_RUN, `the probe container could not start: ${waiting.reason}${waiting.message ? ` (${String(waiting.message).slice(0, 200)})` : ''}`));
    } else if (pod.status?.phase === 'Failed' && pod.status?.reason) {
      results.set(probe.id, withAgreement(probe, ProbeObservation.COULD_NOT_RUN, `the probe pod failed: ${pod.status.reason}${pod.status.message ? ` (${pod.status.message})` : ''}`));
    } else {
      const unschedulable = (pod.status?.conditions ?? []).find((c: any) => c?.type === 'PodScheduled' && c?.status === 'False');
      states.set(probe.id, unschedulable ? `unschedulable: ${unschedulable.message ?? unschedulable.reason}` : waiting?.reason ?? pod.status?.phase ?? 'unknown');
    }
  }
  return states;
}

function withAgreement(probe: Probe, observation: ProbeObservation, detail: string): ProbeResult {
  if (observation === ProbeObservation.COULD_NOT_RUN) return { probe, observation, detail };
  if (observation === ProbeObservation.BLOCKED && probe.protocol === Protocol.UDP && probe.expectAllowed) {
    // No answer from a UDP port the policies open: dropped, or a server that does not answer the probe's datagram.
    return { probe, observation, detail: `${detail}: inconclusive for an allowed UDP flow unless the destination answers` };
  }
  const reached = observation === ProbeObservation.REACHED || observation === ProbeObservation.REACHED_REFUSED;
  return { probe, observation, detail, agrees: reached === probe.expectAllowed };
}

/** Why the probe namespace cannot be used, or undefined when it does not exist or carries the probe label. */
async function probeNamespaceProblem(name: string, kubectl: CommandExecutor): Promise<string | undefined> {
  const r = await kubectl(['get', 'namespace', name, '-o', 'json']);
  if (r.code !== 0) {
    return /NotFound|not found/i.test(r.stderr) ? undefined
      : `cannot tell whether namespace ${name} exists (kubectl get namespace: ${r.stderr.trim() || `exit code ${r.code}`}), so it is neither created nor deleted`;
  }
  let labels: any;
  try { labels = JSON.parse(r.stdout)?.metadata?.labels; } catch { labels = undefined; }
  return labels?.[PROBE_LABEL] === 'true' ? undefined
    : `namespace ${name} already exists and was not created by netpol probe: choose another --probe-namespace`;
}

/** Service cluster IPs and destination pod IPs, looked up once per Service and per namespace. */
async function lookUpAddresses(plan: ProbePlan, kubectl: CommandExecutor, errors: string[]):
Promise<{ addresses: Record<string, string>; serviceAddresses: Record<string, string>; missing: Map<string, string> }> {
  const addresses: Record<string, string> = {};
  const serviceAddresses: Record<string, string> = {};
  const missing = new Map<string, string>();
  const podsByNamespace = new Map<string, any[] | undefined>();
  const clusterIps = new Map<string, string | undefined>();
  for (const probe of plan.probes) {
    if (probe.destinationNamespace === undefined) continue;
    const s = probe.service;
    if (s && !s.headless) {
      const key = `${s.namespace}/${s.name}`;
      if (!clusterIps.has(key)) {
        const r = await kubectl(['get', 'service', s.name, '--namespace', s.namespace, '-o', 'json']);
        let ip: string | undefined;
        try {
          const parsed = r.code === 0 ? JSON.parse(r.stdout) : undefined;
          ip = typeof parsed?.spec?.clusterIP === 'string' && parsed.spec.clusterIP !== 'None' && parsed.spec.clusterIP !== '' ? parsed.spec.clusterIP : undefined;
        } catch { ip = undefined; }
        if (r.code !== 0) errors.push(`kubectl get service ${key} failed (exit code ${r.code}): ${r.stderr.trim()}`);
        clusterIps.set(key, ip);
      }
      const ip = clusterIps.get(key);
      // Without a cluster IP (not deployed yet?) the probe falls back to the Service's DNS name.
      if (ip) serviceAddresses[key] = ip;
      continue;
    }
    if (addresses[probe.to] !== undefined) continue;
    const ns = probe.destinationNamespace;
    if (!podsByNamespace.has(ns)) {
      const r = await kubectl(['get', 'pods', '--namespace', ns, '-o', 'json']);
      let items: any[] | undefined;
      try { items = r.code === 0 ? JSON.parse(r.stdout)?.items : undefined; } catch { items = undefined; }
      if (r.code !== 0) errors.push(`kubectl get pods --namespace ${ns} failed (exit code ${r.code}): ${r.stderr.trim()}`);
      podsByNamespace.set(ns, Array.isArray(items) ? items : undefined);
    }
    const pods = podsByNamespace.get(ns) ?? [];
    const labels = probe.destinationLabels ?? {};
    const candidates = pods
      .filter(p => p?.metadata?.labels?.[PROBE_LABEL] === undefined && p?.metadata?.deletionTimestamp === undefined)
      .filter(p => p?.status?.phase === 'Running' && typeof p?.status?.podIP === 'string' && p.status.podIP !== '')
      .filter(p => Object.entries(labels).every(([k, v]) => p.metadata?.labels?.[k] === v))
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    if (candidates.length > 0) addresses[probe.to] = candidates[0].status.podIP;
    else missing.set(probe.id, `no running pod of ${probe.to} in the cluster to connect to`);
  }
  // A probe whose destination got an address through another probe is not missing.
  for (const [id] of [...missing]) {
    const probe = plan.probes.find(p => p.id === id)!;
    if (!probe.service && addresses[probe.to] !== undefined) missing.delete(id);
  }
  return { addresses, serviceAddresses, missing };
}

/** A fresh run id: 9 lowercase base-36 characters from the clock and a random part. */
function randomRunId(): string {
  return Date.now().toString(36).slice(-6) + randomInt(36 ** 3).toString(36).padStart(3, '0');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); resolve(); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
