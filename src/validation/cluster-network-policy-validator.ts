import { ErrorType, FieldError, FieldWarning } from './field-error';
import { FieldValidation } from './field-validation';
import { validateClusterPolicyObject } from './private/cluster-policy';

/**
 * Which release channel's CRDs of the network-policy-api project are installed.
 */
export enum CrdChannel {
  /** The standard channel: no `nodes` or `domainNames` peers (v1alpha2), no `nodes`, `domainNames` or `namedPort` (v1alpha1). */
  STANDARD = 'standard',
  /**
   * The experimental channel: the standard fields plus `nodes` and `domainNames` (and v1alpha1's
   * `namedPort`), and one more CEL rule: an egress rule with a `networks`, `nodes` or
   * `domainNames` peer may not use a named port.
   */
  EXPERIMENTAL = 'experimental',
}

/**
 * Options for `ClusterNetworkPolicyValidator.validate()`.
 */
export interface ClusterPolicyValidationOptions {
  /**
   * The channel of the installed CRDs.
   *
   * @default CrdChannel.EXPERIMENTAL - it has every field of the standard channel and more, so
   * that no policy is refused only for a field its cluster may well have
   */
  readonly channel?: CrdChannel;
  /**
   * What a field the CRD does not have is, as for `NetworkPolicyValidator`: an error under
   * strict field validation (kubectl's default: the API server rejects the object), a warning
   * (`UnknownField`, `--validate=warn`: the server prunes the field), or nothing
   * (`--validate=false`).
   *
   * @default FieldValidation.STRICT
   */
  readonly fieldValidation?: FieldValidation;
}

/**
 * The verdict on one cluster-wide policy object.
 */
export interface ClusterPolicyValidationResult {
  /** `true` when there are no errors (warnings do not count). */
  readonly valid: boolean;
  /** What the API server would reject, each with the field path, error type, offending value and detail. */
  readonly errors: FieldError[];
  /** What the API server accepts but is almost certainly a mistake (`UnknownField`, `ClusterScoped`). */
  readonly warnings: FieldWarning[];
}

/**
 * Validates the network-policy-api project's cluster-wide policies exactly as the API server
 * does with their CRDs installed: `ClusterNetworkPolicy` (`policy.networking.k8s.io/v1alpha2`,
 * bundle v0.2.0) and its predecessors `AdminNetworkPolicy` and `BaselineAdminNetworkPolicy`
 * (`policy.networking.k8s.io/v1alpha1`).
 *
 * Every OpenAPI constraint of the CRDs (required fields, list and string limits, port and
 * priority ranges, "exactly one of" objects, enums, patterns, sets) and every CEL rule (`isCIDR`,
 * `start < end` in a port range, no named port with a `networks`/`nodes`/`domainNames` peer in
 * the experimental channel, the singleton BaselineAdminNetworkPolicy named `default`), per
 * channel. Two checks go beyond the CRDs, because no implementation could enforce such a
 * policy: label selectors are checked as the API server checks a NetworkPolicy's, and a
 * v1alpha1 port protocol must be `TCP`, `UDP` or `SCTP`.
 *
 * @see https://network-policy-api.sigs.k8s.io/api-overview/
 */
export class ClusterNetworkPolicyValidator {
  /**
   * Validates one object, as parsed from YAML or JSON.
   *
   * @param obj the object; anything other than the three kinds gets a `kind` error
   * @param options the channel
   */
  public static validate(obj: any, options: ClusterPolicyValidationOptions = {}): ClusterPolicyValidationResult {
    const given: unknown = options === null || typeof options !== 'object' ? options : options.channel;
    if (options === null || typeof options !== 'object' || (given !== undefined && !Object.values(CrdChannel).includes(given as CrdChannel))) {
      throw new Error(`ClusterNetworkPolicyValidator.validate: options.channel: ${JSON.stringify(given) ?? String(given)}: must be CrdChannel.STANDARD or CrdChannel.EXPERIMENTAL`);
    }
    const fieldValidation: unknown = options.fieldValidation ?? FieldValidation.STRICT;
    const modes = Object.values(FieldValidation) as unknown[];
    if (!modes.includes(fieldValidation)) {
      throw new RangeError(`ClusterNetworkPolicyValidator.validate: options.fieldValidation: Unsupported value: ${JSON.stringify(fieldValidation) ?? String(fieldValidation)}: `
        + `supported values: ${modes.map(m => JSON.stringify(m)).join(', ')}`);
    }
    const channel = options.channel ?? CrdChannel.EXPERIMENTAL;
    const result = validateClusterPolicyObject(obj, { experimental: channel === CrdChannel.EXPERIMENTAL });
    const unknown = result.warnings.filter(w => w.code === 'UnknownField');
    const warnings = fieldValidation === FieldValidation.WARN ? result.warnings : result.warnings.filter(w => w.code !== 'UnknownField');
    // the server fails while decoding, before it validates anything: these come first
    const errors = fieldValidation === FieldValidation.STRICT ? [...unknown.map(strictDecodingError), ...result.errors] : result.errors;
    return { valid: errors.length === 0, errors, warnings };
  }

  private constructor() {
  }
}

/** An `UnknownField` warning as strict field validation reports it: the object is rejected. */
function strictDecodingError(w: FieldWarning): FieldError {
  const head = /^unknown field "[^"]*"( \(did you mean "[^"]*"\?\))?/.exec(w.detail)?.[0] ?? `unknown field "${w.field}"`;
  return {
    field: w.field,
    type: ErrorType.STRICT_DECODING,
    detail: `${head}: kubectl's default field validation (--validate=strict) makes the API server reject the object; `
      + 'under --validate=warn or false the server prunes the field',
  };
}
