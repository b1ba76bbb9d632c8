/**
 * The `cdk8s synth` benchmark (`npm run bench -- --only cli [--namespaces 1000] [--runs 3]`):
 * the same app (one chart per namespace, 8 policies each, written with this library and
 * synthesized with `Synthesis.synth`) run by the real cdk8s CLI, without any validation plugin
 * and with the netpol plugin. With a plugin, the CLI sets CDK8S_RECORD_CONSTRUCT_METADATA=true
 * (Synthesis then also writes construct-metadata.json) and runs the plugin on the output.
 * Target (issue 22): with the plugin at most 1.2x without. The linting time is measured on its own:
 * the plugin's `validate()` over the synthesized files, in-process, and of it the reading of the
 * manifests (`loadManifests`). On Linux the CPU time of each `cdk8s synth` (the CLI and the app
 * it runs, from the children's times in /proc/self/stat) is measured too: on a shared machine
 * the CPU ratio is steadier than the wall-clock one.
 *
 * The app and the plugin are the benchmark's transpiled copy of `src/` (bench/build.ts); the
 * CLI loads the plugin by path from that directory's `src/plugin.js`, the plugin's entry alone,
 * as a project loads it from `./node_modules/cdk8s-netpol/lib/plugin.js` (README,
 * docs/linting.md).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median } from './stats';

const REPO_ROOT = path.join(__dirname, '..');
const CDK8S = path.join(REPO_ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

/** One row: the medians, in milliseconds. */
export interface CliRow {
  readonly namespaces: number;
  readonly runs: number;
  readonly withoutPluginMs: number;
  readonly withPluginMs: number;
  readonly ratio: number;
  /** The medians of the CPU time (user + system) of the `cdk8s synth` process tree; undefined where /proc is missing. */
  readonly withoutPluginCpuMs?: number;
  readonly withPluginCpuMs?: number;
  readonly cpuRatio?: number;
  readonly lintMs: number;
  /** Of the plugin's `validate()`, the reading of the manifests (`loadManifests` alone). */
  readonly readMs: number;
  readonly findings: string;
}

/**
 * The CPU time, in milliseconds, of the children this process has waited for (with theirs):
 * cutime + cstime of /proc/self/stat, in clock ticks of 10 ms (Linux's USER_HZ is 100 on every
 * architecture). Undefined where /proc is missing.
 */
function childrenCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return undefined;
  }
  // the fields after the command name (which may hold spaces), from field 3 (state)
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cutime = Number(fields[13]);
  const cstime = Number(fields[14]);
  return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) * 10 : undefined;
}

