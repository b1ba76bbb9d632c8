/**
 * JSON with object keys sorted, so values that mean the same give the same string. For plain
 * JSON values (no `toJSON`, functions or symbols) it equals `JSON.stringify` of the value with
 * every object's keys sorted.
 */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(v => v === undefined ? 'null' : canonical(v)).join(',')}]`;
  const obj = value as { [key: string]: unknown };
  let out = '';
  for (const k of Object.keys(obj).sort()) {
    if (obj[k] === undefined) continue;
    out += `${out ? ',' : ''}${JSON.stringify(k)}:${canonical(obj[k])}`;
  }
  return `{${out}}`;
}

/** Instances locked by `lockInstance`: read-only, but left extensible on purpose. */
const LOCKED = new WeakSet<object>();

/**
 * Makes an instance of a public value class (`Peer`, `Port`, `LabelSelector`, ...) read-only
 * for good, and leaves it extensible: every own field becomes non-writable and non-configurable,
 * but new properties can still be added. That is what jsii needs: its kernel records every
 * object it hands to Python, Java, C# or Go under two symbols of its own
 * (`Object.defineProperty` in @jsii/kernel's `tagObject`), which a frozen object refuses, so a
 * frozen `Peer.pods()` could not be returned to another language at all. The library reads
 * what it made from its own records (fields that cannot change, or state in a `WeakMap`), never
 * from a property a caller could add; the class prototypes are frozen (`lockPrototypes`), so an
 * assignment cannot shadow a method either.
 */
export function lockInstance<T extends object>(obj: T): T {
  const descriptors = Object.getOwnPropertyDescriptors(obj) as { [key: string | symbol]: PropertyDescriptor };
  for (const key of Reflect.ownKeys(descriptors)) {
    const d = descriptors[key as string];
    d.configurable = false;
    if ('value' in d) d.writable = false;
  }
  Object.defineProperties(obj, descriptors);
  LOCKED.add(obj);
  return obj;
}

/**
 * Freezes the prototypes of public value classes: no method can be replaced, and assigning to a
 * method's name on an instance throws instead of shadowing it.
 */
export function lockPrototypes(...classes: ReadonlyArray<{ readonly prototype: object }>): void {
  for (const c of classes) Object.freeze(c.prototype);
}

/** Freezes a plain JSON value and everything in it (instances locked by `lockInstance` stay as they are); returns it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !LOCKED.has(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
