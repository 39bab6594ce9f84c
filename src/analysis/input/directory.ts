import * as fs from 'fs';
import * as path from 'path';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Directories never searched: dependencies and version-control internals are not an inventory. */
const NEVER_SEARCHED = new Set(['node_modules', '.git']);

/** One `--exclude` pattern, compiled. */
export interface ExcludePattern {
  readonly pattern: string;
  /** True when the pattern has a `/`: it is matched against the path below the directory given, else against the name. */
  readonly anchored: boolean;
  readonly regex: RegExp;
}

/**
 * Compiles a glob: `*` and `?` within one path segment, `**` across segments, `[abc]`/`[!abc]` classes.
 * A pattern without `/` matches a file or directory name at any depth (`*.values.yaml`, `charts`);
 * one with `/` matches the path relative to the directory argument (`charts/**`, `base/kustomization.yaml`).
 * A leading `./` and a trailing `/` are ignored.
 */
export function compileExclude(pattern: string): ExcludePattern {
  const glob = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        source += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '[' && glob.indexOf(']', i + 2) > 0) {
      const end = glob.indexOf(']', i + 2);
      const body = glob.slice(i + 1, end);
      const negated = body.startsWith('!') || body.startsWith('^');
      source += `[${negated ? '^' : ''}${(negated ? body.slice(1) : body).replace(/[\\\]]/g, '\\$&')}]`;
      i = end;
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return { pattern, anchored: glob.includes('/'), regex: new RegExp(`^${source}$`) };
}

function isExcluded(relative: string, name: string, exclude: readonly ExcludePattern[]): boolean {
  return exclude.some((p) => p.regex.test(p.anchored ? relative : name));
}

/**
 * The manifest files under `directory` (*.yaml, *.yml, *.json), recursively, sorted by path: without
 * node_modules and .git, without what `exclude` matches, following symbolic links but visiting each
 * real directory once (`visited` is shared across the directories of one run). An entry that cannot be
 * examined (a dangling link, no permission) goes to `unreadable` rather than being skipped silently.
 */
export function listManifestFiles(
  directory: string,
  exclude: readonly ExcludePattern[],
  visited: Set<string>,
  unreadable: (file: string, error: Error) => void,
): string[] {
  const files: string[] = [];
  const walk = (current: string, relative: string): void => {
    const real = fs.realpathSync(current);
    if (visited.has(real)) return;
    visited.add(real);
    for (const entry of fs.readdirSync(current).sort()) {
      const full = path.join(current, entry);
      const below = relative ? `${relative}/${entry}` : entry;
      if (isExcluded(below, entry, exclude)) continue;
      let stat: fs.Stats;
      try {
        stat = fs.statSync(full);
      } catch (error) {
        if (MANIFEST_EXTENSIONS.has(path.extname(entry).toLowerCase())) unreadable(full, error as Error);
        continue;
      }
      if (stat.isDirectory()) {
        if (!NEVER_SEARCHED.has(entry)) walk(full, below);
      } else if (stat.isFile() && MANIFEST_EXTENSIONS.has(path.extname(entry).toLowerCase())) {
        files.push(full);
      }
    }
  };
  walk(directory, '');
  return files;
}
