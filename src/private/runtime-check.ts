import type { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PolicyError, describeValue } from './errors';
import { nearest } from '../validation/private/did-you-mean';
import { isDns1123Label } from '../validation/private/names';

/*
 * Run-time checks of the arguments of every public entry point.
 *
 * TypeScript's checks do not run for plain JavaScript, for the other jsii languages or for
 * props read from a config file, so each entry point checks what it is given before using it:
 * the JSON type, required props present, no unknown props, label maps that are plain objects of
 * strings. `null` is a wrong value like any other (never "absent"); an empty label map is an
 * error that points at the factory that says "everything". Whether a value is valid for the
 * API server (port ranges, label syntax, CIDRs) is left to `src/validation/`, which runs when a
 * value is added to a policy and names the field in the rendered object.
 *
 * Every failure is a `PolicyError` naming where (a construct path, or the API such as
 * `Port.tcp`), the field, the value (quoted, truncated) and what would be valid.
 */

/** Where a check runs: a construct, the path of one not created yet, or an API such as `Port.tcp`. */
export type Where = IConstruct | string;

/** Throws the error for `field` holding `value`, which should have been `expected`. */
export function fail(where: Where, field: string, value: unknown, expected: string): never {
  throw new PolicyError(where, `${field}: ${describeValue(value)}: ${expected}`);
}

/** `parent.name`, or `name` at the root. */
export function at(parent: string, name: string | number): string {
  if (typeof name === 'number') return `${parent}[${name}]`;
  return parent ? `${parent}.${name}` : name;
}

