/**
 * The manifest loader's fast path: documents in a small subset of block YAML, where every
 * token sits on one line, are read by a line reader here (0.2-0.5 s of CPU for the 8,000
 * documents of 1,000 synthesized charts, where the `yaml` library's parser, which keeps a
 * concrete syntax tree of every token, takes 4-5 s), and give exactly what
 * the full path (`yaml` with the go-yaml schema of `go-yaml-schema.ts`) gives: the same values,
 * the same document indexes and lines, and no warnings or errors. Anything outside the subset
 * makes the whole file go the full way, so that every message, warning and limit stays the
 * full path's own.
 *
 * The subset, checked line by line while reading (and on the whole text for characters):
 * - printable ASCII and line feeds only (no tabs, CR, byte order mark or other encodings);
 * - none of `& * ! % | > ? @`, backquote or backslash anywhere (in quoted text too): no anchors,
 *   aliases, tags, directives, block scalars, explicit keys, escapes or reserved indicators;
 * - every line blank, a comment, `---` or `...` alone, `key: value`, `key:`, `- value` or `-`
 *   (dashes may precede a key; a value is a one-line scalar, `{}` or `[]`; a comment may end
 *   the line), under 1,000 characters (the `yaml` library refuses implicit keys over 1,024):
 *   so no scalar spans lines, and flow collections are only `{}` and `[]`; no `__proto__`;
 * - plain scalars read by go-yaml as a string, `true`/`false` (any case form go-yaml knows) or
 *   a decimal integer without sign, underscore or leading zero; everything else (`yes`, `n`,
 *   `on` and the other booleans the loader warns about, null words, `<<`, `.inf`, octal, hex,
 *   floats) leaves the subset;
 * - block structure as the full path reads it without error: each line's column either
 *   continues an open mapping or sequence, or opens one as the value of a key or dash that has
 *   none on its line (a sequence may sit at its key's column); no duplicate key (after
 *   resolution: `true` and `"true"` are one key), no content after `...` before `---`; empty
 *   documents only at the end of the file (the full path numbers documents after an empty
 *   one by rules not worth copying); no `List` (its items' lines come from the full path); no
 *   nesting deeper than `MAX_NESTING_DEPTH` (the full path words the limit).
 *
 * test/io/fast-yaml.test.ts compares both paths on generated documents with every kind of
 * nasty scalar.
 */
import { isSpecialFloatText, isBoolLikeText, resolveGoYamlNumber } from './go-yaml-schema';
import { MAX_NESTING_DEPTH } from './input-limits';
import { isList } from '../model/list-items';
import { BoundedCache } from '../private/bounded-cache';

/** One document read by the fast path. */
export interface FastDocument {
  /** The value; `null` for an empty document. */
  readonly value: unknown;
  /** The 1-based line where the document's content starts. */
  readonly line: number;
}

/**
 * Characters that take a file out of the subset wherever they are: anything but printable ASCII
 * and line feeds (tabs, CR, a byte order mark, other encodings), and the indicators of anchors,
 * aliases, tags, directives, block scalars, explicit keys, reserved indicators and escapes.
 */
