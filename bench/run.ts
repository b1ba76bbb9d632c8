/**
 * `npm run bench`: synthesis and analysis benchmarks at organisation scale (issue 6).
 *
 * Every measurement runs in a fresh `node` process (bench/worker.ts, transpiled once to a
 * temporary directory), so memory and JIT state are independent. Variants are interleaved:
 * each round runs every variant once, starting at a different one each round. See
 * bench/README.md for what is measured.
 *
 *   npm run bench                      # full run, writes bench/results/latest.{json,md}
 *   npm run bench -- --quick           # smoke run: N = 10 and 100, 2 runs, nothing written
 *   npm run bench -- --runs 7 --namespaces 100,1000 --only synth --impls netpol,kube
 *   npm run bench -- --only analysis --no-lint  # analysis without timing `netpol lint`
 *   npm run bench -- --only connectivity         # `netpol list` and `netpol diff` only; writes bench/results/connectivity.{json,md}
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildBench, removeBuild, REPO_ROOT } from './build';
import type { EquivalenceReport, Variant } from './check';
import { CliRow, cliMarkdown, runCliBenchmark } from './cli';
import { runCliScale } from './cli-scale';
import { runClusterTiers } from './cluster-tiers';
import { runDiffScale } from './diff-scale';
import { runListScale } from './list-scale';
import { runReplayScale } from './replay-scale';
import { formatNumber, median, rotate, round } from './stats';
import { Driver, IMPL_LABELS, IMPLS, Impl, LAYOUTS, Layout, PATTERN_IMPLS, policiesPerNamespace, usesCdk8s } from './workload';

interface Options {
  readonly quick: boolean;
  readonly runs: number;
  readonly namespaces: number[];
  /** Namespace counts measured for this library alone. */
  readonly libraryOnlyNamespaces: number[];
  /** More namespace counts for every implementation but cdk8s-plus (issue 22's growth, by doubling from 250 to 4,000). */
  readonly growthNamespaces: number[];
  /** Whether a full run also times `cdk8s synth` with and without the validation plugin. */
  readonly cli: boolean;
  readonly analysisNamespaces: number[];
  readonly only?: 'synth' | 'analysis' | 'cli' | 'connectivity';
  /** Namespace counts for `netpol list` and `netpol diff`. */
  readonly connectivityNamespaces: number[];
  /** Shares of changed policies (%) for `netpol diff`, at the largest connectivity N. */
  readonly diffPercents: number[];
  /** Also time src/lint's `Linter.lintObjects` over the analysis organisation (default: yes). */
  readonly lint: boolean;
  readonly impls: Impl[];
  /** Seconds a variant may use over all its runs; it stops repeating when one more run would go over. */
  readonly variantBudget: number;
  /** Seconds one measurement may take before it is killed. */
  readonly timeout: number;
  readonly write: boolean;
  readonly out: string;
}

const USAGE = `usage: npm run bench -- [options]
  --quick                 smoke run: N = 10 and 100, 2 runs, no N = 5,000, results not written
  --runs <k>              runs per variant (default 5; 2 with --quick)
  --namespaces <list>     namespace counts for every implementation (default 10,100,1000)
  --library-only <list>   namespace counts for this library alone (default 5000; none with --quick)
  --growth <list>|none    more namespace counts for every implementation but cdk8s-plus-28, for issue 22's
                          growth steps (default 250,500: with 1,000, doubling from 250 to 1,000; none with
                          --quick); 250,500,2000,4000 doubles to 4,000 (adds about 8 min). Sizes above the
                          largest --namespaces skip App.synth with a chart per namespace, which is quadratic
                          in raw cdk8s itself (one round of 2,000 took 9 min, of 4,000 about half an hour)
  --no-cli                a full run without \`cdk8s synth\` with and without the plugin (1,000 namespaces, 3 runs)
  --analysis <list>       namespace counts for the analysis benchmark (default 100,1000)
  --only synth|analysis|cli|connectivity
                          run one part (cli: \`cdk8s synth\` with and without the netpol plugin, chart per
                          namespace, at --namespaces (default 1000); prints its table, writes nothing;
                          connectivity: netpol list and diff; writes connectivity.{json,md} instead of latest)
  --only cli-scale        the CLI at scale alone (bench/cli-scale.ts; --only cli-scale --help for its options)
  --only list-scale       list and diff over hostile shapes: thousands of ipBlocks or distinct pods in one namespace
                          (bench/list-scale.ts; --only list-scale --help for its options)
  --only replay-scale     netpol replay: 1M observed Hubble flows against the 10,002-pod organisation
                          (bench/replay-scale.ts; --flows 250000,500000,1000000)
  --only diff-scale       diff of a one-policy change in the 10,002-pod organisation, full and proportional
                          (bench/diff-scale.ts; --only diff-scale --help for its options)
  --only cluster-tiers    analysis and list of the 10,002-pod organisation with and without 30 ClusterNetworkPolicies
                          (bench/cluster-tiers.ts; --only cluster-tiers --help for its options)
  --connectivity <list>   namespace counts for netpol list and diff (default 100,1000)
  --diff-percents <list>  shares of changed policies for netpol diff, in % (default 0.1,1,10)
  --impls <list>          implementations (default netpol,netpol-lint,kube,plus,plain,patterns,patterns-raw)
  --no-lint               skip timing netpol lint (Linter.lintObjects) at the analysis sizes
  --variant-budget <s>    stop repeating a variant when one more run would take its total over this (default 200)
  --timeout <s>           kill a measurement after this long (default 600)
  --write / --no-write    write bench/results/latest.{json,md} (default: yes, except with --quick)
  --out <dir>             where to write (default bench/results)`;

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const opts: any = {
    quick,
    runs: quick ? 2 : 5,
    namespaces: quick ? [10, 100] : [10, 100, 1000],
    libraryOnlyNamespaces: quick ? [] : [5000],
    growthNamespaces: quick ? [] : [250, 500],
    cli: !quick,
    analysisNamespaces: quick ? [10, 100] : [100, 1000],
    connectivityNamespaces: quick ? [10, 100] : [100, 1000],
    diffPercents: [0.1, 1, 10],
    impls: [...IMPLS],
    lint: true,
    variantBudget: quick ? 20 : 200,
    timeout: 600,
    write: !quick,
    out: path.join(REPO_ROOT, 'bench', 'results'),
  };
  const list = (text: string | undefined, flag: string) => {
    const values = (text ?? '').split(',').filter(s => s !== '').map(Number);
    if (values.length === 0 || values.some(v => !Number.isInteger(v) || v < 1)) throw new Error(`${flag}: expected a list of positive integers, got ${JSON.stringify(text)}`);
    return values;
  };
  const positive = (text: string | undefined, flag: string) => {
    const v = Number(text);
    if (!(v > 0)) throw new Error(`${flag}: expected a positive number, got ${JSON.stringify(text)}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    switch (flag) {
      case '--quick': break;
      case '--runs': opts.runs = Math.round(positive(value(), flag)); break;
      case '--namespaces': opts.namespaces = list(value(), flag); break;
      case '--library-only': { const v = value(); opts.libraryOnlyNamespaces = v === 'none' ? [] : list(v, flag); break; }
      case '--growth': { const v = value(); opts.growthNamespaces = v === 'none' ? [] : list(v, flag); break; }
      case '--no-cli': opts.cli = false; break;
      case '--analysis': opts.analysisNamespaces = list(value(), flag); break;
      case '--connectivity': opts.connectivityNamespaces = list(value(), flag); break;
      case '--diff-percents': {
        const v = (value() ?? '').split(',').filter(x => x !== '').map(Number);
        if (v.length === 0 || v.some(x => !(x > 0 && x <= 100))) throw new Error(`${flag}: expected a list of percentages in (0, 100]`);
        opts.diffPercents = v;
        break;
      }
      case '--only': {
        const v = value();
        if (v !== 'synth' && v !== 'analysis' && v !== 'cli' && v !== 'connectivity') {
          throw new Error(`--only: expected synth, analysis, cli or connectivity, got ${JSON.stringify(v)}`);
        }
        opts.only = v;
        break;
      }
      case '--impls': {
        const v = (value() ?? '').split(',');
        const bad = v.filter(x => !IMPLS.includes(x as Impl));
        if (bad.length > 0 || v.length === 0) throw new Error(`--impls: expected some of ${IMPLS.join(', ')}, got ${JSON.stringify(bad.join(','))}`);
        opts.impls = v;
        break;
      }
      case '--lint': opts.lint = true; break;
      case '--no-lint': opts.lint = false; break;
      case '--variant-budget': opts.variantBudget = positive(value(), flag); break;
      case '--timeout': opts.timeout = positive(value(), flag); break;
      case '--write': opts.write = true; break;
      case '--no-write': opts.write = false; break;
      case '--out': opts.out = path.resolve(value() ?? ''); break;
      case '--help': case '-h': process.stdout.write(USAGE + '\n'); process.exit(0);
      default: throw new Error(`unknown option ${JSON.stringify(flag)}\n${USAGE}`);
    }
  }
  return opts;
}

/** Runs the worker in a fresh process and parses its JSON line. */
function runWorker(buildDir: string, args: string[], timeoutSeconds: number): any {
  const worker = path.join(buildDir, 'bench', 'worker.js');
  const result = spawnSync(process.execPath, [worker, ...args], {
    encoding: 'utf8',
    timeout: timeoutSeconds * 1000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CDK8S_DISABLE_SORT: undefined, CDK8S_RECORD_CONSTRUCT_METADATA: undefined } as NodeJS.ProcessEnv,
  });
  if (result.error) throw new Error(`worker ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    const why = result.signal ? `killed by ${result.signal}${result.signal === 'SIGTERM' ? ` (over --timeout ${timeoutSeconds}s?)` : ''}` : `exit code ${result.status}`;
    throw new Error(`worker ${args.join(' ')}: ${why}\n${result.stderr}`);
  }
  const line = result.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line);
}