/** The kind of a JS value, for "must be X, not Y" messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return 'an object';
    const name = proto?.constructor?.name;
    return typeof name === 'string' && name ? `a ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}

/** Whether `value` is a plain object (`{...}`, or one made with `Object.create(null)`). */
export function isPlainObject(value: unknown): value is { [key: string]: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Whether a prop is given: `undefined` is absent; `null` is given (and then fails its check). */
export function given(value: unknown): boolean {
  return value !== undefined;
}

/**
 * Checks a props (or options) object: a plain object with only known keys. `undefined` is
 * an empty object when the props are optional.
 *
 * @returns the props, or `{}` when absent and optional
 */
export function props<T>(where: Where, name: string, value: T | undefined, known: readonly string[], options: { optional?: boolean } = {}): T {
  if (value === undefined && options.optional) return Object.create(null) as T;
  if (!isPlainObject(value)) {
    fail(where, name, value, `must be an object with the props ${known.map(k => `\`${k}\``).join(', ')}, not ${kindOf(value)}`);
  }
  // the keys are listed once: the snapshot and the check of unknown props read the same list
  const keys = Object.keys(value);
  const copy = snapshotObject(value, keys);
  for (const key of keys) {
    if (!known.includes(key)) {
      const guess = didYouMean(key, known);
      throw new PolicyError(where, `${at(name, key)}: unknown prop ${describeValue(key)}${guess ? `; did you mean \`${guess}\`?` : '.'} `
        + `The props are ${known.map(k => `\`${k}\``).join(', ')}; an unknown prop is never ignored (a typo would silently widen the policy)`);
    }
  }
  return copy as T;
}

/** Checks that a required prop is present (not `undefined`, not `null`). */
export function required(where: Where, field: string, value: unknown, what: string): void {
  if (value === undefined || value === null) fail(where, field, value, `is required: ${what}`);
}

/** Checks a string; `nonEmpty` also rejects `''`. */
export function string(where: Where, field: string, value: unknown, options: { nonEmpty?: boolean; what?: string } = {}): string {
  const what = options.what ?? 'a string';
  if (typeof value !== 'string') fail(where, field, value, `must be ${what}, not ${kindOf(value)}`);
  if (options.nonEmpty && value.length === 0) fail(where, field, value, `must be ${what}, not empty`);
  return value;
}

/** Checks an optional string: `undefined` is absent, anything else must be a string. */
export function optionalString(where: Where, field: string, value: unknown, options: { nonEmpty?: boolean; what?: string } = {}): string | undefined {
  return value === undefined ? undefined : string(where, field, value, options);
}

/**
 * Checks a namespace name: a non-empty string that is a DNS-1123 label. A name no namespace can
 * have would select nothing, silently: it fails instead.
 */
export function namespaceName(where: Where, field: string, value: unknown): string {
  const text = string(where, field, value, { nonEmpty: true, what: 'a namespace name' });
  const problems = isDns1123Label(text);
  if (problems.length > 0) {
    fail(where, field, text, `is not a namespace name, so no namespace can have it (${problems.join('; ')}). `
      + 'Namespace names are DNS-1123 labels: lowercase letters, digits and "-", at most 63 characters');
  }
  return text;
}

/** `namespaceName`, for an optional prop (`undefined` stays `undefined`; `null` is an error). */
export function optionalNamespaceName(where: Where, field: string, value: unknown): string | undefined {
  return value === undefined ? undefined : namespaceName(where, field, value);
}

/** Checks an integer (a finite number without a fraction; `NaN` is not one). */
export function integer(where: Where, field: string, value: unknown, what: string = 'an integer'): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(where, field, value, `must be ${what}, not ${kindOf(value)}`);
  return value;
}

/** Checks an optional boolean. */
export function optionalBoolean(where: Where, field: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') fail(where, field, value, `must be true or false, not ${kindOf(value)}`);
  return value;
}

/** Checks a value of a string enum: one of `values` (quoted in the message). */
export function enumValue<T extends string>(where: Where, field: string, value: unknown, values: readonly T[], enumName: string): T {
  if (typeof value !== 'string' || !values.includes(value as T)) {
    const guess = typeof value === 'string' ? values.find(v => v.toLowerCase() === value.toLowerCase()) : undefined;
    fail(where, field, value, `must be one of ${values.map(v => JSON.stringify(v)).join(', ')} (${enumName})`
      + (guess ? `; did you mean ${JSON.stringify(guess)}?` : ''));
  }
  return value as T;
}

/**
 * Checks an array and each element; returns a new array of the checked elements.
 *
 * @param each checks (and may convert) one element, given its field path
 */
export function array<T>(where: Where, field: string, value: unknown, what: string, each: (element: unknown, field: string) => T): T[] {
  if (!Array.isArray(value)) fail(where, field, value, `must be an array of ${what}, not ${kindOf(value)}`);
  const elements = snapshotArray(value);
  const out: T[] = [];
  for (let i = 0; i < elements.length; i++) out.push(each(elements[i], at(field, i)));
  return out;
}

/** Checks an optional array (`undefined` is absent). */
export function optionalArray<T>(
  where: Where, field: string, value: unknown, what: string, each: (element: unknown, field: string) => T,
): T[] | undefined {
  return value === undefined ? undefined : array(where, field, value, what, each);
}

/** Checks an array of strings. */
export function strings(where: Where, field: string, value: unknown, what: string = 'strings'): string[] {
  return array(where, field, value, what, (v, f) => string(where, f, v));
}

/** What to write instead of an empty label map, for `labels()`. */
export const EMPTY_POD_LABELS = 'an empty label map would select every pod: use Peer.sameNamespace() (every pod of the namespace), '
  + 'Peer.allNamespaces() (every pod of every namespace) or LabelSelector.all() to say so';
export const EMPTY_NAMESPACE_LABELS = 'an empty label map would select every namespace: use Peer.allNamespaces() to say so';

/**
 * Checks a label map: a plain object (not a `Map`, not an array) of string keys to string
 * values; `null` values are wrong, never "any value". Key and value syntax is the validator's.
 *
 * @param empty the error for an empty map; `undefined` allows it
 * @returns a copy
 */
export function labels(where: Where, field: string, value: unknown, empty?: string, rendered: boolean = true): { [key: string]: string } {
  if (!isPlainObject(value)) {
    fail(where, field, value, `must be an object of label keys to string values, such as { app: 'web' }, not ${kindOf(value)}`);
  }
  if (Object.getOwnPropertySymbols(value).length > 0) fail(where, field, value, 'must have string keys only');
  const copy = snapshotObject(value);
  const keys = Object.keys(copy);
  if (keys.length === 0 && empty !== undefined) fail(where, field, value, empty);
  // an ordinary object, as cdk8s renders only those; the keys that would not survive one fail first
  const out: { [key: string]: string } = {};
  for (const key of keys) {
    const v = copy[key];
    if (typeof v !== 'string') {
      fail(where, `${field}[${JSON.stringify(key)}]`, v, `a label value must be a string (use Exists through LabelExpression.exists(${JSON.stringify(key)}) for "any value"), not ${kindOf(v)}`);
    }
    mapKey(where, field, key, rendered);
    out[key] = v;
  }
  return out;
}

/** Checks an annotation map: like `labels()` (read once, keys checked), any string value. */
export function annotations(where: Where, field: string, value: unknown): { [key: string]: string } {
  if (!isPlainObject(value)) fail(where, field, value, `must be an object of annotation keys to string values, not ${kindOf(value)}`);
  if (Object.getOwnPropertySymbols(value).length > 0) fail(where, field, value, 'must have string keys only');
  const copy = snapshotObject(value);
  const out: { [key: string]: string } = {};
  for (const key of Object.keys(copy)) {
    const v = copy[key];
    if (typeof v !== 'string') fail(where, `${field}[${JSON.stringify(key)}]`, v, `an annotation value must be a string, not ${kindOf(v)}`);
    mapKey(where, field, key);
    out[key] = v;
  }
  return out;
}

/**
 * Checks a key of a map a caller gives (labels, annotations) for what JavaScript or cdk8s
 * would do with it: `__proto__` would be dropped by an ordinary copy (and is no valid label or
 * annotation key: Kubernetes refuses a key that starts with "_"), and cdk8s cannot render a
 * map with the key `constructor` (its `sanitizeValue` reads `obj.constructor.name`). Both fail
 * here, with a clear error, before anything is copied.
 */
export function mapKey(where: Where, field: string, key: string, rendered: boolean = true): string {
  if (key === '__proto__') {
    fail(where, field, key, 'is not a valid key: Kubernetes refuses it (a label or annotation key must start and end with a letter or digit), '
      + 'and JavaScript would drop it from an ordinary object');
  }
  if (key === 'constructor' && rendered) {
    fail(where, field, key, 'cannot be written by cdk8s: its renderer reads `constructor` of every object it writes, so a map with this key fails to synthesize. '
      + 'Use another key (such as "app.kubernetes.io/constructor")');
  }
  return key;
}

/**
 * A snapshot of a caller's array: its length read once, each element read once, into a new
 * plain array. A Proxy or an accessor answers once; what is checked and used is this copy.
 */
export function snapshotArray(value: readonly unknown[]): unknown[] {
  const length = value.length;
  const out: unknown[] = new Array(length);
  for (let i = 0; i < length; i++) out[i] = value[i];
  return out;
}

/**
 * A snapshot of a caller's plain object: its own enumerable string keys listed once and each
 * value read once (an accessor runs once), into a null-prototype object, so that no key
 * (`__proto__`, `constructor`, `toString`) means anything but itself and nothing is read
 * again from the caller's object or its prototype. Shallow: nested values are snapshotted by
 * the check that reads them. `keys` are its keys, when the caller has just listed them (`Object.keys`).
 */
export function snapshotObject(value: object, keys: readonly string[] = Object.keys(value)): { [key: string]: unknown } {
  const out: { [key: string]: unknown } = Object.create(null);
  for (const key of keys) out[key] = (value as { [key: string]: unknown })[key];
  return out;
}

/** What `snapshotData` read: the copy, and whether it is made only of JSON values. */
export interface DataSnapshot {
  /** The copy: plain objects (null-prototype) and arrays, with every other value as it was. */
  readonly value: unknown;
  /** Whether the copy is exactly JSON (plain objects, arrays, strings, finite numbers, booleans, null). */
  readonly json: boolean;
}

/**
 * A deep snapshot of caller data (a manifest, a spec): every plain object and array copied,
 * each key listed once and each value read once, so that a getter or a Proxy answers once and
 * what is validated, cached and used is one and the same value. Plain objects of any realm
 * become plain objects (so that cdk8s and `JSON.stringify` read them as before); values that are
 * not JSON (`undefined`, `NaN`, functions, class instances, cycles) are kept as they are and
 * make `json` false. Depth is bounded: deeper data is kept by reference and is not JSON.
 */
export function snapshotData(value: unknown): DataSnapshot {
  let json = true;
  const open = new Set<object>();
  const copy = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) json = false;
      return v;
    }
    if (typeof v !== 'object' || depth > MAX_SNAPSHOT_DEPTH || open.has(v)) {
      json = false;
      return v;
    }
    if (Array.isArray(v)) {
      open.add(v);
      const elements = snapshotArray(v);
      for (let i = 0; i < elements.length; i++) elements[i] = copy(elements[i], depth + 1);
      open.delete(v);
      return elements;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== null && Object.getPrototypeOf(proto) !== null) {
      json = false; // a Date, a Map, a class instance: kept, never read as data
      return v;
    }
    open.add(v);
    const out: { [key: string]: unknown } = {};
    for (const key of Object.keys(v)) {
      const element = copy((v as { [key: string]: unknown })[key], depth + 1);
      if (element === undefined) json = false;
      // a key `__proto__` stays an own key (never the prototype)
      if (key === '__proto__') Object.defineProperty(out, key, { value: element, enumerable: true, writable: true, configurable: true });
      else out[key] = element;
    }
    open.delete(v);
    return out;
  };
  const out = copy(value, 0);
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') json = false;
  return { value: out, json };
}

/** How deep `snapshotData` copies (Kubernetes objects are far shallower; a cycle stops earlier). */
const MAX_SNAPSHOT_DEPTH = 64;

/** The candidate nearest to `key` (by edit distance, case-insensitive), if it is near enough. */
export function didYouMean(key: string, candidates: readonly string[]): string | undefined {
  return nearest(key, candidates, Math.max(2, Math.floor(key.length / 3)));
}

/**
 * The brand of this library's values, shared by every copy of the library in a process
 * (`Symbol.for`): `value[VALUE_BRAND]` is `'Peer'`, `'Port'`, `'LabelSelector'` or
 * `'LabelExpression'`. A branded value that is not an instance of this copy is read through
 * its public Kubernetes form (`toPeerConfig()`, ...) and checked like any other input; an
 * object without the brand is rejected, however much it looks like a value.
 */
export const VALUE_BRAND: unique symbol = Symbol.for('cdk8s-netpol.value') as any;

/** The brand of `value`, if it carries one. */
export function brandOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const brand = (value as { [VALUE_BRAND]?: unknown })[VALUE_BRAND];
  return typeof brand === 'string' ? brand : undefined;
}

/** The error for a value that is not a real instance of `kind`. */
export function notAnInstance(where: Where, field: string, value: unknown, kind: string, factories: string): never {
  const brand = brandOf(value);
  const was = brand === kind ? `an object that inherits from ${kind} without having been made by its factories`
    : brand !== undefined ? `a ${brand}` : kindOf(value);
  fail(where, field, value, `must be a ${kind} made with its factories (${factories}), not ${was}`
    + (brand === undefined && isPlainObject(value) ? `: an object that only looks like a ${kind} is never accepted` : ''));
}

/**
 * Checks the `scope` and `id` every construct of the library takes, before the construct
 * exists (so the error names the API, as there is no construct path yet).
 */
export function constructArgs(kind: string, scope: unknown, id: unknown): void {
  if (!Construct.isConstruct(scope)) fail(`new ${kind}`, 'scope', scope, `must be a construct (a Chart, or a construct inside one), not ${kindOf(scope)}`);
  // the scope's path is only for the message (computing it walks the tree: not on every construction)
  if (typeof id !== 'string' || id.length === 0) {
    string(`new ${kind}`, 'id', id, { nonEmpty: true, what: `a construct id (in '${(scope as IConstruct).node.path || '<root>'}')` });
  }
}

/**
 * Runs the rest of a constructor after `super()`; if it throws, the construct is taken out of
 * the tree again, so that a construction that failed leaves nothing that would synthesize.
 */
export function orDetach(construct: IConstruct, rest: () => void): void {
  try {
    rest();
  } catch (e) {
    construct.node.scope?.node.tryRemoveChild(construct.node.id);
    throw e;
  }
}

/**
 * Where a construct not created yet would be, for errors: the path `scope/id`, computed only when
 * an error names it (a construct's path walks the tree up to the root: too slow to compute for
 * every construction). Errors read it as `node.path`, like a construct's.
 */
export function pendingPath(scope: IConstruct, id: string): Where {
  return new PendingPath(scope, id) as unknown as IConstruct;
}

/**
 * A construct not created yet, as errors read it (`node.path`). A class: an object literal with a
 * getter is a slow V8 runtime call each time it is made (1.3 µs against 0.03 µs), and every
 * `Policy` and pattern makes one.
 */
class PendingPath {
  private path_?: string;

  public constructor(private readonly scope: IConstruct, private readonly id: string) {}

  public get node(): { readonly path: string } {
    return this;
  }

  public get path(): string {
    return this.path_ ??= this.scope.node.path ? `${this.scope.node.path}/${this.id}` : this.id;
  }
}

/** The props every pattern takes (`PatternProps`). */
export const PATTERN_PROPS = ['namespace', 'name'] as const;

/**
 * The checks every construct of the library starts with: its `scope` and `id`, a props object
 * with only the known keys (`PatternProps` included) and the types of `namespace` and `name`.
 *
 * @returns the path the construct will have (for errors before it exists) and the props
 */
export function constructProps<T>(
  kind: string, scope: unknown, id: unknown, value: T | undefined, known: readonly string[], optional: boolean,
): { where: Where; props: T } {
  constructArgs(kind, scope, id);
  const where = pendingPath(scope as IConstruct, id as string);
  const p = props<T>(where, 'props', value, [...PATTERN_PROPS, ...known], { optional });
  const { namespace, name } = p as { namespace?: unknown; name?: unknown };
  optionalNamespaceName(where, 'namespace', namespace);
  optionalString(where, 'name', name, { what: 'a NetworkPolicy name' });
  return { where, props: p };
}

/** The keys of `LintOptions`. */
export const LINT_OPTION_KEYS = [
  'maxPortRangeWidth', 'dnsNamespace', 'dnsPodLabels', 'metadataAddresses', 'defaultNamespace', 'ipBlockMatchesPodIps', 'configFile', 'profile',
] as const;

/**
 * Checks lint options (and `extra` boolean keys, such as `NetpolLint`'s): known keys, types,
 * `null` never "the default", DNS pod labels a non-empty map of strings. Values (an IP address,
 * a range width) are the linter's to check.
 */
export function lintOptions<T>(where: Where, value: T | undefined, extraBooleans: readonly string[] = []): T {
  const o = props<{ [key: string]: unknown }>(where, 'options', value as { [key: string]: unknown } | undefined,
    [...LINT_OPTION_KEYS, ...extraBooleans], { optional: true });
  if (o.maxPortRangeWidth !== undefined) integer(where, 'options.maxPortRangeWidth', o.maxPortRangeWidth, 'a whole number of ports, at least 1');
  optionalNamespaceName(where, 'options.dnsNamespace', o.dnsNamespace);
  optionalNamespaceName(where, 'options.defaultNamespace', o.defaultNamespace);
  optionalString(where, 'options.configFile', o.configFile, { nonEmpty: true, what: 'the path of a netpol.config.json' });
  // an empty map is the linter's error (Required value); here: a plain object of strings
  if (o.dnsPodLabels !== undefined) o.dnsPodLabels = labels(where, 'options.dnsPodLabels', o.dnsPodLabels, undefined, false);
  if (o.metadataAddresses !== undefined) o.metadataAddresses = strings(where, 'options.metadataAddresses', o.metadataAddresses, 'IP addresses (strings)');
  for (const key of ['ipBlockMatchesPodIps', ...extraBooleans]) optionalBoolean(where, `options.${key}`, o[key]);
  return o as unknown as T;
}

/** Checks that `value` is a construct (an App, a Chart, or any construct), for static APIs that take one. */
export function constructArg(where: string, field: string, value: unknown, what: string = 'a construct (an App, a Chart, or a construct inside one)'): void {
  if (!Construct.isConstruct(value)) fail(where, field, value, `must be ${what}, not ${kindOf(value)}`);
}

/** Checks that `value` is a cdk8s App (a construct with charts that can synthesize). */
export function appArg(where: string, field: string, value: unknown): void {
  const app = value as { synth?: unknown; synthYaml?: unknown };
  // `charts` is only looked for: reading it sorts the whole app's constructs (cdk8s's App.charts)
  if (!Construct.isConstruct(value) || !('charts' in value) || typeof app.synth !== 'function' || typeof app.synthYaml !== 'function') {
    fail(where, field, value, `must be a cdk8s App, not ${kindOf(value)}`);
  }
}

/**
 * The charts of an app that passed `appArg`, read once (cdk8s sorts them by their dependencies:
 * a walk of the whole app) and checked.
 */
export function appCharts(where: string, field: string, value: unknown): Chart[] {
  const charts: unknown = (value as { charts: unknown }).charts;
  // cdk8s is loaded here, not with this module, so that the plugin entry (lib/plugin.js) loads the linter without it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Chart: ChartClass } = require('cdk8s') as typeof import('cdk8s');
  if (!Array.isArray(charts) || !charts.every(c => ChartClass.isChart(c))) {
    fail(where, field, value, `must be a cdk8s App, whose charts are cdk8s Charts; its charts are ${kindOf(charts)}`);
  }
  return [...charts];
}

/** Makes the named static fields of a class read-only at run time: a shared constant cannot be replaced. */
export function freezeStatics(cls: object, names: readonly string[]): void {
  for (const name of names) {
    Object.defineProperty(cls, name, { value: (cls as { [key: string]: unknown })[name], writable: false, configurable: false, enumerable: true });
  }
}
