import { randomInt } from 'crypto';
import { AnalysisInputError } from '../analysis/analysis-input-error';
import { parseIp } from '../net/cidr';
import { Protocol } from '../port';
import { ConnectClassifier, ProbeClient, ProbeObservation } from './connect-outcome';
import { clusterMessage, jobWithoutPod } from './job-status';
import {
  applyStdin, deleteJobs, deleteNamespace, describeKubectl, getNamespace, getService, KubectlArgs, listJobCreateFailures, listJobs, listPods,
  namespaceArg, objectNameArg, selectorArg, serviceNameArg,
} from './kubectl-args';
import { CommandExecutor, CommandResult } from './kubectl-executor';
import { field, isObject, KubectlError, kubectlItems, kubectlObject, kubectlOutput, objects, text } from './kubectl-result';
import { Probe, ProbeKind } from './probe';
import { PROBE_MANIFEST_OPTION_KEYS, ProbeManifestOptions, ProbeManifests } from './probe-manifests';
import { PROBE_ATTEMPT_LABEL, PROBE_ID_LABEL, PROBE_LABEL, PROBE_RUN_LABEL, probeJobName } from './probe-names';
import { ProbePlan } from './probe-plan';
import { RunClock, SYSTEM_CLOCK } from './run-clock';

/**
 * How much longer than the run waits for them the probe Jobs may run (their
 * `activeDeadlineSeconds` is the run's deadline plus this), in seconds: the run always stops
 * waiting first, so it reads each Job's real state instead of finding its pod removed by the Job
 * controller; and a run killed with SIGKILL leaves Jobs that stop by themselves soon after.
 */
export const JOB_DEADLINE_MARGIN_SECONDS = 30;

/** The shortest time a kubectl call gets, in milliseconds, also when the deadline is closer. */
const MIN_CALL_MS = 1000;

/** What the runner does besides rendering the manifests. */
export interface ProbeRunOptions extends ProbeManifestOptions {
  /** How to call kubectl. */
  readonly executor: CommandExecutor;
  /** How often to read the probe pods, in milliseconds. @default 2000 */
  readonly pollIntervalMs?: number;
  /**
   * How long to wait for the probes of each attempt, in seconds, counted from the apply, before the
   * rest count as could-not-run: more than `timeoutSeconds`. The Jobs' `activeDeadlineSeconds` is
   * derived from it (plus `JOB_DEADLINE_MARGIN_SECONDS`), so it cannot be given as well.
   * @default 180
   */
  readonly deadlineSeconds?: number;
  /**
   * How many times a probe that disagrees is run (each time in a fresh pod) before the
   * disagreement counts: policies are programmed asynchronously. @default 2
   */
  readonly attempts?: number;
  /** Aborting it stops the run (and kills the kubectl call in flight); the runner then deletes what it applied. @default - never aborted */
  readonly signal?: AbortSignal;
  /** Progress lines (what is applied, waited for, deleted). @default - none */
  readonly log?: (line: string) => void;
  /** The clock of the deadline and the polls. @default SYSTEM_CLOCK */
  readonly clock?: RunClock;
}

const RUN_OPTION_KEYS = [...PROBE_MANIFEST_OPTION_KEYS, 'executor', 'pollIntervalMs', 'deadlineSeconds', 'attempts', 'signal', 'log', 'clock'] as const;

/** The observed result of one probe. */
export interface ProbeResult {
  readonly probe: Probe;
  readonly observation: ProbeObservation;
  /** Why, in words (it may quote messages from the cluster: escape it before printing). */
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
  /** Problems with kubectl itself (failed, killed or unreadable calls), each once, with how often it happened. */
  readonly errors: string[];
}

const CANNOT_START = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/** The run's options, read once and checked. */
interface RunSettings {
  readonly executor: CommandExecutor;
  readonly pollIntervalMs: number;
  readonly deadlineSeconds: number;
  readonly attempts: number;
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
  readonly clock: RunClock;
  readonly client: ProbeClient;
  readonly runId: string;
  /** The manifest options, with the derived `activeDeadlineSeconds`. */
  readonly manifest: ProbeManifestOptions;
  /** The user's addresses, by endpoint; they win over looked-up ones. */
  readonly addresses: ReadonlyMap<string, string>;
  readonly serviceAddresses: ReadonlyMap<string, string>;
}

