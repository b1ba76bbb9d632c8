import { child, index, invalid, isAbsent, isObject, required, warning, wrongType } from './field';
import { validateLabelSelector } from './label-selector';
import { LABEL_SELECTOR_SHAPE, closestField, findUnknownFields, unknownFieldWarning } from './unknown-fields';
import { ErrorType, FieldError, FieldWarning } from '../field-error';

/**
 * A small structural-schema validator: the OpenAPI constraints a CustomResourceDefinition puts on
 * its objects (`type`, `required`, `minItems`/`maxItems`, `minProperties`/`maxProperties`,
 * `maxLength`, `minimum`/`maximum`, `enum`, `pattern`, `x-kubernetes-list-type: set`) and its CEL
 * rules (`x-kubernetes-validations`, written here as functions with the CRD's message), applied
 * the way the API server applies them to a custom resource:
 *
 * - `null` is pruned before validation (no field of these CRDs is nullable), so it is absent;
 * - a field the schema does not know is pruned (a warning, `UnknownField`, as for NetworkPolicy);
 *   a reader that may see objects of a newer CRD (`keepUnknown`) still counts it for
 *   `minProperties`/`maxProperties`, so that a peer made only of a newer field is read as
 *   "something this reader does not know" (the API's fail-closed rule), not as an error;
 * - CEL rules run only when the object passed its own schema (the server skips rules over
 *   invalid values).
 */
export type SchemaNode =
  | ObjectNode
  | { readonly t: 'array'; readonly items: SchemaNode; readonly min?: number; readonly max?: number; readonly set?: boolean }
  | { readonly t: 'string'; readonly maxLength?: number; readonly pattern?: RegExp; readonly enum?: readonly string[]; readonly rules?: readonly CelRule[] }
  | { readonly t: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly t: 'selector' }
  | { readonly t: 'any' };

/** An object node. */
export interface ObjectNode {
  readonly t: 'object';
  readonly props: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly minProps?: number;
  readonly maxProps?: number;
  readonly rules?: readonly CelRule[];
  /** Fields that exist only in the experimental channel: errors (Forbidden) when `experimental` is off. */
  readonly experimental?: readonly string[];
}

/** A CEL validation rule of the CRD: `holds` is the rule, `rule` its CEL text, `message` the CRD's message. */
export interface CelRule {
  readonly rule: string;
  readonly message: string;
  readonly holds: (self: any) => boolean;
  /** Only in the experimental channel's CRD. */
  readonly experimentalOnly?: boolean;
}

/** What the schema walk checks beyond the schema. */
export interface SchemaContext {
  /** Whether the experimental channel's CRD is installed. */
  readonly experimental: boolean;
  /** The channel's name, for messages. */
  readonly channel: string;
  /**
   * Whether unknown fields count for `minProperties`/`maxProperties` (a reader that may see the
   * objects of a newer CRD, and fails closed on what it does not know) or are pruned first (the
   * API server with this CRD installed).
   */
  readonly keepUnknown: boolean;
  readonly errors: FieldError[];
  readonly warnings: FieldWarning[];
}

