import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct, Node } from 'constructs';

/*
 * The steps of cdk8s synthesis, each done once for the whole app (see `Synthesis`): cdk8s
 * 2.x's `App._synthChart` runs the first two for every chart.
 */

/**
 * The whole-app steps of synthesis, once: resolve dependencies, then run every validation
 * (failing with cdk8s's message). Returns whether some chart depends on another chart.
 */
export function prepareApp(app: App): boolean {
  const subtrees = new Map<Node, IConstruct[]>();
  const findAll = (node: Node): IConstruct[] => {
    let all = subtrees.get(node);
    if (!all) subtrees.set(node, all = node.findAll());
    return all;
  };
  const chartsDependOnCharts = resolveDependencies(app, findAll);
  const errors: string[] = [];
  for (const c of findAll(app.node)) {
    for (const error of c.node.validate()) errors.push(`[${c.node.path}] ${error}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  return chartsDependOnCharts;
}

/**
 * Turns construct dependencies into the dependencies cdk8s orders by: a chart nested in a
 * chart is a dependency of it; a dependency between constructs of two charts makes the
 * charts depend on each other; and every API object under the dependent construct (in its
 * chart) depends on every API object under the dependency (in its chart).
 */
function resolveDependencies(app: App, findAll: (node: Node) => IConstruct[]): boolean {
  let chartsDependOnCharts = false;
  const all = findAll(app.node);
  for (const c of all) {
    if (!Chart.isChart(c)) continue;
    for (const child of c.node.children) {
      if (Chart.isChart(child)) {
        c.node.addDependency(child);
        chartsDependOnCharts = true;
      }
    }
  }
  const edges: { source: IConstruct; target: IConstruct }[] = [];
  for (const source of all) {
    for (const target of source.node.dependencies) edges.push({ source, target });
  }
  for (const { source, target } of edges) {
    const from = Chart.of(source);
    const to = Chart.of(target);
    if (from !== to) {
      from.node.addDependency(to);
      chartsDependOnCharts = true;
    }
  }
  for (const { source, target } of edges) {
    const from = Chart.of(source);
    const to = Chart.of(target);
    const targets = findAll(target.node).filter(c => ApiObject.isApiObject(c) && Chart.of(c) === to);
    const sources = findAll(source.node).filter(c => ApiObject.isApiObject(c) && Chart.of(c) === from);
    for (const t of targets) {
      for (const s of sources) {
        if (s !== t) s.node.addDependency(t);
      }
    }
  }
  return chartsDependOnCharts;
}

/** One chart's objects, in dependency order (after `prepareApp`). */
export function renderChart(chart: Chart): any[] {
  return chartObjects(chart).map(o => o.toJson());
}

/** The API objects of one chart, in dependency order (after `prepareApp`). */
export function chartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
}
