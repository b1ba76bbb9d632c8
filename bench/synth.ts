import { App, Yaml } from 'cdk8s';
import { Synthesis } from '../src';
import { prepareApp, renderChart } from '../src/private/synth-steps';

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
 * The library's `Synthesis` (whole-app steps once, then every chart, printed by the library),
 * to one YAML string as `App.synthYaml()` gives it.
 */
export function synthWithHelper(app: App): string[] {
  return [Synthesis.synthYaml(app)];
}

/** Where synthesis time goes, ms: building the construct tree, the whole-app steps (once), rendering objects, printing YAML. */
export interface SynthPhases {
  readonly buildMs: number;
  readonly prepareMs: number;
  readonly renderMs: number;
  readonly stringifyMs: number;
}

/** Times the phases of `Synthesis` for an app built by `build`. */
export function timePhases(build: (app: App) => void): SynthPhases {
  const t0 = performance.now();
  const app = new App({ outdir: '/nonexistent-cdk8s-netpol-bench' });
  build(app);
  const t1 = performance.now();
  prepareApp(app);
  const t2 = performance.now();
  const charts = app.charts.map(renderChart);
  const t3 = performance.now();
  charts.map(objects => Yaml.stringify(...objects));
  const t4 = performance.now();
  return { buildMs: t1 - t0, prepareMs: t2 - t1, renderMs: t3 - t2, stringifyMs: t4 - t3 };
}
