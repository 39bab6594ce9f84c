/**
 * Analysis from intent, checked against the intent: random platforms (the generator of the never-wider
 * property, test/backends/support/declared-intent.ts) are built with the constructs, and analyzed the way
 * `connectivity(platform)` analyzes them: the rendered manifests with the representative pods and
 * external addresses of the declared intent (src/intent), no pod written by hand. Then, from the
 * generated declarations alone (never from src/model or src/intent), each connection the analyzer
 * reports is explained or not (IntentOracle):
 *
 * - wider: an allowed connection that no declaration explains (a flow, DNS, allowSameNamespace,
 *   allowIntraTenant, or both ends unmanaged) fails the run;
 * - narrower: a connection a declaration explains must be allowed;
 * - exercised: every flow whose ends the declarations say have members gets at least one connection
 *   it explains, among the ports probed by default (the container ports and external ports of the
 *   representative inventory) when the flow names a port, and among all the probed ports otherwise
 *   (see `flowsToExercise`); and every external address stands for a CIDR peer.
 *
 * Which pod is which comes from the pods themselves: a pod of a managed namespace belongs to the workload
 * whose declared selector its labels satisfy; an external address belongs to a CIDR peer when the address
 * lies in the CIDR outside its excepts and the cluster networks, as a Go CNI compares them (IPv4-mapped
 * IPv6 is IPv4: https://pkg.go.dev/net#IPNet.Contains).
 *
 * Also checked on every platform: the inventory file written at synthesis reads back without problems
 * (`zt analyze DIR` reads it).
 *
 *   INTENT_PROPERTY_RUNS=1000   runs (default 300; `npm run nightly` runs 1,000)
 *   INTENT_PROPERTY_SEED=n      the seed of a failure that fast-check printed (and INTENT_PROPERTY_PATH=p)
 *   INTENT_PROPERTY_STATS=1     prints runs, discarded platforms, time and what the runs covered
 */
import * as fc from 'fast-check';
import { analyze, ConnectivityReport, formatIssue, LabelRequirement, Manifest, ZeroTrustPlatform } from '../../src';
import { compareWithIntent, describeEndpoints, documentsOf, endpointsOf, Findings, probesOf, some } from './support/representative-analysis';
import { intentInventory } from '../../src/intent/app-inventory';
import { formatInventory, INVENTORY_FILE, parseInventory } from '../../src/intent/inventory-file';
import { connectivity } from '../../src/testing';
import { toAnalysisInput } from '../../src/testing/subject';
import {
  buildPlatform,
  Declarations,
  declarationsArbWith,
  EndpointOrigin,
  externalPodsSelectors,
  FlowDecl,
  IntentOracle,
  labelsSatisfying,
  lastAddress,
  Network,
  networkOf,
  parseNetwork,
  PeerDecl,
  runCount,
  PROTOCOLS,
} from '../backends/support/declared-intent';

const RUNS = runCount(process.env.INTENT_PROPERTY_RUNS, 300);
const SEED = process.env.INTENT_PROPERTY_SEED === undefined ? undefined : Number(process.env.INTENT_PROPERTY_SEED);
const PATH = process.env.INTENT_PROPERTY_PATH;
const STATS = process.env.INTENT_PROPERTY_STATS !== undefined;

/**
 * Valid platforms, and some with CIDR peers inside the pod networks, which the platform refuses when it
 * has clusterNetworks (the representative pods have no address, so the other ones are checked too).
 */
const platformsArb = declarationsArbWith({ podNetworkCidrs: true });

/** The only refusal the generator provokes on purpose; any other one is a generator bug. */
const EXPECTED_REFUSAL = /lies inside the cluster network/;

// ---------------------------------------------------------------------------------------------------
// The analysis, the way connectivity(platform) does it.

interface AnalyzedIntent {
  /** Every endpoint of the report, with what the test knows about it. */
  readonly endpoints: ReadonlyMap<string, EndpointOrigin>;
  /** Every probed port on every destination: the container and external ports, and more (see `probesOf`). */
  readonly probed: ConnectivityReport;
  /** `connectivity(platform)` without options: each destination probed on its own ports. */
  readonly byDefault: ConnectivityReport;
}