function timeSynth(dir: string, config: string, timeoutSeconds: number): { ms: number; cpuMs?: number } {
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), config);
  fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [CDK8S, 'synth'], { cwd: dir, encoding: 'utf8', timeout: timeoutSeconds * 1000 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpuAfter = childrenCpuMs();
  if (result.status !== 0) {
    throw new Error(`cdk8s synth failed in ${dir} (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  return { ms, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

async function timeLint(buildDir: string, dir: string): Promise<{ ms: number; readMs: number; findings: string }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NetpolLintPlugin } = require(path.join(buildDir, 'src', 'plugin.js')) as typeof import('../src/plugin');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadManifests } = require(path.join(buildDir, 'src', 'io', 'manifest-loader')) as typeof import('../src/io/manifest-loader');
  const outdir = path.join(dir, 'dist');
  const manifests = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).map(f => path.join(outdir, f));
  let metadata: Record<string, string> = {};
  const submit = (_status: string, m?: Record<string, string>) => { metadata = m ?? {}; };
  const context = { manifests, report: { addViolation: () => undefined, submit } };
  const start = process.hrtime.bigint();
  await new NetpolLintPlugin().validate(context);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // after validate(), so that validate() is timed as before (the first run cold)
  const readStart = process.hrtime.bigint();
  loadManifests(manifests);
  const readMs = Number(process.hrtime.bigint() - readStart) / 1e6;
  return { ms, readMs, findings: `${metadata.errors} errors, ${metadata.warnings} warnings` };
}

/** Runs the benchmark for each namespace count. */
export async function runCliBenchmark(buildDir: string, namespaces: readonly number[], runs: number, timeoutSeconds: number): Promise<CliRow[]> {
  const rows: CliRow[] = [];
  for (const n of namespaces) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-bench-cli-'));
    try {
      // The app, on the transpiled copy, so that no run pays for a TypeScript loader.
      fs.writeFileSync(path.join(dir, 'app.js'), [
        `const { App } = require(${JSON.stringify(path.join(buildDir, 'node_modules', 'cdk8s'))});`,
        `const { buildNetpol } = require(${JSON.stringify(path.join(buildDir, 'bench', 'workload', 'netpol.js'))});`,
        `const { Synthesis } = require(${JSON.stringify(path.join(buildDir, 'src'))});`,
        'const app = new App();',
        `buildNetpol(app, ${n}, 'chart-per-namespace');`,
        'Synthesis.synth(app);',
      ].join('\n'));
      const plain = `language: typescript\napp: ${JSON.stringify(`${process.execPath} app.js`)}\n`;
      const withPlugin = `${plain}validations:\n  - package: ${path.join(buildDir, 'src', 'plugin.js')}\n    version: 0.0.0\n    class: NetpolLintPlugin\n`;
      const without: Array<{ ms: number; cpuMs?: number }> = [];
      const withP: Array<{ ms: number; cpuMs?: number }> = [];
      for (let i = 0; i < runs; i++) {
        // Alternate, so that load on the shared machine hits both alike.
        without.push(timeSynth(dir, plain, timeoutSeconds));
        withP.push(timeSynth(dir, withPlugin, timeoutSeconds));
      }
      if (!fs.existsSync(path.join(dir, 'dist', 'construct-metadata.json'))) {
        throw new Error('cdk8s synth with the plugin wrote no construct-metadata.json: the plugin did not run as configured');
      }
      const lints: number[] = [];
      const reads: number[] = [];
      let findings = '';
      for (let i = 0; i < runs; i++) {
        const l = await timeLint(buildDir, dir);
        lints.push(l.ms);
        reads.push(l.readMs);
        findings = l.findings;
      }
      const wall = (xs: typeof without) => median(xs.map(x => x.ms));
      const cpu = (xs: typeof without) => (xs.every(x => x.cpuMs !== undefined) ? median(xs.map(x => x.cpuMs!)) : undefined);
      const cpuWithout = cpu(without);
      const cpuWith = cpu(withP);
      const row: CliRow = {
        namespaces: n,
        runs,
        withoutPluginMs: Math.round(wall(without)),
        withPluginMs: Math.round(wall(withP)),
        ratio: Math.round((wall(withP) / wall(without)) * 100) / 100,
        ...(cpuWithout !== undefined && cpuWith !== undefined ? {
          withoutPluginCpuMs: Math.round(cpuWithout),
          withPluginCpuMs: Math.round(cpuWith),
          cpuRatio: Math.round((cpuWith / cpuWithout) * 100) / 100,
        } : {}),
        lintMs: Math.round(median(lints)),
        readMs: Math.round(median(reads)),
        findings,
      };
      rows.push(row);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

/** The rows as a Markdown table, with the target. */
export function cliMarkdown(rows: readonly CliRow[]): string {
  const lines = [
    '| Namespaces (chart per namespace, 8 policies each) | `cdk8s synth`, no plugin | `cdk8s synth` with the netpol plugin | ratio (target ≤ 1.2×) | CPU time, no plugin / with it (ratio) | of which linting (plugin `validate()`; reading the manifests) | findings |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(r => `| ${r.namespaces.toLocaleString('en-US')} | ${r.withoutPluginMs.toLocaleString('en-US')} ms | ${r.withPluginMs.toLocaleString('en-US')} ms | `
      + `${r.ratio}× ${r.ratio <= 1.2 ? '(met)' : '(**not met**)'} | ${cpuCell(r)} | ${r.lintMs.toLocaleString('en-US')} ms; ${r.readMs.toLocaleString('en-US')} ms | ${r.findings} |`),
  ];
  return lines.join('\n') + '\n';
}

function cpuCell(r: CliRow): string {
  if (r.withoutPluginCpuMs === undefined || r.withPluginCpuMs === undefined) return 'not measured (no /proc)';
  return `${r.withoutPluginCpuMs.toLocaleString('en-US')} / ${r.withPluginCpuMs.toLocaleString('en-US')} ms (${r.cpuRatio}×)`;
}
