#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { CliContext, CliIo, createContext, ExitCode, OutputError, processIo } from './cli-context';
import { registerDiffCommand } from './diff-command';
import { registerExplainCommand } from './explain-command';
import { registerLintCommand } from './lint-command';
import { registerListCommand } from './list-command';
import { registerMatrixCommand } from './matrix-command';
import { registerMigrateCommand } from './migrate-command';
import { registerProbeCommand } from './probe-command';
import { registerReplayCommand } from './replay-command';
import { registerSuggestCommand } from './suggest-command';
import { oneLine } from './terminal-text';
import { registerValidateCommand } from './validate-command';

/**
 * The `netpol` command line: a thin dispatcher. Each subcommand lives in its own
 * file and registers itself here with `register<Name>Command(program, ctx)`; a
 * command reports its outcome by raising `ctx.exitCode` (see `ExitCode`).
 */

function packageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Builds the program with every subcommand registered. Errors and help are
 * written to `ctx.io`, and commander never exits the process.
 */
export function buildProgram(ctx: CliContext = createContext()): Command {
  const program = new Command('netpol')
    .description('Kubernetes NetworkPolicy tools, offline: validate manifests as the API server would, prove what they allow, lint them for common mistakes.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout(s),
      writeErr: (s) => ctx.io.stderr(s),
    })
    .showHelpAfterError('(run with --help for usage)');
  registerValidateCommand(program, ctx);
  registerMatrixCommand(program, ctx);
  registerExplainCommand(program, ctx);
  registerLintCommand(program, ctx);
  registerListCommand(program, ctx);
  registerDiffCommand(program, ctx);
  registerProbeCommand(program, ctx);
  registerMigrateCommand(program, ctx);
  registerReplayCommand(program, ctx);
  registerSuggestCommand(program, ctx);
  return program;
}

/**
 * Runs the command line with the given arguments (without `node` and the script)
 * and returns the exit code: 0 success, 1 findings, 2 unreadable input, usage
 * error, unwritable output or internal error, 3 a denied connection (`explain`), 4 a `--fail-on` gate
 * tripped (`diff`, `replay`).
 * Never throws and never exits the process.
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const ctx = createContext(io);
  let code: number;
  try {
    await buildProgram(ctx).parseAsync([...argv], { from: 'user' });
    code = ctx.exitCode;
  } catch (err) {
    code = failure(err, io);
  }
  try {
    io.flush?.();
  } catch (err) {
    code = failure(err, io);
  }
  return code;
}

/** The exit code for an error that ended the run, with its message on standard error. */
function failure(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // --help and --version end with exit code 0; every other commander error is a usage error
    return err.exitCode === 0 ? ExitCode.OK : ExitCode.ERROR;
  }
  if (err instanceof OutputError) {
    io.stderr(`netpol: ${err.message}\n`);
    return ExitCode.ERROR;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`netpol: internal error: ${oneLine(message, 500)}\n(this is a bug in netpol; please report it)\n`);
  return ExitCode.ERROR;
}

if (require.main === module) {
  // exitCode rather than process.exit(): lets buffered output to a pipe drain
  void run(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