function analyzeIntent(declarations: Declarations, platform: ZeroTrustPlatform): AnalyzedIntent {
  const { input, externals, externalPorts } = toAnalysisInput(platform);
  const endpoints = endpointsOf(declarations, documentsOf(input), externals);
  const probed = connectivity(platform, { ports: probesOf(declarations, endpoints, externalPorts) }).report;
  const byDefault = connectivity(platform).report;
  expect([...probed.pods].sort()).toEqual([...endpoints.keys()].sort());
  // Every declared workload has a pod: its selector is satisfiable, and the inventory stands for it.
  const shown = new Set([...endpoints.values()].flatMap((e) => (e.kind === 'pod' && e.workload ? [`${e.namespace}/${e.workload}`] : [])));
  expect(declarations.namespaces.flatMap((ns) => ns.workloads.map((w) => `${ns.name}/${w.name}`)).filter((w) => !shown.has(w))).toEqual([]);
  return { endpoints, probed, byDefault };
}

// ---------------------------------------------------------------------------------------------------
// The comparison.

const IPV4_MAPPED_RANGE: Network = networkOf(6, 0xffffn * 2n ** 32n, 96);

/**
 * Whether a CIDR peer holds an address outside its excepts and the cluster networks, as a Go CNI reads
 * them: a 16-byte network holds no IPv4-mapped address (those are IPv4 addresses).
 */
function cidrHoldsAnAddress(cidr: string, except: readonly string[], clusterNetworks: readonly string[]): boolean {
  const network = parseNetwork(cidr);
  const holes = [...except, ...clusterNetworks].map(parseNetwork).filter((hole) => hole.family === network.family);
  if (network.family === 6) holes.push(IPV4_MAPPED_RANGE);
  const first = network.first;
  const last = lastAddress(network);
  // The holes, clipped to the network and sorted: an address is left when they leave a gap.
  const spans = holes
    .map((hole) => [hole.first > first ? hole.first : first, lastAddress(hole) < last ? lastAddress(hole) : last] as const)
    .filter(([from, to]) => from <= to)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let next = first;
  for (const [from, to] of spans) {
    if (from > next) return true;
    if (to + 1n > next) next = to + 1n;
  }
  return next <= last;
}

/** Whether the declarations give a flow end members (a pod, or an address), without the representative inventory. */
function endHasMembers(declarations: Declarations, end: PeerDecl): boolean {
  switch (end.kind) {
    case 'externalPods':
      return labelsSatisfying(...externalPodsSelectors(end)) !== undefined;
    case 'cidr':
      return cidrHoldsAnAddress(end.cidr, end.except, declarations.clusterNetworks);
    default:
      // Workloads (their selectors are satisfiable), managed namespaces (each has a workload), tenants, unmanaged namespaces.
      return true;
  }
}

/** Namespaces an end of a flow lies in (`cidr` for addresses): two flows between the same places may merge into one. */
function placesOf(declarations: Declarations, end: PeerDecl): string[] {
  switch (end.kind) {
    case 'tenant':
      return [...declarations.tenants.find((t) => t.name === end.tenant)!.namespaces];
    case 'cidr':
    case 'fqdn':
    case 'entity':
      return [end.kind];
    default:
      return [end.namespace];
  }
}

function endsOf(declarations: Declarations, flow: FlowDecl): { from: string[]; to: string[] } {
  const [namespace] = flow.workload.split('/');
  const peer = placesOf(declarations, flow.peer);
  return flow.method === 'allowTo' ? { from: [namespace], to: peer } : { from: peer, to: [namespace] };
}

const meets = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));

/**
 * The flows that must explain a connection of the report: flows whose ends have members, and
 * - on every probed port: with a port other than a named one that a protocol-wide port absorbs (the
 *   destination then declares no container port of that name, which the named port would need);
 * - on the ports probed by default (the representative pods' container ports and the externals' ports):
 *   with a number, range or named port that no protocol-wide port absorbs. No port stands for a whole
 *   protocol (`Port.allTcp()`, `Port.all()`).
 * A protocol-wide port absorbs the other ports of its protocol between the same ends, in its flow or in
 * another one (conservatively here: another flow between the same namespaces).
 */
function flowsToExercise(declarations: Declarations, probing: 'all' | 'default'): number[] {
  const ends = declarations.flows.map((flow) => endsOf(declarations, flow));
  return declarations.flows.flatMap((flow, index) => {
    if (!endHasMembers(declarations, flow.peer)) return [];
    const wholeProtocols = declarations.flows
      .filter((_other, j) => meets(ends[index].from, ends[j].from) && meets(ends[index].to, ends[j].to))
      .flatMap((other) => other.ports.flatMap((p) => (p.kind === 'all' ? PROTOCOLS : p.kind === 'protocol' ? [p.protocol] : [])));
    const shown = flow.ports.some((p) => {
      if (p.kind === 'all' || p.kind === 'protocol') return probing === 'all';
      // An absorbed named port is no container port of the destination: the name matches no port there.
      return (probing === 'all' && p.kind !== 'named') || !wholeProtocols.includes(p.protocol);
    });
    return shown ? [index] : [];
  });
}

