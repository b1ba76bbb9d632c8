import { Command, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { printSummary } from './command-input';
import { FlowFormatIn, formatInOption, readFlowFiles } from './flow-files';
import { AnalysisCliOptions, addAnalysisOptions, loadClusterModel } from './matrix-command';
import { printableLines } from './terminal-text';
import { FlowReplay, ReplayReport } from '../index';

/** The options of `netpol replay`. */
export interface ReplayCommandOptions extends AnalysisCliOptions {
  readonly policies: string[];
  readonly against?: string[];
  readonly formatIn: FlowFormatIn;
  readonly format: 'text' | 'json' | 'md';
  readonly failOn?: 'broken' | 'newly-broken';
}

/** Whether the report trips the gate. */
export function replayGateTrips(report: ReplayReport, gate: ReplayCommandOptions['failOn']): boolean {
  switch (gate) {
    case 'broken': return report.againstGiven ? report.changeBreaks.length > 0 || report.brokenNow.length > 0 : report.brokenNow.length > 0;
    case 'newly-broken': return report.changeBreaks.length > 0;
    default: return false;
  }
}

/**
 * Runs `netpol replay`: reads observed flows, evaluates each against the policies (and
 * `--against`), prints the report. Returns the exit code: 0; 4 when `--fail-on` trips; 2 when
 * a flow file or the manifests could not be read or evaluated.
 */
export async function runReplay(files: readonly string[], options: ReplayCommandOptions, io: CliIo): Promise<number> {
  const startedAt = Date.now();
  if (options.failOn === 'newly-broken' && !options.against) {
    io.stderr('netpol replay: --fail-on newly-broken needs --against: the flows a change newly denies are those allowed by --policies and denied by --against\n');
    return ExitCode.ERROR;
  }
  const before = loadClusterModel('replay', options.policies, options, io);
  if (!before) return ExitCode.ERROR;
  const after = options.against ? loadClusterModel('replay', options.against, options, io) : undefined;
  if (options.against && !after) return ExitCode.ERROR;
  const observed = await readFlowFiles('replay', files, options.formatIn, options.maxFileSize, io, '(the JSON report lists the first 1,000)');
  if (!observed) return ExitCode.ERROR;
  const report = FlowReplay.replay(before, observed, after ? { against: after } : {});
  switch (options.format) {
    case 'json': io.stdout(JSON.stringify(report.toJson(), undefined, 2) + '\n'); break;
    case 'md': io.stdout(report.toMarkdown()); break;
    default: io.stdout(printableLines(report.toText()));
  }
  printSummary('replay', report.summary(), startedAt, io);
  if (replayGateTrips(report, options.failOn)) {
    io.stderr(`netpol replay: --fail-on ${options.failOn}: ${report.summary()}\n`);
    return ExitCode.GATE_TRIPPED;
  }
  return ExitCode.OK;
}

const collect = (value: string, all: string[] | undefined) => [...(all ?? []), value];

/**
 * Registers `netpol replay <flows...> --policies <paths> [--against <paths>] [--format-in ...]
 * [--format text|json|md] [--fail-on broken|newly-broken]`.
 */
export function registerReplayCommand(program: Command, ctx: CliContext): Command {
  const command = program
    .command('replay')
    .summary('judge observed traffic against the policies: what is broken now, what a change would break')
    .description(
      'Read observed flows (Cilium Hubble\'s hubble observe -o json, Calico flow logs, Inspektor Gadget network traces, '
      + 'or the generic JSON-lines/CSV form: source, destination, protocol, port, count; see docs/observed-traffic.md), '
      + 'match each end to the endpoints of the manifests (by namespace and pod name, workload name, labels, then IP; an '
      + 'address outside the cluster stays an address), and evaluate every flow offline as netpol explain does: the flows '
      + 'the policies deny now, the flows --against newly denies (what the change breaks), each group with the deciding '
      + 'policy and rule; the flows that match nothing (kept, with the reason); and the paths the policies allow between '
      + 'the input\'s endpoints that no flow used (candidates to close). Flow files are streamed (regular files only); '
      + 'a line that cannot be read is a warning with its file and line, never dropped silently. --format md is a '
      + 'pull-request comment, as netpol diff writes one.')
    .argument('<flows...>', 'flow files ("-" for standard input)')
    .requiredOption('--policies <path>', 'the manifests with the current policies: a file or directory (repeatable)', collect)
    .option('--against <path>', 'the manifests with the changed policies (repeatable)', collect)
    .addOption(formatInOption())
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']).default('text'))
    .addOption(new Option('--fail-on <what>', 'exit 4 when an observed flow is denied: broken (by the policies judged: --policies, and --against '
      + 'when given) or newly-broken (allowed by --policies, denied by --against)').choices(['broken', 'newly-broken']));
  return addAnalysisOptions(command)
    .addHelpText('after', '\nExit codes:\n  0  the report was printed (and --fail-on did not trip)\n'
      + '  4  --fail-on tripped: an observed flow is denied (broken) or newly denied by --against (newly-broken)\n'
      + '  2  a flow file or the manifests could not be read or evaluated, or the command was used wrongly')
    .action(async (files: string[], opts: ReplayCommandOptions) => {
      raiseExitCode(ctx, await runReplay(files, opts, ctx.io) as ExitCode);
    });
}
