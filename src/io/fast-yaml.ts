/**
 * The manifest loader's fast path: documents in a subset of YAML whose reading is certain are
 * read with js-yaml (about 10x faster than the `yaml` library's parser, which keeps a concrete
 * syntax tree of every token), and give exactly what the full path (`yaml` with the go-yaml
 * schema of `go-yaml-schema.ts`) gives: the same values, the same document indexes and lines,
 * and no warnings or errors. Anything outside the subset makes the whole file go the full way,
 * so that every message, warning and limit stays the full path's own.
 *
 * The subset, checked on the text before parsing and on every plain scalar while parsing:
 * - printable ASCII and line feeds only (no tabs, CR, byte order mark or other encodings);
 * - none of `& * ! % | > ? @`, backquote or backslash anywhere (in quoted text too): no anchors,
 *   aliases, tags, directives, block scalars, explicit keys, escapes or reserved indicators;
 * - every line blank, a comment, `---` or `...` alone, `key: value`, `key:`, `- value` or `-`
 *   (dashes may precede a key), under 1,000 characters (the `yaml` library refuses implicit
 *   keys over 1,024): so no scalar spans lines, and flow collections are only `{}` and `[]`;
 *   no `__proto__`;
 * - plain scalars read by go-yaml as a string, `true`/`false` (any case form go-yaml knows) or
 *   a decimal integer without sign, underscore or leading zero; everything else (`yes`, `n`,
 *   `on` and the other booleans the loader warns about, null words, `<<`, `.inf`, octal, hex,
 *   floats) leaves the subset;
 * - no duplicate key (js-yaml refuses them), empty documents only at the end of the file (the
 *   libraries number documents after an empty one alike only there), no `List` (its items'
 *   lines come from the full path), no nesting deeper than `MAX_NESTING_DEPTH` (the full path
 *   words the limit).
 *
 * test/io/fast-yaml.test.ts compares both paths on generated documents with every kind of
 * nasty scalar.
 */
import * as jsyaml from 'js-yaml';
import { isSpecialFloatText, isBoolLikeText, resolveGoYamlNumber } from './go-yaml-schema';
import { MAX_NESTING_DEPTH } from './input-limits';
import { isList } from '../model/list-items';

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
/** A value on the line of its key or dash: a scalar, or the empty flow collections. */
const VALUE = String.raw`(?:${SCALAR}|\{\}|\[\])`;
/** The end of a line: spaces, and a comment after a space. */
const TAIL = String.raw`(?:[ ]+#[^\n]*)?[ ]*`;
/**
 * The lines of the subset, each shorter than 1,000 characters: a document marker alone (no
 * other line starts like one), blank, a comment, `key: value` or `key:` (after dashes of sequence items, if any), or a dash with
 * a value or none. So no scalar spans lines (multi-line plain and quoted scalars are read
 * differently by the two libraries when their continuation lines are less indented).
 */
const LINE = String.raw`---|\.\.\.|(?!---|\.\.\.)(?![^\n]{1000}) *(?:#[^\n]*|(?:-[ ]+)*${SCALAR}:(?:[ ]+${VALUE})?${TAIL}|-(?:[ ]+-)*(?:[ ]+${VALUE})?${TAIL}|)`;
/** Matches at the start of the first line outside the subset. */
const OUTSIDE_LINE = new RegExp(String.raw`^(?!(?:${LINE})$)`, 'm');

/** A decimal integer whose reading is the same everywhere (no sign, underscore or leading zero; exact as a double). */
const PLAIN_DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;

const TRUE_WORDS: ReadonlySet<string> = new Set(['true', 'True', 'TRUE']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['false', 'False', 'FALSE']);
const NULL_WORDS: ReadonlySet<string> = new Set(['~', 'null', 'Null', 'NULL']);

/** Thrown inside js-yaml when a plain scalar is outside the subset. */
class OutsideSubset extends Error {}

/** A plain scalar, as go-yaml reads it, when its reading is in the subset. */
function resolvePlain(text: string | null): unknown {
  if (typeof text !== 'string') throw new OutsideSubset();
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

/** Every plain scalar: resolved by `resolvePlain` (js-yaml resolves no other scalar implicitly). */
const GO_YAML_PLAIN = new jsyaml.Type('tag:cdk8s-netpol:plain', {
  kind: 'scalar',
  resolve: () => true,
  construct: resolvePlain,
});

/** js-yaml's failsafe schema (strings, sequences, mappings) with go-yaml's plain scalars. */
const SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: [GO_YAML_PLAIN] });

/**
 * The documents of a YAML text when it is in the subset, or `undefined` when the full path
 * must read it.
 *
 * @param text the text, without a byte order mark
 */
export function readSimpleYaml(text: string): FastDocument[] | undefined {
  if (OUTSIDE_CHARACTERS.test(text) || text.includes('__proto__') || OUTSIDE_LINE.test(text)) return undefined;
  const lines: number[] = [];
  let depth = 0;
  let values: unknown[];
  try {
    values = jsyaml.loadAll(text, undefined, {
      schema: SCHEMA,
      json: false,
      // deeper documents go the full way, which words the limit (js-yaml 4.3's option). Nodes
      // deeper than the limit, leaves included, are refused, so every document read here passes
      // checkParsedValue: no container deeper than the limit, no cycle (no aliases), and no
      // number JSON cannot hold (plain decimals only)
      maxDepth: MAX_NESTING_DEPTH,
      listener: (event, state) => {
        // the root node of a document opens where its content starts
        if (event === 'close') depth--;
        else if (depth++ === 0) lines.push(state.line + 1);
      },
    } as jsyaml.LoadOptions);
  } catch {
    return undefined; // outside the subset, or not valid YAML: the full path says why
  }
  if (lines.length !== values.length) return undefined;
  const docs: FastDocument[] = [];
  let empty = false;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? null;
    if (value === null) {
      empty = true;
    } else if (empty || isList(value)) {
      return undefined;
    }
    docs.push({ value, line: lines[i] });
  }
  return docs;
}
