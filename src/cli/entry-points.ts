/**
 * Kustomization entry points as inputs: a directory that holds a `kustomization.yaml` and nothing else (such as
 * `dist/targets/<name>/` of the folder layout) stands for the files and folders its `resources` list. zt reads those
 * (following nested entry points), not the directory, and the inventory file beside each folder listed.
 *
 * Only `resources` is followed. A kustomization that also patches, generates or transforms would be read unpatched,
 * allowing what the applied objects may not: that is refused with the fix (`kubectl kustomize DIR | zt … -`).
 * Remote resources (URLs) are refused likewise.
 * (Fields: https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/)
 */
import * as path from 'path';
import * as YAML from 'yaml';
import { CliError, ExitCode } from './errors';
import { INVENTORY_FILE } from '../intent/inventory-file';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Fields of a kustomization that zt may ignore: they do not change the objects. */
const HARMLESS_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'resources', 'sortOptions', 'buildMetadata']);

/** What entry-point expansion needs of a file system (the real one, or a git revision's files). */
export interface TreeReader {
  /** The names in a directory, or undefined when it is not a directory. */
  list(dir: string): readonly string[] | undefined;
  read(file: string): string;
  isFile(file: string): boolean;
}

/** The kustomization file of a directory that holds nothing else, or undefined. */
export function entryPointFile(dir: string, reader: TreeReader): string | undefined {
  const names = reader.list(dir);
  if (!names || names.length !== 1 || !KUSTOMIZATION_FILES.includes(names[0])) return undefined;
  return path.join(dir, names[0]);
}

export interface Expanded {
  /** The paths to read instead of the entry points (other paths unchanged), in order. */
  readonly paths: readonly string[];
  /** Inventory files found beside the folders the entry points list. */
  readonly inventories: readonly string[];
}

/** Replaces each entry-point directory among `paths` by what its kustomization lists. */
export function expandEntryPoints(paths: readonly string[], reader: TreeReader): Expanded {
  const out: string[] = [];
  const inventories: string[] = [];
  const visit = (given: string, trail: readonly string[]): void => {
    const file = given === '-' ? undefined : entryPointFile(given, reader);
    if (!file) {
      // Paths as given, repeats included (`-` twice is the reader's usage error); a folder two entry points list, once.
      if (trail.length === 0 || !out.includes(given)) out.push(given);
      return;
    }
    if (trail.includes(file)) throw new CliError(`${file}: the kustomization lists itself through ${trail.join(' -> ')}`, ExitCode.BAD_INPUT);
    for (const resource of resourcesOf(file, reader)) {
      const target = path.normalize(path.join(path.dirname(file), resource));
      if (reader.list(target) !== undefined) {
        const beside = path.join(path.dirname(target), INVENTORY_FILE);
        if (reader.isFile(beside) && !inventories.includes(beside)) inventories.push(beside);
      } else if (!reader.isFile(target)) {
        throw new CliError(`${file}: resources lists ${resource}, which does not exist (${target})`, ExitCode.BAD_INPUT);
      }
      visit(target, [...trail, file]);
    }
  };
  for (const given of paths) visit(given, []);
  return { paths: out, inventories };
}

function resourcesOf(file: string, reader: TreeReader): string[] {
  let parsed: unknown;
  try {
    parsed = YAML.parse(reader.read(file));
  } catch (error) {
    throw new CliError(`${file}: not a readable kustomization: ${(error as Error).message}`, ExitCode.BAD_INPUT);
  }
  const fields = typeof parsed === 'object' && parsed !== null ? parsed as Record<string, unknown> : {};
  const fix = `Build it first: kubectl kustomize ${path.dirname(file)} | zt <command> -`;
  const other = Object.keys(fields).filter((key) => !HARMLESS_FIELDS.has(key));
  if (other.length > 0) {
    throw new CliError(`${file}: zt follows a kustomization's resources only, and this one also has ${other.join(', ')}, which would change the objects. ${fix}`, ExitCode.BAD_INPUT);
  }
  const resources = fields.resources ?? [];
  if (!Array.isArray(resources) || resources.some((entry) => typeof entry !== 'string')) {
    throw new CliError(`${file}: resources must be a list of paths`, ExitCode.BAD_INPUT);
  }
  const remote = (resources as string[]).find((entry) => /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^[^/]+@[^:]+:/.test(entry));
  if (remote) throw new CliError(`${file}: resources lists a remote resource (${remote}), which zt does not fetch. ${fix}`, ExitCode.BAD_INPUT);
  return resources as string[];
}
