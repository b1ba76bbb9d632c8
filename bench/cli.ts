/**
 * The `cdk8s synth` benchmark (`npm run bench -- --only cli [--namespaces 1000] [--runs 3]`):
 * the same app (one chart per namespace, 8 policies each, written with this library and
 * synthesized with `Synthesis.synth`) run by the real cdk8s CLI, without any validation plugin
 * and with the netpol plugin. With a plugin, the CLI sets CDK8S_RECORD_CONSTRUCT_METADATA=true
 * (Synthesis then also writes construct-metadata.json) and runs the plugin on the output.
 * Target (issue 22): with the plugin at most 1.2x without. The linting time is measured on its own:
 * the plugin's `validate()` over the synthesized files, in-process.
 *
 * The app and the plugin are the benchmark's transpiled copy of `src/` (bench/build.ts); the
 * CLI loads the plugin from that directory by path, as a project loads it from
 * `./node_modules/cdk8s-netpol`.
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
  readonly lintMs: number;
  readonly findings: string;
}

function timeSynth(dir: string, config: string, timeoutSeconds: number): number {
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), config);
  fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [CDK8S, 'synth'], { cwd: dir, encoding: 'utf8', timeout: timeoutSeconds * 1000 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`cdk8s synth failed in ${dir} (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  return ms;
}

async function timeLint(buildDir: string, dir: string): Promise<{ ms: number; findings: string }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NetpolLintPlugin } = require(path.join(buildDir, 'src')) as typeof import('../src');
  const outdir = path.join(dir, 'dist');
  const manifests = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).map(f => path.join(outdir, f));
  let metadata: Record<string, string> = {};
  const submit = (_status: string, m?: Record<string, string>) => { metadata = m ?? {}; };
  const context = { manifests, report: { addViolation: () => undefined, submit } };
  const start = process.hrtime.bigint();
  await new NetpolLintPlugin().validate(context);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, findings: `${metadata.errors} errors, ${metadata.warnings} warnings` };
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
      const withPlugin = `${plain}validations:\n  - package: ${path.join(buildDir, 'src')}\n    version: 0.0.0\n    class: NetpolLintPlugin\n`;
      const without: number[] = [];
      const withP: number[] = [];
      for (let i = 0; i < runs; i++) {
        // Alternate, so that load on the shared machine hits both alike.
        without.push(timeSynth(dir, plain, timeoutSeconds));
        withP.push(timeSynth(dir, withPlugin, timeoutSeconds));
      }
      if (!fs.existsSync(path.join(dir, 'dist', 'construct-metadata.json'))) {
        throw new Error('cdk8s synth with the plugin wrote no construct-metadata.json: the plugin did not run as configured');
      }
      const lints: number[] = [];
      let findings = '';
      for (let i = 0; i < runs; i++) {
        const l = await timeLint(buildDir, dir);
        lints.push(l.ms);
        findings = l.findings;
      }
      const row: CliRow = {
        namespaces: n,
        runs,
        withoutPluginMs: Math.round(median(without)),
        withPluginMs: Math.round(median(withP)),
        ratio: Math.round((median(withP) / median(without)) * 100) / 100,
        lintMs: Math.round(median(lints)),
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
    '| Namespaces (chart per namespace, 8 policies each) | `cdk8s synth`, no plugin | `cdk8s synth` with the netpol plugin | ratio (target ≤ 1.2×) | of which linting (plugin `validate()`) | findings |',
    '|---|---|---|---|---|---|',
    ...rows.map(r => `| ${r.namespaces.toLocaleString('en-US')} | ${r.withoutPluginMs.toLocaleString('en-US')} ms | ${r.withPluginMs.toLocaleString('en-US')} ms | `
      + `${r.ratio}× ${r.ratio <= 1.2 ? '(met)' : '(**not met**)'} | ${r.lintMs.toLocaleString('en-US')} ms | ${r.findings} |`),
  ];
  return lines.join('\n') + '\n';
}
