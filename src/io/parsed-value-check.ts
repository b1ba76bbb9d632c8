/**
 * Checks a parsed document before anything walks it recursively: no cycle (a YAML anchor whose
 * value contains an alias to itself), no nesting deeper than the limit, and no number JSON
 * cannot hold (`.inf`, `.nan`, which kubectl's YAML-to-JSON conversion refuses). The walk is
 * iterative, so it cannot overflow the stack however deep the input.
 */
import { framePath } from './json-scan';

interface Frame {
  readonly value: any;
  readonly keys: readonly (string | number)[];
  next: number;
}

/**
 * The first problem of a parsed value, as a message, or undefined when it is fine.
 *
 * @param value the value, from `JSON.parse` or the YAML reader
 * @param maxDepth the deepest nesting accepted
 */
export function checkParsedValue(value: unknown, maxDepth: number): string | undefined {
  if (typeof value === 'number') return nonFinite(value, []);
  if (typeof value !== 'object' || value === null) return undefined;
  const onPath = new Set<object>();
  const stack: Frame[] = [];
  const path: Array<string | number> = [];
  const enter = (v: object): string | undefined => {
    if (onPath.has(v)) {
      return `${framePath(path)} contains itself (a YAML alias inside the value of its own anchor); `
        + 'kubectl cannot read it either';
    }
    if (stack.length >= maxDepth) {
      return `nested more than ${maxDepth} levels deep (at ${framePath(path)}); no Kubernetes object is`;
    }
    onPath.add(v);
    stack.push({ value: v, keys: Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v), next: 0 });
    return undefined;
  };
  const first = enter(value);
  if (first) return first;
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next >= top.keys.length) {
      stack.pop();
      onPath.delete(top.value);
      path.pop();
      continue;
    }
    const key = top.keys[top.next++];
    const child = top.value[key];
    if (typeof child === 'number') {
      const problem = nonFinite(child, [...path, key]);
      if (problem) return problem;
    } else if (typeof child === 'object' && child !== null) {
      path.push(key);
      const problem = enter(child);
      if (problem) return problem;
    }
  }
  return undefined;
}

function nonFinite(n: number, path: Array<string | number>): string | undefined {
  if (Number.isFinite(n)) return undefined;
  const what = Number.isNaN(n) ? '.nan' : n > 0 ? '.inf' : '-.inf';
  return `${framePath(path)}: the YAML number ${what} cannot be written as JSON, so kubectl refuses it; quote it if you meant a string`;
}
