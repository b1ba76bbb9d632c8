import { Command, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { FocusCliOptions, MAX_LIST_FLOWS, addFocusOptions, toFilter } from './list-command';
import { AnalysisCliOptions, addAnalysisOptions, loadClusterModel } from './matrix-command';
import { ConnectivityDiff } from '../analysis';

/** The options of `netpol diff`. */
export interface DiffCommandOptions extends AnalysisCliOptions, FocusCliOptions {
  readonly format: 'text' | 'json' | 'md';
  readonly failOn?: 'opened' | 'closed' | 'changed' | 'any';
}

/** Whether the diff trips the gate. */
export function gateTrips(diff: ConnectivityDiff, gate: DiffCommandOptions['failOn']): boolean {
  switch (gate) {
    case 'opened': return diff.opensConnections;
    case 'closed': return diff.closesConnections;
    case 'changed': return diff.changedCount > 0;
    case 'any': return diff.changes.length > 0;
    default: return false;
  }
}

/**
 * Runs `netpol diff`: prints how connectivity changed from `before` to `after`. Returns the exit
 * code: 0; 4 when `--fail-on` trips; 2 when the input could not be read or evaluated or a focus
 * option names nothing.
 */
export function runDiff(before: string, after: string, options: DiffCommandOptions, io: CliIo): number {
  const beforeModel = loadClusterModel('diff', [before], options, io);
  const afterModel = loadClusterModel('diff', [after], options, io);
  if (!beforeModel || !afterModel) return ExitCode.ERROR;
  let diff: ConnectivityDiff;
  try {
    diff = ConnectivityDiff.betweenModels(beforeModel, afterModel, { inputOnly: options.inputOnly === true, maxFlows: MAX_LIST_FLOWS })
      .filter(toFilter(options));
  } catch (err) {
    if (err instanceof RangeError) {
      io.stderr(`netpol diff: ${err.message}\n`);
      return ExitCode.ERROR;
    }
    throw err;
  }
  switch (options.format) {
    case 'json': io.stdout(JSON.stringify(diff.toJson(), undefined, 2) + '\n'); break;
    case 'md': io.stdout(diff.toMarkdown()); break;
    default: io.stdout(diff.toText());
  }
  if (gateTrips(diff, options.failOn)) {
    io.stderr(`netpol diff: --fail-on ${options.failOn}: ${diff.summary()}\n`);
    return ExitCode.GATE_TRIPPED;
  }
  return ExitCode.OK;
}

/**
 * Registers `netpol diff <before> <after> [--format text|json|md] [--fail-on opened|closed|changed|any]`.
 */
export function registerDiffCommand(program: Command, ctx: CliContext): Command {
  const command = program
    .command('diff')
    .summary('print how the allowed flows changed between two versions')
    .description(
      'Evaluate two versions of a cluster\'s manifests (two files or directories, e.g. dist/ of the base branch '
      + 'and of a pull request) offline and print the flows that were added, removed or changed (widened: gained ports; '
      + 'narrowed: lost ports), each with what it allowed before and after (as in netpol list) and the policy rules that '
      + 'allow it in each version, and the endpoints that appeared or disappeared. Text and Markdown merge a change\'s '
      + 'address ranges into the fewest CIDRs. --format md is a pull-request comment: a heading, the summary, the rows '
      + 'that open something first, the rest folded, at most 60,000 characters. '
      + `A version with more than ${MAX_LIST_FLOWS.toLocaleString('en-US')} flows to compare (flows with an end in a namespace that changed) is refused.`)
    .argument('<before>', 'the old version: a file or a directory ("-" for standard input)')
    .argument('<after>', 'the new version: a file or a directory')
    .addOption(new Option('--format <format>', 'output format (json: see schemas/diff.schema.json)').choices(['text', 'json', 'md']).default('text'))
    .addOption(new Option('--fail-on <change>', 'exit 4 when a flow (within the focus) opened a connection (added, or widened), '
      + 'closed one (removed, or narrowed), changed (widened or narrowed), or any of these; the summary counts the same')
      .choices(['opened', 'closed', 'changed', 'any']));
  return addAnalysisOptions(addFocusOptions(command))
    .addHelpText('after', '\nExit codes:\n  0  the changes were printed (and --fail-on did not trip)\n'
      + '  4  --fail-on tripped: a change of that kind is in the output\n'
      + '  2  some input could not be read or evaluated, a focus option names nothing, or the command was used wrongly')
    .action((before: string, after: string, opts: DiffCommandOptions) => {
      raiseExitCode(ctx, runDiff(before, after, opts, ctx.io) as ExitCode);
    });
}
