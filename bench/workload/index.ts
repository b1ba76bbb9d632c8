import { App } from 'cdk8s';
import { synthWithApp, synthWithHelper } from '../synth';
import { buildKube } from './kube';
import { buildNetpol, buildNetpolLinted } from './netpol';
import { buildPatterns, buildPatternsRaw, preparePatternsRaw } from './patterns';
import { synthPlain } from './plain';
import { buildPlus } from './plus';
import { Layout, PATTERN_POLICIES_PER_NAMESPACE, POLICIES_PER_NAMESPACE } from './spec';

export { Layout, LAYOUTS, PATTERN_POLICIES_PER_NAMESPACE, POLICIES_PER_NAMESPACE } from './spec';

/** The ways of producing the workload. */
export enum Impl {
  /** This library's constructs. */
  NETPOL = 'netpol',
  /** This library's constructs with `NetpolLint.addTo(app)`. */
  NETPOL_LINT = 'netpol-lint',
  /** Raw cdk8s `KubeNetworkPolicy` (the baseline). */
  KUBE = 'kube',
  /** cdk8s-plus-28 `NetworkPolicy`. */
  PLUS = 'plus',
  /** Plain objects through the `yaml` package (the floor). */
  PLAIN = 'plain',
  /** The patterns variant: `NamespaceBaseline` + `TieredApp` per namespace (another workload). */
  PATTERNS = 'patterns',
  /** Raw cdk8s `ApiObject`s with the same YAML as the patterns variant (its baseline). */
  PATTERNS_RAW = 'patterns-raw',
}

export const IMPLS: readonly Impl[] = [Impl.NETPOL, Impl.NETPOL_LINT, Impl.KUBE, Impl.PLUS, Impl.PLAIN, Impl.PATTERNS, Impl.PATTERNS_RAW];

/** The implementations of the patterns workload (compared with each other, not with the eight-policy workload). */
export const PATTERN_IMPLS: readonly Impl[] = [Impl.PATTERNS, Impl.PATTERNS_RAW];

/** How many NetworkPolicies `impl` makes per namespace. */
export function policiesPerNamespace(impl: Impl): number {
  return PATTERN_IMPLS.includes(impl) ? PATTERN_POLICIES_PER_NAMESPACE : POLICIES_PER_NAMESPACE;
}

/** Work a measurement of `impl` needs done before its clock starts. */
export function prepare(impl: Impl, layout: Layout): void {
  if (impl === Impl.PATTERNS_RAW) preparePatternsRaw(layout);
}

export const IMPL_LABELS: { readonly [impl: string]: string } = {
  [Impl.NETPOL]: 'cdk8s-netpol',
  [Impl.NETPOL_LINT]: 'cdk8s-netpol + NetpolLint',
  [Impl.KUBE]: 'raw KubeNetworkPolicy',
  [Impl.PLUS]: 'cdk8s-plus-28 NetworkPolicy',
  [Impl.PLAIN]: 'plain objects + yaml',
  [Impl.PATTERNS]: 'patterns (NamespaceBaseline + TieredApp)',
  [Impl.PATTERNS_RAW]: 'raw ApiObjects, same YAML as the patterns',
};

/** How a cdk8s app becomes YAML. */
export enum Driver {
  /** `App.synthYaml()`: what `cdk8s synth` / `App.synth()` does (one whole-app pass per chart). */
  APP = 'app',
  /** The library's `Synthesis`: the whole-app passes once. */
  HELPER = 'helper',
  /** No cdk8s app (the plain floor). */
  NONE = 'none',
}

const BUILDERS: { readonly [impl: string]: (app: App, n: number, layout: Layout) => void } = {
  [Impl.NETPOL]: buildNetpol,
  [Impl.NETPOL_LINT]: buildNetpolLinted,
  [Impl.KUBE]: buildKube,
  [Impl.PLUS]: buildPlus,
  [Impl.PATTERNS]: buildPatterns,
  [Impl.PATTERNS_RAW]: buildPatternsRaw,
};

/** Whether an implementation goes through cdk8s (and so has drivers). */
export function usesCdk8s(impl: Impl): boolean {
  return impl !== Impl.PLAIN;
}

/** Builds the workload for `n` namespaces into a cdk8s app. */
export function buildApp(app: App, impl: Impl, layout: Layout, n: number): void {
  const build = BUILDERS[impl];
  if (!build) throw new Error(`${impl} does not use cdk8s: use one of ${Object.keys(BUILDERS).join(', ')}`);
  build(app, n, layout);
}

/**
 * Builds the workload for `n` namespaces and synthesizes it to YAML strings, in memory.
 * `onBuilt` is called between construction and synthesis (cdk8s implementations only).
 */
export function synthesize(impl: Impl, layout: Layout, n: number, driver: Driver, onBuilt?: () => void): string[] {
  if (!usesCdk8s(impl)) {
    if (driver !== Driver.NONE) throw new Error(`${impl} has no cdk8s driver`);
    return synthPlain(n, layout);
  }
  const build = BUILDERS[impl];
  if (!build) throw new Error(`unknown implementation ${JSON.stringify(impl)}: use one of ${IMPLS.join(', ')}`);
  const app = new App({ outdir: '/nonexistent-cdk8s-netpol-bench' });
  build(app, n, layout);
  onBuilt?.();
  switch (driver) {
    case Driver.APP: return synthWithApp(app);
    case Driver.HELPER: return synthWithHelper(app);
    default: throw new Error(`${impl} needs a cdk8s driver (app or helper), not ${JSON.stringify(driver)}`);
  }
}
