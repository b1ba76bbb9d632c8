import { Severity } from './severity';

/**
 * What a lint rule checks, as `RULES.md` documents it. The ids never change meaning.
 */
export interface LintRule {
  /** The stable id, e.g. `NP003`. */
  readonly id: string;
  /** A short kebab-case name, e.g. `egress-without-dns`; suppressions accept it in place of the id. */
  readonly name: string;
  /** How serious a finding of this rule is. */
  readonly severity: Severity;
  /** One line: what the rule flags. */
  readonly summary: string;
  /** Why it matters, and exactly when the rule applies. */
  readonly explanation: string;
  /** The usual way to fix a finding. */
  readonly fix: string;
}
