/**
 * One intent, equivalent output: random platforms (the generator of the other properties, with what only
 * Cilium expresses: DNS names, L7 HTTP rules, entities, platform denies and restrictions) are rendered by
 * three backends: the Kubernetes target omits what NetworkPolicy cannot express
 * (`Backend.kubernetes({ omit })`), the Calico target what Calico Open Source cannot express
 * (`Backend.calico({ omit: CALICO_OMITS })`: it keeps the denies, and refuses those toward entities), the
 * Cilium target renders everything. Each output is analyzed with its own dialect (`cni: 'kubernetes'`,
 * `cni: 'calico'`, `cni: 'cilium'`) over the same endpoints: the representative pods
 * and addresses of the declared intent (src/intent), which `connectivity(platform)` uses, with two nodes
 * (the pods placed on them in turn) and the API server's EndpointSlice, so that entities have members.
 * Then, for every (source, destination, port) of that inventory:
 *
 * (a) where two outputs express the same intent (the declarations say the same of the connection for
 *     both targets), the two analyses agree, verdict for verdict (each pair of the three targets);
 * (b) each analysis equals what the declarations allow on its target (`IntentOracle`, OracleView):
 *     nothing more (never wider), nothing less;
 * (c) under Cilium, L7 and names are enforced: each port with HTTP rules admits the requests a rule
 *     matches and refuses the others (unless an L4 allow of the same peer and port lifts the rules), and
 *     an address reached by a declared DNS name is allowed when the DNS proxy saw the lookup, and refused
 *     under another name at the same address;
 * (d) the Cilium and Calico outputs never allow more than declared (part of (b); never-wider.test.ts also
 *     runs it on generated pods with addresses, bystanders and impostors);
 * (e) a platform deny is never reopened by a tenant's own allow: with an allow-everything Calico
 *     NetworkPolicy and Kubernetes NetworkPolicy added in every managed namespace (what a tenant may
 *     write there), every connection a deny refuses stays refused under Calico (the platform tier's Deny
 *     runs before its Pass, and before the tenants' tier);
 * (f) a deny the Calico target refuses (toward an entity Calico cannot select) is refused with an issue at
 *     the deny, never rendered weaker: the Calico program is then the same declarations without it.
 *
 *   CROSS_BACKEND_RUNS=1000   runs (default 300; `npm run nightly` runs 1,000)
 *   CROSS_BACKEND_CALICO_RUNS=n  of those, the first n also analyze the Calico output ((a), (b), (e); default 80,
 *                             `npm run nightly` every run): its evaluator is the slowest of the three. The Calico
 *                             rendering and its refusals (f) are checked on every run, and once a run fails every
 *                             later one (fast-check's shrinking, a replay) analyzes the Calico output too
 *   CROSS_BACKEND_SEED=n      the seed of a failure that fast-check printed (and CROSS_BACKEND_PATH=p)
 *   CROSS_BACKEND_STATS=1     prints runs, discarded platforms, time and what the runs covered
 */
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Backend, ConnectionVerdict, ConnectivityReport, Feature, formatIssue, Manifest, ProbePort, ValidationIssue, ZeroTrustPlatform } from '../../src';
import { compareWithIntent, describeEndpoints, describeVerdict, documentsOf, endpointsOf, Findings, probesOf, some } from './support/representative-analysis';
import { SourcedDocument } from '../../src/analysis';
import { buildConnectivity, ComputedConnectivity, lookupSeenByDnsProxy } from '../../src/analysis/connectivity';
import { CALICO_API_VERSION } from '../../src/analysis/dialects/calico/model';
import { toAnalysisInput } from '../../src/testing/subject';
import {
  API_SERVER_ADDRESSES,
  apiServerExternal,
  buildPlatform,
  CALICO_OMITS,
  calicoRefusesDeny,
  clusterObjects,
  Declarations,
  declarationsArbWith,
  dnsOf,
  EndpointOrigin,
  FlowDecl,
  formatAddress,
  HttpRequestDecl,
  IntentOracle,
  NODES,
  OracleView,
  parseAddress,
  PeerDecl,
  PortDecl,
  Probe,
  runCount,
  selectorMatches,
} from '../backends/support/declared-intent';

const RUNS = runCount(process.env.CROSS_BACKEND_RUNS, 300);
const CALICO_RUNS = runCount(process.env.CROSS_BACKEND_CALICO_RUNS, 80);
const SEED = process.env.CROSS_BACKEND_SEED === undefined ? undefined : Number(process.env.CROSS_BACKEND_SEED);
const PATH = process.env.CROSS_BACKEND_PATH;
const STATS = process.env.CROSS_BACKEND_STATS !== undefined;

const platformsArb = declarationsArbWith({ cilium: true });

/** Everything the Kubernetes target cannot express (src/backends/support-table.ts): it declares that it omits them. */
const KUBERNETES_OMITS: readonly Feature[] = [
  Feature.FQDN,
  Feature.HTTP,
  Feature.KUBE_APISERVER,
  Feature.NODES,
  Feature.WORLD,
  Feature.CLUSTER,
  Feature.DENY,
  Feature.CLUSTER_WIDE,
];

/** An address outside every generated CIDR but `Peer.anyIpv4()` (RFC 2544's benchmarking range): where DNS names resolve to. */
const INTERNET = { name: 'internet', ip: '198.18.0.10' };

/** Requests of the L7 checks: the issue's three (GET /api/x, DELETE /api/x, GET /other) and more that the generated rules tell apart. */
const REQUESTS: readonly HttpRequestDecl[] = [
  { method: 'GET', path: '/api/x' },
  { method: 'DELETE', path: '/api/x' },
  { method: 'GET', path: '/other' },
  { method: 'HEAD', path: '/api/x' },
  { method: 'POST', path: '/jobs' },
  { method: 'POST', path: '/jobs/1' },
  { method: 'GET', path: '/public/x' },
  { method: 'GET', path: '/public' },
];

/** A name outside every generated DNS name and pattern. */
const OTHER_NAME = 'other.example.org';

/**
 * A fixed platform, run first: the issue's L7 example (`GET /api/.*` on 8080 from ns-0/w0 to ns-1/w0), a
 * DNS name, the API server by address and as the entity, and a deny of one address of a CIDR ns-1 may reach.
 */
