/**
 * Suppressions made in code (`NetpolLint.suppress()`) reach every entry point: when the app
 * synthesizes, each one that accepts a finding is written onto the object of that finding as
 * a line of the `netpol.cdk8s.io/suppress` annotation, so the cdk8s validation plugin and
 * `netpol lint` on the synthesized YAML accept the same findings as the in-app lint.
 *
 * Only objects whose finding a suppression accepts get a line (a suppression on a chart does
 * not annotate every object below it, which the other entry points would report as unused).
 * The in-app lint leaves the written lines out (construct-inputs.ts) and applies the construct
 * suppressions themselves.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConstructInput, constructObjects, writtenSuppressions } from './construct-inputs';
import { runLint } from './engine';
import { LintInputError } from './lint-input-error';
import { SUPPRESS_ANNOTATION, constructSuppressions, isAtOrBelow } from './suppressions';
import { DEFAULT_NAMESPACE } from '../../constants';
import { libraryValidation, memoizeForTree } from '../../private/synth-memo';
import { LintOptions } from '../lint-options';

const registered = new WeakSet<IConstruct>();

/**
 * Makes the synthesis of `root`'s tree write the code suppressions onto the objects (once per
 * tree, however many times `NetpolLint.suppress()` is called).
 *
 * @param options the lint options to find the suppressed findings with (those of
 * `NetpolLint.addTo()` on the root, when it was called)
 */
export function writeSuppressionsOnSynth(root: IConstruct, options: () => LintOptions): void {
  if (registered.has(root)) return;
  registered.add(root);
  const key = {};
  // A validation: cdk8s runs validations before it renders any object, in app.synth(),
  // Testing.synth() and Synthesis alike.
  root.node.addValidation(libraryValidation(() => memoizeForTree(key, root, () => {
    writeSuppressions(root, options());
    return [];
  })));
}

/** Writes the annotation lines of the suppressions that accept a finding; replaces earlier ones. */
export function writeSuppressions(root: IConstruct, options: LintOptions): void {
  const suppressions = constructSuppressions(root);
  const objects = constructObjects(root);
  const lines = new Map<ApiObject, string[]>();
  if (suppressions.length > 0) {
    let report;
    try {
      report = runLint(objects.map(o => o.input), options, suppressions);
    } catch (err) {
      // The in-app lint (NetpolLint) and the other entry points report input they cannot analyse.
      if (err instanceof LintInputError) return;
      throw err;
    }
    const byRef = indexByRef(objects);
    for (const f of report.suppressedFindings) {
      const s = suppressions.find(x => x.ruleId === f.ruleId && x.reason === f.suppressionReason
        && f.constructPath !== undefined && isAtOrBelow(f.constructPath, x.path));
      if (!s || f.kind === undefined || f.name === undefined) continue;
      const object = byRef.get(refKey(f.kind, f.kind === 'Namespace' ? undefined : f.namespace, f.name));
      if (!object) continue;
      const line = `${s.ruleId}: ${oneLine(s.reason)}`;
      const list = lines.get(object) ?? [];
      if (!list.includes(line)) list.push(line);
      lines.set(object, list);
    }
  }
  for (const { object } of objects) {
    const previous = writtenSuppressions.get(object) ?? [];
    const next = lines.get(object) ?? [];
    if (previous.length === 0 && next.length === 0) continue;
    const current = object.metadata.toJson()?.annotations?.[SUPPRESS_ANNOTATION];
    const own = typeof current === 'string' ? current.split('\n').filter(l => l !== '' && !previous.includes(l)) : [];
    const value = [...own, ...next.filter(l => !own.includes(l))].join('\n');
    if (value !== '') {
      object.metadata.addAnnotation(SUPPRESS_ANNOTATION, value);
    } else {
      // Nothing left to say: remove the annotation (cdk8s has no API for it; an empty one
      // would be a malformed suppression, NP902).
      const annotations = (object.metadata as unknown as { annotations?: Record<string, string> }).annotations;
      if (annotations && typeof annotations === 'object') delete annotations[SUPPRESS_ANNOTATION];
    }
    writtenSuppressions.set(object, next);
  }
}

function refKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

function indexByRef(objects: readonly ConstructInput[]): Map<string, ApiObject> {
  const index = new Map<string, ApiObject>();
  for (const { object, input } of objects) {
    const m = input.manifest;
    const name = m?.metadata?.name;
    if (typeof m?.kind !== 'string' || typeof name !== 'string') continue;
    const namespace = m.kind === 'Namespace' ? undefined : (m.metadata.namespace || DEFAULT_NAMESPACE);
    index.set(refKey(m.kind, namespace, name), object);
  }
  return index;
}

/** The annotation holds one suppression per line: a reason must fit on one. */
function oneLine(reason: string): string {
  return reason.replace(/\s*\n\s*/g, ' ');
}
