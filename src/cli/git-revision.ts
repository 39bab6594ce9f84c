/**
 * `REV:PATH` arguments (`main:dist`, `HEAD~1:dist/kubernetes`): the files under PATH at a git revision, written to a
 * temporary directory so that they are read exactly as a directory is. PATH is taken from the repository's top, as git's
 * own `<rev>:<path>` syntax does (https://git-scm.com/docs/gitrevisions), unless it starts with `./` or `../`.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expandEntryPoints, TreeReader } from './entry-points';
import { CliError, ExitCode } from './errors';

export interface RevisionTree {
  /** What the user wrote, e.g. `main:dist`: how reports name the files' origin. */
  readonly spec: string;
  /** PATH as it was at the revision (a file or directory), or, for a kustomization entry point, what it lists. */
  readonly paths: readonly string[];
  /** The temporary directory; `path` is inside it. */
  readonly root: string;
  /** Removes the temporary directory. */
  dispose(): void;
}

/** The revision and path of `REV:PATH`, or undefined when the argument names an existing file or directory (or has no colon). */
export function parseRevisionSpec(argument: string): { readonly revision: string; readonly path: string } | undefined {
  if (fs.existsSync(argument)) return undefined;
  const colon = argument.indexOf(':');
  if (colon <= 0) return undefined;
  return { revision: argument.slice(0, colon), path: argument.slice(colon + 1) };
}

/** The output of git, or a CliError (exit 2) with git's own words. */
function git(args: readonly string[], cwd: string, input?: string, quiet = false): Buffer {
  try {
    return execFileSync('git', args, { cwd, input, maxBuffer: 1024 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    if (quiet) return Buffer.from('');
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    const words = stderr && stderr.length > 0 ? stderr.split('\n')[0] : (error as Error).message;
    throw new CliError(`git ${args[0]} failed: ${words}`, ExitCode.USAGE);
  }
}

/**
 * Splits the output of `git cat-file --batch`: per object a header `<oid> blob <size>`, the content, a newline
 * (https://git-scm.com/docs/git-cat-file#_batch_output).
 */
function splitBatch(output: Buffer, names: readonly string[]): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  for (const name of names) {
    const end = output.indexOf(0x0a, offset);
    const header = output.subarray(offset, end).toString();
    const parts = header.split(' ');
    if (parts[1] !== 'blob') throw new CliError(`git cat-file: unexpected answer for ${name}: ${header}`, ExitCode.INTERNAL);
    const size = Number(parts[2]);
    files.set(name, output.subarray(end + 1, end + 1 + size));
    offset = end + 1 + size + 1;
  }
  return files;
}

/** A revision's files as a tree, for following kustomization entry points. Paths are relative to the repository's top. */
function revisionReader(revision: string, top: string): TreeReader {
  return {
    list: (dir) => {
      const type = git(['cat-file', '-t', `${revision}:${dir}`], top, undefined, true).toString().trim();
      if (type !== 'tree') return undefined;
      return git(['ls-tree', '-z', '--name-only', `${revision}:${dir}`], top).toString().split('\0').filter((name) => name !== '');
    },
    read: (file) => git(['cat-file', 'blob', `${revision}:${file}`], top).toString(),
    isFile: (file) => git(['cat-file', '-t', `${revision}:${file}`], top, undefined, true).toString().trim() === 'blob',
  };
}

/**
 * Writes the files under `spec`'s path at its revision into a new temporary directory, and, when the path is a
 * kustomization entry point (`entry-points.ts`), the files it lists.
 */
export function checkoutRevision(spec: string, cwd: string = process.cwd()): RevisionTree {
  const parsed = parseRevisionSpec(spec);
  if (!parsed) throw new CliError(`${spec} is neither a file or directory nor REV:PATH`, ExitCode.USAGE);
  const top = git(['rev-parse', '--show-toplevel'], cwd).toString().trim();
  const relative = /^\.\.?(\/|$)/.test(parsed.path)
    ? path.relative(top, path.resolve(cwd, parsed.path))
    : parsed.path.replace(/^\/+/, '');
  const start = relative === '' ? '.' : path.normalize(relative);
  const expanded = expandEntryPoints([start], revisionReader(parsed.revision, top));
  const wanted = [...expanded.paths, ...expanded.inventories];
  const listed = [...new Set(wanted.flatMap((want) => git(['ls-tree', '-r', '-z', '--name-only', parsed.revision, '--', want], top)
    .toString()
    .split('\0')
    .filter((name) => name !== '')))];
  if (listed.length === 0) {
    throw new CliError(`${spec}: no file at ${relative === '' ? 'the top' : relative} in revision ${parsed.revision}`, ExitCode.USAGE);
  }
  const batch = git(['cat-file', '--batch'], top, listed.map((name) => `${parsed.revision}:${name}\n`).join(''));
  const contents = splitBatch(batch, listed);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-diff-'));
  try {
    for (const [name, content] of contents) {
      const target = path.join(root, name);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    spec,
    paths: wanted.map((want) => path.join(root, want)),
    root,
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
