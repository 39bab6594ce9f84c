/**
 * The project's own tasks (.projen/tasks.json, generated from .projenrc.ts): `npm test` checks and
 * never rewrites sources; `npm run synth` runs the example's app directly, not through `cdk8s synth`.
 */
import * as fs from 'fs';
import * as path from 'path';

interface Step {
  readonly exec?: string;
  readonly execArgs?: readonly string[];
  readonly spawn?: string;
}
interface Task {
  readonly steps?: readonly Step[];
  readonly env?: Record<string, string>;
}

const ROOT = path.resolve(__dirname, '..', '..');
const TASKS = (JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')) as { tasks: Record<string, Task> }).tasks;

/** Every command a task runs, following `spawn` steps. */
function commands(name: string): string[] {
  return (TASKS[name].steps ?? []).flatMap((step) => {
    if (step.spawn) return commands(step.spawn);
    return [step.exec ?? (step.execArgs ?? []).join(' ')];
  });
}

test('`npm test` lints without --fix and runs jest with --ci (snapshots are never written)', () => {
  const test = commands('test');
  expect(test.some((c) => /^jest .*--ci/.test(c))).toBe(true);
  expect(test.some((c) => c.startsWith('eslint'))).toBe(true);
  for (const command of test) {
    expect(command).not.toMatch(/--fix\b|--updateSnapshot|(^|\s)-u(\s|$)/);
  }
});

test('`npm run synth` runs the example app itself into dist/: the cdk8s CLI would delete dist/ first', () => {
  const synth = commands('synth');
  expect(synth).toContain('node -r ts-node/register/transpile-only examples/example-platform-app.ts');
  expect(synth.filter((c) => /\bcdk8s synth\b/.test(c))).toEqual([]);
  expect(TASKS.synth.env?.CDK8S_OUTDIR).toBe('dist');
});
