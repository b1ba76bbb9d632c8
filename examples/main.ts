/**
 * Synthesizes the example app and prints what it produced.
 *
 *   npm run example                 # from the repository root: writes dist/
 *   cd examples && npx cdk8s synth  # the same app through the cdk8s CLI (cdk8s.yaml)
 */
import { defaultOutdir } from './app';
import { synthesizeExamples } from './summary';

try {
  console.log(synthesizeExamples(defaultOutdir()).join('\n'));
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
