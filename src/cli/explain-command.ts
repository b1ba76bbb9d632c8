import { Command, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { AnalysisCliOptions, addAnalysisOptions, loadClusterModel, parseProtocol } from './matrix-command';
import { parsePortArgument, PortArgument } from './port-argument';
import { oneLine, printableReport } from './terminal-text';
import { ClusterModel, Protocol, ServiceTarget, TrafficQuery, Verdict } from '../index';

/** The options of `netpol explain`. */
export interface ExplainCommandOptions extends AnalysisCliOptions {
  readonly from: string;
  readonly to: string;
  /** A port number or a container port name of the destination. */
  readonly port: PortArgument;
  readonly protocol: Protocol;
  readonly format: 'human' | 'json';
}

/**
 * Runs `netpol explain`: prints whether one connection is allowed and why. Returns the exit
 * code: 0 allowed, 3 denied, 2 when the input or the query could not be evaluated.
 */
export function runExplain(paths: readonly string[], options: ExplainCommandOptions, io: CliIo): number {
  const model = loadClusterModel('explain', paths, options, io);
  if (!model) return ExitCode.ERROR;
  let verdict;
  try {
    const targets = model.serviceQueryTargets(query(options));
    if (targets) return explainService(model, targets, options, io);
    verdict = model.allowed(query(options));
  } catch (err) {
    if (ClusterModel.isInputError(err)) {
      io.stderr(`netpol explain: ${oneLine((err as Error).message)}\n`);
      return ExitCode.ERROR;
    }
    throw err;
  }
  io.stdout(options.format === 'json' ? JSON.stringify(verdict, undefined, 2) + '\n' : printableReport(verdict.explanation) + '\n');
  return verdict.allowed ? ExitCode.OK : ExitCode.DENIED;
}

/** The query of the options. */
function query(options: ExplainCommandOptions): TrafficQuery {
  return {
    from: options.from,
    to: options.to,
    protocol: options.protocol,
    ...(options.port.name !== undefined ? { portName: options.port.name } : { port: options.port.number }),
  };
}

/**
 * Explains a connection to a Service port: the target port it maps to on each selected endpoint,
 * and the verdict there (policies see only the pod and its target port). Exit 0 when every
 * selected endpoint allows it, 3 when one denies it or cannot receive it, 2 when the Service
 * selects nothing.
 */
function explainService(model: ClusterModel, targets: ServiceTarget[], options: ExplainCommandOptions, io: CliIo): number {
  if (targets.length === 0) {
    io.stderr(`netpol explain: Service ${options.to} selects no pod or workload of the input: nothing receives its traffic\n`);
    return ExitCode.ERROR;
  }
  let verdicts: (Verdict | undefined)[];
  try {
    verdicts = targets.map(t => (t.targetPort === undefined ? undefined
      : model.allowed({ from: options.from, to: t.endpoint, port: t.targetPort, protocol: options.protocol })));
  } catch (err) {
    if (ClusterModel.isInputError(err)) {
      io.stderr(`netpol explain: ${oneLine((err as Error).message)}\n`);
      return ExitCode.ERROR;
    }
    throw err;
  }
  const allowed = verdicts.every(v => v !== undefined && v.allowed);
  if (options.format === 'json') {
    io.stdout(JSON.stringify({ service: targets[0].service, allowed, targets: targets.map((t, i) => ({ ...t, verdict: verdicts[i] ?? null })) }, undefined, 2) + '\n');
  } else {
    const lines = [`${targets[0].service} is a Service: policies see the pod it selects and the target port, never the Service port`];
    targets.forEach((t, i) => {
      lines.push(t.description);
      const v = verdicts[i];
      lines.push(v ? printableReport(v.explanation) : `  no traffic: ${t.endpoint} has no such container port`);
    });
    io.stdout(lines.join('\n') + '\n');
  }
  return allowed ? ExitCode.OK : ExitCode.DENIED;
}

/**
 * Registers `netpol explain <paths...> --from ns/pod --to ns/pod|IP --port N [--protocol P]`.
 */
export function registerExplainCommand(program: Command, ctx: CliContext): Command {
  const command = program
    .command('explain')
    .summary('say whether NetworkPolicies allow one connection, and why')
    .description(
      'Evaluate the NetworkPolicies in the given YAML or JSON files and directories offline for one '
      + 'connection, and print the verdict with the reason of each direction: whether the source is '
      + 'isolated for egress and the destination for ingress, and which policy rule allows it, or why '
      + 'no rule does. Endpoints are namespace/name (a workload stands for its pods under its own name) '
      + 'or IP addresses. Every NetworkPolicy is validated first, as netpol validate does: an invalid one '
      + 'is an input error, never evaluated. A directory is read as kubectl apply -f reads it: its *.yaml, '
      + '*.yml and *.json files, hidden ones included; its subdirectories only with -R. "-" reads standard input.')
    .argument('<paths...>', 'files or directories to read ("-" for standard input)')
    .requiredOption('--from <endpoint>', 'the source: namespace/name, a representative endpoint (tools/*, */{app=web}, {team=a}/{app=x}: a pod the input does not contain) or an IP address')
    .requiredOption('--to <endpoint>', 'the destination: namespace/name, a representative endpoint (as --from), an IP address, or a Service (namespace/name: its --port is a Service port, '
      + 'evaluated on the target port it maps to on each pod it selects)')
    .requiredOption('--port <port>', 'the destination port: a number, or the name of a container port of the destination (of a Service: its port)', parsePortArgument)
    .option('--protocol <protocol>', 'TCP, UDP or SCTP', parseProtocol, Protocol.TCP)
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'));
  return addAnalysisOptions(command)
    .addHelpText('after', '\nExit codes:\n  0  the connection is allowed\n  3  the connection is denied\n'
      + '  2  some input could not be read, held an invalid NetworkPolicy or no object (see --allow-empty),\n'
      + '     the query could not be evaluated, the output could not be written, or the command was used wrongly')
    .action((paths: string[], opts: ExplainCommandOptions) => {
      raiseExitCode(ctx, runExplain(paths, opts, ctx.io));
    });
}
