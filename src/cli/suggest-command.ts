import { Command, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { AnalysisCliOptions, addAnalysisOptions, loadClusterModel } from './matrix-command';
import { PROFILE_HELP, parseProfile, profileOf } from './profile-argument';
import { oneLine, printable } from './terminal-text';
import { ClusterModel } from '../analysis';
import { ClusterProfile } from '../cluster-profile';
import { DEFAULT_MAX_FILE_BYTES, MIB } from '../io/input-limits';
import { InputReadError, readRegularFile, readStandardInput } from '../io/read-input';
import { decodeText } from '../io/text-encoding';
import { MatchedFlow } from '../suggest/matched-flow';
import { readMatchedFlow } from '../suggest/matched-flow-reader';
import { PolicySuggestion } from '../suggest/policy-suggestion';

/** The options of `netpol suggest`. */
export interface SuggestCommandOptions extends AnalysisCliOptions {
  readonly flows: string;
  readonly policies?: string;
  readonly format: 'yaml' | 'ts';
  readonly profile?: ClusterProfile;
  readonly config?: string;
  readonly anywhereForExternal?: boolean;
  readonly clusterCidr: string[];
}

/** A flows file: its flows, with the line each came from. */
interface FlowsFile {
  readonly flows: MatchedFlow[];
  readonly lines: number[];
}

/**
 * Reads the generic matched form: JSON lines, one `MatchedFlow` per line (blank lines
 * skipped). Every problem is reported with the file and line; none is skipped silently.
 */
function readFlowsFile(file: string, maxBytes: number, io: CliIo): FlowsFile | undefined {
  const name = file === '-' ? '<stdin>' : printable(file);
  let decoded;
  try {
    const stdin = () => {
      const given = io.readStdin?.();
      return given === undefined ? readStandardInput(maxBytes) : typeof given === 'string' ? Buffer.from(given, 'utf8') : given;
    };
    decoded = decodeText(file === '-' ? stdin() : readRegularFile(file, maxBytes));
  } catch (err) {
    if (err instanceof InputReadError) {
      io.stderr(`netpol suggest: ${name}: ${err.message}\n`);
      return undefined;
    }
    throw err;
  }
  if (decoded.problem) {
    io.stderr(`netpol suggest: ${name}: ${decoded.problem}\n`);
    return undefined;
  }
  const flows: MatchedFlow[] = [];
  const lines: number[] = [];
  let problems = 0;
  decoded.text.split('\n').forEach((raw, i) => {
    const text = raw.replace(/\r$/, '');
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      problems++;
      io.stderr(`netpol suggest: ${name}:${i + 1}: not a JSON object: ${oneLine((err as Error).message)}\n`);
      return;
    }
    const flow = readMatchedFlow(`${name}:${i + 1}`, value);
    if (typeof flow === 'string') {
      problems++;
      io.stderr(`netpol suggest: ${oneLine(flow)}\n`);
      return;
    }
    flows.push(flow);
    lines.push(i + 1);
  });
  if (problems > 0) return undefined;
  if (flows.length === 0) {
    io.stderr(`netpol suggest: ${name}: no flow: give one JSON object per line, {"from":"shop/web","to":"shop/db","protocol":"TCP","port":5432}\n`);
    return undefined;
  }
  return { flows, lines };
}

/**
 * Runs `netpol suggest`: prints least-privilege policies for the observed flows, with the
 * engine's proof as comments. Returns 0 when the proof holds, 1 when it does not (flows left
 * denied, or pairs allowed beyond the observed flows), 2 when the input cannot be read.
 */
