/**
 * YAML read as kubectl reads it.
 *
 * kubectl (and Helm, and the API machinery's YAML decoder) reads YAML with go-yaml v2 through
 * `sigs.k8s.io/yaml`, which turns each document into JSON before decoding it. go-yaml v2 resolves
 * plain (unquoted) scalars with its own rules, close to YAML 1.1 but not equal to it. The `yaml`
 * library's `1.1` mode follows the YAML 1.1 type repository instead. Where the two differ, this
 * schema follows go-yaml, so that a manifest means here what it means to `kubectl apply`:
 *
 * | Plain scalar | YAML 1.1 (`yaml` library) | go-yaml v2 (kubectl), and here |
 * |---|---|---|
 * | `1:20`, `1:20.5` (base 60) | the numbers 80 and 80.5 | the strings `"1:20"`, `"1:20.5"` |
 * | `0o17`, `0O17`, `0X1F`, `0B101` | strings | the numbers 15, 31, 5 (Go's `ParseInt` with base 0) |
 * | `017`, `0x1F`, `0b101`, `1_000` | 15, 31, 5, 1000 | the same |
 * | `08`, `09` | 8, 9 | 8, 9 (a float in Go; the same JSON number) |
 * | `.`, `-.`, `+._` | NaN | strings |
 * | `1e400`, out of range | Infinity | the string `"1e400"` |
 * | `.inf`, `-.inf`, `.nan` | Infinity, NaN | Infinity, NaN, which `sigs.k8s.io/yaml` cannot write as JSON: kubectl fails, and so does reading here (see `checkParsedValue`) |
 * | `2001-12-14`, timestamps | dates | the strings as written (go-yaml keeps implicit timestamps as strings) |
 * | `!!binary` | bytes | the decoded bytes as a string |
 * | `!!float 8080`, `!!float "8080"` | the string `"8080"` | the number 8080 (an integer is a valid `!!float`; the tag wins over quotes) |
 * | `!!float abc`, `!!int 80.5` | strings | errors: "cannot decode !!str `abc` as a !!float" |
 * | `!!set`, `!!omap`, `!!pairs` | Set, Map, pairs | not special: a mapping or a sequence |
 * | `y`, `n`, `yes`, `no`, `on`, `off` (any of their case forms) | booleans | booleans (the same list) |
 * | `~`, `null`, `Null`, `NULL`, empty | null | null |
 * | `<<` merge keys | merged | merged |
 * | integers beyond 64 bits | a number | a number (Go reads them as floats) |
 *
 * Map keys that are not strings become strings as `sigs.k8s.io/yaml` writes them: `n:` is the
 * key `"false"`, `1:` the key `"1"`. Since a YAML 1.1 boolean where a string was meant (a label
 * `n`, a namespace `y`) is a common slip, the loader warns about those (see `BoolLikeScalar`).
 */
import { isScalar, ScalarTag, Tags } from 'yaml';

const YAML_INT = 'tag:yaml.org,2002:int';
const YAML_FLOAT = 'tag:yaml.org,2002:float';
const YAML_BINARY = 'tag:yaml.org,2002:binary';
const YAML_TIMESTAMP = 'tag:yaml.org,2002:timestamp';
const YAML_SET = 'tag:yaml.org,2002:set';
const YAML_OMAP = 'tag:yaml.org,2002:omap';
const YAML_PAIRS = 'tag:yaml.org,2002:pairs';

/** The `yamlStyleFloat` expression of go-yaml v2's resolver. */
const GO_YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What Go's `strconv.ParseInt(s, 0, 64)` accepts (after go-yaml removed the underscores). */
const GO_INT_BASE_0 = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's `ParseInt(s, 0, 64)`, then `ParseUint(s, 0, 64)`: the value, or undefined when neither accepts it. */
function goParseInt(plain: string): number | undefined {
  const m = GO_INT_BASE_0.exec(plain);
  if (!m) return undefined;
  const [, sign, digits] = m;
  let literal = digits.toLowerCase();
  if (/^0[0-7]+$/.test(literal)) literal = `0o${literal.slice(1)}`; // Go's leading-zero octal
  let value = BigInt(literal);
  if (sign === '-') value = -value;
  const fits = (value >= INT64_MIN && value <= INT64_MAX) || (sign === '' && value >= 0n && value <= UINT64_MAX);
  if (!fits) return undefined;
  const n = Number(value);
  return n === 0 ? 0 : n; // never -0
}

/**
 * Resolves a plain scalar that starts like a number as go-yaml v2 does: the number, or the text
 * itself when go-yaml reads it as a string.
 */
export function resolveGoYamlNumber(text: string): number | string {
  if (text.startsWith('.')) {
    // go-yaml's '.' hint: a float such as .5, or a string
    if (!GO_YAML_FLOAT.test(text)) return text;
    const f = Number(text);
    return Number.isFinite(f) ? f : text;
  }
  const plain = text.replace(/_/g, '');
  const int = goParseInt(plain);
  if (int !== undefined) return int;
  if (GO_YAML_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return f;
  }
  return text;
}

