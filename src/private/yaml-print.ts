import { Yaml } from 'cdk8s';

/** How many distinct pairs one printer remembers; later ones are printed every time. */
const REMEMBERED_PAIRS = 100_000;

/**
 * Prints documents exactly as cdk8s's `Yaml.stringify(...docs)` does, byte for byte, and prints
 * a top-level pair that recurs (the same `spec` in every namespace) once per printer.
 *
 * Why the output is the same: cdk8s prints each document on its own (`YAML.stringify` of a
 * block mapping) and joins them with `---`. A block mapping at the top of a document prints each
 * of its pairs on lines of their own that do not depend on the other pairs, except for the
 * anchors (`&a1`, `*a1`) the `yaml` library writes for an object met twice in one document. So
 * a document of plain JSON data (plain objects and arrays, strings, finite numbers other than
 * -0, booleans, null) in which no object occurs twice prints as its pairs printed in groups,
 * in order; and such a pair's text depends on its key and its JSON alone. Any other document
 * is printed whole. `test/private/yaml-print.test.ts` compares both on generated documents.
 */
export class YamlPrinter {
  /** The JSON of a pair (key and value) → its text, or `null` after one sighting. */
  private readonly pairs = new Map<string, string | null>();

  /** The documents as one YAML string, equal to `Yaml.stringify(...docs)`. */
  public print(docs: readonly unknown[]): string {
    return docs.map(doc => this.printDocument(doc)).join('---\n');
  }

  private printDocument(doc: unknown): string {
    if (!isPlainObject(doc) || !isTreeOfJson(doc, new Set())) return Yaml.stringify(doc);
    const keys = Object.keys(doc);
    // (an empty mapping prints as `{}`; an own `__proto__` key cannot be copied by assignment)
    if (keys.length === 0 || keys.includes('__proto__')) return Yaml.stringify(doc);
    let text = '';
    let pending: { [key: string]: unknown } | undefined;
    for (const key of keys) {
      const value = doc[key];
      const known = typeof value === 'object' && value !== null ? this.recurring(key, value) : undefined;
      if (known === undefined) {
        (pending ??= {})[key] = value;
        continue;
      }
      if (pending) text += Yaml.stringify(pending);
      pending = undefined;
      text += known;
    }
    if (pending) text += Yaml.stringify(pending);
    return text;
  }

  /** The text of a pair seen before; `undefined` the first time (or when there is no more room). */
  private recurring(key: string, value: object): string | undefined {
    const valueJson = JSON.stringify(value);
    const json = `${JSON.stringify(key)}:${valueJson}`;
    const text = this.pairs.get(json);
    if (typeof text === 'string') return text;
    if (text === null) {
      // printed from the JSON itself, so that the text is a function of the key it is kept under
      const printed = Yaml.stringify({ [key]: JSON.parse(valueJson) });
      this.pairs.set(json, printed);
      return printed;
    }
    if (this.pairs.size < REMEMBERED_PAIRS) this.pairs.set(json, null);
    return undefined;
  }
}

function isPlainObject(value: unknown): value is { [key: string]: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Whether `value` is plain JSON data (see `YamlPrinter`) in which no object occurs twice. */
function isTreeOfJson(value: unknown, seen: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (seen.has(value)) return false;
      seen.add(value);
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return false;
        for (let i = 0; i < value.length; i++) {
          if (!isTreeOfJson(value[i], seen)) return false;
        }
        return true;
      }
      if (!isPlainObject(value)) return false;
      for (const key of Object.keys(value)) {
        if (!isTreeOfJson(value[key], seen)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
