/**
 * Name and label syntax checks, worded like apimachinery's validators
 * (`k8s.io/apimachinery/pkg/api/validate/content`), which the API server uses.
 *
 * Each function returns the list of problems with the value; an empty list means
 * the value is valid. Lengths are measured in UTF-8 bytes, as Go's `len()` does,
 * and the messages say "bytes" as current API servers do.
 */

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);

const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY_RE = new RegExp(`^${LABEL_KEY_FMT}$`);
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);

/** The longest DNS-1123 label, e.g. a namespace name. */
export const DNS1123_LABEL_MAX_LENGTH = 63;
/** The longest DNS-1123 subdomain, e.g. a NetworkPolicy name. */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
/** The longest name part of a label key, and the longest label value. */
export const LABEL_MAX_LENGTH = 63;
/** The longest port name (IANA_SVC_NAME). */
export const PORT_NAME_MAX_LENGTH = 15;

/** The length of a string in UTF-8 bytes, as Go's `len()` counts it. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** "must be no more than N bytes". */
export function maxLenError(length: number): string {
  return `must be no more than ${length} bytes`;
}

/** A regex failure message with examples, in apimachinery's form. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) {
    return `${msg} (regex used for validation is '${fmt}')`;
  }
  const eg = examples.map((e) => `'${e}', `).join('or ');
  return `${msg} (e.g. ${eg}regex used for validation is '${fmt}')`;
}

/** "must be between LO and HI, inclusive". */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** "must be non-empty". */
export function emptyError(): string {
  return 'must be non-empty';
}

/**
 * A lowercase RFC 1123 label (a namespace name): at most 63 bytes of `a-z`, `0-9`
 * and `-`, starting and ending with an alphanumeric character.
 */
export function isDns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) {
    errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  }
  if (!DNS1123_LABEL_RE.test(value)) {
    if (DNS1123_SUBDOMAIN_RE.test(value)) {
      // a valid subdomain but not a valid label: it has dots
      errs.push('must not contain dots');
    } else {
      errs.push(regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        DNS1123_LABEL_FMT, 'my-name', '123-abc'));
    }
  }
  return errs;
}

/** The DNS-1035 label pattern (a Service name): starts with a letter. */
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_RE = new RegExp(`^${DNS1035_LABEL_FMT}$`);

/**
 * An RFC 1035 label (a Service name): at most 63 bytes of `a-z`, `0-9` and `-`,
 * starting with a letter and ending with an alphanumeric character.
 */
export function isDns1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) {
    errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  }
  if (!DNS1035_LABEL_RE.test(value)) {
    errs.push(regexError(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
      DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  }
  return errs;
}

/**
 * A lowercase RFC 1123 subdomain (an object name, a label key prefix): at most 253
 * bytes of `a-z`, `0-9`, `-` and `.`, each dot-separated part a DNS-1123 label.
 */
export function isDns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  }
  if (!DNS1123_SUBDOMAIN_RE.test(value)) {
    errs.push(regexError(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
      DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

const LABEL_KEY_ERR_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/**
 * A qualified name, i.e. a label key: an optional DNS-1123 subdomain prefix and `/`,
 * then a name of at most 63 bytes matching `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) {
      errs.push(`prefix part ${emptyError()}`);
    } else {
      errs.push(...isDns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
    }
  } else {
    errs.push(`a valid label key ${regexError(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`
      + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    return errs;
  }
  if (name.length === 0) {
    errs.push(`name part ${emptyError()}`);
  } else if (byteLength(name) > LABEL_MAX_LENGTH) {
    errs.push(`name part ${maxLenError(LABEL_MAX_LENGTH)}`);
  }
  if (!LABEL_KEY_RE.test(name)) {
    errs.push(`name part ${regexError(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

/**
 * A label value: empty, or at most 63 bytes matching `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
 */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_MAX_LENGTH) {
    errs.push(maxLenError(LABEL_MAX_LENGTH));
  }
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(regexError(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/**
 * A port name (IANA_SVC_NAME, RFC 6335, lowercase only): 1 to 15 characters of
 * `a-z`, `0-9` and `-`, at least one letter, no `--`, no leading or trailing `-`.
 * A quoted number such as `"80"` is therefore not a valid port name.
 */
export function isIanaSvcName(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > PORT_NAME_MAX_LENGTH) {
    errs.push(maxLenError(PORT_NAME_MAX_LENGTH));
  }
  if (!/^[-a-z0-9]+$/.test(value)) {
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  }
  if (!/[a-z]/.test(value)) {
    errs.push('must contain at least one letter (a-z)');
  }
  if (value.includes('--')) {
    errs.push('must not contain consecutive hyphens');
  }
  if (value.length > 0 && (value.startsWith('-') || value.endsWith('-'))) {
    errs.push('must not begin or end with a hyphen');
  }
  return errs;
}

/**
 * The check the API server applies to `metadata.generateName` of a DNS-subdomain
 * named object: a trailing `-` is allowed because random characters are appended.
 */
export function isDns1123SubdomainPrefix(value: string): string[] {
  // apimachinery's maskTrailingDash: replace the last two characters with "a"
  const masked = value.endsWith('-') ? value.slice(0, Math.max(0, value.length - 2)) + 'a' : value;
  return isDns1123Subdomain(masked);
}
