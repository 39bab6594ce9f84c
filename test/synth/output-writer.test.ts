/**
 * The output writer: the output folder holds the previous output or the new one, never a mix; files
 * it did not write are kept; files it no longer writes are dropped; a write error names the path and
 * the cause and changes nothing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { OutputWriteError, WRITTEN_FILES_LIST } from '../../src';
import { SynthesizedFile } from '../../src/synth/layout';
import { OutputFileSystem, writeOutput } from '../../src/synth/output-writer';
import { catchError } from '../constructs/support';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder holding nothing; the output folder is `<it>/dist`. */
function newParent(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-writer-'));
  scratch.push(dir);
  return dir;
}

function files(spec: Record<string, string>): SynthesizedFile[] {
  return Object.entries(spec).map(([fileName, content]) => ({ fileName, content }));
}

/** Every entry below `dir`: files with their content, folders as `<name>/`, links as `-> target`. */
function snapshot(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      const name = path.relative(dir, full);
      if (entry.isDirectory()) {
        result[`${name}/`] = (fs.statSync(full).mode % 0o1000).toString(8);
        walk(full);
      } else if (entry.isSymbolicLink()) {
        result[name] = `-> ${fs.readlinkSync(full)}`;
      } else {
        result[name] = fs.readFileSync(full, 'utf8');
      }
    }
  };
  walk(dir);
  return result;
}

const OLD = files({ 'a.k8s.yaml': 'a: 1\n', 'b.k8s.yaml': 'b: 1\n', 'kubernetes/c.k8s.yaml': 'c: 1\n' });
const NEW = files({ 'a.k8s.yaml': 'a: 2\n', 'kubernetes/d.k8s.yaml': 'd: 2\n' });

function writtenList(outdir: string): string[] {
  return JSON.parse(fs.readFileSync(path.join(outdir, WRITTEN_FILES_LIST), 'utf8')).files;
}

/** The manifests of an output (not the list of written files). */
function manifests(outdir: string): Record<string, string> {
  const all = snapshot(outdir);
  delete all[WRITTEN_FILES_LIST];
  return all;
}