function log(text: string): void {
  process.stderr.write(text + '\n');
}

interface SynthTask {
  readonly kind: 'synth';
  readonly key: string;
  readonly variant: Variant;
  readonly namespaces: number;
}

interface PhasesTask {
  readonly kind: 'phases';
  readonly key: string;
  readonly impl: Impl;
  readonly namespaces: number;
}

interface AnalysisTask {
  readonly kind: 'analysis';
  readonly key: string;
  readonly namespaces: number;
  readonly withIps: boolean;
}

interface LintTask {
  readonly kind: 'lint';
  readonly key: string;
  readonly namespaces: number;
}

interface ListTask {
  readonly kind: 'list';
  readonly key: string;
  readonly namespaces: number;
  readonly withIps: boolean;
}

interface DiffTask {
  readonly kind: 'diff';
  readonly key: string;
  readonly namespaces: number;
  readonly percent: number;
}

type Task = SynthTask | PhasesTask | AnalysisTask | LintTask | ListTask | DiffTask;

interface Samples {
  readonly task: Task;
  readonly results: any[];
  elapsedSeconds: number;
  /** Why the variant has fewer runs than asked, if it has. */
  stopped?: string;
}

function synthTasks(opts: Options): SynthTask[] {
  const tasks: SynthTask[] = [];
  const add = (impl: Impl, layout: Layout, driver: Driver, n: number) =>
    tasks.push({ kind: 'synth', key: `${impl}/${layout}/${driver}@${n}`, variant: { impl, layout, driver }, namespaces: n });
  // cdk8s-plus-28 is as quadratic as raw cdk8s and 3-4 times slower: at the main sizes only
  const growthImpls = opts.impls.filter(impl => impl !== Impl.PLUS);
  const sizes = [
    ...opts.namespaces.map(n => ({ n, impls: opts.impls })),
    ...opts.growthNamespaces.filter(n => !opts.namespaces.includes(n)).map(n => ({ n, impls: growthImpls })),
  ];
  // App.synth with a chart per namespace is quadratic in raw cdk8s itself (its steps up to the
  // largest main size show it): beyond that size only the linear variants grow
  const largest = Math.max(...opts.namespaces);
  for (const { n, impls } of sizes) {
    for (const layout of LAYOUTS) {
      for (const impl of impls) {
        if (!usesCdk8s(impl)) {
          add(impl, layout, Driver.NONE, n);
        } else {
          if (layout !== Layout.CHART_PER_NAMESPACE || n <= largest) add(impl, layout, Driver.APP, n);
          // With one chart, the helper saves one validation pass at most; it is for many charts.
          if (layout === Layout.CHART_PER_NAMESPACE) add(impl, layout, Driver.HELPER, n);
        }
      }
    }
  }
  if (opts.impls.includes(Impl.NETPOL)) {
    for (const n of opts.libraryOnlyNamespaces) {
      add(Impl.NETPOL, Layout.ONE_CHART, Driver.APP, n);
      add(Impl.NETPOL, Layout.CHART_PER_NAMESPACE, Driver.HELPER, n);
    }
  }
  return tasks;
}

/** Phase breakdown (build, whole-app steps, render, YAML) at the largest common N, one chart. */
function phasesTasks(opts: Options): PhasesTask[] {
  const n = Math.max(...opts.namespaces);
  return opts.impls.filter(usesCdk8s).map(impl => ({ kind: 'phases' as const, key: `phases:${impl}/${Layout.ONE_CHART}@${n}`, impl, namespaces: n }));
}

function analysisTasks(opts: Options): (AnalysisTask | LintTask)[] {
  return opts.analysisNamespaces.flatMap(n => [
    ...[false, true].map(withIps => ({ kind: 'analysis' as const, key: `analysis${withIps ? '+ips' : ''}@${n}`, namespaces: n, withIps })),
    ...(opts.lint ? [{ kind: 'lint' as const, key: `lint@${n}`, namespaces: n }] : []),
  ]);
}

function connectivityTasks(opts: Options): (ListTask | DiffTask)[] {
  const largest = Math.max(...opts.connectivityNamespaces);
  return [
    ...opts.connectivityNamespaces.flatMap(n => [false, true].map(withIps => ({ kind: 'list' as const, key: `list${withIps ? '+ips' : ''}@${n}`, namespaces: n, withIps }))),
    ...opts.diffPercents.map(percent => ({ kind: 'diff' as const, key: `diff ${percent}%@${largest}`, namespaces: largest, percent })),
  ];
}

function describeResult(task: Task, r: any): string {
  if (task.kind === 'list') {
    return `model ${formatNumber(r.modelMs)} ms + connectivity ${formatNumber(r.connectivityMs)} ms + text ${formatNumber(r.textMs)} ms, `
      + `peak RSS ${formatNumber(r.maxRssMb)} MiB, ${r.flows} flows (expected ${r.expectedFlows})`;
  }
  if (task.kind === 'diff') {
    return `both models ${formatNumber(r.modelsMs)} ms + diff ${formatNumber(r.diffMs)} ms, peak RSS ${formatNumber(r.maxRssMb)} MiB, `
      + `${r.changes} changes (expected ${r.expectedChanges})`;
  }
  if (task.kind === 'synth') return `${formatNumber(r.ms)} ms, peak RSS ${formatNumber(r.maxRssMb)} MiB, ${r.policies} policies`;
  if (task.kind === 'lint') return `${formatNumber(r.lintMs)} ms, peak RSS ${formatNumber(r.maxRssMb)} MiB, ${r.findings} findings`;
  if (task.kind === 'phases') {
    return `build ${formatNumber(r.buildMs)} ms, whole-app steps ${formatNumber(r.prepareMs)} ms, render ${formatNumber(r.renderMs)} ms, YAML ${formatNumber(r.stringifyMs)} ms`;
  }
  return `model ${formatNumber(r.modelMs)} ms + table ${formatNumber(r.truthTableMs)} ms + count ${formatNumber(r.countMs)} ms, `
    + `peak RSS ${formatNumber(r.maxRssMb)} MiB, ${r.allowed} allowed (expected ${r.expectedAllowed})`;
}

/** Checks a measurement's output (object count, analysis answer); throws if wrong. */
function verify(task: Task, r: any): void {
  if (task.kind === 'synth' && r.policies !== task.namespaces * policiesPerNamespace(task.variant.impl)) {
    throw new Error(`${task.key}: ${r.policies} NetworkPolicies in the output, expected ${task.namespaces * policiesPerNamespace(task.variant.impl)}`);
  }
  if (task.kind === 'list' && r.flows !== r.expectedFlows) {
    throw new Error(`${task.key}: netpol list found ${r.flows} flows, expected ${r.expectedFlows}`);
  }
  if (task.kind === 'diff' && r.changes !== r.expectedChanges) {
    throw new Error(`${task.key}: netpol diff found ${r.changes} changes, expected ${r.expectedChanges}`);
  }
  if (task.kind === 'analysis' && r.allowed !== r.expectedAllowed) {
    throw new Error(`${task.key}: the truth table allows ${r.allowed} pairs, expected ${r.expectedAllowed}`);
  }
}

