/**
 * The mesh layer against the declarations: random platforms with the mesh on (`MeshStrictMtls`, every workload
 * with a service account of its own) are rendered by `Backend.cilium()` and `Backend.istio()` and analyzed over
 * the representative pods of the intent (src/intent), which also stand for an external client known by its
 * service account and for the Istio ingress gateway. For every (source, destination, port):
 *
 * (a) the mesh layer alone (the Istio output, analyzed with `--mesh istio` and no network policy at all) allows
 *     exactly the declared flows from a caller's service account to a workload, on the declared TCP ports (and
 *     per HTTP request where a port has HTTP rules), and a plaintext client (`clientMtls: false`) nowhere in the
 *     managed namespaces, even where the network layer admits it: an independent reading of the declarations (`meshAllows`
 *     below), which knows Istio only as its documentation states it: STRICT refuses plaintext (a caller without a
 *     sidecar), a destination without a sidecar enforces nothing, UDP is not intercepted, and a meshed namespace
 *     admits only what an ALLOW policy names;
 * (b) the network layer plus the mesh layer never allow more than either alone (and, since both layers must
 *     admit a connection, exactly their conjunction).
 *
 * Seeded backend bugs (an ALLOW rule `{}`, a principal of the wrong namespace, a dropped port) make (a) fail: the
 * last test shows the property finds each.
 *
 *   MESH_PROPERTY_RUNS=n   runs (default 60; `npm run nightly` does not run more: set it by hand)
 *   MESH_PROPERTY_SEED=n   the seed of a failure that fast-check printed (and MESH_PROPERTY_PATH=p)
 *   MESH_PROPERTY_STATS=1  prints runs, time and what the runs covered
 */
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Backend, ExternalNamespace, formatIssue, HttpMethod, IPeer, MeshStrictMtls, Peer, Port, Workload, ZeroTrustNamespace, ZeroTrustPlatform } from '../../src';
import { SourcedDocument } from '../../src/analysis';
import { buildConnectivity, ComputedConnectivity } from '../../src/analysis/connectivity';
import { toProbeInput } from '../../src/testing/subject';
import { runCount } from '../backends/support/declared-intent';

const RUNS = runCount(process.env.MESH_PROPERTY_RUNS, 60);
const SEED = process.env.MESH_PROPERTY_SEED === undefined ? undefined : Number(process.env.MESH_PROPERTY_SEED);
const PATH = process.env.MESH_PROPERTY_PATH;
const STATS = process.env.MESH_PROPERTY_STATS !== undefined;

// ---------------------------------------------------------------------------------------------------
// Declarations: plain data, so that fast-check prints and shrinks a readable counterexample.

type MethodName = 'GET' | 'POST';
interface HttpRuleDecl { readonly methods?: readonly MethodName[]; readonly path?: string }
type MeshPortDecl =
  | { readonly kind: 'tcp'; readonly port: number; readonly http?: readonly HttpRuleDecl[] }
  | { readonly kind: 'tcpRange'; readonly from: number; readonly to: number }
  | { readonly kind: 'udp'; readonly port: number };

/** The far end of a flow. `client` is ext's pods with the service account `client`; `gateway` is Peer.istioIngressGateway(). */
type MeshPeerDecl =
  | { readonly kind: 'workload'; readonly namespace: string; readonly workload: string }
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'client' }
  | { readonly kind: 'gateway' };

interface MeshFlowDecl {
  /** `namespace/workload` on which allowTo/allowFrom is called. */
  readonly workload: string;
  readonly method: 'allowTo' | 'allowFrom';
  readonly peer: MeshPeerDecl;
  readonly ports: readonly MeshPortDecl[];
}

interface MeshDeclarations {
  /** Namespace name → its workloads (`w0`, `w1`, ...), each running as `sa-<workload>`. */
  readonly namespaces: readonly { readonly name: string; readonly workloads: readonly string[]; readonly allowSameNamespace: boolean }[];
  readonly flows: readonly MeshFlowDecl[];
}

const EXTERNAL = 'ext';
const CLIENT = { labels: { app: 'client' }, serviceAccount: 'client' };
const ROOT = 'istio-system';

