/**
 * Reads a flow file line by line in bounded memory: a regular file only (never a FIFO, a device
 * or a socket, which can block forever), streamed in chunks, each line at most `maxLineBytes`
 * long (a longer one is reported and skipped, never held whole), CRLF and a leading BOM accepted.
 * Not part of the public API.
 */
import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import { InputReadError, ioMessage } from '../io/read-input';

/** One line: its number (from 1) and its text, or why it cannot be read. */
export interface NumberedLine {
  readonly line: number;
  readonly text?: string;
  readonly problem?: string;
}

const CHUNK_BYTES = 256 * 1024;

/** Opens a regular file for reading, or throws `InputReadError` with the reason. */
async function openRegular(file: string): Promise<fs.promises.FileHandle> {
  let handle: fs.promises.FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below
    handle = await fs.promises.open(file, fs.constants.O_RDONLY + fs.constants.O_NONBLOCK);
  } catch (err) {
    throw new InputReadError(`cannot read: ${ioMessage(err)}`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new InputReadError('cannot read: is a directory');
    if (!stat.isFile()) {
      const what = stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isSocket() ? 'a socket' : 'a device';
      throw new InputReadError(`is ${what}, not a regular file: give flow files, or "-" to read standard input`);
    }
    return handle;
  } catch (err) {
    await handle.close();
    if (err instanceof InputReadError) throw err;
    throw new InputReadError(`cannot read: ${ioMessage(err)}`);
  }
}

/** Yields the chunks of a regular file. */
async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  const handle = await openRegular(file);
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      let n: number;
      try {
        ({ bytesRead: n } = await handle.read(buffer, 0, CHUNK_BYTES, null));
      } catch (err) {
        throw new InputReadError(`cannot read: ${ioMessage(err)}`);
      }
      if (n === 0) return;
      yield buffer.subarray(0, n);
    }
  } finally {
    await handle.close();
  }
}

/**
 * The lines of a sequence of chunks: `\n` or `\r\n` ends a line; a UTF-8 BOM at the start is
 * dropped; a line longer than `maxLineBytes` (or not UTF-8) is a problem, its bytes not kept.
 */
export async function* splitLines(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, maxLineBytes: number): AsyncGenerator<NumberedLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let line = 0;
  let first = true;
  const finish = (last: Buffer): NumberedLine => {
    line++;
    if (tooLong) {
      const size = pendingBytes + last.length;
      pending = [];
      pendingBytes = 0;
      tooLong = false;
      return { line, problem: `the line is ${size.toLocaleString('en-US')} bytes long, more than the limit of ${maxLineBytes.toLocaleString('en-US')}: not read` };
    }
    let bytes = pending.length === 0 ? last : Buffer.concat([...pending, last]);
    pending = [];
    pendingBytes = 0;
    if (first) {
      first = false;
      if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    if (!isUtf8(bytes)) return { line, problem: 'the line is not valid UTF-8: not read' };
    return { line, text: bytes.toString('utf8') };
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      const part = chunk.subarray(start, nl);
      if (pendingBytes + part.length > maxLineBytes + 1) tooLong = true;
      yield finish(part);
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length === 0) continue;
    if (!tooLong && pendingBytes + rest.length > maxLineBytes + 1) {
      tooLong = true;
      pending = [];
    }
    if (!tooLong) pending.push(Buffer.from(rest)); // a copy: the chunk's buffer is not kept alive
    pendingBytes += rest.length;
  }
  if (pendingBytes > 0 || tooLong) yield finish(Buffer.alloc(0));
}

/**
 * The lines of a flow file (see `splitLines`), or of standard input for `-` (given as bytes).
 *
 * @throws InputReadError when the file cannot be opened or is not a regular file
 */
export function fileLines(file: string, maxLineBytes: number, stdin?: () => Uint8Array): AsyncGenerator<NumberedLine> {
  if (file === '-' && stdin) return splitLines([Buffer.from(stdin())], maxLineBytes);
  return splitLines(fileChunks(file), maxLineBytes);
}
