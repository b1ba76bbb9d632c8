/**
 * Bytes of an input file as text, decoded as kubectl decodes them (cli-runtime's `FileVisitor`
 * reads every file through `unicode.BOMOverride(unicode.UTF8.NewDecoder())`): a UTF-8 byte order
 * mark is dropped, a UTF-16 byte order mark (little- or big-endian) switches to UTF-16, and
 * anything else is UTF-8. UTF-16 without a byte order mark is what kubectl cannot read either
 * (it sees NUL bytes): it is refused, saying so.
 */
import { firstInvalidUtf8Offset } from './read-input';

/** Text decoded from bytes, or why it cannot be. */
export interface DecodedText {
  /** The text (empty when `problem` is set). */
  readonly text: string;
  /** The encoding read: `UTF-8`, `UTF-16LE` or `UTF-16BE`. */
  readonly encoding: string;
  /** Why the bytes are refused (no file name), e.g. UTF-16 without a byte order mark. */
  readonly problem?: string;
  /** What was read but is probably not what the file means (invalid UTF-8). */
  readonly warning?: string;
}

/** Whether bytes without a byte order mark look like UTF-16 text: NUL in every other byte of the start. */
function looksLikeUtf16(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | undefined {
  const n = Math.min(bytes.length - (bytes.length % 2), 512);
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= pairs * 0.6 && evenZeros === 0) return 'UTF-16LE';
  if (evenZeros >= pairs * 0.6 && oddZeros === 0) return 'UTF-16BE';
  return undefined;
}

/**
 * Decodes the bytes of one file as kubectl does (see the module comment).
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (bytes.length >= 2 && ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff))) {
    const encoding = b0 === 0xff ? 'UTF-16LE' : 'UTF-16BE';
    // invalid sequences become U+FFFD, as in Go's decoder
    const text = new TextDecoder(encoding.toLowerCase(), { ignoreBOM: false }).decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, encoding };
  }
  const utf16 = looksLikeUtf16(bytes);
  if (utf16) {
    return {
      text: '',
      encoding: 'UTF-8',
      problem: `looks like ${utf16} text without a byte order mark, which kubectl cannot read either (it reads such a file as UTF-8 `
        + 'and fails on the NUL bytes): convert it to UTF-8 (iconv -f UTF-16 -t UTF-8), or save it as UTF-16 with a byte order mark',
    };
  }
  const bad = firstInvalidUtf8Offset(bytes);
  const warning = bad >= 0
    ? `is not valid UTF-8 (first bad byte at offset ${bad}); such bytes are read as U+FFFD, so names and values there are not what the file holds`
    : undefined;
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  return warning ? { text, encoding: 'UTF-8', warning } : { text, encoding: 'UTF-8' };
}
