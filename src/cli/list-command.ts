import { Command, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { AnalysisCliOptions, addAnalysisOptions, loadClusterModel, parseProtocol } from './matrix-command';
import { parsePortNumber } from './port-argument';
import { Connectivity, ConnectivityFilter, FlowDirection } from '../analysis';
import { Protocol } from '../port';

/** The focus options `netpol list` and `netpol diff` share. */
export interface FocusCliOptions {
  readonly from?: string;
  readonly to?: string;
  readonly direction: 'all' | 'ingress' | 'egress' | 'internal';
  readonly port?: number;
  /** Given only with `--protocol`: without it, `--port` is TCP and no protocol filters the flows. */
  readonly protocol?: Protocol;
}

/** The options of `netpol list`. */
export interface ListCommandOptions extends AnalysisCliOptions, FocusCliOptions {
  readonly format: 'text' | 'json' | 'csv' | 'md' | 'mermaid' | 'dot';
}

/** Adds `--from`, `--to`, `--direction`, `--port` and `--protocol`. */
export function addFocusOptions(command: Command): Command {
  return command
    .option('--from <endpoint>', 'only flows from this endpoint (namespace/name or a range first-last), the pods of this namespace, or the external range holding this IP')
    .option('--to <endpoint>', 'only flows to this endpoint, namespace or IP (as --from)')
    .addOption(new Option('--direction <direction>', 'only flows into the cluster from external addresses (ingress), out of it (egress), or between its pods (internal)')
      .choices(['all', 'ingress', 'egress', 'internal']).default('all'))
    .option('--port <port>', 'only flows that allow this destination port', parsePortNumber)
    .option('--protocol <protocol>', 'the protocol of --port (default TCP); alone, only flows that allow some port of it: TCP, UDP or SCTP', parseProtocol);
}

/** The library filter of the focus options. */
export function toFilter(options: FocusCliOptions): ConnectivityFilter {
  return {
    from: options.from,
    to: options.to,
    direction: options.direction.toUpperCase() as FlowDirection,
    port: options.port,
    protocol: options.protocol,
  };
}

/** Formats a connectivity. */
export function formatConnectivity(list: Connectivity, format: ListCommandOptions['format']): string {
  switch (format) {
    case 'json': return JSON.stringify(list.toJson(), undefined, 2) + '\n';
    case 'csv': return list.toCsv();
    case 'md': return list.toMarkdown();
    case 'mermaid': return list.toMermaid();
    case 'dot': return list.toDot();
    default: return list.connections.length === 0 ? 'No allowed flows.\n' : list.toText();
  }
}

/**
 * Runs `netpol list`: prints every allowed flow. Returns the exit code: 0, or 2 when the input
 * could not be read or evaluated or a focus option names nothing.
 */
export function runList(paths: readonly string[], options: ListCommandOptions, io: CliIo): ExitCode {
  const model = loadClusterModel('list', paths, options, io);
  if (!model) return ExitCode.ERROR;
  let list: Connectivity;
  try {
    list = model.connectivity().filter(toFilter(options));
  } catch (err) {
    if (err instanceof RangeError) {
      io.stderr(`netpol list: ${err.message}\n`);
      return ExitCode.ERROR;
    }
    throw err;
  }
  io.stdout(formatConnectivity(list, options.format));
  return ExitCode.OK;
}

/**
 * Registers `netpol list <paths...> [--format text|json|csv|md|mermaid|dot] [--from] [--to] [--direction] [--port]`.
 */
export function registerListCommand(program: Command, ctx: CliContext): Command {
  const command = program
    .command('list')
    .summary('print every flow NetworkPolicies allow, on every port')
    .description(
      'Evaluate the NetworkPolicies in the given YAML or JSON files and directories offline and print every '
      + 'allowed flow, one line per ordered pair of endpoints with anything allowed, with exactly what is allowed: '
      + '"shop/frontend => shop/backend : TCP 8080", "All Connections", "TCP 1-79,81-65535; UDP 53". Endpoints are '
      + 'pods and workloads (namespace/name; a workload stands for its pods) and the address ranges the ipBlocks cut '
      + 'the IPv4 and IPv6 spaces into (first-last), each treated alike by every policy. An endpoint\'s traffic to '
      + 'itself (with --self-traffic allow) and flows between two external addresses are not listed. '
      + 'Directories are read recursively (*.yaml, *.yml, *.json); "-" reads standard input.')
    .argument('<paths...>', 'files or directories to read ("-" for standard input)')
    .addOption(new Option('--format <format>', 'output format (json: see schemas/list.schema.json)').choices(['text', 'json', 'csv', 'md', 'mermaid', 'dot']).default('text'));
  return addAnalysisOptions(addFocusOptions(command))
    .addHelpText('after', '\nExit codes:\n  0  the flows were printed\n  2  some input could not be read or evaluated, a focus option names nothing, or the command was used wrongly')
    .action((paths: string[], opts: ListCommandOptions) => {
      raiseExitCode(ctx, runList(paths, opts, ctx.io));
    });
}