const HTTP_RULES: readonly (readonly HttpRuleDecl[])[] = [
  [{ methods: ['GET'], path: '/api/.*' }],
  [{ methods: ['POST'], path: '/jobs' }, { path: '/public/.*' }],
];
const REQUESTS: readonly { readonly method: MethodName; readonly path: string }[] = [
  { method: 'GET', path: '/api/x' },
  { method: 'POST', path: '/api/x' },
  { method: 'POST', path: '/jobs' },
  { method: 'GET', path: '/public/a' },
  { method: 'GET', path: '/other' },
];
/** Every TCP port a generated flow may open (ranges by both ends), plus one no flow opens; UDP 53. */
const PROBES: readonly { readonly port: number; readonly protocol: 'TCP' | 'UDP' }[] = [
  ...[80, 443, 8000, 8003, 8080, 9090, 1234].map((port) => ({ port, protocol: 'TCP' as const })),
  { port: 53, protocol: 'UDP' },
];

const portArb: fc.Arbitrary<MeshPortDecl> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('tcp' as const), port: fc.constantFrom(80, 443, 8080, 9090) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tcp' as const), port: fc.constantFrom(80, 8080), http: fc.constantFrom(...HTTP_RULES) }) },
  { weight: 1, arbitrary: fc.constant<MeshPortDecl>({ kind: 'tcpRange', from: 8000, to: 8003 }) },
  { weight: 1, arbitrary: fc.constant<MeshPortDecl>({ kind: 'udp', port: 53 }) },
);

const declarationsArb: fc.Arbitrary<MeshDeclarations> = fc
  .record({
    namespaces: fc.array(fc.record({ workloads: fc.integer({ min: 1, max: 2 }), allowSameNamespace: fc.boolean() }), { minLength: 1, maxLength: 3 }),
    flows: fc.array(fc.record({
      workload: fc.nat(),
      method: fc.constantFrom('allowTo' as const, 'allowFrom' as const),
      peer: fc.oneof(
        { weight: 6, arbitrary: fc.record({ kind: fc.constant('workload' as const), index: fc.nat() }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('namespace' as const), index: fc.nat() }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('client' as const, 'gateway' as const), index: fc.constant(0) }) },
      ),
      ports: fc.array(portArb, { minLength: 1, maxLength: 2 }),
    }), { maxLength: 6 }),
  })
  .map(({ namespaces: raw, flows: rawFlows }) => {
    const namespaces = raw.map((n, i) => ({ name: `ns-${i}`, workloads: Array.from({ length: n.workloads }, (_, j) => `w${j}`), allowSameNamespace: n.allowSameNamespace }));
    const workloads = namespaces.flatMap((n) => n.workloads.map((w) => ({ namespace: n.name, workload: w })));
    const flows = rawFlows.map((flow): MeshFlowDecl => {
      const own = workloads[flow.workload % workloads.length];
      const peer: MeshPeerDecl = flow.peer.kind === 'workload' ? { kind: 'workload', ...workloads[flow.peer.index % workloads.length] }
        : flow.peer.kind === 'namespace' ? { kind: 'namespace', namespace: namespaces[flow.peer.index % namespaces.length].name }
          : { kind: flow.peer.kind };
      // Callers outside the platform are sources only (the mesh governs what workloads receive).
      const method = peer.kind === 'client' || peer.kind === 'gateway' ? 'allowFrom' : flow.method;
      return { workload: `${own.namespace}/${own.workload}`, method, peer, ports: flow.ports };
    });
    return { namespaces, flows: withoutVoidHttpRules(flows) };
  });

/** The platform refuses HTTP rules on a port another declaration of the same pair opens whole: such ports lose their rules. */
function withoutVoidHttpRules(flows: readonly MeshFlowDecl[]): MeshFlowDecl[] {
  const ends = flows.map(endsOf);
  const key = (end: MeshPeerDecl) => JSON.stringify(end);
  return flows.map((flow, i) => {
    const plain = flows
      .filter((_other, j) => key(ends[i].from) === key(ends[j].from) && key(ends[i].to) === key(ends[j].to))
      .flatMap((other) => other.ports.filter((p) => !(p.kind === 'tcp' && p.http)));
    return {
      ...flow,
      ports: flow.ports.map((p): MeshPortDecl => (p.kind === 'tcp' && p.http && plain.some((q) => portCovers(q, p.port, 'TCP')) ? { kind: 'tcp', port: p.port } : p)),
    };
  });
}