/** What a run shares while it goes. */
interface RunContext {
  readonly settings: RunSettings;
  readonly problems: Problems;
  aborted(): boolean;
  /** Runs a kubectl call that the run's interruption stops. */
  call(args: KubectlArgs, options?: { stdin?: string; timeoutMs?: number }): Promise<CommandResult>;
}

/**
 * Problems, each kept once with a count, in the order first seen (a call that fails on every
 * poll is one line; its deadline, which shrinks as the run's nears, does not make it another).
 */
class Problems {
  private readonly seen = new Map<string, { message: string; count: number }>();
  public add(message: string): void {
    const key = message.replace(/did not finish within [0-9]+ m?s/, 'did not finish');
    const entry = this.seen.get(key);
    if (entry) entry.count++;
    else this.seen.set(key, { message, count: 1 });
  }
  public list(): string[] {
    return [...this.seen.values()].map(({ message, count }) => (count === 1 ? message : `${message} (${count} times)`));
  }
}

/**
 * Runs a plan in the cluster kubectl points at: looks up the addresses the probes need (Service
 * cluster IPs, else the IP of a running pod of the destination, unless `addresses` gives one),
 * applies the probe Jobs, reads their pods until each has a result or the deadline passes, and
 * deletes everything it applied on every path: a failure, the deadline, an interruption.
 *
 * Every value passed to kubectl is checked first (`kubectl-args.ts`); a plan holding a name
 * kubectl could read as an option is refused before anything runs.
 *
 * @throws AnalysisInputError if an option is invalid or the plan holds a name Kubernetes refuses
 */
