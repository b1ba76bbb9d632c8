import { child, forbidden, index, invalid, isAbsent, isObject, listOf, required, wrongType } from './field';
import { isQualifiedName, isValidLabelValue } from './names';
import { FieldError } from '../field-error';

/** The operators a label selector requirement may use. */
export const LABEL_SELECTOR_OPERATORS: readonly string[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * Validates a label key (`ValidateLabelName` upstream): Invalid value at `path`
 * for each problem.
 */
export function validateLabelKey(key: unknown, path: string): FieldError[] {
  if (typeof key !== 'string') {
    return [wrongType(path, key, 'a string')];
  }
  return isQualifiedName(key).map((msg) => invalid(path, key, msg));
}

/**
 * Why a `null` label value (`app:` with nothing after it, `app: null`) is refused: the tools
 * that apply it disagree about what it means.
 */
export function nullLabelValueDetail(key: string): string {
  return `label ${JSON.stringify(key)} has no value (null), which the tools read differently: the API server stores `
    + `${JSON.stringify(key)}: "" (only pods whose label is empty), but kubectl apply deletes the key (a strategic-merge `
    + 'null; kubernetes#40630, and on create since kubernetes#125646), and a selector left with {} selects every pod: '
    + 'write the value, or "" in quotes if you mean the empty label';
}

/**
 * Validates a label map (`ValidateLabels` upstream), such as `matchLabels` or
 * `metadata.labels`. Like the server, errors carry the map's path, not the key's;
 * keys are visited in sorted order so the output is deterministic. A null value
 * (`app:` with nothing after it) is an error (`nullLabelValueDetail`): the API server
 * and kubectl apply read it differently.
 */
export function validateLabels(labels: unknown, path: string): FieldError[] {
  if (isAbsent(labels)) return [];
  if (!isObject(labels)) return [wrongType(path, labels, 'an object of string keys and values')];
  const errs: FieldError[] = [];
  for (const key of Object.keys(labels).sort()) {
    errs.push(...validateLabelKey(key, path));
    const value = labels[key];
    if (value === null) {
      errs.push(invalid(`${path}[${key}]`, null, nullLabelValueDetail(key)));
      continue;
    }
    if (typeof value !== 'string') {
      // the server fails to decode a non-string label value; the key is named here
      errs.push(wrongType(`${path}[${key}]`, value, 'a string (quote it in YAML)'));
      continue;
    }
    errs.push(...isValidLabelValue(value).map((msg) => invalid(path, value, msg)));
  }
  return errs;
}

/**
 * Validates one `matchExpressions` entry (`ValidateLabelSelectorRequirement`
 * upstream): `In`/`NotIn` need values, `Exists`/`DoesNotExist` forbid them, any
 * other operator is invalid; the key is a label key and every value a label value.
 */
export function validateLabelSelectorRequirement(req: unknown, path: string): FieldError[] {
  if (!isObject(req)) return [wrongType(path, req, 'an object')];
  const errs: FieldError[] = [];
  const valuesPath = child(path, 'values');
  const values = listOf(req.values, valuesPath, errs);
  const operator = isAbsent(req.operator) ? '' : req.operator;
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        errs.push(required(valuesPath, "must be specified when `operator` is 'In' or 'NotIn'"));
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        errs.push(forbidden(valuesPath, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
      break;
    default:
      errs.push(invalid(child(path, 'operator'), operator,
        `not a valid selector operator (supported: ${LABEL_SELECTOR_OPERATORS.join(', ')})`));
  }
  errs.push(...validateLabelKey(isAbsent(req.key) ? '' : req.key, child(path, 'key')));
  values.forEach((v, i) => {
    const p = index(valuesPath, i);
    const value = v === null ? '' : v; // as the server decodes it
    if (typeof value !== 'string') {
      errs.push(wrongType(p, value, 'a string (quote it in YAML)'));
    } else {
      errs.push(...isValidLabelValue(value).map((msg) => invalid(p, value, msg)));
    }
  });
  return errs;
}

/**
 * Validates a label selector (`ValidateLabelSelector` upstream, as the API server
 * runs it on create: invalid label values in selectors are rejected). An absent
 * (missing or null) selector has no errors; whether it may be absent is the
 * caller's business.
 *
 * @param sel the selector, e.g. `spec.podSelector`
 * @param path its field path, e.g. `spec.podSelector`
 */
export function validateLabelSelector(sel: any, path: string): FieldError[] {
  if (isAbsent(sel)) return [];
  if (!isObject(sel)) return [wrongType(path, sel, 'an object')];
  const errs: FieldError[] = [];
  errs.push(...validateLabels(sel.matchLabels, child(path, 'matchLabels')));
  const exprPath = child(path, 'matchExpressions');
  listOf(sel.matchExpressions, exprPath, errs).forEach((expr, i) => {
    errs.push(...validateLabelSelectorRequirement(expr, index(exprPath, i)));
  });
  return errs;
}
