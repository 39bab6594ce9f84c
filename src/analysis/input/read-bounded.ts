import * as fs from 'fs';
import { formatByteSize } from './limits';

/** Thrown when a file or standard input holds more than the limit; reading stopped at the limit. */
export class InputTooLargeError extends Error {
  constructor(
    /** The size when known (a regular file), or undefined when reading stopped at the limit (a pipe). */
    readonly size: number | undefined,
    readonly limit: number,
  ) {
    super(size === undefined
      ? `more than the ${formatByteSize(limit)} input limit (reading stopped there)`
      : `${formatByteSize(size)}, more than the ${formatByteSize(limit)} input limit`);
    this.name = 'InputTooLargeError';
  }
}

const CHUNK = 1024 * 1024;

/** Blocks the thread for a few milliseconds: a non-blocking stdin with no data yet answers EAGAIN. */
function pause(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

/**
 * Reads an open file descriptor as UTF-8, refusing more than `maxBytes`: a regular file by its size
 * before reading anything, a pipe or terminal by stopping one byte past the limit, so an endless
 * stdin costs at most the limit in memory.
 */
export function readBoundedSync(fd: number, maxBytes: number): string {
  const stat = fs.fstatSync(fd);
  if (stat.isFile() && stat.size > maxBytes) throw new InputTooLargeError(stat.size, maxBytes);
  // A regular file is read in one piece (one byte more, to see it did not grow); anything else in chunks.
  const chunkSize = stat.isFile() ? stat.size + 1 : CHUNK;
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(Math.min(chunkSize, maxBytes + 1 - total));
    let read: number;
    try {
      read = fs.readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        pause(5);
        continue;
      }
      // A closed or absent stdin reads as empty, like `readFileSync(0)` on Windows pipes.
      if (code === 'EOF') break;
      throw error;
    }
    if (read === 0) break;
    chunks.push(read === buffer.length ? buffer : buffer.subarray(0, read));
    total += read;
    if (total > maxBytes) throw new InputTooLargeError(undefined, maxBytes);
  }
  return chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, total).toString('utf8');
}

/** Reads a file by path with the same limit. */
export function readFileBoundedSync(file: string, maxBytes: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    return readBoundedSync(fd, maxBytes);
  } finally {
    fs.closeSync(fd);
  }
}
