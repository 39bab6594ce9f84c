import * as fs from 'fs';

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
  /** Reads all of standard input; used for the path `-`. */
  readonly readStdin: () => string;
}

/** The real process streams. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: () => fs.readFileSync(0, 'utf8'),
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
