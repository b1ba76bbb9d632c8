import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { ConstructMetadataEntry, constructMetadataKeyOf, writeConstructMetadata } from './io/construct-metadata';
import { appArg, appCharts } from './private/runtime-check';
import { chartObjects, prepareApp as prepare, renderChart } from './private/synth-steps';
import { YamlPrinter } from './private/yaml-print';

/**
 * The manifests of one chart.
 */
export interface ChartManifests {
  /** The chart. */
  readonly chart: Chart;
  /** Its objects as `chart.toJson()` renders them, in dependency order. */
  readonly manifests: any[];
}

/**
 * Synthesis of a whole cdk8s app in time linear in its size, with the same output as cdk8s.
 *
 * cdk8s renders each chart with `chart.toJson()`, which first resolves dependencies and runs
 * every validation of the *whole app*, so an app with one chart per namespace synthesizes in
 * time quadratic in the number of namespaces (1,000 charts of 8 policies: tens of seconds).
 * Those two steps don't depend on the chart, so `Synthesis` runs them once and then renders
 * every chart: the same objects in the same order, the same files (`construct-metadata.json`
 * with more entries, below) and the same validation errors as `app.synth()` and
 * `app.synthYaml()`. It works for any construct, not only this
 * library's.
 *
 * It prints YAML as cdk8s does, byte for byte, but prints a top-level pair that recurs (the
 * same `spec` in every namespace of an organisation) once per synthesis.
 *
 * `Synthesis.synth()` writes files itself for the default output type (a file per chart) and
 * for a file per app, with `construct-metadata.json` when the app records construct metadata
 * (as `cdk8s synth` asks for when validation plugins are configured: cdk8s's entries by name, and
 * each object also by kind, namespace and name, so that names repeated across charts keep their
 * own construct paths); for the other output types it calls `app.synth()` (correct, only slower).
 *
 * @example
 * const app = new App();
 * for (const team of ['payments', 'search']) {
 *   const chart = new Chart(app, team, { namespace: team });
 *   new NamespaceBaseline(chart, 'Baseline');
 * }
 * Synthesis.synth(app); // instead of app.synth()
 */
export class Synthesis {
  /**
   * Writes the app's manifests to `app.outdir`, as `app.synth()` does.
   */
  public static synth(app: App): void {
    appArg('Synthesis.synth', 'app', app);
    const fast = app.yamlOutputType === YamlOutputType.FILE_PER_CHART || app.yamlOutputType === YamlOutputType.FILE_PER_APP;
    const metadata = recordsConstructMetadata(app);
    if (!fast || metadata === undefined) {
      app.synth();
      return;
    }
    fs.mkdirSync(app.outdir, { recursive: true });
    const chartsDependOnCharts = prepare(app);
    const charts = appCharts('Synthesis.synth', 'app', app);
    const printer = new YamlPrinter();
    // as cdk8s's Yaml.save writes
    const save = (file: string, docs: unknown[]) => fs.writeFileSync(file, printer.print(docs), { encoding: 'utf8' });
    const objects = charts.map(chartObjects);
    // construct-metadata.json's entries, keyed also by what each object renders (its kind, namespace and name)
    const recorded: ConstructMetadataEntry[] | undefined = metadata ? [] : undefined;
    const render = (chartObjs: ApiObject[]) => chartObjs.map(o => {
      const json = o.toJson();
      recorded?.push({ name: o.name, path: o.node.path, key: constructMetadataKeyOf(json) });
      return json;
    });
    if (app.yamlOutputType === YamlOutputType.FILE_PER_APP) {
      if (charts.length > 0) save(path.join(app.outdir, `app${app.outputFileExtension}`), objects.flatMap(render));
    } else {
      // Like cdk8s: file names carry an index when charts depend on charts, so that the order shows.
      charts.forEach((chart, i) => {
        const name = chartsDependOnCharts ? `${String(i).padStart(4, '0')}-${Names.toDnsLabel(chart)}` : Names.toDnsLabel(chart);
        save(path.join(app.outdir, `${name}${app.outputFileExtension}`), render(objects[i]));
      });
    }
    if (recorded) writeConstructMetadata(app.outdir, recorded);
  }

  /**
   * The app's manifests as one YAML string, equal to `app.synthYaml()`.
   */
  public static synthYaml(app: App): string {
    appArg('Synthesis.synthYaml', 'app', app);
    prepare(app);
    const printer = new YamlPrinter();
    // chart by chart, so that one chart's rendered objects are alive at a time; the documents
    // of all charts, joined as cdk8s joins them (a chart without objects adds none)
    const parts: string[] = [];
    for (const chart of appCharts('Synthesis.synthYaml', 'app', app)) {
      const manifests = renderChart(chart);
      if (manifests.length > 0) parts.push(printer.print(manifests));
    }
    return parts.join('---\n');
  }

  /**
   * Every chart's manifests, in the order of `app.charts`; each equal to `chart.toJson()`.
   */
  public static charts(app: App): ChartManifests[] {
    appArg('Synthesis.charts', 'app', app);
    prepare(app);
    return appCharts('Synthesis.charts', 'app', app).map(chart => ({ chart, manifests: renderChart(chart) }));
  }

  private constructor() {}
}

/**
 * Whether `app.synth()` would also write construct-metadata.json; `undefined` when the app
 * does not say (a cdk8s this code does not know: then `app.synth()` decides).
 */
function recordsConstructMetadata(app: App): boolean | undefined {
  const value = (app as unknown as { recordConstructMetadata?: unknown }).recordConstructMetadata;
  return typeof value === 'boolean' ? value : undefined;
}