function endsOf(flow: MeshFlowDecl): { from: MeshPeerDecl; to: MeshPeerDecl } {
  const [namespace, workload] = flow.workload.split('/');
  const self: MeshPeerDecl = { kind: 'workload', namespace, workload };
  return flow.method === 'allowTo' ? { from: self, to: flow.peer } : { from: flow.peer, to: self };
}

function portCovers(port: MeshPortDecl, number: number, protocol: 'TCP' | 'UDP'): boolean {
  switch (port.kind) {
    case 'tcp':
      return protocol === 'TCP' && port.port === number;
    case 'tcpRange':
      return protocol === 'TCP' && number >= port.from && number <= port.to;
    case 'udp':
      return protocol === 'UDP' && port.port === number;
  }
}

// ---------------------------------------------------------------------------------------------------
// The program.

function buildMeshPlatform(declarations: MeshDeclarations): ZeroTrustPlatform {
  const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backends: [Backend.cilium(), Backend.istio()] });
  new MeshStrictMtls(platform, 'mesh');
  const ext = new ExternalNamespace(platform, EXTERNAL);
  const workloads = new Map<string, Workload>();
  const namespaces = new Map<string, ZeroTrustNamespace>();
  for (const n of declarations.namespaces) {
    const namespace = new ZeroTrustNamespace(platform, n.name, { name: n.name, allowSameNamespace: n.allowSameNamespace });
    namespaces.set(n.name, namespace);
    for (const w of n.workloads) workloads.set(`${n.name}/${w}`, namespace.workload(w, { labels: { app: w }, serviceAccount: `sa-${w}` }));
  }
  const peerOf = (peer: MeshPeerDecl): IPeer => {
    switch (peer.kind) {
      case 'workload':
        return workloads.get(`${peer.namespace}/${peer.workload}`)!;
      case 'namespace':
        return namespaces.get(peer.namespace)!;
      case 'client':
        return ext.pods(CLIENT);
      case 'gateway':
        return Peer.istioIngressGateway();
    }
  };
  for (const flow of declarations.flows) {
    const ports = flow.ports.map(toPort);
    const workload = workloads.get(flow.workload)!;
    if (flow.method === 'allowTo') workload.allowTo(peerOf(flow.peer), ...ports);
    else workload.allowFrom(peerOf(flow.peer), ...ports);
  }
  return platform;
}

function toPort(port: MeshPortDecl): Port {
  switch (port.kind) {
    case 'tcp':
      if (!port.http) return Port.tcp(port.port);
      const rules = port.http.map((rule) => ({ ...rule, ...(rule.methods ? { methods: rule.methods.map((m) => HttpMethod[m]) } : {}) }));
      return Port.tcp(port.port).http(...rules);
    case 'tcpRange':
      return Port.tcpRange(port.from, port.to);
    case 'udp':
      return Port.udp(port.port);
  }
}

// ---------------------------------------------------------------------------------------------------
// The oracle: what the declarations say the mesh admits, from the declarations and the pods' own fields.

interface PodFacts {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
}

function podFacts(documents: readonly SourcedDocument[]): Map<string, PodFacts> {
  const facts = new Map<string, PodFacts>();
  for (const { object } of documents) {
    type PodJson = {
      kind?: string;
      metadata?: { name: string; namespace: string; labels?: Record<string, string> };
      spec?: { serviceAccountName?: string };
    };
    const pod = object as PodJson;
    if (pod.kind !== 'Pod' || !pod.metadata) continue;
    const id = `${pod.metadata.namespace}/${pod.metadata.name}`;
    facts.set(id, { id, namespace: pod.metadata.namespace, name: pod.metadata.name, labels: pod.metadata.labels ?? {}, serviceAccount: pod.spec?.serviceAccountName ?? 'default' });
  }
  return facts;
}

