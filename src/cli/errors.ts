/** Exit codes of `zt`. */
export const ExitCode = {
  OK: 0,
  /** The input is bad: invalid manifests, unreadable files, unknown endpoints. */
  BAD_INPUT: 1,
  /** The command line is bad: unknown option, missing argument, malformed value, or a refused request. */
  USAGE: 2,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the user can fix, with its exit code. The message is printed as `zt: <message>` without a
 * stack trace; anything else that escapes a command is a bug and keeps its stack.
 */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode: ExitCodeValue) {
    super(message);
    this.name = 'CliError';
  }
}
