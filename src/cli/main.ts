#!/usr/bin/env node
import { run } from './program';

// `zt analyze ... | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

// exitCode rather than process.exit(): pending writes to a pipe must be flushed first.
run(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`zt: internal error, please report it: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