const OUTSIDE_CHARACTERS = /[^\n -~]|[&*!%|>?@`\\]/;

/** A plain scalar on one line: no indicator first, no `: `, ` #` or flow indicator inside. */
const PLAIN = String.raw`(?:[^\s\-?:,\[\]{}#&*!|>'"%@\x60]|[-?:](?=\S))(?:[^\s:#\[\]{}]|:(?=\S)|[ ]+(?=[^\s#])|#)*`;
/** A scalar on one line: plain, or quoted and closed on the same line (no escapes: backslashes are outside). */
const SCALAR = String.raw`(?:${PLAIN}|"[^"\n\\]*"|'(?:[^'\n]|'')*')`;
/** The end of a line: spaces, and a comment after a space. */
const TAIL = String.raw`(?:[ ]+#[^\n]*)?[ ]*`;

/** The longest line read: the `yaml` library refuses implicit keys over 1,024 characters. */
const MAX_LINE = 1000;

/** A decimal integer whose reading is the same everywhere (no sign, underscore or leading zero; exact as a double). */
const PLAIN_DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;

const TRUE_WORDS: ReadonlySet<string> = new Set(['true', 'True', 'TRUE']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['false', 'False', 'FALSE']);
const NULL_WORDS: ReadonlySet<string> = new Set(['~', 'null', 'Null', 'NULL']);

/** Thrown by the line reader at anything outside the subset. */
class OutsideSubset extends Error {}

/** A plain scalar, as go-yaml reads it, when its reading is in the subset. */
function resolvePlain(text: string): unknown {
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  if (NULL_WORDS.has(text) || isBoolLikeText(text) || isSpecialFloatText(text) || text === '<<') throw new OutsideSubset();
  const first = text.charCodeAt(0);
  // go-yaml's number hint: a sign, a digit or a dot (as goYamlNumber's test)
  if (first === 0x2b || first === 0x2d || first === 0x2e || (first >= 0x30 && first <= 0x39)) {
    const value = resolveGoYamlNumber(text);
    if (typeof value === 'number' && !PLAIN_DECIMAL.test(text)) throw new OutsideSubset();
    return value;
  }
  return text;
}

/** A scalar at a position of a line (sticky). */
const SCALAR_AT = new RegExp(SCALAR, 'y');
/** The rest of a line after its last token: spaces, and a comment after a space (sticky, to the end of the line). */
const TAIL_AT = new RegExp(String.raw`${TAIL}(?=\n|$)`, 'y');

/** Where the scalar starting at `p` ends, or -1 when no scalar starts there. */
function scalarEnd(text: string, p: number): number {
  SCALAR_AT.lastIndex = p;
  return SCALAR_AT.test(text) ? SCALAR_AT.lastIndex : -1;
}

/** The remembered reading of a token outside the subset. */
const OUTSIDE = Symbol('outside the subset');

/**
 * The readings of short scalar tokens: the same few keys and values (`apiVersion`,
 * `NetworkPolicy`, `TCP`, `53`) recur in every document, and a reading depends on the token's
 * text alone (a string, boolean or number, or outside the subset). At most 10,000 tokens of at
 * most 64 characters (under a MiB), for the life of the process.
 */
const SCALARS = new BoundedCache<string, unknown>(10_000);
const MAX_CACHED_TOKEN = 64;

/** The value of a scalar token: quoted text unquoted (no escapes in the subset), plain text resolved. */
function scalarValue(token: string): unknown {
  const value = token.length <= MAX_CACHED_TOKEN ? SCALARS.get(token, readScalar) : readScalar(token);
  if (value === OUTSIDE) throw new OutsideSubset();
  return value;
}

function readScalar(token: string): unknown {
  try {
    return readScalarToken(token);
  } catch (err) {
    if (err instanceof OutsideSubset) return OUTSIDE;
    throw err;
  }
}

function readScalarToken(token: string): unknown {
  const first = token.charCodeAt(0);
  if (first === 0x22) return token.slice(1, -1); // "..."
  if (first === 0x27) return token.slice(1, -1).replace(/''/g, '\''); // '...'
  return resolvePlain(token.trimEnd());
}

/** A mapping key: the scalar's value as `sigs.k8s.io/yaml` writes a key (`true` is "true", 80 is "80"). */
function keyOf(token: string): string {
  return String(scalarValue(token));
}

/** An open collection: its column, its value, and the entry whose value may still come on the next lines. */
interface Frame {
  readonly col: number;
  readonly map?: Record<string, unknown>;
  readonly seq?: unknown[];
  /** The key (of a map) or index (of a sequence) whose value is empty so far. */
  pending?: string | number;
  /** A sequence that is the value of a key at the same column (`key:` then `- item` under it). */
  readonly underKey?: boolean;
}

/** One document being read. */
interface Doc { root?: unknown; line: number }

/**
 * The documents of a YAML text when it is in the subset, or `undefined` when the full path
 * must read it.
 *
 * @param text the text, without a byte order mark
 */
export function readSimpleYaml(text: string): FastDocument[] | undefined {
  if (OUTSIDE_CHARACTERS.test(text) || text.includes('__proto__')) return undefined;
  try {
    return readLines(text);
  } catch (err) {
    if (err instanceof OutsideSubset) return undefined;
    throw err;
  }
}

/**
 * Reads the lines of a text: each blank, a comment, `---` or `...` alone, or tokens (dashes, a
 * `key:`, a value: a one-line scalar, `{}` or `[]`) and a comment; throws OutsideSubset for
 * anything else.
 */
function readLines(text: string): FastDocument[] | undefined {
  const docs: Doc[] = [];
  let doc: Doc | undefined;
  let ended = false; // after `...`, until `---`
  let stack: Frame[] = [];
  let lineNo = 0;
  for (let start = 0; start <= text.length; lineNo++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = lineNo + 1;
    let p = start;
    const lineStart = start;
    start = end + 1;
    if (end - lineStart >= MAX_LINE) throw new OutsideSubset();
    if (text.startsWith('---', p) || text.startsWith('...', p)) {
      // a document marker, alone on its line (no other line starts like one): `---` starts a
      // document (empty if nothing follows), `...` ends one
      if (end - p !== 3) throw new OutsideSubset();
      ended = text.charCodeAt(p) === 0x2e;
      doc = ended ? undefined : { line: 0 };
      if (doc) docs.push(doc);
      stack = [];
      continue;
    }
    while (p < end && text.charCodeAt(p) === 0x20) p++;
    if (p === end || text.charCodeAt(p) === 0x23) continue; // blank, or a comment
    if (ended) throw new OutsideSubset(); // content after `...` without `---`
    if (!doc) {
      doc = { line: 0 };
      docs.push(doc);
    }
    let first = true;
    /** Where the key at `p` ends, when the look-ahead after a dash found it. */
    let keyEnd = -1;
    for (;;) {
      const col = p - lineStart;
      const dash = text.charCodeAt(p) === 0x2d && (p + 1 === end || text.charCodeAt(p + 1) === 0x20);
      let key: string | undefined;
      if (!dash) {
        const tokenEnd = keyEnd >= 0 ? keyEnd : scalarEnd(text, p);
        keyEnd = -1;
        if (tokenEnd < 0) throw new OutsideSubset();
        key = keyOf(text.slice(p, tokenEnd));
        p = tokenEnd;
        if (text.charCodeAt(p) !== 0x3a) throw new OutsideSubset(); // a bare scalar: only after a dash
        p++;
        if (p < end && text.charCodeAt(p) !== 0x20) throw new OutsideSubset(); // `"key":value`
      }
      const frame = place(doc, stack, col, dash, first, line);
      first = false;
      if (dash) {
        frame.seq!.push(null);
        frame.pending = frame.seq!.length - 1;
        p++;
      } else {
        if (Object.prototype.hasOwnProperty.call(frame.map, key!)) throw new OutsideSubset(); // a duplicate key
        frame.map![key!] = null;
        frame.pending = key;
      }
      while (p < end && text.charCodeAt(p) === 0x20) p++;
      if (p === end || text.charCodeAt(p) === 0x23) break; // the value comes on the next lines, or is empty
      const c = text.charCodeAt(p);
      const nested = (c === 0x2d && (p + 1 === end || text.charCodeAt(p + 1) === 0x20));
      if (dash && !nested) {
        // after a dash: a key (a compact mapping) or a value
        const tokenEnd = scalarEnd(text, p);
        if (tokenEnd >= 0 && text.charCodeAt(tokenEnd) === 0x3a) {
          keyEnd = tokenEnd;
          continue; // a key: the next token
        }
      }
      if (nested) {
        if (!dash) throw new OutsideSubset(); // `key: - x`
        continue;
      }
      // a value: a scalar, {} or [] (then the end of the line)
      let value: unknown;
      if (text.startsWith('{}', p)) {
        value = {};
        p += 2;
      } else if (text.startsWith('[]', p)) {
        value = [];
        p += 2;
      } else {
        const tokenEnd = scalarEnd(text, p);
        if (tokenEnd < 0) throw new OutsideSubset();
        value = scalarValue(text.slice(p, tokenEnd));
        p = tokenEnd;
      }
      if (p < end) {
        TAIL_AT.lastIndex = p;
        if (!TAIL_AT.test(text)) throw new OutsideSubset();
      }
      if (frame.seq) frame.seq[frame.pending as number] = value;
      else frame.map![frame.pending as string] = value;
      frame.pending = undefined;
      break;
    }
  }
  const out: FastDocument[] = [];
  let empty = false;
  for (const d of docs) {
    const value = d.root ?? null;
    if (value === null) empty = true;
    else if (empty || isList(value)) return undefined;
    out.push({ value, line: d.line });
  }
  return out;
}

/**
 * Finds the collection a token at a column goes into, closing the deeper ones and opening a new
 * one where the token starts a block (the root, the value of a pending key or dash, a sequence
 * under a key at the same column): the frame to add the dash's item or the key to.
 */
function place(doc: Doc, stack: Frame[], col: number, dash: boolean, first: boolean, line: number): Frame {
  if (first) {
    while (stack.length > 0 && stack[stack.length - 1].col > col) stack.pop();
    // a sequence under a key at the same column ends at the next key of that mapping
    if (!dash && stack.length > 0 && stack[stack.length - 1].col === col && stack[stack.length - 1].underKey) stack.pop();
  }
  const top = stack[stack.length - 1];
  if (top && top.col === col) {
    if (dash && top.seq) return top;
    if (!dash && top.map) return top;
    // `key:` then `- item` at the key's column: a sequence as the key's value
    if (dash && top.map && top.pending !== undefined) return open(stack, top, col, true, true);
    throw new OutsideSubset();
  }
  if (!top) {
    if (doc.root !== undefined) throw new OutsideSubset(); // a second root
    const frame: Frame = dash ? { col, seq: [] } : { col, map: {} };
    stack.push(frame);
    doc.root = frame.seq ?? frame.map;
    doc.line = line;
    return frame;
  }
  if (top.col > col || top.pending === undefined) throw new OutsideSubset(); // a line deeper than a value: not in the subset
  return open(stack, top, col, dash, false);
}

/** Opens a collection as the value of the pending entry of `parent`. */
function open(stack: Frame[], parent: Frame, col: number, seq: boolean, underKey: boolean): Frame {
  // documents at or near the nesting limit go the full way, which words the limit
  // (checkParsedValue's; the open collections are the nesting levels)
  if (stack.length >= MAX_NESTING_DEPTH - 1) throw new OutsideSubset();
  const frame: Frame = seq ? { col, seq: [], underKey } : { col, map: {} };
  const value = frame.seq ?? frame.map;
  if (parent.seq) parent.seq[parent.pending as number] = value;
  else parent.map![parent.pending as string] = value;
  parent.pending = undefined;
  stack.push(frame);
  return frame;
}
