import * as fs from 'fs';
import * as path from 'path';
import { fixture } from './run-cli';
import { writeChunks } from '../../../src/cli/io';
import { run } from '../../../src/cli/program';

describe('cli plumbing', () => {
  test('writeChunks batches small chunks into writes of at least batchSize characters', () => {
    const writes: string[] = [];
    writeChunks({ write: (s: string) => writes.push(s) }, ['ab', 'cd', 'ef', 'g'], 4);
    expect(writes).toEqual(['abcd', 'efg']);
    writeChunks({ write: (s: string) => writes.push(s) }, [], 4);
    expect(writes).toHaveLength(2);
  });

  test('an error that is not the user\'s is reported as a bug (exit 3), with the stack only under --debug', async () => {
    const runFailing = async (args: string[]) => {
      let stderr = '';
      const io = {
        stdout: { write: () => { throw new Error('disk full'); } },
        stderr: { write: (s: string) => (stderr += s) },
        readStdin: () => '',
      };
      return { code: await run(['node', 'zt', ...args], io), stderr };
    };
    const plain = await runFailing(['analyze', fixture('basic')]);
    expect(plain.code).toBe(70);
    expect(plain.stderr).toBe([
      'zt: internal error (a bug in zt, not a problem with your input): disk full',
      'zt: rerun with --debug for the stack trace, and please report it with that output.',
      '',
    ].join('\n'));
    const debug = await runFailing(['analyze', fixture('basic'), '--debug']);
    expect(debug.code).toBe(70);
    expect(debug.stderr).toMatch(/^zt: internal error \(a bug in zt, not a problem with your input\): disk full\nError: disk full\n {4}at /);
  });

  test('--debug is a global option: before or after the command, input errors also print the stack', async () => {
    for (const args of [['--debug', 'analyze', fixture('does-not-exist.yaml')], ['analyze', fixture('does-not-exist.yaml'), '--debug']]) {
      let stderr = '';
      const code = await run(['node', 'zt', ...args], { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, readStdin: () => '' });
      expect(code).toBe(1);
      expect(stderr).toMatch(/^zt: .*does-not-exist\.yaml:0: cannot read: ENOENT/);
      expect(stderr).toMatch(/^InvalidManifestsError: Invalid manifests \(1 issue\)/m);
      expect(stderr).toMatch(/^ {4}at /m);
    }
    let stderr = '';
    await run(['node', 'zt', 'analyze', fixture('does-not-exist.yaml')], { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, readStdin: () => '' });
    expect(stderr).not.toMatch(/ {4}at /);
  });

  test('main.ts is an executable script entry', () => {
    const main = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'src', 'cli', 'main.ts'), 'utf8');
    expect(main.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(main).toContain('run(process.argv)');
  });
});
