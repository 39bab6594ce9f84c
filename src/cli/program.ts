import { Command, CommanderError } from 'commander';
import { analyzeCommand } from './analyze-command';
import { CliError, ExitCode } from './errors';
import { explainCommand } from './explain-command';
import { CliIO, processIO } from './io';
import { packageVersion } from './version';
import { InvalidManifestsError } from '../analysis';
import { formatIssues } from '../analysis/report';

const PROGRAM_HELP = `
Examples:
  $ zt analyze dist/ --format markdown
  $ zt explain dist/ --from alpha-web/frontend --to alpha-data/backend --port 8080

Run "zt <command> --help" for the options and examples of a command.`;

/** Builds a fresh program per run: commander keeps parsed state on the Command objects. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('zt')
    .description('Connectivity analyzer for Kubernetes NetworkPolicy: reads manifests and tells which connections are allowed, and why.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    })
    // Commander would call process.exit; throwing instead lets run() map usage errors to exit 2 and keeps tests in-process.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', PROGRAM_HELP);
  // addCommand() does not copy the settings above onto subcommands, so each gets them explicitly.
  for (const command of [analyzeCommand(io), explainCommand(io)]) {
    command.copyInheritedSettings(program);
    program.addCommand(command);
  }
  return program;
}

/**
 * Runs `zt` with `argv` as in `process.argv` (node, script, args...) and returns the exit code:
 * 0 success, 1 bad input, 2 usage error. Errors that are not the user's (bugs) are rethrown.
 */
export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv);
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed the message (or the help/version text).
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (error instanceof CliError) {
      io.stderr.write(`zt: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof InvalidManifestsError) {
      io.stderr.write(formatIssues(error.issues));
      const n = error.issues.length;
      io.stderr.write(`zt: ${n} problem${n === 1 ? '' : 's'} in the input; nothing was analyzed. Fix the problems listed above and rerun.\n`);
      return ExitCode.BAD_INPUT;
    }
    throw error;
  }
}
