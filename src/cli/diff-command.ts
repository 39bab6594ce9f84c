import { Command, Option } from 'commander';
import { cniOption, meshOption } from './analyze-command';
import { CliError, ExitCode } from './errors';
import { checkoutRevision, parseRevisionSpec, RevisionTree } from './git-revision';
import { addInputOptions, InputFlags } from './input';
import { CliInput, loadInputs } from './inventory-input';
import { CliIO, OutputStream } from './io';
import { collectExternal, collectPort } from './options';
import { Progress } from './progress';
import { AnalyzeMeshOption, CniOption, InvalidManifestsError, ProbePort } from '../analysis';
import { ConnectivityDiff, diffConnectivity } from '../analysis/diff';
import { DIFF_FORMATS, DiffFormat, formatDiff } from '../analysis/report/diff';

export const FAIL_ON = ['opened', 'closed', 'any'] as const;
export type FailOn = (typeof FAIL_ON)[number];

interface DiffFlags extends InputFlags {
  readonly cni: CniOption;
  readonly mesh: AnalyzeMeshOption;
  readonly format: DiffFormat;
  readonly failOn?: FailOn;
  readonly port?: ProbePort[];
  readonly external?: Record<string, string>;
}

const EXAMPLES = `
Examples:
  $ zt diff main:dist dist                          what the working tree changes against main
  $ zt diff main:dist HEAD:dist --format markdown   for a pull-request comment
  $ zt diff old/ new/ --fail-on opened              exit 3 when the change opens any connection
  $ zt diff main:dist/kubernetes dist/kubernetes --format json | jq '.opened[] | "\\(.from) -> \\(.to)"'

Sides: BASE and HEAD are each a file or directory, or REV:PATH, the files under PATH at a git revision (PATH from the
repository's top, as in git show REV:PATH; ./PATH from the current directory). Each side is read as zt analyze
reads it, inventory files (zt-inventory.txt) included. Both are evaluated over the same endpoints: every pod,
namespace and node of either side, so a connection is compared with itself.
Work: when only policy objects changed, only the endpoints those policies select are compared; a change to anything
else (labels, pods, services, tiers, network sets) compares every endpoint.
What is compared: L3/L4 verdicts (ports with HTTP rules count as allowed at L3/L4, as in zt analyze).
Output: the summary line, then each connection opened (+) or closed (-) with the rules that decide it before and
after. Markdown puts the detail in a collapsible section; JSON gives each side as zt explain --format json does.
Exit codes: 0 success (also when connections changed, unless --fail-on), 1 invalid or unreadable input, 2 usage
error (including an unknown revision), 3 --fail-on matched, 70 internal error.`;

/** `zt diff BASE HEAD`: the connections a change opens and closes. */
export function diffCommand(io: CliIO): Command {
  const command = new Command('diff')
    .description('Compare two manifest sets (directories, files or git revisions of a path) and list the connections the change opens and closes.')
    .argument('<base>', 'the manifests before: a file, a directory, or REV:PATH')
    .argument('<head>', 'the manifests after: a file, a directory, or REV:PATH')
    .addOption(new Option('-f, --format <format>', 'output format').choices(DIFF_FORMATS).default('table'))
    .addOption(new Option('--fail-on <change>', 'exit 3 when a connection is opened, closed, or either').choices(FAIL_ON))
    .option('-p, --port <port>', 'probe this port on every destination: N or N/PROTO; repeatable', collectPort)
    .option('-e, --external <name=ip>', 'add an external endpoint external:NAME at IP; repeatable', collectExternal)
    .addOption(cniOption())
    .addOption(meshOption());
  return addInputOptions(command)
    .addHelpText('after', EXAMPLES)
    .action((base: string, head: string, flags: DiffFlags) => diff(base, head, flags, io));
}

/** Writes to `stream` with the temporary directories of git revisions replaced by the revisions' names. */
function renamingStream(stream: OutputStream, rename: (text: string) => string): OutputStream {
  return { isTTY: stream.isTTY, write: (chunk: string) => stream.write(rename(chunk)) };
}

function diff(base: string, head: string, flags: DiffFlags, io: CliIO): void {
  const trees: RevisionTree[] = [];
  const rename = (text: string): string =>
    trees.reduce((out, tree) => out.split(`${tree.root}/`).join(`${tree.spec.slice(0, tree.spec.indexOf(':') + 1)}`), text);
  const progress = new Progress(io.stderr);
  try {
    const paths = [base, head].map((given) => {
      if (!parseRevisionSpec(given)) return [given];
      progress.status(`reading ${given} from git…`);
      const tree = checkoutRevision(given);
      trees.push(tree);
      return tree.paths;
    });
    const sideIO: CliIO = { ...io, stderr: renamingStream(io.stderr, rename) };
    const sides: CliInput[] = paths.map((given) => loadInputs(given, sideIO, flags));
    const externals = { ...sides[0].externals, ...sides[1].externals, ...flags.external };
    const externalPorts = { ...sides[0].externalPorts, ...sides[1].externalPorts };
    progress.status(`comparing ${sides[0].loaded.documents.length} and ${sides[1].loaded.documents.length} documents…`);
    let result: ConnectivityDiff;
    try {
      result = diffConnectivity(sides[0].loaded, sides[1].loaded, { cni: flags.cni, mesh: flags.mesh, ports: flags.port, externals, externalPorts });
    } catch (error) {
      if (error instanceof InvalidManifestsError) {
        throw new InvalidManifestsError(error.issues.map((issue) => ({ ...issue, file: rename(issue.file) })));
      }
      throw error;
    }
    progress.clear();
    io.stdout.write(formatDiff(result, flags.format));
    if (failed(result, flags.failOn)) {
      throw new CliError(`--fail-on ${flags.failOn}: ${describeFailure(result, flags.failOn)}`, ExitCode.EXPECTATION_FAILED);
    }
  } finally {
    progress.clear();
    for (const tree of trees) tree.dispose();
  }
}

function failed(result: ConnectivityDiff, failOn: FailOn | undefined): boolean {
  if (failOn === undefined) return false;
  const opened = result.opened.length > 0;
  const closed = result.closed.length > 0;
  return failOn === 'opened' ? opened : failOn === 'closed' ? closed : opened || closed;
}

function describeFailure(result: ConnectivityDiff, failOn: FailOn | undefined): string {
  const parts: string[] = [];
  if (failOn !== 'closed' && result.opened.length > 0) parts.push(`${result.opened.length} opened`);
  if (failOn !== 'opened' && result.closed.length > 0) parts.push(`${result.closed.length} closed`);
  return `the change has ${parts.join(' and ')} connection${result.opened.length + result.closed.length === 1 ? '' : 's'}`;
}
