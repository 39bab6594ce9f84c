import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { SynthesizedFile } from './layout';
import { compareStrings } from '../model/selector';

/**
 * The file of the output folder that lists what synthesis wrote there, so that the next synthesis
 * drops the files it no longer writes and keeps everything else. Hidden, and named neither `*.yaml`,
 * `*.yml` nor `*.json`, so that `kubectl apply -f`, Argo CD directory apps, Flux's generated
 * kustomizations and the cdk8s CLI never take it for a manifest.
 */
export const WRITTEN_FILES_LIST = '.zt-written';

/** The part of `fs` the writer uses; tests pass one that fails. @internal */
export type OutputFileSystem = Pick<
  typeof fs,
  | 'chmodSync'
  | 'copyFileSync'
  | 'linkSync'
  | 'lstatSync'
  | 'mkdirSync'
  | 'readFileSync'
  | 'readdirSync'
  | 'readlinkSync'
  | 'realpathSync'
  | 'renameSync'
  | 'rmSync'
  | 'symlinkSync'
  | 'writeFileSync'
>;

/** Writing the output failed: names the path, the cause and the fix. The previous output is left as it was. */
export class OutputWriteError extends Error {
  /** The path that could not be written or kept (absolute). */
  declare public readonly path: string;
  /** The system error code (`ENOSPC`, `EACCES`, …), when the cause is one. */
  declare public readonly code?: string;