/** Validates `value` at `path` against `node`; absent values are the caller's business (`required`). */
export function validateSchema(value: unknown, node: SchemaNode, path: string, ctx: SchemaContext): void {
  const before = ctx.errors.length;
  switch (node.t) {
    case 'any':
      return;
    case 'selector':
      if (!isObject(value)) {
        ctx.errors.push(wrongType(path, value, 'an object (a label selector)'));
        return;
      }
      // The CRD checks only the selector's structure; a selector whose keys, values or operators
      // cannot be converted (labels.Selector) cannot be enforced either: an error here, so that
      // nothing evaluates it wider than an implementation could.
      ctx.errors.push(...validateLabelSelector(value, path));
      ctx.warnings.push(...findUnknownFields(value, LABEL_SELECTOR_SHAPE, path).map(unknownFieldWarning));
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        ctx.errors.push(wrongType(path, value, 'an integer'));
        return;
      }
      if (node.min !== undefined && value < node.min) ctx.errors.push(invalid(path, value, `must be greater than or equal to ${node.min}`));
      if (node.max !== undefined && value > node.max) ctx.errors.push(invalid(path, value, `must be less than or equal to ${node.max}`));
      return;
    case 'string':
      if (typeof value !== 'string') {
        ctx.errors.push(wrongType(path, value, 'a string'));
        return;
      }
      if (node.enum && !node.enum.includes(value)) {
        ctx.errors.push({ field: path, type: ErrorType.UNSUPPORTED, value, detail: `supported values: ${node.enum.map(v => JSON.stringify(v)).join(', ')}` });
        return;
      }
      if (node.maxLength !== undefined && value.length > node.maxLength) {
        ctx.errors.push({ field: path, type: ErrorType.TOO_LONG, value, detail: `may not be more than ${node.maxLength} characters` });
      }
      if (node.pattern && !node.pattern.test(value)) ctx.errors.push(invalid(path, value, `should match '${node.pattern.source}'`));
      break;
    case 'array': {
      if (!Array.isArray(value)) {
        ctx.errors.push(wrongType(path, value, 'a list'));
        return;
      }
      if (node.min !== undefined && value.length < node.min) {
        ctx.errors.push(invalid(path, value.length, `must have at least ${node.min} item${node.min === 1 ? '' : 's'}`));
      }
      if (node.max !== undefined && value.length > node.max) {
        ctx.errors.push({ field: path, type: ErrorType.TOO_MANY, value: value.length, detail: `must have at most ${node.max} items` });
      }
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const p = index(path, i);
        if (isAbsent(item)) {
          ctx.errors.push(required(p, 'a list item may not be null'));
          return;
        }
        if (node.set) {
          const key = JSON.stringify(item);
          if (seen.has(key)) ctx.errors.push({ field: p, type: ErrorType.DUPLICATE, value: item, detail: 'a list of type set may not repeat a value' });
          seen.add(key);
        }
        validateSchema(item, node.items, p, ctx);
      });
      return;
    }
    case 'object': {
      if (!isObject(value)) {
        ctx.errors.push(wrongType(path, value, 'an object'));
        return;
      }
      const present = Object.keys(value).filter(k => !isAbsent(value[k]) && (ctx.keepUnknown || node.props[k] !== undefined));
      if (node.maxProps !== undefined && present.length > node.maxProps) {
        ctx.errors.push({
          field: path,
          type: ErrorType.TOO_MANY,
          value: present.length,
          detail: `must have at most ${node.maxProps} propert${node.maxProps === 1 ? 'y' : 'ies'}, not ${present.map(k => JSON.stringify(k)).join(' and ')}`,
        });
      }
      if (node.minProps !== undefined && present.length < node.minProps) {
        ctx.errors.push(invalid(path, present.length,
          `must have at least ${node.minProps} propert${node.minProps === 1 ? 'y' : 'ies'} (one of ${Object.keys(node.props).map(k => JSON.stringify(k)).join(', ')})`));
      }
      for (const name of node.required ?? []) {
        if (isAbsent(value[name])) ctx.errors.push(required(child(path, name), ''));
      }
      const known = Object.keys(node.props);
      for (const name of Object.keys(value)) {
        const v = value[name];
        const p = child(path, name);
        const fieldNode = node.props[name];
        if (!fieldNode) {
          const guess = closestField(name, known);
          ctx.warnings.push(warning(p, 'UnknownField',
            `unknown field "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}: the API server prunes it (or rejects it under strict field validation, kubectl's default)`));
          continue;
        }
        if (isAbsent(v)) continue;
        if (!ctx.experimental && node.experimental?.includes(name)) {
          ctx.errors.push({
            field: p,
            type: ErrorType.FORBIDDEN,
            detail: `"${name}" exists only in the experimental channel's CRD; the ${ctx.channel} channel's CRD does not have it (install the experimental CRD, or validate with the experimental channel)`,
          });
          continue;
        }
        validateSchema(v, fieldNode, p, ctx);
      }
      break;
    }
  }
  // CEL rules run over values that passed the schema
  if (ctx.errors.length !== before) return;
  const rules = (node as { rules?: readonly CelRule[] }).rules ?? [];
  for (const rule of rules) {
    if (rule.experimentalOnly && !ctx.experimental) continue;
    if (!rule.holds(value)) ctx.errors.push(invalid(path, node.t === 'object' ? 'object' : value, rule.message));
  }
}