const FIXED: Declarations = {
  namespaces: [
    { name: 'ns-0', allowDns: true, allowSameNamespace: false, createNamespace: true, workloads: [{ name: 'w0', labels: { app: 'w0' }, portNames: [] }] },
    { name: 'ns-1', allowDns: false, allowSameNamespace: false, createNamespace: true, workloads: [{ name: 'w0', labels: { app: 'w0' }, portNames: [] }] },
  ],
  tenants: [],
  externalNamespaces: [],
  namedPorts: { 'http': { port: 8080, protocol: 'TCP' }, 'metrics': { port: 9090, protocol: 'TCP' }, 'grpc-web': { port: 443, protocol: 'TCP' }, 'dns': { port: 5353, protocol: 'UDP' }, 'assoc': { port: 80, protocol: 'SCTP' } },
  flows: [
    { workload: 'ns-0/w0', method: 'allowTo', peer: { kind: 'workload', namespace: 'ns-1', workload: 'w0' }, ports: [{ kind: 'number', protocol: 'TCP', port: 8080, http: [{ methods: ['GET'], path: '/api/.*' }] }], acrossTenants: false },
    { workload: 'ns-0/w0', method: 'allowTo', peer: { kind: 'fqdn', value: 'api.example.com', pattern: false }, ports: [{ kind: 'number', protocol: 'TCP', port: 443 }], acrossTenants: false },
    { workload: 'ns-0/w0', method: 'allowTo', peer: { kind: 'entity', entity: 'kube-apiserver', addresses: true }, ports: [{ kind: 'number', protocol: 'TCP', port: 443 }], acrossTenants: false },
    { workload: 'ns-0/w0', method: 'allowTo', peer: { kind: 'entity', entity: 'kube-apiserver' }, ports: [{ kind: 'number', protocol: 'TCP', port: 6443 }], acrossTenants: false },
    { workload: 'ns-1/w0', method: 'allowTo', peer: { kind: 'cidr', cidr: '203.0.113.0/24', except: [] }, ports: [{ kind: 'all' }], acrossTenants: false },
  ],
  clusterNetworks: ['10.0.0.0/8', 'fd00::/8'],
  denies: [{ name: 'deny-0', method: 'denyEgress', peer: { kind: 'cidr', cidr: '203.0.113.7/32', except: [] }, ports: [], scope: { kind: 'namespace', namespace: 'ns-1' } }],
};

// ---------------------------------------------------------------------------------------------------
// Rendering with each backend.

interface Target {
  readonly platform: ZeroTrustPlatform;
  readonly view: OracleView;
  /** The declarations the target renders (the Calico one leaves out the denies it refuses). */
  readonly declarations: Declarations;
}

interface Targets {
  readonly cilium: Target;
  readonly kubernetes: Target;
  readonly calico: Target;
  /** Denies the Calico target refused (left out of its declarations). */
  readonly calicoRefused: readonly string[];
}

/**
 * Both targets of the declarations, or the Cilium refusal. The Kubernetes target omits the denies; the
 * platform refuses that while an allow overlaps one (it would allow more), and the Kubernetes program is
 * then the same declarations without denies: NetworkPolicy has none, and the comparison (a) leaves out
 * what a deny refuses on the Cilium side.
 */
function targetsOf(declarations: Declarations): Targets | { readonly refusal: string[] } {
  const cilium = buildPlatform(declarations, Testing.app(), { backends: [Backend.cilium()] }).platform;
  const refusal = cilium.validateIntent();
  if (refusal.length > 0) return { refusal: refusal.map(formatIssue) };
  const ciliumTarget: Target = { platform: cilium, view: { backend: 'cilium' }, declarations };
  const { target: calico, refused: calicoRefused } = calicoTargetOf(declarations);
  const kubernetesOf = (d: Declarations) => buildPlatform(d, Testing.app(), { backends: [Backend.kubernetes({ omit: KUBERNETES_OMITS })] }).platform;
  const withDenies = kubernetesOf(declarations);
  const issues = withDenies.validateIntent();
  if (issues.length === 0) return { cilium: ciliumTarget, calico, calicoRefused, kubernetes: { platform: withDenies, view: { backend: 'kubernetes', denies: 'omitted' }, declarations } };
  // Only the omission of denies that allows overlap may be refused: anything else the Cilium target accepts must render.
  const unexpected = issues.filter((issue) => !isDenyOmissionRefusal(issue));
  if (unexpected.length > 0) throw new Error(`the Kubernetes target refuses what the Cilium target accepts:\n${unexpected.map(formatIssue).join('\n')}`);
  const withoutDenies = kubernetesOf({ ...declarations, denies: [] });
  const left = withoutDenies.validateIntent();
  if (left.length > 0) throw new Error(`the Kubernetes target without denies is refused:\n${left.map(formatIssue).join('\n')}`);
  return { cilium: ciliumTarget, calico, calicoRefused, kubernetes: { platform: withoutDenies, view: { backend: 'kubernetes', denies: 'absent' }, declarations } };
}

/**
 * The Calico target of declarations the Cilium target accepts (f): it may refuse only the denies toward
 * entities Calico cannot select (`calicoRefusesDeny`), each with an issue at that deny that says what and
 * how to fix it; its program is then the declarations without them, which it must accept.
 */
function calicoTargetOf(declarations: Declarations): { target: Target; refused: string[] } {
  const calicoOf = (d: Declarations) => buildPlatform(d, Testing.app(), { backends: [Backend.calico({ omit: CALICO_OMITS })] }).platform;
  const denies = declarations.denies ?? [];
  const refusedDenies = denies.filter(calicoRefusesDeny);
  const platform = calicoOf(declarations);
  const issues = platform.validateIntent();
  const refusedPaths = new Set(refusedDenies.map((d) => `platform/${d.name}`));
  const unexpected = issues.filter((issue) => !refusedPaths.has(issue.path) || !/cannot be expressed by Calico policy/.test(issue.message) || !/Feature\.DENY|Cilium/.test(issue.fix ?? ''));
  if (unexpected.length > 0) throw new Error(`the Calico target refuses what the Cilium target accepts:\n${unexpected.map(formatIssue).join('\n')}`);
  const silent = refusedDenies.filter((d) => !issues.some((issue) => issue.path === `platform/${d.name}`));
  if (silent.length > 0) throw new Error(`the Calico target renders denies it cannot express without an issue: ${silent.map((d) => d.name).join(', ')}`);
  if (refusedDenies.length === 0) return { target: { platform, view: { backend: 'calico' }, declarations }, refused: [] };
  const kept = { ...declarations, denies: denies.filter((d) => !calicoRefusesDeny(d)) };
  const reduced = calicoOf(kept);
  const left = reduced.validateIntent();
  if (left.length > 0) throw new Error(`the Calico target without the denies it refuses is refused:\n${left.map(formatIssue).join('\n')}`);
  return { target: { platform: reduced, view: { backend: 'calico' }, declarations: kept }, refused: refusedDenies.map((d) => d.name) };
}

