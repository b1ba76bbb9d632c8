/**
 * How much of `App.synth`'s time with one chart per namespace (issue 22) is the shape of the
 * construct tree rather than this library: cdk8s's `App.synth` resolves dependencies and
 * validates the whole app once per chart, a walk of every construct, so its cost grows with the
 * constructs of the app, and per construct it costs more in a nested tree than in a flat one.
 * This library's patterns group their policies under constructs of their own (the paths that
 * name the policies and errors: `Baseline/DefaultDeny/Default`, `App/frontend`), where raw
 * objects are usually put straight into the chart. For a workload (`netpol`: the eight-policy
 * workload, 11 constructs per namespace with the chart; `patterns`: `NamespaceBaseline` +
 * `TieredApp`, 10), this measures, in alternating fresh processes, `App.synth` of:
 * - the workload itself;
 * - `raw-flat`: raw `ApiObject`s printing the same YAML, straight in the chart (9 and 7);
 * - `raw-shaped`: the same raw `ApiObject`s at the workload's paths, plain constructs in
 *   between (the workload's tree without this library).
 * All three are checked to print the same YAML.
 *
 *   npx ts-node --transpile-only bench/tree-shape.ts [--namespaces 1000] [--runs 3] [--no-write]
 *
 * Prints the medians (wall and CPU time, construction apart) and writes them to
 * `bench/results/tree-shape.{json,md}`.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { buildBench, removeBuild } from './build';
import { loadAverage, machineOf, parseScaleOptions, runBenchScript, writeScaleResults } from './scale-harness';
import { formatNumber, median, round } from './stats';
import { Impl, Layout, buildApp, prepare } from './workload';
import { namespaceName, namespaceNames } from './workload/spec';

const WORKLOADS = [Impl.NETPOL, Impl.PATTERNS] as const;
type Workload = typeof WORKLOADS[number];
const VARIANTS = ['library', 'raw-flat', 'raw-shaped'] as const;
type Variant = typeof VARIANTS[number];

interface TemplateObject {
  /** The object's construct path below the chart. */
  readonly path: readonly string[];
  readonly json: string;
  readonly name: string;
}

const templates = new Map<Workload, readonly TemplateObject[]>();

/** The workload's objects for one namespace (made once, before a measurement's clock starts). */
function template(workload: Workload): readonly TemplateObject[] {
  const known = templates.get(workload);
  if (known) return known;
  const app = new App({ outdir: '/nonexistent-cdk8s-netpol-bench' });
  buildApp(app, workload, Layout.CHART_PER_NAMESPACE, 1);
  const objects = app.charts.flatMap(chart => chart.toJson());
  const paths = new Map(app.node.findAll().filter(ApiObject.isApiObject).map(o => [o.name, o.node.path.split('/').slice(1)]));
  const made = objects.map(o => ({ path: paths.get(o.metadata.name)!, json: JSON.stringify(o), name: o.metadata.name }));
  templates.set(workload, made);
  return made;
}

/** Raw `ApiObject`s printing the workload's YAML: in the chart (`flat`) or at the workload's paths. */
function buildRaw(workload: Workload, app: App, n: number, flat: boolean): void {
  const objects = template(workload);
  for (const ns of namespaceNames(n)) {
    const chart = new Chart(app, ns, { namespace: ns });
    for (const o of objects) {
      const manifest = JSON.parse(o.json.split(namespaceName(0)).join(ns));
      if (flat) {
        new ApiObject(chart, o.name, manifest);
        continue;
      }
      let scope: Construct = chart;
      for (const id of o.path.slice(0, -1)) scope = (scope.node.tryFindChild(id) as Construct | undefined) ?? new Construct(scope, id);
      new ApiObject(scope, o.path[o.path.length - 1], manifest);
    }
  }
}

function build(workload: Workload, variant: Variant, app: App, n: number): void {
  if (variant === 'library') buildApp(app, workload, Layout.CHART_PER_NAMESPACE, n);
  else buildRaw(workload, app, n, variant === 'raw-flat');
}

/** One measurement, in this (fresh) process: construction, then `app.synthYaml()`. */
function measure(workload: Workload, variant: Variant, n: number): unknown {
  if (!WORKLOADS.includes(workload) || !VARIANTS.includes(variant) || !Number.isInteger(n) || n < 1) {
    throw new Error(`measure <${WORKLOADS.join('|')}> <${VARIANTS.join('|')}> <namespaces>, got ${workload} ${variant} ${n}`);
  }
  if (variant === 'library') prepare(workload, Layout.CHART_PER_NAMESPACE);
  else template(workload);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const app = new App({ outdir: '/nonexistent-cdk8s-netpol-bench' });
  build(workload, variant, app, n);
  const buildMs = performance.now() - t0;
  app.synthYaml();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, buildMs, cpuMs: (cpu.user + cpu.system) / 1000, constructs: app.node.findAll().length };
}

const USAGE = `usage: npx ts-node --transpile-only bench/tree-shape.ts [--namespaces 1000] [--runs 3] [--no-write] [--out dir]
Measures App.synth with one chart per namespace of each workload, of raw ApiObjects printing the same YAML
straight in the chart, and of the same raw ApiObjects at the workload's construct paths; writes
bench/results/tree-shape.{json,md}.`;

