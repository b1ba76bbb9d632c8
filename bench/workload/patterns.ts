import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ENTRY_NAMESPACE, Layout, TIERS, namespaceName, namespaceNames } from './spec';
import { NamespaceBaseline, Peer, Port, TieredApp } from '../../src';

/**
 * The patterns variant (issue 22): per namespace, `NamespaceBaseline` (`allowInternet`) and a
 * `TieredApp` of the three tiers, as a user of the patterns writes it (defaults otherwise). It is
 * not the eight-policy workload, so it is compared with `buildPatternsRaw`, not with the others.
 */
export function buildPatterns(app: App, n: number, layout: Layout): void {
  const org = layout === Layout.ONE_CHART ? new Chart(app, 'org') : undefined;
  for (const ns of namespaceNames(n)) {
    const scope: Construct = org ? new Construct(org, ns) : new Chart(app, ns, { namespace: ns });
    const namespace = org ? ns : undefined;
    new NamespaceBaseline(scope, 'Baseline', { namespace, allowInternet: true });
    new TieredApp(scope, 'App', {
      namespace,
      entry: [Peer.namespace(ENTRY_NAMESPACE)],
      tiers: TIERS.map(t => ({ name: t.name, ports: [Port.tcp(t.port)] })),
    });
  }
}

/**
 * Raw cdk8s `ApiObject`s that synthesize to the same YAML as `buildPatterns` in the same layout:
 * the patterns' objects for one namespace, rendered once before the clock starts (module load
 * time would be wrong: the layout is an argument), copied for every namespace with its name.
 */
export function buildPatternsRaw(app: App, n: number, layout: Layout): void {
  const template = templateOf(layout);
  const org = layout === Layout.ONE_CHART ? new Chart(app, 'org') : undefined;
  for (const ns of namespaceNames(n)) {
    const scope: Construct = org ? new Construct(org, ns) : new Chart(app, ns, { namespace: ns });
    for (const text of template) {
      const manifest = JSON.parse(text.split(TEMPLATE_NAMESPACE).join(ns));
      new ApiObject(scope, manifest.metadata.name, manifest);
    }
  }
}

const TEMPLATE_NAMESPACE = namespaceName(0);
const templates = new Map<Layout, string[]>();

/** The JSON text of every object the patterns make for the first namespace. */
function templateOf(layout: Layout): string[] {
  let t = templates.get(layout);
  if (!t) {
    const app = new App({ outdir: '/nonexistent-cdk8s-netpol-bench' });
    buildPatterns(app, 1, layout);
    templates.set(layout, t = app.charts.flatMap(c => c.toJson()).map(o => JSON.stringify(o)));
  }
  return t;
}

/** Builds the template before a measurement starts its clock. */
export function preparePatternsRaw(layout: Layout): void {
  templateOf(layout);
}
