/**
 * A Jest matcher that pins what a chart's NetworkPolicies mean, next to its YAML snapshot:
 *
 *   expect(chart).toMatchConnectivitySnapshot();
 *
 * The snapshot is the flow list of `netpol list` (one line per allowed flow, e.g.
 * `shop/frontend => shop/backend : TCP 8080`), stored through Jest's own snapshot machinery:
 * `jest -u` writes and updates it, and an unused one is reported as obsolete. A refactor that
 * keeps the meaning keeps the snapshot; a change in who can reach whom shows as a readable line.
 *
 * The received value is a cdk8s `Chart` or `App`, an array of Kubernetes objects, or a
 * `ClusterModel` (its own options then apply).
 */
import { AnalysisOptions } from '../analysis';
import { modelOf } from './traffic-matchers';

/**
 * The matcher, as both Jest typings declare it (merged into `NetpolMatchers`, which
 * `traffic-matchers.ts` adds to the global `expect` and to `@jest/globals`' `expect`).
 */
export interface ConnectivitySnapshotMatchers<R> {
  /**
   * Passes when the flow list of the received chart, app, objects or `ClusterModel` (every
   * allowed flow, on every port) equals the stored snapshot; `jest -u` updates it.
   *
   * @param options how to evaluate the policies (ignored for a `ClusterModel`)
   */
  toMatchConnectivitySnapshot(options?: AnalysisOptions): R;
}

/**
 * What Jest passes a matcher as `this`, and what the matcher returns, as far as this matcher
 * uses them: declared here, not taken from `jest.*` (the global `jest` namespace exists only
 * with `@types/jest`, and the published types must compile with `@jest/globals` alone).
 */
interface SnapshotMatcherThis {
  readonly isNot?: boolean;
}
interface SnapshotMatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}
type SnapshotMatcher = (this: SnapshotMatcherThis, received: unknown, hint?: string) => SnapshotMatcherResult;

/** The text a connectivity snapshot stores: the flow list, or a line saying nothing is allowed. */
export function connectivitySnapshotText(received: unknown, options?: AnalysisOptions): string {
  const text = modelOf(received, options).connectivity().toText();
  return text === '' ? 'No allowed flows.\n' : text;
}

/** jest-snapshot's `toMatchSnapshot`, from the Jest that runs the test. */
function jestToMatchSnapshot(): SnapshotMatcher {
  try {
    // jest-snapshot comes with the Jest that runs the matcher, and nothing else ever loads this file:
    // it is required here, not declared as a dependency every user of the library would install.
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    return require('jest-snapshot').toMatchSnapshot;
  } catch (err) {
    throw new Error(`toMatchConnectivitySnapshot needs jest-snapshot (installed with Jest): ${(err as Error).message}`);
  }
}

/** The matcher: `toMatchSnapshot` of the flow list, under the hint `connectivity`. */
export function toMatchConnectivitySnapshot(this: SnapshotMatcherThis, received: unknown, options?: AnalysisOptions): SnapshotMatcherResult {
  if (this.isNot) {
    throw new Error('toMatchConnectivitySnapshot cannot be negated (.not): a snapshot either matches or is updated');
  }
  const text = connectivitySnapshotText(received, options);
  return jestToMatchSnapshot().call(this, text, 'connectivity');
}

/**
 * Registers `toMatchConnectivitySnapshot` with Jest.
 *
 * @param expectFn Jest's `expect` (the global one by default)
 */
export function registerConnectivitySnapshotMatcher(expectFn: { extend(matchers: any): void } = (globalThis as any).expect): void {
  if (!expectFn || typeof expectFn.extend !== 'function') {
    throw new Error('registerConnectivitySnapshotMatcher: Jest\'s expect is not available; call it from a Jest test or setup file, or pass expect');
  }
  expectFn.extend({ toMatchConnectivitySnapshot });
}
