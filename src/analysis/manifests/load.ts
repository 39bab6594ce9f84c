import * as fs from 'fs';
import { LoadedManifests, SkippedFile, flattenDocument, SourcedDocument } from './documents';
import { isRecord } from './fields';
import { DocumentIssues } from './issues';
import { compileExclude, listManifestFiles } from '../input/directory';
import { readJsonStream } from '../input/json-stream';
import { DEFAULT_MAX_INPUT_BYTES, DEFAULT_MAX_NESTING_DEPTH, formatByteSize } from '../input/limits';
import { InputTooLargeError, readBoundedSync, readFileBoundedSync } from '../input/read-bounded';
import { readYamlStream } from '../input/yaml-stream';
import { InputProblemSink } from '../input/yaml-to-json';
import { ManifestIssue, ManifestSource } from '../types';

export const STDIN_SOURCE = '<stdin>';

export interface LoadManifestOptions {
  /**
   * Reads standard input for the path `-`; given the limit, it should stop reading past `maxBytes`
   * (throwing `InputTooLargeError`, as the default reader of file descriptor 0 does). Text longer than
   * the limit is refused either way.
   */
  readonly readStdin?: (maxBytes: number) => string;
  /** The largest file, or standard input, that is read, in bytes; default 64 MiB. */
  readonly maxInputBytes?: number;
  /**
   * The deepest nesting of maps and lists accepted in a document (aliases expanded); default 256.
   * Far higher values let hostile input exhaust the stack.
   */
  readonly maxNestingDepth?: number;
  /**
   * Globs of files and directories skipped while searching directories: a pattern without `/` matches a
   * name at any depth (`*.values.yaml`), one with `/` the path below the directory given (`charts/**`).
   * Paths given explicitly are always read.
   */
  readonly exclude?: readonly string[];
}

interface ParseLimits {
  readonly maxDepth: number;
}

function addDocument(value: unknown, source: ManifestSource, issues: ManifestIssue[], out: SourcedDocument[]): void {
  if (value !== null && value !== undefined && typeof value !== 'object') {
    new DocumentIssues(issues, source, undefined).add(undefined, `document must be an object, got ${typeof value} ${JSON.stringify(value)}`);
    return;
  }
  flattenDocument(value, source, undefined, issues, out);
}

/** A document's value as parsed, before lists are unwrapped. */
interface ParsedValue {
  readonly documentIndex: number;
  readonly value: unknown;
}

/**
 * Parses one file's text: JSON when the file is `.json`; multi-document YAML otherwise, read as the API
 * server reads it (go-yaml v2: YAML 1.1 booleans, Go number syntax, duplicate keys rejected). Standard
 * input that starts with `{` or `[` is read as JSON (one value, a top-level array of documents, or
 * values one after the other) unless something else than JSON follows, such as `---` between JSON
 * documents: then the whole of it is read as a YAML stream, which JSON documents are valid in.
 */