  constructor(target: string, problem: string, fix: string, options: { readonly outdir: string; readonly cause?: unknown }) {
    super(
      `cdk8s-zero-trust: cannot write ${displayPath(target)}: ${problem}. Fix: ${fix}. ` +
        `Nothing was changed in ${displayPath(options.outdir)}.`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    // Not enumerable: Node prints an uncaught error's enumerable properties after its stack.
    Object.defineProperty(this, 'name', { value: 'OutputWriteError', enumerable: false, configurable: true, writable: true });
    Object.defineProperty(this, 'path', { value: target, enumerable: false });
    Object.defineProperty(this, 'code', { value: errorCode(options.cause), enumerable: false });
  }
}

/**
 * Writes `files` into `outdir` so that it holds either the previous output or the new one, never a
 * mix: every file is written into a sibling staging folder (same file system), the files of the
 * previous output that synthesis did not write (those not listed in its `WRITTEN_FILES_LIST`) are
 * carried over into it as hard links, and the staging folder then replaces `outdir` by two renames. A crash
 * between those renames leaves the previous output in `.<outdir>.zt-previous`, which the next
 * synthesis puts back before it starts. Files of the previous output that synthesis wrote and no
 * longer writes are dropped; any other file is kept. Any failure throws an OutputWriteError and
 * leaves `outdir` as it was.
 *
 * The guarantee covers a process that stops (an exception, a kill, running out of memory); after a
 * power loss the files are as durable as the file system makes renamed files (nothing is fsync'ed).
 */
export function writeOutput(outdir: string, files: readonly SynthesizedFile[], io: OutputFileSystem = fs): void {
  const target = resolveOutdir(path.resolve(outdir), io);
  const plan = planFiles(target, files);
  const parent = path.dirname(target);
  const base = path.basename(target);
  attempt(parent, target, () => io.mkdirSync(parent, { recursive: true }));
  recoverInterruptedSwap(io, parent, base, target);

  const previous = kindOf(io, target) === 'directory';
  const written = previous ? readWrittenList(io, target) : undefined;
  const staging = path.join(parent, `.${base}.zt-staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  attempt(staging, target, () => io.mkdirSync(staging));
  try {
    if (previous) {
      attempt(target, target, () => io.chmodSync(staging, io.lstatSync(target).mode % 0o10000));
      carryOver(io, { target, staging, written, plan }, '');
    }
    for (const file of plan.files) {
      const staged = path.join(staging, ...file.fileName.split('/'));
      const destination = path.join(target, ...file.fileName.split('/'));
      attempt(destination, target, () => {
        io.mkdirSync(path.dirname(staged), { recursive: true });
        io.writeFileSync(staged, file.content);
      });
    }
    const list = path.join(target, WRITTEN_FILES_LIST);
    attempt(list, target, () => io.writeFileSync(path.join(staging, WRITTEN_FILES_LIST), writtenList(plan.files)));
    swap(io, staging, target, previous);
  } catch (error) {
    try {
      io.rmSync(staging, { recursive: true, force: true });
    } catch {
      // A staging folder left behind is removed by the next synthesis; the error that matters is `error`.
    }
    throw error;
  }
}

interface FilePlan {
  /** Sorted by name. */
  readonly files: readonly SynthesizedFile[];
  readonly names: ReadonlySet<string>;
  /** Every folder that holds a file, as `a` and `a/b` for `a/b/c.yaml`. */
  readonly folders: ReadonlySet<string>;
}

function planFiles(target: string, files: readonly SynthesizedFile[]): FilePlan {
  const names = new Set<string>();
  const folders = new Set<string>();
  for (const { fileName } of files) {
    const parts = fileName.split('/');
    if (fileName === '' || path.isAbsolute(fileName) || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) {
      throw new Error(`cdk8s-zero-trust: file name '${fileName}' is not a plain relative path inside ${target}`);
    }
    if (fileName === WRITTEN_FILES_LIST) throw new Error(`cdk8s-zero-trust: ${WRITTEN_FILES_LIST} is the list of written files; no chart may be named so`);
    if (names.has(fileName)) throw new Error(`cdk8s-zero-trust: ${fileName} would be written twice`);
    names.add(fileName);
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  for (const name of names) {
    if (folders.has(name)) throw new Error(`cdk8s-zero-trust: ${name} would be written both as a file and as a folder`);
  }
  return { files: [...files].sort((a, b) => compareStrings(a.fileName, b.fileName)), names, folders };
}

function writtenList(files: readonly SynthesizedFile[]): string {
  return `${JSON.stringify({
    '//': 'Files written by cdk8s-zero-trust. The next synthesis removes those it no longer writes and keeps every other file.',
    'files': files.map((f) => f.fileName),
  }, null, 2)}\n`;
}

/**
 * The files the previous synthesis wrote, or undefined when there is no list (output of an earlier
 * version, or of `cdk8s synth`): then the files about to be written replace theirs, and all other
 * files are kept.
 */
function readWrittenList(io: OutputFileSystem, target: string): ReadonlySet<string> | undefined {
  const listPath = path.join(target, WRITTEN_FILES_LIST);
  const kind = kindOf(io, listPath);
  if (kind === 'missing') return undefined;
  const fix = `delete ${displayPath(listPath)}: the next synthesis then keeps every other file and replaces the files it writes`;
  if (kind !== 'file') throw new OutputWriteError(listPath, 'it is not a file', fix, { outdir: target });
  let parsed: unknown;
  try {
    parsed = JSON.parse(io.readFileSync(listPath, 'utf8'));
  } catch (error) {
    throw new OutputWriteError(listPath, `it is not the list of written files (${errorMessage(error)})`, fix, { outdir: target, cause: error });
  }
  const listed = (parsed as { files?: unknown } | null)?.files;
  if (!Array.isArray(listed) || !listed.every((f): f is string => typeof f === 'string')) {
    throw new OutputWriteError(listPath, 'it is not the list of written files (no "files" array of names)', fix, { outdir: target });
  }
  return new Set(listed);
}

interface CarryContext {
  readonly target: string;
  readonly staging: string;
  readonly written: ReadonlySet<string> | undefined;
  readonly plan: FilePlan;
}

/**
 * Links into the staging folder every entry of the previous output below `folder` that synthesis
 * did not write. Returns whether anything was carried.
 */
function carryOver(io: OutputFileSystem, context: CarryContext, folder: string): boolean {
  const { target, staging, written, plan } = context;
  let carried = false;
  const entries = attempt(path.join(target, folder), target, () => io.readdirSync(path.join(target, folder), { withFileTypes: true }));
  for (const entry of [...entries].sort((a, b) => compareStrings(a.name, b.name))) {
    const relative = folder === '' ? entry.name : `${folder}/${entry.name}`;
    if (relative === WRITTEN_FILES_LIST) continue;
    const source = path.join(target, relative);
    const copy = path.join(staging, relative);
    if (entry.isDirectory()) {
      if (plan.names.has(relative)) {
        throw new OutputWriteError(source, 'a folder is where synthesis writes a file', 'move or rename the folder', { outdir: target });
      }
      const inner = carryOver(io, context, relative);
      // A folder with none of our files in it is the user's own (perhaps empty): keep it.
      if (inner || !holdsWrittenFile(written, relative)) {
        attempt(source, target, () => {
          io.mkdirSync(copy, { recursive: true });
          io.chmodSync(copy, io.lstatSync(source).mode % 0o10000);
        });
        carried = true;
      }
      continue;
    }
    if (written?.has(relative)) continue; // ours: written again, or no longer written (dropped)
    if (plan.names.has(relative)) {
      if (written === undefined) continue; // no list yet: the file synthesis writes replaces it
      throw new OutputWriteError(
        source,
        `synthesis writes this file, but it is not one that synthesis wrote before (it is not listed in ${WRITTEN_FILES_LIST})`,
        'move or rename it if it is yours, or delete it if it is an old output',
        { outdir: target },
      );
    }
    if (plan.folders.has(relative)) {
      throw new OutputWriteError(source, 'a file is where synthesis writes a folder', 'move or rename the file', { outdir: target });
    }
    if (!entry.isFile() && !entry.isSymbolicLink()) {
      throw new OutputWriteError(source, 'it is neither a file, a folder nor a symbolic link, so it cannot be kept in the new output', 'move it out of the output folder', { outdir: target });
    }
    attempt(source, target, () => {
      io.mkdirSync(path.dirname(copy), { recursive: true });
      linkEntry(io, entry, source, copy);
    });
    carried = true;
  }
  return carried;
}

function holdsWrittenFile(written: ReadonlySet<string> | undefined, folder: string): boolean {
  if (written === undefined) return false;
  const prefix = `${folder}/`;
  for (const name of written) if (name.startsWith(prefix)) return true;
  return false;
}

/** A hard link keeps the very file (inode, mode, open handles); a copy where links are not possible. */
function linkEntry(io: OutputFileSystem, entry: fs.Dirent, source: string, copy: string): void {
  if (entry.isSymbolicLink()) {
    io.symlinkSync(io.readlinkSync(source), copy);
    return;
  }
  try {
    io.linkSync(source, copy);
  } catch (error) {
    if (!['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP'].includes(errorCode(error) ?? '')) throw error;
    io.copyFileSync(source, copy);
  }
}

function swap(io: OutputFileSystem, staging: string, target: string, previous: boolean): void {
  if (!previous) {
    attempt(target, target, () => io.renameSync(staging, target));
    return;
  }
  const backup = backupOf(target);
  attempt(target, target, () => io.renameSync(target, backup));
  try {
    io.renameSync(staging, target);
  } catch (error) {
    try {
      io.renameSync(backup, target);
    } catch {
      throw new OutputWriteError(target, `${errorMessage(error)}; the previous output is in ${displayPath(backup)}`, 'synthesize again: it puts the previous output back first', { outdir: target, cause: error });
    }
    throw outputError(target, target, error);
  }
  // The new output is in place; a backup that cannot be removed now is removed by the next synthesis.
  try {
    io.rmSync(backup, { recursive: true, force: true });
  } catch {
    // ignored, see above
  }
}

function backupOf(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.zt-previous`);
}

/**
 * Finishes what a crashed synthesis left: puts the previous output back when the process stopped
 * between the two renames, removes a backup that is no longer needed, and removes staging folders
 * of processes that are gone.
 */
function recoverInterruptedSwap(io: OutputFileSystem, parent: string, base: string, target: string): void {
  const backup = backupOf(target);
  if (kindOf(io, backup) === 'directory') {
    if (kindOf(io, target) === 'missing') attempt(target, target, () => io.renameSync(backup, target));
    else attempt(backup, target, () => io.rmSync(backup, { recursive: true, force: true }));
  }
  const prefix = `.${base}.zt-staging-`;
  for (const name of attempt(parent, target, () => io.readdirSync(parent))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (pid !== process.pid && processExists(pid)) continue; // another synthesis is writing
    attempt(path.join(parent, name), target, () => io.rmSync(path.join(parent, name), { recursive: true, force: true }));
  }
}

function processExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** The folder to replace: a symbolic link is followed, so that the link itself stays. */
function resolveOutdir(requested: string, io: OutputFileSystem): string {
  let target = requested;
  if (kindOf(io, requested) === 'symlink') target = attempt(requested, requested, () => io.realpathSync(requested));
  const kind = kindOf(io, target);
  if (kind !== 'missing' && kind !== 'directory') {
    throw new OutputWriteError(target, 'the output folder is a file', 'remove the file, or choose another output folder (outdir)', { outdir: target });
  }
  const cwd = realpathOrSelf(io, process.cwd());
  if (cwd === target || cwd.startsWith(`${target}${path.sep}`)) {
    throw new OutputWriteError(
      target,
      'the output folder contains the working directory, and synthesis replaces the output folder as a whole',
      'write into a folder of its own, such as dist/',
      { outdir: target },
    );
  }
  return target;
}

function realpathOrSelf(io: OutputFileSystem, p: string): string {
  try {
    return io.realpathSync(p);
  } catch {
    return p;
  }
}

type EntryKind = 'missing' | 'file' | 'directory' | 'symlink' | 'other';

function kindOf(io: OutputFileSystem, p: string): EntryKind {
  let stat: fs.Stats;
  try {
    stat = io.lstatSync(p);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'missing';
    throw outputError(p, p, error);
  }
  if (stat.isDirectory()) return 'directory';
  if (stat.isFile()) return 'file';
  return stat.isSymbolicLink() ? 'symlink' : 'other';
}

/** Runs `step`, turning a system error into an OutputWriteError about `subject`. */
function attempt<T>(subject: string, outdir: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof OutputWriteError) throw error;
    throw outputError(subject, outdir, error);
  }
}

