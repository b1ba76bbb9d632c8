import { child, index, isObject, warning } from './field';
import { FieldWarning } from '../field-error';
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

/**
 * Warnings for fields that `shape` does not know, in the order they appear.
 * Values of the wrong type are skipped: the validators report those as errors.
 */
export function unknownFieldWarnings(value: unknown, shape: Shape, path: string): FieldWarning[] {
  const out: FieldWarning[] = [];
  if (shape.kind === 'list') {
    if (Array.isArray(value)) {
      value.forEach((item, i) => out.push(...unknownFieldWarnings(item, shape.of, index(path, i))));
    }
  } else if (shape.kind === 'object' && isObject(value)) {
    const known = Object.keys(shape.fields);
    for (const [name, v] of Object.entries(value)) {
      const fieldShape = shape.fields[name];
      if (fieldShape) {
        out.push(...unknownFieldWarnings(v, fieldShape, child(path, name)));
        continue;
      }
      const guess = closestField(name, known);
      out.push(warning(child(path, name), 'UnknownField',
        `unknown field "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}: `
        + 'the API server rejects it under strict field validation (kubectl\'s default) and otherwise drops it silently'));
    }
  }
  return out;
}
