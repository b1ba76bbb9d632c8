import * as fs from 'fs';
import { Yaml } from 'cdk8s';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { readAnalysisInput } from './command-input';
import { AnalysisCliOptions, addAnalysisOptions, toAnalysisOptions } from './matrix-command';
import { PROFILE_HELP, parseProfile, profileOf } from './profile-argument';
import { oneLine, printable, printableLines } from './terminal-text';
import { ClusterModel } from '../analysis';
import { AnalysisInputError } from '../analysis/analysis-input-error';
import { ClusterProfile } from '../cluster-profile';
import { Linter } from '../lint/linter';
import { ProbeClient } from '../probe/connect-outcome';
import { CommandExecutor, DEFAULT_KUBECTL_TIMEOUT_SECONDS, kubectlExecutor } from '../probe/kubectl-executor';
import { ProbeManifestOptions, ProbeManifests } from '../probe/probe-manifests';
import { ProbePlan, ProbePlanOptions } from '../probe/probe-plan';
import { diagnose, formatResults, junitXml, probeExitCode, ProbeExitCode } from '../probe/probe-report';
import { ProbeRun, runProbes } from '../probe/probe-runner';
import { RunClock } from '../probe/run-clock';

/** The options every `netpol probe` subcommand takes. */
export interface ProbePlanCliOptions extends AnalysisCliOptions {
  readonly maxFlows: number;
  readonly probeNamespace: string;
  readonly namespaceFilter: string[];
  readonly metadataAddress: string[];
  readonly profile?: ClusterProfile;
  readonly config?: string;
  readonly representatives?: boolean;
}

/** The options of `netpol probe plan`. */
export interface ProbePlanCommandOptions extends ProbePlanCliOptions {
  readonly format: 'text' | 'json' | 'md';
}

/** The options that shape the probe pods. */
export interface ProbeManifestCliOptions extends ProbePlanCliOptions {
  readonly client: 'agnhost' | 'busybox';
  readonly image?: string;
  readonly timeout: number;
  readonly address: string[];
  readonly runId?: string;
}

/** The options of `netpol probe run`. */
export interface ProbeRunCommandOptions extends ProbeManifestCliOptions {
  readonly context?: string;
  readonly kubectl?: string;
  readonly junit?: string;
  readonly deadline: number;
  readonly pollInterval: number;
  readonly attempts: number;
  readonly kubectlTimeout: number;
}

/** What `runProbeRun` uses besides its options; tests give their own. */
export interface ProbeRunDependencies {
  /** How kubectl is run. @default - the user's kubectl, with `--context`, `--kubectl` and `--kubectl-timeout` */
  readonly executor?: CommandExecutor;
  /** The clock of the deadline and the polls. @default - the system clock */
  readonly clock?: RunClock;
}

function toPlanOptions(options: ProbePlanCliOptions): ProbePlanOptions {
  const profile = profileOf(options.profile, options.config);
  return {
    ...(profile !== undefined ? { profile } : {}),
    analysis: toAnalysisOptions(options, profile),
    maxFlows: options.maxFlows,
    probeNamespace: options.probeNamespace,
    ...(options.namespaceFilter.length > 0 ? { namespaces: options.namespaceFilter } : {}),
    ...(options.metadataAddress.length > 0 ? { metadataAddresses: options.metadataAddress } : {}),
    // on unless --no-representatives
    representatives: options.representatives !== false,
  };
}

function toManifestOptions(options: ProbeManifestCliOptions): ProbeManifestOptions {
  // a null-prototype object: a key such as `__proto__` is a key like any other (and then refused)
  const addresses: Record<string, string> = Object.create(null);
  for (const entry of options.address) {
    const at = entry.lastIndexOf('=');
    const key = entry.slice(0, at);
    const ip = entry.slice(at + 1);
    if (Object.prototype.hasOwnProperty.call(addresses, key) && addresses[key] !== ip) {
      throw new AnalysisInputError(`--address: ${JSON.stringify(key)} is given twice, as ${JSON.stringify(addresses[key])} and ${JSON.stringify(ip)}: give one address per destination`);
    }
    Object.defineProperty(addresses, key, { value: ip, enumerable: true, writable: true, configurable: true });
  }
  return {
    client: options.client === 'busybox' ? ProbeClient.BUSYBOX : ProbeClient.AGNHOST,
    ...(options.image !== undefined ? { image: options.image } : {}),
    timeoutSeconds: options.timeout,
    addresses,
    ...(options.runId !== undefined ? { runId: options.runId } : {}),
  };
}

