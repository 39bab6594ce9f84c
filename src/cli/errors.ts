import { formatManifestIssue } from '../analysis/manifests/issues';
import { ManifestIssue } from '../analysis/types';

/** Exit codes of `zt`. */
export const ExitCode = {
  OK: 0,
  /** The input is bad: invalid manifests, unreadable or oversized files, unknown endpoints. */
  BAD_INPUT: 1,
  /** The command line is bad: unknown option, missing argument, malformed value, or a refused request. */
  USAGE: 2,
  /** A verdict differs from the expected one (`zt explain --expect`, and `zt probe` by its contract). */
  EXPECTATION_FAILED: 3,
  /** A bug in zt: not the user's fault; `--debug` prints the stack trace to report. EX_SOFTWARE of sysexits.h. */
  INTERNAL: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Every line `zt` writes about an error starts with this, so logs can be searched for it. */
export const ERROR_PREFIX = 'zt: ';

/**
 * An error the user can fix, with its exit code. The message is printed as `zt: <message>` without a
 * stack trace (unless `--debug`); anything else that escapes a command is a bug.
 */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode: ExitCodeValue) {
    super(message);
    this.name = 'CliError';
  }
}

/** One input problem as a line of stderr: `zt: <file>:<document>: <field>: <problem> [<object>]`. */
export function formatInputIssue(issue: ManifestIssue): string {
  return `${ERROR_PREFIX}${formatManifestIssue(issue)}\n`;
}

/** What a bug looks like to the user: said to be one, with how to get the details to report. */
export function formatInternalError(error: unknown, debug: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  const head = `${ERROR_PREFIX}internal error (a bug in zt, not a problem with your input): ${message}`;
  if (debug) return `${head}\n${stackOf(error)}\n`;
  return `${head}\n${ERROR_PREFIX}rerun with --debug for the stack trace, and please report it with that output.\n`;
}

/** The stack of an error (its message when it has none), for `--debug`. */
export function stackOf(error: unknown): string {
  return (error instanceof Error ? error.stack : undefined) ?? String(error);
}