export function runSuggest(manifests: readonly string[], options: SuggestCommandOptions, io: CliIo): number {
  const read = readFlowsFile(options.flows, (options.maxFileSize ?? DEFAULT_MAX_FILE_BYTES / MIB) * MIB, io);
  if (!read) return ExitCode.ERROR;
  const model = loadClusterModel('suggest', [...manifests, ...(options.policies !== undefined ? [options.policies] : [])], options, io);
  if (!model) return ExitCode.ERROR;
  const flowsName = options.flows === '-' ? '<stdin>' : printable(options.flows);
  let suggestion: PolicySuggestion;
  try {
    suggestion = PolicySuggestion.fromFlows(model, read.flows, {
      profile: profileOf(options.profile, options.config),
      anywhereForExternal: options.anywhereForExternal === true,
      clusterCidrs: options.clusterCidr,
    });
  } catch (err) {
    if (ClusterModel.isInputError(err) || (err as Error)?.name === 'PolicyError') {
      // a flow's place in the list is its line in the file
      const message = (err as Error).message.replace(/^flows\[(\d+)\]/, (_, i) => `${flowsName}:${read.lines[Number(i)]}`);
      io.stderr(`netpol suggest: ${oneLine(message)}\n`);
      return ExitCode.ERROR;
    }
    throw err;
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
 * Registers `netpol suggest --flows <file.jsonl> <manifests...> [--policies <dir>] [--format yaml|ts] [--profile <name>]`.
 */
export function registerSuggestCommand(program: Command, ctx: CliContext): Command {
  const command = program
    .command('suggest')
    .summary('suggest least-privilege policies from observed flows, with the proof')
    .description(
      'Suggest NetworkPolicies that allow exactly the observed flows between the workloads of the manifests: a '
      + 'NamespaceBaseline per namespace (default deny, the metadata guarantee, DNS where it was observed), then one policy per '
      + 'workload and direction, selected by its fewest stable labels, peers by their labels, observed ports merged, external '
      + 'addresses as /32 or /128. With --policies (the current policies), only what they deny is suggested. The flows are JSON '
      + 'lines already matched to the manifests\' endpoints, one per line: {"from":"shop/web","to":"shop/db","protocol":"TCP",'
      + '"port":5432,"count":12} (names as netpol list writes them; an IP address for an end outside the cluster). The proof, '
      + 'checked by the connectivity engine on the manifests with the suggestion added, is printed first as comments.')
    .argument('<manifests...>', 'the workloads: files or directories of manifests ("-" for standard input)')
    .requiredOption('--flows <file>', 'the observed flows, matched to the manifests\' endpoints, as JSON lines ("-" for standard input)')
    .option('--policies <path>', 'the current policies (a file or directory): only what they deny is suggested')
    .addOption(new Option('--format <format>', 'yaml: NetworkPolicy objects; ts: a cdk8s app of this library\'s constructs').choices(['yaml', 'ts']).default('yaml'))
    .option('--profile <name>', PROFILE_HELP, parseProfile)
    .option('--config <file>', 'the configuration file whose options.profile applies (default: netpol.config.json, searched upwards)')
    .option('--anywhere-for-external', 'an external address outside --cluster-cidr becomes every address of its family (0.0.0.0/0 or ::/0), '
      + 'not the observed address alone; only for workloads that talk to the whole internet', false)
    .addOption(new Option('--cluster-cidr <cidr>', 'a range of the cluster\'s own addresses (pods, nodes), never part of an anywhere peer (repeatable)')
      .argParser((cidr: string, all: string[]) => [...all, cidr]).default([], 'none'));
  return addAnalysisOptions(command)
    .addHelpText('after', '\nExit codes:\n  0  the suggestion was printed and its proof holds\n'
      + '  1  the suggestion was printed, but its proof does not hold: observed flows it leaves denied (a metadata endpoint, a workload '
      + 'without labels to select it by), or pairs of workloads allowed beyond the observed flows (shared labels); the comments say which and why\n'
      + '  2  some input could not be read or evaluated (a flow names an unknown endpoint), or the command was used wrongly')
    .action((manifests: string[], opts: SuggestCommandOptions) => {
      raiseExitCode(ctx, runSuggest(manifests, opts, ctx.io) as ExitCode);
    });
}
