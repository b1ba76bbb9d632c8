/**
 * What to do with a field the API does not have (often a typo such as `form:` for `from:`),
 * named as kubectl's `--validate` and the API server's `fieldValidation` parameter name them.
 *
 * A typo is worse than an error there: with a rule's real `from` missing, the rule matches
 * every peer.
 *
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
 */
export enum FieldValidation {
  /**
   * An unknown field is an error, as kubectl's default `--validate=strict` makes the API server
   * refuse the object (`strict decoding error: unknown field "spec.ingress[0].form"`).
   */
  STRICT = 'Strict',
  /**
   * An unknown field is a warning (`UnknownField`), as with `kubectl apply --validate=warn`: the
   * server drops the field, and the object is read without it.
   */
  WARN = 'Warn',
  /** Unknown fields are dropped without a word, as with `kubectl apply --validate=false` (or `ignore`). */
  IGNORE = 'Ignore',
}
