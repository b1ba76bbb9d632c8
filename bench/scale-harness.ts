/**
 * What the fresh-process scale benches (`--only cli-scale|list-scale|diff-scale|cluster-tiers`)
 * share: running one measurement in a fresh process of the transpiled copy (bench/build.ts), the
 * options they all take, the machine they ran on, and writing their results.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from './build';
import { round } from './stats';

/**
 * Runs `bench/<script>.js args...` of the transpiled copy in a fresh process and returns the JSON
 * of its last output line, or `{ failed }` with why (killed, timed out, exit code, first lines of stderr).
 */
export function runBenchScript(buildDir: string, script: string, args: readonly string[], timeoutSeconds: number): any {
  const file = path.join(buildDir, 'bench', `${script}.js`);
  const result = spawnSync(process.execPath, [file, ...args], { encoding: 'utf8', timeout: timeoutSeconds * 1000, maxBuffer: 16 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    const why = result.signal ? `killed by ${result.signal}` : result.error ? result.error.message : `exit code ${result.status}`;
    return { failed: `${why}: ${(result.stderr ?? '').split('\n').slice(0, 3).join(' ')}` };
  }
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}');
}

/** The options every scale bench takes. */
export interface ScaleOptions {
  readonly namespaces: number;
  readonly runs: number;
  readonly timeout: number;
  readonly write: boolean;
  readonly out: string;
}

/** Reads `--namespaces`, `--runs`, `--timeout`, `--no-write`, `--out` (and skips `--only <name>`); `--help` prints `usage`. */
export function parseScaleOptions(argv: readonly string[], usage: string, defaults: { readonly runs: number }): ScaleOptions {
  const opts = { namespaces: 1000, runs: defaults.runs, timeout: 600, write: true, out: path.join(REPO_ROOT, 'bench', 'results') };
  const whole = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a whole number, at least 1, got ${JSON.stringify(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    switch (flag) {
      case '--only': value(); break;
      case '--namespaces': opts.namespaces = whole(flag, value()); break;
      case '--runs': opts.runs = whole(flag, value()); break;
      case '--timeout': opts.timeout = whole(flag, value()); break;
      case '--no-write': opts.write = false; break;
      case '--out': opts.out = path.resolve(value() ?? ''); break;
      case '--help': case '-h': process.stdout.write(usage + '\n'); process.exit(0);
      default: throw new Error(`unknown option ${JSON.stringify(flag)}\n${usage}`);
    }
  }
  return opts;
}

/** The load average now, rounded for the results. */
export function loadAverage(): number[] {
  return os.loadavg().map(l => round(l, 2));
}

/** The machine the results were measured on, with the load average at the start (and, if given, at the end). */
export function machineOf(loadAtStart: readonly number[], loadAtEnd?: readonly number[]): Record<string, unknown> {
  return {
    cpuModel: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    loadAverageAtStart: loadAtStart,
    ...(loadAtEnd ? { loadAverageAtEnd: loadAtEnd } : {}),
  };
}

/** Prints `md`, and unless `--no-write` writes `<out>/<name>.json` and `<out>/<name>.md`. */
export function writeScaleResults(opts: { readonly write: boolean; readonly out: string }, name: string, results: unknown, md: string): void {
  process.stdout.write(md);
  if (!opts.write) return;
  fs.mkdirSync(opts.out, { recursive: true });
  fs.writeFileSync(path.join(opts.out, `${name}.json`), JSON.stringify(results, undefined, 2) + '\n');
  fs.writeFileSync(path.join(opts.out, `${name}.md`), md);
  process.stderr.write(`wrote ${path.join(opts.out, `${name}.{json,md}`)}\n`);
}
