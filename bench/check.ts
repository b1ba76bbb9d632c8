import { compareOutputs, normalizeYaml, NormalizedOutput } from './equivalence';
import { Driver, IMPLS, Impl, LAYOUTS, Layout, PATTERN_IMPLS, PATTERN_POLICIES_PER_NAMESPACE, POLICIES_PER_NAMESPACE, synthesize, usesCdk8s } from './workload';

/** One way of producing the workload: an implementation, a layout and (for cdk8s) a driver. */
export interface Variant {
  readonly impl: Impl;
  readonly layout: Layout;
  readonly driver: Driver;
}

export function variantKey(v: Variant): string {
  return `${v.impl}/${v.layout}/${v.driver}`;
}

/** Every variant: each implementation in each layout, cdk8s ones with both drivers. */
export function allVariants(): Variant[] {
  const out: Variant[] = [];
  for (const layout of LAYOUTS) {
    for (const impl of IMPLS) {
      if (!usesCdk8s(impl)) out.push({ impl, layout, driver: Driver.NONE });
      else for (const driver of [Driver.APP, Driver.HELPER]) out.push({ impl, layout, driver });
    }
  }
  return out;
}

export interface VariantCheck {
  readonly variant: string;
  readonly policies: number;
  /** Differences from the reference (plain objects); empty when equivalent. */
  readonly differences: string[];
  /** Spelling normalizations that were needed to compare (see equivalence.ts). */
  readonly normalizations: { [what: string]: number };
  /** The first YAML string, byte for byte equal to the same implementation's other variants? Set by the caller. */
}

export interface EquivalenceReport {
  readonly namespaces: number;
  readonly reference: string;
  readonly equivalent: boolean;
  readonly variants: VariantCheck[];
  /** The same implementation gives the same documents (YAML text, sorted) with the app driver and with the helper. */
  readonly helperMatchesApp: { [impl: string]: boolean };
}

/**
 * Synthesizes every variant for `n` namespaces and compares each with the reference (plain
 * objects, one chart). Also checks that each output has exactly eight policies per namespace
 * with unique names, and that the helper driver prints the same documents as `App.synthYaml()`.
 */
export function checkEquivalence(n: number): EquivalenceReport {
  const reference: Variant = { impl: Impl.PLAIN, layout: Layout.ONE_CHART, driver: Driver.NONE };
  const expected = normalizeYaml(synthesize(reference.impl, reference.layout, n, reference.driver));
  const problems = structuralProblems(expected, n, POLICIES_PER_NAMESPACE);
  if (problems.length > 0) throw new Error(`the reference output is wrong: ${problems.join('; ')}`);
  // The patterns workload is its own: the patterns are compared with raw objects written out by hand
  // (one chart, App.synth), which must have the policies of NamespaceBaseline (3) and TieredApp (3).
  const patternsReference: Variant = { impl: Impl.PATTERNS_RAW, layout: Layout.ONE_CHART, driver: Driver.APP };
  const patternsExpected = normalizeYaml(synthesize(patternsReference.impl, patternsReference.layout, n, patternsReference.driver));
  const patternProblems = structuralProblems(patternsExpected, n, PATTERN_POLICIES_PER_NAMESPACE);
  if (patternProblems.length > 0) throw new Error(`the patterns reference output is wrong: ${patternProblems.join('; ')}`);
  const variants: VariantCheck[] = [];
  const docsByVariant = new Map<string, string[]>();
  for (const v of allVariants()) {
    const yaml = synthesize(v.impl, v.layout, n, v.driver);
    docsByVariant.set(variantKey(v), splitDocuments(yaml));
    const actual = normalizeYaml(yaml);
    const patterns = PATTERN_IMPLS.includes(v.impl);
    variants.push({
      variant: variantKey(v),
      policies: actual.policies,
      differences: [
        ...structuralProblems(actual, n, patterns ? PATTERN_POLICIES_PER_NAMESPACE : POLICIES_PER_NAMESPACE),
        ...compareOutputs(patterns ? patternsExpected : expected, actual),
      ],
      normalizations: actual.normalizations,
    });
  }
  const helperMatchesApp: { [impl: string]: boolean } = {};
  for (const impl of IMPLS.filter(usesCdk8s)) {
    helperMatchesApp[impl] = LAYOUTS.every(layout => {
      const app = docsByVariant.get(variantKey({ impl, layout, driver: Driver.APP }))!;
      const helper = docsByVariant.get(variantKey({ impl, layout, driver: Driver.HELPER }))!;
      return app.length === helper.length && app.every((d, i) => d === helper[i]);
    });
  }
  const equivalent = variants.every(v => v.differences.length === 0) && Object.values(helperMatchesApp).every(x => x);
  return { namespaces: n, reference: variantKey(reference), equivalent, variants, helperMatchesApp };
}

function structuralProblems(out: NormalizedOutput, n: number, perNamespace: number): string[] {
  const problems: string[] = [];
  if (out.policies !== n * perNamespace) problems.push(`${out.policies} NetworkPolicies, expected ${n * perNamespace}`);
  if (out.byNamespace.size !== n) problems.push(`${out.byNamespace.size} namespaces, expected ${n}`);
  if (out.duplicateNames.length > 0) problems.push(`duplicate names: ${out.duplicateNames.slice(0, 3).join(', ')}`);
  return problems;
}

/** The YAML documents of the output, in order (whatever strings they were grouped in). */
function splitDocuments(yaml: string[]): string[] {
  return yaml.flatMap(text => text.split(/^---\n/m)).map(d => d.trim()).filter(d => d.length > 0);
}
