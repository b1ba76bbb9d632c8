/**
 * Reads the bytes of one input, within the size limit: a regular file (never a FIFO, a device
 * or a socket, which can block forever or never end), or standard input.
 */
import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import { MIB } from './input-limits';

/** A read that failed, with the message to show (without the file name). */
export class InputReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputReadError';
  }
}

/** A system error as a short phrase. */
export function ioMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ELOOP': return 'too many levels of symbolic links';
    case 'EBADF': return 'the file descriptor is closed';
    case 'EIO': return 'input/output error';
    default: return e?.message ?? String(err);
  }
}

function sizeText(bytes: number): string {
  return bytes >= MIB ? `${Math.round(bytes / MIB)} MiB` : `${bytes} bytes`;
}

function tooLarge(limit: number): InputReadError {
  return new InputReadError(`is larger than the limit of ${sizeText(limit)} per file; split it, or raise the limit with --max-file-size`);
}

/** Reads from an open descriptor until the end, refusing more than `limit` bytes. */
function readAll(fd: number, limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1 * MIB, limit + 1 - total));
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // a non-blocking pipe: wait for data
        continue;
      }
      if ((err as NodeJS.ErrnoException).code === 'EOF') break;
      throw err;
    }
    if (n === 0) break;
    total += n;
    if (total > limit) throw tooLarge(limit);
    chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

/**
 * Reads a regular file, refusing anything else and anything larger than `limit` bytes.
 *
 * @throws InputReadError with the reason
 */
export function readRegularFile(file: string, limit: number): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    throw new InputReadError(`cannot read: ${ioMessage(err)}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw new InputReadError('cannot read: is a directory');
    if (!stat.isFile()) {
      const what = stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isSocket() ? 'a socket' : 'a device';
      throw new InputReadError(`is ${what}, not a regular file: give files or directories, or "-" to read standard input`);
    }
    if (stat.size > limit) throw tooLarge(limit);
    return readAll(fd, limit);
  } catch (err) {
    if (err instanceof InputReadError) throw err;
    throw new InputReadError(`cannot read: ${ioMessage(err)}`);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads all of standard input (file descriptor 0), refusing more than `limit` bytes.
 *
 * @throws InputReadError when it is closed, unreadable or too large
 */
export function readStandardInput(limit: number): Buffer {
  try {
    return readAll(0, limit);
  } catch (err) {
    if (err instanceof InputReadError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EBADF') throw new InputReadError('cannot read: standard input is closed');
    if (code === 'EISDIR') throw new InputReadError('cannot read: standard input is a directory');
    throw new InputReadError(`cannot read: ${ioMessage(err)}`);
  }
}

/** The byte offset of the first byte that is not part of valid UTF-8, or -1. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    let need: number;
    let min: number;
    if (b < 0x80) { i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; } else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; } else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; } else return i;
    if (i + need >= n) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
