import { Yaml } from 'cdk8s';
import { Command, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { addInputOptions, InputCliOptions, readAnalysisInput } from './command-input';
import { plural } from './policy-report';
import { oneLine } from './terminal-text';
import { ClusterPolicyMigration } from '../index';

/** The options of `netpol migrate`. */
export interface MigrateCommandOptions extends Partial<InputCliOptions> {
  /** `yaml` (default) or `json`. */
  readonly format: 'yaml' | 'json';
  /** The v1alpha2 name of the BaselineAdminNetworkPolicy. */
  readonly baselineName?: string;
}

/**
 * Runs `netpol migrate`: prints a ClusterNetworkPolicy (v1alpha2) for every AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy (v1alpha1) of the input, after checking with the engine that the
 * input's connectivity is the same with the new objects. Exit 0 when equivalent, 1 when not
 * (nothing printed), 2 for unreadable or invalid input.
 */
export function runMigrate(paths: readonly string[], options: MigrateCommandOptions, io: CliIo): ExitCode {
  const loaded = readAnalysisInput('migrate', paths, options, io);
  if (!loaded) return ExitCode.ERROR;
  let result;
  try {
    const migrationOptions = options.baselineName !== undefined ? { baselineName: options.baselineName } : {};
    result = ClusterPolicyMigration.migrate(loaded.map(o => o.object), migrationOptions);
  } catch (e) {
    io.stderr(`netpol migrate: ${oneLine((e as Error).message)}\n`);
    return ExitCode.ERROR;
  }
  if (result.migrated === 0) {
    io.stderr('netpol migrate: no AdminNetworkPolicy or BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) in the input\n');
    return ExitCode.OK;
  }
  for (const note of result.notes) io.stderr(`netpol migrate: note: ${oneLine(note)}\n`);
  if (!result.equivalent) {
    io.stderr('netpol migrate: the migrated policies do not give the same connectivity as the input (a bug: please report it with the input); nothing printed\n');
    return ExitCode.FINDINGS;
  }
  const migrated = result.objects.filter(o => o?.kind === 'ClusterNetworkPolicy' && o.apiVersion === 'policy.networking.k8s.io/v1alpha2');
  io.stdout(options.format === 'json' ? `${JSON.stringify(migrated, undefined, 2)}\n` : Yaml.stringify(...migrated));
  io.stderr(`netpol migrate: migrated ${plural(result.migrated, 'policy', 'policies')} to ClusterNetworkPolicy; `
    + 'the engine finds the same connectivity with them (every port, every pair of the input\'s endpoints)\n');
  return ExitCode.OK;
}

/** Registers `netpol migrate <paths...> [--format yaml|json] [--baseline-name <name>]`. */
export function registerMigrateCommand(program: Command, ctx: CliContext): Command {
  const command = program
    .command('migrate')
    .summary('turn AdminNetworkPolicy/BaselineAdminNetworkPolicy (v1alpha1) into ClusterNetworkPolicy (v1alpha2)')
    .description('Print a ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) for every AdminNetworkPolicy and '
      + 'BaselineAdminNetworkPolicy (v1alpha1) in the given files and directories, with the same meaning (Allow becomes '
      + 'Accept, ports become protocols, rules over the v1alpha2 limits are split), proven by the engine: the input\'s '
      + 'connectivity, every port of every protocol, is the same with the new objects.')
    .argument('<paths...>', 'files or directories to read ("-" for standard input)')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option('--baseline-name <name>', 'the name of the ClusterNetworkPolicy made from the BaselineAdminNetworkPolicy (default "baseline-default")');
  return addInputOptions(command)
    .addHelpText('after', '\nExit codes:\n  0  migrated (or nothing to migrate)\n  1  the migration would change connectivity (nothing printed)\n'
      + '  2  some input could not be read or is invalid')
    .action((paths: string[], opts: MigrateCommandOptions) => {
      raiseExitCode(ctx, runMigrate(paths, opts, ctx.io));
    });
}
