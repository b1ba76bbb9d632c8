import { IConstruct } from 'constructs';
import { FieldError } from '../validation/field-error';
import { NetworkPolicyValidator } from '../validation/network-policy-validator';

/**
 * An invalid input to a construct of this library: the message names the construct path,
 * the field, the value and what would be valid.
 */
export class PolicyError extends Error {
  /** An error for the API-server style field errors found in a construct's input. */
  public static fromFieldErrors(scope: IConstruct | string, errors: FieldError[]): PolicyError {
    const lines = errors.map(e => NetworkPolicyValidator.formatError(typeof e.value === 'string' && e.value.length > MAX_VALUE_TEXT
      ? { ...e, value: `${e.value.slice(0, MAX_VALUE_TEXT - 3)}...` } : e));
    return new PolicyError(scope, lines.length === 1 ? lines[0] : `invalid NetworkPolicy:\n  ${lines.join('\n  ')}`, errors);
  }

  /** The field errors behind this error, if it came from validation. */
  public readonly fieldErrors: FieldError[];

  /**
   * @param scope the construct, or the path of a construct not yet created
   */
  public constructor(scope: IConstruct | string, message: string, fieldErrors: FieldError[] = []) {
    super(`[${typeof scope === 'string' ? scope : scope.node.path}] ${message}`);
    this.name = 'PolicyError';
    this.fieldErrors = fieldErrors;
  }
}

/** The longest rendering of a value in an error message; longer ones are cut with `...`. */
const MAX_VALUE_TEXT = 120;

/**
 * A short, quoted rendering of a value for an error message: JSON where JSON says what the
 * value is, else a description (`NaN`, `Map(1)`, `function foo`), cut to a readable length.
 */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = render(value);
  } catch {
    text = Object.prototype.toString.call(value); // a value that cannot even be printed (a null-prototype key, a hostile proxy)
  }
  return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT - 3)}...` : text;
}

function render(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (value instanceof Map) return `Map(${value.size}) ${safeJson(Object.fromEntries([...value.entries()].map(([k, v]) => [typeof k === 'string' ? k : render(k), v])))}`;
  if (value instanceof Set) return `Set(${value.size}) ${safeJson([...value])}`;
  return safeJson(value);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => typeof v === 'number' && !Number.isFinite(v) ? String(v)
      : typeof v === 'bigint' ? `${v}n` : v) ?? String(value);
  } catch {
    try {
      return String(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
}