export async function runProbes(plan: ProbePlan, options: ProbeRunOptions): Promise<ProbeRun> {
  if (!(plan instanceof ProbePlan)) throw new AnalysisInputError('runProbes: plan must be a ProbePlan (ProbePlan.fromObjects(), fromChart() or fromApp())');
  const settings = readSettings(options);
  checkPlanArguments(plan);
  // every manifest option (image, addresses, ...) checked before the first kubectl call
  const given = { addresses: mapObject(settings.addresses), serviceAddresses: mapObject(settings.serviceAddresses) };
  ProbeManifests.render(plan, { ...settings.manifest, ...given });

  const problems = new Problems();
  const signal = settings.signal;
  const ctx: RunContext = {
    settings,
    problems,
    aborted: () => signal?.aborted === true,
    call: (args, o = {}) => settings.executor(args, { ...o, ...(signal ? { signal } : {}) }),
  };
  const log = settings.log;
  const results = new Map<string, ProbeResult>();
  const couldNotRun = (probe: Probe, detail: string) => results.set(probe.id, { probe, observation: ProbeObservation.COULD_NOT_RUN, detail });

  // 1. Addresses: the user's win; the others are looked up.
  const found = await lookUpAddresses(plan, ctx);
  if (ctx.aborted()) {
    // nothing applied yet: nothing to delete
    const none = plan.probes.map(probe => ({ probe, observation: ProbeObservation.COULD_NOT_RUN, detail: 'interrupted before the probe ran' }));
    return { runId: settings.runId, results: none, interrupted: true, errors: problems.list() };
  }
  for (const [id, why] of found.missing) couldNotRun(probeById(plan, id), why);
  for (const note of found.notes.values()) log(note);
  const rendered = ProbeManifests.render(plan, {
    ...settings.manifest,
    addresses: mapObject(new Map([...found.addresses, ...settings.addresses])),
    serviceAddresses: mapObject(new Map([...found.serviceAddresses, ...settings.serviceAddresses])),
  });
  // The probe namespace is created and deleted only if it does not exist yet (or is a leftover of
  // an earlier run): never someone else's namespace, whose labels the plan did not model. The
  // namespace a representative source names (`ingress-nginx/{app=controller}`: only that
  // namespace matches a selector on its name) is used as it is when the cluster has it: its
  // probe Jobs run there and are deleted; the namespace is neither created nor deleted.
  const existing = new Set<string>();
  for (const ns of rendered.objects.filter(o => o.kind === 'Namespace')) {
    const name: string = ns.metadata.name;
    const problem = ctx.aborted() ? undefined : await probeNamespaceProblem(name, ctx);
    if (problem === undefined) continue;
    const sources = plan.probes.filter(p => p.sourceNamespace === name && !results.has(p.id));
    if (problem.exists && sources.length > 0 && sources.every(p => p.kind === ProbeKind.REPRESENTATIVE_SOURCE && p.from.startsWith(`${name}/`))) {
      existing.add(name);
      log(`namespace ${name} exists: the probes from ${[...new Set(sources.map(p => p.from))].join(', ')} run in it (it is neither created nor deleted)`);
      continue;
    }
    for (const probe of sources) couldNotRun(probe, problem.detail);
  }
  // Probes already known not to run (no pod to connect to, no namespace to run in) are not applied.
  const jobs = rendered.objects.filter(o => o.kind === 'Job' && !results.has(o.metadata.labels[PROBE_ID_LABEL]));
  const objectsToApply = [
    ...rendered.objects.filter(o => o.kind === 'Namespace' && !existing.has(o.metadata.name) && jobs.some(j => j.metadata.namespace === o.metadata.name)),
    ...jobs,
  ];
  for (const id of rendered.unaddressed) {
    if (!results.has(id)) couldNotRun(probeById(plan, id), `no address for ${probeById(plan, id).to}`);
  }

  // 2. Apply, 3. wait, 4. retry what disagrees, 5. delete whatever happens.
  const applied: AppliedObject[] = [];
  try {
    let round = objectsToApply;
    for (let attempt = 1; attempt <= settings.attempts && !ctx.aborted(); attempt++) {
      const roundJobs = round.filter(o => o.kind === 'Job').map(o => withAttempt(o, attempt));
      if (roundJobs.length === 0) break;
      const objs = [...round.filter(o => o.kind === 'Namespace'), ...roundJobs];
      const roundResults = await runRound(plan, objs, attempt, ctx, applied);
      for (const [id, r] of roundResults) results.set(id, attempt > 1 ? { ...r, detail: `${r.detail} (attempt ${attempt} of ${settings.attempts})` } : r);
      const again = new Set([...roundResults.values()].filter(r => r.agrees === false).map(r => r.probe.id));
      if (again.size === 0 || attempt === settings.attempts || ctx.aborted()) break;
      // Policies are programmed asynchronously: a disagreement is confirmed with a fresh pod.
      log(`${again.size} probes disagree; running them again (attempt ${attempt + 1} of ${settings.attempts})`);
      await settings.clock.sleep(settings.pollIntervalMs, signal);
      round = objectsToApply.filter(o => o.kind === 'Job' && again.has(o.metadata.labels[PROBE_ID_LABEL]));
    }
  } catch (err) {
    if (!(err instanceof KubectlError && err.interrupted)) problems.add(err instanceof Error ? err.message : String(err));
  } finally {
    await deleteApplied(applied, ctx);
  }
  const interrupted = ctx.aborted();
  const ordered = plan.probes.map(p => {
    const r = results.get(p.id) ?? { probe: p, observation: ProbeObservation.COULD_NOT_RUN, detail: interrupted ? 'interrupted before the probe ran' : 'not run: see the errors' };
    const note = p.service?.headless !== false ? found.notes.get(p.to) : undefined;
    return note ? { ...r, detail: `${r.detail}; ${note}` } : r;
  });
  return { runId: settings.runId, results: ordered, interrupted, errors: problems.list() };
}

function probeById(plan: ProbePlan, id: string): Probe {
  const probe = plan.probes.find(p => p.id === id);
  if (!probe) throw new Error(`no probe ${id} in the plan`);
  return probe;
}

