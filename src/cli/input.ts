import { Command } from 'commander';
import { CliError, ExitCode } from './errors';
import { CliIO } from './io';
import { collectExclude, parseMaxInputSize } from './options';
import { LoadedManifests, loadManifestFiles } from '../analysis';
import { DEFAULT_MAX_INPUT_BYTES, formatByteSize } from '../analysis/input/limits';

/** The options every command that reads manifests takes. */
export interface InputFlags {
  readonly maxInputSize?: number;
  readonly exclude?: string[];
}

/** Adds `--max-input-size` and `--exclude` to a command that reads manifests. */
export function addInputOptions(command: Command): Command {
  return command
    .option(
      '--max-input-size <size>',
      `refuse a file (or standard input) larger than this: bytes, or with K, M, G (binary units) (default: ${formatByteSize(DEFAULT_MAX_INPUT_BYTES)})`,
      parseMaxInputSize,
    )
    .option(
      '--exclude <glob>',
      'skip files and directories matching GLOB while searching directories: a pattern without "/" matches a name at any depth ' +
        '(*.values.yaml, charts), one with "/" the path below the directory given (base/**); repeatable. Paths given explicitly are always read',
      collectExclude,
    );
}

/**
 * Reads the PATH arguments. Standard input can be read only once, so `-` twice is refused up front
 * rather than silently analysing an empty second copy. Files that were found in a directory but are
 * not Kubernetes manifests are named in `note:` lines on stderr.
 */
export function loadPaths(paths: readonly string[], io: CliIO, flags: InputFlags = {}): LoadedManifests {
  if (paths.filter((p) => p === '-').length > 1) {
    throw new CliError('"-" (standard input) can be given only once.', ExitCode.USAGE);
  }
  const loaded = loadManifestFiles(paths, {
    readStdin: io.readStdin,
    ...(flags.maxInputSize !== undefined ? { maxInputBytes: flags.maxInputSize } : {}),
    ...(flags.exclude ? { exclude: flags.exclude } : {}),
  });
  for (const { file, reason } of loaded.skipped ?? []) io.stderr.write(`note: skipped ${file}: ${reason}\n`);
  return loaded;
}
