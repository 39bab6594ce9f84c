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

/**
 * Thrown by synthesis when the declared intent is invalid; lists every issue, one line each.
 * `issues` is not enumerable and the stack holds only the message, so that a program that lets the
 * error escape prints the problems, not a dump of them (`ZeroTrustApp.synthOrExit()` prints the
 * message alone).
 */
export class ZeroTrustValidationError extends Error {
  /** Every issue of the platforms' intent. */
  declare public readonly issues: readonly ValidationIssue[];
  /** Validation errors of other constructs of the app, `[construct path] message`. */
  declare public readonly constructErrors: readonly string[];

  constructor(issues: readonly ValidationIssue[], constructErrors: readonly string[] = []) {
    const lines = [...issues.map(formatIssue), ...constructErrors];
    super(
      `cdk8s-zero-trust: ${lines.length} invalid declaration${lines.length === 1 ? '' : 's'}; nothing was synthesized:\n  ` +
        lines.join('\n  '),
    );
    const hidden = (value: unknown) => ({ value, enumerable: false, configurable: true, writable: true });
    Object.defineProperties(this, {
      name: hidden('ZeroTrustValidationError'),
      issues: { value: issues, enumerable: false },
      constructErrors: { value: constructErrors, enumerable: false },
      // The message names each construct path; frames would only point into synthesis.
      stack: hidden(`ZeroTrustValidationError: ${this.message}`),
    });
  }
}