function mapObject(map: ReadonlyMap<string, string>): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const [k, v] of map) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** The run's options, each read once, checked. */
function readSettings(options: ProbeRunOptions): RunSettings {
  if (!isObject(options) || Object.getPrototypeOf(options) !== Object.prototype && Object.getPrototypeOf(options) !== null) {
    throw new AnalysisInputError('runProbes: options must be an object');
  }
  const o = new Map<string, unknown>();
  for (const key of Object.keys(options)) {
    if (!(RUN_OPTION_KEYS as readonly string[]).includes(key)) throw new AnalysisInputError(`runProbes: options.${key}: unknown option; the options are ${RUN_OPTION_KEYS.join(', ')}`);
    o.set(key, (options as any)[key]);
  }
  const get = (k: string) => o.get(k);
  const executor = get('executor');
  if (typeof executor !== 'function') throw new AnalysisInputError('runProbes: options.executor must be a function that runs kubectl');
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const v = get(name) ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new AnalysisInputError(`${name}: Invalid value: ${JSON.stringify(v)}: must be a whole number between ${min} and ${max}`);
    }
    return v;
  };
  const attempts = whole('attempts', 2, 1, 5);
  const pollIntervalMs = whole('pollIntervalMs', 2000, 10, 60000);
  const deadlineSeconds = whole('deadlineSeconds', 180, 1, 3600);
  const timeoutSeconds = whole('timeoutSeconds', 5, 1, 300);
  if (deadlineSeconds <= timeoutSeconds) {
    throw new AnalysisInputError(`deadline: Invalid value: ${deadlineSeconds}: must be more than the connection timeout (${timeoutSeconds} s): a blocked probe reports only after the whole timeout`);
  }
  if (get('activeDeadlineSeconds') !== undefined) {
    throw new AnalysisInputError(`activeDeadlineSeconds: Invalid value: ${JSON.stringify(get('activeDeadlineSeconds'))}: the runner derives it from deadlineSeconds (${deadlineSeconds} + ${JOB_DEADLINE_MARGIN_SECONDS}); give deadlineSeconds instead`);
  }
  const signal = get('signal');
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new AnalysisInputError('runProbes: options.signal must be an AbortSignal');
  const log = get('log') ?? (() => undefined);
  if (typeof log !== 'function') throw new AnalysisInputError('runProbes: options.log must be a function');
  const clock = get('clock') ?? SYSTEM_CLOCK;
  if (!isObject(clock) || typeof clock.now !== 'function' || typeof clock.sleep !== 'function') throw new AnalysisInputError('runProbes: options.clock must have now() and sleep()');
  const runId = get('runId') ?? randomRunId();
  const client = (get('client') ?? ProbeClient.AGNHOST) as ProbeClient;
  const manifest: { [key: string]: unknown } = {};
  for (const k of PROBE_MANIFEST_OPTION_KEYS) if (o.has(k) && k !== 'addresses' && k !== 'serviceAddresses') manifest[k] = o.get(k);
  return {
    executor: executor as CommandExecutor,
    pollIntervalMs,
    deadlineSeconds,
    attempts,
    ...(signal !== undefined ? { signal: signal as AbortSignal } : {}),
    log: log as (line: string) => void,
    clock: clock as unknown as RunClock,
    client,
    runId: runId as string,
    manifest: { ...manifest, runId: runId as string, activeDeadlineSeconds: deadlineSeconds + JOB_DEADLINE_MARGIN_SECONDS },
    addresses: addressMap('addresses', get('addresses')),
    serviceAddresses: addressMap('serviceAddresses', get('serviceAddresses')),
  };
}

/** A map option read once into a Map (`ProbeManifests.render` checks its keys and addresses). */
function addressMap(name: string, value: unknown): Map<string, string> {
  if (value === undefined) return new Map();
  if (!isObject(value) || (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)) {
    throw new AnalysisInputError(`${name}: Invalid value: must map names to IP addresses`);
  }
  return new Map(Object.entries(value).map(([k, v]) => [k, v as string]));
}

/**
 * Checks every value of the plan that the run passes to kubectl, before the first call: the
 * probe pods' namespaces, the destinations' namespaces and the Services' names.
 */
