import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { zt } from './run-cli';
import { LoadedManifests } from '../../../src/analysis';
import { diffConnectivity } from '../../../src/analysis/diff';
import { loadInputs } from '../../../src/cli/inventory-input';

const ROOT = path.join(__dirname, '..', '..', '..');
const DIST = path.join(ROOT, 'dist');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-diff-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A copy of the synthesized example (platform, one target, inventory), with `edit` applied to one of its files. */
function exampleCopy(name: string, target: 'kubernetes' | 'cilium', edit?: { file: string; from: string | RegExp; to: string }): string {
  const out = path.join(dir, name);
  fs.mkdirSync(out, { recursive: true });
  fs.cpSync(path.join(DIST, 'platform'), path.join(out, 'platform'), { recursive: true });
  fs.cpSync(path.join(DIST, target), path.join(out, target), { recursive: true });
  fs.copyFileSync(path.join(DIST, 'zt-inventory.txt'), path.join(out, 'zt-inventory.txt'));
  if (edit) {
    const file = path.join(out, target, edit.file);
    const text = fs.readFileSync(file, 'utf8');
    const changed = text.replace(edit.from, edit.to);
    if (changed === text) throw new Error(`test setup: ${edit.from} not found in ${file}`);
    fs.writeFileSync(file, changed);
  }
  return out;
}

/** The Kubernetes target with alpha-data/database's ingress port moved from 5432 to 5433. */
const CLOSE_DATABASE = { file: 'alpha-data.k8s.yaml', from: /port: 5432/, to: 'port: 5433' };

describe('zt diff', () => {
  test('table: the closed connection with the rules before and after, and the changed object', async () => {
    const base = exampleCopy('k8s-base', 'kubernetes');
    const head = exampleCopy('k8s-head', 'kubernetes', CLOSE_DATABASE);
    const { code, stdout, stderr } = await zt(['diff', base, head]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('1 connection closed, none opened (1 object changed).');
    expect(stdout).toContain('- closed  alpha-web/backend -> alpha-data/database 5432/TCP');
    expect(stdout).toMatch(/before: allowed: egress by NetworkPolicy alpha-web\/\S+ egress\[\d\]; ingress by NetworkPolicy alpha-data\/database-ingress ingress\[0\]/);
    expect(stdout).toMatch(/after: {2}denied: ingress: .*alpha-data\/database-ingress ingress\[0\] matches the peer but not the port/);
    expect(stdout).toContain('Changed objects: NetworkPolicy alpha-data/database-ingress');
  });

  test('--fail-on: exit 3 when the change does that, 0 otherwise', async () => {
    const base = exampleCopy('fail-base', 'kubernetes');
    const head = exampleCopy('fail-head', 'kubernetes', CLOSE_DATABASE);
    expect((await zt(['diff', base, head, '--fail-on', 'opened'])).code).toBe(0);
    const closed = await zt(['diff', base, head, '--fail-on', 'closed']);
    expect(closed.code).toBe(3);
    expect(closed.stderr).toBe('zt: --fail-on closed: the change has 1 closed connection\n');
    expect((await zt(['diff', head, base, '--fail-on', 'any'])).code).toBe(3);
    expect((await zt(['diff', base, base, '--fail-on', 'any'])).code).toBe(0);
  });

  test('markdown: the summary line first, the detail folded; json: both sides explained', async () => {
    const base = exampleCopy('md-base', 'kubernetes');
    const head = exampleCopy('md-head', 'kubernetes', CLOSE_DATABASE);
    const markdown = (await zt(['diff', head, base, '--format', 'markdown'])).stdout;
    expect(markdown.split('\n').slice(0, 3)).toEqual(['### Connectivity change', '', '**1 connection opened, none closed (1 object changed).**']);
    expect(markdown).toContain('<details><summary>Connections opened and closed</summary>');
    expect(markdown).toContain('| ➕ opened | `alpha-web/backend` | `alpha-data/database` | `5432/TCP` | denied:');
    const json = JSON.parse((await zt(['diff', base, head, '--format', 'json'])).stdout) as {
      closed: { from: string; before: { allowed: boolean; ingress: { allowedBy: { policy: string }[] } }; after: { allowed: boolean } }[];
      opened: unknown[];
      changedObjects: string[];
    };
    expect(json.opened).toEqual([]);
    expect(json.closed).toHaveLength(1);
    expect(json.closed[0].before.allowed).toBe(true);
    expect(json.closed[0].before.ingress.allowedBy.map((rule) => rule.policy)).toEqual(['alpha-data/database-ingress']);
    expect(json.closed[0].after.allowed).toBe(false);
    expect(json.changedObjects).toEqual(['NetworkPolicy alpha-data/database-ingress']);
  });

  test('REV:PATH reads the files at a git revision; unknown revisions are usage errors', async () => {
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    fs.cpSync(exampleCopy('git-base', 'kubernetes'), path.join(repo, 'dist'), { recursive: true });
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
    const file = path.join(repo, 'dist', 'kubernetes', CLOSE_DATABASE.file);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(CLOSE_DATABASE.from, CLOSE_DATABASE.to));
    const previous = process.cwd();
    process.chdir(repo);
    try {
      const diff = await zt(['diff', 'HEAD:dist', 'dist']);
      expect(diff.stderr).toBe('');
      expect(diff.stdout).toContain('- closed  alpha-web/backend -> alpha-data/database 5432/TCP');
      const unknown = await zt(['diff', 'no-such-branch:dist', 'dist']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/^zt: git ls-tree failed: .*no-such-branch/);
      const nothing = await zt(['diff', 'HEAD:no-such-dir', 'dist']);
      expect(nothing.code).toBe(2);
      expect(nothing.stderr).toBe('zt: HEAD:no-such-dir: no file at no-such-dir in revision HEAD\n');
      // A broken file at a revision is named by its revision, not by a temporary directory.
      fs.writeFileSync(path.join(repo, 'dist', 'broken.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: a}\nspec: {podSelector: 3}\n');
      git('add', '.');
      git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'broken');
      const broken = await zt(['diff', 'HEAD:dist', 'dist']);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain('zt: HEAD:dist/broken.yaml:0: spec.podSelector');
    } finally {
      process.chdir(previous);
    }
  });
});

describe('diffConnectivity on the example under Cilium', () => {
  const io = { stdout: { write: () => true }, stderr: { write: () => true }, readStdin: () => '' };
  const load = (root: string): LoadedManifests => loadInputs([root, path.join(ROOT, 'examples', 'example-platform', 'cluster.yaml')], io).loaded;

  test('a CiliumNetworkPolicy edited: the fast path (policies only) gives what comparing every endpoint gives', () => {
    const base = exampleCopy('cilium-base', 'cilium');
    const head = exampleCopy('cilium-head', 'cilium', { file: 'alpha-data.k8s.yaml', from: /"?5432"?/, to: '"5433"' });
    const fast = diffConnectivity(load(base), load(head), { cni: 'cilium' });
    const full = diffConnectivity(load(base), load(head), { cni: 'cilium', compare: 'all' });
    expect(fast.scope.mode).toBe('policies');
    expect(fast.scope.comparedEndpoints).toBeLessThan(fast.scope.endpoints);
    const key = (c: { change: string; from: string; to: string; port: number }) => `${c.change} ${c.from} -> ${c.to} ${c.port}`;
    expect(fast.closed.map(key)).toEqual(full.closed.map(key));
    expect(fast.opened.map(key)).toEqual(full.opened.map(key));
    expect(fast.closed.length).toBeGreaterThan(0);
  });
});