function isDenyOmissionRefusal(issue: ValidationIssue): boolean {
  return /the target '.*' omits '(deny|cluster-wide)', but .* may carry connections this deny refuses/.test(issue.message);
}

// ---------------------------------------------------------------------------------------------------
// The analyses.

/** One target analyzed: the connectivity (for L7 requests), its report, and the endpoints the test knows. */
interface Analyzed {
  readonly connectivity: ComputedConnectivity;
  readonly report: ConnectivityReport;
  readonly endpoints: ReadonlyMap<string, EndpointOrigin>;
  readonly oracle: IntentOracle;
}

/** Every representative pod on a node, in turn (a copy: the inventory's objects are not changed). */
function placedOnNodes(documents: readonly SourcedDocument[]): SourcedDocument[] {
  let next = 0;
  return documents.map((document) => {
    const object = document.object as { kind?: unknown; spec?: Record<string, unknown> };
    if (object.kind !== 'Pod') return document;
    const nodeName = NODES[next++ % NODES.length].name;
    return { ...document, object: { ...object, spec: { ...object.spec, nodeName } } };
  });
}

const asDocuments = (objects: readonly Record<string, unknown>[]): SourcedDocument[] =>
  objects.map((object, documentIndex) => ({ object, source: { file: '<cluster>', documentIndex } }));
/** The nodes, and the API server's EndpointSlice (clusterObjects), with the externals of its addresses. */
const NODE_DOCUMENTS = asDocuments(clusterObjects().filter((object) => object.kind === 'Node'));
const API_SERVER_DOCUMENTS = asDocuments(clusterObjects().filter((object) => object.kind !== 'Node'));
const API_SERVER_EXTERNALS: Readonly<Record<string, string>> = Object.fromEntries(
  API_SERVER_ADDRESSES.map((cidr, i) => [apiServerExternal(i), formatAddress(parseAddress(cidr.split('/')[0]))]),
);

/**
 * The cluster around the representative inventory: an address for DNS names and the world; nodes when an
 * entity or a restriction may concern them; the API server when an entity may. (The other runs keep a
 * smaller inventory; never-wider.test.ts always has both, on generated pods.)
 */
function clusterOf(declarations: Declarations): { documents: SourcedDocument[]; externals: Record<string, string>; nodes: boolean } {
  const ends = [...declarations.flows.map((f) => f.peer), ...(declarations.denies ?? []).flatMap((d) => (d.peer ? [d.peer] : []))];
  const entities = new Set(ends.flatMap((end) => (end.kind === 'entity' ? [end.entity] : [])));
  const nodes = entities.has('local-node') || entities.has('remote-nodes') || entities.has('cluster') || (declarations.denies ?? []).some((d) => d.method === 'restrictIngress');
  const apiServer = entities.has('kube-apiserver') || entities.has('cluster');
  return {
    documents: [...(nodes ? NODE_DOCUMENTS : []), ...(apiServer ? API_SERVER_DOCUMENTS : [])],
    externals: { [INTERNET.name]: INTERNET.ip, ...(apiServer ? API_SERVER_EXTERNALS : {}) },
    nodes,
  };
}

type Cni = 'kubernetes' | 'cilium' | 'calico';

/**
 * One target's output analyzed with its dialect over the inventory of the whole declarations (the same for
 * every target), with `extra` documents (the tenants' own allows of (e)); the oracle reads what the target renders.
 */
function analyze(declarations: Declarations, target: Target, cni: Cni): Analyzed & { readonly probes: readonly ProbePort[] } {
  const { connectivity, endpoints, probes } = connectivityOf(declarations, target, cni);
  const report = connectivity.report();
  // Under Kubernetes and Calico, nodes are no endpoints (NetworkPolicy never selects a node's host network;
  // Calico selects nodes only as host endpoints, which the inventory does not define).
  const known = [...endpoints.keys()].filter((id) => cni === 'cilium' || endpoints.get(id)!.kind !== 'node');
  expect([...report.pods].sort()).toEqual(known.sort());
  return { connectivity, report, endpoints, oracle: new IntentOracle(target.declarations, target.view), probes };
}

/** The connectivity of one target's output with `extra` documents (and `moreExternals`), before any verdict is computed. */
function connectivityOf(
  declarations: Declarations,
  target: Target,
  cni: Cni,
  extra: readonly SourcedDocument[] = [],
  moreExternals: Record<string, string> = {},
) {
  const { input, externals, externalPorts } = toAnalysisInput(target.platform);
  const cluster = clusterOf(declarations);
  const representatives = documentsOf(input);
  const documents = [...(cluster.nodes ? placedOnNodes(representatives) : representatives), ...cluster.documents, ...extra];
  const allExternals = { ...externals, ...cluster.externals, ...moreExternals };
  const endpoints = endpointsOf(declarations, documents, allExternals);
  const probes = probesOf(declarations, endpoints, externalPorts);
  const connectivity = buildConnectivity({ documents, issues: [] }, { cni, externals: allExternals, ports: probes });
  return { connectivity, endpoints, probes };
}

/**
 * What a tenant may write in its own namespace to reopen everything (e): a Calico NetworkPolicy of the
 * default tier, first in order, that allows every packet both ways, and a Kubernetes NetworkPolicy that
 * allows everything (Calico runs it in the default tier too, at order 1000).
 */
function tenantAllowsEverything(declarations: Declarations): SourcedDocument[] {
  return asDocuments(declarations.namespaces.flatMap((ns) => [
    {
      apiVersion: CALICO_API_VERSION,
      kind: 'NetworkPolicy',
      metadata: { name: 'tenant-allow-everything', namespace: ns.name },
      spec: { order: 0, selector: 'all()', types: ['Ingress', 'Egress'], ingress: [{ action: 'Allow' }], egress: [{ action: 'Allow' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'tenant-allow-everything', namespace: ns.name },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] },
    },
  ]));
}

/** Connections per run that no deny refuses and the Calico output refuses, re-evaluated under the tenants' allows (they must reopen some). */
const REOPEN_SAMPLE = 20;

/**
 * (e): every connection a deny refuses (by the oracle, over the report of the Calico output) stays refused
 * with the tenants' own allows added (`withTenantAllows`, evaluated for those connections only); also counts,
 * over a sample, the refused connections that no deny refuses and that the tenants' allows reopen.
 */