function parseText(rawText: string, file: string, limits: ParseLimits, problems: InputProblemSink, onValue: (parsed: ParsedValue) => void): void {
  const text = rawText.replace(/^\uFEFF/, '');
  const onDocument = (documentIndex: number, value: unknown): void => onValue({ documentIndex, value });
  const isJsonFile = file.toLowerCase().endsWith('.json');
  if (isJsonFile || (file === STDIN_SOURCE && /^\s*[[{]/.test(text))) {
    if (readJsonStream(text, { maxDepth: limits.maxDepth, strict: isJsonFile }, onDocument, problems)) return;
  }
  readYamlStream(text, { maxDepth: limits.maxDepth }, onDocument, problems);
}

function issueSink(file: string, issues: ManifestIssue[]): InputProblemSink {
  return (documentIndex, problem) => new DocumentIssues(issues, { file, documentIndex }, undefined).add(problem.path, problem.message);
}

/** Parses one file's text into `out`, every problem into `issues`. */
function parseManifestText(text: string, file: string, limits: ParseLimits, issues: ManifestIssue[], out: SourcedDocument[]): void {
  parseText(text, file, limits, issueSink(file, issues), ({ documentIndex, value }) => addDocument(value, { file, documentIndex }, issues, out));
}

/**
 * Parses manifests held in a string (multi-document YAML, or JSON when `file` ends in `.json`), reporting
 * problems under `file`, as `loadManifestFiles` does for files.
 */
export function loadManifestText(text: string, file: string, options: Pick<LoadManifestOptions, 'maxNestingDepth'> = {}): LoadedManifests {
  const documents: SourcedDocument[] = [];
  const issues: ManifestIssue[] = [];
  parseManifestText(text, file, { maxDepth: options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH }, issues, documents);
  return { documents, issues };
}

function readStdinSync(maxBytes: number): string {
  return readBoundedSync(0, maxBytes);
}

/** `cannot read`, or the size refusal with the option that raises the limit. */
export function readProblem(error: unknown, file: string): string {
  if (error instanceof InputTooLargeError) {
    const what = file === STDIN_SOURCE ? 'standard input' : 'the file';
    const size = error.size === undefined ? `more than ${formatByteSize(error.limit)}` : formatByteSize(error.size);
    return `${what} is ${size}, over the ${formatByteSize(error.limit)} input limit. ` +
      'Raise the limit with --max-input-size (maxInputBytes in the API) if the input is trusted';
  }
  // Node's fs errors come from another realm under jest, so no `instanceof Error` here.
  const message = (error as { message?: unknown } | undefined)?.message;
  return `cannot read: ${typeof message === 'string' ? message : String(error)}`;
}

/** True for a value with `apiVersion` or `kind`, or a list holding one (as `kubectl get -o json` writes them). */
function looksLikeKubernetes(value: unknown): boolean {
  if (Array.isArray(value)) return value.some((item) => typeof item === 'object' && item !== null && !Array.isArray(item) && looksLikeKubernetes(item));
  return typeof value === 'object' && value !== null &&
    (Object.prototype.hasOwnProperty.call(value, 'apiVersion') || Object.prototype.hasOwnProperty.call(value, 'kind'));
}

function isKustomization(value: unknown): boolean {
  return isRecord(value) && typeof value.apiVersion === 'string' && value.apiVersion.startsWith('kustomize.config.k8s.io/');
}

/**
 * Parses a file found while searching a directory. One whose documents parse but none of which has
 * `apiVersion` or `kind` (a Helm values.yaml, a CI workflow, a tsconfig.json) is not an inventory file:
 * it is skipped with a note rather than failing the run. One that does not parse is still an error.
 */
function parseFoundFile(
  text: string,
  file: string,
  limits: ParseLimits,
  issues: ManifestIssue[],
  out: SourcedDocument[],
  skipped: SkippedFile[],
): void {
  const values: ParsedValue[] = [];
  const fileIssues: ManifestIssue[] = [];
  parseText(text, file, limits, issueSink(file, fileIssues), (parsed) => values.push(parsed));
  const documents = values.filter(({ value }) => value !== null && value !== undefined);
  if (fileIssues.length === 0 && documents.length > 0 && !documents.some(({ value }) => looksLikeKubernetes(value))) {
    skipped.push({ file, reason: 'no document has apiVersion or kind, so it is not a Kubernetes manifest' });
    return;
  }
  // A kustomization is how kustomize builds its folder, not an object of the cluster: the manifests it
  // lists sit beside it and are read as found (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/).
  if (fileIssues.length === 0 && documents.length > 0 && documents.every(({ value }) => isKustomization(value))) return;
  for (const issue of fileIssues) issues.push(issue);
  for (const { documentIndex, value } of values) addDocument(value, { file, documentIndex }, issues, out);
}

/**
 * Reads manifests from files, directories and `-` (stdin). Directories are searched recursively for
 * *.yaml, *.yml and *.json (sorted by path), skipping node_modules, .git and what `exclude` matches;
 * a file found there whose documents all lack `apiVersion` and `kind` (a Helm values.yaml, a CI
 * workflow) is skipped and listed in `skipped`. Files named explicitly are always read, strictly.
 * Problems are returned as issues rather than thrown, so one run reports all of them.
 */
export function loadManifestFiles(paths: readonly string[], options: LoadManifestOptions = {}): LoadedManifests {
  const documents: SourcedDocument[] = [];
  const issues: ManifestIssue[] = [];
  const skipped: SkippedFile[] = [];
  const visited = new Set<string>();
  const maxBytes = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const limits: ParseLimits = { maxDepth: options.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH };
  const exclude = (options.exclude ?? []).map(compileExclude);
  const fileIssue = (file: string, message: string): void => {
    new DocumentIssues(issues, { file, documentIndex: 0 }, undefined).add(undefined, message);
  };
  // A file named twice (directly and through its directory) would otherwise report every object as a duplicate.
  const read = new Set<string>();
  for (const given of paths) {
    if (given === '-') {
      let text: string;
      try {
        text = (options.readStdin ?? readStdinSync)(maxBytes);
        if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new InputTooLargeError(Buffer.byteLength(text, 'utf8'), maxBytes);
      } catch (error) {
        if (!(error instanceof InputTooLargeError)) throw error;
        fileIssue(STDIN_SOURCE, readProblem(error, STDIN_SOURCE));
        continue;
      }
      parseManifestText(text, STDIN_SOURCE, limits, issues, documents);
      continue;
    }
    let files: string[];
    let searched = false;
    try {
      searched = fs.statSync(given).isDirectory();
      files = searched ? listManifestFiles(given, exclude, visited, (file, error) => fileIssue(file, readProblem(error, file))) : [given];
    } catch (error) {
      fileIssue(given, readProblem(error, given));
      continue;
    }
    for (const file of files) {
      let text: string;
      try {
        const real = fs.realpathSync(file);
        if (read.has(real)) continue;
        read.add(real);
        text = readFileBoundedSync(file, maxBytes);
      } catch (error) {
        fileIssue(file, readProblem(error, file));
        continue;
      }
      if (searched) {
        parseFoundFile(text, file, limits, issues, documents, skipped);
      } else {
        parseManifestText(text, file, limits, issues, documents);
      }
    }
  }
  return skipped.length > 0 ? { documents, issues, skipped } : { documents, issues };
}
