/**
 * `zt observe import`: reads Hubble flow exports line by line and folds them into an aggregate.
 */
import { DnsServerOptions, FlowAggregator } from './aggregate';
import { FlowRecordError, parseFlowLine } from './hubble-flow';
import { DEFAULT_MAX_LINE_BYTES, LineTooLongError, readFileLines } from './lines';
import { ObservedAggregate } from './observed';

export interface ImportOptions {
  readonly dns?: DnsServerOptions;
  /** Skip records that cannot be read, counting them, instead of failing. @default false */
  readonly skipInvalid?: boolean;
  /** @default 1 MiB */
  readonly maxLineBytes?: number;
  /** Told the bytes read as the files are read (for a progress line). */
  readonly onBytes?: (bytes: number) => void;
}

/** One unusable record: where, and what is wrong with it. */
export interface FlowProblem {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly problem: string;
  readonly fix: string;
}

/** The problems met; the first `MAX_LISTED` are listed. */
export class InvalidFlowsError extends Error {
  constructor(readonly problems: readonly FlowProblem[], readonly total: number) {
    super(`${total} invalid flow record${total === 1 ? '' : 's'}`);
    this.name = 'InvalidFlowsError';
  }
}

/** A file that could not be read at all (missing, a directory, a line past the limit). */
export class UnreadableFlowsError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'UnreadableFlowsError';
  }
}

const MAX_LISTED = 20;

export function formatFlowProblem(problem: FlowProblem): string {
  return `${problem.file}:${problem.line}: ${problem.field}: ${problem.problem}. Fix: ${problem.fix}`;
}

/** Reads every file (`-` for standard input) into one aggregate. Throws `InvalidFlowsError` or `UnreadableFlowsError`. */
export function importFlows(files: readonly string[], options: ImportOptions = {}): ObservedAggregate {
  const aggregator = new FlowAggregator(options.dns);
  const problems: FlowProblem[] = [];
  let total = 0;
  for (const file of files) {
    try {
      for (const { number, text } of readFileLines(file, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, options.onBytes)) {
        aggregator.countLine();
        let parsed;
        try {
          parsed = parseFlowLine(text);
        } catch (error) {
          if (!(error instanceof FlowRecordError)) throw error;
          if (options.skipInvalid) {
            aggregator.addInvalid(`${file}:${number}: ${error.field}: ${error.problem}`);
            continue;
          }
          total++;
          if (problems.length < MAX_LISTED) problems.push({ file, line: number, field: error.field, problem: error.problem, fix: error.fix });
          continue;
        }
        if (parsed === undefined) continue;
        if (parsed.kind === 'other') aggregator.addOther();
        else aggregator.add(parsed.flow);
      }
    } catch (error) {
      if (error instanceof LineTooLongError) throw new UnreadableFlowsError(file, `${error.message}. Fix: give JSON lines, or raise --max-line-size`);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new UnreadableFlowsError(file, 'no such file');
      if (code === 'EISDIR') throw new UnreadableFlowsError(file, 'is a directory; give the export files themselves');
      if (code === 'EACCES') throw new UnreadableFlowsError(file, 'permission denied');
      throw error;
    }
  }
  if (total > 0) throw new InvalidFlowsError(problems, total);
  return aggregator.finish(files);
}