function checkDeniesHold(calico: Analyzed, withTenantAllows: ComputedConnectivity): { problems: string[]; denied: number; reopened: number } {
  const problems: string[] = [];
  let denied = 0;
  let reopened = 0;
  let sampled = 0;
  const { report, endpoints, oracle } = calico;
  const evaluate = (c: ConnectionVerdict) =>
    withTenantAllows.evaluateEndpoints(withTenantAllows.endpoint(c.from), withTenantAllows.endpoint(c.to), { port: c.port, protocol: c.protocol });
  let pairKey = '';
  let pair: ReturnType<IntentOracle['pairReasons']> | undefined;
  for (const c of report.connections) {
    const source = endpoints.get(c.from)!;
    const destination = endpoints.get(c.to)!;
    if (pairKey !== `${c.from} ${c.to}`) {
      pairKey = `${c.from} ${c.to}`;
      pair = oracle.pairReasons(source, destination);
    }
    const denies = oracle.deniedBy(pair!, destination, c);
    if (denies.length > 0) {
      denied++;
      const verdict = evaluate(c);
      if (verdict.allowed) problems.push(`${describeVerdict(c)} is refused by ${denies.join(', ')}, but allowed once the tenants allow everything (${[verdict.egress, verdict.ingress].flatMap((side) => side.layers.flatMap((layer) => layer.decisive.map((d) => d.describe().reason))).join('; ')})`);
    } else if (!c.allowed && sampled < REOPEN_SAMPLE) {
      sampled++;
      if (evaluate(c).allowed) reopened++;
    }
  }
  return { problems, denied, reopened };
}

// ---------------------------------------------------------------------------------------------------
// (a) Both analyses agree where both targets express the same intent.

interface Agreement {
  readonly disagreements: string[];
  /** Verdicts compared. */
  readonly compared: number;
  /** Verdicts left out: the declarations say different things for the two targets (omitted features, denies). */
  readonly differentByDesign: number;
}

function compareAnalyses(first: Analyzed & { readonly name: string }, second: Analyzed & { readonly name: string }): Agreement {
  const disagreements: string[] = [];
  let compared = 0;
  let differentByDesign = 0;
  // Both reports list every source × destination × probe, in their endpoints' order, with the same probes;
  // the Kubernetes and Calico ones have no node endpoints: the walk is over the one with more endpoints.
  const [wide, narrow] = first.report.pods.length >= second.report.pods.length ? [first, second] : [second, first];
  const narrowIndex = new Map(narrow.report.pods.map((id, i) => [id, i]));
  const widePods = wide.report.pods;
  const probes = wide.report.connections.length / (widePods.length * widePods.length);
  if (narrow.report.connections.length !== probes * narrow.report.pods.length ** 2) throw new Error(`test bug: the ${first.name} and ${second.name} analyses probe different ports`);
  widePods.forEach((from, s) => {
    const ns = narrowIndex.get(from);
    widePods.forEach((to, d) => {
      const nd = narrowIndex.get(to);
      if (ns === undefined || nd === undefined) {
        if (wide.endpoints.get(from)!.kind !== 'node' && wide.endpoints.get(to)!.kind !== 'node') throw new Error(`test bug: ${from} -> ${to} is not in the ${narrow.name} analysis`);
        return;
      }
      const source = wide.endpoints.get(from)!;
      const destination = wide.endpoints.get(to)!;
      const narrowPair = narrow.oracle.pairReasons(source, destination);
      const widePair = wide.oracle.pairReasons(source, destination);
      for (let p = 0; p < probes; p++) {
        const w = wide.report.connections[(s * widePods.length + d) * probes + p];
        const n = narrow.report.connections[(ns * narrow.report.pods.length + nd) * probes + p];
        if (n.from !== w.from || n.to !== w.to || n.port !== w.port || n.protocol !== w.protocol) throw new Error('test bug: the reports are not in the same order');
        if (narrow.oracle.verdict(narrowPair, destination, w).allowed !== wide.oracle.verdict(widePair, destination, w).allowed) {
          differentByDesign++;
          continue;
        }
        compared++;
        if (n.allowed !== w.allowed) {
          const [a, b] = wide === first ? [w, n] : [n, w];
          disagreements.push(`${describeVerdict(w)}: ${a.allowed ? 'allowed' : 'denied'} by the ${first.name} output, ${b.allowed ? 'allowed' : 'denied'} by the ${second.name} output`);
        }
      }
    });
  });
  return { disagreements, compared, differentByDesign };
}

// ---------------------------------------------------------------------------------------------------
// (c) L7 HTTP rules and DNS names under Cilium.

interface L7Findings {
  readonly problems: string[];
  /** Requests checked, and those refused by HTTP rules on a port that an L4 allow does not lift. */
  readonly httpChecked: number;
  readonly httpRefused: number;
  /** Connections to an address by name, and those the name allowed (and only the name). */
  readonly fqdnChecked: number;
  readonly fqdnAllowedByName: number;
}

const httpPorts = (flow: FlowDecl): Extract<PortDecl, { kind: 'number' }>[] =>
  flow.ports.flatMap((p) => (p.kind === 'number' && p.http !== undefined ? [p] : []));

/** Names a DNS-name peer is checked with: one it matches, and (for a pattern) two it does not. */
function namesOf(peer: Extract<PeerDecl, { kind: 'fqdn' }>): string[] {
  if (!peer.pattern) return [peer.value];
  const domain = peer.value.slice(2);
  return [`x.${domain}`, `a.b.${domain}`, domain];
}

/** A probe per port of a flow toward an address (a whole protocol, or every port, by one port of it). */
function probesOfPorts(ports: readonly PortDecl[]): Probe[] {
  return ports.flatMap((p): Probe[] => {
    switch (p.kind) {
      case 'number':
        return [{ port: p.port, protocol: p.protocol }];
      case 'range':
        return [{ port: p.from, protocol: p.protocol }, { port: p.to, protocol: p.protocol }];
      case 'protocol':
        return [{ port: 4321, protocol: p.protocol }];
      case 'all':
        return [{ port: 4321, protocol: 'UDP' }];
      case 'named':
        return [];
    }
  });
}