const PROBLEMS: Readonly<Record<string, { readonly problem: string; readonly fix: string }>> = {
  EACCES: { problem: 'permission denied', fix: 'make the output folder and its parent writable by this user' },
  EPERM: { problem: 'operation not permitted', fix: 'make the output folder and its parent writable by this user' },
  ENOSPC: { problem: 'no space left on the device', fix: 'free disk space, then synthesize again' },
  EDQUOT: { problem: 'disk quota exceeded', fix: 'free disk space or raise the quota, then synthesize again' },
  EROFS: { problem: 'the file system is read-only', fix: 'choose an output folder on a writable file system' },
  EISDIR: { problem: 'a folder is where a file must go', fix: 'move or rename the folder' },
  ENOTDIR: { problem: 'a file is where a folder must go', fix: 'move or rename the file' },
  EEXIST: { problem: 'something is already there', fix: 'move or rename it' },
  ENOTEMPTY: { problem: 'a folder is in the way', fix: 'move or rename it' },
  EBUSY: {
    problem: 'the output folder is busy or a mount point, and synthesis replaces it by a rename',
    fix: 'write into a plain folder (mount its parent instead)',
  },
  EXDEV: { problem: 'the output folder is on another file system than its parent', fix: 'write into a plain folder (mount its parent instead)' },
};

function outputError(subject: string, outdir: string, cause: unknown): OutputWriteError {
  const code = errorCode(cause);
  const known = code === undefined ? undefined : PROBLEMS[code];
  const problem = known ? `${known.problem} (${code})` : errorMessage(cause);
  return new OutputWriteError(subject, problem, known?.fix ?? 'check the path and its permissions', { outdir, cause });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Relative to the working directory when inside it, as a user would type it. */
function displayPath(p: string): string {
  const relative = path.relative(process.cwd(), p);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : p;
}
