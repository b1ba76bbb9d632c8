import { Command, InvalidArgumentError, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { AnalysisOptions, ClusterModel, SelfTraffic } from '../analysis';
import { AnalysisInputError } from '../analysis/analysis-input-error';
import { formatLoadError, loadManifests } from '../io/manifest-loader';
import { Protocol } from '../port';

/** The analysis options every analysis command takes. */
export interface AnalysisCliOptions {
  readonly selfTraffic: 'allow' | 'evaluate';
  readonly ipBlockPodIps: boolean;
  readonly external: string[];
  readonly defaultNamespace: string;
}

/** The options of `netpol matrix`. */
export interface MatrixCommandOptions extends AnalysisCliOptions {
  readonly port: number;
  readonly protocol: Protocol;
  readonly format: 'grid' | 'json' | 'mermaid';
}

/** Parses a port number argument (1-65535). */
export function parsePortNumber(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    throw new InvalidArgumentError('must be a port number between 1 and 65535.');
  }
  return Number(value);
}

/** Parses a protocol argument, in any case. */
export function parseProtocol(value: string): Protocol {
  const upper = value.toUpperCase();
  if (upper !== Protocol.TCP && upper !== Protocol.UDP && upper !== Protocol.SCTP) {
    throw new InvalidArgumentError('must be TCP, UDP or SCTP.');
  }
  return upper as Protocol;
}

/** Adds the options that set `AnalysisOptions`. */
export function addAnalysisOptions(command: Command): Command {
  return command
    .addOption(new Option('--self-traffic <mode>', 'a pod\'s traffic to itself: always allowed (as the NetworkPolicy docs say), or evaluated like any other')
      .choices(['allow', 'evaluate']).default('allow'))
    .option('--no-ip-block-pod-ips', 'ipBlocks never match pod IPs (as in Cilium); by default they do (as in Calico and the upstream conformance tests)')
    .addOption(new Option('--external <ip>', 'an external IP address to include as an endpoint (repeatable)')
      .argParser((ip: string, all: string[]) => [...all, ip]).default([], 'none'))
    .option('--default-namespace <namespace>', 'the namespace of objects without one', 'default');
}

function toAnalysisOptions(options: AnalysisCliOptions): AnalysisOptions {
  return {
    selfTraffic: options.selfTraffic === 'evaluate' ? SelfTraffic.EVALUATE : SelfTraffic.ALLOW,
    ipBlockMatchesPodIps: options.ipBlockPodIps,
    externalIps: options.external,
    defaultNamespace: options.defaultNamespace,
  };
}

/**
 * Reads the manifests and builds the model. Problems are written to standard error as
 * `netpol <command>: ...`; the result is then `undefined` (exit code 2).
 */
export function loadClusterModel(command: string, paths: readonly string[], options: AnalysisCliOptions, io: CliIo): ClusterModel | undefined {
  const loaded = loadManifests(paths, { readStdin: () => io.readStdin() });
  if (loaded.errors.length > 0) {
    for (const e of loaded.errors) io.stderr(`netpol ${command}: ${formatLoadError(e)}\n`);
    return undefined;
  }
  try {
    return ClusterModel.fromObjects(loaded.objects.map(o => o.object), toAnalysisOptions(options));
  } catch (err) {
    if (err instanceof AnalysisInputError) {
      io.stderr(`netpol ${command}: ${err.message}\n`);
      return undefined;
    }
    throw err;
  }
}

/**
 * Runs `netpol matrix`: prints which pods may connect to which on one port and protocol.
 * Returns the exit code: 0, or 2 when the input could not be read or evaluated.
 */
export function runMatrix(paths: readonly string[], options: MatrixCommandOptions, io: CliIo): ExitCode {
  const model = loadClusterModel('matrix', paths, options, io);
  if (!model) return ExitCode.ERROR;
  const table = model.truthTable(options.port, options.protocol);
  switch (options.format) {
    case 'json':
      io.stdout(JSON.stringify(table.toJson(), undefined, 2) + '\n');
      break;
    case 'mermaid':
      io.stdout(table.toMermaid());
      break;
    default:
      if (table.endpoints.length === 0) {
        io.stdout(`${options.protocol}/${options.port}: no pods or workloads in the input.\n`);
      } else {
        io.stdout(`${options.protocol}/${options.port}: rows are sources, columns destinations; . allowed, X denied\n\n${table.toGrid()}`);
      }
  }
  return ExitCode.OK;
}

/**
 * Registers `netpol matrix <paths...> --port N [--protocol P] [--format grid|json|mermaid]`.
 */
export function registerMatrixCommand(program: Command, ctx: CliContext): Command {
  const command = program
    .command('matrix')
    .summary('print which pods NetworkPolicies let connect to which, on one port')
    .description(
      'Evaluate the NetworkPolicies in the given YAML or JSON files and directories offline, for every '
      + 'ordered pair of pods (a workload stands for its pods under its own name: namespace/name), and '
      + 'print the truth table for one destination port and protocol: a grid like the Kubernetes '
      + 'conformance tooling (. allowed, X denied), JSON, or a Mermaid diagram of the allowed flows. '
      + 'Directories are read recursively (*.yaml, *.yml, *.json); "-" reads standard input.')
    .argument('<paths...>', 'files or directories to read ("-" for standard input)')
    .requiredOption('--port <port>', 'the destination port', parsePortNumber)
    .option('--protocol <protocol>', 'TCP, UDP or SCTP', parseProtocol, Protocol.TCP)
    .addOption(new Option('--format <format>', 'output format').choices(['grid', 'json', 'mermaid']).default('grid'));
  return addAnalysisOptions(command)
    .addHelpText('after', '\nExit codes:\n  0  the table was printed\n  2  some input could not be read or evaluated, or the command was used wrongly')
    .action((paths: string[], opts: MatrixCommandOptions) => {
      raiseExitCode(ctx, runMatrix(paths, opts, ctx.io));
    });
}
