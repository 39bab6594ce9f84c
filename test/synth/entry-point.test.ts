/**
 * What a user sees when a program with invalid intent runs: one line per problem (construct path,
 * field, problem, fix) and a non-zero exit code, without a stack trace or a dump of the error.
 * Each test spawns node (ts-node, transpile-only): a few seconds each.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WRITTEN_FILES_LIST } from '../../src';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, 'fixtures', 'invalid-intent-app.ts');
const EXAMPLE = path.join(ROOT, 'examples', 'example-platform-app.ts');
const TS_NODE = require.resolve('ts-node/register/transpile-only');
const CDK8S_CLI = path.join(path.dirname(require.resolve('cdk8s-cli/package.json')), 'bin', 'cdk8s');

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function newDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-entry-'));
  scratch.push(dir);
  return dir;
}

/** Runs `node -r ts-node/register/transpile-only <args>` in `cwd`, writing to `<cwd>/dist`. */
function runNode(cwd: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['-r', TS_NODE, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CDK8S_OUTDIR: path.join(cwd, 'dist'), TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json') },
    timeout: 120_000,
  });
}

/** The lines every run must print: the summary, then one line per problem. */
const PROBLEM_LINES = [
  'cdk8s-zero-trust: 2 invalid declarations; nothing was synthesized:',
  expect.stringMatching(/^ {2}\[platform\/bad\] name: namespace name 'Bad_Name' .*\. Fix: \S.*$/),
  expect.stringMatching(/^ {2}\[platform\/web\/frontend\] allowTo\(#1\)\.ports\[0\]: .*port 0.*\. Fix: \S.*$/),
];

const STACK_FRAME = /^\s+at .*(:\d+:\d+\)?|<anonymous>\)?)$/m;

describe('a program with invalid intent', () => {
  test('with app.synthOrExit(): the problems, one per line, on stderr; exit code 1; nothing else', () => {
    const cwd = newDir();
    const result = runNode(cwd, [FIXTURE, 'synthOrExit']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual(PROBLEM_LINES);
    expect(fs.existsSync(path.join(cwd, 'dist'))).toBe(false);
  });

  test('with app.synth() and nothing caught: Node prints the problems, without stack frames or a dump of the issues', () => {
    const cwd = newDir();
    const result = runNode(cwd, [FIXTURE, 'synth']);
    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n');
    for (const line of PROBLEM_LINES.slice(1)) expect(lines).toContainEqual(line);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stderr).not.toMatch(/issues:|constructErrors:|\bpath: '/);
  });

  test('under `cdk8s synth`: the same lines, and a non-zero exit code (the CLI then adds its own error)', () => {
    const cwd = newDir();
    const app = `"${process.execPath}" -r "${TS_NODE}" "${FIXTURE}" synthOrExit`;
    const result = spawnSync(process.execPath, [CDK8S_CLI, 'synth', '--app', app, '--output', path.join(cwd, 'dist')], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json') },
      timeout: 120_000,
    });
    expect(result.status).not.toBe(0);
    const lines = result.stderr.split('\n');
    const start = lines.indexOf('cdk8s-zero-trust: 2 invalid declarations; nothing was synthesized:');
    expect(start).toBeGreaterThanOrEqual(0);
    expect(lines.slice(start, start + 3)).toEqual(PROBLEM_LINES);
    // Whatever follows is the CLI's report that the app failed; nothing of the program's error object.
    expect(lines[start + 3]).toMatch(/^Error: command .* returned a non-zero exit code 1$/);
    expect(result.stderr).not.toMatch(/ZeroTrustValidationError|issues:/);
  });
});

describe('the example platform run directly (`npm run synth`)', () => {
  test('writes into an existing dist/ and keeps the README.md a user put there', () => {
    const cwd = newDir();
    fs.mkdirSync(path.join(cwd, 'dist'));
    fs.writeFileSync(path.join(cwd, 'dist', 'README.md'), 'mine\n');
    const result = runNode(cwd, [EXAMPLE]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readdirSync(path.join(cwd, 'dist')).sort()).toEqual([
      WRITTEN_FILES_LIST,
      'README.md',
      'calico',
      'cilium',
      'delivery',
      'istio',
      'kubernetes',
      'kustomization.yaml',
      'platform',
      'targets',
      'zt-inventory.txt',
    ]);
    expect(fs.readFileSync(path.join(cwd, 'dist', 'README.md'), 'utf8')).toBe('mine\n');
  });
});