/**
 * Reads the manifests and plans the probes. Problems are written to standard error as
 * `netpol probe <command>: ...`; the result is then `undefined` (exit code 2).
 */
function loadPlan(command: string, paths: readonly string[], options: ProbePlanCliOptions, io: CliIo): ProbePlan | undefined {
  // the same input path as every analysis command: validate's checks before any analysis
  const objects = readAnalysisInput(`probe ${command}`, paths, options, io);
  if (!objects) return undefined;
  try {
    return ProbePlan.fromObjects(objects.map(o => o.object), toPlanOptions(options));
  } catch (err) {
    if (ClusterModel.isInputError(err) || Linter.isInputError(err)) {
      io.stderr(`netpol probe ${command}: ${oneLine((err as Error).message)}\n`);
      return undefined;
    }
    throw err;
  }
}

/** Runs `netpol probe plan`. Returns 0, or 2 when the input could not be read or evaluated. */
export function runProbePlan(paths: readonly string[], options: ProbePlanCommandOptions, io: CliIo): number {
  const plan = loadPlan('plan', paths, options, io);
  if (!plan) return ExitCode.ERROR;
  if (options.format === 'json') io.stdout(JSON.stringify(plan.toJson(), undefined, 2) + '\n');
  else if (options.format === 'md') io.stdout(printableLines(plan.toMarkdown()));
  else io.stdout(printableLines(plan.toText()));
  return ExitCode.OK;
}

/** Runs `netpol probe manifests`: the probe objects as YAML on standard output. */
export function runProbeManifests(paths: readonly string[], options: ProbeManifestCliOptions, io: CliIo): number {
  const plan = loadPlan('manifests', paths, options, io);
  if (!plan) return ExitCode.ERROR;
  let manifests: ProbeManifests;
  try {
    manifests = ProbeManifests.render(plan, toManifestOptions(options));
  } catch (err) {
    if (ClusterModel.isInputError(err)) {
      io.stderr(`netpol probe manifests: ${oneLine((err as Error).message)}\n`);
      return ExitCode.ERROR;
    }
    throw err;
  }
  if (manifests.objects.length > 0) io.stdout(Yaml.stringify(...manifests.objects));
  if (manifests.unaddressed.length > 0) {
    const which = plan.probes.filter(p => manifests.unaddressed.includes(p.id)).map(p => `  ${printable(p.id)} ${printable(p.description)}`);
    io.stderr(`netpol probe manifests: left out ${which.length} probes whose destination has no Service on the probed port; `
      + 'give a pod IP with --address <namespace/name>=<ip>, or use `netpol probe run`, which looks them up:\n' + which.join('\n') + '\n');
  }
  return ExitCode.OK;
}

/** The exit code of a run stopped by a signal: 128 plus the signal's number, as shells report it. */
const SIGNAL_EXIT_CODES: { [signal: string]: number } = { SIGHUP: 129, SIGINT: ProbeExitCode.INTERRUPTED, SIGTERM: ProbeExitCode.TERMINATED };

/**
 * The run with every text that came from the cluster or the input made safe to print: control
 * characters escaped, so that a termination message, an event or kubectl's standard error can
 * neither drive the terminal nor forge a line (a "15 probes: 15 agree" of its own).
 */
export function printableRun(run: ProbeRun): ProbeRun {
  return {
    runId: printable(run.runId),
    interrupted: run.interrupted,
    errors: run.errors.map(e => oneLine(e)),
    results: run.results.map(r => ({
      ...r,
      detail: oneLine(r.detail),
      probe: { ...r.probe, id: printable(r.probe.id), description: printable(r.probe.description), explanation: printableLines(r.probe.explanation) },
    })),
  };
}

/**
 * Runs `netpol probe run`: applies the probes with kubectl, compares, deletes. Returns the
 * `ProbeExitCode`. SIGINT, SIGTERM and SIGHUP stop the run: the kubectl call in flight is killed,
 * what was applied is deleted, and the exit code is 128 plus the signal's number (130, 143, 129).
 */
