/**
 * The kind of a validation error, named exactly as the Kubernetes API server names it.
 */
export enum ErrorType {
  /** A required field is missing or empty. */
  REQUIRED = 'Required value',
  /** A value is malformed or out of range. */
  INVALID = 'Invalid value',
  /** A value is not one of the supported choices. */
  UNSUPPORTED = 'Unsupported value',
  /** A combination of fields is not allowed. */
  FORBIDDEN = 'Forbidden',
  /**
   * A field the API does not have, which the API server refuses while decoding under strict
   * field validation (kubectl's default): `strict decoding error: unknown field "spec.ingress[0].form"`.
   */
  STRICT_DECODING = 'strict decoding error',
  /** A list (or object) with more items (or properties) than the schema allows (custom resources). */
  TOO_MANY = 'Too many',
  /** A string longer than the schema allows (custom resources). */
  TOO_LONG = 'Too long',
  /** A repeated value in a list that is a set (custom resources). */
  DUPLICATE = 'Duplicate value',
}

/**
 * One problem with one field of a NetworkPolicy, in the API server's form:
 * `<field>: <type>: <value>: <detail>`.
 */
export interface FieldError {
  /** The field path, e.g. `spec.ingress[0].ports[1].port`. */
  readonly field: string;
  /** The kind of error. */
  readonly type: ErrorType;
  /**
   * The offending value, as it appeared in the object.
   *
   * @default - no value (e.g. for a missing required field)
   */
  readonly value?: any;
  /** What is wrong and what would be valid. */
  readonly detail: string;
}

/**
 * Something the API server accepts but that is almost certainly a mistake.
 */
export interface FieldWarning {
  /** The field path, e.g. `spec.egress`. */
  readonly field: string;
  /** A stable identifier for the kind of warning, e.g. `IgnoredRules`. */
  readonly code: string;
  /**
   * The value the warning is about.
   *
   * @default - no value
   */
  readonly value?: any;
  /** What looks wrong and what to do about it. */
  readonly detail: string;
}
