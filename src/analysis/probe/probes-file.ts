/**
 * Reading a probes file: YAML (read as the manifests are, go-yaml style) or JSON (by the `.json` suffix, or
 * text starting with `[` or `{`), one document holding a list of probes or `{probes: [...]}`.
 */
import { InvalidProbesError, ProbeProblem } from './errors';
import { parseProbes } from './parse-probes';
import { Probe } from './types';
import { readJsonStream } from '../input/json-stream';
import { DEFAULT_MAX_INPUT_BYTES, DEFAULT_MAX_NESTING_DEPTH } from '../input/limits';
import { InputTooLargeError, readFileBoundedSync } from '../input/read-bounded';
import { readYamlStream } from '../input/yaml-stream';

/** The value of a probes file's text; throws `InvalidProbesError` when it does not parse or holds several documents. */
export function readProbesValue(rawText: string, file: string): unknown {
  const text = rawText.replace(/^\uFEFF/, '');
  const problems: ProbeProblem[] = [];
  const documents: { index: number; value: unknown }[] = [];
  const onDocument = (index: number, value: unknown): void => void documents.push({ index, value });
  const json = file.toLowerCase().endsWith('.json') || /^\s*[[{]/.test(text);
  const jsonList = json && /^\s*\[/.test(text);
  const onProblem = (index: number, problem: { path?: string; message: string }): void => {
    // In a JSON list, each element is a document of its own: the index is the probe's.
    const probe = jsonList ? { probe: String(index) } : {};
    problems.push({ file, ...probe, ...(problem.path ? { field: problem.path } : {}), problem: problem.message, fix: 'fix the syntax' });
  };
  const limits = { maxDepth: DEFAULT_MAX_NESTING_DEPTH };
  let read = false;
  if (json) read = readJsonStream(text, { ...limits, strict: file.toLowerCase().endsWith('.json') }, onDocument, onProblem);
  if (!read) readYamlStream(text, limits, onDocument, onProblem);
  if (problems.length > 0) throw new InvalidProbesError(problems);
  // A JSON array arrives as its elements, one document each: put the list back together.
  if (read && jsonList) return documents.map((document) => document.value);
  const present = documents.filter((document) => document.value !== null && document.value !== undefined);
  if (present.length > 1) {
    throw new InvalidProbesError([{ file, problem: `holds ${present.length} documents`, fix: 'put every probe in one list, in one document' }]);
  }
  return present[0]?.value;
}

/** The validated probes of a probes file, and its name for messages: what `probe()` and `toSatisfyProbes` also take. */
export class ProbesFile {
  constructor(
    readonly file: string,
    readonly probes: readonly Probe[],
  ) {}
}

/** Parses and validates the text of a probes file. */
export function parseProbesText(text: string, file: string): ProbesFile {
  return new ProbesFile(file, parseProbes(readProbesValue(text, file), file));
}

/** Reads, parses and validates a probes file, refusing one larger than `maxBytes`. */
export function loadProbesFile(file: string, maxBytes: number = DEFAULT_MAX_INPUT_BYTES): ProbesFile {
  let text: string;
  try {
    text = readFileBoundedSync(file, maxBytes);
  } catch (error) {
    const problem = error instanceof InputTooLargeError
      ? `the file is ${error.message}`
      : `cannot read: ${String((error as { message?: unknown } | undefined)?.message ?? error)}`;
    throw new InvalidProbesError([{ file, problem, fix: error instanceof InputTooLargeError ? 'split the probes, or raise --max-input-size' : 'give the path of a probes file' }]);
  }
  return parseProbesText(text, file);
}
