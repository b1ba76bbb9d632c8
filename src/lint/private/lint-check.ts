import { LintRule } from '../lint-rule';
import { LintContext } from './lint-context';
import { ResourceRef } from '../../analysis/cluster-queries';

/**
 * Words: a *rule* is an ingress or egress rule of a NetworkPolicy (`PolicyRule` in the model);
 * a *lint rule* is what the linter checks (`LintRule`, public); its *check* is the code
 * (`LintCheck`), and what a check reports is a `CheckFinding`, which the engine turns into a
 * located `Finding`.
 */

/**
 * What a check reports: the object it is about and what is wrong. The engine adds the lint
 * rule's id, severity and fix, and the object's location (construct path, or file and document).
 */
export interface CheckFinding {
  /** The object the finding is about; `undefined` for a finding about the input as a whole. */
  readonly subject?: ResourceRef;
  /** The namespace the finding is about; defaults to the subject's. */
  readonly namespace?: string;
  /** The field of the subject, e.g. `spec.ingress[0].from[1]`. */
  readonly field?: string;
  /** What is wrong. */
  readonly message: string;
}

/**
 * A lint rule's check: its metadata and a pure function over the analysed input. One per file in
 * `src/lint/rules/`, listed in `src/lint/rules/index.ts`.
 */
export interface LintCheck extends LintRule {
  /** Returns the findings; may throw (the engine reports a thrown error as a finding of its own). */
  check(ctx: LintContext): CheckFinding[];
}
