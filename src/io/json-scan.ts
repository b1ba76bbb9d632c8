/**
 * Checks JSON text for what `JSON.parse` lets through silently: duplicate keys (the last one
 * wins there, while kubectl's strict decoding rejects them) and nesting deeper than the loader
 * accepts. Run it on text `JSON.parse` has accepted: it relies on the text being valid JSON.
 */
import { quote } from './quote';

/** A problem found in JSON text. */
export interface JsonTextProblem {
  /** The 1-based line. */
  readonly line: number;
  /** What is wrong. */
  readonly message: string;
}

interface Frame {
  readonly object: boolean;
  readonly keys: Set<string> | undefined;
  key: string | undefined;
  index: number;
}

/** A field path such as `spec.ingress[0].from`, for the frames open at a point of the scan. */
export function framePath(all: ReadonlyArray<string | number>): string {
  let out = '';
  const segments = all.length > 12 ? [...all.slice(0, 6), '\u2026', ...all.slice(-4)] : all;
  for (const s of segments) {
    if (s === '\u2026') {
      out += `...(${all.length - 10} more)...`;
      continue;
    }
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${quote(s)}]`;
  }
  return out === '' ? 'the top level' : out;
}

function pathOf(stack: readonly Frame[], upTo: number): string {
  const segments: Array<string | number> = [];
  for (let i = 0; i < upTo; i++) {
    const f = stack[i];
    segments.push(f.object ? (f.key ?? '') : f.index);
  }
  return framePath(segments);
}

/**
 * Scans valid JSON text for the first duplicate key and for nesting deeper than `maxDepth`.
 *
 * @returns the first problem, or undefined
 */
export function scanJsonText(text: string, maxDepth: number): JsonTextProblem | undefined {
  const stack: Frame[] = [];
  let line = 1;
  let expectKey = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line++;
    } else if (c === 0x7b || c === 0x5b) { // { [
      const object = c === 0x7b;
      if (stack.length >= maxDepth) {
        return { line, message: `nested more than ${maxDepth} levels deep at line ${line} (in ${pathOf(stack, stack.length)}); no Kubernetes object is` };
      }
      stack.push({ object, keys: object ? new Set() : undefined, key: undefined, index: 0 });
      expectKey = object;
    } else if (c === 0x7d || c === 0x5d) { // } ]
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) { // ,
      const top = stack[stack.length - 1];
      if (top?.object) expectKey = true;
      else if (top) top.index++;
    } else if (c === 0x22) { // "
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j < 0) return undefined; // not valid JSON: JSON.parse reports it
        let backslashes = 0;
        while (text.charCodeAt(j - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
        j++;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top?.object) {
        const raw = text.slice(i, j + 1);
        const key: string = raw.includes('\\') ? JSON.parse(raw) : raw.slice(1, -1);
        if (top.keys!.has(key)) {
          return {
            line,
            message: `duplicate key ${quote(key)} in ${pathOf(stack, stack.length - 1)} at line ${line}: kubectl's strict decoding rejects `
              + 'duplicate fields (here the last one would silently win); keep only one',
          };
        }
        top.keys!.add(key);
        top.key = key;
        expectKey = false;
      }
      i = j;
    }
    i++;
  }
  return undefined;
}
