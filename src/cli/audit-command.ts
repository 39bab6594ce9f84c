import { Command, InvalidArgumentError, Option } from 'commander';
import { CliError, ExitCode } from './errors';
import { addInputOptions, InputFlags, loadPaths } from './input';
import { CliIO } from './io';
import { formatNotes } from './notes';
import { once } from './options';
import { Progress } from './progress';
import { CNI_OPTIONS, CniOption, computeConnectivity, InvalidManifestsError, LoadedManifests, loadProbesFile, MESH_OPTIONS, MeshOption, ProbesFile, runProbes } from '../analysis';
import {
  AUDIT_FINDINGS,
  AuditFinding,
  AuditReport,
  CALICO_BUILT_IN_TIERS,
  countFindings,
  defaultDenyReport,
  DriftKind,
  driftReport,
} from '../analysis/audit';
import { hasCalicoKinds, hasCiliumKinds } from '../analysis/dialects';
import { DEFAULT_MAX_INPUT_BYTES } from '../analysis/input/limits';
import { selectDialects } from '../analysis/probe/dialect-selection';
import { AUDIT_FORMATS, AuditFormat, formatAudit } from '../analysis/report/audit';
import {
  ApiClient,
  ClientNodeUnavailableError,
  ClusterAccessError,
  ClusterRead,
  CLUSTER_RESOURCES,
  EXAMPLE_CLUSTER_ROLE,
  loadKubeConfig,
  readCluster,
  resourceName,
} from '../cluster';
import { CALICO_GROUP, CILIUM_GROUP } from '../cluster/resources';

interface AuditFlags extends InputFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly against?: string[];
  readonly summary?: boolean;
  readonly probes?: string;
  readonly cni: CniOption;
  readonly mesh: MeshOption;
  readonly format: AuditFormat;
  readonly failOn?: AuditFinding;
  readonly skipNamespace?: string[];
  readonly pageSize: number;
  readonly requestTimeout: number;
}

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_TIMEOUT_MS = 30_000;

const EXAMPLES = `
Examples:
  $ zt audit                                               the current context of the kubeconfig: default-deny per namespace
  $ zt audit --context prod --against dist/platform --against dist/cilium     drift against what the repository declares
  $ zt audit --summary --skip-namespace 'kube-*'           allowed connections per namespace pair, as the cluster runs them
  $ zt audit --probes examples/example-platform/probes.yaml --format json
  $ zt audit --against dist/platform --against dist/kubernetes --fail-on any   exit 3 on a namespace without default-deny or on drift

Read-only: zt audit only sends GETs (lists paginated with --page-size), for namespaces, nodes, pods (terminated ones
left out), services, service accounts, the kube-apiserver's EndpointSlice, Cilium's cilium-config, and every policy
kind the analyzer knows: NetworkPolicy, CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, CiliumCIDRGroup,
projectcalico.org/v3 (Tier, NetworkPolicy, GlobalNetworkPolicy, the staged kinds, NetworkSet, GlobalNetworkSet) and
security.istio.io (PeerAuthentication, AuthorizationPolicy). An API group the cluster does not serve is skipped with
a note. ${EXAMPLE_CLUSTER_ROLE} is the read-only ClusterRole it needs.
Kubeconfig: --kubeconfig, else KUBECONFIG (files merged), else ~/.kube/config, else the pod's service account.
Default deny: a namespace has one for a direction when every pod in it (host-network pods aside) and a new pod with
no labels are isolated in that direction, as the CNI evaluates the live policies.
Drift (--against, repeatable: the output folders the cluster is meant to run, e.g. dist/platform and one target):
missing and changed declared objects, and extra live policy objects. Namespaces and policy kinds are compared;
fields the server or deploy tools set (status, uid, resourceVersion, managedFields, last-applied-configuration…)
and defaults the API server writes (NetworkPolicy policyTypes and port protocol TCP, Calico tier and types) are not
drift. Other declared kinds are listed as not compared.
CNI: --cni auto (the default) picks cilium when the cluster serves cilium.io, else calico when it serves
projectcalico.org (the Calico API server), else kubernetes.
Exit codes: 0 success (also with findings, unless --fail-on), 3 --fail-on matched or a probe with expected
disagrees, 1 the cluster cannot be read (no kubeconfig, unreachable server, timeout, TLS failure, expired or
invalid credentials, RBAC denial) or invalid --against/--probes input, 2 usage error (including an unknown
--context), 70 internal error (rerun with --debug and report it).`;