function runRounds(buildDir: string, tasks: Task[], opts: Options): Map<string, Samples> {
  const samples = new Map<string, Samples>(tasks.map(t => [t.key, { task: t, results: [], elapsedSeconds: 0 }]));
  for (let r = 0; r < opts.runs; r++) {
    // Smaller N first in every round, variants rotated so that none always runs first.
    const byN = new Map<number, Task[]>();
    for (const t of tasks) byN.set(t.namespaces, [...(byN.get(t.namespaces) ?? []), t]);
    for (const n of [...byN.keys()].sort((a, b) => a - b)) {
      for (const task of rotate(byN.get(n)!, r)) {
        const s = samples.get(task.key)!;
        // A variant whose next run would take it over the budget stops repeating (it keeps its first run).
        if (r > 0 && s.elapsedSeconds * (1 + 1 / s.results.length) > opts.variantBudget) {
          s.stopped ??= `stopped after ${s.results.length} run(s) of ${Math.round(s.elapsedSeconds / s.results.length)} s each: `
            + `another would go over --variant-budget ${opts.variantBudget} s`;
          continue;
        }
        const args = task.kind === 'synth' ? ['synth', task.variant.impl, task.variant.layout, String(task.namespaces), task.variant.driver]
          : task.kind === 'phases' ? ['phases', task.impl, Layout.ONE_CHART, String(task.namespaces)]
            : task.kind === 'lint' ? ['lint', String(task.namespaces)]
              : task.kind === 'list' ? ['list', String(task.namespaces), ...(task.withIps ? ['ips'] : [])]
                : task.kind === 'diff' ? ['diff', String(task.namespaces), String(task.percent)]
                  : ['analysis', String(task.namespaces), ...(task.withIps ? ['ips'] : [])];
        const started = Date.now();
        const result = runWorker(buildDir, args, opts.timeout);
        s.elapsedSeconds += (Date.now() - started) / 1000;
        verify(task, result);
        s.results.push(result);
        log(`[${r + 1}/${opts.runs}] ${task.key}: ${describeResult(task, result)}`);
      }
    }
  }
  return samples;
}

interface SynthRow {
  readonly impl: Impl;
  readonly implementation: string;
  readonly layout: Layout;
  readonly driver: Driver;
  readonly namespaces: number;
  readonly policies: number;
  readonly runs: number;
  readonly stopped?: string;
  readonly ms: number[];
  readonly medianMs: number;
  readonly medianMaxRssMb: number;
  readonly medianBaseRssMb: number;
  /** Construction (building the construct tree) and synthesis apart, ms (cdk8s implementations). */
  readonly medianBuildMs?: number;
  readonly medianSynthMs?: number;
  /** Process CPU time (user + system) of construction and synthesis, ms. */
  readonly medianCpuMs?: number;
  readonly yamlBytes: number;
  /** Median over the median of raw KubeNetworkPolicy, same N and layout, cdk8s's own synthesis (App). */
  ratioToKube?: number;
  /** Median over the median of raw KubeNetworkPolicy, same N, layout and driver. */
  ratioToKubeSameDriver?: number;
}

function synthRows(samples: Map<string, Samples>): SynthRow[] {
  const rows: SynthRow[] = [];
  for (const s of samples.values()) {
    if (s.task.kind !== 'synth' || s.results.length === 0) continue;
    const { variant, namespaces } = s.task;
    rows.push({
      impl: variant.impl,
      implementation: IMPL_LABELS[variant.impl],
      layout: variant.layout,
      driver: variant.driver,
      namespaces,
      policies: s.results[0].policies,
      runs: s.results.length,
      stopped: s.stopped,
      ms: s.results.map(r => round(r.ms, 1)),
      medianMs: round(median(s.results.map(r => r.ms)), 1),
      medianMaxRssMb: round(median(s.results.map(r => r.maxRssMb)), 1),
      medianBaseRssMb: round(median(s.results.map(r => r.baseRssMb)), 1),
      medianBuildMs: optionalMedian(s.results.map(r => r.buildMs)),
      medianSynthMs: optionalMedian(s.results.map(r => r.synthMs)),
      medianCpuMs: optionalMedian(s.results.map(r => r.cpuMs)),
      yamlBytes: s.results[0].bytes,
    });
  }
  // the patterns workload is measured against raw objects with its own YAML
  const find = (of: Impl, n: number, layout: Layout, driver: Driver) =>
    rows.find(r => r.impl === baselineOf(of) && r.namespaces === n && r.layout === layout && r.driver === driver);
  for (const row of rows) {
    const kubeApp = find(row.impl, row.namespaces, row.layout, Driver.APP);
    if (kubeApp) row.ratioToKube = round(row.medianMs / kubeApp.medianMs, 2);
    const kubeSame = row.driver === Driver.NONE ? kubeApp : find(row.impl, row.namespaces, row.layout, row.driver);
    if (kubeSame) row.ratioToKubeSameDriver = round(row.medianMs / kubeSame.medianMs, 2);
  }
  return rows;
}

/** The median of a measurement that older workers or some implementations do not report. */
function optionalMedian(values: (number | undefined)[]): number | undefined {
  return values.every(v => typeof v === 'number') ? round(median(values as number[]), 1) : undefined;
}

/** The raw cdk8s objects an implementation is measured against: those of its own workload. */
function baselineOf(impl: Impl): Impl {
  return PATTERN_IMPLS.includes(impl) ? Impl.PATTERNS_RAW : Impl.KUBE;
}

interface AnalysisRow {
  readonly namespaces: number;
  readonly withIps: boolean;
  readonly pods: number;
  readonly policies: number;
  readonly runs: number;
  readonly medianModelMs: number;
  readonly medianTruthTableMs: number;
  readonly medianCountMs: number;
  /** Model + truth table + counting every pair: the full table, ms. */
  readonly medianTotalMs: number;
  readonly medianMaxRssMb: number;
  readonly medianBaseRssMb: number;
  readonly allowed: number;
  readonly expectedAllowed: number;
}

function analysisRows(samples: Map<string, Samples>): AnalysisRow[] {
  const rows: AnalysisRow[] = [];
  for (const s of samples.values()) {
    if (s.task.kind !== 'analysis' || s.results.length === 0) continue;
    const rs = s.results;
    rows.push({
      namespaces: s.task.namespaces,
      withIps: s.task.withIps,
      pods: rs[0].pods,
      policies: rs[0].policies,
      runs: rs.length,
      medianModelMs: round(median(rs.map(r => r.modelMs)), 1),
      medianTruthTableMs: round(median(rs.map(r => r.truthTableMs)), 1),
      medianCountMs: round(median(rs.map(r => r.countMs)), 1),
      medianTotalMs: round(median(rs.map(r => r.modelMs + r.truthTableMs + r.countMs)), 1),
      medianMaxRssMb: round(median(rs.map(r => r.maxRssMb)), 1),
      medianBaseRssMb: round(median(rs.map(r => r.baseRssMb)), 1),
      allowed: rs[0].allowed,
      expectedAllowed: rs[0].expectedAllowed,
    });
  }
  return rows.sort((a, b) => a.namespaces - b.namespaces || Number(a.withIps) - Number(b.withIps));
}

interface PhasesRow {
  readonly impl: Impl;
  readonly implementation: string;
  readonly layout: Layout;
  readonly namespaces: number;
  readonly runs: number;
  readonly medianBuildMs: number;
  readonly medianPrepareMs: number;
  readonly medianRenderMs: number;
  readonly medianStringifyMs: number;
}

function phasesRows(samples: Map<string, Samples>): PhasesRow[] {
  const rows: PhasesRow[] = [];
  for (const s of samples.values()) {
    if (s.task.kind !== 'phases' || s.results.length === 0) continue;
    const m = (f: string) => round(median(s.results.map(r => r[f])), 1);
    rows.push({
      impl: s.task.impl,
      implementation: IMPL_LABELS[s.task.impl],
      layout: Layout.ONE_CHART,
      namespaces: s.task.namespaces,
      runs: s.results.length,
      medianBuildMs: m('buildMs'),
      medianPrepareMs: m('prepareMs'),
      medianRenderMs: m('renderMs'),
      medianStringifyMs: m('stringifyMs'),
    });
  }
  return rows;
}

