/**
 * `netpol diff` proportional to the change (issue 18, performance): two versions of the 10,002-pod
 * organisation (bench/analysis.ts, 1,000 team namespaces) that differ in one policy, diffed the
 * full way (both versions' connectivity, every flow, aligned, then compared) and the proportional
 * way (`ConnectivityDiff.betweenModels`: only the namespaces that changed and those that can hold
 * the other end of their flows are evaluated), each in a fresh process; and the command line's
 * `netpol diff` over the two versions as files.
 *
 *   npm run bench -- --only diff-scale                     # writes bench/results/diff-scale.{json,md}
 *   npm run bench -- --only diff-scale --runs 1 --no-write
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { organisationObjects } from './analysis';
import { buildBench, removeBuild } from './build';
import { changedOrganisationObjects } from './connectivity';
import { loadAverage, machineOf, parseScaleOptions, runBenchScript, writeScaleResults } from './scale-harness';
import { formatNumber, median, round } from './stats';
import { ClusterModel, ConnectivityDiff } from '../src';

/** The share of policies `changedOrganisationObjects` changes for exactly one policy at 1,000 namespaces. */
const ONE_POLICY_PERCENT = 0.01;

/** How one version pair is diffed. */
type Way = 'full' | 'proportional';

/** One measurement, in the worker process: read both versions, diff them one way, print the text. */
export function measureDiff(way: Way, namespaces: number): Record<string, unknown> {
  const before = organisationObjects(namespaces);
  const after = changedOrganisationObjects(namespaces, ONE_POLICY_PERCENT);
  const t0 = performance.now();
  const a = ClusterModel.fromObjects(before);
  const b = ClusterModel.fromObjects(after);
  const t1 = performance.now();
  const diff = way === 'full'
    ? ConnectivityDiff.between(a.connectivity({ alignWith: [b] }), b.connectivity({ alignWith: [a] }))
    : ConnectivityDiff.betweenModels(a, b);
  const text = diff.toText();
  const t2 = performance.now();
  return {
    way,
    namespaces,
    pods: before.filter(o => o.kind === 'Pod').length,
    policies: before.filter(o => o.kind === 'NetworkPolicy').length,
    modelsMs: t1 - t0,
    diffMs: t2 - t1,
    changes: diff.changes.length,
    summary: diff.summary(),
    textBytes: text.length,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

const USAGE = `usage: npm run bench -- --only diff-scale [options]
  --namespaces <n>        team namespaces of the organisation (default 1000: 10,002 pods, 8,000 policies)
  --runs <n>              fresh processes per way, interleaved; medians (default 3)
  --timeout <s>           kill a measurement after this long (default 600)
  --no-write              print the table only (default: write bench/results/diff-scale.{json,md})
  --out <dir>             where to write (default bench/results)`;

/**
 * `npm run bench -- --only diff-scale`: `runs` rounds, each measuring the full and the
 * proportional diff (in turn, starting with a different one each round) and `netpol diff` on
 * the files, each in a fresh process; writes bench/results/diff-scale.{json,md}.
 */
export function runDiffScale(argv: string[]): void {
  const opts = parseScaleOptions(argv, USAGE, { runs: 3 });
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  const buildDir = buildBench();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-diff-scale-'));
  const runs: Record<Way, any[]> = { full: [], proportional: [] };
  const cli: any[] = [];
  try {
    const before = path.join(work, 'before.json');
    const after = path.join(work, 'after.json');
    const list = (items: any[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
    fs.writeFileSync(before, list(organisationObjects(opts.namespaces)));
    fs.writeFileSync(after, list(changedOrganisationObjects(opts.namespaces, ONE_POLICY_PERCENT)));
    for (let round_ = 0; round_ < opts.runs; round_++) {
      const ways: Way[] = round_ % 2 === 0 ? ['full', 'proportional'] : ['proportional', 'full'];
      for (const way of ways) {
        const r = runBenchScript(buildDir, 'diff-scale', ['worker', way, String(opts.namespaces)], opts.timeout);
        runs[way].push(r);
        process.stderr.write(`${way}: ${r.failed ?? `models ${formatNumber(round(r.modelsMs, 0))} ms, diff ${formatNumber(round(r.diffMs, 0))} ms, ${r.summary}`}\n`);
      }
      const r = runBenchScript(buildDir, 'worker', ['cli', 'diff', before, after], opts.timeout);
      cli.push(r);
      process.stderr.write(`netpol diff: ${r.failed ?? `exit ${r.code}, ${formatNumber(round(r.ms, 0))} ms, peak RSS ${formatNumber(round(r.maxRssMb, 0))} MiB`}\n`);
    }
  } finally {
    removeBuild(buildDir);
    fs.rmSync(work, { recursive: true, force: true });
  }
  const ok = (rs: any[]) => rs.filter(r => r.failed === undefined);
  const summary = (way: Way) => {
    const rs = ok(runs[way]);
    return {
      way,
      runs: rs.length,
      medianModelsMs: round(median(rs.map(r => r.modelsMs)), 0),
      medianDiffMs: round(median(rs.map(r => r.diffMs)), 0),
      medianMaxRssMb: round(median(rs.map(r => r.maxRssMb)), 0),
      changes: rs[0]?.changes,
      summary: rs[0]?.summary,
      failed: runs[way].filter(r => r.failed !== undefined).map(r => r.failed),
    };
  };
  const cliOk = ok(cli);
  const results = {
    schema: 1,
    date: startedAt.toISOString(),
    machine: machineOf(loadAtStart, loadAverage()),
    namespaces: opts.namespaces,
    ways: [summary('full'), summary('proportional')],
    cli: {
      runs: cliOk.length,
      medianMs: round(median(cliOk.map(r => r.ms)), 0),
      medianMaxRssMb: round(median(cliOk.map(r => r.maxRssMb)), 0),
      codes: cliOk.map(r => r.code),
      failed: cli.filter(r => r.failed !== undefined).map(r => r.failed),
    },
    raw: { ...runs, cli },
  };
  const md = diffScaleMarkdown(results);
  writeScaleResults(opts, 'diff-scale', results, md);
}

function diffScaleMarkdown(results: any): string {
  const [full, fast] = results.ways;
  const lines = [
    `Measured ${results.date.slice(0, 10)} on ${results.machine.cpuModel} (${results.machine.cores} cores, ${results.machine.memoryGiB} GiB), `
      + `Node ${results.machine.node}; medians of ${full.runs} runs, each in a fresh process (load average at start: `
      + `${results.machine.loadAverageAtStart.join(', ')}; at the end: ${results.machine.loadAverageAtEnd.join(', ')}).`,
    '',
    `Two versions of the ${formatNumber(results.namespaces)}-namespace organisation (bench/analysis.ts) that differ in one policy `
      + '(one frontend ingress policy also opens TCP 8081):',
    '',
    '| Diff | Read both versions | Diff and its text | Peak RSS | Changes | Summary |',
    '|---|---:|---:|---:|---:|---|',
  ];
  for (const w of [full, fast]) {
    const label = w.way === 'full' ? 'full: both connectivities, aligned, compared' : 'proportional: `ConnectivityDiff.betweenModels`';
    lines.push(`| ${label} | ${formatNumber(w.medianModelsMs)} ms | ${formatNumber(w.medianDiffMs)} ms | ${formatNumber(w.medianMaxRssMb)} MiB | `
      + `${formatNumber(w.changes ?? 0)} | ${w.summary ?? w.failed.join('; ')} |`);
  }
  lines.push('', `Diff step, proportional against full: ${round(fast.medianDiffMs / full.medianDiffMs, 3)}× `
    + `(${formatNumber(full.medianDiffMs)} ms → ${formatNumber(fast.medianDiffMs)} ms).`);
  lines.push('', '`netpol diff before.json after.json` (both versions as JSON Lists, read, diffed and printed): median '
    + `${formatNumber(results.cli.medianMs)} ms, peak RSS ${formatNumber(results.cli.medianMaxRssMb)} MiB, exit codes ${results.cli.codes.join(', ')}.`, '');
  return lines.join('\n');
}

if (require.main === module && process.argv[2] === 'worker') {
  try {
    const way = process.argv[3];
    if (way !== 'full' && way !== 'proportional') throw new Error(`way: expected full or proportional, got ${JSON.stringify(way)}`);
    process.stdout.write(JSON.stringify(measureDiff(way, Number(process.argv[4]))) + '\n');
  } catch (e) {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  }
}
