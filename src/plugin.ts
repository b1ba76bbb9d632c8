/**
 * The cdk8s CLI validation plugin alone: the entry `cdk8s.yaml` can name instead of the whole
 * library (`package: ./node_modules/cdk8s-netpol/lib/plugin.js`, `class: NetpolLintPlugin`).
 * It loads the manifest reader and the linter, and neither cdk8s nor the library's constructs
 * (`Policy`, the patterns), which `cdk8s synth` never needs after the app has run
 * (test/plugin.test.ts keeps it so). `index.ts` exports the same class.
 */
export { NetpolLintPlugin } from './lint/validation-plugin';
