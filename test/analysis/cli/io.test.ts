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

  test('an error that is not the user\'s is not disguised as an exit code', async () => {
    const io = {
      stdout: { write: () => { throw new Error('disk full'); } },
      stderr: { write: () => true },
      readStdin: () => '',
    };
    await expect(run(['node', 'zt', 'analyze', fixture('basic')], io)).rejects.toThrow('disk full');
  });

  test('main.ts is an executable script entry', () => {
    const main = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'src', 'cli', 'main.ts'), 'utf8');
    expect(main.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(main).toContain('run(process.argv)');
  });
});
