import * as fs from 'fs';

/**
 * Where a command writes and reads. The real process streams by default; tests
 * pass their own to capture output in-process.
 */
export interface CliIo {
  /** Writes to standard output (text includes its own newlines). */
  stdout(text: string): void;
  /** Writes to standard error (text includes its own newlines). */
  stderr(text: string): void;
  /** Reads all of standard input, for the path `-`. */
  readStdin(): string;
}

/** The state shared by the program and its commands during one run. */
export interface CliContext {
  /** The streams. */
  readonly io: CliIo;
  /**
   * The exit code so far: 0 success, 1 a finding (e.g. an invalid policy),
   * 2 unreadable input or a usage error, 3 a denied connection (`explain`).
   * Use `raiseExitCode`, which keeps the worst.
   */
  exitCode: number;
}

/** The exit codes of every `netpol` command. */
export enum ExitCode {
  /** Everything checked is fine. */
  OK = 0,
  /** A finding: an invalid policy, a failed check. */
  FINDINGS = 1,
  /** The tool could not do its job: unreadable input, bad usage, an internal error. */
  ERROR = 2,
  /** `netpol explain`: the connection is denied (the input was fine). */
  DENIED = 3,
}

/** Raises the context's exit code to `code` if it is worse than the current one. */
export function raiseExitCode(ctx: CliContext, code: ExitCode): void {
  ctx.exitCode = Math.max(ctx.exitCode, code);
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => { process.stdout.write(text); },
    stderr: (text) => { process.stderr.write(text); },
    readStdin: () => fs.readFileSync(0, 'utf8'),
  };
}

/** A fresh context. */
export function createContext(io: CliIo = processIo()): CliContext {
  return { io, exitCode: ExitCode.OK };
}
