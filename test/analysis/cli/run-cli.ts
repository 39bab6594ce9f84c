import * as path from 'path';
import { run } from '../../../src/cli/program';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'cli');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `zt ARGS...` in-process with captured streams. */
export async function zt(args: string[], options: { stdin?: string; tty?: boolean } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  let stdinReads = 0;
  const code = await run(['node', 'zt', ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { isTTY: options.tty ?? false, write: (s: string) => (stderr += s) },
    readStdin: () => {
      stdinReads++;
      if (options.stdin === undefined) throw new Error('test did not provide stdin');
      return stdinReads === 1 ? options.stdin : '';
    },
  });
  return { code, stdout, stderr };
}