/** Every plain scalar that starts with a sign, a digit or a dot, resolved as go-yaml v2 does. */
const goYamlNumber: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: YAML_INT,
  test: /^[-+.0-9]/,
  resolve: (text) => resolveGoYamlNumber(text),
};

/** `.inf`, `-.inf`, `.nan` (go-yaml's map of special floats): read, then refused by `checkParsedValue`. */
const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** Whether a plain scalar is one of go-yaml's special floats (`.inf`, `-.inf`, `.nan`, ...). */
export function isSpecialFloatText(text: string): boolean {
  return SPECIAL_FLOAT.test(text);
}

function resolveSpecialFloat(text: string): number {
  return /nan/i.test(text) ? NaN : text.startsWith('-') ? -Infinity : Infinity;
}

const goYamlSpecialFloat: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: YAML_FLOAT,
  test: SPECIAL_FLOAT,
  resolve: resolveSpecialFloat,
};

/**
 * What a scalar with an explicit `!!float` or `!!int` tag is, as go-yaml v2's `resolve(tag, in)`
 * makes it: the text is resolved as if it were plain, then must be of the tag's type, except
 * that an integer is a valid `!!float` (`!!float 8080` is 8080, `!!float "8080"` too: the tag
 * wins over the quotes). Anything else fails, as kubectl fails: "cannot decode !!str `abc` as a
 * !!float".
 */
function explicitNumber(kind: 'float' | 'int') {
  return (text: string, onError: (message: string) => void): unknown => {
    const special = SPECIAL_FLOAT.test(text);
    const value = special ? resolveSpecialFloat(text) : /^[-+.0-9]/.test(text) ? resolveGoYamlNumber(text) : text;
    // what go-yaml resolves the text to when plain: an int (Go's ParseInt), a float, or a string
    const found = typeof value !== 'number' ? 'str' : !special && goParseInt(text.replace(/_/g, '')) !== undefined ? 'int' : 'float';
    if (found === kind || (kind === 'float' && found === 'int')) return value;
    onError(`cannot decode !!${found} \`${text.length > 40 ? `${text.slice(0, 40)}...` : text}\` as a !!${kind} (go-yaml, as kubectl reads it); `
      + `remove the tag, or write a ${kind === 'int' ? 'whole number' : 'number'}`);
    return text;
  };
}

/** `!!float`, explicitly: go-yaml's resolution (`explicitNumber`). */
const goYamlExplicitFloat: ScalarTag = {
  identify: () => false,
  default: false,
  tag: YAML_FLOAT,
  resolve: explicitNumber('float'),
};

/** `!!int`, explicitly: go-yaml's resolution (`explicitNumber`). */
const goYamlExplicitInt: ScalarTag = {
  identify: () => false,
  default: false,
  tag: YAML_INT,
  resolve: explicitNumber('int'),
};

/** `!!binary`: the decoded bytes, as a string (go-yaml decodes into a string). */
const goYamlBinary: ScalarTag = {
  identify: () => false,
  default: false,
  tag: YAML_BINARY,
  resolve: (text) => Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8'),
};

/** The 1.1 tags replaced or dropped: numbers, timestamps, binary, and the collection types go-yaml does not have. */
function isReplaced(tag: Tags[number]): boolean {
  const name = (tag as { tag?: string }).tag;
  return name === YAML_INT || name === YAML_FLOAT || name === YAML_TIMESTAMP || name === YAML_BINARY
    || name === YAML_SET || name === YAML_OMAP || name === YAML_PAIRS;
}

/**
 * The tags of the schema: YAML 1.1's null, booleans, strings, mappings, sequences and merge keys,
 * with go-yaml's numbers, special floats and binary in place of YAML 1.1's numbers, timestamps
 * and binary. Pass as `customTags` with `version: '1.1'`.
 */
export function goYamlTags(tags: Tags): Tags {
  // the explicit-tag forms first: an explicit !!float or !!int takes the first tag of that name
  // that is not a default (implicit) one
  return [goYamlExplicitFloat, goYamlExplicitInt, ...tags.filter((t) => !isReplaced(t)), goYamlSpecialFloat, goYamlNumber, goYamlBinary];
}

/** The texts go-yaml reads as booleans and people often mean as strings (`true`/`false` excluded). */
const BOOL_LIKE = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** Whether a plain scalar is a `y`/`n`/`yes`/`no`/`on`/`off` (any case form go-yaml knows), which go-yaml reads as a boolean. */
export function isBoolLikeText(text: string): boolean {
  return BOOL_LIKE.test(text);
}

/** Whether a parsed scalar node is a plain `y`/`n`/`yes`/`no`/`on`/`off` read as a boolean. */
export function isBoolLikeScalar(node: unknown): boolean {
  return isScalar(node) && typeof node.value === 'boolean' && node.type === 'PLAIN'
    && typeof node.source === 'string' && BOOL_LIKE.test(node.source);
}
