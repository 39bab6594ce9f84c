/**
 * SLOW (15 to 60 seconds): compiles the library, packs it with `npm pack`, installs the tarball into a
 * scratch cdk8s app beside the app's own cdk8s, cdk8s-plus-28 and constructs, and synthesizes a
 * platform from the installed package. Proves the package works as a library and that the peers
 * resolve to the app's single copy (`instanceof App`, adopted cdk8s-plus workloads).
 *
 * Needs only the npm registry, and not even that once `npm ci` has filled the npm cache: the app
 * asks for the versions installed here, with --prefer-offline.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, '..', '..');
const PEERS = ['cdk8s', 'cdk8s-plus-28', 'constructs'];
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function installedVersion(name: string): string {
  return readJson<Manifest>(path.join(ROOT, 'node_modules', name, 'package.json')).version;
}

function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' } });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** The user's program: plain JavaScript, requiring only what it installed. */
const USER_PROGRAM = `
const fs = require('fs');
const path = require('path');
const { App, Chart, YamlOutputType } = require('cdk8s');
const kplus = require('cdk8s-plus-28');
const zt = require('cdk8s-zero-trust');

const library = path.dirname(require.resolve('cdk8s-zero-trust/package.json'));
const copies = {};
for (const name of ${JSON.stringify(PEERS)}) {
  copies[name] = [...new Set([require.resolve(name), require.resolve(name, { paths: [library] })].map((p) => fs.realpathSync(p)))];
}

const app = new zt.ZeroTrustApp({ outdir: 'dist' });
const platform = new zt.ZeroTrustPlatform(app, 'platform', { backends: [zt.Backend.KUBERNETES] });
const web = new zt.ZeroTrustNamespace(platform, 'web', { name: 'web' });
const deployment = new kplus.Deployment(new Chart(app, 'apps', { namespace: 'web' }), 'frontend', { containers: [{ image: 'nginx', portNumber: 80 }] });
const frontend = web.adopt(deployment);
frontend.allowTo(web.workload('backend', { labels: { app: 'backend' } }), zt.Port.tcp(8080));
app.synth();

// The user's own App class, with an output type the platform must refuse: seen only if App is one class.
const plain = new App({ outdir: 'plain', yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
const refused = new zt.ZeroTrustPlatform(plain, 'platform', { backends: [zt.Backend.KUBERNETES] });
process.stdout.write(JSON.stringify({
  copies,
  files: fs.readdirSync('dist').sort(),
  web: fs.readFileSync(path.join('dist', 'web.k8s.yaml'), 'utf8'),
  refused: refused.validateIntent().map((i) => i.field),
}));
`;

describe('the packed library, installed into a cdk8s app (slow)', () => {
  let scratch: string;
  let app: string;
  let packed: Manifest;

  beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-package-'));
    // Pack a copy: the working tree's lib/ may be stale or absent, and `npm test` must not write it.
    const pkg = path.join(scratch, 'pkg');
    fs.mkdirSync(pkg);
    for (const file of ['package.json', '.npmignore', 'README.md', 'LICENSE']) fs.copyFileSync(path.join(ROOT, file), path.join(pkg, file));
    run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json'), '--outDir', path.join(pkg, 'lib')], ROOT);
    const [{ filename }] = JSON.parse(run(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], pkg)) as { filename: string }[];
    const tarball = path.join(scratch, filename);
    run('tar', ['-xzf', tarball, '-C', scratch], scratch);
    packed = readJson<Manifest>(path.join(scratch, 'package', 'package.json'));

    app = path.join(scratch, 'app');
    fs.mkdirSync(app);
    const dependencies: Record<string, string> = Object.fromEntries(PEERS.map((name) => [name, installedVersion(name)]));
    dependencies['cdk8s-zero-trust'] = `file:${tarball}`;
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'user-app', version: '1.0.0', private: true, dependencies }, null, 2));
    fs.writeFileSync(path.join(app, 'main.js'), USER_PROGRAM);
    run(NPM, ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], app);
  });

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('cdk8s, cdk8s-plus-28 and constructs are peer dependencies, not dependencies', () => {
    for (const name of PEERS) {
      expect([name, packed.peerDependencies?.[name]]).toEqual([name, expect.stringMatching(/^\^/)]);
      expect([name, packed.dependencies?.[name]]).toEqual([name, undefined]);
    }
  });

  test('the tarball holds the compiled library, not the sources, tests or example output', () => {
    const files = fs.readdirSync(path.join(scratch, 'package'), { recursive: true }) as string[];
    expect(files).toContain(path.join('lib', 'index.js'));
    expect(files).toContain(path.join('lib', 'index.d.ts'));
    expect(files.filter((f) => /^(src|test|dist)(\/|$)/.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  test("the app's single copy of each peer is the library's; a platform synthesizes from the installed package", () => {
    // No copy of a peer nested under the library.
    for (const name of PEERS) expect(fs.existsSync(path.join(app, 'node_modules', 'cdk8s-zero-trust', 'node_modules', name))).toBe(false);
    const result = JSON.parse(run(process.execPath, ['main.js'], app)) as {
      copies: Record<string, string[]>;
      files: string[];
      web: string;
      refused: string[];
    };
    for (const name of PEERS) expect([name, result.copies[name]]).toEqual([name, [expect.stringContaining(path.join(app, 'node_modules', name))]]);
    expect(result.files).toEqual(['.zt-written', 'apps.k8s.yaml', 'platform.k8s.yaml', 'web.k8s.yaml', 'zt-inventory.txt']);
    // The adopted cdk8s-plus Deployment is selected by its own pod label, so cdk8s-plus is one copy too.
    expect(result.web).toContain('cdk8s.io/metadata.addr');
    expect(result.web).toMatch(/port: 8080/);
    expect(result.refused).toEqual(['App.yamlOutputType']);
  });

  test('the zt command line runs from the installed package', () => {
    expect(run(process.execPath, [path.join(app, 'node_modules', '.bin', 'zt'), '--help'], app)).toMatch(/Usage: zt/);
  });
});
