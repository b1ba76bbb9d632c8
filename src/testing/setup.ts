/**
 * A Jest setup file that registers `toAllowTraffic`, `toDenyTraffic` and `toMatchConnectivitySnapshot`:
 *
 *   // jest.config: setupFilesAfterEnv: ['cdk8s-netpol/lib/testing/setup']
 *
 * TypeScript users also get the matcher types by importing `cdk8s-netpol/lib/testing` once
 * (for example in the same setup file, or in a `.d.ts` included by the test tsconfig).
 */
import { registerConnectivitySnapshotMatcher } from './connectivity-snapshot';
import { registerNetpolMatchers } from './traffic-matchers';

registerNetpolMatchers();
registerConnectivitySnapshotMatcher();