/** Throws with the policies when the analysis of the intent disagrees with the declarations. */
function assertMatchesIntent(declarations: Declarations, platform: ZeroTrustPlatform, analyzed: AnalyzedIntent): Findings {
  const oracle = new IntentOracle(declarations);
  const findings = compareWithIntent(oracle, analyzed.endpoints, analyzed.probed);
  const byDefault = compareWithIntent(oracle, analyzed.endpoints, analyzed.byDefault);
  const unexercised = [
    ...flowsToExercise(declarations, 'all').filter((i) => !findings.exercised.has(i)).map((i) => `flows[${i}] explains no connection on any probed port`),
    ...flowsToExercise(declarations, 'default').filter((i) => !byDefault.exercised.has(i)).map((i) => `flows[${i}] explains no connection on the ports connectivity(platform) probes`),
  ];
  // Each external address stands for a CIDR peer: it lies in one (outside its excepts and the cluster networks).
  const strays = [...analyzed.endpoints.values()]
    .filter((e) => e.kind === 'address' && !declarations.flows.some((f) => f.peer.kind === 'cidr' && oracle.endMatches(f.peer, e)))
    .map((e) => `${e.id} lies in no CIDR peer`);
  const problems = [...findings.wider, ...findings.narrower, ...byDefault.wider, ...byDefault.narrower, ...unexercised, ...strays];
  if (problems.length === 0) return findings;
  const policies = platform.manifests().filter((m: Manifest) => m.kind === 'NetworkPolicy').map((m) => `  ${m.metadata.namespace}/${m.metadata.name}: ${JSON.stringify((m as { spec?: unknown }).spec)}`);
  throw new Error(
    [
      `${findings.wider.length + byDefault.wider.length} connections allowed beyond the declarations:`,
      ...some([...findings.wider, ...byDefault.wider]),
      `${findings.narrower.length + byDefault.narrower.length} declared connections denied:`,
      ...some([...findings.narrower, ...byDefault.narrower]),
      `${unexercised.length} flows the representative inventory does not exercise:`,
      ...some(unexercised),
      `${strays.length} external addresses that stand for no CIDR peer:`,
      ...some(strays),
      'endpoints:',
      ...some(describeEndpoints(analyzed.endpoints)),
      'policies:',
      ...policies,
    ].join('\n'),
  );
}

/** The inventory file `zt analyze DIR` reads: written and read back, it holds the same endpoints and no problem. */
function assertInventoryFileReadsBack(platform: ZeroTrustPlatform): void {
  const inventory = intentInventory([platform]);
  const read = parseInventory(formatInventory(inventory), INVENTORY_FILE);
  expect(read.issues).toEqual([]);
  expect(read.externals).toEqual(inventory.externals);
  expect(read.externalPorts).toEqual(inventory.externalPorts);
  expect(read.documents.map((d) => d.object)).toEqual(inventory.objects);
}

// ---------------------------------------------------------------------------------------------------
// What the runs covered: each item of the issue's list must show up in some runs.

type Feature =
  | 'tenant' | 'tenant peer' | 'namespace peer' | 'unmanaged namespace peer' | 'pod selector peer'
  | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'
  | 'IPv4 CIDR' | 'IPv6 CIDR' | 'IPv4-mapped CIDR' | 'CIDR except'
  | 'allowDns on' | 'allowDns off' | 'allowSameNamespace on' | 'allowSameNamespace off' | 'allowIntraTenant on' | 'allowIntraTenant off'
  | 'cross-tenant flow' | 'clusterNetworks' | 'dns option';

