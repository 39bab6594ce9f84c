import { ManifestIssue } from '../types';

/**
 * Problems in the input, one per line: `file#doc: object field: message`, e.g.
 * `policies.yaml#2: NetworkPolicy alpha/web spec.ingress[0].ports[0].port: must be 1-65535, got 0`.
 * `doc` is the zero-based document index inside the file, like the `[0]` indices of the field path.
 */
export function formatIssues(issues: readonly ManifestIssue[]): string {
  return issues.map((i) => formatIssue(i) + '\n').join('');
}

/** One issue, without the newline. */
export function formatIssue(issue: ManifestIssue): string {
  const where = [issue.object, issue.field].filter((part): part is string => !!part).join(' ');
  return `${issue.file}#${issue.documentIndex}: ${where ? `${where}: ` : ''}${issue.message}`;
}
