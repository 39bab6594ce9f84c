/**
 * Validation issues are values: every check records one, with the construct path, the field and
 * the fix, and synthesis fails once with all of them. Nothing is written when any issue exists.
 */
export interface ValidationIssue {
  /** Construct path of the declaration at fault, e.g. `platform/alpha/alpha-web/frontend`. */
  readonly path: string;
  /** The offending property, e.g. `labels["app"]` or `allowTo(#2).ports[0]`. */
  readonly field: string;
  /** What is wrong, including the offending value. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** One line per issue: `[path] field: message. Fix: fix`. */
export function formatIssue(issue: ValidationIssue): string {
  return `[${issue.path}] ${issue.field}: ${issue.message}. Fix: ${issue.fix}`;
}

/** Thrown by synthesis when the declared intent is invalid; lists every issue. */
export class ZeroTrustValidationError extends Error {
  public readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(
      `cdk8s-zero-trust: ${issues.length} invalid declaration${issues.length === 1 ? '' : 's'}; nothing was synthesized:\n  ` +
        issues.map(formatIssue).join('\n  '),
    );
    this.name = 'ZeroTrustValidationError';
    this.issues = issues;
  }
}
