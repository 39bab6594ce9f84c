import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ManifestIssue, ManifestSource } from '../types';
import { flattenDocument, LoadedManifests, SourcedDocument } from './documents';
import { DocumentIssues } from './issues';

export const STDIN_SOURCE = '<stdin>';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface LoadManifestOptions {
  /** Reads standard input for the path `-`; defaults to reading file descriptor 0. */
  readonly readStdin?: () => string;
}

/** Line and column (1-based) of a character offset, for JSON errors that only give a position. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function parseJson(text: string, file: string, issues: ManifestIssue[], out: SourcedDocument[]): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const where = position ? lineAndColumn(text, Number(position[1])) : undefined;
    const suffix = where && !/line \d+/.test(message) ? ` (line ${where.line}, column ${where.column})` : '';
    new DocumentIssues(issues, { file, documentIndex: 0 }, undefined).add(undefined, `invalid JSON: ${message}${suffix}`);
    return;
  }
  // A top-level JSON array counts its elements as the documents; anything else is document 0.
  if (Array.isArray(value)) {
    value.forEach((item, documentIndex) => addDocument(item, { file, documentIndex }, issues, out));
  } else {
    addDocument(value, { file, documentIndex: 0 }, issues, out);
  }
}

function addDocument(value: unknown, source: ManifestSource, issues: ManifestIssue[], out: SourcedDocument[]): void {
  if (value !== null && value !== undefined && typeof value !== 'object') {
    new DocumentIssues(issues, source, undefined).add(undefined, `document must be an object, got ${typeof value} ${JSON.stringify(value)}`);
    return;
  }
  flattenDocument(value, source, undefined, issues, out);
}

function parseYaml(text: string, file: string, issues: ManifestIssue[], out: SourcedDocument[]): void {
  const documents = parseAllDocuments(text, { merge: true });
  documents.forEach((document, documentIndex) => {
    const source = { file, documentIndex };
    if (document.errors.length > 0) {
      const reporter = new DocumentIssues(issues, source, undefined);
      for (const error of document.errors) {
        // The parser's message starts with the reason and "at line L, column C"; the code excerpt that follows is noise here.
        reporter.add(undefined, `invalid YAML: ${error.message.split(':\n')[0]}`);
      }
      return;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      new DocumentIssues(issues, source, undefined).add(undefined, `invalid YAML: ${(error as Error).message}`);
      return;
    }
    addDocument(value, source, issues, out);
  });
}

/** Parses one file's text: JSON when the file is `.json` (or stdin that starts like JSON), multi-document YAML otherwise. */
export function parseManifestText(rawText: string, file: string, issues: ManifestIssue[], out: SourcedDocument[]): void {
  const text = rawText.replace(/^\uFEFF/, '');
  const looksLikeJson = file.endsWith('.json') || (file === STDIN_SOURCE && /^\s*[[{]/.test(text));
  if (looksLikeJson) {
    parseJson(text, file, issues, out);
  } else {
    parseYaml(text, file, issues, out);
  }
}

/**
 * Parses manifests held in a string (multi-document YAML, or JSON), reporting problems under `file`, as
 * `loadManifestFiles` does for files.
 */
export function loadManifestText(text: string, file: string): LoadedManifests {
  const documents: SourcedDocument[] = [];
  const issues: ManifestIssue[] = [];
  parseManifestText(text, file, issues, documents);
  return { documents, issues };
}

function listManifestFiles(directory: string, visited: Set<string>): string[] {
  const real = fs.realpathSync(directory);
  if (visited.has(real)) return [];
  visited.add(real);
  const files: string[] = [];
  for (const entry of fs.readdirSync(directory).sort()) {
    const full = path.join(directory, entry);
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      files.push(...listManifestFiles(full, visited));
    } else if (stat.isFile() && MANIFEST_EXTENSIONS.has(path.extname(entry).toLowerCase())) {
      files.push(full);
    }
  }
  return files;
}

function readStdinSync(): string {
  return fs.readFileSync(0, 'utf8');
}

/**
 * Reads manifests from files, directories (recursively: *.yaml, *.yml, *.json, sorted by path) and `-`
 * (stdin). Problems are returned as issues rather than thrown, so one run reports all of them.
 */
export function loadManifestFiles(paths: readonly string[], options: LoadManifestOptions = {}): LoadedManifests {
  const documents: SourcedDocument[] = [];
  const issues: ManifestIssue[] = [];
  const visited = new Set<string>();
  // A file named twice (directly and through its directory) would otherwise report every object as a duplicate.
  const read = new Set<string>();
  for (const given of paths) {
    if (given === '-') {
      parseManifestText((options.readStdin ?? readStdinSync)(), STDIN_SOURCE, issues, documents);
      continue;
    }
    let files: string[];
    try {
      files = fs.statSync(given).isDirectory() ? listManifestFiles(given, visited) : [given];
    } catch (error) {
      new DocumentIssues(issues, { file: given, documentIndex: 0 }, undefined).add(undefined, `cannot read: ${(error as Error).message}`);
      continue;
    }
    for (const file of files) {
      let text: string;
      try {
        const real = fs.realpathSync(file);
        if (read.has(real)) continue;
        read.add(real);
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        new DocumentIssues(issues, { file, documentIndex: 0 }, undefined).add(undefined, `cannot read: ${(error as Error).message}`);
        continue;
      }
      parseManifestText(text, file, issues, documents);
    }
  }
  return { documents, issues };
}