export async function runProbeRun(
  paths: readonly string[], options: ProbeRunCommandOptions, io: CliIo, deps: ProbeRunDependencies = {},
): Promise<number> {
  if (options.junit !== undefined && (options.junit === '' || /[\u0000-\u001f\u007f-\u009f]/.test(options.junit))) {
    io.stderr(`netpol probe run: --junit: Invalid value: ${oneLine(JSON.stringify(options.junit))}: must be a file path without control characters\n`);
    return ExitCode.ERROR;
  }
  const plan = loadPlan('run', paths, options, io);
  if (!plan) return ExitCode.ERROR;
  const controller = new AbortController();
  let stoppedBy: string | undefined;
  const onSignal = (signal: string) => {
    if (stoppedBy !== undefined) {
      io.stderr(`netpol probe run: ${signal}: already stopping; deleting the probe objects (each kubectl call has its deadline)\n`);
      return;
    }
    stoppedBy = signal;
    io.stderr(`netpol probe run: ${signal}: stopping and deleting the probe objects\n`);
    controller.abort();
  };
  const handlers = Object.keys(SIGNAL_EXIT_CODES).map(signal => [signal, () => onSignal(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    const run = printableRun(await runProbes(plan, {
      ...toManifestOptions(options),
      executor: deps.executor ?? kubectlExecutor({ kubectl: options.kubectl, context: options.context, timeoutMs: options.kubectlTimeout * 1000 }),
      deadlineSeconds: options.deadline,
      pollIntervalMs: options.pollInterval,
      attempts: options.attempts,
      signal: controller.signal,
      log: line => io.stderr(`netpol probe run: ${oneLine(line)}\n`),
      ...(deps.clock ? { clock: deps.clock } : {}),
    }));
    io.stdout(formatResults(run));
    const diagnosis = diagnose(run);
    if (diagnosis.length > 0) io.stdout('\n' + diagnosis.join('\n') + '\n');
    for (const e of run.errors) io.stderr(`netpol probe run: ${e}\n`);
    if (options.junit) {
      try {
        fs.writeFileSync(options.junit, junitXml(run));
      } catch (err) {
        io.stderr(`netpol probe run: cannot write --junit ${oneLine(JSON.stringify(options.junit))}: ${oneLine((err as Error).message)}\n`);
        return ExitCode.ERROR;
      }
    }
    return run.interrupted && stoppedBy !== undefined ? SIGNAL_EXIT_CODES[stoppedBy] : probeExitCode(run);
  } catch (err) {
    if (ClusterModel.isInputError(err)) {
      io.stderr(`netpol probe run: ${oneLine((err as Error).message)}\n`);
      return ExitCode.ERROR;
    }
    throw err;
  } finally {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  }
}

function parseWhole(min: number, max: number) {
  return (value: string): number => {
    if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`must be a whole number between ${min} and ${max}.`);
    }
    return Number(value);
  };
}

function collectList(value: string, all: string[]): string[] {
  return [...all, ...value.split(',').map(v => v.trim()).filter(v => v !== '')];
}

function parseAddress(value: string, all: string[]): string[] {
  const at = value.lastIndexOf('=');
  if (at <= 0 || at === value.length - 1) throw new InvalidArgumentError('must be <namespace/name>=<ip>, e.g. shop/backend=10.0.1.7.');
  return [...all, value];
}

function addPlanOptions(command: Command): Command {
  return addAnalysisOptions(command
    .argument('<paths...>', 'files or directories to read ("-" for standard input)')
    .option('--max-flows <n>', 'the most allowed flows to probe; beyond it a deterministic sample', parseWhole(0, 100000), 50)
    .option('--probe-namespace <namespace>', 'the namespace the "from another namespace" probes run in (created and deleted by `run`)', 'netpol-probe')
    .addOption(new Option('--namespace-filter <namespaces>', 'only probes whose source and destination are in these namespaces (comma-separated, repeatable)')
      .argParser(collectList).default([], 'all'))
    .addOption(new Option('--metadata-address <ip>', 'a cloud metadata address to probe from egress-isolated workloads (repeatable)')
      .argParser((v: string, all: string[]) => [...all, v]).default([], '169.254.169.254'))
    .option('--profile <name>', `${PROFILE_HELP}; with a profile, the plan also probes DNS`, parseProfile)
    .option('--config <file>', 'the configuration whose options.profile applies without --profile (default: netpol.config.json in the working directory or above)')
    .option('--representatives', 'probe the flows from pods the input does not contain (representative endpoints such as ingress-nginx/{app=controller}): '
      + 'a probe pod with their labels, in their namespace or one `run` creates labelled as their namespace selector requires (the default)')
    .option('--no-representatives', 'probe only the flows between the input\'s own workloads'));
}

