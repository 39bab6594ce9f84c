/**
 * Reads a file (or standard input) line by line in fixed-size chunks, so that an export of any size
 * costs one chunk and one line in memory. A line longer than `maxLineBytes` is refused with its
 * number, never buffered whole: one endless line must not exhaust memory either.
 */
import * as fs from 'fs';
import { formatByteSize } from '../analysis/input/limits';

/** Bytes read per system call. */
const CHUNK = 1024 * 1024;
const NEWLINE = 0x0a;

/** The default longest line: a Hubble flow is a few kilobytes; HTTP headers can make it larger. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/** A line longer than the limit: reading stopped there. */
export class LineTooLongError extends Error {
  constructor(readonly line: number, readonly limit: number) {
    super(`line ${line} is longer than ${formatByteSize(limit)} (reading stopped there); a Hubble flow record is one JSON object per line`);
    this.name = 'LineTooLongError';
  }
}

/** Blocks the thread for a few milliseconds: a non-blocking stdin with no data yet answers EAGAIN. */
function pause(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

function readChunk(fd: number, buffer: Buffer): number {
  for (;;) {
    try {
      return fs.readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        pause(5);
        continue;
      }
      if (code === 'EOF') return 0;
      throw error;
    }
  }
}

/** One line of the input, without its line break (a trailing `\r` is removed too), numbered from 1. */
export interface NumberedLine {
  readonly number: number;
  readonly text: string;
}

/**
 * The lines of an open file descriptor, decoded as UTF-8. `onBytes` is told how many bytes each chunk
 * held (for progress). Throws `LineTooLongError` for a line past `maxLineBytes`.
 */
export function* readLines(fd: number, maxLineBytes = DEFAULT_MAX_LINE_BYTES, onBytes?: (bytes: number) => void): Generator<NumberedLine> {
  const buffer = Buffer.allocUnsafe(CHUNK);
  /** The start of the current line, when it began in an earlier chunk. */
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let number = 0;
  const text = (bytes: Buffer): string => {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    return bytes.toString('utf8', 0, end);
  };
  for (;;) {
    const read = readChunk(fd, buffer);
    if (read === 0) break;
    onBytes?.(read);
    let start = 0;
    for (;;) {
      const end = buffer.indexOf(NEWLINE, start);
      if (end < 0 || end >= read) break;
      number++;
      if (pendingBytes + end - start > maxLineBytes) throw new LineTooLongError(number, maxLineBytes);
      const piece = buffer.subarray(start, end);
      if (pendingBytes > 0) {
        yield { number, text: text(Buffer.concat([...pending, piece])) };
        pending = [];
        pendingBytes = 0;
      } else {
        yield { number, text: text(piece) };
      }
      start = end + 1;
    }
    if (start < read) {
      pendingBytes += read - start;
      if (pendingBytes > maxLineBytes) throw new LineTooLongError(number + 1, maxLineBytes);
      // Copied: the buffer is reused by the next read.
      pending.push(Buffer.from(buffer.subarray(start, read)));
    }
  }
  if (pendingBytes > 0) yield { number: number + 1, text: text(Buffer.concat(pending)) };
}

/** The lines of a file by path, or of standard input for `-`. */
export function* readFileLines(file: string, maxLineBytes = DEFAULT_MAX_LINE_BYTES, onBytes?: (bytes: number) => void): Generator<NumberedLine> {
  if (file === '-') {
    yield* readLines(0, maxLineBytes, onBytes);
    return;
  }
  const fd = fs.openSync(file, 'r');
  try {
    yield* readLines(fd, maxLineBytes, onBytes);
  } finally {
    fs.closeSync(fd);
  }
}
