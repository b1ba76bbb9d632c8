/**
 * Accepts the findings of one rule, for a stated reason.
 */
export interface Suppression {
  /** The rule: its id (`NP003`) or its name (`egress-without-dns`). */
  readonly id: string;
  /** Why the findings are acceptable; required, and shown in every report. */
  readonly reason: string;
}
