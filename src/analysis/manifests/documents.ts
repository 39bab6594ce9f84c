import { ManifestIssue, ManifestSource } from '../types';
import { describeValue, isRecord } from './fields';
import { DocumentIssues } from './issues';

/** One manifest object and where it came from. */
export interface SourcedDocument {
  readonly source: ManifestSource;
  readonly object: unknown;
  /** Path of the object inside its document when it was unwrapped from a list, e.g. `items[3]`. */
  readonly path?: string;
}

/** A file found while searching a directory and left out, with why. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/** Documents read from files or stdin, plus the problems met while reading them. */
export interface LoadedManifests {
  readonly documents: SourcedDocument[];
  readonly issues: ManifestIssue[];
  /** Files found in directories that were not read as manifests (not Kubernetes objects); absent when none. */
  readonly skipped?: readonly SkippedFile[];
}

/** Plain objects (e.g. `Testing.synth` output) or manifests loaded from files. */
export type ManifestInput = readonly unknown[] | LoadedManifests;

/** The file name given to in-memory objects in issues. */
export const MEMORY_SOURCE = '<memory>';

function joinPath(prefix: string | undefined, suffix: string): string {
  return prefix ? `${prefix}.${suffix}` : suffix;
}

/**
 * Unwraps lists (`kind: List` and bare arrays, as `kubectl get -o yaml` and some tools emit) into their
 * items, recursively, so the rest of the analyzer sees one object per entry.
 */
export function flattenDocument(
  value: unknown,
  source: ManifestSource,
  path: string | undefined,
  issues: ManifestIssue[],
  out: SourcedDocument[],
): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => flattenDocument(item, source, `${path ?? ''}[${index}]`, issues, out));
    return;
  }
  if (isRecord(value) && value.kind === 'List') {
    const items = value.items;
    if (items === null || items === undefined) return;
    if (!Array.isArray(items)) {
      new DocumentIssues(issues, source, path).add('items', `must be a list, got ${describeValue(items)}`);
      return;
    }
    items.forEach((item, index) => flattenDocument(item, source, joinPath(path, `items[${index}]`), issues, out));
    return;
  }
  out.push(path ? { source, object: value, path } : { source, object: value });
}

/** Turns either input form into flattened documents plus any loading issues. */
export function normalizeInput(input: ManifestInput): LoadedManifests {
  if (!Array.isArray(input)) {
    const loaded = input as LoadedManifests;
    const issues = [...loaded.issues];
    const documents: SourcedDocument[] = [];
    for (const document of loaded.documents) {
      flattenDocument(document.object, document.source, document.path, issues, documents);
    }
    return { documents, issues };
  }
  const issues: ManifestIssue[] = [];
  const documents: SourcedDocument[] = [];
  input.forEach((object, documentIndex) => {
    const source = { file: MEMORY_SOURCE, documentIndex };
    if (object === null || object === undefined) {
      new DocumentIssues(issues, source, undefined).add(undefined, `document must be an object, got ${describeValue(object)}`);
      return;
    }
    flattenDocument(object, source, undefined, issues, documents);
  });
  return { documents, issues };
}