function checkL7(declarations: Declarations, cilium: Analyzed): L7Findings {
  const { connectivity, endpoints, oracle } = cilium;
  const problems: string[] = [];
  let httpChecked = 0;
  let httpRefused = 0;
  let fqdnChecked = 0;
  let fqdnAllowedByName = 0;
  const all = [...endpoints.values()];
  const endpointOf = (origin: EndpointOrigin) => connectivity.endpoint(origin.id);

  // HTTP: every pair of endpoints a flow with HTTP rules explains, on each of those ports, every request.
  declarations.flows.forEach((flow, index) => {
    const ports = httpPorts(flow);
    if (ports.length === 0) return;
    for (const source of all) {
      for (const destination of all) {
        const pair = oracle.pairReasons(source, destination);
        if (!pair.flows.some((f) => f.index === index)) continue;
        for (const port of ports) {
          const probe: ProbePort = { port: port.port, protocol: 'TCP' };
          const atL4 = oracle.verdict(pair, destination, probe);
          for (const http of REQUESTS) {
            const expected = oracle.verdict(pair, destination, probe, { http });
            const actual = connectivity.evaluateEndpoints(endpointOf(source), endpointOf(destination), probe, { http: { ...http, headers: {} } });
            httpChecked++;
            if (atL4.allowed && !expected.allowed) httpRefused++;
            if (actual.allowed !== expected.allowed) {
              problems.push(
                `${source.id} -> ${destination.id} ${probe.port}/TCP ${http.method} ${http.path}: ${actual.allowed ? 'allowed' : 'refused'} by the Cilium output, ` +
                `${expected.allowed ? `allowed by the declarations (${expected.reasons.join(', ')})` : `refused by the declarations${expected.denies.length > 0 ? ` (${expected.denies.join(', ')})` : ''}`}`,
              );
            }
          }
        }
      }
    }
  });

  // DNS names: the lookup through the DNS proxy, then the address by that name, by another, and without the proxy's answer.
  const dns = dnsOf(declarations);
  const internet = endpoints.get(`external:${INTERNET.name}`)!;
  const resolver = all.find((e) => e.kind === 'pod' && e.namespace === dns.namespace && selectorMatches({ matchLabels: dns.labels }, e.labels));
  const lookupPort = dns.ports.find((p) => p.kind === 'number' && p.protocol === 'UDP') ?? dns.ports[0];
  declarations.flows.forEach((flow) => {
    if (flow.peer.kind !== 'fqdn') return;
    const peer = flow.peer;
    const [namespace, workload] = flow.workload.split('/');
    const sources = all.filter((e) => e.kind === 'pod' && e.managed && e.namespace === namespace && e.workload === workload);
    for (const source of sources) {
      for (const name of [...namesOf(peer), OTHER_NAME]) {
        if (!resolver || lookupPort.kind !== 'number') throw new Error('test bug: a namespace with DNS names has a DNS pod and port');
        const lookupProbe: ProbePort = { port: lookupPort.port, protocol: lookupPort.protocol };
        const lookup = connectivity.evaluateEndpoints(endpointOf(source), endpointOf(resolver), lookupProbe, { dns: { query: name } });
        const seen = lookupSeenByDnsProxy(lookup);
        // The DNS egress of a namespace whose pods have names as peers passes every query through the proxy.
        if (!seen) problems.push(`${source.id}: the lookup of ${name} on ${lookupPort.port}/${lookupPort.protocol} was not seen by the DNS proxy (allowed: ${lookup.allowed})`);
        const pair = oracle.pairReasons(source, internet);
        for (const probe of probesOfPorts(flow.ports)) {
          for (const lookupAllowed of [seen, false]) {
            const expected = oracle.verdict(pair, internet, probe, { fqdn: { name, lookupAllowed } });
            const atL4 = oracle.verdict(pair, internet, probe);
            const actual = connectivity.evaluateEndpoints(endpointOf(source), endpointOf(internet), probe, { fqdn: { name, lookupAllowed } });
            fqdnChecked++;
            if (expected.allowed && !atL4.allowed) fqdnAllowedByName++;
            if (actual.allowed !== expected.allowed) {
              problems.push(
                `${source.id} -> ${internet.id} ${probe.port}/${probe.protocol} reached as ${name} (lookup ${lookupAllowed ? 'seen by the DNS proxy' : 'not seen'}): ` +
                `${actual.allowed ? 'allowed' : 'refused'} by the Cilium output, ${expected.allowed ? `allowed by the declarations (${expected.reasons.join(', ')})` : 'refused by the declarations'}`,
              );
            }
          }
        }
      }
    }
  });
  return { problems, httpChecked, httpRefused, fqdnChecked, fqdnAllowedByName };
}

// ---------------------------------------------------------------------------------------------------

function policiesOf(platform: ZeroTrustPlatform): string[] {
  return platform.manifests().filter((m: Manifest) => m.kind !== 'Namespace').map((m) => `  ${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}: ${JSON.stringify((m as { spec?: unknown }).spec)}`);
}

/** What one run found; each list holds problems, empty when the property holds. */
interface RunFindings {
  readonly kubernetes: Findings;
  readonly cilium: Findings;
  /** The Calico analysis, on the runs that have it (CROSS_BACKEND_CALICO_RUNS). */
  readonly calico?: Findings;
  readonly agreement: Agreement;
  readonly calicoAgreement?: { readonly withKubernetes: Agreement; readonly withCilium: Agreement };
  readonly l7: L7Findings;
  /** (e), on runs whose Calico program has denies. */
  readonly deniesHold?: { readonly problems: string[]; readonly denied: number; readonly reopened: number };
}

function assertEquivalent(targets: Targets, cilium: Analyzed, findings: RunFindings): void {
  const problems = [
    ...findings.agreement.disagreements.map((line) => `(a) ${line}`),
    ...(findings.calicoAgreement?.withKubernetes.disagreements ?? []).map((line) => `(a) ${line}`),
    ...(findings.calicoAgreement?.withCilium.disagreements ?? []).map((line) => `(a) ${line}`),
    ...[...findings.kubernetes.wider, ...findings.kubernetes.narrower].map((line) => `(b) Kubernetes: ${line}`),
    ...[...findings.cilium.wider, ...findings.cilium.narrower].map((line) => `(b) Cilium: ${line}`),
    ...[...(findings.calico?.wider ?? []), ...(findings.calico?.narrower ?? [])].map((line) => `(b) Calico: ${line}`),
    ...findings.l7.problems.map((line) => `(c) ${line}`),
    ...(findings.deniesHold?.problems ?? []).map((line) => `(e) ${line}`),
  ];
  if (problems.length === 0) return;
  throw new Error(
    [
      `${problems.length} problems:`,
      ...some(problems),
      `the Kubernetes program ${targets.kubernetes.view.backend === 'kubernetes' && targets.kubernetes.view.denies === 'absent' ? 'without the denies' : 'omitting the denies'}`,
      `the Calico program ${targets.calicoRefused.length > 0 ? `without the denies it refuses (${targets.calicoRefused.join(', ')})` : 'with every deny'}`,
      'endpoints:',
      ...some(describeEndpoints(cilium.endpoints)),
      'Kubernetes policies:',
      ...policiesOf(targets.kubernetes.platform),
      'Cilium policies:',
      ...policiesOf(targets.cilium.platform),
      'Calico policies:',
      ...policiesOf(targets.calico.platform),
    ].join('\n'),
  );
}

