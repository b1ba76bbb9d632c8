/**
 * Why the patterns variant (issue 22) is slower than raw objects with one chart per namespace:
 * cdk8s's `App.synth` resolves dependencies and validates the whole app once per chart, a walk of
 * every construct, so its cost grows with the constructs of the app, not only with its objects.
 * `NamespaceBaseline` and `TieredApp` group their policies under constructs of their own (the
 * paths that name the policies and errors: `Baseline/BlockMetadata/Default`, `App/frontend`), 10
 * constructs per namespace with the chart; the raw baseline (`patterns-raw`) puts its 6 objects
 * straight into the chart, 7. This measures, in alternating fresh processes, `App.synth` of:
 * - `patterns`: the patterns variant;
 * - `raw-flat`: `patterns-raw`, raw `ApiObject`s in the chart;
 * - `raw-shaped`: the same raw `ApiObject`s at the patterns' paths, plain constructs in between
 *   (the patterns' tree without this library), checked to print the same YAML as `patterns`.
 *
 *   npx ts-node --transpile-only bench/patterns-shape.ts [--namespaces 300] [--runs 3]
 *
 * Prints the medians (wall and CPU time, construction apart) and nothing is written.
 */
import * as os from 'os';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { buildBench, removeBuild } from './build';
import { runBenchScript } from './scale-harness';
import { median } from './stats';
import { Impl, Layout, buildApp, prepare } from './workload';
import { buildPatterns } from './workload/patterns';
import { namespaceName, namespaceNames } from './workload/spec';

const VARIANTS = ['patterns', 'raw-flat', 'raw-shaped'] as const;
type Variant = typeof VARIANTS[number];

let templateObjects: { readonly path: string[]; readonly json: string }[] | undefined;

/** The patterns' objects for one namespace: path below the chart and JSON text (made once, before a measurement's clock starts). */
function template(): { readonly path: string[]; readonly json: string }[] {
  if (templateObjects) return templateObjects;
  const app = new App({ outdir: '/nonexistent-cdk8s-netpol-bench' });
  buildPatterns(app, 1, Layout.CHART_PER_NAMESPACE);
  return templateObjects = app.node.findAll().filter(ApiObject.isApiObject)
    .map(o => ({ path: o.node.path.split('/').slice(1), json: JSON.stringify(o.toJson()) }));
}

/** Raw `ApiObject`s at the patterns' paths, with plain constructs where the patterns have theirs. */
function buildRawShaped(app: App, n: number): void {
  const objects = template();
  for (const ns of namespaceNames(n)) {
    const chart = new Chart(app, ns, { namespace: ns });
    for (const o of objects) {
      let scope: Construct = chart;
      for (const id of o.path.slice(0, -1)) scope = (scope.node.tryFindChild(id) as Construct | undefined) ?? new Construct(scope, id);
      new ApiObject(scope, o.path[o.path.length - 1], JSON.parse(o.json.split(namespaceName(0)).join(ns)));
    }
  }
}

/** The workload implementation of a variant built by `bench/workload` (`raw-shaped` is built here). */
const IMPL_OF: { readonly [v: string]: Impl } = { 'patterns': Impl.PATTERNS, 'raw-flat': Impl.PATTERNS_RAW };

function build(variant: Variant, app: App, n: number): void {
  if (variant === 'raw-shaped') buildRawShaped(app, n);
  else buildApp(app, IMPL_OF[variant], Layout.CHART_PER_NAMESPACE, n);
}

/** One measurement, in this (fresh) process: construction, then `app.synthYaml()`. */
function measure(variant: Variant, n: number): unknown {
  if (!VARIANTS.includes(variant) || !Number.isInteger(n) || n < 1) throw new Error(`measure <${VARIANTS.join('|')}> <namespaces>, got ${variant} ${n}`);
  if (variant === 'raw-shaped') template();
  else prepare(IMPL_OF[variant], Layout.CHART_PER_NAMESPACE);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const app = new App({ outdir: '/nonexistent-cdk8s-netpol-bench' });
  build(variant, app, n);
  const buildMs = performance.now() - t0;
  app.synthYaml();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, buildMs, cpuMs: (cpu.user + cpu.system) / 1000, constructs: app.node.findAll().length };
}

function main(argv: string[]): void {
  let namespaces = 300;
  let runs = 3;
  for (let i = 0; i < argv.length; i++) {
    const n = Number(argv[i + 1]);
    if ((argv[i] !== '--namespaces' && argv[i] !== '--runs') || !Number.isInteger(n) || n < 1) {
      throw new Error(`usage: patterns-shape.ts [--namespaces <n>] [--runs <n>] (got ${JSON.stringify(argv.slice(i, i + 2))})`);
    }
    if (argv[i] === '--namespaces') namespaces = n; else runs = n;
    i++;
  }
  const outputs = VARIANTS.map(v => {
    const app = new App({ outdir: '/nonexistent-cdk8s-netpol-bench' });
    build(v, app, 3);
    return app.synthYaml();
  });
  if (outputs[2] !== outputs[0] || outputs[1] !== outputs[0]) throw new Error('the variants do not print the same YAML at 3 namespaces');
  const dir = buildBench();
  try {
    const samples = new Map<Variant, any[]>(VARIANTS.map(v => [v, []]));
    for (let r = 0; r < runs; r++) {
      // each round starts at another variant
      for (let k = 0; k < VARIANTS.length; k++) {
        const v = VARIANTS[(r + k) % VARIANTS.length];
        const result = runBenchScript(dir, 'patterns-shape', ['measure', v, String(namespaces)], 1800);
        if (result.failed) throw new Error(`${v}: ${result.failed}`);
        samples.get(v)!.push(result);
      }
    }
    const row = (v: Variant) => {
      const s = samples.get(v)!;
      const ms = median(s.map(x => x.ms));
      return { v, constructs: s[0].constructs, ms, cpu: median(s.map(x => x.cpuMs)), build: median(s.map(x => x.buildMs)) };
    };
    const rows = VARIANTS.map(row);
    const flat = rows[1];
    process.stdout.write(`App.synth, one chart per namespace, ${namespaces} namespaces, medians of ${runs} fresh processes (load ${os.loadavg()[0].toFixed(2)} at the end)\n`);
    for (const r of rows) {
      process.stdout.write(`${r.v.padEnd(11)} constructs ${String(r.constructs).padStart(6)}  total ${r.ms.toFixed(0).padStart(6)} ms (${(r.ms / flat.ms).toFixed(2)}x raw-flat)  `
        + `cpu ${r.cpu.toFixed(0).padStart(6)} ms (${(r.cpu / flat.cpu).toFixed(2)}x)  construction ${r.build.toFixed(0)} ms\n`);
    }
  } finally {
    removeBuild(dir);
  }
}

if (process.argv[2] === 'measure') {
  process.stdout.write(JSON.stringify(measure(process.argv[3] as Variant, Number(process.argv[4]))) + '\n');
} else if (require.main === module) {
  main(process.argv.slice(2));
}