/** How a pod speaks to the mesh: its sidecar, a gateway's own proxy, or none (kube-system, istiod's namespace). */
function proxyOf(pod: PodFacts, managed: ReadonlySet<string>): 'sidecar' | 'gateway' | 'none' {
  if (pod.labels.istio === 'ingressgateway') return 'gateway';
  // Managed namespaces are labelled for injection; a caller named by its mesh identity carries the pod label.
  if (managed.has(pod.namespace) || pod.labels['sidecar.istio.io/inject'] === 'true') return 'sidecar';
  return 'none';
}

/** Whether the declared peer stands for the pod (as a caller, by its identity). */
function peerHolds(peer: MeshPeerDecl, pod: PodFacts): boolean {
  switch (peer.kind) {
    case 'workload':
      return pod.namespace === peer.namespace && pod.name === peer.workload && pod.serviceAccount === `sa-${peer.workload}`;
    case 'namespace':
      return pod.namespace === peer.namespace;
    case 'client':
      return pod.namespace === EXTERNAL && pod.labels.app === CLIENT.labels.app && pod.serviceAccount === CLIENT.serviceAccount;
    case 'gateway':
      return pod.namespace === ROOT && pod.labels.istio === 'ingressgateway' && pod.serviceAccount === 'istio-ingressgateway-service-account';
  }
}

/** Whether the declared end stands for the pod as a destination (a workload's pods, or every pod of a namespace). */
function destinationHolds(end: MeshPeerDecl, pod: PodFacts): boolean {
  return (end.kind === 'workload' && pod.namespace === end.namespace && pod.name === end.workload) || (end.kind === 'namespace' && pod.namespace === end.namespace);
}

function httpMatches(rule: HttpRuleDecl, request: { method: string; path: string }): boolean {
  return (rule.methods === undefined || rule.methods.includes(request.method as MethodName)) && (rule.path === undefined || new RegExp(`^(?:${rule.path})$`).test(request.path));
}

/**
 * What the mesh layer alone admits, by the documentation: UDP passes (not intercepted); a destination without
 * a sidecar enforces nothing; a sidecar under STRICT refuses a caller without a proxy (plaintext); a managed
 * namespace (allow-nothing) admits a caller only where a declared flow (or allowSameNamespace) names its identity
 * and the port, and, with a request on a port whose flows carry HTTP rules, only a request a rule matches (or
 * the same port declared without rules).
 */
function meshAllows(
  declarations: MeshDeclarations,
  managed: ReadonlySet<string>,
  source: PodFacts | undefined,
  destination: PodFacts | undefined,
  probe: { port: number; protocol: 'TCP' | 'UDP' },
  request?: { method: string; path: string },
): boolean {
  if (probe.protocol !== 'TCP') return true;
  if (destination === undefined || proxyOf(destination, managed) !== 'sidecar') return true;
  if (source === undefined || proxyOf(source, managed) === 'none') return false;
  if (!managed.has(destination.namespace)) return true;
  const sameNamespace = declarations.namespaces.find((n) => n.name === destination.namespace)!.allowSameNamespace;
  if (sameNamespace && source.namespace === destination.namespace) return true;
  const covering = declarations.flows
    .flatMap((flow) => {
      const ends = endsOf(flow);
      return peerHolds(ends.from, source) && destinationHolds(ends.to, destination) ? flow.ports : [];
    })
    .filter((port) => portCovers(port, probe.port, probe.protocol));
  if (request === undefined) return covering.length > 0;
  return covering.some((port) => !(port.kind === 'tcp' && port.http) || port.http.some((rule) => httpMatches(rule, request)));
}

// ---------------------------------------------------------------------------------------------------
// The analyses.

type Mutation = (documents: readonly SourcedDocument[]) => SourcedDocument[];

interface Layers {
  readonly facts: ReadonlyMap<string, PodFacts>;
  readonly mesh: ComputedConnectivity;
  readonly network: ComputedConnectivity;
  readonly both: ComputedConnectivity;
}

