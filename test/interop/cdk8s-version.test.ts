import { App } from 'cdk8s';
import { CDK8S_HAS_CLASS_FIELDS, CDK8S_MODULE } from '../fixtures/cdk8s-under-test';

// The suites that `npx projen test:cdk8s-newest` runs again against the newest cdk8s include this
// file: it fails if the mapping of `cdk8s` did not take effect (they would test the old one twice).
test('the cdk8s the suites load is the one this run is meant to test', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const expected: string = require(`${CDK8S_MODULE}/package.json`).version;
  const loaded = (App as unknown as { [k: symbol]: { version: string } })[Symbol.for('jsii.rtti')].version;
  expect(loaded).toBe(expected);
});

test('cdk8s 2.70.100 and later declare ApiObject fields as class fields; 2.70.0 does not', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const [, minor, patch] = (require(`${CDK8S_MODULE}/package.json`).version as string).split('.').map(Number);
  expect(CDK8S_HAS_CLASS_FIELDS).toBe(minor > 70 || (minor === 70 && patch >= 100));
});