interface LintRow {
  readonly namespaces: number;
  readonly pods: number;
  readonly policies: number;
  readonly runs: number;
  readonly stopped?: string;
  readonly medianLintMs: number;
  readonly medianMaxRssMb: number;
  readonly findings: number;
}

function lintRows(samples: Map<string, Samples>): LintRow[] {
  const rows: LintRow[] = [];
  for (const s of samples.values()) {
    if (s.task.kind !== 'lint' || s.results.length === 0) continue;
    const rs = s.results;
    rows.push({
      namespaces: s.task.namespaces,
      pods: rs[0].pods,
      policies: rs[0].policies,
      runs: rs.length,
      stopped: s.stopped,
      medianLintMs: round(median(rs.map(r => r.lintMs)), 1),
      medianMaxRssMb: round(median(rs.map(r => r.maxRssMb)), 1),
      findings: rs[0].findings,
    });
  }
  return rows.sort((a, b) => a.namespaces - b.namespaces);
}

interface ListRow {
  readonly namespaces: number;
  readonly withIps: boolean;
  readonly pods: number;
  readonly policies: number;
  readonly runs: number;
  readonly medianModelMs: number;
  readonly medianConnectivityMs: number;
  readonly medianTextMs: number;
  /** Model + connectivity + text: what `netpol list` does after reading the files, ms. */
  readonly medianTotalMs: number;
  readonly medianMaxRssMb: number;
  readonly flows: number;
}

interface DiffRow {
  readonly namespaces: number;
  readonly percent: number;
  readonly changedPolicies: number;
  readonly runs: number;
  readonly medianModelsMs: number;
  readonly medianDiffMs: number;
  readonly medianTotalMs: number;
  readonly medianMaxRssMb: number;
  readonly changes: number;
}

function listRows(samples: Map<string, Samples>): ListRow[] {
  const rows: ListRow[] = [];
  for (const s of samples.values()) {
    if (s.task.kind !== 'list' || s.results.length === 0) continue;
    const rs = s.results;
    rows.push({
      namespaces: s.task.namespaces,
      withIps: s.task.withIps,
      pods: rs[0].pods,
      policies: rs[0].policies,
      runs: rs.length,
      medianModelMs: round(median(rs.map(r => r.modelMs)), 1),
      medianConnectivityMs: round(median(rs.map(r => r.connectivityMs)), 1),
      medianTextMs: round(median(rs.map(r => r.textMs)), 1),
      medianTotalMs: round(median(rs.map(r => r.modelMs + r.connectivityMs + r.textMs)), 1),
      medianMaxRssMb: round(median(rs.map(r => r.maxRssMb)), 1),
      flows: rs[0].flows,
    });
  }
  return rows.sort((a, b) => a.namespaces - b.namespaces || Number(a.withIps) - Number(b.withIps));
}

function diffRows(samples: Map<string, Samples>): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const s of samples.values()) {
    if (s.task.kind !== 'diff' || s.results.length === 0) continue;
    const rs = s.results;
    rows.push({
      namespaces: s.task.namespaces,
      percent: s.task.percent,
      changedPolicies: rs[0].changedPolicies,
      runs: rs.length,
      medianModelsMs: round(median(rs.map(r => r.modelsMs)), 1),
      medianDiffMs: round(median(rs.map(r => r.diffMs)), 1),
      medianTotalMs: round(median(rs.map(r => r.modelsMs + r.diffMs)), 1),
      medianMaxRssMb: round(median(rs.map(r => r.maxRssMb)), 1),
      changes: rs[0].changes,
    });
  }
  return rows.sort((a, b) => a.percent - b.percent);
}

/** The issue-14 targets for `netpol list` and `netpol diff`. */
function connectivityTargets(list: ListRow[], diff: DiffRow[]): Target[] {
  const out: Target[] = [];
  const x = (v: number) => `${v.toFixed(2)}×`;
  for (const l of list.filter(r => r.namespaces === 1000)) {
    out.push({
      target: `\`netpol list\`, ${formatNumber(l.pods)} pods${l.withIps ? ' with IPs' : ''}, ${formatNumber(l.policies)} policies: every flow on every port under 3 s and 1 GiB`,
      measured: `${formatNumber(l.medianTotalMs)} ms, peak RSS ${formatNumber(l.medianMaxRssMb)} MiB, ${formatNumber(l.flows)} flows`,
      met: l.medianTotalMs < 3000 && l.medianMaxRssMb < 1024,
    });
  }
  for (const withIps of [false, true]) {
    const a = list.find(r => r.namespaces === 100 && r.withIps === withIps);
    const b = list.find(r => r.namespaces === 1000 && r.withIps === withIps);
    if (!a || !b) continue;
    const time = b.medianTotalMs / a.medianTotalMs;
    const flows = b.flows / a.flows;
    out.push({
      target: `\`netpol list\`${withIps ? ' (pods with IPs)' : ''}: growth from N=100 to N=1,000 at most linear in the flows (time ratio ≤ flow ratio)`,
      measured: `time ${x(time)}, flows ${x(flows)}`,
      met: time <= flows,
    });
  }
  const one = diff.find(r => r.percent === 1);
  if (one) {
    out.push({
      target: `\`netpol diff\` of two ${formatNumber(one.namespaces)}-namespace organisations differing in 1% of policies: under 5 s`,
      measured: `${formatNumber(one.medianTotalMs)} ms (reading both versions ${formatNumber(one.medianModelsMs)} ms, diff ${formatNumber(one.medianDiffMs)} ms), ${formatNumber(one.changes)} changes`,
      met: one.medianTotalMs < 5000,
    });
  }
  const sorted = [...diff].sort((a, b) => a.percent - b.percent);
  if (sorted.length >= 2) {
    const lo = sorted[0];
    const hi = sorted[sorted.length - 1];
    out.push({
      target: `\`netpol diff\`: the diff step grows with the change (${lo.percent}% → ${hi.percent}% of policies, ${x(hi.percent / lo.percent)} the change)`,
      measured: `diff ${formatNumber(lo.medianDiffMs)} ms → ${formatNumber(hi.medianDiffMs)} ms (${x(hi.medianDiffMs / lo.medianDiffMs)}); reading both versions is linear in their size`,
    });
  }
  return out;
}

function connectivityMarkdown(list: ListRow[], diff: DiffRow[], t: Target[]): string[] {
  const lines: string[] = [];
  if (list.length > 0) {
    lines.push('`netpol list` (issue 14): `ClusterModel.fromObjects` + `connectivity()` (every flow, every port, every protocol) + `toText()`:');
    lines.push('');
    lines.push('| Namespaces | Pods | Policies | Pod IPs | Model | Connectivity | Text | Total | Flows | Peak RSS |');
    lines.push('|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|');
    for (const l of list) {
      lines.push(`| ${formatNumber(l.namespaces)} | ${formatNumber(l.pods)} | ${formatNumber(l.policies)} | ${l.withIps ? 'yes' : 'no'} | ${formatNumber(l.medianModelMs)} ms `
        + `| ${formatNumber(l.medianConnectivityMs)} ms | ${formatNumber(l.medianTextMs)} ms | ${formatNumber(l.medianTotalMs)} ms | ${formatNumber(l.flows)} | ${formatNumber(l.medianMaxRssMb)} MiB |`);
    }
    lines.push('');
  }
  if (diff.length > 0) {
    lines.push(`\`netpol diff\` (issue 14): two versions of the ${formatNumber(diff[0].namespaces)}-namespace organisation, the second with a share of its policies changed `
      + '(the frontend ingress policy opens TCP 8080-8081): both `ClusterModel.fromObjects` + `ConnectivityDiff.betweenModels` + `toText()`:');
    lines.push('');
    lines.push('| Changed policies | Read both versions | Diff | Total | Changes | Peak RSS |');
    lines.push('|---:|---:|---:|---:|---:|---:|');
    for (const d of diff) {
      lines.push(`| ${d.percent}% (${formatNumber(d.changedPolicies)}) | ${formatNumber(d.medianModelsMs)} ms | ${formatNumber(d.medianDiffMs)} ms | ${formatNumber(d.medianTotalMs)} ms | ${formatNumber(d.changes)} | ${formatNumber(d.medianMaxRssMb)} MiB |`);
    }
    lines.push('');
  }
  if (t.length > 0) {
    lines.push('| Target (issue 14) | Measured | Met |');
    lines.push('|---|---|---|');
    for (const x of t) lines.push(`| ${x.target} | ${x.measured} | ${x.met === undefined ? 'n/a' : x.met ? 'yes' : '**no**'} |`);
    lines.push('');
  }
  return lines;
}

