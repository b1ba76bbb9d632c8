/**
 * Text from the input (names of pods, workloads, namespaces, endpoints) written into an output
 * format, escaped for the reader of that format: the one place every writer (`netpol list`,
 * `diff`, `matrix`, the probe plan, the lint report) escapes with, so that no name can become
 * markup, a formula, or a break in a graph.
 *
 * Names the API server accepts (`[a-z0-9.-]`, `/` between namespace and name) and the
 * library's own texts (`TCP 80, 443; UDP 53`, `10.0.0.0-10.255.255.255`) are written as they
 * are; anything else is made inert:
 * - Markdown (a pull-request comment): a code span that cannot be broken (its fence is longer
 *   than any run of backticks inside), so HTML (`<!-- -->`, `<details>`, `<img>`), links, images,
 *   emphasis and `@mentions` are shown, never rendered or notified; in a table, `|` is escaped too.
 * - CSV (a spreadsheet): a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets
 *   a leading `'`, as OWASP recommends against formula injection, and the cell is quoted.
 * - Mermaid: a quoted label whose every other character is an entity code (`#quot;`, `#60;`).
 * - Graphviz dot: a quoted ID with `\` and `"` escaped.
 * Control characters are shown as escapes (`\n`, `\u001b`) in every format.
 *
 * @see https://owasp.org/www-community/attacks/CSV_Injection
 */

/** C0 controls, DEL, C1 controls, the Unicode line and paragraph separators and bidirectional overrides. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeControl(c: string): string {
  switch (c) {
    case '\n': return '\\n';
    case '\r': return '\\r';
    case '\t': return '\\t';
    default: return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/** Control characters shown as escapes (`\n`, `\u001b`), so no name can break a line of any format. */
export function withoutControls(text: string): string {
  return text.replace(CONTROL, escapeControl);
}

/**
 * What Markdown reads as plain text anywhere but at the start of a line: letters, digits, space
 * and `. / : , ; -` (names, addresses, address ranges and port sets are made of these), and
 * `" ' ( ) = + >` (the library's own phrases). No `<`, `&`, `[`, `!`, `*`, `_`, `` ` ``, `@`, `|`
 * or `\`: nothing that opens HTML, an entity, a link, an image, emphasis, code or a mention.
 */
const PLAIN = /^[A-Za-z0-9 ./:,;"'()=+>-]*$/;

/**
 * A Markdown code span that nothing inside can end or break: the fence is one backtick longer
 * than the longest run of backticks in the text, with a space inside it when the text starts or
 * ends with a backtick or a space (CommonMark strips one).
 */
export function markdownCode(text: string): string {
  const safe = withoutControls(text);
  let longest = 0;
  for (const run of safe.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(safe) ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}

/** A value as Markdown text outside a table: as it is when plain, else an unbreakable code span. */
export function markdownText(text: string): string {
  return PLAIN.test(text) && text !== '' ? text : markdownCode(text);
}

/**
 * A value as the cell of a Markdown (GFM) table: as it is when plain, else an unbreakable code
 * span with `|` escaped (GFM splits cells on `|` before it reads code spans; `\|` shows as `|`).
 */
export function markdownCell(text: string): string {
  return PLAIN.test(text) ? text : markdownCode(text).replace(/\|/g, '\\|');
}

/** A value as one CSV field (RFC 4180 quoting), neutralised against formula injection (OWASP). */
export function csvField(text: string): string {
  const neutral = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(neutral) || neutral !== text ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}

/**
 * A value inside a quoted Mermaid label (`["..."]`, `|"..."|`): every character that is not plain
 * text as an entity code, so that no name can close the label, add a node, or carry HTML or
 * Markdown into the rendered graph.
 */
export function mermaidLabel(text: string): string {
  let out = '';
  for (const c of text) {
    if (c === '"') out += '#quot;';
    else if (/^[A-Za-z0-9 ./:,;-]$/.test(c)) out += c;
    else out += `#${c.codePointAt(0)};`;
  }
  return out;
}

/** A Graphviz dot ID, quoted: `\` and `"` escaped, control characters shown as escapes. */
export function dotId(text: string): string {
  return `"${withoutControls(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
