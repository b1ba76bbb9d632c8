import * as fs from 'fs';

/**
 * Where a command writes and reads. The real process writes to its file descriptors
 * (see `processIo`); tests pass their own to capture output in-process.
 */
export interface CliIo {
  /**
   * Reads all of standard input, for the path `-`.
   * @default - the loader reads file descriptor 0 itself, within the size limit
   */
  readonly readStdin?: () => string | Uint8Array;
  /**
   * Whether standard error is a terminal: the progress summary of long runs is printed only
   * there, so the output of a run never depends on how fast the machine was.
   * @default false
   */
  readonly stderrIsTerminal?: boolean;
  /** Writes to standard output (text includes its own newlines). */
  stdout(text: string): void;
  /** Writes to standard error (text includes its own newlines). */
  stderr(text: string): void;
  /** Whether standard output is gone (its reader closed the pipe): long outputs stop early. */
  stdoutClosed?(): boolean;
  /** Writes out what is buffered; throws `OutputError` if it cannot. */
  flush?(): void;
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
  /** The tool could not do its job: unreadable input, bad usage, an output that cannot be written, an internal error. */
  ERROR = 2,
  /** `netpol explain`: the connection is denied (the input was fine). */
  DENIED = 3,
  /** `netpol diff`, `netpol replay`: a `--fail-on` gate tripped (the input was fine). */
  GATE_TRIPPED = 4,
}

/** Raises the context's exit code to `code` if it is worse than the current one. */
export function raiseExitCode(ctx: CliContext, code: ExitCode): void {
  ctx.exitCode = Math.max(ctx.exitCode, code);
}

/** Standard output could not be written (a full disk, a closed descriptor): exit code 2. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Writes all of `data` to a descriptor, waiting while a non-blocking pipe is full. */
function writeFully(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += fs.writeSync(fd, data, offset, data.length - offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        sleepMs(1);
        continue;
      }
      throw err;
    }
  }
}

function writeErrorMessage(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOSPC': return 'no space left on the device';
    case 'EBADF': return 'standard output is closed';
    case 'EIO': return 'input/output error';
    case 'EFBIG': return 'the file is too large';
    case 'EDQUOT': return 'disk quota exceeded';
    default: return (err as Error).message;
  }
}

/** How much standard output is buffered before it is written. */
const STDOUT_BUFFER_BYTES = 64 * 1024;

/**
 * The real process streams, written synchronously to file descriptors 1 and 2 (so that
 * nothing is buffered without bound and every write error is seen where it happens):
 *
 * - the reader of standard output going away (EPIPE, `netpol ... | head`) ends output
 *   quietly: the rest is dropped and the command ends with its own exit code;
 * - any other write error (a full disk, a closed descriptor) throws `OutputError`, which
 *   the program reports on standard error with exit code 2.
 */
export function processIo(): CliIo {
  let buffered: string[] = [];
  let size = 0;
  let closed = false;
  const flush = () => {
    if (closed || buffered.length === 0) {
      buffered = [];
      size = 0;
      return;
    }
    const data = Buffer.from(buffered.join(''), 'utf8');
    buffered = [];
    size = 0;
    try {
      writeFully(1, data);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') {
        closed = true;
        return;
      }
      closed = true; // never try again: the error is reported once
      throw new OutputError(`cannot write to standard output: ${writeErrorMessage(err)}`);
    }
  };
  return {
    stdout: (text) => {
      if (closed) return;
      buffered.push(text);
      size += text.length;
      if (size >= STDOUT_BUFFER_BYTES) flush();
    },
    stderr: (text) => {
      flush(); // keep the order of the two streams when they go to the same terminal or file
      try {
        writeFully(2, Buffer.from(text, 'utf8'));
      } catch {
        // nowhere left to report it
      }
    },
    stdoutClosed: () => closed,
    flush,
    stderrIsTerminal: process.stderr.isTTY === true,
  };
}

/** A fresh context. */
export function createContext(io: CliIo = processIo()): CliContext {
  return { io, exitCode: ExitCode.OK };
}
