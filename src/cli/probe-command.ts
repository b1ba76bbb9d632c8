import * as fs from 'fs';
import { Yaml } from 'cdk8s';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { readAnalysisInput } from './command-input';
import { AnalysisCliOptions, addAnalysisOptions, toAnalysisOptions } from './matrix-command';
import { oneLine } from './terminal-text';
import { ClusterModel } from '../analysis';
import { ProbeClient } from '../probe/connect-outcome';
import { ProbeManifestOptions, ProbeManifests } from '../probe/probe-manifests';
import { ProbePlan, ProbePlanOptions } from '../probe/probe-plan';
import { diagnose, formatResults, junitXml, probeExitCode } from '../probe/probe-report';
import { CommandExecutor, kubectlExecutor, runProbes } from '../probe/probe-runner';

/** The options every `netpol probe` subcommand takes. */
export interface ProbePlanCliOptions extends AnalysisCliOptions {
  readonly maxFlows: number;
  readonly probeNamespace: string;
  readonly namespaceFilter: string[];
  readonly metadataAddress: string[];
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
}

function toPlanOptions(options: ProbePlanCliOptions): ProbePlanOptions {
  return {
    analysis: toAnalysisOptions(options),
    maxFlows: options.maxFlows,
    probeNamespace: options.probeNamespace,
    ...(options.namespaceFilter.length > 0 ? { namespaces: options.namespaceFilter } : {}),
    ...(options.metadataAddress.length > 0 ? { metadataAddresses: options.metadataAddress } : {}),
    ...(options.representatives === true ? { representatives: true } : {}),
  };
}

function toManifestOptions(options: ProbeManifestCliOptions): ProbeManifestOptions {
  const addresses: Record<string, string> = {};
  for (const entry of options.address) {
    const at = entry.lastIndexOf('=');
    addresses[entry.slice(0, at)] = entry.slice(at + 1);
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
    if (ClusterModel.isInputError(err)) {
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
  else if (options.format === 'md') io.stdout(plan.toMarkdown());
  else io.stdout(plan.toText());
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
    const which = plan.probes.filter(p => manifests.unaddressed.includes(p.id)).map(p => `  ${p.id} ${p.description}`);
    io.stderr(`netpol probe manifests: left out ${which.length} probes whose destination has no Service on the probed port; `
      + 'give a pod IP with --address <namespace/name>=<ip>, or use `netpol probe run`, which looks them up:\n' + which.join('\n') + '\n');
  }
  return ExitCode.OK;
}

/**
 * Runs `netpol probe run`: applies the probes with kubectl, compares, deletes. Returns the
 * `ProbeExitCode`. SIGINT and SIGTERM stop the run; what was applied is deleted first.
 */
export async function runProbeRun(paths: readonly string[], options: ProbeRunCommandOptions, io: CliIo, executor?: CommandExecutor): Promise<number> {
  const plan = loadPlan('run', paths, options, io);
  if (!plan) return ExitCode.ERROR;
  const controller = new AbortController();
  const onSignal = (signal: string) => {
    io.stderr(`netpol probe run: ${signal}: stopping and deleting the probe objects\n`);
    controller.abort();
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const run = await runProbes(plan, {
      ...toManifestOptions(options),
      executor: executor ?? kubectlExecutor({ kubectl: options.kubectl, context: options.context }),
      deadlineSeconds: options.deadline,
      pollIntervalMs: options.pollInterval,
      attempts: options.attempts,
      signal: controller.signal,
      log: line => io.stderr(`netpol probe run: ${line}\n`),
    });
    io.stdout(formatResults(run));
    const diagnosis = diagnose(run);
    if (diagnosis.length > 0) io.stdout('\n' + diagnosis.join('\n') + '\n');
    for (const e of run.errors) io.stderr(`netpol probe run: ${e}\n`);
    if (options.junit) {
      try {
        fs.writeFileSync(options.junit, junitXml(run));
      } catch (err) {
        io.stderr(`netpol probe run: cannot write --junit ${JSON.stringify(options.junit)}: ${(err as Error).message}\n`);
        return ExitCode.ERROR;
      }
    }
    return probeExitCode(run);
  } catch (err) {
    if (ClusterModel.isInputError(err)) {
      io.stderr(`netpol probe run: ${oneLine((err as Error).message)}\n`);
      return ExitCode.ERROR;
    }
    throw err;
  } finally {
    process.removeListener('SIGINT', onInt);
    process.removeListener('SIGTERM', onTerm);
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
    .option('--representatives', 'also probe the flows from pods the input does not contain (representative endpoints such as ingress-nginx/{app=controller}): '
      + 'a probe pod with their labels, in their namespace or one `run` creates labelled as their namespace selector requires'));
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
  + '  130  interrupted (SIGINT or SIGTERM); the probe objects were deleted';

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
    .option('--deadline <seconds>', 'how long to wait for all probes', parseWhole(1, 3600), 180)
    .option('--poll-interval <ms>', 'how often to read the probe pods', parseWhole(10, 60000), 2000)
    .option('--attempts <n>', 'how many times a probe that disagrees runs (in a fresh pod) before it counts', parseWhole(1, 5), 2)
    .addHelpText('after', EXIT_CODES_RUN)
    .action(async (paths: string[], opts: ProbeRunCommandOptions) => {
      raiseExitCode(ctx, await runProbeRun(paths, opts, ctx.io));
    });
  return probe;
}