function addManifestOptions(command: Command): Command {
  return addPlanOptions(command)
    .addOption(new Option('--client <client>', 'the connect program: agnhost (TCP, UDP, SCTP; as the upstream e2e tests) or busybox (TCP only)').choices(['agnhost', 'busybox']).default('agnhost'))
    .option('--image <image>', 'the image of the probe pods (default: the agnhost or busybox image)')
    .option('--timeout <seconds>', 'how long a connection attempt may take before it counts as blocked', parseWhole(1, 300), 5)
    .addOption(new Option('--address <endpoint=ip>', 'the pod IP to connect to for a destination without a Service (repeatable)')
      .argParser(parseAddress).default([], 'none'))
    .option('--run-id <id>', 'names and labels the objects (default: derived from the plan; random for `run`)');
}

const EXIT_CODES_RUN = '\nExit codes:\n'
  + '  0    the cluster agrees with the offline analysis on every probe\n'
  + '  5    at least one probe disagrees (the table and the diagnosis say which and why)\n'
  + '  4    no probe disagrees, but some could not run (image pull, scheduling, no pod to connect to)\n'
  + '  2    some input could not be read or evaluated, kubectl failed, or the command was used wrongly\n'
  + '  130  interrupted by SIGINT (143 SIGTERM, 129 SIGHUP); the probe objects were deleted';

/**
 * Registers `netpol probe plan|manifests|run`.
 */
export function registerProbeCommand(program: Command, ctx: CliContext): Command {
  const probe = program
    .command('probe')
    .summary('check in a live cluster that it enforces what the policies say')
    .description('Plan connections from the offline analysis (every allowed flow between workloads on their declared ports, '
      + 'and for each isolated workload connections that must be denied), render them as short-lived probe Jobs, and run '
      + 'them with your kubectl to compare the cluster with the analysis.');

  addPlanOptions(probe.command('plan')
    .summary('list the connections to probe, with the expected verdicts')
    .description('Print the probe plan: each connection, whether the policies allow it, and why.'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']).default('text'))
    .addHelpText('after', '\nExit codes:\n  0  the plan was printed\n  2  some input could not be read or evaluated, or the command was used wrongly')
    .action((paths: string[], opts: ProbePlanCommandOptions) => {
      raiseExitCode(ctx, runProbePlan(paths, opts, ctx.io));
    });

  addManifestOptions(probe.command('manifests')
    .summary('print the probe Jobs as YAML, for kubectl apply')
    .description('Print the probe Namespace and Jobs (one per probe). Destinations without a Service on the probed port need '
      + '--address; the others are left out and listed on standard error.'))
    .addHelpText('after', '\nExit codes:\n  0  the manifests were printed\n  2  some input could not be read or evaluated, or the command was used wrongly')
    .action((paths: string[], opts: ProbeManifestCliOptions) => {
      raiseExitCode(ctx, runProbeManifests(paths, opts, ctx.io));
    });

  addManifestOptions(probe.command('run')
    .summary('run the probes with kubectl and compare with the analysis')
    .description('Look up the destinations\' addresses, apply the probe Jobs, read each probe pod\'s result, delete everything '
      + 'applied (also on failure, SIGINT or SIGTERM), and print expected and observed side by side. Uses your kubectl and '
      + 'its current context (or --context); nothing is installed in the cluster.'))
    .option('--context <context>', 'the kubeconfig context to use')
    .option('--kubectl <path>', 'the kubectl binary (default: kubectl on the PATH)')
    .option('--junit <file>', 'also write the results as JUnit XML')
    .option('--deadline <seconds>', 'how long to wait for the probes of each attempt (more than --timeout; the Jobs\' activeDeadlineSeconds is 30 s more)', parseWhole(1, 3600), 180)
    .option('--poll-interval <ms>', 'how often to read the probe pods', parseWhole(10, 60000), 2000)
    .option('--attempts <n>', 'how many times a probe that disagrees runs (in a fresh pod) before it counts', parseWhole(1, 5), 2)
    .option('--kubectl-timeout <seconds>', 'how long one kubectl call may take before it is killed', parseWhole(1, 3600), DEFAULT_KUBECTL_TIMEOUT_SECONDS)
    .addHelpText('after', EXIT_CODES_RUN)
    .action(async (paths: string[], opts: ProbeRunCommandOptions) => {
      raiseExitCode(ctx, await runProbeRun(paths, opts, ctx.io));
    });
  return probe;
}

