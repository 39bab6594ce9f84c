/** Problems with probes, each naming the probes file, the probe and the field, with the fix. */

export interface ProbeProblem {
  /** The probes file, or `<probes>` for probes given in code. */
  readonly file: string;
  /** The probe's id, or its index when it has none; absent for a problem with the whole file. */
  readonly probe?: string;
  /** The field, e.g. `to.service` or `port`. */
  readonly field?: string;
  readonly problem: string;
  /** What to do about it. */
  readonly fix: string;
}

/** `<file>:<probe>: <field>: <problem>. <fix>`, the parts that are known. */
export function formatProbeProblem(problem: ProbeProblem): string {
  const where = [problem.file, problem.probe].filter((part) => part !== undefined).join(':');
  const field = problem.field ? ` ${problem.field}:` : '';
  return `${where}:${field} ${problem.problem}. ${problem.fix}`;
}

function describe(problems: readonly ProbeProblem[]): string {
  return problems.map(formatProbeProblem).join('\n');
}

/** The probes, or the endpoints they name, are not what the input holds: the caller's input to fix (`zt` exit 1). */
export class InvalidProbesError extends Error {
  readonly problems: readonly ProbeProblem[];

  constructor(problems: readonly ProbeProblem[]) {
    super(describe(problems));
    this.name = 'InvalidProbesError';
    this.problems = [...problems];
  }
}

/** The probes cannot be answered with the dialects asked for, or the dialects are not implemented yet (`zt` exit 2). */
export class UnsupportedProbeError extends Error {
  /** The probes that cannot be answered; empty when the whole request cannot be (an unimplemented `--cni`). */
  readonly problems: readonly ProbeProblem[];

  constructor(messageOrProblems: string | readonly ProbeProblem[]) {
    super(typeof messageOrProblems === 'string' ? messageOrProblems : describe(messageOrProblems));
    this.name = 'UnsupportedProbeError';
    this.problems = typeof messageOrProblems === 'string' ? [] : [...messageOrProblems];
  }
}
