/**
 * `npm run bench`: synthesis and analysis figures, each measured in a fresh child process so that
 * peak memory belongs to one measurement.
 *
 *   npm run bench -- [--sizes 10,100,1000] [--no-plain] [--no-analysis] [--no-backends] [--backend-tenants 1000]
 *                    [--no-synthesis] [--analysis-inputs synthetic,synthetic-calico] [--no-probes]
 *
 * The synthesis table uses the Kubernetes backend; a second table synthesizes the same platform at
 * `--backend-tenants` tenants to each built-in backend, with its time relative to Kubernetes.
 *
 * Plain cdk8s at 1,000 charts takes minutes (its synthesis is quadratic in the number of charts);
 * `--no-plain` skips the baseline.
 */
import * as os from 'os';
import * as path from 'path';
import type { AnalysisInput, AnalysisRun, ExplainRun } from './analysis';
import type { BaseAnalysisRun, DiffRun } from './diff';
import { ChildMeasurement, formatTable, measureInChild } from './measure';
import { benchObserve } from './observe';
import type { PlainCdk8sRun } from './plain-cdk8s';
import type { ProbeRun } from './probe-cilium';
import type { ZeroTrustSynthRun } from './zero-trust-synth';
import type { ScaledBackend } from '../examples/scaled-platform';

/** The backends of the per-backend table (`ScaledBackend` in examples/scaled-platform.ts), Kubernetes first: the others are compared with it. */
const BACKEND_IDS: readonly ScaledBackend[] = ['kubernetes', 'cilium', 'calico'];

/** The inputs of the analysis table, in order. */
const ANALYSIS_INPUTS: readonly AnalysisInput[] = ['synthetic', 'synthetic-cilium', 'synthetic-calico', 'platform'];

interface BenchOptions {
  readonly sizes: number[];
  readonly plain: boolean;
  readonly synthesis: boolean;
  readonly analysis: boolean;
  readonly analysisInputs: readonly AnalysisInput[];
  readonly probes: boolean;
  readonly backends: boolean;
  readonly backendTenants: number;
}

const USAGE = 'usage: npm run bench -- [--sizes 10,100,1000] [--no-plain] [--no-synthesis] [--no-analysis] [--no-backends] [--backend-tenants 1000]\n'
  + `                        [--analysis-inputs ${ANALYSIS_INPUTS.join(',')}] [--no-probes]\n`;

