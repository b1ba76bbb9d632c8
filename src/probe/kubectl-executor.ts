import { ChildProcess, spawn } from 'child_process';
import { contextArg, KubectlArgs } from './kubectl-args';
import { RunClock, SYSTEM_CLOCK } from './run-clock';
import { AnalysisInputError } from '../analysis/analysis-input-error';

/** What one command printed and how it ended. */
export interface CommandResult {
  /** Its exit code (127 when it could not be started). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /**
   * Why the command did not end by itself, in words: it could not be started, it was killed at
   * its deadline, for printing more than the bound (what it printed on that stream is then
   * dropped), or because the run was interrupted.
   *
   * @default - it ended by itself
   */
  readonly failure?: string;
  /** Whether it was stopped because the run was interrupted (then `failure` says so). @default false */
  readonly interrupted?: boolean;
}

/** How one call runs. */
export interface CommandCallOptions {
  /** Its standard input. @default - empty */
  readonly stdin?: string;
  /** Aborting it kills the command (the result then has `interrupted`). @default - never aborted */
  readonly signal?: AbortSignal;
  /** How long it may take, in milliseconds, before it is killed: at most the executor's own deadline. @default - the executor's */
  readonly timeoutMs?: number;
}

/** Runs `kubectl` with these arguments. The runner's only way to the cluster; it never throws. */
export type CommandExecutor = (args: KubectlArgs, options?: CommandCallOptions) => Promise<CommandResult>;

/** How long one kubectl call may take by default, in seconds. */
export const DEFAULT_KUBECTL_TIMEOUT_SECONDS = 60;
/**
 * The most one kubectl call may print on standard output, and on standard error, in bytes: far
 * more than the pods of a large namespace as JSON, and well below the longest string V8 can hold
 * (about 512 MiB), so a flood ends in a clear error instead of a `RangeError`.
 */
export const MAX_KUBECTL_OUTPUT_BYTES = 256 * 1024 * 1024;

/** How `kubectlExecutor` runs kubectl. */
export interface KubectlExecutorOptions {
  /** The program. @default 'kubectl' (found on the PATH) */
  readonly kubectl?: string;
  /** The kubeconfig context, passed as `--context=<context>`. @default - kubectl's current context */
  readonly context?: string;
  /** How long one call may take, in milliseconds. @default DEFAULT_KUBECTL_TIMEOUT_SECONDS * 1000 */
  readonly timeoutMs?: number;
  /** The most one call may print on each stream, in bytes. @default MAX_KUBECTL_OUTPUT_BYTES */
  readonly maxOutputBytes?: number;
  /** The clock of the deadlines. @default SYSTEM_CLOCK */
  readonly clock?: RunClock;
}

/**
 * The executor that runs the user's kubectl. Every call has a deadline and bounded output: a call
 * that runs past its deadline, prints more than the bound, or whose run is interrupted is killed
 * with its whole process group (kubectl and any credential plugin it started), and its result says
 * why. It never throws: a kubectl that cannot be started is a result with code 127.
 *
 * @throws AnalysisInputError if the program or the context is not a usable value
 */
export function kubectlExecutor(options: KubectlExecutorOptions = {}): CommandExecutor {
  const program = options.kubectl ?? 'kubectl';
  if (typeof program !== 'string' || program === '' || /[\u0000-\u001f\u007f-\u009f]/.test(program)) {
    throw new AnalysisInputError(`--kubectl: Invalid value: ${JSON.stringify(program)}: must be the path of the kubectl program, without control characters`);
  }
  const prefix = options.context === undefined ? [] : [`--context=${contextArg(options.context)}`];
  const clock = options.clock ?? SYSTEM_CLOCK;
  const limit = options.maxOutputBytes ?? MAX_KUBECTL_OUTPUT_BYTES;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_KUBECTL_TIMEOUT_SECONDS * 1000;
  return (args, call = {}) => new Promise<CommandResult>(resolve => {
    const timeoutMs = Math.min(call.timeoutMs ?? defaultTimeout, defaultTimeout);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const size = { out: 0, err: 0 };
    let settled = false;
    let child: ChildProcess | undefined;
    const timer = new AbortController();
    const finish = (code: number, failure?: string, interrupted?: boolean) => {
      if (settled) return;
      settled = true;
      timer.abort();
      call.signal?.removeEventListener('abort', onAbort);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ...(failure !== undefined ? { failure } : {}),
        ...(interrupted ? { interrupted: true } : {}),
      });
    };
    const kill = (failure: string, interrupted?: boolean) => {
      if (settled) return;
      if (child) stopProcess(child);
      finish(1, failure, interrupted);
    };
    const onAbort = () => kill('interrupted: killed', true);
    if (call.signal?.aborted) return finish(1, 'interrupted before it started', true);
    call.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // its own process group: the whole group is killed at the deadline, and a Ctrl-C in the
      // terminal reaches netpol only, which then deletes the probe objects with kubectl itself
      child = spawn(program, [...prefix, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: process.env, detached: process.platform !== 'win32' });
    } catch (e) {
      return finish(127, `could not run ${program}: ${(e as Error).message}`);
    }
    const collect = (chunks: Buffer[], stream: 'out' | 'err', name: string) => (d: Buffer) => {
      if (settled) return;
      size[stream] += d.length;
      if (size[stream] > limit) {
        // what it printed is not used: let it go at once rather than hold the bound in memory
        chunks.length = 0;
        kill(`printed more than ${formatBytes(limit)} on ${name}: killed (the output is bounded)`);
      } else {
        chunks.push(d);
      }
    };
    child.stdout!.on('data', collect(out, 'out', 'standard output'));
    child.stderr!.on('data', collect(err, 'err', 'standard error'));
    child.on('error', e => finish(127, `could not run ${program}: ${e.message}`));
    child.on('close', (code, signal) => finish(code ?? 128, code === null ? `ended by ${signal ?? 'a signal'}` : undefined));
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(call.stdin ?? '');
    void clock.sleep(timeoutMs, timer.signal).then(() => {
      if (!timer.signal.aborted) kill(`did not finish within ${formatSeconds(timeoutMs)}: killed`);
    });
  });
}

/** Kills a child and its process group, and lets go of its pipes (a grandchild may hold them open). */
function stopProcess(child: ChildProcess): void {
  try {
    if (process.platform !== 'win32' && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
  child.stdout?.destroy();
  child.stderr?.destroy();
  child.stdin?.destroy();
  child.unref();
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
