import { CliError, ExitCode } from './errors';
import { CliIO } from './io';
import { LoadedManifests, loadManifestFiles } from '../analysis';
import { Dialect } from '../analysis/dialect';
import { BUILT_IN_DIALECTS, dialectFor } from '../analysis/dialects';

/**
 * Reads the PATH arguments. Standard input can be read only once, so `-` twice is refused up front
 * rather than silently analysing an empty second copy.
 */
export function loadPaths(paths: readonly string[], io: CliIO): LoadedManifests {
  if (paths.filter((p) => p === '-').length > 1) {
    throw new CliError('"-" (standard input) can be given only once.', ExitCode.USAGE);
  }
  return loadManifestFiles(paths, { readStdin: io.readStdin });
}

/**
 * Counts the policy objects (of every kind a dialect reads) for the progress line, looking inside
 * `kind: List` wrappers as the analyzer does.
 */
export function countPolicies(loaded: LoadedManifests, dialects: readonly Dialect[] = BUILT_IN_DIALECTS): number {
  let count = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (typeof value === 'object' && value !== null) {
      const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
      if (typeof apiVersion === 'string' && typeof kind === 'string' && dialectFor(dialects, apiVersion, kind)) count++;
      if (kind === 'List') visit((value as { items?: unknown }).items);
    }
  };
  for (const document of loaded.documents) visit(document.object);
  return count;
}
