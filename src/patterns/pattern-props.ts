/**
 * Properties every construct of this library takes for the objects it creates.
 */
export interface PatternProps {
  /**
   * The namespace the policies live in (and whose pods they apply to).
   *
   * @default - the chart's namespace (an error if the chart has none)
   */
  readonly namespace?: string;

  /**
   * `metadata.name` of the policy (for constructs that create several, the prefix of their names).
   *
   * @default - derived from the construct path below the chart, kebab-cased
   */
  readonly name?: string;
}
