/**
 * Test helpers, imported from `cdk8s-netpol/lib/testing` (outside the jsii API).
 *
 * Register the matchers once, in a Jest setup file (`setupFilesAfterEnv`), either with
 * `cdk8s-netpol/lib/testing/setup` or by calling `registerNetpolMatchers()`.
 */
export * from './traffic-matchers';
export * from './connectivity-snapshot';
