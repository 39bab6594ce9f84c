import { Command, Option } from 'commander';
import { CliError, ExitCode } from './errors';
import { addInputOptions, InputFlags } from './input';
import { loadInputs, mergeExternals } from './inventory-input';
import { CliIO, writeChunks } from './io';
import { formatNotes, noPodsMessage, noPolicySelectsMessage, unselectedPoliciesWarning } from './notes';
import { collectExternal, collectPort } from './options';
import { Progress } from './progress';
import { computeConnectivity, Connectivity, policyCoverage, PolicyCoverage } from '../analysis';
import { formatDot, formatMarkdown, formatSummary, formatTable, jsonChunks } from '../analysis/report';
import { AnalyzeMeshOption, AnalyzeOptions, CniOption, ProbePort } from '../analysis/types';

/** Above this many verdicts only `--summary` is printed: a 10^8-row matrix or JSON file is of no use to anyone. */
export const MAX_VERDICTS = 1_000_000;

export const REPORT_FORMATS = ['table', 'json', 'markdown', 'dot'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

interface AnalyzeFlags extends InputFlags {
  readonly cni: CniOption;
  readonly mesh: AnalyzeMeshOption;
  readonly format: ReportFormat;
  readonly port?: ProbePort[];
  readonly external?: Record<string, string>;
  readonly summary?: boolean;
}

const EXAMPLES = `
Examples:
  $ zt analyze dist/                                   matrix of every probed connection
  $ zt analyze dist/ --format markdown > matrix.md     for a pull-request comment
  $ zt analyze a.yaml b.yaml --port 80 --port 53/UDP --format json | jq '.connections[] | select(.allowed)'
  $ kubectl get namespaces,pods,networkpolicies -A -o yaml | zt analyze -
  $ zt analyze dist/ --external dns=8.8.8.8 --format dot | dot -Tsvg > connectivity.svg
  $ zt analyze inventory/ --summary                    counts per namespace pair, for large inventories

Pods: a directory that a ZeroTrustApp synthesized holds zt-inventory.txt, the representative pods of the
declared workloads and peers, read automatically; real Pod and workload objects in the input replace the
representative pods they match. An input with no pods, or whose policies select none of its pods, is an error;
policies that select no pod while others do are listed in a warning on stderr.
CNI: --cni auto (the default) picks cilium when the input holds Cilium kinds, as zt probe does; --cni kubernetes
evaluates NetworkPolicy alone and lists other policy kinds as ignored; --cni cilium merges NetworkPolicy and
CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy per endpoint (a deny wins), with nodes as endpoints. A port
with HTTP rules counts as allowed at L3/L4 here; zt probe judges requests.
Mesh: --mesh auto (the default) adds Istio when the input holds security.istio.io kinds; --mesh istio layers
PeerAuthentication and AuthorizationPolicy (sidecar mode) on the CNI verdict, a connection passing only if both
allow it, with auto mTLS and no HTTP request (HTTP conditions admit the connection, as for Cilium); what the
analyzer cannot judge (CUSTOM providers, ambient mode) counts as denied; --mesh none lists Istio kinds as ignored.
Ports: without --port, each destination is probed on the container ports its pod declares.
Notes about assumptions (undefined namespaces, ignored kinds, files skipped) are printed on stderr as "note: ...".
Directories: node_modules and .git are never searched; a file found there with no apiVersion and no kind in any
document (a values.yaml, a CI workflow) is skipped with a note. Files given explicitly must be manifests.
Errors: "zt: <file>:<document>: <field>: <problem>" on stderr, <document> counting from 0.
Exit codes: 0 success, 1 invalid, unreadable or oversized input, or no pod for the policies to select, 2 usage
error (including more than ${MAX_VERDICTS.toLocaleString('en-US')} verdicts without --summary), 70 internal error
(rerun with --debug and report it).`;

/** `--cni`: which dialects enforce (shared by analyze and explain). */
export function cniOption(): Option {
  return new Option('--cni <cni>', 'the network dialects that enforce: auto (cilium when the input holds Cilium kinds, '
    + 'else calico when it holds Calico kinds, else kubernetes), kubernetes (NetworkPolicy alone), cilium or calico')
    .choices(['auto', 'kubernetes', 'cilium', 'calico'])
    .default('auto');
}

/** `--mesh`: the service mesh that enforces on top of the CNI (shared by analyze and explain). */
export function meshOption(): Option {
  return new Option('--mesh <mesh>', 'the service mesh that enforces on top of the CNI: auto (istio when the input holds '
    + 'security.istio.io kinds), none, or istio (PeerAuthentication and AuthorizationPolicy, sidecar mode)')
    .choices(['auto', 'none', 'istio'])
    .default('auto');
}

/** `zt analyze PATH...`: which connections the network policies in the manifests allow. */
export function analyzeCommand(io: CliIO): Command {
  const command = new Command('analyze')
    .description('Compute which connections the network policies in the manifests allow, for every ordered pair of pods and every probed port.')
    .argument('<paths...>', 'manifest files, directories (searched recursively for *.yaml, *.yml, *.json), or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(REPORT_FORMATS).default('table'))
    .option('-p, --port <port>', 'probe this port on every destination: N or N/PROTO, PROTO one of TCP (default), UDP, SCTP; repeatable', collectPort)
    .option('-e, --external <name=ip>', 'add an external endpoint external:NAME at IP, matched by ipBlock rules; repeatable', collectExternal)
    .option('-s, --summary', 'print allowed/evaluated counts per namespace pair instead of every verdict (for large inventories)')
    .addOption(cniOption())
    .addOption(meshOption());
  return addInputOptions(command)
    .addHelpText('after', EXAMPLES)
    .action((paths: string[], flags: AnalyzeFlags) => analyze(paths, flags, io));
}

function analyze(paths: readonly string[], flags: AnalyzeFlags, io: CliIO): void {
  const progress = new Progress(io.stderr);
  progress.status(`reading ${paths.length === 1 ? paths[0] : `${paths.length} paths`}…`);
  const { loaded, externals, externalPorts } = loadInputs(paths, io, flags);
  const options: AnalyzeOptions = {
    ports: flags.port,
    externals: mergeExternals(externals, flags.external, io),
    externalPorts,
    cni: flags.cni,
    mesh: flags.mesh,
  };
  let connectivity: Connectivity;
  try {
    connectivity = computeConnectivity(loaded, options);
  } finally {
    progress.clear();
  }
  const pods = connectivity.endpoints.filter((e) => !e.startsWith('external:')).length;
  // Every dialect's policies (tiers, network sets and CIDR groups aside), as the chosen CNI and mesh read them.
  const coverage = policyCoverage(connectivity);
  progress.status(`loaded ${loaded.documents.length} documents, ${pods} pods, ${coverage.policies} policies; evaluating…`);
  checkCoverage(coverage, connectivity.endpoints.length, progress);

  let output: Iterable<string>;
  try {
    if (flags.summary) {
      output = [formatSummary(connectivity.summary(), flags.format)];
    } else {
      checkVerdictCount(countVerdicts(connectivity), flags.format);
      output = render(connectivity, flags.format);
    }
  } finally {
    progress.clear();
  }
  io.stderr.write(formatNotes(connectivity.notes));
  if (coverage.unselected.length > 0) io.stderr.write(unselectedPoliciesWarning(coverage.unselected, coverage.policies));
  writeChunks(io.stdout, output);
}

/** Refuses (exit 1) an input whose verdicts would be vacuous: no pod, or no pod that any policy selects. */
function checkCoverage(coverage: PolicyCoverage, endpoints: number, progress: Progress): void {
  let message: string | undefined;
  if (coverage.pods === 0) {
    message = noPodsMessage(endpoints);
  } else if (coverage.policies > 0 && coverage.unselected.length === coverage.policies) {
    message = noPolicySelectsMessage(coverage.unselected, coverage.pods);
  }
  if (message === undefined) return;
  progress.clear();
  throw new CliError(message, ExitCode.BAD_INPUT);
}

function render(connectivity: Connectivity, format: ReportFormat): Iterable<string> {
  const report = connectivity.report();
  switch (format) {
    case 'json':
      return jsonChunks(report);
    case 'markdown':
      return [formatMarkdown(report)];
    case 'dot':
      return [formatDot(report)];
    case 'table':
      return [formatTable(report)];
  }
}

/** Every ordered pair (self pairs included) times the ports probed on the destination, without computing a verdict. */
export function countVerdicts(connectivity: Pick<Connectivity, 'endpoints' | 'probedPorts'>): number {
  let perSource = 0;
  for (const to of connectivity.endpoints) perSource += connectivity.probedPorts(to).length;
  return perSource * connectivity.endpoints.length;
}

/** Refuses (exit 2) to print more than MAX_VERDICTS verdicts; `--summary` is the way to look at inputs that big. */
export function checkVerdictCount(count: number, format: ReportFormat): void {
  if (count <= MAX_VERDICTS) return;
  throw new CliError(
    `the input has ${count.toLocaleString('en-US')} connections to report, more than the ${MAX_VERDICTS.toLocaleString('en-US')} ` +
      `that --format ${format} can usefully show. Rerun with --summary for counts per namespace pair, ` +
      'or narrow it down with --port or fewer paths.',
    ExitCode.USAGE,
  );
}
