/**
 * `expect(app).toMatchConnectivityBaseline(file)`: a connectivity snapshot kept as the manifests it was computed
 * from. A change that opens or closes a connection fails with the same readable diff as `zt diff` (each connection
 * with the rules responsible before and after); a change that leaves connectivity alone passes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MatcherContextLike, MatcherResult } from './matcher-types';
import { ConnectivitySubject, toAnalysisInput } from './subject';
import { diffConnectivity } from '../analysis/diff';
import { normalizeInput } from '../analysis/manifests/documents';
import { formatDiffTable } from '../analysis/report/diff';
import { AnalyzeOptions, ProbePort } from '../analysis/types';

/** The file: the objects analyzed, and the externals of the inventory. */
interface Baseline {
  readonly externals: Readonly<Record<string, string>>;
  readonly externalPorts: Readonly<Record<string, readonly ProbePort[]>>;
  readonly objects: readonly unknown[];
}

/** jest's snapshot mode, as `-u` (`all`), the default (`new`) and `--ci` (`none`) set it. */
type UpdateMode = 'all' | 'new' | 'none';

/** The part of jest's matcher context that tells the snapshot mode. */
export interface BaselineMatcherContext extends MatcherContextLike {
  readonly snapshotState?: { readonly _updateSnapshot?: UpdateMode };
}

function baselineOf(subject: ConnectivitySubject): Baseline {
  const { input, externals, externalPorts } = toAnalysisInput(subject);
  return { externals, externalPorts, objects: normalizeInput(input).documents.map((document) => document.object) };
}

function write(file: string, baseline: Baseline): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
}

function read(file: string): Baseline {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Baseline>;
  if (!Array.isArray(parsed.objects)) throw new Error(`${file} is not a connectivity baseline: it has no "objects" list. Delete it and rerun jest to write it again.`);
  return { externals: parsed.externals ?? {}, externalPorts: parsed.externalPorts ?? {}, objects: parsed.objects };
}

/**
 * Passes when the received App, Chart or manifests allow exactly the connections that the baseline `file` allows.
 * Without the file, writes it (jest's default mode) or fails (`--ci`); with `-u`, rewrites it when connectivity
 * changed. `options` are `analyze`'s (`cni`, `ports`, externals).
 */
export function toMatchConnectivityBaseline(
  this: BaselineMatcherContext,
  received: ConnectivitySubject,
  file: string,
  options: AnalyzeOptions = {},
): MatcherResult {
  const hint = this.utils.matcherHint('toMatchConnectivityBaseline', 'received', 'baseline');
  const mode: UpdateMode = this.snapshotState?._updateSnapshot ?? (process.env.CI ? 'none' : 'new');
  const current = baselineOf(received);
  if (!fs.existsSync(file)) {
    if (mode === 'none') {
      return {
        pass: false,
        message: () => `${hint}\n\nNo connectivity baseline at ${file}. Run jest without --ci (or with -u) to write it, and commit it.`,
      };
    }
    write(file, current);
    return { pass: true, message: () => `${hint}\n\nWrote the connectivity baseline ${file}.` };
  }
  const baseline = read(file);
  const diff = diffConnectivity(baseline.objects, current.objects, {
    ...options,
    externals: { ...baseline.externals, ...current.externals, ...options.externals },
    externalPorts: { ...baseline.externalPorts, ...current.externalPorts, ...options.externalPorts },
  });
  const changed = diff.opened.length + diff.closed.length > 0;
  if (changed && mode === 'all') {
    write(file, current);
    return { pass: true, message: () => `${hint}\n\nUpdated the connectivity baseline ${file}.` };
  }
  return {
    pass: !changed,
    message: () => (changed
      ? `${hint}\n\nConnectivity differs from the baseline ${file}:\n\n${formatDiffTable(diff)}\nIf the change is intended, rerun jest with -u to update the baseline.`
      : `${hint}\n\nConnectivity is the baseline's (${file}).`),
  };
}