function featuresOf(declarations: Declarations): Set<Feature> {
  const features = new Set<Feature>();
  const add = (feature: Feature, when: boolean) => when && features.add(feature);
  const peers = declarations.flows.map((f) => f.peer);
  const expressions: LabelRequirement[] = [
    ...declarations.namespaces.flatMap((ns) => ns.workloads.flatMap((w) => w.expressions ?? [])),
    ...peers.flatMap((p) => (p.kind === 'externalPods' ? p.selector?.matchExpressions ?? [] : [])),
  ];
  const cidrs = peers.flatMap((p) => (p.kind === 'cidr' ? [p] : []));
  add('tenant', declarations.tenants.length > 0);
  add('tenant peer', peers.some((p) => p.kind === 'tenant'));
  add('namespace peer', peers.some((p) => p.kind === 'namespace'));
  add('unmanaged namespace peer', peers.some((p) => p.kind === 'externalNamespace'));
  add('pod selector peer', peers.some((p) => p.kind === 'externalPods'));
  for (const operator of ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const) add(operator, expressions.some((e) => e.operator === operator));
  add('IPv4 CIDR', cidrs.some((c) => !c.cidr.includes(':')));
  add('IPv6 CIDR', cidrs.some((c) => c.cidr.includes(':') && !c.cidr.startsWith('::ffff:')));
  add('IPv4-mapped CIDR', cidrs.some((c) => c.cidr.startsWith('::ffff:')));
  add('CIDR except', cidrs.some((c) => c.except.length > 0));
  add('allowDns on', declarations.namespaces.some((ns) => ns.allowDns));
  add('allowDns off', declarations.namespaces.some((ns) => !ns.allowDns));
  add('allowSameNamespace on', declarations.namespaces.some((ns) => ns.allowSameNamespace));
  add('allowSameNamespace off', declarations.namespaces.some((ns) => !ns.allowSameNamespace));
  add('allowIntraTenant on', declarations.tenants.some((t) => t.allowIntraTenant));
  add('allowIntraTenant off', declarations.tenants.some((t) => !t.allowIntraTenant));
  const tenantOf = (namespace: string) => declarations.tenants.find((t) => t.namespaces.includes(namespace))?.name;
  add('cross-tenant flow', declarations.flows.some((f) => {
    const own = tenantOf(f.workload.split('/')[0]);
    const other = f.peer.kind === 'tenant' ? f.peer.tenant : f.peer.kind === 'workload' || f.peer.kind === 'namespace' ? tenantOf(f.peer.namespace) : undefined;
    return own !== undefined && other !== undefined && own !== other;
  }));
  add('clusterNetworks', declarations.clusterNetworks.length > 0);
  add('dns option', declarations.dns !== undefined);
  return features;
}

// ---------------------------------------------------------------------------------------------------

function refusalOf(platform: ZeroTrustPlatform): string[] {
  return platform.validateIntent().map(formatIssue);
}

describe('analysis from intent matches the intent (random platforms, representative pods)', () => {
  test(`every allowed connection is declared, every declared one is allowed (${RUNS} runs)`, () => {
    const started = Date.now();
    const stats = { runs: 0, generated: 0, discarded: 0, unexpectedRefusals: [] as string[][], allowed: 0, evaluated: 0, flows: 0 };
    const features = new Map<Feature, number>();
    fc.assert(
      fc.property(platformsArb, (declarations) => {
        stats.generated++;
        const { platform } = buildPlatform(declarations);
        const refusal = refusalOf(platform);
        if (refusal.length > 0) {
          stats.discarded++;
          if (!refusal.every((issue) => EXPECTED_REFUSAL.test(issue))) stats.unexpectedRefusals.push(refusal);
          fc.pre(false);
        }
        const findings = assertMatchesIntent(declarations, platform, analyzeIntent(declarations, platform));
        assertInventoryFileReadsBack(platform);
        stats.runs++;
        stats.allowed += findings.allowed;
        stats.evaluated += findings.evaluated;
        stats.flows += declarations.flows.length;
        for (const feature of featuresOf(declarations)) features.set(feature, (features.get(feature) ?? 0) + 1);
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), ...(PATH !== undefined ? { path: PATH } : {}) },
    );
    const seconds = (Date.now() - started) / 1000;
    if (STATS) {
      console.log(
        `intent property: ${stats.runs} runs, ${stats.discarded} of ${stats.generated} generated platforms discarded (refused by design), ` +
        `${seconds.toFixed(1)} s; ${stats.flows} flows, ${stats.allowed} allowed of ${stats.evaluated} verdicts; ` +
        `runs per feature: ${JSON.stringify(Object.fromEntries([...features].sort(([a], [b]) => a.localeCompare(b))))}`,
      );
    }
    // Refused platforms are discarded; the generator provokes one refusal only, and rarely.
    expect(stats.unexpectedRefusals.slice(0, 3)).toEqual([]);
    expect(stats.discarded).toBeLessThan(stats.generated * 0.15);
    // Every item of the list showed up: a passing run covers what the issue asks for.
    if (stats.runs >= 100) {
      const listed: Feature[] = [
        'tenant', 'tenant peer', 'namespace peer', 'unmanaged namespace peer', 'pod selector peer', 'In', 'NotIn', 'Exists', 'DoesNotExist',
        'IPv4 CIDR', 'IPv6 CIDR', 'IPv4-mapped CIDR', 'CIDR except', 'allowDns on', 'allowDns off', 'allowSameNamespace on',
        'allowSameNamespace off', 'allowIntraTenant on', 'allowIntraTenant off', 'cross-tenant flow', 'clusterNetworks', 'dns option',
      ];
      expect(listed.filter((feature) => (features.get(feature) ?? 0) < stats.runs * 0.02)).toEqual([]);
    }
  }, Math.max(60_000, RUNS * 500));
});