function checkPlanArguments(plan: ProbePlan): void {
  namespaceArg('probeNamespace', plan.probeNamespace);
  for (const p of plan.probes) {
    const where = `probe ${JSON.stringify(p.id)} (${JSON.stringify(p.description)})`;
    const at = (f: () => void) => {
      try {
        f();
      } catch (e) {
        throw new AnalysisInputError(`${where}: ${(e as Error).message}`);
      }
    };
    if (typeof p.id !== 'string' || !/^p[0-9]{1,6}$/.test(p.id)) throw new AnalysisInputError(`${where}: id: Invalid value: ${JSON.stringify(p.id)}: must be a plan's probe id (p01, p02, ...)`);
    at(() => objectNameArg('id', probeJobName('x', p.id)));
    at(() => namespaceArg('source namespace', p.sourceNamespace));
    if (p.destinationNamespace !== undefined) at(() => namespaceArg('destination namespace', p.destinationNamespace));
    if (p.service) {
      at(() => namespaceArg('Service namespace', p.service!.namespace));
      at(() => serviceNameArg('Service name', p.service!.name));
    }
  }
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

/** The resource name `kubectl apply -o name` prints for an object (`job.batch/<name>`, `namespace/<name>`). */
function appliedName(o: any): string {
  return `${o.kind === 'Job' ? 'job.batch' : String(o.kind).toLowerCase()}/${o.metadata.name}`;
}

/**
 * Applies one attempt's objects (recording them in `applied` first), and reads its probe pods
 * until each has a result or the deadline passes; then reads why the Jobs without a pod have none.
 */
async function runRound(plan: ProbePlan, objs: any[], attempt: number, ctx: RunContext, applied: AppliedObject[]): Promise<Map<string, ProbeResult>> {
  const { settings } = ctx;
  const clock = settings.clock;
  const results = new Map<string, ProbeResult>();
  applied.push(...objs.map(o => ({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name })));
  const jobsByProbe = new Map<string, { name: string; namespace: string }>(objs.filter(o => o.kind === 'Job')
    .map(o => [o.metadata.labels[PROBE_ID_LABEL], { name: o.metadata.name, namespace: o.metadata.namespace }]));
  settings.log(`applying ${objs.length} objects (run ${settings.runId}, attempt ${attempt})`);
  // The Jobs' activeDeadlineSeconds counts from their start, after this: they outlive the wait.
  const deadlineAt = clock.now() + settings.deadlineSeconds * 1000;
  const apply = applyStdin();
  const printed = kubectlOutput(apply, await ctx.call(apply, { stdin: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }) }));
  const reported = new Set(printed.split('\n').map(l => l.trim()));
  const unreported = objs.map(appliedName).filter(n => !reported.has(n));
  if (unreported.length > 0) {
    throw new KubectlError(`${describeKubectl(apply)}: exit status 0, but it did not report applying ${unreported.slice(0, 5).join(', ')}`
      + `${unreported.length > 5 ? ` and ${unreported.length - 5} more` : ''} (it printed ${JSON.stringify(printed.slice(0, 200))})`);
  }
  const pending = () => [...jobsByProbe.keys()].filter(id => !results.has(id));
  let lastSeen = new Map<string, string>();
  // One query per namespace the probes run in: namespace-scoped permissions are enough.
  const namespaces = [...new Set([...jobsByProbe.values()].map(j => j.namespace))].sort();
  const selector = selectorArg('selector', [[PROBE_RUN_LABEL, settings.runId], [PROBE_ATTEMPT_LABEL, String(attempt)]]);
  const expected = new Set(jobsByProbe.keys());
  while (pending().length > 0 && !ctx.aborted()) {
    lastSeen = new Map();
    for (const namespace of namespaces) {
      const args = listPods(namespace, selector);
      const timeoutMs = Math.max(MIN_CALL_MS, deadlineAt - clock.now());
      try {
        const items = kubectlItems(args, await ctx.call(args, { timeoutMs }));
        for (const [id, state] of readPods(items, namespace, plan, settings.client, results, expected)) lastSeen.set(id, state);
      } catch (e) {
        if (!(e instanceof KubectlError)) throw e;
        if (e.interrupted) break;
        ctx.problems.add(e.message);
      }
    }
    if (pending().length === 0 || ctx.aborted() || clock.now() >= deadlineAt) break;
    settings.log(`waiting for ${pending().length} probes`);
    await clock.sleep(Math.min(settings.pollIntervalMs, deadlineAt - clock.now()), settings.signal);
  }
  const interrupted = ctx.aborted();
  const withoutPod = interrupted ? [] : pending().filter(id => !lastSeen.has(id));
  const causes = await jobCauses(withoutPod.map(id => jobsByProbe.get(id)!), selector, ctx);
  for (const id of pending()) {
    const probe = probeById(plan, id);
    const state = lastSeen.get(id);
    const job = jobsByProbe.get(id)!;
    const detail = interrupted ? 'interrupted before the probe finished'
      : state !== undefined ? `did not finish before the deadline (pod ${state})`
        : causes.get(job.name) ?? `no pod was created for Job ${job.name} before the deadline: kubectl describe job --namespace=${job.namespace} ${job.name}`;
    results.set(id, { probe, observation: ProbeObservation.COULD_NOT_RUN, detail });
  }
  return results;
}

