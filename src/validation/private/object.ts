import { child, index, invalid, isAbsent, isObject, listOf, notSupported, required, warning, wrongType } from './field';
import { validateLabels } from './label-selector';
import { byteLength, isDns1123Label, isDns1123Subdomain, isDns1123SubdomainPrefix, isQualifiedName } from './names';
import { SpecValidationOptions, defaultSpec, specWarnings, validateSpec } from './policy-spec';
import { findUnknownFields, NETWORK_POLICY_SPEC_SHAPE, NETWORK_POLICY_TOP_LEVEL_SHAPE, OBJECT_META_SHAPE, UnknownField, unknownFieldError, unknownFieldWarning } from './unknown-fields';
import { NETWORK_POLICY_API_VERSION, NETWORK_POLICY_KIND } from '../../constants';
import { FieldError, FieldWarning } from '../field-error';
import { FieldValidation } from '../field-validation';

/** Options of `validateNetworkPolicyObject`. */
export interface ObjectValidationOptions extends SpecValidationOptions {
  /** What an unknown field is. @default FieldValidation.STRICT */
  readonly fieldValidation?: FieldValidation;
}

/** The largest total size of an object's annotations (keys plus values). */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** The outcome of validating one object. */
export interface ObjectValidation {
  readonly errors: FieldError[];
  readonly warnings: FieldWarning[];
  /**
   * The spec after the API server's defaulting (`defaultSpec`), the one the errors are
   * about; `undefined` when the object is not a NetworkPolicy.
   */
  readonly defaultedSpec?: any;
}

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  if (isAbsent(annotations)) return [];
  if (!isObject(annotations)) return [wrongType(path, annotations, 'an object of string keys and values')];
  const errs: FieldError[] = [];
  let total = 0;
  for (const key of Object.keys(annotations).sort()) {
    // upstream: a qualified name, except that case does not matter
    errs.push(...isQualifiedName(key.toLowerCase()).map((msg) => invalid(path, key, msg)));
    const value = annotations[key];
    if (typeof value !== 'string') {
      errs.push(wrongType(`${path}[${key}]`, value, 'a string (quote it in YAML)'));
      continue;
    }
    total += byteLength(key) + byteLength(value);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
    // the server reports this as "Too long", a type this library does not model
    errs.push(invalid(path, undefined, `must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`));
  }
  return errs;
}

/**
 * Validates `metadata` as the API server does on create for a namespaced object
 * named by a DNS-1123 subdomain (`ValidateObjectMeta` upstream), except for
 * `metadata.namespace` when it is missing: kubectl, Helm and the client libraries
 * fill it from the context (`-n`, the kubeconfig), so a manifest without it is not
 * rejected. That case is the warning `NamespaceNotSet` instead of an error.
 */