function analyze(platform: ZeroTrustPlatform, mutate: Mutation = (d) => [...d]): Layers {
  const documentsFor = (backend: string, mesh: 'none' | 'istio') => {
    const input = toProbeInput(platform, { backend, mesh });
    return (input.input as { documents: readonly SourcedDocument[] }).documents;
  };
  const meshDocuments = mutate(documentsFor('istio', 'istio'));
  const network = documentsFor('cilium', 'none');
  // Both layers: the network output with the (possibly mutated) mesh objects, the same pods.
  const meshObjects = meshDocuments.filter(({ object }) => (object as { apiVersion?: string }).apiVersion?.startsWith('security.istio.io/'));
  const build = (documents: readonly SourcedDocument[], cni: 'kubernetes' | 'cilium', mesh: 'none' | 'istio') =>
    buildConnectivity({ documents: [...documents], issues: [] }, { cni, mesh, ports: PROBES });
  return {
    facts: podFacts(network),
    mesh: build(meshDocuments, 'kubernetes', 'istio'),
    network: build(network, 'cilium', 'none'),
    both: build([...network, ...meshObjects], 'cilium', 'istio'),
  };
}

interface Findings {
  readonly problems: string[];
  readonly evaluated: number;
  readonly meshAllowed: number;
  /** Connections the network layer allows and the mesh layer refuses (callers without a sidecar into a meshed pod). */
  readonly meshOnlyDenied: number;
  /** Connections into a managed workload the network layer allows, refused in plaintext by the mesh. */
  readonly plaintextRefused: number;
  readonly requests: number;
  readonly requestsRefused: number;
}

function check(declarations: MeshDeclarations, layers: Layers): Findings {
  const managed = new Set(declarations.namespaces.map((n) => n.name));
  const problems: string[] = [];
  let meshAllowed = 0;
  let meshOnlyDenied = 0;
  let requests = 0;
  let requestsRefused = 0;
  let plaintextRefused = 0;
  const mesh = layers.mesh.report();
  const network = layers.network.report();
  const both = layers.both.report();
  mesh.connections.forEach((c, i) => {
    const n = network.connections[i];
    const b = both.connections[i];
    if (n.from !== c.from || n.to !== c.to || n.port !== c.port || b.from !== c.from || b.to !== c.to || b.port !== c.port) throw new Error('test bug: the reports are not in the same order');
    const probe = { port: c.port, protocol: c.protocol as 'TCP' | 'UDP' };
    const source = layers.facts.get(c.from);
    const destination = layers.facts.get(c.to);
    // (a) the mesh layer alone.
    const expected = meshAllows(declarations, managed, source, destination, probe);
    if (c.allowed !== expected) problems.push(`(a) ${c.from} -> ${c.to} ${c.port}/${c.protocol}: ${c.allowed ? 'allowed' : 'refused'} by the mesh layer, ${expected ? 'allowed' : 'refused'} by the declarations`);
    if (c.allowed) meshAllowed++;
    // (b) both layers: never more than either, exactly their conjunction.
    if (b.allowed && !(c.allowed && n.allowed)) problems.push(`(b) ${c.from} -> ${c.to} ${c.port}/${c.protocol}: allowed by both layers together, but the ${c.allowed ? 'network' : 'mesh'} layer alone refuses it`);
    if (!b.allowed && c.allowed && n.allowed) problems.push(`(b) ${c.from} -> ${c.to} ${c.port}/${c.protocol}: each layer allows it, both together refuse it`);
    if (n.allowed && !c.allowed) meshOnlyDenied++;
    // (a) a client that speaks plaintext (clientMtls: false) is refused by every sidecar under STRICT, even where
    // the network layer and the identity rules admit the connection.
    if (probe.protocol === 'TCP' && destination && managed.has(destination.namespace)) {
      const plaintext = layers.both.evaluateEndpoints(layers.both.endpoint(c.from), layers.both.endpoint(c.to), probe, { mtls: false }).allowed;
      if (plaintext) problems.push(`(a) ${c.from} -> ${c.to} ${c.port}/TCP in plaintext: allowed, though the mesh is STRICT`);
      if (n.allowed) plaintextRefused++;
    }
    // (a) per request, where the connection is admitted and a covering flow has HTTP rules on the port.
    if (c.allowed && probe.protocol === 'TCP' && source && destination && managed.has(destination.namespace)) {
      for (const request of REQUESTS) {
        const want = meshAllows(declarations, managed, source, destination, probe, request);
        const http = { http: { ...request, headers: {} } };
        const got = layers.mesh.evaluateEndpoints(layers.mesh.endpoint(c.from), layers.mesh.endpoint(c.to), probe, http).allowed;
        requests++;
        if (!want) requestsRefused++;
        if (got !== want) problems.push(`(a) ${c.from} -> ${c.to} ${c.port}/TCP ${request.method} ${request.path}: ${got ? 'allowed' : 'refused'} by the mesh layer, ${want ? 'allowed' : 'refused'} by the declarations`);
      }
    }
  });
  return { problems, evaluated: mesh.connections.length, meshAllowed, meshOnlyDenied, plaintextRefused, requests, requestsRefused };
}

