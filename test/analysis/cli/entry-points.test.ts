import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { zt } from './run-cli';

const ROOT = path.join(__dirname, '..', '..', '..');
const DIST = path.join(ROOT, 'dist');
const CLUSTER = path.join(ROOT, 'examples', 'example-platform', 'cluster.yaml');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-entry-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a folder holding only a kustomization is read through its resources', () => {
  test.each(['kubernetes', 'cilium', 'calico'])('dist/targets/%s is the platform, the target, the mesh and the inventory', async (target) => {
    const viaEntry = await zt(['analyze', path.join(DIST, 'targets', target), CLUSTER, '--cni', target, '--format', 'json']);
    const folders = ['platform', target, 'istio', 'zt-inventory.txt'].map((name) => path.join(DIST, name));
    const listed = await zt(['analyze', ...folders, CLUSTER, '--cni', target, '--format', 'json']);
    expect(viaEntry.code).toBe(0);
    expect(viaEntry.stdout).toBe(listed.stdout);
    expect(JSON.parse(viaEntry.stdout).pods.length).toBeGreaterThan(5);
  });

  test('a kustomization that patches or generates is refused with the kubectl kustomize fix; so are remote resources', async () => {
    const patched = path.join(dir, 'patched');
    fs.mkdirSync(patched);
    fs.writeFileSync(path.join(patched, 'kustomization.yaml'), 'resources: [../x]\npatches: [{path: p.yaml}]\n');
    const refused = await zt(['analyze', patched]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('zt follows a kustomization\'s resources only, and this one also has patches, which would change the objects. Build it first: kubectl kustomize');
    const remote = path.join(dir, 'remote');
    fs.mkdirSync(remote);
    fs.writeFileSync(path.join(remote, 'kustomization.yaml'), 'resources: [https://github.com/example/repo//dist?ref=main]\n');
    expect((await zt(['analyze', remote])).stderr).toContain('lists a remote resource (https://github.com/example/repo//dist?ref=main), which zt does not fetch');
    const missing = path.join(dir, 'missing');
    fs.mkdirSync(missing);
    fs.writeFileSync(path.join(missing, 'kustomization.yaml'), 'resources: [../nowhere]\n');
    expect((await zt(['analyze', missing])).stderr).toContain('resources lists ../nowhere, which does not exist');
  });

  test('zt diff follows an entry point at a git revision too', async () => {
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    fs.cpSync(DIST, path.join(repo, 'dist'), { recursive: true });
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
    const file = path.join(repo, 'dist', 'kubernetes', 'alpha-data.k8s.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('port: 5432', 'port: 5433'));
    const previous = process.cwd();
    process.chdir(repo);
    try {
      const diff = await zt(['diff', 'HEAD:dist/targets/kubernetes', 'dist/targets/kubernetes', '--cni', 'kubernetes']);
      expect(diff.stderr).toBe('');
      expect(diff.stdout).toContain('- closed  alpha-web/backend -> alpha-data/database 5432/TCP');
    } finally {
      process.chdir(previous);
    }
  });
});
