import { Command, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { formatLoadError, LoadedObject, loadManifests } from '../io/manifest-loader';
import { FieldError, FieldWarning } from '../validation/field-error';
import { NetworkPolicyValidator } from '../validation/network-policy-validator';

/** The options of `netpol validate`. */
export interface ValidateCommandOptions {
  /** `human` (default) or `json`. */
  readonly format: 'human' | 'json';
  /** Match older API servers' CIDR parsing. */
  readonly lenientCidr: boolean;
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

/**
 * Whether an object is a Kubernetes NetworkPolicy (and not, say, Calico's
 * `projectcalico.org/v3` NetworkPolicy, which shares the kind). Objects with
 * another group are skipped; a missing or wrong version of the Kubernetes group is
 * validated, so that it is reported.
 */
export function isKubernetesNetworkPolicy(obj: Record<string, any>): boolean {
  if (obj.kind !== 'NetworkPolicy') return false;
  const apiVersion = obj.apiVersion;
  if (typeof apiVersion !== 'string' || apiVersion === '') return true;
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return group === 'networking.k8s.io' || group === 'extensions' || group === '';
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function plural(n: number, word: string, plur = `${word}s`): string {
  return `${n} ${n === 1 ? word : plur}`;
}

function location(o: LoadedObject): string {
  const parts = [`document ${o.index}`];
  if (o.item !== undefined) parts.push(`item ${o.item}`);
  if (o.line !== undefined) parts.push(`line ${o.line}`);
  return `${o.file} (${parts.join(', ')})`;
}

function toJsonError(e: FieldError): ValidateJsonEntry['errors'][number] {
  return { field: e.field, type: e.type, value: e.value === undefined ? null : e.value, detail: e.detail };
}

function toJsonWarning(w: FieldWarning): ValidateJsonEntry['warnings'][number] {
  return { field: w.field, code: w.code, value: w.value === undefined ? null : w.value, detail: w.detail };
}

/**
 * Runs `netpol validate`: reads the paths, validates every Kubernetes
 * NetworkPolicy and reports. Returns the exit code: 0 when all are valid, 1 when
 * any is invalid, 2 when some input could not be read (this wins over 1).
 */
export function runValidate(paths: readonly string[], options: ValidateCommandOptions, io: CliIo): ExitCode {
  const loaded = loadManifests(paths, { readStdin: () => io.readStdin() });
  for (const e of loaded.errors) {
    io.stderr(`netpol validate: ${formatLoadError(e)}\n`);
  }
  const policies = loaded.objects.filter((o) => isKubernetesNetworkPolicy(o.object));
  const skipped = loaded.objects.length - policies.length;
  const checked = policies.map((o) => {
    const result = NetworkPolicyValidator.validate(o.object, { strictCidr: !options.lenientCidr });
    const metadata = typeof o.object.metadata === 'object' && o.object.metadata !== null ? o.object.metadata : {};
    const entry: ValidateJsonEntry = {
      file: o.file,
      index: o.index,
      ...(o.item !== undefined ? { item: o.item } : {}),
      ...(o.line !== undefined ? { line: o.line } : {}),
      kind: o.object.kind,
      namespace: str(metadata.namespace),
      name: str(metadata.name),
      valid: result.valid,
      errors: result.errors.map(toJsonError),
      warnings: result.warnings.map(toJsonWarning),
    };
    return { o, result, entry };
  });
  const entries = checked.map((c) => c.entry);

  if (options.format === 'json') {
    io.stdout(JSON.stringify(entries, undefined, 2) + '\n');
  } else {
    for (const { o, result, entry } of checked) {
      const who = entry.name === null ? '(unnamed)' : entry.namespace === null ? entry.name : `${entry.namespace}/${entry.name}`;
      let verdict = entry.valid ? 'valid' : `invalid (${plural(entry.errors.length, 'error')})`;
      if (entry.warnings.length > 0) verdict += `, ${plural(entry.warnings.length, 'warning')}`;
      io.stdout(`${location(o)}: NetworkPolicy ${who}: ${verdict}\n`);
      for (const e of result.errors) io.stdout(`  error: ${NetworkPolicyValidator.formatError(e)}\n`);
      for (const w of result.warnings) io.stdout(`  warning: ${NetworkPolicyValidator.formatWarning(w)}\n`);
    }
    const invalid = entries.filter((e) => !e.valid).length;
    const warnings = entries.reduce((n, e) => n + e.warnings.length, 0);
    let summary = policies.length === 0
      ? `No NetworkPolicy found in ${plural(loaded.files.length, 'file')}`
      : `Checked ${plural(policies.length, 'NetworkPolicy', 'NetworkPolicies')} in ${plural(loaded.files.length, 'file')}: `
        + `${entries.length - invalid} valid, ${invalid} invalid, ${plural(warnings, 'warning')}`;
    if (skipped > 0) summary += `; skipped ${plural(skipped, 'other object')}`;
    if (loaded.errors.length > 0) summary += `; ${plural(loaded.errors.length, 'input error')} (see above)`;
    io.stdout(`${summary}.\n`);
  }

  if (loaded.errors.length > 0) return ExitCode.ERROR;
  return entries.some((e) => !e.valid) ? ExitCode.FINDINGS : ExitCode.OK;
}

/**
 * Registers `netpol validate <paths...> [--format human|json] [--lenient-cidr]`.
 */
export function registerValidateCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('validate')
    .summary('check NetworkPolicy manifests as the Kubernetes API server would')
    .description(
      'Check every NetworkPolicy in the given YAML or JSON files and directories exactly as the Kubernetes '
      + 'API server validates it on create (after its defaulting). Errors are printed in the server\'s form; '
      + 'warnings flag what the server accepts but is almost certainly a mistake.\n\n'
      + 'Directories are read recursively (*.yaml, *.yml, *.json); "-" reads standard input. Multi-document '
      + 'YAML and List kinds are expanded; objects of other kinds are skipped.')
    .argument('<paths...>', 'files or directories to check ("-" for standard input)')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .option('--lenient-cidr', 'accept the CIDR forms only older API servers accept (leading zeros, '
      + 'IPv4-mapped IPv6, bits set beyond the prefix), reporting them as warnings', false)
    .addHelpText('after', '\nExit codes:\n  0  every NetworkPolicy is valid\n  1  at least one NetworkPolicy is invalid\n'
      + '  2  some input could not be read, or the command was used wrongly')
    .action((paths: string[], opts: { format: 'human' | 'json'; lenientCidr: boolean }) => {
      raiseExitCode(ctx, runValidate(paths, { format: opts.format, lenientCidr: opts.lenientCidr }, ctx.io));
    });
}
