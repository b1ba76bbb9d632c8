import { ErrorType, FieldError, FieldWarning } from './field-error';
import { FieldValidation } from './field-validation';
import { isObject } from './private/field';
import { validateNetworkPolicyObject } from './private/object';
import { dropUnknownFields, NETWORK_POLICY_SPEC_SHAPE, NETWORK_POLICY_TOP_LEVEL_SHAPE, OBJECT_META_SHAPE } from './private/unknown-fields';

/**
 * Options for `NetworkPolicyValidator.validate()`.
 */
export interface ValidationOptions {
  /**
   * Apply the CIDR checks of current API servers: no leading zeros (`010.0.0.0/8`),
   * no IPv4-mapped IPv6 addresses (`::ffff:10.0.0.0/104`) and no bits set beyond the
   * prefix length (`10.0.0.1/8`). Set to `false` to match older servers, which
   * accept these; they are then reported as warnings (`NonStandardCidr`,
   * `HostBitsSet`).
   *
   * @default true
   */
  readonly strictCidr?: boolean;

  /**
   * What a field the API does not have is (a typo such as `form:` for `from:`): an error, as
   * kubectl's default `--validate=strict` makes the API server refuse the object; a warning
   * (`UnknownField`, as with `--validate=warn`); or nothing (`--validate=false`).
   *
   * @default FieldValidation.STRICT
   */
  readonly fieldValidation?: FieldValidation;
}

/**
 * The verdict on one object.
 */
export interface ValidationResult {
  /** `true` when there are no errors (warnings do not count). */
  readonly valid: boolean;
  /**
   * What the API server would reject, in its order, each with the field path,
   * error type, offending value and detail.
   */
  readonly errors: FieldError[];
  /**
   * What the API server accepts but is almost certainly a mistake, each with a
   * stable code: `IgnoredRules`, `DuplicatePolicyType`, `HostBitsSet`,
   * `NonStandardCidr`, `NonCanonicalCidr`, `NamespaceNotSet` or (with
   * `FieldValidation.WARN`) `UnknownField`.
   */
  readonly warnings: FieldWarning[];
}

/**
 * Validates NetworkPolicy objects exactly as the Kubernetes API server does on
 * create, after its defaulting (a port without `protocol` is TCP; without
 * `policyTypes`, a policy is `Ingress`, plus `Egress` when it has egress rules).
 *
 * The rules are those of `networking.k8s.io/v1` in current upstream Kubernetes:
 * `metadata.name` is a DNS-1123 subdomain and `metadata.namespace` a DNS-1123
 * label; label selectors (`spec.podSelector` and every peer selector) have valid
 * keys, values and operators; ports have a protocol of exactly `TCP`, `UDP` or
 * `SCTP`, a number 1–65535 or an IANA port name, and an `endPort` only after a
 * numeric `port`, not below it; every peer sets something and never combines
 * `ipBlock` with a selector; CIDRs parse, and every `except` is a strict subset of
 * its `cidr`; `policyTypes` has at most two entries, each `Ingress` or `Egress`.
 *
 * A field the API does not have is an error by default (`strict decoding error`), as kubectl's
 * default field validation makes it; `fieldValidation` makes it a warning or nothing. A `null`
 * in a label map (`matchLabels: {app: null}`) is an error: the API server would store `app: ""`,
 * but `kubectl apply` deletes the key, leaving a selector of every pod.
 *
 * A missing `metadata.namespace` is not an error (kubectl and Helm fill it in)
 * but the warning `NamespaceNotSet`. Values of the wrong JSON type, which the
 * server rejects while decoding, are reported as `Invalid value` errors.
 *
 * The library's constructs use the same rules, so construction-time errors and
 * `netpol validate` never disagree.
 *
 * @example
 * const result = NetworkPolicyValidator.validate({
 *   apiVersion: 'networking.k8s.io/v1',
 *   kind: 'NetworkPolicy',
 *   metadata: { name: 'web', namespace: 'shop' },
 *   spec: { podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] },
 * });
 * // result.valid === false
 * // NetworkPolicyValidator.formatError(result.errors[0]) ===
 * //   'spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class NetworkPolicyValidator {
  /**
   * Validates one object, as parsed from YAML or JSON.
   *
   * @param obj the object; anything other than a `NetworkPolicy` gets a `kind` error
   * @param options validation options
   */
  public static validate(obj: any, options: ValidationOptions = {}): ValidationResult {
    const strictCidr = options.strictCidr ?? true;
    const fieldValidation = options.fieldValidation ?? FieldValidation.STRICT;
    const modes: string[] = Object.values(FieldValidation);
    if (!modes.includes(fieldValidation)) {
      throw new RangeError(`fieldValidation: Unsupported value: ${JSON.stringify(fieldValidation)}: supported values: ${modes.map(m => JSON.stringify(m)).join(', ')}`);
    }
    const { errors, warnings } = validateNetworkPolicyObject(obj, { strictCidr, fieldValidation });
    return { valid: errors.length === 0, errors, warnings };
  }

  /**
   * The object as the API server stores it when unknown fields are not errors
   * (`FieldValidation.WARN` or `IGNORE`, kubectl's `--validate=warn` or `false`): a copy
   * without the fields the API does not have, which the server drops while decoding. What a
   * dropped field was meant to narrow is then not there: read this copy, never the original,
   * to know what such a policy does.
   *
   * @param obj a NetworkPolicy object, as parsed from YAML or JSON
   */
  public static withoutUnknownFields(obj: any): any {
    if (!isObject(obj)) return obj;
    const top = dropUnknownFields(obj, NETWORK_POLICY_TOP_LEVEL_SHAPE) as Record<string, unknown>;
    if (isObject(top.metadata)) top.metadata = dropUnknownFields(top.metadata, OBJECT_META_SHAPE);
    if (isObject(top.spec)) top.spec = dropUnknownFields(top.spec, NETWORK_POLICY_SPEC_SHAPE);
    return top;
  }

  /**
   * Formats an error as the API server does: `<field>: <type>: <value>: <detail>`.
   * String values are JSON-quoted, numbers and booleans plain, lists and objects as
   * JSON; `Required value` and `Forbidden` errors carry no value, as on the server.
   *
   * @example 'spec.ingress[0].ports[0].protocol: Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP"'
   */
  public static formatError(e: FieldError): string {
    const parts: string[] = [e.type];
    const showsValue = e.type === ErrorType.INVALID || e.type === ErrorType.UNSUPPORTED
      || e.type === ErrorType.TOO_MANY || e.type === ErrorType.DUPLICATE;
    if (showsValue && e.value !== undefined) parts.push(formatValue(e.value));
    if (e.detail) parts.push(e.detail);
    return e.field ? `${e.field}: ${parts.join(': ')}` : parts.join(': ');
  }

  /**
   * Formats a warning as `<field>: <code>: <detail>`.
   *
   * @example 'spec.egress: IgnoredRules: policyTypes is ["Ingress"], so ...'
   */
  public static formatWarning(w: FieldWarning): string {
    return w.field ? `${w.field}: ${w.code}: ${w.detail}` : `${w.code}: ${w.detail}`;
  }

  private constructor() {
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