export interface ShapeRow {
  readonly workload: Workload;
  readonly variant: Variant;
  readonly constructs: number;
  readonly medianMs: number;
  readonly medianCpuMs: number;
  readonly medianBuildMs: number;
  /** Every run's total wall time (the spread: a nested tree's per-chart pass varies from run to run). */
  readonly runsMs: readonly number[];
}

const VARIANT_LABELS: { readonly [v: string]: string } = {
  'library': 'this library',
  'raw-flat': 'raw `ApiObject`s in the chart',
  'raw-shaped': 'raw `ApiObject`s at the library\'s paths',
};

function main(argv: string[]): void {
  const opts = parseScaleOptions(argv, USAGE, { runs: 3 });
  const loadAtStart = loadAverage();
  for (const workload of WORKLOADS) {
    const outputs = VARIANTS.map(v => {
      const app = new App({ outdir: '/nonexistent-cdk8s-netpol-bench' });
      build(workload, v, app, 3);
      return app.synthYaml();
    });
    if (outputs.some(o => o !== outputs[0])) throw new Error(`${workload}: the variants do not print the same YAML at 3 namespaces`);
  }
  const dir = buildBench();
  const rows: ShapeRow[] = [];
  try {
    for (const workload of WORKLOADS) {
      const samples = new Map<Variant, any[]>(VARIANTS.map(v => [v, []]));
      for (let r = 0; r < opts.runs; r++) {
        // each round starts at another variant
        for (let k = 0; k < VARIANTS.length; k++) {
          const v = VARIANTS[(r + k) % VARIANTS.length];
          const result = runBenchScript(dir, 'tree-shape', ['measure', workload, v, String(opts.namespaces)], opts.timeout);
          if (result.failed) throw new Error(`${workload} ${v}: ${result.failed}`);
          samples.get(v)!.push(result);
        }
      }
      for (const v of VARIANTS) {
        const s = samples.get(v)!;
        rows.push({
          workload,
          variant: v,
          constructs: s[0].constructs,
          medianMs: round(median(s.map(x => x.ms)), 1),
          medianCpuMs: round(median(s.map(x => x.cpuMs)), 1),
          medianBuildMs: round(median(s.map(x => x.buildMs)), 1),
          runsMs: s.map(x => round(x.ms)),
        });
      }
    }
  } finally {
    removeBuild(dir);
  }
  const machine = machineOf(loadAtStart, loadAverage());
  const results: ShapeResults = { measuredAt: new Date().toISOString(), namespaces: opts.namespaces, runs: opts.runs, machine, rows };
  writeScaleResults(opts, 'tree-shape', results, markdown(results));
}

/** What `bench/results/tree-shape.json` holds. */
export interface ShapeResults {
  readonly measuredAt: string;
  readonly namespaces: number;
  readonly runs: number;
  readonly machine: Record<string, any>;
  readonly rows: readonly ShapeRow[];
}

/** The Markdown of `bench/results/tree-shape.md`. */
export function markdown(results: ShapeResults): string {
  const { machine, rows } = results;
  const opts = results;
  const lines = [
    `Measured ${results.measuredAt.slice(0, 10)} on ${machine.cpuModel} (${machine.cores} cores), Node ${machine.node}; `
      + `medians of ${opts.runs} runs, each in a fresh process, the variants alternating; load average at start: ${machine.loadAverageAtStart.join(', ')}, at the end: ${machine.loadAverageAtEnd.join(', ')}.`,
    '',
    `\`App.synth\` (\`app.synthYaml()\`), one chart per namespace, ${formatNumber(opts.namespaces)} namespaces; the three variants of a workload print the same YAML.`,
    '',
    '| Workload | Variant | Constructs | Total | CPU time | Construction | / raw in the chart: total (CPU) | / raw at the same paths: total (CPU) | Runs, fastest to slowest |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const flat = rows.find(x => x.workload === r.workload && x.variant === 'raw-flat')!;
    const shaped = rows.find(x => x.workload === r.workload && x.variant === 'raw-shaped')!;
    lines.push(`| ${r.workload} | ${VARIANT_LABELS[r.variant]} | ${formatNumber(r.constructs)} | ${formatNumber(r.medianMs)} ms | ${formatNumber(r.medianCpuMs)} ms | `
      + `${formatNumber(r.medianBuildMs)} ms | ${ratios(r, flat)} | ${ratios(r, shaped)} | ${spread(r.runsMs)} |`);
  }
  lines.push('', 'On a shared machine the wall time is the CPU time stretched by the other processes: compare the CPU ratios.');
  return lines.join('\n') + '\n';
}

function spread(runsMs: readonly number[] | undefined): string {
  if (runsMs === undefined || runsMs.length === 0) return '';
  const sorted = [...runsMs].sort((a, b) => a - b);
  return `${formatNumber(sorted[0])}–${formatNumber(sorted[sorted.length - 1])} ms`;
}

function ratios(r: ShapeRow, to: ShapeRow): string {
  return `${(r.medianMs / to.medianMs).toFixed(2)}× (${(r.medianCpuMs / to.medianCpuMs).toFixed(2)}×)`;
}

if (process.argv[2] === 'measure') {
  process.stdout.write(JSON.stringify(measure(process.argv[3] as Workload, process.argv[4] as Variant, Number(process.argv[5]))) + '\n');
} else if (require.main === module) {
  main(process.argv.slice(2));
}