describe('writeOutput', () => {
  test('writes the files and a sorted list of them; the parent holds nothing else afterwards', () => {
    const parent = newParent();
    const outdir = path.join(parent, 'dist');
    writeOutput(outdir, [...OLD].reverse());
    expect(manifests(outdir)).toEqual({ 'a.k8s.yaml': 'a: 1\n', 'b.k8s.yaml': 'b: 1\n', 'kubernetes/': expect.any(String), 'kubernetes/c.k8s.yaml': 'c: 1\n' });
    expect(writtenList(outdir)).toEqual(['a.k8s.yaml', 'b.k8s.yaml', 'kubernetes/c.k8s.yaml']);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('the list is hidden and no manifest reader takes it for a manifest (not *.yaml, *.yml, *.json)', () => {
    expect(WRITTEN_FILES_LIST.startsWith('.')).toBe(true);
    expect(WRITTEN_FILES_LIST).not.toMatch(/\.(ya?ml|json)$/);
  });

  test('files written before and no longer written are dropped, with folders left empty; other files are kept', () => {
    const parent = newParent();
    const outdir = path.join(parent, 'dist');
    writeOutput(outdir, files({ ...Object.fromEntries(OLD.map((f) => [f.fileName, f.content])), 'cilium/x.k8s.yaml': 'x: 1\n' }));
    fs.writeFileSync(path.join(outdir, 'README.md'), 'mine\n');
    fs.writeFileSync(path.join(outdir, 'kubernetes', 'notes.txt'), 'mine too\n');
    fs.mkdirSync(path.join(outdir, 'empty'));
    fs.symlinkSync('README.md', path.join(outdir, 'link'));
    const readmeInode = fs.statSync(path.join(outdir, 'README.md')).ino;

    writeOutput(outdir, NEW);

    expect(snapshot(outdir)).toEqual({
      [WRITTEN_FILES_LIST]: expect.any(String),
      'README.md': 'mine\n',
      'a.k8s.yaml': 'a: 2\n',
      'empty/': expect.any(String),
      'kubernetes/': expect.any(String),
      'kubernetes/d.k8s.yaml': 'd: 2\n',
      'kubernetes/notes.txt': 'mine too\n',
      'link': '-> README.md',
    });
    expect(writtenList(outdir)).toEqual(['a.k8s.yaml', 'kubernetes/d.k8s.yaml']);
    // The user's file is the very same file (a hard link), not a copy.
    expect(fs.statSync(path.join(outdir, 'README.md')).ino).toBe(readmeInode);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('without a list (output of an earlier version or of `cdk8s synth`), written files replace theirs and all others stay', () => {
    const outdir = path.join(newParent(), 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'a.k8s.yaml'), 'old a\n');
    fs.writeFileSync(path.join(outdir, 'b.k8s.yaml'), 'old b\n');
    writeOutput(outdir, NEW);
    expect(manifests(outdir)).toEqual({ 'a.k8s.yaml': 'a: 2\n', 'b.k8s.yaml': 'old b\n', 'kubernetes/': expect.any(String), 'kubernetes/d.k8s.yaml': 'd: 2\n' });
  });

  test('a file synthesis would write but did not write before is not overwritten: one error, nothing changed', () => {
    const outdir = path.join(newParent(), 'dist');
    writeOutput(outdir, OLD);
    fs.writeFileSync(path.join(outdir, 'kubernetes', 'd.k8s.yaml'), 'hand-written\n');
    const before = snapshot(outdir);
    const error = catchError(() => writeOutput(outdir, NEW)) as OutputWriteError;
    expect(error).toBeInstanceOf(OutputWriteError);
    expect(error.path).toBe(path.join(outdir, 'kubernetes', 'd.k8s.yaml'));
    expect(error.message).toMatch(/cannot write .*kubernetes\/d\.k8s\.yaml: .*not listed in \.zt-written.*Fix: move or rename it/);
    expect(snapshot(outdir)).toEqual(before);
  });

  test('the output folder keeps its mode', () => {
    const outdir = path.join(newParent(), 'dist');
    writeOutput(outdir, OLD);
    fs.chmodSync(outdir, 0o750);
    writeOutput(outdir, NEW);
    expect(fs.statSync(outdir).mode % 0o1000).toBe(0o750);
  });

  test('a symbolic link as output folder stays a link; the folder it points to gets the output', () => {
    const parent = newParent();
    const real = path.join(parent, 'real');
    fs.mkdirSync(real);
    fs.writeFileSync(path.join(real, 'README.md'), 'mine\n');
    fs.symlinkSync('real', path.join(parent, 'dist'));
    writeOutput(path.join(parent, 'dist'), NEW);
    expect(fs.lstatSync(path.join(parent, 'dist')).isSymbolicLink()).toBe(true);
    expect(Object.keys(manifests(real)).sort()).toEqual(['README.md', 'a.k8s.yaml', 'kubernetes/', 'kubernetes/d.k8s.yaml']);
  });

  test('an output folder that contains the working directory is refused', () => {
    const outdir = path.join(newParent(), 'dist');
    fs.mkdirSync(path.join(outdir, 'inner'), { recursive: true });
    const cwd = process.cwd();
    try {
      process.chdir(path.join(outdir, 'inner'));
      expect(() => writeOutput(outdir, NEW)).toThrow(/contains the working directory.*Fix: write into a folder of its own/);
    } finally {
      process.chdir(cwd);
    }
    expect(snapshot(outdir)).toEqual({ 'inner/': expect.any(String) });
  });
});

describe('write errors: one error naming the path and the cause; the previous output stays', () => {
  function previousOutput(): { outdir: string; before: Record<string, string> } {
    const outdir = path.join(newParent(), 'dist');
    writeOutput(outdir, OLD);
    fs.writeFileSync(path.join(outdir, 'README.md'), 'mine\n');
    return { outdir, before: snapshot(outdir) };
  }

  /** `fs`, but `method` fails with `code` for paths matching `where`. */
  function failing(method: 'writeFileSync' | 'mkdirSync' | 'renameSync', code: string, where: RegExp): OutputFileSystem {
    const real = fs[method] as (...args: unknown[]) => unknown;
    return {
      ...fs,
      [method]: (...args: unknown[]) => {
        if (where.test(String(args[0]))) throw Object.assign(new Error(`${code}: simulated, ${method} '${String(args[0])}'`), { code });
        return real(...args);
      },
    } as OutputFileSystem;
  }

  function expectUnchanged(outdir: string, before: Record<string, string>): void {
    expect(snapshot(outdir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['dist']);
  }

  test('no space left on the device (a failing write)', () => {
    const { outdir, before } = previousOutput();
    const error = catchError(() => writeOutput(outdir, NEW, failing('writeFileSync', 'ENOSPC', /d\.k8s\.yaml$/))) as OutputWriteError;
    expect(error).toBeInstanceOf(OutputWriteError);
    expect(error.path).toBe(path.join(outdir, 'kubernetes', 'd.k8s.yaml'));
    expect(error.code).toBe('ENOSPC');
    expect(error.message).toBe(
      `cdk8s-zero-trust: cannot write ${path.join(outdir, 'kubernetes', 'd.k8s.yaml')}: no space left on the device (ENOSPC). ` +
        `Fix: free disk space, then synthesize again. Nothing was changed in ${outdir}.`,
    );
    expect(error.message.split('\n')).toHaveLength(1);
    expectUnchanged(outdir, before);
  });

  test('no permission to create the staging folder beside the output folder', () => {
    const { outdir, before } = previousOutput();
    const error = catchError(() => writeOutput(outdir, NEW, failing('mkdirSync', 'EACCES', /zt-staging/))) as OutputWriteError;
    expect(error.message).toMatch(/cannot write .*\.dist\.zt-staging-\S+: permission denied \(EACCES\)\. Fix: make the output folder and its parent writable/);
    expectUnchanged(outdir, before);
  });

  test('the output folder cannot be renamed (a mount point)', () => {
    const { outdir, before } = previousOutput();
    const error = catchError(() => writeOutput(outdir, NEW, failing('renameSync', 'EBUSY', /dist$/))) as OutputWriteError;
    expect(error.message).toMatch(/cannot write .*dist: .*mount point.*\(EBUSY\)\. Fix: write into a plain folder/);
    expectUnchanged(outdir, before);
  });

  test('a folder where a file must go', () => {
    const { outdir } = previousOutput();
    fs.mkdirSync(path.join(outdir, 'kubernetes', 'd.k8s.yaml'));
    const before = snapshot(outdir);
    const error = catchError(() => writeOutput(outdir, NEW)) as OutputWriteError;
    expect(error.path).toBe(path.join(outdir, 'kubernetes', 'd.k8s.yaml'));
    expect(error.message).toMatch(/cannot write .*kubernetes\/d\.k8s\.yaml: a folder is where synthesis writes a file\. Fix: move or rename the folder/);
    expectUnchanged(outdir, before);
  });

  test('a file where a folder must go', () => {
    const outdir = path.join(newParent(), 'dist');
    writeOutput(outdir, files({ 'a.k8s.yaml': 'a\n' }));
    fs.writeFileSync(path.join(outdir, 'kubernetes'), 'mine\n');
    const before = snapshot(outdir);
    expect(() => writeOutput(outdir, NEW)).toThrow(/cannot write .*dist\/kubernetes: a file is where synthesis writes a folder/);
    expectUnchanged(outdir, before);
  });

  test('an unreadable list of written files', () => {
    const { outdir } = previousOutput();
    fs.writeFileSync(path.join(outdir, WRITTEN_FILES_LIST), '{ not json');
    const before = snapshot(outdir);
    expect(() => writeOutput(outdir, NEW)).toThrow(/cannot write .*\.zt-written: it is not the list of written files .*Fix: delete .*\.zt-written/);
    expectUnchanged(outdir, before);
  });
});

describe('a crash at any step leaves the previous output or the new one', () => {
  class Crash extends Error {}

  /** `fs` that stops working after `steps` calls, as if the process had been killed there. */
  function crashingAfter(steps: number): { io: OutputFileSystem; calls: () => number } {
    let calls = 0;
    const io = Object.fromEntries(
      Object.entries(fs).map(([name, value]) => [
        name,
        typeof value === 'function'
          ? (...args: unknown[]) => {
            if (++calls > steps) throw new Crash(`crashed before ${name}`);
            return (value as (...a: unknown[]) => unknown)(...args);
          }
          : value,
      ]),
    ) as unknown as OutputFileSystem;
    return { io, calls: () => calls };
  }

  test('at every step of a synthesis that replaces an output with a user file in it', () => {
    const setUp = () => {
      const outdir = path.join(newParent(), 'dist');
      writeOutput(outdir, OLD);
      fs.writeFileSync(path.join(outdir, 'README.md'), 'mine\n');
      return outdir;
    };
    const probe = setUp();
    const before = snapshot(probe);
    const { io, calls } = crashingAfter(Number.MAX_SAFE_INTEGER);
    writeOutput(probe, NEW, io);
    const after = snapshot(probe);
    const steps = calls();
    expect(steps).toBeGreaterThan(10);

    const outcomes = new Set<string>();
    for (let step = 0; step < steps; step++) {
      const outdir = setUp();
      try {
        writeOutput(outdir, NEW, crashingAfter(step).io);
      } catch {
        // the simulated crash, or the error it caused
      }
      const parent = path.dirname(outdir);
      // Right after the crash: the output folder is the previous output or the new one. Only between
      // the two renames is it absent, the previous output whole in .dist.zt-previous.
      if (fs.existsSync(outdir)) {
        const seen = snapshot(outdir);
        expect([before, after]).toContainEqual(seen);
        outcomes.add(isDeepStrictEqual(seen, before) ? 'old' : 'new');
      } else {
        expect(snapshot(path.join(parent, '.dist.zt-previous'))).toEqual(before);
        outcomes.add('between renames');
      }
      // The next synthesis cleans up and writes the new output.
      writeOutput(outdir, NEW);
      expect(snapshot(outdir)).toEqual(after);
      expect(fs.readdirSync(parent)).toEqual(['dist']);
    }
    expect([...outcomes].sort()).toEqual(['between renames', 'new', 'old']);
  });
});
