import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { fixture, zt } from './run-cli';

const BASIC = fixture('basic');
const ROOT = path.join(__dirname, '..', '..', '..');

/** A temporary directory with the given files (path → content), removed after the test file. */
const tempDirs: string[] = [];
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-input-'));
  tempDirs.push(dir);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  labels: {app: web}\nspec:\n  containers: [{name: c, ports: [{containerPort: 80}]}]\n';

describe('zt: input errors are one line each, `zt: <file>:<document>: <field>: <problem>`, exit 1', () => {
  test('a duplicate key', async () => {
    const dir = tree({ 'a.yaml': `${NAMESPACE}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    app: web\n    app: api\n` });
    const { code, stdout, stderr } = await zt(['analyze', path.join(dir, 'a.yaml')]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe([
      `zt: ${path.join(dir, 'a.yaml')}:1: metadata.labels.app: duplicate key 'app'`,
      'zt: 1 problem in the input; nothing was analyzed. Fix the problems listed above and rerun.',
      '',
    ].join('\n'));
  });

  test.each([
    ['billion laughs', ['a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]']
      .concat('bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)).join('\n'),
    /:0: [a-z[\]0-9]+: document contains excessive aliasing/],
    ['5000 nested lists', '['.repeat(5000), /:0: invalid YAML: nested more than 256 levels deep at line 1, column \d+; the rest of the input was not read$/],
  ])('%s', async (_name, text, message) => {
    const dir = tree({ 'hostile.yaml': text });
    const { code, stderr } = await zt(['analyze', dir]);
    expect(code).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(message);
  });

  test('a file over --max-input-size names the file, its size and the option; nothing is read', async () => {
    const dir = tree({ 'big.yaml': `${NAMESPACE}# ${'x'.repeat(3000)}\n` });
    const { code, stderr } = await zt(['analyze', dir, '--max-input-size', '2K']);
    expect(code).toBe(1);
    expect(stderr).toContain(`zt: ${path.join(dir, 'big.yaml')}:0: the file is 3.0 KiB, over the 2 KiB input limit. Raise the limit with --max-input-size`);
    // Under a larger limit the file is read (it holds no pods, which is its own error).
    expect((await zt(['analyze', dir, '--max-input-size', '1M'])).stderr).not.toContain('input limit');
  });

  test('the inventory file of a synthesized directory is held to --max-input-size too', async () => {
    const inventory = 'apiVersion: zero-trust.cdk8s.io/v1alpha1\nkind: ConnectivityInventory\n---\n' + POD + `# ${'x'.repeat(3000)}\n`;
    const dir = tree({ 'ns.yaml': NAMESPACE, 'zt-inventory.txt': inventory });
    const { code, stderr } = await zt(['analyze', dir, '--max-input-size', '2K']);
    expect(code).toBe(1);
    expect(stderr).toContain(`zt: ${path.join(dir, 'zt-inventory.txt')}:0: the file is 3.1 KiB, over the 2 KiB input limit. Raise the limit with --max-input-size`);
    expect((await zt(['analyze', dir, '--max-input-size', '1M'])).code).toBe(0);
  });

  test('standard input over --max-input-size', async () => {
    const { code, stderr } = await zt(['explain', '-', '--from', 'a/b', '--to', 'a/b', '--port', '80', '--max-input-size', '100'], { stdin: 'x'.repeat(101) });
    expect(code).toBe(1);
    expect(stderr).toContain('zt: <stdin>:0: standard input is 101 bytes, over the 100 bytes input limit.');
  });

  test.each(['0', '-1', 'lots', '1T', '5 MB extra'])('--max-input-size %j is a usage error', async (size) => {
    const { code, stderr } = await zt(['analyze', BASIC, '--max-input-size', size]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^zt: option '--max-input-size <size>' argument .* is invalid\. expected a size such as 64M/);
  });

  test('an endless standard input is cut at the limit, in a real process', async () => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src', 'cli', 'main.ts'), 'analyze', '-', '--max-input-size', '1M'], {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let exited = false;
    const chunk = Buffer.alloc(64 * 1024, '# endless\n');
    child.stdin.on('error', () => undefined); // EPIPE once zt stops reading
    const feed = (): void => {
      while (!exited && child.stdin.write(chunk));
      if (!exited) child.stdin.once('drain', feed);
    };
    feed();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => {
      exited = true;
      resolve(c);
    }));
    expect(stderr).toBe([
      'zt: <stdin>:0: standard input is more than 1 MiB, over the 1 MiB input limit. Raise the limit with --max-input-size (maxInputBytes in the API) if the input is trusted',
      'zt: 1 problem in the input; nothing was analyzed. Fix the problems listed above and rerun.',
      '',
    ].join('\n'));
    expect(code).toBe(1);
  }, 60_000);
});

