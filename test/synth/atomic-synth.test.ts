/**
 * ZeroTrustApp.synth() replaces its output as a whole: stale files of ours go, the user's files stay,
 * and a program or a write that fails leaves the previous output exactly as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import {
  Backend,
  OutputLayout,
  OutputWriteError,
  TenantBoundary,
  WRITTEN_FILES_LIST,
  ZeroTrustApp,
  ZeroTrustNamespace,
  ZeroTrustPlatform,
  ZeroTrustValidationError,
} from '../../src';
import { catchError, removeTempDirs, tempOutdir } from '../constructs/support';

afterAll(removeTempDirs);
afterEach(() => jest.restoreAllMocks());

/** A platform with tenants `tenants`, each owning `<tenant>-web`, plus `monitoring`. */
function program(outdir: string, tenants: readonly string[], layout: OutputLayout = OutputLayout.FLAT): ZeroTrustApp {
  const app = new ZeroTrustApp({ outdir, layout });
  const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.KUBERNETES] });
  new ZeroTrustNamespace(platform, 'monitoring', { name: 'monitoring' });
  for (const tenant of tenants) new TenantBoundary(platform, tenant, { namespaces: [`${tenant}-web`] });
  return app;
}

/** Every file below `dir` with its content (hidden ones too). */
function contents(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    result[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
  }
  return result;
}

describe('ZeroTrustApp.synth() output', () => {
  test('a namespace removed from the program: its file is gone, the README.md of the user stays', () => {
    const outdir = tempOutdir();
    program(outdir, ['alpha', 'beta']).synth();
    expect(fs.existsSync(path.join(outdir, 'beta-web.k8s.yaml'))).toBe(true);
    fs.writeFileSync(path.join(outdir, 'README.md'), '# Rendered policies, do not edit\n');

    program(outdir, ['alpha']).synth();

    expect(Object.keys(contents(outdir)).sort()).toEqual([WRITTEN_FILES_LIST, 'README.md', 'alpha-web.k8s.yaml', 'monitoring.k8s.yaml', 'platform.k8s.yaml', 'zt-inventory.txt']);
    expect(fs.readFileSync(path.join(outdir, 'README.md'), 'utf8')).toBe('# Rendered policies, do not edit\n');
    expect(fs.readFileSync(path.join(outdir, 'platform.k8s.yaml'), 'utf8')).not.toContain('beta-web');
  });

  test('a backend folder that is no longer written is removed (folder-per-backend, then flat)', () => {
    const outdir = tempOutdir();
    program(outdir, ['alpha'], OutputLayout.FOLDER_PER_BACKEND).synth();
    expect(fs.existsSync(path.join(outdir, 'kubernetes', 'kustomization.yaml'))).toBe(true);
    program(outdir, ['alpha']).synth();
    expect(Object.keys(contents(outdir)).sort()).toEqual([WRITTEN_FILES_LIST, 'alpha-web.k8s.yaml', 'monitoring.k8s.yaml', 'platform.k8s.yaml', 'zt-inventory.txt']);
    expect(fs.readdirSync(outdir).sort()).toEqual([WRITTEN_FILES_LIST, 'alpha-web.k8s.yaml', 'monitoring.k8s.yaml', 'platform.k8s.yaml', 'zt-inventory.txt']);
  });

  test('a program with invalid intent leaves the previous output exactly as it was', () => {
    const outdir = tempOutdir();
    program(outdir, ['alpha', 'beta']).synth();
    fs.writeFileSync(path.join(outdir, 'README.md'), 'mine\n');
    const before = contents(outdir);
    const inode = fs.statSync(outdir).ino;

    const broken = program(outdir, ['alpha']);
    new ZeroTrustNamespace(ZeroTrustPlatform.of(broken.node.findChild('platform')), 'Bad', { name: 'Bad_Name' });
    expect(catchError(() => broken.synth())).toBeInstanceOf(ZeroTrustValidationError);

    expect(contents(outdir)).toEqual(before);
    expect(fs.statSync(outdir).ino).toBe(inode);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['dist']);
  });

  test('validation errors of other charts of the app are reported with ours, in one ZeroTrustValidationError', () => {
    const app = program(tempOutdir(), ['alpha']);
    new ZeroTrustNamespace(ZeroTrustPlatform.of(app.node.findChild('platform')), 'Bad', { name: 'Bad_Name' });
    new Chart(app, 'apps').node.addValidation({ validate: () => ['replicas must be positive'] });
    const error = catchError(() => app.synth()) as ZeroTrustValidationError;
    expect(error).toBeInstanceOf(ZeroTrustValidationError);
    expect(error.issues.map((i) => i.field)).toEqual(['name']);
    expect(error.constructErrors).toEqual(['[apps] replicas must be positive']);
    expect(error.message.split('\n')).toEqual([
      'cdk8s-zero-trust: 2 invalid declarations; nothing was synthesized:',
      expect.stringMatching(/^ {2}\[platform\/Bad\] name: .*Bad_Name.*\. Fix: /),
      '  [apps] replicas must be positive',
    ]);
  });

  test('a write that fails half-way (ENOSPC) leaves the previous output and says where and why', () => {
    const outdir = tempOutdir();
    program(outdir, ['alpha', 'beta']).synth();
    const before = contents(outdir);

    // The second file fails: today's writer would have left the first one rewritten and the rest old.
    // The `fs` module object itself (this file's `fs` is a read-only namespace over it).
    const nodeFs = jest.requireActual<typeof fs>('fs');
    const realWrite = nodeFs.writeFileSync;
    let writes = 0;
    jest.spyOn(nodeFs, 'writeFileSync').mockImplementation((...args: Parameters<typeof fs.writeFileSync>) => {
      if (++writes === 2) throw Object.assign(new Error(`ENOSPC: no space left on device, open '${String(args[0])}'`), { code: 'ENOSPC' });
      return realWrite(...args);
    });
    const changed = program(outdir, ['alpha', 'beta', 'gamma']);
    const error = catchError(() => changed.synth()) as OutputWriteError;
    jest.restoreAllMocks();

    expect(error).toBeInstanceOf(OutputWriteError);
    expect(error.message).toMatch(new RegExp(`^cdk8s-zero-trust: cannot write ${outdir}/beta-web\\.k8s\\.yaml: no space left on the device \\(ENOSPC\\)\\. Fix: free disk space`));
    expect(error.message).toContain(`Nothing was changed in ${outdir}.`);
    expect(contents(outdir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['dist']);
  });

  test('a folder where a file must go is one clear error, and nothing is written', () => {
    const outdir = tempOutdir();
    program(outdir, ['alpha']).synth();
    fs.mkdirSync(path.join(outdir, 'beta-web.k8s.yaml'));
    const before = contents(outdir);
    expect(() => program(outdir, ['alpha', 'beta']).synth()).toThrow(
      new OutputWriteError(path.join(outdir, 'beta-web.k8s.yaml'), 'a folder is where synthesis writes a file', 'move or rename the folder', { outdir }),
    );
    expect(contents(outdir)).toEqual(before);
  });
});
