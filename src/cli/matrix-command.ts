import { Command, InvalidArgumentError, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { addInputOptions, InputCliOptions, printSummary, readAnalysisInput } from './command-input';
import { MatrixSource, MAX_MATRIX_CELLS, writeGrid, writeJson, writeMermaid } from './matrix-output';
import { plural } from './policy-report';
import { parsePortArgument, PortArgument, portText } from './port-argument';
import { oneLine } from './terminal-text';
import { AnalysisOptions, ClusterModel, ClusterProfile, HostNetworkPods, Protocol, SelfTraffic, TruthTable } from '../index';

/** The analysis options every analysis command takes. */
export interface AnalysisCliOptions extends Partial<InputCliOptions> {
  readonly selfTraffic: 'allow' | 'evaluate';
  readonly ipBlockPodIps: boolean;
  readonly external: string[];
  readonly defaultNamespace: string;
  /** Whether NetworkPolicies apply to hostNetwork pods; `undefined`: the profile's, else unrestricted. */
  readonly hostNetwork?: 'unrestricted' | 'isolated';
}

/** The options of `netpol matrix`. */
export interface MatrixCommandOptions extends AnalysisCliOptions {
  /** The destination port: a number, or a container port name resolved on each destination. */
  readonly port: PortArgument;
  readonly protocol: Protocol;
  readonly format: 'grid' | 'json' | 'mermaid';
  /** Only the endpoints of these namespaces (external IPs are always kept). */
  readonly namespace?: string[];
}

/** Parses a protocol argument, in any case. */
export function parseProtocol(value: string): Protocol {
  const upper = value.toUpperCase();
  if (upper !== Protocol.TCP && upper !== Protocol.UDP && upper !== Protocol.SCTP) {
    throw new InvalidArgumentError('must be TCP, UDP or SCTP.');
  }
  return upper as Protocol;
}

/** Adds the options that set `AnalysisOptions`, and the input options. */
export function addAnalysisOptions(command: Command): Command {
  return addInputOptions(command
    .addOption(new Option('--self-traffic <mode>', 'a pod\'s traffic to itself: always allowed (as the NetworkPolicy docs say), or evaluated like any other')
      .choices(['allow', 'evaluate']).default('allow'))
    .option('--no-ip-block-pod-ips', 'ipBlocks never match pod IPs (as in Cilium); by default they do (as in Calico and the upstream conformance tests)')
    .addOption(new Option('--host-network <mode>', 'whether NetworkPolicies apply to hostNetwork pods: unrestricted (their traffic is the node\'s: '
      + 'no policy isolates them and pod or namespace selectors never match them, as in the common implementations) or isolated '
      + '(a plugin that applies policies to them); default: unrestricted, or for probe the cluster profile\'s hostNetworkPodsIsolated')
      .choices(['unrestricted', 'isolated']))
    .addOption(new Option('--external <ip>', 'an external IP address to include as an endpoint (repeatable)')
      .argParser((ip: string, all: string[]) => [...all, ip]).default([], 'none'))
    .option('--default-namespace <namespace>', 'the namespace of objects without one', 'default'));
}

/**
 * The `AnalysisOptions` of the analysis commands' options (matrix, explain, list, diff, probe).
 *
 * @param profile the cluster profile the command uses, if any: without `--host-network`, its
 * `hostNetworkPodsIsolated` says whether policies apply to hostNetwork pods
 */
export function toAnalysisOptions(options: AnalysisCliOptions, profile?: ClusterProfile): AnalysisOptions {
  const isolated = options.hostNetwork !== undefined ? options.hostNetwork === 'isolated' : profile?.hostNetworkPodsIsolated === true;
  return {
    selfTraffic: options.selfTraffic === 'evaluate' ? SelfTraffic.EVALUATE : SelfTraffic.ALLOW,
    hostNetworkPods: isolated ? HostNetworkPods.ISOLATED : HostNetworkPods.UNRESTRICTED,
    ipBlockMatchesPodIps: options.ipBlockPodIps,
    externalIps: options.external,
    defaultNamespace: options.defaultNamespace,
  };
}

/**
 * Reads the manifests, checks them as `netpol validate` would, and builds the model. Problems are
 * written to standard error as `netpol <command>: ...`; the result is then `undefined` (exit code 2).
 */
export function loadClusterModel(command: string, paths: readonly string[], options: AnalysisCliOptions, io: CliIo): ClusterModel | undefined {
  const objects = readAnalysisInput(command, paths, options, io);
  if (!objects) return undefined;
  try {
    return ClusterModel.fromObjects(objects.map(o => o.object), toAnalysisOptions(options));
  } catch (err) {
    if (ClusterModel.isInputError(err)) {
      io.stderr(`netpol ${command}: ${oneLine((err as Error).message)}\n`);
      return undefined;
    }
    throw err;
  }
}

/** The table to print: one truth table for a port number, or one per number a port name resolves to. */
function matrixSource(model: ClusterModel, options: MatrixCommandOptions, keep: number[], io: CliIo): MatrixSource | undefined {
  const all = model.endpoints;
  const names = keep.map(i => all[i].name);
  const protocol = options.protocol;
  if (options.port.number !== undefined) {
    const table = model.truthTable(options.port.number, protocol);
    return { port: options.port.number, protocol, names, cell: (i, j) => table.isAllowedAt(keep[i], keep[j]) };
  }
  const portName = options.port.name!;
  const resolved = keep.map(i => all[i].ports.find(p => p.name === portName && p.protocol === protocol)?.port);
  if (resolved.every(p => p === undefined)) {
    io.stderr(`netpol matrix: --port: no pod or workload${options.namespace ? ' of the namespaces given' : ''} has a ${protocol} `
      + `container port named ${JSON.stringify(portName)}; give a port number, or the name of a container port\n`);
    return undefined;
  }
  const tables = new Map<number, TruthTable>();
  for (const p of resolved) if (p !== undefined && !tables.has(p)) tables.set(p, model.truthTable(p, protocol));
  return {
    port: portName,
    protocol,
    names,
    cell: (i, j) => {
      const p = resolved[j];
      return p === undefined ? null : tables.get(p)!.isAllowedAt(keep[i], keep[j]);
    },
  };
}

/**
 * Runs `netpol matrix`: prints which pods may connect to which on one port and protocol, streamed
 * row by row. Returns the exit code: 0, or 2 when the input could not be read or evaluated, or
 * the table is larger than `MAX_MATRIX_CELLS`.
 */
export function runMatrix(paths: readonly string[], options: MatrixCommandOptions, io: CliIo): ExitCode {
  const startedAt = Date.now();
  const model = loadClusterModel('matrix', paths, options, io);
  if (!model) return ExitCode.ERROR;
  const endpoints = model.endpoints;
  const namespaces = options.namespace && options.namespace.length > 0 ? new Set(options.namespace) : undefined;
  const keep: number[] = [];
  endpoints.forEach((e, i) => {
    if (!namespaces || e.external || (e.namespace !== undefined && namespaces.has(e.namespace))) keep.push(i);
  });
  const cells = keep.length * keep.length;
  if (cells > MAX_MATRIX_CELLS) {
    io.stderr(`netpol matrix: the table would have ${keep.length.toLocaleString('en-US')} x ${keep.length.toLocaleString('en-US')} = `
      + `${cells.toLocaleString('en-US')} cells, more than the limit of ${MAX_MATRIX_CELLS.toLocaleString('en-US')} `
      + `(${Math.floor(Math.sqrt(MAX_MATRIX_CELLS)).toLocaleString('en-US')} endpoints): narrow it with --namespace <namespace> `
      + '(repeatable), give fewer files, or ask about single connections with netpol explain\n');
    return ExitCode.ERROR;
  }
  const source = matrixSource(model, options, keep, io);
  if (!source) return ExitCode.ERROR;
  const port = portText(options.port);
  switch (options.format) {
    case 'json':
      writeJson(source, io);
      break;
    case 'mermaid':
      writeMermaid(source, io);
      break;
    default:
      if (source.names.length === 0) {
        io.stdout(`${options.protocol}/${port}: no pods or workloads in the input.\n`);
      } else {
        const legend = options.port.name !== undefined ? `; - ${port} is not a ${options.protocol} container port of the destination` : '';
        io.stdout(`${options.protocol}/${port}: rows are sources, columns destinations; . allowed, X denied${legend}\n\n`);
        writeGrid(source, io);
      }
  }
  printSummary('matrix', `${plural(keep.length, 'endpoint')}, ${plural(cells, 'pair')}`, startedAt, io);
  return ExitCode.OK;
}

/**
 * Registers `netpol matrix <paths...> --port N|name [--protocol P] [--format grid|json|mermaid]`.
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
      + 'A port name is resolved on each destination; where the destination has no container port of that '
      + 'name the grid shows -, the JSON null. Every NetworkPolicy is validated first, as netpol validate '
      + 'does: an invalid one is an input error, never evaluated. '
      + `Tables above ${MAX_MATRIX_CELLS.toLocaleString('en-US')} cells are refused; --namespace narrows them. `
      + 'A directory is read as kubectl apply -f reads it: its *.yaml, *.yml and *.json files, hidden ones included; its subdirectories only with -R. "-" reads standard input.')
    .argument('<paths...>', 'files or directories to read ("-" for standard input)')
    .requiredOption('--port <port>', 'the destination port: a number, or the name of a container port', parsePortArgument)
    .option('--protocol <protocol>', 'TCP, UDP or SCTP', parseProtocol, Protocol.TCP)
    .addOption(new Option('--format <format>', 'output format').choices(['grid', 'json', 'mermaid']).default('grid'))
    .addOption(new Option('--namespace <namespace>', 'only the pods and workloads of this namespace (repeatable)')
      .argParser((ns: string, all: string[] | undefined) => [...(all ?? []), ns]));
  return addAnalysisOptions(command)
    .addHelpText('after', '\nExit codes:\n  0  the table was printed\n  2  some input could not be read, held an invalid '
      + 'NetworkPolicy or no object (see --allow-empty),\n     the table is too large, the output could not be written, '
      + 'or the command was used wrongly')
    .action((paths: string[], opts: MatrixCommandOptions) => {
      raiseExitCode(ctx, runMatrix(paths, opts, ctx.io));
    });
}
