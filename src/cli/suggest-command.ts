import { Command, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { FlowFormatIn, PRINTED_FLOW_PROBLEMS, formatInOption, readFlowFiles } from './flow-files';
import { AnalysisCliOptions, addAnalysisOptions, loadClusterModel } from './matrix-command';
import { PROFILE_HELP, parseProfile, profileOf } from './profile-argument';
import { oneLine } from './terminal-text';
import { ClusterModel } from '../analysis';
import { ClusterProfile } from '../cluster-profile';
import { PolicySuggestion } from '../suggest/policy-suggestion';

/** The options of `netpol suggest`. */
export interface SuggestCommandOptions extends AnalysisCliOptions {
  readonly flows: string[];
  readonly formatIn: FlowFormatIn;
  readonly policies?: string;
  readonly format: 'yaml' | 'ts';
  readonly profile?: ClusterProfile;
  readonly config?: string;
  readonly anywhereForExternal?: boolean;
  readonly includeDropped?: boolean;
  readonly clusterCidr: string[];
}

/**
 * Runs `netpol suggest`: prints least-privilege policies for the observed flows, with the
 * engine's proof as comments. Returns 0 when the proof holds, 1 when it does not (flows left
 * denied, or pairs allowed beyond the observed flows), 2 when the input cannot be read.
 */
export async function runSuggest(manifests: readonly string[], options: SuggestCommandOptions, io: CliIo): Promise<number> {
  const observed = await readFlowFiles('suggest', options.flows, options.formatIn, options.maxFileSize, io);
  if (!observed) return ExitCode.ERROR;
  if (observed.flows.length === 0) {
    io.stderr(`netpol suggest: no flow read from ${oneLine(options.flows.join(', '))}: give the flows of a recorder (--format-in), or the generic form, `
      + 'one per line: {"source":"shop/web","destination":"shop/db","protocol":"TCP","port":5432,"count":12}\n');
    return ExitCode.ERROR;
  }
  const model = loadClusterModel('suggest', [...manifests, ...(options.policies !== undefined ? [options.policies] : [])], options, io);
  if (!model) return ExitCode.ERROR;
  let suggestion: PolicySuggestion;
  try {
    suggestion = PolicySuggestion.fromObserved(model, observed, {
      profile: profileOf(options.profile, options.config),
      anywhereForExternal: options.anywhereForExternal === true,
      clusterCidrs: options.clusterCidr,
      includeDropped: options.includeDropped === true,
    });
  } catch (err) {
    if (ClusterModel.isInputError(err) || (err as Error)?.name === 'PolicyError') {
      io.stderr(`netpol suggest: ${oneLine((err as Error).message)}\n`);
      return ExitCode.ERROR;
    }
    throw err;
  }
  const unmatched = suggestion.unmatched;
  for (const u of unmatched.slice(0, PRINTED_FLOW_PROBLEMS)) {
    io.stderr(`netpol suggest: warning: ${oneLine(`${u.firstSeen}: unmatched: ${u.source} => ${u.destination} ${u.protocol}/${u.port}: ${u.reason}`)}\n`);
  }
  if (unmatched.length > PRINTED_FLOW_PROBLEMS) {
    io.stderr(`netpol suggest: warning: ${unmatched.length - PRINTED_FLOW_PROBLEMS} more unmatched flows\n`);
  }
  if (suggestion.flows.length === 0 && suggestion.dropped.length > 0) {
    io.stderr(`netpol suggest: every one of the ${suggestion.dropped.length} observed flows that match the manifests' workloads was reported dropped `
      + 'by the recorder: nothing to suggest without --include-dropped (use it if they are dependencies, not scans or mistakes)\n');
    return ExitCode.ERROR;
  }
  if (suggestion.flows.length === 0) {
    io.stderr(`netpol suggest: none of the ${unmatched.length} observed flows matches the manifests' workloads: nothing to suggest `
      + '(a suggestion from no flow would only deny); check the manifests and the flows\' namespaces and names\n');
    return ExitCode.ERROR;
  }
  io.stdout(options.format === 'ts' ? suggestion.toTypeScript() : suggestion.toYaml());
  if (!suggestion.proof.holds) {
    io.stderr('netpol suggest: the proof does not hold: '
      + `${suggestion.proof.denied.length} observed flows left denied, ${suggestion.proof.extraPairs.filter(x => !x.dns).length} pairs allowed beyond the observed flows (see the comments at the top)\n`);
    return ExitCode.FINDINGS;
  }
  return ExitCode.OK;
}

/**
 * Registers `netpol suggest --flows <file> [--flows <file>...] [--format-in ...] <manifests...> [--policies <dir>] [--format yaml|ts] [--profile <name>]`.
 */
export function registerSuggestCommand(program: Command, ctx: CliContext): Command {
  const command = program
    .command('suggest')
    .summary('suggest least-privilege policies from observed flows, with the proof')
    .description(
      'Suggest NetworkPolicies that allow exactly the observed flows between the workloads of the manifests: a '
      + 'NamespaceBaseline per namespace (default deny, the metadata guarantee, DNS where it was observed), then one policy per '
      + 'workload and direction, selected by its fewest stable labels, peers by their labels, observed ports merged, external '
      + 'addresses as /32 or /128. With --policies (the current policies), only what they deny is suggested. The flows are read '
      + 'and matched to the manifests\' endpoints exactly as netpol replay reads and matches them (Hubble, Calico, Inspektor Gadget, '
      + 'or the generic JSON-lines/CSV form {"source":"shop/web","destination":"shop/db","protocol":"TCP","port":5432,"count":12}; see '
      + 'docs/observed-traffic.md); an unreadable line or a flow that matches nothing is a warning with its file and line, and '
      + 'an unmatched flow is listed in the comments, never dropped silently. The proof, '
      + 'checked by the connectivity engine on the manifests with the suggestion added, is printed first as comments.')
    .argument('<manifests...>', 'the workloads: files or directories of manifests ("-" for standard input)')
    .requiredOption('--flows <file>', 'a file of observed flows (repeatable; "-" alone for standard input)', (file: string, all: string[] | undefined) => [...(all ?? []), file])
    .addOption(formatInOption())
    .option('--policies <path>', 'the current policies (a file or directory): only what they deny is suggested')
    .addOption(new Option('--format <format>', 'yaml: NetworkPolicy objects; ts: a cdk8s app of this library\'s constructs').choices(['yaml', 'ts']).default('yaml'))
    .option('--profile <name>', PROFILE_HELP, parseProfile)
    .option('--config <file>', 'the configuration file whose options.profile applies (default: netpol.config.json, searched upwards)')
    .option('--anywhere-for-external', 'an external address outside --cluster-cidr becomes every address of its family (0.0.0.0/0 or ::/0), '
      + 'not the observed address alone; only for workloads that talk to the whole internet', false)
    .option('--include-dropped', 'also suggest the flows the recorder reported dropped (Hubble DROPPED, Calico deny): by default they are '
      + 'left out and listed in the proof, since a scan or a mistake looks like a broken dependency', false)
    .addOption(new Option('--cluster-cidr <cidr>', 'a range of the cluster\'s own addresses (pods, nodes), never part of an anywhere peer (repeatable)')
      .argParser((cidr: string, all: string[]) => [...all, cidr]).default([], 'none'));
  return addAnalysisOptions(command)
    .addHelpText('after', '\nExit codes:\n  0  the suggestion was printed and its proof holds\n'
      + '  1  the suggestion was printed, but its proof does not hold: observed flows it leaves denied (a metadata endpoint, a workload '
      + 'without labels to select it by), or pairs of workloads allowed beyond the observed flows (shared labels); the comments say which and why\n'
      + '  2  some input could not be read or evaluated (no flow read, or none matches the manifests), or the command was used wrongly')
    .action(async (manifests: string[], opts: SuggestCommandOptions) => {
      raiseExitCode(ctx, await runSuggest(manifests, opts, ctx.io) as ExitCode);
    });
}