function parseOptions(argv: readonly string[]): BenchOptions {
  const options = {
    sizes: [10, 100, 1000],
    plain: true,
    synthesis: true,
    analysis: true,
    analysisInputs: ANALYSIS_INPUTS,
    probes: true,
    backends: true,
    backendTenants: 1000,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-plain') {options.plain = false;} else if (arg === '--no-synthesis') {options.synthesis = false;} else if (arg === '--no-analysis') {options.analysis = false;} else if (arg === '--no-probes') {options.probes = false;} else if (arg === '--no-backends') {options.backends = false;} else if (arg === '--backend-tenants' && argv[i + 1]) {options.backendTenants = Number(argv[++i]);} else if (arg === '--sizes' && argv[i + 1]) {options.sizes = argv[++i].split(',').map(Number);} else if (arg === '--analysis-inputs' && argv[i + 1]) {
      const inputs = argv[++i].split(',');
      const unknown = inputs.filter((input) => !(ANALYSIS_INPUTS as readonly string[]).includes(input));
      if (unknown.length > 0) {
        process.stderr.write(`bench: unknown analysis input ${unknown.join(', ')}; one of ${ANALYSIS_INPUTS.join(', ')}\n`);
        process.exit(2);
      }
      options.analysisInputs = inputs as AnalysisInput[];
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown argument ${arg} (see --help)\n`);
      process.exit(2);
    }
  }
  if (options.sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(options.backendTenants) || options.backendTenants < 1) {
    process.stderr.write('bench: --sizes and --backend-tenants take positive integers, e.g. --sizes 10,100\n');
    process.exit(2);
  }
  return options;
}

const seconds = (s: number) => s.toFixed(3);
const megabytes = (mb: number) => mb.toFixed(0);

type SynthMeasurement = ChildMeasurement<ZeroTrustSynthRun>;
const synthSeconds = (run: SynthMeasurement) => run.result.seconds + run.result.buildSeconds;

/**
 * Each backend's fastest of `repeats` measurements (the least disturbed by a busy machine), by declare +
 * synth seconds. The backends take turns, so that a busy spell slows all of them rather than one.
 */
async function fastestSynths(tenants: number, repeats: number, backends: readonly ScaledBackend[]): Promise<Map<ScaledBackend, SynthMeasurement>> {
  const best = new Map<ScaledBackend, SynthMeasurement>();
  for (let attempt = 0; attempt < repeats; attempt++) {
    for (const backend of backends) {
      const run = await measureInChild<ZeroTrustSynthRun>(path.join(__dirname, 'zero-trust-synth'), 'runZeroTrustSynth', [tenants, backend]);
      const previous = best.get(backend);
      if (!previous || synthSeconds(run) < synthSeconds(previous)) best.set(backend, run);
    }
  }
  return best;
}

/** Our synthesis (Kubernetes backend) at each size, against plain cdk8s + cdk8s-plus-28 writing the same shape. */
async function benchSynthesis(options: BenchOptions): Promise<void> {
  process.stdout.write('\n## Synthesis of the example shape (per tenant: 2 namespaces, 10 workloads, 13 flows)\n\n');
  const rows: Record<string, string | number>[] = [];
  const ours: { tenants: number; seconds: number }[] = [];
  for (const tenants of options.sizes) {
    process.stderr.write(`  cdk8s-zero-trust, ${tenants} tenants, Kubernetes backend (fastest of 3)…\n`);
    const zt = (await fastestSynths(tenants, 3, ['kubernetes'])).get('kubernetes')!;
    ours.push({ tenants, seconds: synthSeconds(zt) });
    const row: Record<string, string | number> = {
      'tenants': tenants,
      'objects': zt.result.objects,
      'files': zt.result.files,
      'zt declare s': seconds(zt.result.buildSeconds),
      'zt synth s': seconds(zt.result.seconds),
      'zt peak MB': megabytes(zt.peakRssMb),
    };
    if (options.plain) {
      process.stderr.write(`  plain cdk8s + cdk8s-plus-28, ${tenants} charts…${tenants >= 1000 ? ' (takes minutes: quadratic)' : ''}\n`);
      const plain = await measureInChild<PlainCdk8sRun>(path.join(__dirname, 'plain-cdk8s'), 'runPlainCdk8s', [tenants]);
      row['plain objects'] = plain.result.objects;
      row['plain synth s'] = seconds(plain.result.seconds);
      row['plain peak MB'] = megabytes(plain.peakRssMb);
      row['plain / zt'] = `${(plain.result.seconds / zt.result.seconds).toFixed(1)}x`;
    }
    rows.push(row);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  for (let i = 1; i < ours.length; i++) {
    const growth = ours[i].seconds / ours[i - 1].seconds;
    const size = ours[i].tenants / ours[i - 1].tenants;
    process.stdout.write(`  zt growth ${ours[i - 1].tenants} → ${ours[i].tenants} tenants: ×${growth.toFixed(1)} time for ×${size} size\n`);
  }
}

/** Goals of each backend's declare + synth time relative to the Kubernetes backend. */
const BACKEND_GOALS: Readonly<Record<ScaledBackend, number | undefined>> = { kubernetes: undefined, cilium: 1.5, calico: 1.5 };

/** The same platform synthesized to each built-in backend (fastest of 3 each, taking turns): each dialect's cost, relative to Kubernetes. */
async function benchBackends(options: BenchOptions): Promise<void> {
  const tenants = options.backendTenants;
  process.stdout.write(`\n## Synthesis by backend (the example shape, ${tenants.toLocaleString('en-US')} tenants, fastest of 3 each)\n\n`);
  process.stderr.write(`  ${BACKEND_IDS.join(', ')}, ${tenants} tenants, 3 rounds…\n`);
  const best = await fastestSynths(tenants, 3, BACKEND_IDS);
  const kubernetes = synthSeconds(best.get('kubernetes')!);
  const rows: Record<string, string | number>[] = [];
  for (const backend of BACKEND_IDS) {
    const run = best.get(backend)!;
    rows.push({
      'backend': backend,
      'objects': run.result.objects,
      'files': run.result.files,
      'declare s': seconds(run.result.buildSeconds),
      'synth s': seconds(run.result.seconds),
      'declare + synth s': seconds(synthSeconds(run)),
      'vs kubernetes': `${(synthSeconds(run) / kubernetes).toFixed(2)}x`,
      'peak MB': megabytes(run.peakRssMb),
    });
  }
  // The mesh: the same shape with service accounts and the ingress gateway, Kubernetes alone against
  // Kubernetes plus Istio (MeshStrictMtls). Fastest of 3 each, taking turns, as for Cilium above.
  const meshBest: { alone?: ChildMeasurement<ZeroTrustSynthRun>; mesh?: ChildMeasurement<ZeroTrustSynthRun> } = {};
  for (let attempt = 0; attempt < 3; attempt++) {
    for (const key of ['alone', 'mesh'] as const) {
      process.stderr.write(`  ${key === 'mesh' ? 'kubernetes + istio' : 'kubernetes'} (mesh shape), ${tenants} tenants, run ${attempt + 1} of 3…\n`);
      const run = await measureInChild<ZeroTrustSynthRun>(path.join(__dirname, 'zero-trust-synth'), 'runMeshSynth', [tenants, key === 'mesh']);
      const previous = meshBest[key];
      if (!previous || synthSeconds(run) < synthSeconds(previous)) meshBest[key] = run;
    }
  }
  const alone = synthSeconds(meshBest.alone!);
  for (const [label, run] of [['kubernetes (mesh shape)', meshBest.alone!], ['kubernetes + istio (mesh on)', meshBest.mesh!]] as const) {
    rows.push({
      'backend': label,
      'objects': run.result.objects,
      'files': run.result.files,
      'declare s': seconds(run.result.buildSeconds),
      'synth s': seconds(run.result.seconds),
      'declare + synth s': seconds(synthSeconds(run)),
      'vs kubernetes': `${(synthSeconds(run) / alone).toFixed(2)}x`,
      'peak MB': megabytes(run.peakRssMb),
    });
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  for (const backend of BACKEND_IDS) {
    const goal = BACKEND_GOALS[backend];
    if (goal === undefined) continue;
    const ratio = synthSeconds(best.get(backend)!) / kubernetes;
    process.stdout.write(`  ${backend} backend / Kubernetes backend, declare + synth of ${tenants} tenants: ×${ratio.toFixed(2)} (goal: within ×${goal})\n`);
  }
  process.stdout.write(`  The mesh rows compare with each other (same shape, fastest of 3). Mesh on / Kubernetes alone: ×${(synthSeconds(meshBest.mesh!) / alone).toFixed(2)} (goal: within ×2)\n`);
}

async function benchAnalysis(options: BenchOptions): Promise<void> {
  process.stdout.write('\n## Analysis (every verdict, counted per namespace pair = `zt analyze --summary`)\n\n');
  const labels: Record<AnalysisInput, string> = {
    'synthetic': 'synthetic: 1,000 ns × 10 pods, 11 policies/ns',
    'synthetic-cilium': 'synthetic as CNPs, cni cilium',
    'synthetic-calico': 'synthetic as Calico NPs, cni calico',
    'platform': 'our scaled example: 1,000 tenants',
  };
  const inputs = options.analysisInputs.map((input) => ({ label: labels[input], input, size: 1000 }));
  const rows: Record<string, string | number>[] = [];
  const analyzeSeconds = new Map<AnalysisInput, number>();
  // The synthetic inputs are compared: the fastest of a few runs of each is less sensitive to a busy machine.
  const repeats = (input: AnalysisInput): number => (input === 'platform' ? 1 : 3);
  for (const { label, input, size } of inputs) {
    process.stderr.write(`  analyze ${label}${repeats(input) > 1 ? ` (fastest of ${repeats(input)})` : ''}…\n`);
    let run: ChildMeasurement<AnalysisRun> | undefined;
    for (let attempt = 0; attempt < repeats(input); attempt++) {
      const next = await measureInChild<AnalysisRun>(path.join(__dirname, 'analysis'), 'runAnalysis', [input, size], { execArgv: ['--expose-gc', '--max-old-space-size=4096'] });
      if (!run || next.result.seconds < run.result.seconds) run = next;
    }
    if (!run) throw new Error('no analysis run');
    process.stderr.write(`  explain one connection in ${label}…\n`);
    const one = await measureInChild<ExplainRun>(path.join(__dirname, 'analysis'), 'runExplain', [input, size]);
    analyzeSeconds.set(input, run.result.seconds);
    rows.push({
      'input': label,
      'endpoints': run.result.endpoints,
      'policies': run.result.policies,
      'verdicts': run.result.evaluated,
      'allowed': run.result.allowed,
      'analyze s': seconds(run.result.seconds),
      'analyze peak MB': megabytes(run.peakRssMb),
      'explain s': seconds(one.result.seconds),
      'explain peak MB': megabytes(one.peakRssMb),
    });
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  const kubernetes = analyzeSeconds.get('synthetic');
  const cilium = analyzeSeconds.get('synthetic-cilium');
  if (kubernetes && cilium) {
    process.stdout.write(`  Cilium evaluator / NetworkPolicy evaluator on the synthetic shape: ×${(cilium / kubernetes).toFixed(2)} (goal: within ×2)\n`);
  }
  const calico = analyzeSeconds.get('synthetic-calico');
  if (kubernetes && calico) {
    process.stdout.write(`  Calico evaluator / NetworkPolicy evaluator on the synthetic shape: ×${(calico / kubernetes).toFixed(2)} (goal: within ×2)\n`);
  }
}

/** `zt probe --cni cilium`: 10,000 probes with HTTP requests against CiliumNetworkPolicies with HTTP rules. */
async function benchProbes(): Promise<void> {
  process.stdout.write('\n## Probes under Cilium (`zt probe --cni cilium`, HTTP requests against rules.http)\n\n');
  const rows: Record<string, string | number>[] = [];
  for (const [namespaces, probes] of [[1000, 10000]] as const) {
    process.stderr.write(`  ${probes} HTTP probes, ${namespaces} namespaces, cni cilium…\n`);
    const run = await measureInChild<ProbeRun>(path.join(__dirname, 'probe-cilium'), 'runCiliumHttpProbes', [namespaces, probes], { execArgv: ['--expose-gc', '--max-old-space-size=4096'] });
    rows.push({
      'input': `synthetic: ${namespaces.toLocaleString('en-US')} ns × 10 pods, HTTP rules`,
      'endpoints': run.result.endpoints,
      'policies': run.result.policies,
      'probes': run.result.probes,
      'allowed': run.result.allow,
      'denied': run.result.deny,
      'probe s': seconds(run.result.seconds),
      'peak MB': megabytes(run.peakRssMb),
    });
  }
  process.stdout.write(`${formatTable(rows)}\n`);
}

/** `zt diff` of a one-flow change on the scaled example, against one analysis of it (each the fastest of 2, in children of their own). */
async function benchDiff(): Promise<void> {
  process.stdout.write('\n## zt diff (one flow closed in the scaled example: cost grows with the change)\n\n');
  const tenants = 1000;
  const child = { execArgv: ['--expose-gc', '--max-old-space-size=4096'] };
  let diff: ChildMeasurement<DiffRun> | undefined;
  let analysis: ChildMeasurement<BaseAnalysisRun> | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    process.stderr.write(`  diff of a one-flow change, and one analysis, ${tenants} tenants (${attempt + 1} of 2)…\n`);
    const d = await measureInChild<DiffRun>(path.join(__dirname, 'diff'), 'runDiff', [tenants], child);
    if (!diff || d.result.seconds < diff.result.seconds) diff = d;
    const a = await measureInChild<BaseAnalysisRun>(path.join(__dirname, 'diff'), 'runBaseAnalysis', [tenants], child);
    if (!analysis || a.result.seconds < analysis.result.seconds) analysis = a;
  }
  if (!diff || !analysis) throw new Error('no diff run');
  process.stdout.write(`${formatTable([{
    'input': `our scaled example: ${tenants.toLocaleString('en-US')} tenants`,
    'endpoints': diff.result.endpoints,
    'compared': diff.result.comparedEndpoints,
    'opened': diff.result.opened,
    'closed': diff.result.closed,
    'diff s': seconds(diff.result.seconds),
    'diff peak MB': megabytes(diff.peakRssMb),
    'one analysis s': seconds(analysis.result.seconds),
    'analysis peak MB': megabytes(analysis.peakRssMb),
  }])}\n`);
  process.stdout.write(`  diff / one analysis: ×${(diff.result.seconds / analysis.result.seconds).toFixed(2)} (goal: about ×1)\n`);
}

/** `zt probe --mesh istio`: 10,000 probes with HTTP requests against AuthorizationPolicies with HTTP rules. */
async function benchMeshProbes(): Promise<void> {
  process.stdout.write('\n## Probes under Istio (`zt probe --mesh istio`, HTTP requests against AuthorizationPolicy, STRICT mTLS)\n\n');
  const rows: Record<string, string | number>[] = [];
  for (const [namespaces, probes] of [[1000, 10000]] as const) {
    process.stderr.write(`  ${probes} HTTP probes, ${namespaces} namespaces, mesh istio…\n`);
    const run = await measureInChild<ProbeRun>(path.join(__dirname, 'probe-istio'), 'runIstioHttpProbes', [namespaces, probes], { execArgv: ['--expose-gc', '--max-old-space-size=4096'] });
    rows.push({
      'input': `synthetic mesh: ${namespaces.toLocaleString('en-US')} ns × 10 pods, HTTP rules`,
      'endpoints': run.result.endpoints,
      'policies': run.result.policies,
      'probes': run.result.probes,
      'allowed': run.result.allow,
      'denied': run.result.deny,
      'probe s': seconds(run.result.seconds),
      'peak MB': megabytes(run.peakRssMb),
    });
  }
  process.stdout.write(`${formatTable(rows)}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  process.stdout.write(`cdk8s-zero-trust benchmark (node ${process.version}, ${os.cpus().length} cores)\n`);
  if (options.synthesis) await benchSynthesis(options);
  if (options.backends) await benchBackends(options);
  if (options.analysis) await benchAnalysis(options);
  if (options.analysis && options.probes) {
    await benchProbes();
    await benchMeshProbes();
  }
  if (options.analysis) await benchDiff();
  if (options.analysis) await benchObserve();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
