import { Command, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { AnalysisCliOptions, addAnalysisOptions, loadClusterModel, parseProtocol } from './matrix-command';
import { RowWriter } from './matrix-output';
import { parsePortNumber } from './port-argument';
import { ClusterModel, Connection, Connectivity, ConnectivityFilter, FlowDirection } from '../analysis';
import { Protocol } from '../port';

/** The focus options `netpol list` and `netpol diff` share. */
export interface FocusCliOptions {
  readonly from?: string;
  readonly to?: string;
  readonly direction: 'all' | 'ingress' | 'egress' | 'internal';
  readonly port?: number;
  /** No default: TCP only when `--port` is given (a protocol alone keeps the flows that allow any port of it). */
  readonly protocol?: Protocol;
  readonly inputOnly?: boolean;
}

/**
 * The most flows `netpol list` prints, and `netpol diff` compares in either version: 1,000,000
 * (about a thousand pods that all reach each other). A longer list is refused before it is made,
 * with its count; `--from`, `--to`, `--direction` and `--port` narrow it.
 */
export const MAX_LIST_FLOWS = 1_000_000;

/** The options of `netpol list`. */
export interface ListCommandOptions extends AnalysisCliOptions, FocusCliOptions {
  readonly format: 'text' | 'json' | 'csv' | 'md' | 'mermaid' | 'dot';
}

/** Adds `--from`, `--to`, `--direction`, `--port` and `--protocol`. */
export function addFocusOptions(command: Command): Command {
  return command
    .option('--from <endpoint>', 'only flows from this endpoint (namespace/name or a range first-last), the pods of this namespace, or the external range holding this IP')
    .option('--to <endpoint>', 'only flows to this endpoint, namespace or IP (as --from); with --port, also a Service '
      + '(namespace/name): the flows to the pods it selects on the target port its --port maps to')
    .addOption(new Option('--direction <direction>', 'only flows into the cluster from external addresses (ingress), out of it (egress), or between its pods (internal)')
      .choices(['all', 'ingress', 'egress', 'internal']).default('all'))
    .option('--port <port>', 'only flows that allow this destination port', parsePortNumber)
    // No default: a default protocol would make every unfocused run keep only the flows with a
    // TCP port, silently dropping UDP- and SCTP-only flows (issue 18). TCP applies only to --port.
    .option('--protocol <protocol>', 'the protocol of --port: TCP, UDP or SCTP (TCP when --port is given without it); '
      + 'alone, only flows that allow some port of this protocol', parseProtocol)
    .option('--input-only', 'only the input\'s own endpoints: leave out the representative endpoints (tools/*, */{app=web}) that stand for pods the input does not contain');
}

/**
 * The library filter of the focus options. Only the options the user gave are set: an absent
 * `--port` and `--protocol` keep every flow (the library reads a protocol alone as "some port of
 * that protocol", and a port alone as TCP).
 */
export function toFilter(options: FocusCliOptions): ConnectivityFilter {
  return {
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
    direction: (options.direction ?? 'all').toUpperCase() as FlowDirection,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
  };
}

/**
 * Writes the JSON of a connectivity, exactly as `JSON.stringify(list.toJson(), undefined, 2)`
 * prints it, one flow at a time: a million flows are a few hundred megabytes of JSON, too much
 * to hold as one string beside the objects it is made of.
 */
export function writeConnectivityJson(list: Connectivity, io: CliIo): void {
  const connections = list.connections;
  if (connections.length === 0) {
    io.stdout('{\n  "connections": []\n}\n');
    return;
  }
  const out = new RowWriter(io);
  out.line('{\n  "connections": [');
  const last = connections.length - 1;
  for (let i = 0; i <= last && !out.closed; i++) {
    const c = connections[i]; // as toJson() writes each flow
    out.line(`    ${JSON.stringify({ from: c.from, to: c.to, allowed: c.allowed.toJson() }, undefined, 2).replace(/\n/g, '\n    ')}${i < last ? ',' : ''}`);
  }
  out.line('  ]\n}');
  out.flush();
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
 * With `--to` naming a Service and `--port` one of its ports: the flows to each pod or workload
 * it selects that allow the target port the Service port maps to there (policies see only the
 * target port). The mapping is written to standard error, so every format stays as it is.
 * `undefined` when `--to` is not a Service or there is no `--port`.
 */
function serviceFocus(model: ClusterModel, options: ListCommandOptions, io: CliIo): Connectivity | undefined {
  if (options.to === undefined || options.port === undefined) return undefined;
  const targets = model.serviceQueryTargets({ from: '', to: options.to, port: options.port, protocol: options.protocol });
  if (!targets) return undefined;
  const all = model.connectivity({ inputOnly: options.inputOnly === true });
  const kept = new Map<string, Connection>();
  for (const t of targets) {
    io.stderr(`netpol list: ${t.description} (policies see the target port)\n`);
    if (t.targetPort === undefined) continue;
    if (!all.endpoints.includes(t.endpoint)) {
      // a pod listed under its controller: never drop its flows silently
      throw new RangeError(`to: ${t.endpoint}, selected by Service ${t.service}, is listed under its controller; `
        + `give the controller as --to with --port ${t.targetPort} (the target port)`);
    }
    for (const c of all.filter({ ...toFilter(options), to: t.endpoint, port: t.targetPort, protocol: t.protocol }).connections) {
      kept.set(`${c.from}\u0000${c.to}`, c);
    }
  }
  return new Connectivity(all.endpoints, [...kept.values()]);
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
    list = serviceFocus(model, options, io)
      ?? model.connectivity({ inputOnly: options.inputOnly === true, filter: toFilter(options), maxFlows: MAX_LIST_FLOWS });
  } catch (err) {
    if (err instanceof RangeError || ClusterModel.isInputError(err)) {
      io.stderr(`netpol list: ${(err as Error).message}\n`);
      return ExitCode.ERROR;
    }
    throw err;
  }
  if (options.format === 'json') writeConnectivityJson(list, io);
  else io.stdout(formatConnectivity(list, options.format));
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
      + 'pods and workloads (namespace/name; a workload stands for its pods), representative endpoints for pods the '
      + 'input does not contain but the policies name (<namespace|*|{selector}>/<*|{selector}>, e.g. tools/*, '
      + '*/{role=monitoring}: a pod with exactly the labels the selector requires; see docs/proving-and-reviewing.md), and the address ranges the ipBlocks cut '
      + 'the IPv4 and IPv6 spaces into (first-last), each treated alike by every policy. An endpoint\'s traffic to '
      + 'itself (with --self-traffic allow) and flows between two external addresses are not listed. '
      + `Lists above ${MAX_LIST_FLOWS.toLocaleString('en-US')} flows are refused before they are made; --from, --to, --direction and --port narrow them. `
      + 'A directory is read as kubectl apply -f reads it: its *.yaml, *.yml and *.json files, hidden ones included; its subdirectories only with -R. "-" reads standard input.')
    .argument('<paths...>', 'files or directories to read ("-" for standard input)')
    .addOption(new Option('--format <format>', 'output format (json: see schemas/list.schema.json)').choices(['text', 'json', 'csv', 'md', 'mermaid', 'dot']).default('text'));
  return addAnalysisOptions(addFocusOptions(command))
    .addHelpText('after', '\nExit codes:\n  0  the flows were printed\n  2  some input could not be read or evaluated, a focus option names nothing, or the command was used wrongly')
    .action((paths: string[], opts: ListCommandOptions) => {
      raiseExitCode(ctx, runList(paths, opts, ctx.io));
    });
}