/** Why each of these Jobs has no pod, from the Jobs' status and the FailedCreate events, by Job name. */
async function jobCauses(jobs: { name: string; namespace: string }[], selector: string, ctx: RunContext): Promise<Map<string, string>> {
  const causes = new Map<string, string>();
  for (const namespace of [...new Set(jobs.map(j => j.namespace))].sort()) {
    let found: Map<string, unknown>;
    let events: unknown[] = [];
    try {
      const args = listJobs(namespace, selector);
      found = new Map(kubectlItems(args, await ctx.call(args)).map(j => [text(j, 'metadata', 'name') ?? '', j]));
    } catch (e) {
      if (!(e instanceof KubectlError)) throw e;
      if (!e.interrupted) ctx.problems.add(e.message);
      continue;
    }
    try {
      const args = listJobCreateFailures(namespace);
      events = kubectlItems(args, await ctx.call(args));
    } catch (e) {
      if (!(e instanceof KubectlError)) throw e;
      if (!e.interrupted) ctx.problems.add(e.message);
    }
    for (const j of jobs.filter(x => x.namespace === namespace)) causes.set(j.name, jobWithoutPod(j.name, namespace, found.get(j.name), events));
  }
  return causes;
}

/** What was applied, to be deleted. */
interface AppliedObject { readonly kind: string; readonly namespace?: string; readonly name: string }

/**
 * Deletes what was applied: Jobs by namespace (their pods go with them), then the probe
 * Namespace. These calls are not stopped by the run's interruption (each has its own deadline);
 * one that fails is reported with the command that deletes what it left.
 */
async function deleteApplied(applied: AppliedObject[], ctx: RunContext): Promise<void> {
  if (applied.length === 0) return;
  const { executor, runId, log } = ctx.settings;
  const byNamespace = new Map<string, string[]>();
  for (const o of applied.filter(a => a.kind === 'Job')) byNamespace.set(o.namespace!, [...(byNamespace.get(o.namespace!) ?? []), o.name]);
  log(`deleting ${applied.length} objects`);
  const run = async (args: () => KubectlArgs, instead: string) => {
    try {
      const a = args();
      kubectlOutput(a, await executor(a));
    } catch (e) {
      ctx.problems.add(`${(e as Error).message}; delete what it left with: ${instead}`);
    }
  };
  for (const [namespace, names] of [...byNamespace.entries()].sort()) {
    await run(() => deleteJobs(namespace, names), `kubectl delete job --namespace=${namespace} --selector=${PROBE_RUN_LABEL}=${runId}`);
  }
  for (const o of applied.filter(a => a.kind === 'Namespace')) {
    await run(() => deleteNamespace(o.name), `kubectl delete namespace ${o.name}`);
  }
}

