import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SUPPRESS_ANNOTATION } from './suppressions';
import { LintInput } from '../lint-options';

/** The suppression lines `NetpolLint.suppress()` wrote onto each API object (see code-suppressions.ts). */
export const writtenSuppressions = new WeakMap<ApiObject, readonly string[]>();

/** An API object with its lint input. */
export interface ConstructInput {
  readonly object: ApiObject;
  readonly input: LintInput;
}

/**
 * The objects below a construct, each with the construct path findings should name: for an
 * ApiObject with the conventional id `Resource` (this library's constructs, cdk8s-plus), the
 * construct that owns it; otherwise the ApiObject itself.
 *
 * Objects are rendered with `ApiObject.toJson()`, never `Chart.toJson()`, which would run the
 * app's validations (and with them, this linter) again. The suppression annotation lines that
 * `NetpolLint.suppress()` wrote for other entry points are left out: here the construct
 * suppressions themselves apply.
 */
export function constructObjects(scope: IConstruct): ConstructInput[] {
  return scope.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .map(object => ({ object, input: { manifest: withoutWritten(object), constructPath: ownerPath(object) } }));
}

/** The lint inputs of `constructObjects()`. */
export function constructInputs(scope: IConstruct): LintInput[] {
  return constructObjects(scope).map(o => o.input);
}

function withoutWritten(o: ApiObject): any {
  const manifest = o.toJson();
  const written = writtenSuppressions.get(o);
  const value = manifest?.metadata?.annotations?.[SUPPRESS_ANNOTATION];
  if (!written || typeof value !== 'string') return manifest;
  const kept = value.split('\n').filter(line => !written.includes(line));
  const annotations = { ...manifest.metadata.annotations };
  if (kept.length === 0) delete annotations[SUPPRESS_ANNOTATION];
  else annotations[SUPPRESS_ANNOTATION] = kept.join('\n');
  const metadata = { ...manifest.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete metadata.annotations;
  return { ...manifest, metadata };
}

function ownerPath(o: ApiObject): string {
  const owner = o.node.id === 'Resource' ? o.node.scope : undefined;
  return owner ? owner.node.path : o.node.path;
}
