#!/usr/bin/env node
import { ExitCode, formatInternalError } from './errors';
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
  // run() reports every error itself; this is the last resort should reporting fail.
  (error: unknown) => {
    process.stderr.write(formatInternalError(error, process.argv.includes('--debug')));
    process.exitCode = ExitCode.INTERNAL;
  },
);
