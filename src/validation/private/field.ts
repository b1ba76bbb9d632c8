import { ErrorType, FieldError, FieldWarning } from '../field-error';

/**
 * Field paths and error constructors, shaped like apimachinery's `field` package.
 *
 * Paths are plain strings such as `spec.ingress[0].from[1].ipBlock.cidr`; an empty
 * path is the root, so validators can check fragments (`validatePort(p, '')`).
 */

/** `parent.name`, or `name` at the root. */
export function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** `parent[i]`. */
export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** A malformed or out-of-range value. */
export function invalid(field: string, value: unknown, detail: string): FieldError {
  return { field, type: ErrorType.INVALID, value, detail };
}

/** A missing required value (the server prints no value for these). */
export function required(field: string, detail: string): FieldError {
  return { field, type: ErrorType.REQUIRED, detail };
}

/** A combination of fields that is not allowed (the server prints no value). */
export function forbidden(field: string, detail: string): FieldError {
  return { field, type: ErrorType.FORBIDDEN, detail };
}

/** A value outside an enumeration; the detail lists the supported values, quoted. */
export function notSupported(field: string, value: unknown, validValues: readonly string[]): FieldError {
  const detail = validValues.length > 0
    ? `supported values: ${validValues.map((v) => JSON.stringify(v)).join(', ')}`
    : '';
  return { field, type: ErrorType.UNSUPPORTED, value, detail };
}

/** A warning with a stable code. */
export function warning(field: string, code: string, detail: string, value?: unknown): FieldWarning {
  return value === undefined ? { field, code, detail } : { field, code, value, detail };
}

/** A plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Absent in the Go sense: missing or `null` (a nil pointer after decoding). */
export function isAbsent(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

/** A human name for the JSON type of a value, for "must be X, not Y" messages. */
export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a timestamp';
  switch (typeof v) {
    case 'string': return 'a string';
    case 'number': return Number.isInteger(v) ? 'an integer' : 'a number';
    case 'boolean': return 'a boolean';
    case 'object': return 'an object';
    default: return typeof v;
  }
}

/**
 * The error for a value of the wrong JSON type. The API server rejects these while
 * decoding (HTTP 400, before validation); they are reported here as Invalid values
 * at the field so that they carry a path like every other error.
 */
export function wrongType(field: string, value: unknown, expected: string): FieldError {
  return invalid(field, value, `must be ${expected}, not ${describeType(value)}`);
}

/**
 * Checks that `v` is a list (or absent); returns the list to iterate (empty when
 * absent) and adds a type error otherwise.
 */
export function listOf(v: unknown, field: string, errs: FieldError[]): unknown[] {
  if (isAbsent(v)) return [];
  if (!Array.isArray(v)) {
    errs.push(wrongType(field, v, 'a list'));
    return [];
  }
  return v;
}
