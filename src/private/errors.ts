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
    const lines = errors.map(e => NetworkPolicyValidator.formatError(e));
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

/** A short, quoted rendering of a value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
