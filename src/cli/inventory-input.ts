import * as fs from 'fs';
import * as path from 'path';
import { expandEntryPoints, TreeReader } from './entry-points';
import { InputFlags, loadPaths } from './input';
import { CliIO } from './io';
import { LoadedManifests, ManifestIssue, ProbePort, SourcedDocument } from '../analysis';
import { DEFAULT_MAX_INPUT_BYTES } from '../analysis/input/limits';
import { readFileBoundedSync } from '../analysis/input/read-bounded';
import { DocumentIssues } from '../analysis/manifests/issues';
import { readProblem } from '../analysis/manifests/load';
import { combineWithRepresentatives } from '../intent/combine';
import { INVENTORY_FILE, parseInventory } from '../intent/inventory-file';

/** The CLI's input: manifests combined with the representative endpoints of any inventory file found. */
export interface CliInput {
  readonly loaded: LoadedManifests;
  /** External addresses the inventories declare (name → IP). */
  readonly externals: Readonly<Record<string, string>>;
  /** The ports probed on those externals as destinations. */
  readonly externalPorts: Readonly<Record<string, readonly ProbePort[]>>;
  /** The inventory files read. */
  readonly inventories: readonly string[];
}

/**
 * Reads the PATH arguments, and the inventory file (`zt-inventory.txt`) of each directory given, or given
 * itself: the representative endpoints ZeroTrustApp writes at synthesis. Real workload objects of the
 * input replace the representative pods they stand for (see `intent/combine`). A directory holding only a
 * kustomization is read through its resources (`entry-points.ts`).
 */
export function loadInputs(args: readonly string[], io: CliIO, flags: InputFlags = {}): CliInput {
  // Entry points (a folder holding only a kustomization, such as dist/targets/<name>) stand for what they list.
  const expanded = expandEntryPoints(args, FILE_SYSTEM);
  const paths = [...expanded.paths, ...expanded.inventories];
  const inventoryFiles: string[] = [];
  const manifestPaths: string[] = [];
  for (const given of paths) {
    if (given !== '-' && path.basename(given) === INVENTORY_FILE && isFile(given)) {
      inventoryFiles.push(given);
      continue;
    }
    manifestPaths.push(given);
    const beside = path.join(given, INVENTORY_FILE);
    if (given !== '-' && isDirectory(given) && isFile(beside)) inventoryFiles.push(beside);
  }
  const loaded = manifestPaths.length > 0 ? loadPaths(manifestPaths, io, flags) : { documents: [], issues: [] };
  const inventories = [...new Set(inventoryFiles.map((file) => path.normalize(file)))];
  if (inventories.length === 0) return { loaded, externals: {}, externalPorts: {}, inventories };

  const issues: ManifestIssue[] = [...loaded.issues];
  const representatives: SourcedDocument[] = [];
  const externals: Record<string, string> = {};
  const externalPorts: Record<string, readonly ProbePort[]> = {};
  for (const file of inventories) {
    let text: string;
    try {
      text = readFileBoundedSync(file, flags.maxInputSize ?? DEFAULT_MAX_INPUT_BYTES);
    } catch (error) {
      // Too large (--max-input-size applies to the inventory as to every input), or unreadable.
      new DocumentIssues(issues, { file, documentIndex: 0 }, undefined).add(undefined, readProblem(error, file));
      continue;
    }
    const inventory = parseInventory(text, file);
    issues.push(...inventory.issues);
    representatives.push(...inventory.documents);
    for (const [name, ip] of Object.entries(inventory.externals)) {
      if (Object.hasOwn(externals, name) && externals[name] !== ip) {
        new DocumentIssues(issues, { file, documentIndex: 0 }, undefined).add(
          `externals.${name}`,
          `external "${name}" is ${ip} here but ${externals[name]} in another inventory; analyze the outputs separately, or give the address with --external ${name}=IP`,
        );
      }
      if (Object.hasOwn(externals, name)) continue;
      externals[name] = ip;
      if (inventory.externalPorts[name]) externalPorts[name] = inventory.externalPorts[name];
    }
  }
  const combined = combineWithRepresentatives(loaded.documents, representatives);
  return { loaded: { documents: combined.documents, issues: [...issues, ...combined.issues] }, externals, externalPorts, inventories };
}

const FILE_SYSTEM: TreeReader = {
  list: (dir) => (isDirectory(dir) ? fs.readdirSync(dir) : undefined),
  read: (file) => readFileBoundedSync(file, DEFAULT_MAX_INPUT_BYTES),
  isFile,
};

/** The inventory's externals with the command line's on top; notes where a command-line address replaces one. */
export function mergeExternals(
  fromInventory: Readonly<Record<string, string>>,
  fromFlags: Readonly<Record<string, string>> | undefined,
  io: CliIO,
): Record<string, string> {
  for (const [name, ip] of Object.entries(fromFlags ?? {})) {
    if (Object.hasOwn(fromInventory, name) && fromInventory[name] !== ip) {
      io.stderr.write(`note: --external ${name}=${ip} replaces the inventory's address ${fromInventory[name]} for external:${name}\n`);
    }
  }
  return { ...fromInventory, ...fromFlags };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
