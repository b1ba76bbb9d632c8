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

/**
 * Reads from an open descriptor until the end, refusing more than `limit` bytes. The chunks start
 * at `firstChunk` bytes and double up to 1 MiB: a read that usually finds nothing (the end of a
 * file already read) costs no large buffer.
 */
function readAll(fd: number, limit: number, firstChunk: number = MIB): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let chunkSize = firstChunk;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(chunkSize, limit + 1 - total));
    chunkSize = Math.min(chunkSize * 2, MIB);
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
 * Reads a file whose size is known into one buffer of that size (no chunks to concatenate, so a
 * large file is held once, not twice), then whatever it grew by since, within the limit.
 */
function readKnownSize(fd: number, size: number, limit: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  let offset = 0;
  while (offset < size) {
    const n = fs.readSync(fd, buffer, offset, size - offset, null);
    if (n === 0) break;
    offset += n;
  }
  if (offset < size) return buffer.subarray(0, offset);
  // a small first chunk: this read finds nothing for a file that did not grow (one 1 MiB buffer per file was most of the reading's cost)
  const rest = readAll(fd, limit - size, 1024);
  return rest.length === 0 ? buffer : Buffer.concat([buffer, rest]);
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
    fd = fs.openSync(file, fs.constants.O_RDONLY + fs.constants.O_NONBLOCK); // the flags are distinct bits
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
    return readKnownSize(fd, stat.size, limit);
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

/**
 * The byte offset of the first byte that is not part of valid UTF-8, or -1. Decoding replaces each
 * invalid sequence with U+FFFD, so re-encoding gives back the same bytes up to the first invalid one.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  const original = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const again = Buffer.from(original.toString('utf8'), 'utf8');
  const block = 64 * 1024;
  for (let start = 0; start < original.length; start += block) {
    const end = Math.min(original.length, start + block);
    if (again.length >= end && original.subarray(start, end).equals(again.subarray(start, end))) continue;
    for (let i = start; i < end; i++) {
      if (original[i] !== again[i]) return i;
    }
  }
  return original.length;
}