describe('zt: bad analyzer input never crashes', () => {
  test('--external constructor=IP and toString=IP are ordinary names', async () => {
    const { code, stdout } = await zt(['analyze', BASIC, '--format', 'json', '--external', 'constructor=192.0.2.1', '--external', 'toString=192.0.2.2']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveProperty('pods', ['alpha-data/backend', 'alpha-web/frontend', 'external:constructor', 'external:toString']);
  });

  test.each([
    ['--port', ['--from', 'a/b', '--to', 'a/b', '--port', '80', '--port', '443']],
    ['--from', ['--from', 'a/b', '--from', 'a/c', '--to', 'a/b', '--port', '80']],
    ['--to', ['--from', 'a/b', '--to', 'a/b', '--to', 'a/c', '--port', '80']],
  ])('explain with %s twice is a usage error, not a silent choice', async (flag, args) => {
    const { code, stderr } = await zt(['explain', BASIC, ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${flag} may be given only once; run the command once per value.`);
  });

  test('standard input with ---separated JSON documents is read as a YAML stream', async () => {
    const docs = [NAMESPACE, POD].map((text) => JSON.stringify(YAML.parse(text)));
    const { code, stdout, stderr } = await zt(['analyze', '-', '--format', 'json'], { stdin: `${docs[0]}\n---\n${docs[1]}\n` });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveProperty('pods', ['shop/web']);
    // Concatenated JSON values (as `jq -c` prints them) are documents too.
    const concatenated = await zt(['analyze', '-', '--format', 'json'], { stdin: `${docs[0]}\n${docs[1]}\n` });
    expect(concatenated.code).toBe(0);
  });

  test('unknown usage errors are prefixed zt: too', async () => {
    const { code, stderr } = await zt(['analyze', BASIC, '--colour']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^zt: unknown option '--colour'/);
  });
});

describe('zt: directories', () => {
  const WORKFLOW = 'name: ci\non:\n  push: {branches: [main]}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: npm test}]\n';

  test('files that are not Kubernetes manifests are skipped with one note each; node_modules and .git are never searched', async () => {
    const dir = tree({
      'namespace.yaml': NAMESPACE,
      'pod.yml': POD,
      'chart/values.yaml': 'replicaCount: 2\nimage: {repository: nginx, tag: "1.25"}\n',
      'kustomization.yaml': 'resources:\n  - namespace.yaml\n  - pod.yml\n',
      '.github/workflows/ci.yml': WORKFLOW,
      'tsconfig.json': '{"compilerOptions": {"strict": true}}',
      'node_modules/pkg/broken.yaml': 'a: [',
      '.git/config.yaml': 'a: [',
    });
    const { code, stdout, stderr } = await zt(['analyze', dir, '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveProperty('pods', ['shop/web']);
    const notes = stderr.trimEnd().split('\n');
    expect(notes).toEqual(['.github/workflows/ci.yml', 'chart/values.yaml', 'kustomization.yaml', 'tsconfig.json'].map((file) =>
      `note: skipped ${path.join(dir, file)}: no document has apiVersion or kind, so it is not a Kubernetes manifest`));
  });

  test('--exclude (repeatable) skips names anywhere or paths below the directory', async () => {
    const dir = tree({
      'namespace.yaml': NAMESPACE,
      'pod.yml': POD,
      'templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
      'base/broken.yaml': 'kind: [',
      'other/base/pod.yml': POD.replace('name: web', 'name: api'),
    });
    expect((await zt(['analyze', dir])).code).toBe(1);
    const { code, stdout, stderr } = await zt(['analyze', dir, '--format', 'json', '--exclude', 'templates', '--exclude', 'base/*.yaml']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveProperty('pods', ['shop/api', 'shop/web']);
  });

  test('a file given explicitly is read strictly, even when it is not a manifest', async () => {
    const dir = tree({ 'values.yaml': 'replicaCount: 2\n' });
    const { code, stderr } = await zt(['analyze', path.join(dir, 'values.yaml'), '--exclude', 'values.yaml']);
    expect(code).toBe(1);
    expect(stderr).toContain(`zt: ${path.join(dir, 'values.yaml')}:0: kind: is required`);
  });
});