/** The platform of the declarations, or its refusal (none is expected: every caller has an identity of its own). */
function platformOf(declarations: MeshDeclarations): ZeroTrustPlatform {
  const platform = buildMeshPlatform(declarations);
  const issues = platform.validateIntent();
  if (issues.length > 0) throw new Error(`the platform is refused:\n${issues.map(formatIssue).join('\n')}`);
  return platform;
}

function property(mutate?: Mutation, onRun?: (findings: Findings) => void) {
  return fc.property(declarationsArb, (declarations) => {
    const findings = check(declarations, analyze(platformOf(declarations), mutate));
    if (findings.problems.length > 0) throw new Error(`${findings.problems.length} problems:\n${findings.problems.slice(0, 12).join('\n')}`);
    onRun?.(findings);
  });
}

/** A fixed platform, run first: a cross-namespace flow with HTTP rules, the client and the gateway as callers. */
const FIXED: MeshDeclarations = {
  namespaces: [{ name: 'ns-0', workloads: ['w0', 'w1'], allowSameNamespace: false }, { name: 'ns-1', workloads: ['w0'], allowSameNamespace: true }],
  flows: [
    { workload: 'ns-0/w0', method: 'allowTo', peer: { kind: 'workload', namespace: 'ns-1', workload: 'w0' }, ports: [{ kind: 'tcp', port: 8080, http: HTTP_RULES[0] }, { kind: 'tcp', port: 443 }] },
    { workload: 'ns-0/w1', method: 'allowFrom', peer: { kind: 'client' }, ports: [{ kind: 'tcpRange', from: 8000, to: 8003 }, { kind: 'udp', port: 53 }] },
    { workload: 'ns-1/w0', method: 'allowFrom', peer: { kind: 'gateway' }, ports: [{ kind: 'tcp', port: 80 }] },
    { workload: 'ns-0/w1', method: 'allowFrom', peer: { kind: 'namespace', namespace: 'ns-1' }, ports: [{ kind: 'tcp', port: 9090 }] },
  ],
};

