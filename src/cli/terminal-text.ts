/**
 * Text from the input shown to people: control characters escaped, so that a crafted name (one
 * holding a newline, a carriage return or a terminal escape) can neither forge a line of output
 * ("1 valid, 0 invalid") nor drive the terminal.
 */

/** C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators and bidirectional overrides. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, but leaving newlines (and tabs) alone: for multi-line text the program composed. */
const CONTROL_BUT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  switch (c) {
    case '\n': return '\\n';
    case '\r': return '\\r';
    case '\t': return '\\t';
    default: return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/** One value of the input (a name, a file name) made safe to print on one line. */
export function printable(text: string): string {
  return text.replace(CONTROL, escapeChar);
}

/**
 * Multi-line text composed by the program from values it has checked, made safe to print: every
 * control character but the newline and the tab escaped.
 */
export function printableLines(text: string): string {
  return text.replace(CONTROL_BUT_NEWLINE, escapeChar);
}

/**
 * Multi-line text composed by the library (a lint report, an explanation) made safe to print:
 * control characters escaped as in `printableLines`, and every line cut to `max` characters.
 */
export function printableReport(text: string, max: number = MAX_MESSAGE_LENGTH): string {
  return printableLines(text).split('\n').map((line) => (line.length <= max ? line : `${line.slice(0, max)}... (${line.length - max} more characters)`)).join('\n');
}

/** The longest line of a message the command line prints, in characters. */
export const MAX_MESSAGE_LENGTH = 2000;

/** A one-line message, control characters escaped and cut to `max` characters. */
export function oneLine(text: string, max: number = MAX_MESSAGE_LENGTH): string {
  const safe = printable(text);
  return safe.length <= max ? safe : `${safe.slice(0, max)}... (${safe.length - max} more characters)`;
}
