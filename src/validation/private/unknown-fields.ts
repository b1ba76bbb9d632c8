import { child, index, isObject, warning } from './field';
import { ErrorType, FieldError, FieldWarning } from '../field-error';
import { nearest } from './did-you-mean';

/**
 * The known fields of a NetworkPolicy, to catch typos such as `form:` for `from:`.
 *
 * A typo is worse than an error here: with the rule's real `from` missing, the rule
 * matches every peer. The API server rejects unknown fields when the client asks
 * for strict field validation (kubectl's default since 1.27) and otherwise drops
 * them, at most with a warning (Helm, most GitOps tools). The validator reports
 * them as warnings with the code `UnknownField`.
 */
export type Shape =
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Shape>> }
  | { readonly kind: 'list'; readonly of: Shape }
  | { readonly kind: 'any' };

const ANY: Shape = { kind: 'any' };
const obj = (fields: Record<string, Shape>): Shape => ({ kind: 'object', fields });
const list = (of: Shape): Shape => ({ kind: 'list', of });

/** `metav1.LabelSelector`. */
export const LABEL_SELECTOR_SHAPE = obj({
  matchLabels: ANY,
  matchExpressions: list(obj({ key: ANY, operator: ANY, values: ANY })),
});

const PEER_SHAPE = obj({
  podSelector: LABEL_SELECTOR_SHAPE,
  namespaceSelector: LABEL_SELECTOR_SHAPE,
  ipBlock: obj({ cidr: ANY, except: ANY }),
});
const PORT_SHAPE = obj({ protocol: ANY, port: ANY, endPort: ANY });

/** `networking.k8s.io/v1` `NetworkPolicySpec`. */
export const NETWORK_POLICY_SPEC_SHAPE = obj({
  podSelector: LABEL_SELECTOR_SHAPE,
  ingress: list(obj({ ports: list(PORT_SHAPE), from: list(PEER_SHAPE) })),
  egress: list(obj({ ports: list(PORT_SHAPE), to: list(PEER_SHAPE) })),
  policyTypes: ANY,
});

/** `metav1.ObjectMeta`, as it can appear in a manifest. */
export const OBJECT_META_SHAPE = obj({
  name: ANY,
  generateName: ANY,
  namespace: ANY,
  labels: ANY,
  annotations: ANY,
  uid: ANY,
  resourceVersion: ANY,
  generation: ANY,
  creationTimestamp: ANY,
  deletionTimestamp: ANY,
  deletionGracePeriodSeconds: ANY,
  ownerReferences: ANY,
  finalizers: ANY,
  managedFields: ANY,
  selfLink: ANY,
});

/**
 * The top level of a NetworkPolicy object only: `metadata` and `spec` are walked
 * with their own shapes by their validators.
 */
export const NETWORK_POLICY_TOP_LEVEL_SHAPE = obj({ apiVersion: ANY, kind: ANY, metadata: ANY, spec: ANY });

/** The known field an unknown one was probably meant to be, if any. */
export function closestField(name: string, known: readonly string[]): string | undefined {
  return nearest(name, known, Math.min(2, Math.floor(name.length / 2)));
}

/** A field that the API does not have, found in an object. */
export interface UnknownField {
  /** Its full path, e.g. `spec.ingress[0].form`. */
  readonly path: string;
  /** Its name, e.g. `form`. */
  readonly name: string;
  /** The known field it was probably meant to be, e.g. `from`. */
  readonly guess?: string;
}

/**
 * The fields that `shape` does not know, in the order they appear. Values of the wrong type
 * are skipped: the validators report those as errors.
 */
export function findUnknownFields(value: unknown, shape: Shape, path: string, out: UnknownField[] = []): UnknownField[] {
  if (shape.kind === 'list') {
    if (Array.isArray(value)) {
      value.forEach((item, i) => findUnknownFields(item, shape.of, index(path, i), out));
    }
  } else if (shape.kind === 'object' && isObject(value)) {
    const known = Object.keys(shape.fields);
    for (const [name, v] of Object.entries(value)) {
      // an own field of the shape only: "constructor" or "__proto__" is unknown, never Object.prototype's
      const fieldShape = Object.prototype.hasOwnProperty.call(shape.fields, name) ? shape.fields[name] : undefined;
      if (fieldShape) {
        findUnknownFields(v, fieldShape, child(path, name), out);
        continue;
      }
      const guess = closestField(name, known);
      out.push(guess ? { path: child(path, name), name, guess } : { path: child(path, name), name });
    }
  }
  return out;
}

function didYouMean(u: UnknownField): string {
  return u.guess ? ` (did you mean "${u.guess}"?)` : '';
}

/**
 * An unknown field as kubectl's default (strict) field validation reports it: the API server
 * refuses the object with `strict decoding error: unknown field "spec.ingress[0].form"`.
 */
export function unknownFieldError(u: UnknownField): FieldError {
  return {
    field: u.path,
    type: ErrorType.STRICT_DECODING,
    detail: `unknown field ${JSON.stringify(u.path)}${didYouMean(u)}: kubectl's default field validation (--validate=strict) `
      + 'makes the API server reject the object; under --validate=warn or false the server drops the field, and what it was '
      + 'meant to narrow is then not there (a rule without its "from" allows every source)',
  };
}

/** An unknown field as a warning (`FieldValidation.WARN`, kubectl's `--validate=warn`). */
export function unknownFieldWarning(u: UnknownField): FieldWarning {
  return warning(u.path, 'UnknownField',
    `unknown field "${u.name}"${didYouMean(u)}: the API server rejects it under strict field validation (kubectl's default) `
    + 'and otherwise drops it silently');
}

/**
 * A copy of `value` without the fields `shape` does not know, as the API server stores an
 * object it accepted under `--validate=warn` or `false` (it drops them while decoding). Values
 * of the wrong type are kept: the validators report them.
 */
export function dropUnknownFields(value: unknown, shape: Shape): unknown {
  if (shape.kind === 'list') return Array.isArray(value) ? value.map(item => dropUnknownFields(item, shape.of)) : value;
  if (shape.kind !== 'object' || !isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!Object.prototype.hasOwnProperty.call(shape.fields, name)) continue;
    Object.defineProperty(out, name, { value: dropUnknownFields(v, shape.fields[name]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
