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

/** Freezes a plain JSON value and everything in it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