describe('the mesh layer and the declared intent', () => {
  test(`the mesh alone allows exactly the declared identity flows; network and mesh together never allow more than either (${RUNS} runs)`, () => {
    const started = Date.now();
    const stats = { runs: 0, evaluated: 0, meshAllowed: 0, meshOnlyDenied: 0, plaintextRefused: 0, requests: 0, requestsRefused: 0 };
    fc.assert(property(undefined, (findings) => {
      stats.runs++;
      stats.evaluated += findings.evaluated;
      stats.meshAllowed += findings.meshAllowed;
      stats.meshOnlyDenied += findings.meshOnlyDenied;
      stats.plaintextRefused += findings.plaintextRefused;
      stats.requests += findings.requests;
      stats.requestsRefused += findings.requestsRefused;
    }), { numRuns: RUNS, examples: [[FIXED]], ...(SEED !== undefined ? { seed: SEED } : {}), ...(PATH !== undefined ? { path: PATH } : {}) });
    if (STATS) console.log(`mesh property: ${JSON.stringify(stats)}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // A passing run means something: the mesh admits and refuses, refuses what the network allows, and refuses requests.
    expect(stats.meshAllowed).toBeGreaterThan(0);
    expect(stats.meshOnlyDenied).toBeGreaterThan(0);
    expect(stats.plaintextRefused).toBeGreaterThan(0);
    expect(stats.requestsRefused).toBeGreaterThan(0);
    expect(stats.requests).toBeGreaterThan(stats.requestsRefused);
  }, 300_000);

  test('the fixed platform, spelt out: plaintext refused, identities admitted on their ports, requests by the HTTP rules', () => {
    const layers = analyze(platformOf(FIXED));
    const verdict = (c: ComputedConnectivity, from: string, to: string, port: number, request?: { method: string; path: string }) =>
      c.evaluateEndpoints(c.endpoint(from), c.endpoint(to), { port, protocol: 'TCP' }, request ? { http: { ...request, headers: {} } } : undefined).allowed;
    const gateway = [...layers.facts.values()].find((pod) => pod.namespace === ROOT && pod.labels.istio === 'ingressgateway')!.id;
    const client = [...layers.facts.values()].find((pod) => pod.namespace === EXTERNAL)!;
    expect(client.serviceAccount).toBe('client');
    expect(client.labels['sidecar.istio.io/inject']).toBe('true');
    expect([verdict(layers.mesh, 'ns-0/w0', 'ns-1/w0', 443), verdict(layers.mesh, 'ns-0/w1', 'ns-1/w0', 443), verdict(layers.mesh, 'ns-0/w0', 'ns-1/w0', 9090)]).toEqual([true, false, false]);
    expect([verdict(layers.mesh, 'ns-0/w0', 'ns-1/w0', 8080, { method: 'GET', path: '/api/x' }), verdict(layers.mesh, 'ns-0/w0', 'ns-1/w0', 8080, { method: 'POST', path: '/api/x' })]).toEqual([true, false]);
    expect([verdict(layers.mesh, client.id, 'ns-0/w1', 8003), verdict(layers.mesh, gateway, 'ns-1/w0', 80), verdict(layers.mesh, gateway, 'ns-0/w1', 80)]).toEqual([true, true, false]);
    // kube-dns has no sidecar (kube-system is never injected): STRICT refuses its plaintext.
    expect(verdict(layers.mesh, 'kube-system/kube-dns', 'ns-0/w1', 9090)).toBe(false);
    expect(check(FIXED, layers).problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Seeded backend bugs: each mutates the Istio output as a faulty backend would write it.

function mapPolicies(documents: readonly SourcedDocument[], change: (spec: Record<string, unknown>) => Record<string, unknown>): SourcedDocument[] {
  return documents.map((document) => {
    const object = document.object as { kind?: string; spec?: Record<string, unknown> };
    if (object.kind !== 'AuthorizationPolicy' || object.spec?.action !== 'ALLOW' || !Array.isArray(object.spec.rules)) return document;
    return { ...document, object: { ...object, spec: change(object.spec) } };
  });
}

const SEEDED_BUGS: readonly (readonly [string, Mutation])[] = [
  // The empty-rule trap: a rule `{}` matches every request.
  ['an ALLOW rule {}', (documents) => mapPolicies(documents, (spec) => ({ ...spec, rules: [{}, ...(spec.rules as unknown[]).slice(1)] }))],
  // A principal written with the destination's namespace instead of the caller's.
  ['a principal of the wrong namespace', (documents) => documents.map((document) => {
    const object = document.object as { kind?: string; metadata?: { namespace?: string } };
    if (object.kind !== 'AuthorizationPolicy') return document;
    const text = JSON.stringify(object).replace(/\/ns\/[^/"]+\/sa\//g, `/ns/${object.metadata?.namespace}/sa/`);
    return { ...document, object: JSON.parse(text) as unknown };
  })],
  // Ports left out of a rule: the caller is admitted on every port.
  ['ports dropped from a rule', (documents) => mapPolicies(documents, (spec) => ({ ...spec, rules: (spec.rules as Record<string, unknown>[]).map((rule) => ({ from: rule.from })) }))],
];

describe('seeded Istio backend bugs are caught', () => {
  test.each(SEEDED_BUGS)('%s', (_name, mutate) => {
    const result = fc.check(property(mutate), { numRuns: 40, examples: [[FIXED]], endOnFailure: true });
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance)).toMatch(/^Error: \d+ problems:\n\(a\) /);
  });
});