/** Reads the probe pods into results; returns a short state of each pod still running. */
function readPods(
  items: readonly { [key: string]: unknown }[], namespace: string, plan: ProbePlan, client: ProbeClient,
  results: Map<string, ProbeResult>, expected: Set<string>,
): Map<string, string> {
  const states = new Map<string, string>();
  for (const pod of items) {
    const id = text(pod, 'metadata', 'labels', PROBE_ID_LABEL);
    const probe = plan.probes.find(p => p.id === id);
    if (!probe || probe.sourceNamespace !== namespace || !expected.has(probe.id) || results.has(probe.id)) continue;
    const statuses = objects(pod, 'status', 'containerStatuses');
    const status = statuses.find(c => c.name === 'probe') ?? statuses[0];
    const terminated = field(status, 'state', 'terminated');
    const exitCode = field(terminated, 'exitCode');
    const waitingReason = text(status, 'state', 'waiting', 'reason');
    const waitingMessage = clusterMessage(field(status, 'state', 'waiting', 'message'));
    const phase = text(pod, 'status', 'phase');
    const podReason = text(pod, 'status', 'reason');
    if (isObject(terminated) && typeof exitCode === 'number' && Number.isInteger(exitCode)) {
      const c = ConnectClassifier.classify(client, probe.protocol, exitCode, text(terminated, 'message') ?? '');
      results.set(probe.id, withAgreement(probe, c.observation, c.detail));
    } else if (waitingReason !== undefined && CANNOT_START.has(waitingReason)) {
      results.set(probe.id, withAgreement(probe, ProbeObservation.COULD_NOT_RUN, `the probe container could not start: ${waitingReason}${waitingMessage ? ` (${waitingMessage})` : ''}`));
    } else if (phase === 'Failed' && podReason !== undefined) {
      const message = clusterMessage(field(pod, 'status', 'message'));
      results.set(probe.id, withAgreement(probe, ProbeObservation.COULD_NOT_RUN, `the probe pod failed: ${clusterMessage(podReason)}${message ? ` (${message})` : ''}`));
    } else {
      const unschedulable = objects(pod, 'status', 'conditions').find(c => c.type === 'PodScheduled' && c.status === 'False');
      states.set(probe.id, unschedulable ? `unschedulable: ${clusterMessage(unschedulable.message ?? unschedulable.reason)}` : clusterMessage(waitingReason ?? phase ?? 'unknown') || 'unknown');
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

/**
 * Why a namespace the run would create cannot be created (and deleted) by it, and whether that
 * is because it exists; undefined when it does not exist or carries the probe label.
 */
async function probeNamespaceProblem(name: string, ctx: RunContext): Promise<{ detail: string; exists: boolean } | undefined> {
  const args = getNamespace(name);
  const r = await ctx.call(args);
  if (r.failure === undefined && r.code !== 0 && /\(NotFound\)|not found/i.test(r.stderr)) return undefined;
  let labels: unknown;
  try {
    labels = field(kubectlObject(args, r), 'metadata', 'labels');
  } catch (e) {
    if (!(e instanceof KubectlError)) throw e;
    return { detail: `cannot tell whether namespace ${name} exists (${e.message}), so it is neither created nor deleted`, exists: false };
  }
  return field(labels, PROBE_LABEL) === 'true' ? undefined
    : { detail: `namespace ${name} already exists and was not created by netpol probe: choose another --probe-namespace`, exists: true };
}

/** The pods of a namespace as kubectl returned them, or why they could not be read. */
type PodList = { items: { [key: string]: unknown }[] } | { error: KubectlError };

/** Whether a text is an IP address (cluster data is checked before it goes into a probe's command). */
function isIp(value: unknown): value is string {
  return typeof value === 'string' && typeof parseIp(value, true) !== 'string';
}

/**
 * Service cluster IPs and destination pod IPs, looked up once per Service and per namespace. An
 * address the user gave wins: its destination is not looked up, but when the destination's pods
 * can be read and none has that IP, a note says so.
 */
async function lookUpAddresses(plan: ProbePlan, ctx: RunContext): Promise<{
  addresses: Map<string, string>; serviceAddresses: Map<string, string>; missing: Map<string, string>; notes: Map<string, string>;
}> {
  const { addresses: given, serviceAddresses: givenServices } = ctx.settings;
  const addresses = new Map<string, string>();
  const serviceAddresses = new Map<string, string>();
  const missing = new Map<string, string>();
  const notes = new Map<string, string>();
  const podLists = new Map<string, PodList>();
  const reported = new Set<string>();
  const clusterIps = new Map<string, string | undefined>();
  const podsOf = async (ns: string): Promise<PodList> => {
    if (!podLists.has(ns)) {
      const args = listPods(ns);
      try {
        podLists.set(ns, { items: kubectlItems(args, await ctx.call(args)) });
      } catch (e) {
        if (!(e instanceof KubectlError)) throw e;
        podLists.set(ns, { error: e });
      }
    }
    return podLists.get(ns)!;
  };
  for (const probe of plan.probes) {
    if (probe.destinationNamespace === undefined || ctx.aborted()) continue;
    const s = probe.service;
    if (s && !s.headless) {
      const key = `${s.namespace}/${s.name}`;
      if (givenServices.has(key)) continue;
      if (!clusterIps.has(key)) {
        const args = getService(s.namespace, s.name);
        let ip: string | undefined;
        try {
          const clusterIp = text(kubectlObject(args, await ctx.call(args)), 'spec', 'clusterIP');
          ip = isIp(clusterIp) ? clusterIp : undefined;
        } catch (e) {
          if (!(e instanceof KubectlError)) throw e;
          if (!e.interrupted) ctx.problems.add(e.message);
        }
        clusterIps.set(key, ip);
      }
      // Without a cluster IP (not deployed yet?) the probe falls back to the Service's DNS name.
      const ip = clusterIps.get(key);
      if (ip) serviceAddresses.set(key, ip);
      continue;
    }
    const user = given.get(probe.to);
    if (user === undefined && addresses.has(probe.to)) continue;
    const list = await podsOf(probe.destinationNamespace);
    if ('error' in list) {
      if (user !== undefined || list.error.interrupted) continue;
      if (!reported.has(probe.destinationNamespace)) ctx.problems.add(list.error.message);
      reported.add(probe.destinationNamespace);
      missing.set(probe.id, `no address for ${probe.to}: the pods of namespace ${probe.destinationNamespace} could not be read (see the errors)`);
      continue;
    }
    const labels = probe.destinationLabels ?? {};
    const running = list.items
      .filter(p => field(p, 'metadata', 'labels', PROBE_LABEL) === undefined && field(p, 'metadata', 'deletionTimestamp') === undefined)
      .filter(p => text(p, 'status', 'phase') === 'Running' && isIp(field(p, 'status', 'podIP')))
      .filter(p => Object.entries(labels).every(([k, v]) => field(p, 'metadata', 'labels', k) === v))
      .map(p => ({ name: text(p, 'metadata', 'name') ?? '', ip: text(p, 'status', 'podIP')! }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (user !== undefined) {
      if (running.length > 0 && !running.some(p => p.ip === user) && !notes.has(probe.to)) {
        notes.set(probe.to, `the given address ${user} of ${probe.to} is not the IP of a running pod of it (${running[0].ip} is): the probes connect to the given address`);
      }
      continue;
    }
    if (running.length > 0) addresses.set(probe.to, running[0].ip);
    else missing.set(probe.id, `no running pod of ${probe.to} in the cluster to connect to`);
  }
  // A probe whose destination got an address through another probe is not missing.
  for (const [id] of [...missing]) {
    const probe = probeById(plan, id);
    if (addresses.has(probe.to)) missing.delete(id);
  }
  return { addresses, serviceAddresses, missing, notes };
}

/** A fresh run id: 9 lowercase base-36 characters from the clock and a random part. */
function randomRunId(): string {
  return Date.now().toString(36).slice(-6) + randomInt(36 ** 3).toString(36).padStart(3, '0');
}