interface Growth {
  readonly what: string;
  readonly from: number;
  readonly to: number;
  /** Median time at `to` over median time at `from` (for `to / from` times the work). */
  readonly ratio: number;
}

function growth(synth: SynthRow[], analysis: AnalysisRow[], lint: LintRow[]): Growth[] {
  const out: Growth[] = [];
  const pairs: [number, number][] = [[100, 1000], [1000, 5000]];
  const keys = new Set(synth.map(r => `${r.impl}/${r.layout}/${r.driver}`));
  // issue 22: every doubling step (250 -> 500 -> ... -> 4,000)
  const sizes = [...new Set(synth.map(r => r.namespaces))].sort((a, b) => a - b);
  const doublings = sizes.filter(n => sizes.includes(n * 2)).map(n => [n, n * 2] as [number, number]);
  for (const key of keys) {
    for (const [from, to] of [...pairs, ...doublings.filter(([f, t]) => !pairs.some(([a, b]) => a === f && b === t))]) {
      const a = synth.find(r => `${r.impl}/${r.layout}/${r.driver}` === key && r.namespaces === from);
      const b = synth.find(r => `${r.impl}/${r.layout}/${r.driver}` === key && r.namespaces === to);
      if (a && b) out.push({ what: `synthesis ${key}`, from, to, ratio: round(b.medianMs / a.medianMs, 2) });
    }
  }
  for (const [from, to] of pairs) {
    const a = lint.find(r => r.namespaces === from);
    const b = lint.find(r => r.namespaces === to);
    if (a && b) out.push({ what: 'netpol lint', from, to, ratio: round(b.medianLintMs / a.medianLintMs, 2) });
  }
  for (const withIps of [false, true]) {
    for (const [from, to] of pairs) {
      const a = analysis.find(r => r.withIps === withIps && r.namespaces === from);
      const b = analysis.find(r => r.withIps === withIps && r.namespaces === to);
      if (!a || !b) continue;
      const what = `analysis${withIps ? ' (pods with IPs)' : ''}`;
      out.push({ what: `${what}: model + truth table + count`, from, to, ratio: round(b.medianTotalMs / a.medianTotalMs, 2) });
      out.push({ what: `${what}: model + truth table`, from, to, ratio: round((b.medianModelMs + b.medianTruthTableMs) / (a.medianModelMs + a.medianTruthTableMs), 2) });
      out.push({ what: `${what}: peak RSS`, from, to, ratio: round(b.medianMaxRssMb / a.medianMaxRssMb, 2) });
    }
  }
  return out;
}

interface Target {
  readonly target: string;
  readonly measured: string;
  /** true/false, or undefined when not measured in this run. */
  readonly met?: boolean;
}

function targets(synth: SynthRow[], analysis: AnalysisRow[], lint: LintRow[], growths: Growth[], cli: readonly CliRow[]): Target[] {
  const out: Target[] = [];
  const row = (impl: Impl, layout: Layout, driver: Driver, n = 1000) =>
    synth.find(r => r.impl === impl && r.layout === layout && r.driver === driver && r.namespaces === n);
  const x = (v: number) => `${v.toFixed(2)}×`;
  for (const layout of LAYOUTS) {
    for (const driver of [Driver.APP, Driver.HELPER]) {
      const lib = row(Impl.NETPOL, layout, driver);
      const kube = row(Impl.KUBE, layout, driver);
      if (!lib || !kube) continue;
      const ratio = lib.medianMs / kube.medianMs;
      out.push({
        target: `N=1,000, ${layout === Layout.ONE_CHART ? 'one chart' : 'chart per namespace'}, both through ${driver === Driver.APP ? 'App.synth' : 'the library\'s `Synthesis`'}: `
          + 'cdk8s-netpol within 1.15× of raw KubeNetworkPolicy',
        measured: `${x(ratio)} (${formatNumber(lib.medianMs)} ms vs ${formatNumber(kube.medianMs)} ms)`,
        met: ratio <= 1.15,
      });
    }
  }
  // What a user chooses between: this library with its Synthesis, or raw objects through App.synth.
  const libHelper = row(Impl.NETPOL, Layout.CHART_PER_NAMESPACE, Driver.HELPER);
  const kubeApp = row(Impl.KUBE, Layout.CHART_PER_NAMESPACE, Driver.APP);
  if (libHelper && kubeApp) {
    const ratio = libHelper.medianMs / kubeApp.medianMs;
    out.push({
      target: 'N=1,000, chart per namespace: cdk8s-netpol through `Synthesis` within 1.15× of raw KubeNetworkPolicy through App.synth',
      measured: `${x(ratio)} (${formatNumber(libHelper.medianMs)} ms vs ${formatNumber(kubeApp.medianMs)} ms)`,
      met: ratio <= 1.15,
    });
  }
  const plus = row(Impl.PLUS, Layout.CHART_PER_NAMESPACE, Driver.APP);
  for (const driver of [Driver.APP, Driver.HELPER]) {
    const lib = row(Impl.NETPOL, Layout.CHART_PER_NAMESPACE, driver);
    if (!plus || !lib) continue;
    const speedup = plus.medianMs / lib.medianMs;
    out.push({
      target: `N=1,000, chart per namespace: cdk8s-netpol (${driver === Driver.APP ? 'App.synth' : '`Synthesis`'}) at least 4× faster than cdk8s-plus-28 (App.synth)`,
      measured: `${x(speedup)} (${formatNumber(lib.medianMs)} ms vs ${formatNumber(plus.medianMs)} ms)`,
      met: speedup >= 4,
    });
  }
  for (const a of analysis.filter(r => r.namespaces === 1000)) {
    out.push({
      target: `analysis, ${formatNumber(a.pods)} pods${a.withIps ? ' with IPs' : ''}: full truth table for one port under 5 s and 1 GiB`,
      measured: `${formatNumber(a.medianTotalMs)} ms, peak RSS ${formatNumber(a.medianMaxRssMb)} MiB`,
      met: a.medianTotalMs < 5000 && a.medianMaxRssMb < 1024,
    });
  }
  for (const g of growths.filter(gr => gr.what.startsWith('analysis') && gr.what.endsWith('count') && gr.from === 100 && gr.to === 1000)) {
    out.push({ target: `${g.what.replace(': model + truth table + count', '')}: no worse than linear from N=100 to N=1,000 (time ratio ≤ 10)`, measured: x(g.ratio), met: g.ratio <= 10 });
  }
  const lint1000 = lint.find(r => r.namespaces === 1000);
  const lintGrowth = growths.find(g => g.what === 'netpol lint' && g.from === 100 && g.to === 1000);
  out.push(lint1000
    ? {
      target: '`netpol lint` over the 10,000-pod organisation: no worse than linear from N=100 to N=1,000',
      measured: `${formatNumber(lint1000.medianLintMs)} ms, peak RSS ${formatNumber(lint1000.medianMaxRssMb)} MiB${lintGrowth ? `, growth ${x(lintGrowth.ratio)}` : ''}`,
      met: lintGrowth ? lintGrowth.ratio <= 10 : undefined,
    }
    : { target: '`netpol lint` over the 10,000-pod organisation', measured: `not measured${lint.length > 0 ? ' at N=1,000' : ' (--no-lint)'}` });
  return [...out, ...issue22Targets(synth), ...growthTargets(synth, growths), ...cliTargets(cli)];
}