// ---------------------------------------------------------------------------------------------------
// Seeded bugs in the rendered policies: the comparison must catch each (so a passing run means something).

type PolicyJson = { metadata: { name: string }; spec: { podSelector: unknown; ingress?: RuleJson[]; egress?: RuleJson[] } };
type RuleJson = { from?: PeerJson[]; to?: PeerJson[]; ports?: { port?: number | string; protocol?: string; endPort?: number }[] };
type PeerJson = { podSelector?: unknown; namespaceSelector?: unknown; ipBlock?: { cidr: string; except?: string[] } };

/** The analysis of the intent with every NetworkPolicy edited by `edit` (a copy), on every probed port. */
function analyzeMutated(declarations: Declarations, platform: ZeroTrustPlatform, edit: (policy: PolicyJson) => void): AnalyzedIntent {
  const { input, externals, externalPorts } = toAnalysisInput(platform);
  const documents = documentsOf(input).map((document) => {
    const object = document.object as { kind?: unknown };
    if (object.kind !== 'NetworkPolicy') return document;
    const copy = JSON.parse(JSON.stringify(object)) as PolicyJson;
    edit(copy);
    return { ...document, object: copy };
  });
  const endpoints = endpointsOf(declarations, documents, externals);
  const options = { externals, externalPorts };
  const probed = analyze({ documents, issues: [] }, { ...options, ports: probesOf(declarations, endpoints, externalPorts) });
  return { endpoints, probed, byDefault: analyze({ documents, issues: [] }, options) };
}

const rulesOf = (policy: PolicyJson): RuleJson[] => [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])];
const peersOf = (rule: RuleJson): PeerJson[] => rule.from ?? rule.to ?? [];

const SEEDED_BUGS: [string, (policy: PolicyJson) => void][] = [
  [
    "a workload's policy applied to every pod of its namespace",
    (policy) => {
      if (/-(ingress|egress)$/.test(policy.metadata.name) && !policy.metadata.name.startsWith('all-pods-')) policy.spec.podSelector = {};
    },
  ],
  [
    'a namespace+pod peer split into two peers (OR instead of AND)',
    (policy) => {
      for (const rule of rulesOf(policy)) {
        const peers = peersOf(rule);
        const split = peers.flatMap((p): PeerJson[] =>
          (p.namespaceSelector && p.podSelector ? [{ namespaceSelector: p.namespaceSelector }, { podSelector: p.podSelector }] : [p]));
        peers.splice(0, peers.length, ...split);
      }
    },
  ],
  [
    'a named port matched as any port of its protocol',
    (policy) => {
      for (const rule of rulesOf(policy)) for (const port of rule.ports ?? []) if (typeof port.port === 'string') delete port.port;
    },
  ],
  [
    'the egress rules toward addresses dropped',
    (policy) => {
      if (policy.spec.egress) policy.spec.egress = policy.spec.egress.filter((rule) => !(rule.to ?? []).some((peer) => peer.ipBlock));
    },
  ],
  [
    'IPv4-mapped ipBlocks rewritten as the IPv6 block ::/96 they are not',
    (policy) => {
      for (const rule of rulesOf(policy)) for (const peer of peersOf(rule)) if (peer.ipBlock?.cidr.startsWith('::ffff:')) peer.ipBlock = { cidr: '::/96' };
    },
  ],
];

describe('the comparison catches seeded bugs in the rendered policies', () => {
  test.each(SEEDED_BUGS)('%s', (_name, edit) => {
    const result = fc.check(
      fc.property(platformsArb, (declarations) => {
        const { platform } = buildPlatform(declarations);
        fc.pre(refusalOf(platform).length === 0);
        try {
          assertMatchesIntent(declarations, platform, analyzeMutated(declarations, platform, edit));
          return true;
        } catch {
          return false;
        }
      }),
      { numRuns: 500, endOnFailure: true },
    );
    expect(result.failed).toBe(true);
  }, 60_000);

  test('the unmutated policies pass through the same path', () => {
    fc.assert(
      fc.property(platformsArb, (declarations) => {
        const { platform } = buildPlatform(declarations);
        fc.pre(refusalOf(platform).length === 0);
        const mutated = analyzeMutated(declarations, platform, () => undefined);
        const direct = analyzeIntent(declarations, platform);
        expect(mutated.probed).toEqual(direct.probed);
        expect(mutated.byDefault).toEqual(direct.byDefault);
      }),
      { numRuns: 20 },
    );
  });
});
