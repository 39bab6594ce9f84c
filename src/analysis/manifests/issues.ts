import { ManifestIssue, ManifestSource } from '../types';

/**
 * One line per issue: `file:document: field: message`, with the object appended when known, e.g.
 * `policies.yaml:2: spec.ingress[0].ports[0].port: must be an integer between 1 and 65535, got 0
 * [NetworkPolicy alpha/web]`. The document is the zero-based index of the document in the file (or of
 * the element of a top-level JSON array), like the `[0]` indices of the field path.
 */
export function formatManifestIssue(issue: ManifestIssue): string {
  const location = `${issue.file}:${issue.documentIndex}`;
  const where = issue.field ? `${location}: ${issue.field}` : location;
  const object = issue.object ? ` [${issue.object}]` : '';
  return `${where}: ${issue.message}${object}`;
}

/** Thrown when the input holds any issue: the analyzer never guesses a verdict from broken or rejected manifests. */
export class InvalidManifestsError extends Error {
  readonly issues: ManifestIssue[];

  constructor(issues: readonly ManifestIssue[]) {
    const count = issues.length === 1 ? '1 issue' : `${issues.length} issues`;
    super(`Invalid manifests (${count}):\n${issues.map((issue) => `  - ${formatManifestIssue(issue)}`).join('\n')}`);
    this.name = 'InvalidManifestsError';
    this.issues = [...issues];
  }
}

/**
 * Records issues for one document, so every check reports the same file, index, object and field prefix
 * (`items[3].` for an item of a `kind: List`).
 */
export class DocumentIssues {
  constructor(
    private readonly sink: ManifestIssue[],
    readonly source: ManifestSource,
    private readonly pathPrefix: string | undefined,
    private object: string | undefined = undefined,
  ) {}

  /** Names the object once its kind and name are known, for every later issue. */
  describeObject(object: string): void {
    this.object = object;
  }

  add(field: string | undefined, message: string): void {
    const fullField = this.pathPrefix ? [this.pathPrefix, field].filter((part) => part).join('.') : field;
    this.sink.push({
      file: this.source.file,
      documentIndex: this.source.documentIndex,
      ...(this.object ? { object: this.object } : {}),
      ...(fullField ? { field: fullField } : {}),
      message,
    });
  }
}

/** Orders issues by file (in first-seen order), then document, keeping discovery order otherwise. */
export function sortIssues(issues: readonly ManifestIssue[]): ManifestIssue[] {
  const fileOrder = new Map<string, number>();
  for (const issue of issues) {
    if (!fileOrder.has(issue.file)) fileOrder.set(issue.file, fileOrder.size);
  }
  return issues
    .map((issue, position) => ({ issue, position }))
    .sort((a, b) => (fileOrder.get(a.issue.file)! - fileOrder.get(b.issue.file)!)
      || (a.issue.documentIndex - b.issue.documentIndex)
      || (a.position - b.position))
    .map(({ issue }) => issue);
}