/** Issue 22's targets, at the largest size every implementation ran. */
function issue22Targets(synth: SynthRow[]): Target[] {
  const out: Target[] = [];
  // at the largest size where every variant ran (raw App.synth with a chart per namespace is
  // left out above the main sizes), and at the largest size of all, for what ran there
  const every = synth.filter(r => r.impl === Impl.KUBE && r.layout === Layout.CHART_PER_NAMESPACE && r.driver === Driver.APP).map(r => r.namespaces);
  const all = synth.filter(r => r.impl === Impl.KUBE).map(r => r.namespaces);
  if (every.length === 0) return out;
  for (const n of new Set([Math.max(...every), Math.max(...all)])) out.push(...issue22TargetsAt(synth, n));
  // peak RSS at every size, this library against raw objects of the same workload in the same layout and driver
  const worst: string[] = [];
  let met = true;
  for (const r of synth.filter(x => x.impl === Impl.NETPOL || x.impl === Impl.PATTERNS)) {
    const raw = synth.find(x => x.impl === baselineOf(r.impl) && x.layout === r.layout && x.driver === r.driver && x.namespaces === r.namespaces);
    if (!raw) continue;
    const ratio = r.medianMaxRssMb / raw.medianMaxRssMb;
    if (ratio > 1.2) met = false;
    worst.push(`${r.impl}/${r.layout}/${r.driver}@${r.namespaces} ${ratio.toFixed(2)}×`);
  }
  if (worst.length > 0) {
    out.push({
      target: '(issue 22) peak RSS at most 1.2× raw at every size (cdk8s-netpol vs raw KubeNetworkPolicy; patterns vs raw ApiObjects)',
      measured: worst.join(', '),
      met,
    });
  }
  return out;
}

function issue22TargetsAt(synth: SynthRow[], n: number): Target[] {
  const out: Target[] = [];
  const row = (impl: Impl, layout: Layout, driver: Driver) =>
    synth.find(r => r.impl === impl && r.layout === layout && r.driver === driver && r.namespaces === n);
  const at = `N=${formatNumber(n)}`;
  const ratioTarget = (target: string, a: SynthRow | undefined, b: SynthRow | undefined, limit: number) => {
    if (!a || !b) return;
    const ratio = a.medianMs / b.medianMs;
    out.push({ target, measured: `${ratio.toFixed(2)}× (${formatNumber(a.medianMs)} ms vs ${formatNumber(b.medianMs)} ms)`, met: ratio <= limit });
  };
  const one = Layout.ONE_CHART;
  const per = Layout.CHART_PER_NAMESPACE;
  const { APP, HELPER, NONE } = Driver;
  for (const [lib, raw, what] of [[Impl.NETPOL, Impl.KUBE, 'cdk8s-netpol'], [Impl.PATTERNS, Impl.PATTERNS_RAW, 'the patterns variant']] as const) {
    const vs = lib === Impl.NETPOL ? 'raw KubeNetworkPolicy' : 'raw ApiObjects with the same YAML';
    ratioTarget(`(issue 22) ${at}, one chart, App.synth: ${what} at most 1.10× ${vs}`, row(lib, one, APP), row(raw, one, APP), 1.10);
    ratioTarget(`(issue 22) ${at}, chart per namespace, App.synth: ${what} at most 1.3× ${vs}`, row(lib, per, APP), row(raw, per, APP), 1.3);
    ratioTarget(`(issue 22) ${at}, chart per namespace: ${what} through \`Synthesis\` at most 1.2× the plain-objects floor`, row(lib, per, HELPER), row(Impl.PLAIN, per, NONE), 1.2);
  }
  for (const layout of [one, per]) {
    ratioTarget(`(issue 22) ${at}, ${layout === one ? 'one chart' : 'chart per namespace'}, App.synth: \`NetpolLint.addTo(app)\` at most 1.5× the same app without it`,
      row(Impl.NETPOL_LINT, layout, APP), row(Impl.NETPOL, layout, APP), 1.5);
  }
  const plus = row(Impl.PLUS, per, APP);
  const lib = row(Impl.NETPOL, per, APP);
  if (plus && lib) {
    const slower = plus.medianMs / lib.medianMs;
    out.push({
      target: `(issue 22) ${at}, chart per namespace, App.synth: cdk8s-plus-28 at least 4× slower than cdk8s-netpol`,
      measured: `${slower.toFixed(2)}× (${formatNumber(plus.medianMs)} ms vs ${formatNumber(lib.medianMs)} ms)`,
      met: slower >= 4,
    });
  }
  return out;
}

/**
 * Issue 22's growth: every doubling step of every variant at most 2.2× the previous size, unless
 * its raw baseline (same layout and driver) grows faster at that step: then at most as fast as raw.
 */
function growthTargets(synth: SynthRow[], growths: Growth[]): Target[] {
  const out: Target[] = [];
  const steps = (key: string) => growths.filter(g => g.what === `synthesis ${key}` && g.to === g.from * 2).sort((a, b) => a.from - b.from);
  const keys = [...new Set(synth.map(r => `${r.impl}/${r.layout}/${r.driver}`))];
  for (const key of keys) {
    const own = steps(key);
    if (own.length < 2) continue;
    const [impl, layout, driver] = key.split('/') as [Impl, Layout, Driver];
    const rawKey = impl === Impl.PLAIN ? undefined : `${baselineOf(impl)}/${layout}/${driver}`;
    const raw = rawKey !== undefined && rawKey !== key ? steps(rawKey) : [];
    let met = true;
    const parts = own.map(g => {
      const r = raw.find(x => x.from === g.from);
      const limit = Math.max(2.2, r?.ratio ?? 0);
      if (g.ratio > limit) met = false;
      const exempt = r !== undefined && r.ratio > 2.2 ? ` (raw ${r.ratio.toFixed(2)}×)` : '';
      return `${formatNumber(g.from)}→${formatNumber(g.to)} ${g.ratio.toFixed(2)}×${exempt}`;
    });
    // the baselines (raw objects, the plain floor) are shown for reference
    const reference = impl === Impl.PLAIN || impl === baselineOf(impl);
    out.push({
      target: `(issue 22) growth, ${IMPL_LABELS[impl]}, ${impl === Impl.PLAIN ? layout.replace(/-/g, ' ') : LAYOUT_LABEL[`${layout}/${driver}`]}: `
        + `${reference ? 'each doubling of the namespaces (reference)' : 'each doubling of the namespaces at most 2.2× (at most raw\'s step where raw grows faster: beside it)'}`,
      measured: parts.join(', '),
      met: reference ? undefined : met,
    });
  }
  return out;
}

/** Issue 22's `cdk8s synth` target: with the validation plugin at most 1.2× without it. */
function cliTargets(cli: readonly CliRow[]): Target[] {
  return cli.map(r => ({
    target: `(issue 22) N=${formatNumber(r.namespaces)}, chart per namespace, \`cdk8s synth\` with the validation plugin at most 1.2× without it`,
    measured: `${r.ratio.toFixed(2)}× (${formatNumber(r.withPluginMs)} ms vs ${formatNumber(r.withoutPluginMs)} ms; the plugin's \`validate()\` ${formatNumber(r.lintMs)} ms)`,
    met: r.ratio <= 1.2,
  }));
}

function machineInfo(): any {
  const cpus = os.cpus();
  const version = (pkg: string) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
    } catch {
      return undefined;
    }
  };
  const git = (args: string[]) => {
    const r = spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  return {
    cpuModel: cpus[0]?.model,
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    versions: {
      'cdk8s': version('cdk8s'),
      'cdk8s-plus-28': version('cdk8s-plus-28'),
      'constructs': version('constructs'),
      'yaml': version('yaml'),
    },
    commit: git(['rev-parse', '--short', 'HEAD']),
    uncommittedChanges: (git(['status', '--porcelain', '--', 'src', 'bench']) ?? '') !== '',
    loadAverageAtStart: os.loadavg().map(l => round(l, 2)),
  };
}

const LAYOUT_LABEL: { readonly [key: string]: string } = {
  [`${Layout.ONE_CHART}/${Driver.APP}`]: 'one chart',
  [`${Layout.CHART_PER_NAMESPACE}/${Driver.APP}`]: 'chart per namespace, `App.synth`',
  [`${Layout.CHART_PER_NAMESPACE}/${Driver.HELPER}`]: 'chart per namespace, `Synthesis.synth`',
  [`${Layout.ONE_CHART}/${Driver.HELPER}`]: 'one chart, `Synthesis.synth`',
};

/** The layout and driver of each row of the Markdown table. */
const TABLE_ROWS: readonly (readonly [Layout, Driver])[] = [
  [Layout.ONE_CHART, Driver.APP],
  [Layout.CHART_PER_NAMESPACE, Driver.APP],
  [Layout.CHART_PER_NAMESPACE, Driver.HELPER],
];