/** The Calico output analyzed and checked: (a) against the other two analyses, (b) against the declarations, (e) when it has denies. */
function calicoChecks(
  declarations: Declarations,
  targets: Targets,
  kubernetes: Analyzed & { readonly name: string },
  cilium: Analyzed & { readonly name: string },
): Pick<RunFindings, 'calico' | 'calicoAgreement' | 'deniesHold'> {
  const calico = { name: 'Calico', ...analyze(declarations, targets.calico, 'calico') };
  const withDenies = (targets.calico.declarations.denies ?? []).length > 0;
  return {
    calico: compareWithIntent(calico.oracle, calico.endpoints, calico.report),
    calicoAgreement: { withKubernetes: compareAnalyses(calico, kubernetes), withCilium: compareAnalyses(calico, cilium) },
    ...(withDenies ? { deniesHold: checkDeniesHold(calico, connectivityOf(declarations, targets.calico, 'calico', tenantAllowsEverything(declarations)).connectivity) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// What the runs covered.

type Feature2 =
  | 'DNS name' | 'DNS pattern' | 'HTTP rules' | 'kube-apiserver (addresses)' | 'kube-apiserver (entity)' | 'world' | 'cluster' | 'local-node' | 'remote-nodes'
  | 'denyEgress' | 'denyIngress' | 'restrictIngress' | 'cluster-wide rule' | 'denies omitted by Kubernetes' | 'denies left out for Kubernetes'
  | 'CIDR peer' | 'CIDR except' | 'tenant' | 'cross-tenant flow' | 'port range' | 'named port' | 'cross-namespace flow'
  | 'denies kept by Calico' | 'denies refused by Calico';

function featuresOf(declarations: Declarations, targets: Targets): Set<Feature2> {
  const features = new Set<Feature2>();
  const add = (feature: Feature2, when: boolean) => when && features.add(feature);
  const peers = declarations.flows.map((f) => f.peer);
  const denies = declarations.denies ?? [];
  add('DNS name', peers.some((p) => p.kind === 'fqdn' && !p.pattern));
  add('DNS pattern', peers.some((p) => p.kind === 'fqdn' && p.pattern));
  add('HTTP rules', declarations.flows.some((f) => httpPorts(f).length > 0));
  add('kube-apiserver (addresses)', peers.some((p) => p.kind === 'entity' && p.entity === 'kube-apiserver' && p.addresses === true));
  add('kube-apiserver (entity)', peers.some((p) => p.kind === 'entity' && p.entity === 'kube-apiserver' && !p.addresses));
  for (const entity of ['world', 'cluster', 'local-node', 'remote-nodes'] as const) add(entity, peers.some((p) => p.kind === 'entity' && p.entity === entity));
  for (const method of ['denyEgress', 'denyIngress', 'restrictIngress'] as const) add(method, denies.some((d) => d.method === method));
  add('cluster-wide rule', denies.some((d) => d.scope.kind === 'cluster'));
  const view = targets.kubernetes.view;
  add('denies omitted by Kubernetes', denies.length > 0 && view.backend === 'kubernetes' && view.denies === 'omitted');
  add('denies left out for Kubernetes', denies.length > 0 && view.backend === 'kubernetes' && view.denies === 'absent');
  add('denies kept by Calico', (targets.calico.declarations.denies ?? []).length > 0);
  add('denies refused by Calico', targets.calicoRefused.length > 0);
  add('CIDR peer', peers.some((p) => p.kind === 'cidr'));
  add('CIDR except', peers.some((p) => p.kind === 'cidr' && p.except.length > 0));
  add('tenant', declarations.tenants.length > 0);
  const tenantOf = (namespace: string) => declarations.tenants.find((t) => t.namespaces.includes(namespace))?.name;
  add('cross-tenant flow', declarations.flows.some((f) => {
    const own = tenantOf(f.workload.split('/')[0]);
    const other = f.peer.kind === 'tenant' ? f.peer.tenant : f.peer.kind === 'workload' || f.peer.kind === 'namespace' ? tenantOf(f.peer.namespace) : undefined;
    return own !== undefined && other !== undefined && own !== other;
  }));
  add('port range', declarations.flows.some((f) => f.ports.some((p) => p.kind === 'range')));
  add('named port', declarations.flows.some((f) => f.ports.some((p) => p.kind === 'named')));
  add('cross-namespace flow', declarations.flows.some((f) => (f.peer.kind === 'workload' || f.peer.kind === 'namespace') && f.peer.namespace !== f.workload.split('/')[0]));
  return features;
}

describe('one intent, equivalent output: the Kubernetes, Cilium and Calico outputs of random platforms, analyzed with their own dialects', () => {
  test(`each allows exactly the declared connections, they agree where two express the same, and no tenant allow reopens a deny (${RUNS} runs)`, () => {
    const started = Date.now();
    const stats = {
      runs: 0,
      generated: 0,
      discarded: 0,
      refusals: new Map<string, number>(),
      compared: 0,
      differentByDesign: 0,
      ciliumAllowed: 0,
      evaluated: 0,
      httpChecked: 0,
      httpRefused: 0,
      fqdnChecked: 0,
      fqdnAllowedByName: 0,
      calicoRuns: 0,
      calicoCompared: 0,
      calicoDifferentByDesign: 0,
      calicoAllowed: 0,
      calicoRefusedDenies: 0,
      deniedUnderTenantAllows: 0,
      reopenedByTenantAllows: 0,
      /** Milliseconds spent on the Calico analyses and their checks. */
      calicoMs: 0,
    };
    const features = new Map<Feature2, number>();
    let failed = false;
    fc.assert(
      fc.property(platformsArb, (declarations) => {
        stats.generated++;
        const targets = targetsOf(declarations);
        if ('refusal' in targets) {
          stats.discarded++;
          for (const issue of targets.refusal) {
            const key = issue.replace(/^\[[^\]]*\] /, '').replace(/'[^']*'/g, "'…'").replace(/\([^)]*\)/g, '(…)').slice(0, 90);
            stats.refusals.set(key, (stats.refusals.get(key) ?? 0) + 1);
          }
          fc.pre(false);
          return;
        }
        const kubernetes = { name: 'Kubernetes', ...analyze(declarations, targets.kubernetes, 'kubernetes') };
        const cilium = { name: 'Cilium', ...analyze(declarations, targets.cilium, 'cilium') };
        const calicoStarted = Date.now();
        const calicoFindings = failed || stats.runs < CALICO_RUNS ? calicoChecks(declarations, targets, kubernetes, cilium) : {};
        stats.calicoMs += Date.now() - calicoStarted;
        const findings: RunFindings = {
          kubernetes: compareWithIntent(kubernetes.oracle, kubernetes.endpoints, kubernetes.report),
          cilium: compareWithIntent(cilium.oracle, cilium.endpoints, cilium.report),
          agreement: compareAnalyses(kubernetes, cilium),
          l7: checkL7(declarations, cilium),
          ...calicoFindings,
        };
        try {
          assertEquivalent(targets, cilium, findings);
        } catch (error) {
          failed = true;
          throw error;
        }
        stats.runs++;
        stats.compared += findings.agreement.compared;
        stats.differentByDesign += findings.agreement.differentByDesign;
        stats.ciliumAllowed += findings.cilium.allowed;
        stats.evaluated += findings.cilium.evaluated;
        stats.httpChecked += findings.l7.httpChecked;
        stats.httpRefused += findings.l7.httpRefused;
        stats.fqdnChecked += findings.l7.fqdnChecked;
        stats.fqdnAllowedByName += findings.l7.fqdnAllowedByName;
        if (findings.calicoAgreement) stats.calicoRuns++;
        for (const agreement of findings.calicoAgreement ? [findings.calicoAgreement.withKubernetes, findings.calicoAgreement.withCilium] : []) {
          stats.calicoCompared += agreement.compared;
          stats.calicoDifferentByDesign += agreement.differentByDesign;
        }
        stats.calicoAllowed += findings.calico?.allowed ?? 0;
        stats.calicoRefusedDenies += targets.calicoRefused.length;
        stats.deniedUnderTenantAllows += findings.deniesHold?.denied ?? 0;
        stats.reopenedByTenantAllows += findings.deniesHold?.reopened ?? 0;
        for (const feature of featuresOf(declarations, targets)) features.set(feature, (features.get(feature) ?? 0) + 1);
      }),
      { numRuns: RUNS, examples: [[FIXED]], ...(SEED !== undefined ? { seed: SEED } : {}), ...(PATH !== undefined ? { path: PATH } : {}) },
    );
    const seconds = (Date.now() - started) / 1000;
    if (STATS) {
      const { refusals, ...counts } = stats;
      console.log(
        `cross-backend property: ${stats.runs} runs, ${stats.discarded} of ${stats.generated} generated platforms discarded (refused), ${seconds.toFixed(1)} s; ` +
        `${JSON.stringify(counts)}; refusals: ${JSON.stringify(Object.fromEntries([...refusals].sort(([, a], [, b]) => b - a).slice(0, 8)))}; ` +
        `runs per feature: ${JSON.stringify(Object.fromEntries([...features].sort(([a], [b]) => a.localeCompare(b))))}`,
      );
    }
    expect(stats.discarded).toBeLessThan(stats.generated * 0.25);
    expect(stats.calicoRuns).toBe(Math.min(CALICO_RUNS, stats.runs));
    if (stats.runs >= 100) {
      // A passing run means something: most verdicts are compared, L7 rules refuse requests, names admit addresses.
      expect(stats.compared).toBeGreaterThan(stats.differentByDesign);
      if (stats.calicoRuns >= 40) {
        expect(stats.calicoCompared).toBeGreaterThan(stats.calicoDifferentByDesign);
        // (e) means something: denies refuse connections, and the tenants' allows reopen what no deny refuses.
        expect(stats.deniedUnderTenantAllows).toBeGreaterThan(0);
        expect(stats.reopenedByTenantAllows).toBeGreaterThan(0);
      }
      expect(stats.httpRefused).toBeGreaterThan(0);
      expect(stats.fqdnAllowedByName).toBeGreaterThan(0);
      const listed: Feature2[] = [
        'DNS name', 'DNS pattern', 'HTTP rules', 'kube-apiserver (addresses)', 'kube-apiserver (entity)', 'world', 'cluster', 'local-node', 'remote-nodes',
        'denyEgress', 'denyIngress', 'restrictIngress', 'cluster-wide rule', 'denies omitted by Kubernetes', 'denies left out for Kubernetes',
        'CIDR peer', 'CIDR except', 'tenant', 'cross-tenant flow', 'port range', 'named port', 'cross-namespace flow',
        'denies kept by Calico', 'denies refused by Calico',
      ];
      expect(listed.filter((feature) => (features.get(feature) ?? 0) < stats.runs * 0.02)).toEqual([]);
    }
  }, Math.max(120_000, RUNS * 1000 + CALICO_RUNS * 1000));
});

describe('the fixed platform, spelt out', () => {
  const targets = targetsOf(FIXED);
  if ('refusal' in targets) throw new Error(`the fixed platform is refused: ${targets.refusal.join('; ')}`);
  const cilium = analyze(FIXED, targets.cilium, 'cilium');
  const kubernetes = analyze(FIXED, targets.kubernetes, 'kubernetes');
  const calico = analyze(FIXED, targets.calico, 'calico');
  const evaluate = (from: string, to: string, port: number, request: Parameters<ComputedConnectivity['evaluateEndpoints']>[3]) =>
    cilium.connectivity.evaluateEndpoints(cilium.connectivity.endpoint(from), cilium.connectivity.endpoint(to), { port, protocol: 'TCP' }, request).allowed;
  const verdict = (analyzed: Analyzed, from: string, to: string, port: number) =>
    analyzed.report.connections.find((c) => c.from === from && c.to === to && c.port === port && c.protocol === 'TCP')?.allowed;

  test('GET /api/.* on 8080 allows GET /api/x, and refuses DELETE /api/x and GET /other (Cilium); Kubernetes omits the port', () => {
    const http = (method: string, path: string) => ({ http: { method, path, headers: {} } });
    expect(evaluate('ns-0/w0', 'ns-1/w0', 8080, http('GET', '/api/x'))).toBe(true);
    expect(evaluate('ns-0/w0', 'ns-1/w0', 8080, http('DELETE', '/api/x'))).toBe(false);
    expect(evaluate('ns-0/w0', 'ns-1/w0', 8080, http('GET', '/other'))).toBe(false);
    expect(verdict(cilium, 'ns-0/w0', 'ns-1/w0', 8080)).toBe(true);
    expect(verdict(kubernetes, 'ns-0/w0', 'ns-1/w0', 8080)).toBe(false);
  });

  test('api.example.com is reached at its address once the DNS proxy saw the lookup; another name at the same address is not', () => {
    const { connectivity } = cilium;
    const dnsPod = cilium.report.pods.find((id) => id.startsWith('kube-system/'))!;
    const lookup = connectivity.evaluateEndpoints(connectivity.endpoint('ns-0/w0'), connectivity.endpoint(dnsPod), { port: 53, protocol: 'UDP' }, { dns: { query: 'api.example.com' } });
    expect(lookupSeenByDnsProxy(lookup)).toBe(true);
    expect(evaluate('ns-0/w0', `external:${INTERNET.name}`, 443, { fqdn: { name: 'api.example.com', lookupAllowed: true } })).toBe(true);
    expect(evaluate('ns-0/w0', `external:${INTERNET.name}`, 443, { fqdn: { name: OTHER_NAME, lookupAllowed: true } })).toBe(false);
    expect(evaluate('ns-0/w0', `external:${INTERNET.name}`, 443, { fqdn: { name: 'api.example.com', lookupAllowed: false } })).toBe(false);
  });

  test('the API server: by its addresses in the three outputs, as the entity in Cilium only', () => {
    const apiServer = `external:${apiServerExternal(0)}`;
    expect([verdict(kubernetes, 'ns-0/w0', apiServer, 443), verdict(cilium, 'ns-0/w0', apiServer, 443), verdict(calico, 'ns-0/w0', apiServer, 443)]).toEqual([true, true, true]);
    expect([verdict(kubernetes, 'ns-0/w0', apiServer, 6443), verdict(cilium, 'ns-0/w0', apiServer, 6443), verdict(calico, 'ns-0/w0', apiServer, 6443)]).toEqual([false, true, false]);
  });

  test('Calico keeps the deny, in the platform tier before the pass; a tenant\'s allow-everything does not reopen it', () => {
    expect(targets.calicoRefused).toEqual([]);
    const deny = targets.calico.platform.manifests().find((m) => m.kind === 'GlobalNetworkPolicy' && m.metadata.name === 'deny-0') as Manifest & { spec: Record<string, unknown> };
    expect(deny.spec).toMatchObject({ tier: 'zero-trust-platform', order: 100, types: ['Egress'], egress: [{ action: 'Deny', destination: { nets: ['203.0.113.7/32'] } }] });
    const addresses = { denied: '203.0.113.7', neighbour: '203.0.113.8' };
    const allowed = (connectivity: ComputedConnectivity, from: string, to: string, port: number) => connectivity.evaluate(from, to, { port, protocol: 'TCP' }).allowed;
    const withoutTenantAllows = connectivityOf(FIXED, targets.calico, 'calico', [], addresses).connectivity;
    const withTenantAllows = connectivityOf(FIXED, targets.calico, 'calico', tenantAllowsEverything(FIXED), addresses).connectivity;
    for (const connectivity of [withoutTenantAllows, withTenantAllows]) {
      expect([allowed(connectivity, 'ns-1/w0', 'external:denied', 443), allowed(connectivity, 'ns-1/w0', 'external:neighbour', 443)]).toEqual([false, true]);
    }
    // The tenants' allows do take effect where no deny refuses: ns-0/w0 reaches the API server on 6443, which no flow declares.
    const apiServer = `external:${apiServerExternal(0)}`;
    expect([allowed(withoutTenantAllows, 'ns-0/w0', apiServer, 6443), allowed(withTenantAllows, 'ns-0/w0', apiServer, 6443)]).toEqual([false, true]);
  });

  test('the Kubernetes target omits the deny (no allow overlaps it once its address is carved out)', () => {
    expect(targets.kubernetes.view).toEqual({ backend: 'kubernetes', denies: 'omitted' });
  });

  test('the denied address is carved out of the allowed CIDR in both outputs (and denied by Cilium); the rest of the CIDR stays allowed', () => {
    const representative = cilium.report.pods.find((id) => id.startsWith('external:203.0.113.'))!;
    expect([verdict(kubernetes, 'ns-1/w0', representative, 443), verdict(cilium, 'ns-1/w0', representative, 443)]).toEqual([true, true]);
    const all = (platform: ZeroTrustPlatform) => JSON.stringify(platform.manifests());
    expect(all(targets.kubernetes.platform)).toContain('"cidr":"203.0.113.0/24","except":["203.0.113.7/32"]');
    expect(all(targets.cilium.platform)).toContain('"cidr":"203.0.113.0/24","except":["203.0.113.7/32"]');
    expect(all(targets.cilium.platform)).toContain('"egressDeny":[{"toCIDRSet":[{"cidr":"203.0.113.7/32"}]}]');
  });
});

/**
 * Known gap (src/model/omit.ts, not the Calico backend), found by this property (seed 353493172): the Kubernetes
 * target omits a cluster-wide restrictIngress although ns-0/w0's egress allow toward pods of kube-system (a namespace
 * the platform does not manage, whose ingress no policy isolates) carries what the deny refuses. The omission check
 * compares the deny only with allows of its own direction. `test.failing`: once omit.ts refuses this omission, the
 * test fails and should become a plain test.
 */
describe('regressions', () => {
  const COUNTEREXAMPLE: Declarations = {
    namespaces: [{ name: 'ns-0', allowDns: false, allowSameNamespace: false, createNamespace: false, workloads: [{ name: 'w0', labels: { app: 'w0' }, portNames: [] }] }],
    tenants: [],
    externalNamespaces: [],
    namedPorts: FIXED.namedPorts,
    flows: [{ workload: 'ns-0/w0', method: 'allowTo', peer: { kind: 'externalPods', namespace: 'kube-system', labels: { app: 'a' } }, ports: [{ kind: 'all' }, { kind: 'number', protocol: 'TCP', port: 1 }], acrossTenants: false }],
    clusterNetworks: [],
    denies: [{ name: 'deny-0', method: 'restrictIngress', onlyFrom: [{ kind: 'namespace', namespace: 'kube-system' }], ports: [{ kind: 'number', protocol: 'TCP', port: 1 }], scope: { kind: 'cluster' } }],
  };

  test('the Kubernetes target refuses to omit a cluster-wide deny that an egress allow toward unmanaged pods overlaps', () => {
    const targets = targetsOf(COUNTEREXAMPLE);
    expect('refusal' in targets ? targets.refusal : targets.kubernetes.view).toEqual({ backend: 'kubernetes', denies: 'absent' });
  });

  test('the Calico and Cilium outputs refuse that connection', () => {
    const targets = targetsOf(COUNTEREXAMPLE);
    if ('refusal' in targets) throw new Error(`refused by Cilium: ${targets.refusal.join('; ')}`);
    const allowed = (analyzed: Analyzed) => analyzed.report.connections.find((c) => c.from === 'ns-0/w0' && c.to.startsWith('kube-system/') && c.port === 1 && c.protocol === 'TCP')?.allowed;
    expect([allowed(analyze(COUNTEREXAMPLE, targets.cilium, 'cilium')), allowed(analyze(COUNTEREXAMPLE, targets.calico, 'calico'))]).toEqual([false, false]);
  });
});
