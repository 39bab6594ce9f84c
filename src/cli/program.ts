import { Command, CommanderError } from 'commander';
import { analyzeCommand } from './analyze-command';
import { auditCommand } from './audit-command';
import { checkCommand } from './check-command';
import { diffCommand } from './diff-command';
import { CliError, ERROR_PREFIX, ExitCode, formatInputIssue, formatInternalError, stackOf } from './errors';
import { explainCommand } from './explain-command';
import { CliIO, processIO } from './io';
import { observeCommand } from './observe-command';
import { probeCommand } from './probe-command';
import { packageVersion } from './version';
import { formatProbeProblem, InvalidManifestsError, InvalidProbesError, UnsupportedProbeError } from '../analysis';

const PROGRAM_HELP = `
Examples:
  $ zt analyze dist/ --format markdown
  $ zt explain dist/ --from alpha-web/frontend --to alpha-data/backend --port 8080
  $ zt probe dist/ --probes examples/example-platform/probes.yaml
  $ zt diff main:dist dist --format markdown
  $ zt check dist/platform dist/kubernetes dist/zt-inventory.txt --format sarif
  $ zt audit --context prod --against dist/platform --against dist/kubernetes

Errors are printed on stderr as "zt: <file>:<document>: <field>: <problem>", <document> counting the
documents of the file from 0 (for probes files: "zt: <file>:<probe id or index>: <field>: <problem>. <fix>").
Exit codes: 0 success, 1 invalid or unreadable input (zt check: errors found), 2 usage error, 3 a verdict is not the expected one
(zt explain --expect, zt probe, zt diff --fail-on), 70 internal error (a bug: rerun with --debug and report the stack trace).
Run "zt <command> --help" for the options and examples of a command.`;

/** Builds a fresh program per run: commander keeps parsed state on the Command objects. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('zt')
    .description('Connectivity analyzer for Kubernetes NetworkPolicy: reads manifests and tells which connections are allowed, and why.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--debug', 'on an error, also print its stack trace')
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      // Commander's "error: ..." becomes "zt: ...", like every other error line.
      outputError: (text, write) => write(text.replace(/^error: /, ERROR_PREFIX)),
    })
    // Commander would call process.exit; throwing instead lets run() map usage errors to exit 2 and keeps tests in-process.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', PROGRAM_HELP);
  // addCommand() does not copy the settings above onto subcommands, so each gets them explicitly.
  for (const command of [analyzeCommand(io), explainCommand(io), probeCommand(io), diffCommand(io), checkCommand(io), auditCommand(io)]) {
    command.copyInheritedSettings(program);
    program.addCommand(command);
  }
  program.addCommand(observeCommand(io).copyInheritedSettings(program));
  return program;
}

/** `--debug` anywhere before `--`: known even when parsing failed half-way. */
function wantsDebug(program: Command, argv: readonly string[]): boolean {
  if (program.opts<{ debug?: boolean }>().debug) return true;
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--debug');
}

/**
 * Runs `zt` with `argv` as in `process.argv` (node, script, args...) and returns the exit code:
 * 0 success, 1 bad input, 2 usage error, 3 expectation failed, 70 internal error. Every error is reported on `io.stderr` as
 * `zt: ...` lines; with `--debug`, with its stack trace.
 */
export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return ExitCode.OK;
  } catch (error) {
    const debug = wantsDebug(program, argv);
    if (error instanceof CommanderError) {
      // Commander has already printed the message (or the help/version text).
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (error instanceof CliError) {
      io.stderr.write(`${ERROR_PREFIX}${error.message}\n`);
      if (debug) io.stderr.write(`${stackOf(error)}\n`);
      return error.exitCode;
    }
    if (error instanceof InvalidProbesError || error instanceof UnsupportedProbeError) {
      const lines = error.problems.length > 0 ? error.problems.map(formatProbeProblem) : [error.message];
      for (const line of lines) io.stderr.write(`${ERROR_PREFIX}${line}\n`);
      if (debug) io.stderr.write(`${stackOf(error)}\n`);
      return error instanceof InvalidProbesError ? ExitCode.BAD_INPUT : ExitCode.USAGE;
    }
    if (error instanceof InvalidManifestsError) {
      for (const issue of error.issues) io.stderr.write(formatInputIssue(issue));
      const n = error.issues.length;
      io.stderr.write(`${ERROR_PREFIX}${n} problem${n === 1 ? '' : 's'} in the input; nothing was analyzed. Fix the problems listed above and rerun.\n`);
      if (debug) io.stderr.write(`${stackOf(error)}\n`);
      return ExitCode.BAD_INPUT;
    }
    io.stderr.write(formatInternalError(error, debug));
    return ExitCode.INTERNAL;
  }
}