/**
 * Issue 22's figures beside the main table: construction and synthesis apart (with CPU time,
 * less sensitive to other processes than wall time) at the largest size every cdk8s
 * implementation ran, and `cdk8s synth` with and without the validation plugin.
 */
function issue22Markdown(synth: SynthRow[], cli: readonly CliRow[]): string[] {
  const lines: string[] = [];
  const common = synth.filter(r => r.impl === Impl.PLUS).map(r => r.namespaces);
  const n = common.length > 0 ? Math.max(...common) : undefined;
  const rows = synth.filter(r => r.namespaces === n && r.medianBuildMs !== undefined);
  if (rows.length > 0) {
    lines.push(`Construction and synthesis apart at ${formatNumber(n!)} namespaces (medians; CPU is the process's user + system time of both):`);
    lines.push('');
    lines.push('| Implementation | Layout | Construction | Synthesis | Total | CPU |');
    lines.push('|---|---|---:|---:|---:|---:|');
    for (const impl of IMPLS) {
      for (const [layout, driver] of TABLE_ROWS) {
        const r = rows.find(x => x.impl === impl && x.layout === layout && x.driver === driver);
        if (!r) continue;
        lines.push(`| ${IMPL_LABELS[impl]} | ${LAYOUT_LABEL[`${layout}/${driver}`]} | ${formatNumber(r.medianBuildMs!)} ms | ${formatNumber(r.medianSynthMs!)} ms `
          + `| ${formatNumber(r.medianMs)} ms | ${r.medianCpuMs !== undefined ? `${formatNumber(r.medianCpuMs)} ms` : '–'} |`);
      }
    }
    lines.push('');
  }
  if (cli.length > 0) {
    lines.push('`cdk8s synth` (the real CLI, the app synthesized with `Synthesis.synth`) without and with the netpol validation plugin:');
    lines.push('');
    lines.push(cliMarkdown(cli));
  }
  return lines;
}

function markdown(results: any): string {
  const synth: SynthRow[] = results.synthesis;
  const analysis: AnalysisRow[] = results.analysis;
  const m = results.machine;
  const lines: string[] = [];
  lines.push(`Measured ${results.date.slice(0, 10)} on ${m.cpuModel} (${m.cores} cores, ${m.memoryGiB} GiB), Node ${m.node}, `
    + `cdk8s ${m.versions.cdk8s}, cdk8s-plus-28 ${m.versions['cdk8s-plus-28']}; medians of ${results.options.runs} run${results.options.runs === 1 ? '' : 's'}, each in a fresh process. `
    + 'Other processes may have been running on the machine (load average at start: '
    + `${m.loadAverageAtStart.join(', ')}).`);
  lines.push('');
  if (synth.length > 0) {
    lines.push('Synthesis to YAML in memory, 8 NetworkPolicies per namespace. Time (ratio to raw `KubeNetworkPolicy` synthesized by `App.synth` in the same layout; '
      + 'the patterns variant, 6 policies per namespace, to raw `ApiObject`s printing the same YAML):');
    lines.push('');
    const impls = IMPLS.filter(i => synth.some(r => r.impl === i));
    lines.push(`| Namespaces | Layout | ${impls.map(i => IMPL_LABELS[i]).join(' | ')} |`);
    lines.push(`|---:|---|${impls.map(() => '---:').join('|')}|`);
    const ns = [...new Set(synth.map(r => r.namespaces))].sort((a, b) => a - b);
    for (const n of ns) {
      for (const [layout, driver] of TABLE_ROWS) {
        const cells = impls.map(impl => {
          const r = synth.find(x => x.impl === impl && x.namespaces === n && x.layout === layout
            && (impl === Impl.PLAIN ? (driver === Driver.APP && x.driver === Driver.NONE) : x.driver === driver));
          if (!r) return impl === Impl.PLAIN && driver === Driver.HELPER ? '' : '–';
          const ratio = r.ratioToKube !== undefined ? ` (${r.ratioToKube.toFixed(2)}×)` : '';
          const flag = r.stopped ? ` [${r.runs} run${r.runs > 1 ? 's' : ''}]` : '';
          return `${formatNumber(r.medianMs)} ms${ratio}${flag}`;
        });
        if (cells.every(c => c === '–' || c === '')) continue;
        lines.push(`| ${formatNumber(n)} | ${LAYOUT_LABEL[`${layout}/${driver}`]} | ${cells.join(' | ')} |`);
      }
    }
    lines.push('');
    const grown = (results.growth as Growth[]).filter(g => g.what.startsWith('synthesis') && g.from === 100 && g.to === 1000);
    if (grown.length > 0) {
      const text = TABLE_ROWS.map(([layout, driver]) => {
        const parts = impls.map(impl => {
          const key = `synthesis ${impl}/${layout}/${impl === Impl.PLAIN ? Driver.NONE : driver}`;
          const g = impl === Impl.PLAIN && driver === Driver.HELPER ? undefined : grown.find(x => x.what === key);
          return g ? `${IMPL_LABELS[impl]} ${g.ratio.toFixed(1)}×` : undefined;
        }).filter(p => p !== undefined);
        return parts.length > 0 ? `${LAYOUT_LABEL[`${layout}/${driver}`]}: ${parts.join(', ')}` : undefined;
      }).filter(p => p !== undefined).join('; ');
      lines.push(`Growth from 100 to 1,000 namespaces (10× the work; linear is at most 10×): ${text}.`);
      lines.push('');
    }
    const peak = synth.filter(r => r.namespaces === 1000);
    if (peak.length > 0) {
      lines.push('Peak RSS at 1,000 namespaces (MiB; the process holds about '
        + `${formatNumber(median(peak.map(r => r.medianBaseRssMb)))} MiB of loaded modules before it starts): `
        + TABLE_ROWS.map(([layout, driver]) => {
          const parts = impls.map(impl => {
            const r = peak.find(x => x.impl === impl && x.layout === layout
              && (impl === Impl.PLAIN ? x.driver === Driver.NONE : x.driver === driver));
            return r && !(impl === Impl.PLAIN && driver === Driver.HELPER) ? `${IMPL_LABELS[impl]} ${formatNumber(r.medianMaxRssMb)}` : undefined;
          }).filter(p => p !== undefined);
          return `${LAYOUT_LABEL[`${layout}/${driver}`]}: ${parts.join(', ')}`;
        }).join('; ') + '.');
      lines.push('');
    }
  }
  lines.push(...issue22Markdown(synth, results.cli ?? []));
  if (analysis.length > 0) {
    lines.push('Analysis: `ClusterModel.fromObjects` + `truthTable(9000)` + `countAllowed()` (every ordered pod pair), 10 pods per namespace:');
    lines.push('');
    lines.push('| Namespaces | Pods | Policies | Pod IPs | Model | Truth table | Count | Total | Peak RSS |');
    lines.push('|---:|---:|---:|---|---:|---:|---:|---:|---:|');
    for (const a of analysis) {
      lines.push(`| ${formatNumber(a.namespaces)} | ${formatNumber(a.pods)} | ${formatNumber(a.policies)} | ${a.withIps ? 'yes' : 'no'} `
        + `| ${formatNumber(a.medianModelMs)} ms | ${formatNumber(a.medianTruthTableMs)} ms | ${formatNumber(a.medianCountMs)} ms | ${formatNumber(a.medianTotalMs)} ms | ${formatNumber(a.medianMaxRssMb)} MiB |`);
    }
    const grown = (results.growth as Growth[]).filter(x => x.what.startsWith('analysis') && x.what.endsWith('count') && x.from === 100 && x.to === 1000);
    if (grown.length > 0) {
      const text = grown.map(x => `${x.what.replace(': model + truth table + count', '')} ${x.ratio.toFixed(1)}×`).join(', ');
      lines.push('', `Growth from 100 to 1,000 namespaces (10× the work): ${text}.`);
    }
    const lint: LintRow[] = results.lint.rows ?? [];
    const lintGrowth = (results.growth as Growth[]).find(x => x.what === 'netpol lint' && x.from === 100 && x.to === 1000);
    lines.push('', lint.length > 0
      ? `\`netpol lint\` (\`Linter.lintObjects\`): ${lint.map(r => `${formatNumber(r.pods)} pods ${formatNumber(r.medianLintMs)} ms`).join(', ')}`
        + `${lintGrowth ? `; growth ${lintGrowth.ratio.toFixed(1)}× for 10× the work` : ''}.`
      : '`netpol lint`: not measured in this run (`--no-lint`).');
    lines.push('');
  }
  const phases: PhasesRow[] = results.phases;
  if (phases.length > 0) {
    lines.push(`Where the time goes, ${formatNumber(phases[0].namespaces)} namespaces in one chart (medians; build the constructs / validate and resolve dependencies once / render objects / print YAML): `
      + phases.map(p => `${p.implementation} ${formatNumber(p.medianBuildMs)} / ${formatNumber(p.medianPrepareMs)} / ${formatNumber(p.medianRenderMs)} / ${formatNumber(p.medianStringifyMs)} ms`).join('; ') + '.');
    lines.push('');
  }
  lines.push(...connectivityMarkdown(results.connectivity?.list ?? [], results.connectivity?.diff ?? [], results.connectivity?.targets ?? []));
  const t: Target[] = results.targets;
  if (t.length > 0) {
    lines.push('| Target (issue 6 and, marked, issue 22) | Measured | Met |');
    lines.push('|---|---|---|');
    for (const x of t) lines.push(`| ${x.target} | ${x.measured} | ${x.met === undefined ? 'n/a' : x.met ? 'yes' : '**no**'} |`);
    lines.push('');
  }
  return lines.join('\n');
}

