import * as fs from 'fs';
import { Command, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { addInputOptions, checkNotEmpty, InputCliOptions, loadOptions, printLoadProblems, printSummary } from './command-input';
import { cutError, cutWarning, identity, isClusterWidePolicy, isKubernetesNetworkPolicy, plural, verdictLines } from './policy-report';
import { oneLine } from './terminal-text';
import { ClusterNetworkPolicyValidator, CrdChannel, FieldError, FieldValidation, FieldWarning, NetworkPolicyValidator } from '../index';
import { forEachManifest } from '../io/manifest-loader';
import { lintConfigFileOf, loadLintConfig } from '../lint/lint-config';

export { isKubernetesNetworkPolicy };

/** The options of `netpol validate`. */
export interface ValidateCommandOptions extends Partial<InputCliOptions> {
  /** `human` (default) or `json`. */
  readonly format: 'human' | 'json';
  /** Match older API servers' CIDR parsing. */
  readonly lenientCidr: boolean;
  /** Print only the policies with problems (human format); the summary goes to standard error. */
  readonly quiet?: boolean;
  /** The channel of the network-policy-api CRDs (`standard` or `experimental`, the default). */
  readonly channel?: string;
  /** A lint configuration file (`netpol.config.json`) to check too, with what it extends. */
  readonly config?: string;
}

/** One entry of `--format json` output. */
export interface ValidateJsonEntry {
  readonly file: string;
  readonly index: number;
  readonly item?: number;
  readonly line?: number;
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string | null;
  readonly valid: boolean;
  readonly errors: Array<{ field: string; type: string; value: unknown; detail: string }>;
  readonly warnings: Array<{ field: string; code: string; value: unknown; detail: string }>;
}

function toJsonError(e: FieldError): ValidateJsonEntry['errors'][number] {
  const cut = cutError(e);
  return { field: cut.field, type: cut.type, value: cut.value === undefined ? null : cut.value, detail: cut.detail };
}

function toJsonWarning(w: FieldWarning): ValidateJsonEntry['warnings'][number] {
  const cut = cutWarning(w);
  return { field: cut.field, code: cut.code, value: cut.value === undefined ? null : cut.value, detail: cut.detail };
}

/**
 * Runs `netpol validate`: reads the paths, validates every Kubernetes NetworkPolicy and
 * reports, one file at a time (the objects of a file are dropped once checked, so memory
 * follows the largest file, not the whole input). Returns the exit code: 0 when all are
 * valid, 1 when any is invalid, 2 when some input could not be read or there was none
 * (this wins over 1).
 */
export function runValidate(paths: readonly string[], options: ValidateCommandOptions, io: CliIo): ExitCode {
  const startedAt = Date.now();
  const json = options.format === 'json';
  if (paths.length === 0 && options.config === undefined) {
    io.stderr('netpol validate: nothing to check: give the files or directories of the manifests, or --config <file> for a lint configuration file\n');
    return ExitCode.ERROR;
  }
  const config = options.config === undefined ? undefined : checkConfig(options.config);
  if (config?.missing) {
    io.stderr(`netpol validate: ${oneLine(config.error ?? '')}\n`);
    return ExitCode.ERROR;
  }
  if (config !== undefined && paths.length === 0) return reportConfigOnly(config, json, io);
  let policies = 0;
  let clusterPolicies = 0;
  let invalid = 0;
  const channel = options.channel === CrdChannel.STANDARD ? CrdChannel.STANDARD : CrdChannel.EXPERIMENTAL;
  let warnings = 0;
  let jsonEntries = 0;
  if (json) io.stdout('[');
  if (config !== undefined) {
    if (json) io.stdout(`\n  ${configJson(config).replace(/\n/g, '\n  ')}`);
    else if (!options.quiet || !config.valid) io.stdout(configLines(config));
    jsonEntries++;
  }
  const summary = forEachManifest(paths, loadOptions(options, io), (o) => {
    const clusterWide = isClusterWidePolicy(o.object);
    if (!clusterWide && !isKubernetesNetworkPolicy(o.object)) return;
    if (clusterWide) clusterPolicies++;
    else policies++;
    const result = clusterWide
      ? ClusterNetworkPolicyValidator.validate(o.object, { channel, fieldValidation: options.validate ?? FieldValidation.STRICT })
      : NetworkPolicyValidator.validate(o.object, {
        strictCidr: !options.lenientCidr,
        fieldValidation: options.validate ?? FieldValidation.STRICT,
      });
    if (!result.valid) invalid++;
    warnings += result.warnings.length;
    if (json) {
      const entry: ValidateJsonEntry = {
        file: o.file,
        index: o.index,
        ...(o.item !== undefined ? { item: o.item } : {}),
        ...(o.line !== undefined ? { line: o.line } : {}),
        kind: o.object.kind,
        ...identity(o.object),
        valid: result.valid,
        errors: result.errors.map(toJsonError),
        warnings: result.warnings.map(toJsonWarning),
      };
      const text = JSON.stringify(entry, undefined, 2).replace(/\n/g, '\n  ');
      io.stdout(`${jsonEntries++ === 0 ? '' : ','}\n  ${text}`);
    } else if (!options.quiet || !result.valid || result.warnings.length > 0) {
      for (const line of verdictLines(o, result, clusterWide ? String(o.object.kind) : 'NetworkPolicy')) io.stdout(line);
    }
  });
  if (json) io.stdout(jsonEntries === 0 ? ']\n' : '\n]\n');
  printLoadProblems('validate', summary.errors, summary.warnings, io);
  const empty = summary.errors.length === 0 && !checkNotEmpty('validate', paths, summary.files.length, summary.objectCount, options, io);

  const skipped = summary.objectCount - policies - clusterPolicies;
  const checked = clusterPolicies === 0
    ? plural(policies, 'NetworkPolicy', 'NetworkPolicies')
    : `${plural(policies, 'NetworkPolicy', 'NetworkPolicies')} and ${plural(clusterPolicies, 'cluster-wide policy', 'cluster-wide policies')} (${channel} channel)`;
  let text = policies + clusterPolicies === 0
    ? `No NetworkPolicy found in ${plural(summary.files.length, 'file')}`
    : `Checked ${checked} in ${plural(summary.files.length, 'file')}: `
      + `${(policies + clusterPolicies - invalid).toLocaleString('en-US')} valid, ${invalid.toLocaleString('en-US')} invalid, ${plural(warnings, 'warning')}`;
  if (skipped > 0) text += `; skipped ${plural(skipped, 'other object')}`;
  if (summary.errors.length > 0) text += `; ${plural(summary.errors.length, 'input error')} (see above)`;
  if (config !== undefined) text += `; the lint configuration ${config.valid ? 'is valid' : 'is invalid'}`;
  if (!json && !options.quiet) io.stdout(`${text}.\n`);
  printSummary('validate', text, startedAt, io, !json && options.quiet === true);

  if (summary.errors.length > 0 || empty) return ExitCode.ERROR;
  return invalid > 0 || config?.valid === false ? ExitCode.FINDINGS : ExitCode.OK;
}

/** The verdict on a lint configuration file: the linter's own reading of it (`extends` and the profile included). */
interface ConfigVerdict {
  readonly file: string;
  readonly valid: boolean;
  /** The file does not exist: an input error (exit 2, nothing else checked), as a missing manifest is. */
  readonly missing: boolean;
  /** The files read, the given one last (what it extends first). */
  readonly files: readonly string[];
  readonly error?: string;
}

function checkConfig(file: string): ConfigVerdict {
  try {
    return { file, valid: true, missing: false, files: loadLintConfig(file).files };
  } catch (err) {
    if (lintConfigFileOf(err) === undefined) throw err;
    return { file, valid: false, missing: !fs.existsSync(file), files: [], error: (err as Error).message };
  }
}

function configLines(config: ConfigVerdict): string {
  const extended = config.files.length > 1 ? ` (extends ${config.files.slice(0, -1).map(f => oneLine(f)).join(', ')})` : '';
  return config.valid
    ? `${oneLine(config.file)}: lint configuration: valid${extended}\n`
    : `${oneLine(config.file)}: lint configuration: invalid\n  error: ${oneLine(config.error ?? '')}\n`;
}

function configJson(config: ConfigVerdict): string {
  return JSON.stringify({
    file: config.file,
    index: 0,
    kind: 'LintConfiguration',
    namespace: null,
    name: null,
    valid: config.valid,
    errors: config.valid ? [] : [{ field: '', type: 'Invalid value', value: null, detail: config.error }],
    warnings: [],
  }, undefined, 2);
}

/** `netpol validate --config <file>` without manifests: the configuration's verdict alone. */
function reportConfigOnly(config: ConfigVerdict, json: boolean, io: CliIo): ExitCode {
  io.stdout(json ? `[\n  ${configJson(config).replace(/\n/g, '\n  ')}\n]\n` : configLines(config));
  return config.valid ? ExitCode.OK : ExitCode.FINDINGS;
}

/**
 * Registers `netpol validate <paths...> [--format human|json] [--lenient-cidr] [--quiet]`.
 */
export function registerValidateCommand(program: Command, ctx: CliContext): Command {
  const command = program
    .command('validate')
    .summary('check NetworkPolicy manifests as the Kubernetes API server would')
    .description(
      'Check every NetworkPolicy in the given YAML or JSON files and directories exactly as the Kubernetes '
      + 'API server validates it on create (after its defaulting), and every ClusterNetworkPolicy (v1alpha2), '
      + 'AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1) as the network-policy-api CRDs of the '
      + '--channel validate them. Errors are printed in the server\'s form; '
      + 'warnings flag what the server accepts but is almost certainly a mistake.\n\n'
      + 'A directory is read as kubectl apply -f reads it: its *.yaml, *.yml and *.json files, hidden ones included; its subdirectories only with -R. "-" reads standard input. Multi-document '
      + 'YAML and List kinds are expanded; objects of other kinds are skipped.')
    .argument('[paths...]', 'files or directories to check ("-" for standard input)')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .option('--lenient-cidr', 'accept the CIDR forms only older API servers accept (leading zeros, '
      + 'IPv4-mapped IPv6, bits set beyond the prefix), reporting them as warnings', false)
    .addOption(new Option('--channel <channel>', 'the channel of the installed network-policy-api CRDs, for ClusterNetworkPolicy, '
      + 'AdminNetworkPolicy and BaselineAdminNetworkPolicy objects').choices(['standard', 'experimental']).default('experimental'))
    .option('-q, --quiet', 'print only the NetworkPolicies with errors or warnings; the summary line goes to standard error', false)
    .option('--config <file>', 'also check a lint configuration file (netpol.config.json) as netpol lint reads it, with the files it extends '
      + 'and its cluster profile; with no paths, check only the file');
  return addInputOptions(command)
    .addHelpText('after', '\nExit codes:\n  0  every NetworkPolicy (and the --config file) is valid\n  1  at least one NetworkPolicy, or the --config file, is invalid\n'
      + '  2  some input could not be read (a --config file that does not exist included), no Kubernetes object was\n'
      + '     found (see --allow-empty), the output could not be written, or the command was used wrongly')
    .action((paths: string[], opts: ValidateCommandOptions) => {
      raiseExitCode(ctx, runValidate(paths, opts, ctx.io));
    });
}