function validateMetadata(metadata: unknown, path: string, warnings: FieldWarning[]): FieldError[] {
  if (isAbsent(metadata)) metadata = {};
  if (!isObject(metadata)) return [wrongType(path, metadata, 'an object')];
  const errs: FieldError[] = [];
  const { name, generateName, namespace } = metadata;

  const generateNamePath = child(path, 'generateName');
  if (!isAbsent(generateName) && generateName !== '') {
    if (typeof generateName !== 'string') {
      errs.push(wrongType(generateNamePath, generateName, 'a string'));
    } else {
      errs.push(...isDns1123SubdomainPrefix(generateName).map((msg) => invalid(generateNamePath, generateName, msg)));
    }
  }
  const namePath = child(path, 'name');
  if (isAbsent(name) || name === '') {
    // with generateName, the server generates the name before validating it
    if (isAbsent(generateName) || generateName === '') {
      errs.push(required(namePath, 'name or generateName is required'));
    }
  } else if (typeof name !== 'string') {
    errs.push(wrongType(namePath, name, 'a string'));
  } else {
    errs.push(...isDns1123Subdomain(name).map((msg) => invalid(namePath, name, msg)));
  }

  const namespacePath = child(path, 'namespace');
  if (isAbsent(namespace) || namespace === '') {
    warnings.push(warning(namespacePath, 'NamespaceNotSet',
      'metadata.namespace is not set: the policy goes to whatever namespace kubectl or Helm is pointed at '
      + '(the context default, or -n); set it if the policy is meant for one namespace'));
  } else if (typeof namespace !== 'string') {
    errs.push(wrongType(namespacePath, namespace, 'a string'));
  } else {
    errs.push(...isDns1123Label(namespace).map((msg) => invalid(namespacePath, namespace, msg)));
  }

  const generation = metadata.generation;
  if (!isAbsent(generation)) {
    if (!Number.isInteger(generation)) {
      errs.push(wrongType(child(path, 'generation'), generation, 'an integer'));
    } else if ((generation as number) < 0) {
      errs.push(invalid(child(path, 'generation'), generation, 'must be greater than or equal to 0'));
    }
  }
  errs.push(...validateLabels(metadata.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(metadata.annotations, child(path, 'annotations')));
  const finalizersPath = child(path, 'finalizers');
  listOf(metadata.finalizers, finalizersPath, errs).forEach((f, i) => {
    if (typeof f !== 'string') {
      errs.push(wrongType(index(finalizersPath, i), f, 'a string'));
    } else {
      errs.push(...isQualifiedName(f).map((msg) => invalid(finalizersPath, f, msg)));
    }
  });
  return errs;
}

function errorKey(e: FieldError): string {
  return JSON.stringify([e.field, e.type, e.value, e.detail]);
}

/**
 * Validates a whole NetworkPolicy object as the API server does on create, after
 * its defaulting: `apiVersion` and `kind`, `metadata` (name, namespace, labels,
 * annotations, finalizers) and `spec`.
 *
 * Errors are in the server's order (metadata, then spec) with exact duplicates
 * removed, as the server's aggregate error does. Objects of another kind get a
 * single `kind` error and are not checked further.
 *
 * @param obj the parsed object (from YAML or JSON)
 * @param spec the validation of `obj.spec` (`validateSpecPart`), when the caller has it
 */
export function validateNetworkPolicyObject(obj: any, opts: ObjectValidationOptions, spec?: SpecPartValidation): ObjectValidation {
  if (!isObject(obj)) {
    return { errors: [wrongType('', obj, 'an object')], warnings: [] };
  }
  const errors: FieldError[] = [];
  const warnings: FieldWarning[] = [];

  if (isAbsent(obj.kind) || obj.kind === '') {
    errors.push(required('kind', `must be "${NETWORK_POLICY_KIND}"`));
  } else if (obj.kind !== NETWORK_POLICY_KIND) {
    return { errors: [notSupported('kind', obj.kind, [NETWORK_POLICY_KIND])], warnings: [] };
  }
  if (isAbsent(obj.apiVersion) || obj.apiVersion === '') {
    errors.push(required('apiVersion', `must be "${NETWORK_POLICY_API_VERSION}"`));
  } else if (obj.apiVersion !== NETWORK_POLICY_API_VERSION) {
    errors.push(notSupported('apiVersion', obj.apiVersion, [NETWORK_POLICY_API_VERSION]));
  }

  const specPart = spec ?? validateSpecPart(obj.spec, opts);
  errors.push(...validateMetadata(obj.metadata, 'metadata', warnings));
  errors.push(...specPart.errors);

  const unknown = findUnknownFields(obj, NETWORK_POLICY_TOP_LEVEL_SHAPE, '');
  findUnknownFields(obj.metadata, OBJECT_META_SHAPE, 'metadata', unknown);
  const mode = opts.fieldValidation ?? FieldValidation.STRICT;
  if (mode === FieldValidation.WARN) {
    warnings.push(...unknown.map(unknownFieldWarning), ...specPart.warnings, ...specPart.unknownFields.map(unknownFieldWarning));
  } else {
    warnings.push(...specPart.warnings);
  }
  if (mode === FieldValidation.STRICT) {
    // the server fails while decoding, before it validates anything: these come first
    errors.unshift(...unknown.map(unknownFieldError), ...specPart.unknownFields.map(unknownFieldError));
  }

  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const key = errorKey(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { errors: unique, warnings, defaultedSpec: specPart.defaultedSpec };
}

/** The validation of a spec on its own: what depends on `spec` and nothing else. */
export interface SpecPartValidation {
  readonly errors: readonly FieldError[];
  readonly warnings: readonly FieldWarning[];
  /** The fields of the spec the API does not have (errors or warnings, by the caller's `FieldValidation`). */
  readonly unknownFields: readonly UnknownField[];
  /** The spec after `defaultSpec`. */
  readonly defaultedSpec: any;
}

/**
 * Validates `spec` (errors and warnings, with the server's defaulting applied once): the part
 * of `validateNetworkPolicyObject` that depends on the spec alone, so that equal specs (the
 * same policy in many namespaces) can share it.
 */
export function validateSpecPart(spec: any, opts: SpecValidationOptions): SpecPartValidation {
  // defaulting runs once, before validation, as on the server
  const defaultedSpec = defaultSpec(spec);
  return {
    errors: validateSpec(defaultedSpec, 'spec', opts),
    warnings: specWarnings(spec, defaultedSpec, 'spec', opts),
    unknownFields: findUnknownFields(spec, NETWORK_POLICY_SPEC_SHAPE, 'spec'),
    defaultedSpec,
  };
}