function main(): void {
  const argv = process.argv.slice(2);
  const onlyAt = argv.indexOf('--only');
  if (onlyAt >= 0 && argv[onlyAt + 1] === 'cli-scale') {
    runCliScale(argv); // the CLI-scale section alone (bench/cli-scale.ts), with its own options
    return;
  }
  if (onlyAt >= 0 && argv[onlyAt + 1] === 'list-scale') {
    runListScale(argv); // hostile shapes for list and diff (bench/list-scale.ts), with its own options
    return;
  }
  if (onlyAt >= 0 && argv[onlyAt + 1] === 'replay-scale') {
    runReplayScale(argv); // observed flows replayed at scale (bench/replay-scale.ts), with its own options
    return;
  }
  if (onlyAt >= 0 && argv[onlyAt + 1] === 'diff-scale') {
    runDiffScale(argv); // full and proportional diff of a one-policy change (bench/diff-scale.ts), with its own options
    return;
  }
  if (onlyAt >= 0 && argv[onlyAt + 1] === 'cluster-tiers') {
    runClusterTiers(argv); // analysis and list with and without cluster-wide policies (bench/cluster-tiers.ts), with its own options
    return;
  }
  const opts = parseOptions(argv);
  const startedAt = new Date();
  const machine = machineInfo();
  log(`cdk8s-netpol benchmarks: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}; ${opts.runs} runs per variant`);
  const buildDir = buildBench();
  if (opts.only === 'cli') {
    const sizes = process.argv.includes('--namespaces') ? opts.namespaces : [1000];
    const runs = process.argv.includes('--runs') ? opts.runs : 3;
    log(`cdk8s synth with and without the netpol plugin: ${sizes.join(', ')} namespaces, ${runs} runs each`);
    return void runCliBenchmark(buildDir, sizes, runs, opts.timeout)
      .then(rows => process.stdout.write('\n' + cliMarkdown(rows)))
      .catch(e => { log(`bench failed: ${(e as Error).message}`); process.exitCode = 1; })
      .finally(() => removeBuild(buildDir));
  }
  let cleanUp = true;
  try {
    // Equivalence first: nothing is timed unless every variant produces the same policies.
    log('checking that every variant produces equivalent NetworkPolicies (3 namespaces)...');
    const equivalence: EquivalenceReport = runWorker(buildDir, ['check', '3'], opts.timeout);
    for (const v of equivalence.variants) {
      if (v.differences.length > 0) log(`  ${v.variant}: NOT EQUIVALENT\n    ${v.differences.join('\n    ')}`);
    }
    for (const [impl, same] of Object.entries(equivalence.helperMatchesApp)) {
      if (!same) log(`  ${impl}: the library's Synthesis does not print the same documents as App.synthYaml()`);
    }
    if (!equivalence.equivalent) throw new Error('the variants are not equivalent: nothing was timed');
    log('  all equivalent');

    const only = (part: string) => opts.only === undefined || opts.only === part;
    const tasks: Task[] = [
      ...(only('synth') ? synthTasks(opts) : []),
      ...(only('synth') ? phasesTasks(opts) : []),
      ...(only('analysis') ? analysisTasks(opts) : []),
      ...(only('connectivity') ? connectivityTasks(opts) : []),
    ];
    const samples = runRounds(buildDir, tasks, opts);
    const synthesis = synthRows(samples);
    const analysis = analysisRows(samples);
    const lint = lintRows(samples);
    const growths = growth(synthesis, analysis, lint);
    const lists = listRows(samples);
    const diffs = diffRows(samples);
    const notRun = opts.impls.includes(Impl.NETPOL) && only('synth')
      ? opts.libraryOnlyNamespaces.map(n => ({
        variant: `${Impl.NETPOL}/${Layout.CHART_PER_NAMESPACE}/${Driver.APP}@${n}`,
        reason: 'not run: with one chart per namespace, App.synth is quadratic in the number of charts (see bench/README.md); '
          + 'the `Synthesis` variant is measured instead',
      }))
      : [];
    const report = (cli: readonly CliRow[]) => {
      const results = {
        schema: 1,
        date: startedAt.toISOString(),
        durationSeconds: round((Date.now() - startedAt.getTime()) / 1000),
        note: 'Other processes may have been running on this shared machine while it was measured; '
          + 'compare ratios within one run rather than absolute times across runs.',
        machine: { ...machine, loadAverageAtEnd: os.loadavg().map(l => round(l, 2)) },
        options: { ...opts, out: undefined },
        workload: {
          policiesPerNamespace: 8,
          policies: 'default-deny; allow-dns; block-metadata (0.0.0.0/0 and ::/0 except the metadata endpoints); '
            + 'frontend-ingress (from ingress-nginx, TCP 8080), frontend-egress (to backend, TCP 9000), backend-ingress, backend-egress (to database, TCP 5432), database-ingress',
          measured: 'construct + synthesize to YAML strings in memory (App.synthYaml, or the library\'s Synthesis, or yaml.stringify); module loading excluded',
        },
        equivalence,
        synthesis,
        phases: phasesRows(samples),
        notRun,
        analysis,
        growth: growths,
        targets: opts.only === 'connectivity' ? [] : targets(synthesis, analysis, lint, growths, cli),
        cli,
        connectivity: { list: lists, diff: diffs, targets: connectivityTargets(lists, diffs) },
        lint: lint.length > 0
          ? { measured: true, note: 'Linter.lintObjects over every object of the organisation', rows: lint }
          : { measured: false, reason: '`netpol lint` was not part of this run (--no-lint)' },
      };
      const md = markdown(results);
      process.stdout.write('\n' + md + '\n');
      if (opts.write) {
        fs.mkdirSync(opts.out, { recursive: true });
        // A connectivity-only run has its own files, so that it never replaces the full results.
        const base = opts.only === 'connectivity' ? 'connectivity' : 'latest';
        fs.writeFileSync(path.join(opts.out, `${base}.json`), JSON.stringify(results, null, 2) + '\n');
        fs.writeFileSync(path.join(opts.out, `${base}.md`), md);
        log(`wrote ${path.relative(process.cwd(), path.join(opts.out, `${base}.json`))} and ${base}.md (${results.durationSeconds} s)`);
      } else {
        log(`results not written (--no-write or --quick); took ${results.durationSeconds} s`);
      }
    };
    if (opts.only === undefined && opts.cli) {
      // issue 22's `cdk8s synth` row, last (the CLI's runs are timed in their own processes)
      log('cdk8s synth with and without the netpol plugin: 1,000 namespaces, 3 runs each');
      cleanUp = false;
      void runCliBenchmark(buildDir, [1000], 3, opts.timeout)
        .then(report)
        .catch(e => { log(`bench failed: ${(e as Error).message}`); process.exitCode = 1; })
        .finally(() => removeBuild(buildDir));
      return;
    }
    report([]);
  } finally {
    if (cleanUp) removeBuild(buildDir);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    log(`bench failed: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