/** `--request-timeout`: `30s`, `2m`, `500ms`, or seconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (match[2] === 'ms' ? 1 : match[2] === 'm' ? 60_000 : 1000) : NaN;
  if (!Number.isFinite(ms) || ms < 1) throw new InvalidArgumentError(`expected a duration such as 30s, 2m or 500ms, got "${value}".`);
  return Math.round(ms);
}

function parsePageSize(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 100_000) throw new InvalidArgumentError(`expected a number of objects from 1 to 100000, got "${value}".`);
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  if (value.trim() === '') throw new InvalidArgumentError('the value is empty.');
  return [...(previous ?? []), value];
}

/** `--skip-namespace`: a name, or a pattern with `*`. */
export function namespaceMatcher(patterns: readonly string[]): (namespace: string) => boolean {
  const regexes = patterns.map((pattern) => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  return (namespace) => regexes.some((regex) => regex.test(namespace));
}

/** `zt audit`: default-deny, drift and connectivity of a live cluster. */
export function auditCommand(io: CliIO): Command {
  const command = new Command('audit')
    .description('Read a live cluster (read-only) and report namespaces without default-deny, drift against the declared manifests, and the live connectivity.')
    .option('--kubeconfig <file>', 'the kubeconfig file (default: KUBECONFIG, else ~/.kube/config, else the in-cluster service account)', once('--kubeconfig', (v: string) => v))
    .option('--context <name>', 'the kubeconfig context to use (default: its current context)', once('--context', (v: string) => v))
    .option('--against <path>', 'compare the cluster with these manifests (a directory or file); repeatable', collect)
    .option('-s, --summary', 'add the allowed connections of the live cluster, counted per namespace pair')
    .option('--probes <file>', 'check these probes (the zt probe file format) against the live cluster', once('--probes', (v: string) => v))
    .addOption(new Option('--cni <cni>', 'the network dialects that enforce: auto (from the API groups the cluster serves), kubernetes, cilium or calico').choices(CNI_OPTIONS).default('auto'))
    .addOption(new Option('--mesh <mesh>', 'the service mesh that enforces on top of the CNI, for --probes').choices(MESH_OPTIONS).default('auto'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(AUDIT_FORMATS).default('table'))
    .addOption(new Option('--fail-on <finding>', 'exit 3 on a namespace without default-deny, on drift, or on either').choices(AUDIT_FINDINGS))
    .option('--skip-namespace <name>', 'leave this namespace out of the default-deny and drift reports; * matches any characters (kube-*); repeatable', collect)
    .option('--page-size <n>', `objects per list request (default: ${DEFAULT_PAGE_SIZE})`, parsePageSize, DEFAULT_PAGE_SIZE)
    .option('--request-timeout <duration>', 'the longest one request to the API server may take: 30s, 2m, 500ms (default: 30s)', parseDuration, DEFAULT_TIMEOUT_MS);
  return addInputOptions(command)
    .addHelpText('after', EXAMPLES)
    .action((flags: AuditFlags) => audit(flags, io));
}

/** The CNI whose semantics apply to the live policies: what the cluster serves, under `auto`. */
function resolveCni(cni: CniOption, read: ClusterRead, io: CliIO): Exclude<CniOption, 'auto'> {
  if (cni !== 'auto') return cni;
  const cilium = read.servedGroups.has(CILIUM_GROUP);
  const calico = read.servedGroups.has(CALICO_GROUP);
  if (cilium && !calico) return 'cilium';
  if (calico && !cilium) return 'calico';
  if (!cilium && !calico) return 'kubernetes';
  // Both are served (a migration, say): the objects tell, as `--cni auto` does for files.
  const chosen = hasCiliumKinds(read.documents) ? 'cilium' : hasCalicoKinds(read.documents) ? 'calico' : 'kubernetes';
  io.stderr.write(`note: the cluster serves both ${CILIUM_GROUP} and ${CALICO_GROUP}; --cni auto picked ${chosen} from its objects (give --cni to choose)\n`);
  return chosen;
}

/** Live objects the platform creates itself: never extra. */
const BUILT_IN_OBJECTS: ReadonlySet<string> = new Set(CALICO_BUILT_IN_TIERS);

/** The kinds drift compares: Namespaces, and every policy kind read. */
function driftKinds(): DriftKind[] {
  return CLUSTER_RESOURCES.filter((resource) => resource.policy || (resource.group === '' && resource.kind === 'Namespace'))
    .map((resource) => ({ group: resource.group, kind: resource.kind, namespaced: resource.namespaced, reportExtra: resource.policy }));
}

async function readLiveCluster(flags: AuditFlags, progress: Progress): Promise<{ read: ClusterRead; server: string; context: string }> {
  try {
    const cluster = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
    progress.status(`connecting to ${cluster.server} (context ${cluster.context})…`);
    const client = await ApiClient.connect(cluster, {
      timeoutMs: flags.requestTimeout,
      maxResponseBytes: flags.maxInputSize ?? DEFAULT_MAX_INPUT_BYTES,
    });
    const read = await readCluster(client, { pageSize: flags.pageSize, onProgress: (text) => progress.status(text) });
    return { read, server: cluster.server, context: cluster.context };
  } catch (error) {
    if (error instanceof ClusterAccessError) {
      throw new CliError(error.message, error.reason === 'context' ? ExitCode.USAGE : ExitCode.BAD_INPUT);
    }
    if (error instanceof ClientNodeUnavailableError) throw new CliError(error.message, ExitCode.BAD_INPUT);
    throw error;
  } finally {
    progress.clear();
  }
}

async function audit(flags: AuditFlags, io: CliIO): Promise<void> {
  const maxBytes = flags.maxInputSize ?? DEFAULT_MAX_INPUT_BYTES;
  // What can be refused without the cluster is refused first.
  let probes: ProbesFile | undefined;
  if (flags.probes !== undefined) {
    if (flags.cni !== 'auto') selectDialects(new Map(), flags.cni, flags.mesh);
    probes = loadProbesFile(flags.probes, maxBytes);
  }
  let declared: LoadedManifests | undefined;
  if (flags.against) {
    declared = loadPaths(flags.against, io, flags);
    if (declared.issues.length > 0) throw new InvalidManifestsError(declared.issues);
  }

  const progress = new Progress(io.stderr);
  const { read, server, context } = await readLiveCluster(flags, progress);
  for (const note of read.notes) io.stderr.write(`${note}\n`);
  const cni = resolveCni(flags.cni, read, io);
  const live: LoadedManifests = { documents: read.documents, issues: [] };
  const skip = namespaceMatcher(flags.skipNamespace ?? []);

  progress.status('judging default-deny per namespace…');
  let report: AuditReport;
  try {
    report = {
      cluster: { server, context },
      cni,
      read: read.resources.map(({ resource, apiVersion, count }) => ({ resource: resourceName(resource), apiVersion, kind: resource.kind, count })),
      defaultDeny: defaultDenyReport(live, { cni, skip }),
      ...(declared && flags.against
        ? { drift: { against: flags.against, ...driftReport(declared, live, driftKinds(), { skipNamespace: skip, builtIn: BUILT_IN_OBJECTS }) } }
        : {}),
    };
    if (flags.summary) {
      progress.status('computing the live connectivity…');
      const connectivity = computeConnectivity(live, { cni });
      report = { ...report, summary: connectivity.summary() };
      io.stderr.write(formatNotes(connectivity.notes));
    }
    if (probes) {
      progress.status('running the probes…');
      const probeReport = runProbes(live, probes.probes, { cni, mesh: flags.mesh, file: probes.file });
      for (const note of probeReport.notes) io.stderr.write(`${note}\n`);
      report = { ...report, probes: probeReport };
    }
  } finally {
    progress.clear();
  }
  io.stdout.write(formatAudit(report, flags.format));

  const failedProbes = report.probes?.summary.failed ?? 0;
  if (failedProbes > 0) {
    throw new CliError(`${failedProbes} probe${failedProbes === 1 ? '' : 's'} with an expected verdict disagree${failedProbes === 1 ? 's' : ''} with the live cluster (FAIL above).`, ExitCode.EXPECTATION_FAILED);
  }
  if (flags.failOn !== undefined) {
    const findings = countFindings(report, flags.failOn);
    if (findings > 0) {
      throw new CliError(`--fail-on ${flags.failOn}: ${findings} finding${findings === 1 ? '' : 's'} (see above).`, ExitCode.EXPECTATION_FAILED);
    }
  }
}
