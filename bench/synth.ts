import { ApiObject, App, Chart, DependencyGraph, Yaml } from 'cdk8s';
import { IConstruct, Node } from 'constructs';

/**
 * Synthesizes an app to YAML in memory the way cdk8s does: `App.synthYaml()` runs the same
 * steps as `App.synth()` (validate the app, resolve dependencies, then `chart.toJson()` for
 * every chart) without writing files. Every `chart.toJson()` validates the whole app and
 * resolves its dependencies again, so with one chart per namespace the cost is quadratic.
 */
export function synthWithApp(app: App): string[] {
  return [app.synthYaml()];
}

/**
 * The objects of every chart, with the whole-app steps done once instead of once per chart.
 *
 * The result equals `chart.toJson()` for each chart of `app.charts` (same objects, same order),
 * and validation fails with the same message. cdk8s's `App._synthChart` does three things per
 * chart: resolve dependencies over the whole app, validate the whole app, then render the
 * chart's objects in dependency order. The first two don't depend on the chart, so they run
 * here once; rendering is per chart as before. Cost: linear in the size of the app.
 */
export function synthCharts(app: App): { chart: Chart; objects: any[] }[] {
  prepareApp(app);
  return renderCharts(app);
}

/** The whole-app steps of synthesis, once: resolve dependencies, then run every validation. */
export function prepareApp(app: App): void {
  const cache = new FindAllCache();
  resolveDependencies(app, cache);
  validate(app, cache);
}

/** Every chart's objects, in dependency order, as `chart.toJson()` renders them (after `prepareApp`). */
export function renderCharts(app: App): { chart: Chart; objects: any[] }[] {
  return app.charts.map(chart => ({ chart, objects: renderChart(chart) }));
}

/** One chart's objects, in dependency order, as `chart.toJson()` renders them (after `prepareApp`). */
export function renderChart(chart: Chart): any[] {
  return new DependencyGraph(chart.node).topology()
    .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
    .map(o => o.toJson());
}

/** Where synthesis time goes, ms: building the construct tree, the whole-app steps (once), rendering objects, printing YAML. */
export interface SynthPhases {
  readonly buildMs: number;
  readonly prepareMs: number;
  readonly renderMs: number;
  readonly stringifyMs: number;
}

/** Times the phases of `synthWithHelper` for an app built by `build`. */
export function timePhases(build: (app: App) => void): SynthPhases {
  const t0 = performance.now();
  const app = new App({ outdir: '/nonexistent-cdk8s-netpol-bench' });
  build(app);
  const t1 = performance.now();
  prepareApp(app);
  const t2 = performance.now();
  const charts = renderCharts(app);
  const t3 = performance.now();
  charts.map(({ objects }) => Yaml.stringify(...objects));
  const t4 = performance.now();
  return { buildMs: t1 - t0, prepareMs: t2 - t1, renderMs: t3 - t2, stringifyMs: t4 - t3 };
}

/**
 * `synthCharts`, printed as one YAML string per chart (as `App.synth()` writes one file per chart).
 * Like `App.synth()`, it renders and prints one chart at a time, so that only one chart's objects
 * are alive at once.
 */
export function synthWithHelper(app: App): string[] {
  prepareApp(app);
  return app.charts.map(chart => Yaml.stringify(...renderChart(chart)));
}

class FindAllCache {
  private readonly cache = new Map<Node, IConstruct[]>();
  public findAll(node: Node): IConstruct[] {
    let all = this.cache.get(node);
    if (!all) {
      all = node.findAll();
      this.cache.set(node, all);
    }
    return all;
  }
}

/** cdk8s 2.70 `validate(app)`, unchanged. */
function validate(app: App, cache: FindAllCache): void {
  const errors: string[] = [];
  for (const child of cache.findAll(app.node)) {
    for (const error of child.node.validate()) errors.push(`[${child.node.path}] ${error}`);
  }
  if (errors.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
}

/** cdk8s 2.70 `resolveDependencies(app)`: chart dependencies from nesting and from construct dependencies. */
function resolveDependencies(app: App, cache: FindAllCache): void {
  const all = cache.findAll(app.node);
  for (const parent of all) {
    if (!(parent instanceof Chart)) continue;
    for (const child of parent.node.children) {
      if (child instanceof Chart) parent.node.addDependency(child);
    }
  }
  const deps: { source: IConstruct; target: IConstruct }[] = [];
  for (const child of all) {
    for (const dep of child.node.dependencies) deps.push({ source: child, target: dep });
  }
  for (const { source, target } of deps) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) sourceChart.node.addDependency(targetChart);
  }
  for (const { source, target } of deps) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    const targets = cache.findAll(target.node).filter(c => c instanceof ApiObject && Chart.of(c) === targetChart);
    const sources = cache.findAll(source.node).filter(c => c instanceof ApiObject && Chart.of(c) === sourceChart);
    for (const t of targets) {
      for (const s of sources) {
        if (t !== s) s.node.addDependency(t);
      }
    }
  }
}
