import { readBoundedSync } from '../analysis/input/read-bounded';

/** Where the CLI writes; a subset of `process.stdout` so tests can pass string buffers. */
export interface OutputStream {
  /** When true on stderr, a one-line progress status is shown while the analysis runs. */
  readonly isTTY?: boolean;
  write(chunk: string): unknown;
}

/** Everything the CLI touches outside the file system: injected so `run()` works in-process in tests. */
export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /**
   * Reads standard input (for the path `-`), at most `maxBytes` bytes: past them it throws
   * `InputTooLargeError` without reading on, so an endless stream cannot exhaust memory.
   */
  readonly readStdin: (maxBytes: number) => string;
}

/** The real process streams. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: (maxBytes) => readBoundedSync(0, maxBytes),
  };
}

/**
 * Writes many small chunks as few large writes: a million JSON verdicts are a million chunks, and a
 * write per chunk costs more than producing them.
 */
export function writeChunks(out: OutputStream, chunks: Iterable<string>, batchSize = 1_048_576): void {
  let buffer: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    buffer.push(chunk);
    size += chunk.length;
    if (size >= batchSize) {
      out.write(buffer.join(''));
      buffer = [];
      size = 0;
    }
  }
  if (buffer.length > 0) out.write(buffer.join(''));
}
