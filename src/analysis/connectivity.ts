/**
 * The one place where the answers of the dialects are combined into verdicts. For one connection:
 *
 * - within a layer, per direction: a deny beats every allow, an allow beats "isolated and no rule
 *   matched", and a dialect that does not isolate (or passes) does not decide; when no dialect decides,
 *   the direction is open, as for a pod no NetworkPolicy selects
 *   (https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation).
 *   This is also how Cilium merges NetworkPolicy and CiliumNetworkPolicy into one policy per endpoint
 *   (allows unioned, a deny winning, default-deny if either isolates:
 *   https://docs.cilium.io/en/stable/network/kubernetes/policy/): under `cni: 'cilium'` both dialects sit in the
 *   network layer, the NetworkPolicy one on Cilium identities, and an L7 refusal is `isolated` so that an L4
 *   allow of either dialect lifts it, as in the agent;
 * - per direction, the mesh layer (a service mesh's proxy) is ANDed with the network layer (the CNI): both
 *   enforce, so both must admit (Istio authorizes in the workload's proxy, after the network delivered the
 *   connection: https://istio.io/latest/docs/concepts/security/#authorization);
 * - the connection needs the source's egress and the destination's ingress. Policies never apply to
 *   external endpoints, so their side is always open.
 *
 * Verdicts, explanations and the summary's set form all fold here.
 */
import { AdmittedSets, summarizeConnectivity } from './connectivity-counts';
import { andInto, andNotInto, Bitset, emptyBitset, hasBit, orInto } from './core/bitset';
import { unknownEndpointError } from './core/endpoint-lookup';
import { EndpointUniverse, UniverseCluster, UniverseNode } from './core/endpoint-universe';
import { Endpoint, externalEndpoints } from './core/endpoints';
import {
  ApplicationRequest,
  CompiledPolicies,
  ConnectionProbe,
  Decision,
  Dialect,
  Direction,
  DirectionQuery,
  Effect,
  ICMP_PLACEHOLDER_PROBE,
  isIcmpProbe,
  Layer,
  PeerSets,
  PolicyRef,
  PolicyReader,
  ProbeSets,
} from './dialect';
import { BUILT_IN_DIALECTS, dialectsForCni, dialectsForMesh } from './dialects';
import { ManifestInput, normalizeInput } from './manifests/documents';
import { buildInventory, Inventory, PolicyIdentity } from './manifests/inventory';
import { InvalidManifestsError, sortIssues } from './manifests/issues';
import { ServiceRecord } from './manifests/service';
import { sortProbes, validateProbe } from './probes';
import {
  AnalysisNotes,
  AnalyzeOptions,
  ConnectionVerdict,
  ConnectivityReport,
  ConnectivitySummary,
  ProbePort,
} from './types';

/** The evaluated connectivity of one inventory. */
export interface Connectivity {
  /** Endpoint ids, in the same order as `ConnectivityReport.pods`. */
  readonly endpoints: readonly string[];
  readonly notes: AnalysisNotes;
  isAllowed(from: string, to: string, port: ProbePort): boolean;
  verdict(from: string, to: string, port: ProbePort): ConnectionVerdict;
  /** Every ordered pair (self included) × the ports probed for the destination. Meant for small inventories. */
  report(): ConnectivityReport;
  /** Allowed connections counted per namespace pair, computed with set operations: fine for 10^8 pairs. */
  summary(): ConnectivitySummary;
  /** The ports probed for that destination. */
  probedPorts(to: string): readonly ProbePort[];
}

/** The effect of a whole layer in one direction. */
export type LayerEffect = 'allow' | 'deny' | 'isolated' | 'not-isolated';

export interface LayerOutcome {
  /** The layer folded; set on the outcomes of a side (`SideOutcome.layers`). */
  readonly layer?: Layer;
  readonly effect: LayerEffect;
  /**
   * The decisions that gave the effect: the denials; else the allows; else the isolations; else every
   * decision (none restricts the endpoint).
   */
  readonly decisive: readonly Decision[];
  /** Every dialect's decision, in dialect order. */
  readonly decisions: readonly Decision[];
}

/** Whether a layer's effect lets the connection through. */
export function layerAdmits(effect: LayerEffect): boolean {
  return effect === 'allow' || effect === 'not-isolated';
}

/** Folds the decisions of the dialects of one layer, for one direction of one connection. */
export function foldLayer(decisions: readonly Decision[]): LayerOutcome {
  // The common case, one dialect, needs no filtering.
  if (decisions.length === 1) {
    const effect = decisions[0].effect;
    return { effect: effect === 'pass' ? 'not-isolated' : effect, decisive: decisions, decisions };
  }
  for (const effect of ['deny', 'allow', 'isolated'] as const) {
    const decisive = decisions.filter((decision) => decision.effect === effect);
    if (decisive.length > 0) return { effect, decisive, decisions };
  }
  return { effect: 'not-isolated', decisive: decisions, decisions };
}

/** One direction of one connection, every layer folded. */
export interface SideOutcome {
  readonly direction: Direction;
  /** The endpoint whose policies apply: the source for Egress, the destination for Ingress. */
  readonly subject: Endpoint;
  readonly peer: Endpoint;
  /** False for external subjects: no policy applies to them. */
  readonly applicable: boolean;
  /** Some layer restricts the subject in this direction. */
  readonly isolated: boolean;
  readonly allowed: boolean;
  /** One outcome per layer that has dialects, network first. */
  readonly layers: readonly LayerOutcome[];
}

/** One connection, evaluated once: what verdicts and explanations are made of. */
export interface ConnectionEvaluation<P extends ConnectionProbe = ProbePort> {
  readonly source: Endpoint;
  readonly destination: Endpoint;
  readonly probe: P;
  /** The L7 attributes the connection was evaluated with, if any. */
  readonly request?: ApplicationRequest;
  readonly allowed: boolean;
  readonly egress: SideOutcome;
  readonly ingress: SideOutcome;
}

/** Sorted keys of the policies whose rules allowed an allowed side. */
function allowingPolicies(side: SideOutcome): string[] {
  const keys = new Set<string>();
  for (const layer of side.layers) {
    if (layer.effect !== 'allow') continue;
    for (const decision of layer.decisive) for (const match of decision.matches) keys.add(match.rule.policy.key);
  }
  return [...keys].sort();
}

/** Dialects compiled for one input, grouped by layer. */
interface CompiledLayer {
  readonly layer: Layer;
  readonly dialects: readonly CompiledPolicies[];
}

/**
 * Folds the dialects' set forms for one direction and one subject: a peer is admitted unless some dialect
 * denies it, or some dialect isolates the subject without allowing or passing the peer and no dialect
 * allows it. With one deciding dialect and neither deny nor pass, its allow set is returned as is.
 */
export function foldPeerSets(parts: readonly (PeerSets | undefined)[], universe: EndpointUniverse): Bitset {
  const deciding = parts.filter((part): part is PeerSets => part !== undefined);
  if (deciding.length === 0) return universe.all;
  if (deciding.length === 1 && !deciding[0].deny && !deciding[0].pass) return deciding[0].isolates ? deciding[0].allow : universe.all;
  const denied = emptyBitset(universe.size);
  const allowed = emptyBitset(universe.size);
  const isolated = emptyBitset(universe.size);
  for (const part of deciding) {
    if (part.deny) orInto(denied, part.deny);
    orInto(allowed, part.allow);
    if (!part.isolates) continue;
    // The peers this dialect leaves 'isolated': neither allowed, passed nor denied.
    const unmatched = universe.all.slice();
    andNotInto(unmatched, part.allow);
    if (part.pass) andNotInto(unmatched, part.pass);
    if (part.deny) andNotInto(unmatched, part.deny);
    orInto(isolated, unmatched);
  }
  andNotInto(isolated, allowed);
  const result = universe.all.slice();
  andNotInto(result, denied);
  andNotInto(result, isolated);
  return result;
}

/** The intersection of two folded sets, without copying when either admits everything. */
function intersect(a: Bitset, b: Bitset, universe: EndpointUniverse): Bitset {
  if (a === universe.all) return b;
  if (b === universe.all) return a;
  const result = a.slice();
  andInto(result, b);
  return result;
}

/**
 * The folded set form of one probe port: per subject, every layer's dialects folded, then the layers
 * intersected. Results are cached by the identity of the sets they come from, as dialects share sets
 * between subjects.
 */
class FoldedProbeSets implements AdmittedSets {
  private readonly layers: readonly (readonly ProbeSets[])[];
  private readonly ids = new WeakMap<Bitset, number>();
  private readonly folded = new Map<string, Bitset>();
  private nextId = 0;

  constructor(private readonly universe: EndpointUniverse, layers: readonly CompiledLayer[], probe: ProbePort) {
    this.layers = layers.map((layer) => layer.dialects.map((dialect) => dialect.probeSets(probe)));
  }

  egress(source: number): Bitset {
    return this.admitted('Egress', source);
  }

  ingress(destination: number): Bitset {
    return this.admitted('Ingress', destination);
  }

  private admitted(direction: Direction, subject: number): Bitset {
    const all = this.universe.all;
    if (this.universe.endpoints[subject].kind === 'external') return all;
    let result = all;
    for (const layer of this.layers) {
      let folded: Bitset;
      if (layer.length === 1) {
        folded = this.foldOne(direction === 'Egress' ? layer[0].egress(subject) : layer[0].ingress(subject));
      } else {
        const parts = layer.map((sets) => (direction === 'Egress' ? sets.egress(subject) : sets.ingress(subject)));
        // Where only one dialect answers for this subject (the others do not restrict it), fold it alone.
        const answering = parts.filter((part) => part !== undefined);
        folded = answering.length <= 1 ? this.foldOne(answering[0]) : this.foldMany(parts);
      }
      const previous = result;
      result = previous === all || folded === all
        ? intersect(previous, folded, this.universe)
        : this.cached(`i${this.id(previous)},${this.id(folded)}`, () => intersect(previous, folded, this.universe));
    }
    return result;
  }

  /** One dialect without deny or pass (NetworkPolicy alone): its own set, neither copied nor cached. */
  private foldOne(part: PeerSets | undefined): Bitset {
    if (!part) return this.universe.all;
    if (!part.deny && !part.pass) return part.isolates ? part.allow : this.universe.all;
    return this.foldMany([part]);
  }

  private foldMany(parts: readonly (PeerSets | undefined)[]): Bitset {
    return this.cached(`f${parts.map((part) => this.partKey(part)).join(';')}`, () => foldPeerSets(parts, this.universe));
  }

  private partKey(part: PeerSets | undefined): string {
    if (!part) return '-';
    return `${part.isolates ? 'i' : 'o'}${this.id(part.allow)},${part.deny ? this.id(part.deny) : ''},${part.pass ? this.id(part.pass) : ''}`;
  }

  private id(bits: Bitset): number {
    let id = this.ids.get(bits);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(bits, id);
    }
    return id;
  }

  private cached(key: string, compute: () => Bitset): Bitset {
    let bits = this.folded.get(key);
    if (!bits) {
      bits = compute();
      this.folded.set(key, bits);
    }
    return bits;
  }
}

/** What the inventory holds besides endpoints: Services (destinations that resolve to pods) and the policy objects read. */
export interface InventoryExtras {
  readonly services: readonly ServiceRecord[];
  readonly policies: readonly PolicyIdentity[];
}

/** The `Connectivity` of an inventory: the endpoint universe and every dialect compiled against it. */
export class ComputedConnectivity implements Connectivity {
  readonly endpoints: readonly string[];
  private readonly probes: readonly (readonly ProbePort[])[];
  private cachedSummary: ConnectivitySummary | undefined;

  constructor(
    readonly universe: EndpointUniverse,
    private readonly layers: readonly CompiledLayer[],
    readonly notes: AnalysisNotes,
    ports: readonly ProbePort[] | undefined,
    readonly extras: InventoryExtras = { services: [], policies: [] },
  ) {
    this.endpoints = universe.endpoints.map((endpoint) => endpoint.id);
    if (ports) {
      ports.forEach((port) => validateProbe(port, 'Probe port'));
      const shared = sortProbes(ports);
      this.probes = universe.endpoints.map(() => shared);
    } else {
      this.probes = universe.endpoints.map((endpoint) => sortProbes(endpoint.ports));
    }
  }

  endpoint(id: string): Endpoint {
    const index = this.universe.indexOf(id);
    if (index === undefined) throw unknownEndpointError(id, this.endpoints);
    return this.universe.endpoints[index];
  }

  isAllowed(from: string, to: string, port: ProbePort): boolean {
    return this.verdict(from, to, port).allowed;
  }

  verdict(from: string, to: string, port: ProbePort): ConnectionVerdict {
    return verdictOf(this.evaluate(from, to, port));
  }

  /** Evaluates one connection; throws on an invalid port or an unknown endpoint (with close matches). */
  evaluate(from: string, to: string, port: ProbePort): ConnectionEvaluation {
    validateProbe(port, 'Port');
    return this.evaluateEndpoints(this.endpoint(from), this.endpoint(to), port);
  }

  report(): ConnectivityReport {
    const connections: ConnectionVerdict[] = [];
    for (const source of this.universe.endpoints) {
      for (const destination of this.universe.endpoints) {
        for (const probe of this.probes[destination.index]) connections.push(verdictOf(this.evaluateEndpoints(source, destination, probe)));
      }
    }
    return { pods: [...this.endpoints], connections };
  }

  summary(): ConnectivitySummary {
    this.cachedSummary ??= summarizeConnectivity(this.universe, this.probes, (probe) => new FoldedProbeSets(this.universe, this.layers, probe));
    return this.cachedSummary;
  }

  probedPorts(to: string): readonly ProbePort[] {
    return this.probes[this.endpoint(to).index];
  }

  /** For one probe port, what each endpoint's egress and ingress admit, every dialect and layer folded. Never modify the sets. */
  admittedSets(probe: ProbePort): AdmittedSets {
    return new FoldedProbeSets(this.universe, this.layers, probe);
  }

  /**
   * The policies, of every dialect, that apply to the endpoint in one direction (`Decision.selectingPolicies`).
   * A policy that is not listed for an endpoint cannot change that endpoint's answers in that direction. With `layer`,
   * only that layer's policies.
   */
  selectingPolicies(subject: Endpoint, direction: Direction, layer?: Layer): PolicyRef[] {
    if (subject.kind === 'external') return [];
    const query: DirectionQuery = { direction, subject, peer: subject, probe: ICMP_PLACEHOLDER_PROBE, destination: subject };
    return this.layers
      .filter((compiled) => layer === undefined || compiled.layer === layer)
      .flatMap((compiled) => compiled.dialects.flatMap((dialect) => dialect.decide(query).selectingPolicies));
  }

  /**
   * Evaluates one connection between two endpoints of this connectivity, on a port or an ICMP message, with
   * the L7 attributes `request` (HTTP, DNS, TLS, reached by name) for the dialects that match them. Unlike
   * `evaluate`, it does not validate the probe.
   */
  evaluateEndpoints<P extends ConnectionProbe>(
    source: Endpoint,
    destination: Endpoint,
    probe: P,
    request?: ApplicationRequest,
  ): ConnectionEvaluation<P> {
    const extra = { ...(request ? { request } : {}), ...(isIcmpProbe(probe) ? { icmp: probe } : {}) };
    const port: ProbePort = isIcmpProbe(probe) ? ICMP_PLACEHOLDER_PROBE : probe;
    const egress = this.side({ direction: 'Egress', subject: source, peer: destination, probe: port, destination, ...extra });
    const ingress = this.side({ direction: 'Ingress', subject: destination, peer: source, probe: port, destination, ...extra });
    return { source, destination, probe, ...(request ? { request } : {}), allowed: egress.allowed && ingress.allowed, egress, ingress };
  }

  private side(query: DirectionQuery): SideOutcome {
    const { direction, subject, peer } = query;
    if (subject.kind === 'external') {
      return { direction, subject, peer, applicable: false, isolated: false, allowed: true, layers: [] };
    }
    const layers = this.layers.map((layer) => ({ ...foldLayer(layer.dialects.map((dialect) => dialect.decide(query))), layer: layer.layer }));
    return {
      direction,
      subject,
      peer,
      applicable: true,
      isolated: layers.some((layer) => layer.effect !== 'not-isolated'),
      allowed: layers.every((layer) => layerAdmits(layer.effect)),
      layers,
    };
  }
}

function verdictOf(evaluation: ConnectionEvaluation): ConnectionVerdict {
  const { source, destination, probe, allowed } = evaluation;
  return {
    from: source.id,
    to: destination.id,
    port: probe.port,
    protocol: probe.protocol,
    allowed,
    egressPolicies: allowed ? allowingPolicies(evaluation.egress) : [],
    ingressPolicies: allowed ? allowingPolicies(evaluation.ingress) : [],
  };
}

const LAYERS: readonly Layer[] = ['network', 'mesh'];

/** An input read once: its inventory, and each dialect's reader holding that dialect's policies. */
export interface ReadInput {
  readonly inventory: Inventory;
  readonly readers: readonly { readonly dialect: Dialect; readonly reader: PolicyReader }[];
}

/**
 * Reads the manifests with the given dialects. Throws `InvalidManifestsError` listing every issue when any
 * document is broken or would be rejected by the API server.
 */
export function readInput(input: ManifestInput, dialects: readonly Dialect[] = BUILT_IN_DIALECTS): ReadInput {
  const readers = dialects.map((dialect) => ({ dialect, reader: dialect.reader() }));
  const inventory = buildInventory(
    normalizeInput(input),
    readers.map(({ dialect, reader }) => ({ kinds: dialect.kinds, read: reader.read.bind(reader) })),
  );
  if (inventory.issues.length > 0) throw new InvalidManifestsError(sortIssues(inventory.issues));
  return { inventory, readers };
}

/** The cluster facts of an inventory for its universe; its Nodes become endpoints only when `nodes` is given. */
export function universeCluster(inventory: Inventory, nodes?: readonly UniverseNode[]): UniverseCluster {
  return {
    ...(nodes ? { nodes } : {}),
    apiServerAddresses: inventory.apiServerAddresses,
    clusterName: inventory.clusterName,
    serviceAccounts: new Map(inventory.serviceAccounts.map((account) => [account.id, account.labels])),
  };
}

/** Compiles every dialect of a read input against a universe built from it (the same input may be compiled against several). */
export function compileConnectivity(
  read: ReadInput,
  universe: EndpointUniverse,
  options: { readonly ports?: readonly ProbePort[]; readonly notes?: AnalysisNotes } = {},
): ComputedConnectivity {
  const context = { services: read.inventory.services, ...(read.inventory.istioMesh ? { istioMesh: read.inventory.istioMesh } : {}) };
  const layers = LAYERS
    .map((layer) => ({
      layer,
      dialects: read.readers
        .filter(({ dialect }) => dialect.layer === layer)
        .map(({ reader }) => reader.compile(universe, context)),
    }))
    .filter((layer) => layer.dialects.length > 0);
  const { inventory } = read;
  const extras = { services: inventory.services, policies: inventory.policies };
  return new ComputedConnectivity(universe, layers, options.notes ?? inventory.notes, options.ports, extras);
}

/**
 * Node objects are not rows of `zt analyze`: a node's host network is not a pod, and NetworkPolicy never
 * selects it. Without node endpoints they are noted as not evaluated, as before the inventory read them.
 */
function withNodesIgnored(inventory: Inventory): AnalysisNotes {
  if (inventory.nodes.length === 0) return inventory.notes;
  const kind = 'v1/Node';
  const ignoredKinds = [...inventory.notes.ignoredKinds, { kind, count: inventory.nodes.length }]
    .sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return { ...inventory.notes, ignoredKinds };
}

/**
 * `computeConnectivity` with the dialects to read (by default those of `options.cni`), returning the
 * connectivity that `explainConnection` works with. Throws `InvalidManifestsError` listing every issue
 * when any document is broken or would be rejected by the API server.
 */
export function buildConnectivity(
  input: ManifestInput,
  options: AnalyzeOptions = {},
  chosen?: readonly Dialect[],
): ComputedConnectivity {
  const cni = options.cni ?? 'kubernetes';
  if (!(['auto', 'kubernetes', 'cilium', 'calico'] as readonly string[]).includes(cni)) {
    throw new Error(`cni must be auto, kubernetes, cilium or calico, got ${JSON.stringify(cni)}`);
  }
  const mesh = options.mesh ?? 'none';
  if (!(['auto', 'none', 'istio'] as readonly string[]).includes(mesh)) {
    throw new Error(`mesh must be auto, none or istio, got ${JSON.stringify(mesh)}`);
  }
  const loaded = normalizeInput(input);
  const dialects = chosen ?? [...dialectsForCni(cni, loaded.documents), ...dialectsForMesh(mesh, loaded.documents)];
  const read = readInput(loaded, dialects);
  const { inventory } = read;
  const externals = externalEndpoints(options.externals, options.externalPorts);
  // Cilium gives a node's host network an identity of its own (the `host` and `remote-node` entities,
  // `nodeSelector`), so under Cilium nodes are rows and columns; NetworkPolicy never selects them
  // (https://docs.cilium.io/en/stable/security/policy/language/#entities-based).
  const nodes = dialects.some((dialect) => dialect.nodesAreEndpoints === true) ? inventory.nodes : undefined;
  const universe = new EndpointUniverse(inventory.namespaces, inventory.pods, externals, universeCluster(inventory, nodes));
  return compileConnectivity(read, universe, { ports: options.ports, notes: nodes ? inventory.notes : withNodesIgnored(inventory) });
}

/**
 * Loads the inventory and evaluates connectivity under the dialects of `options.cni` (Kubernetes NetworkPolicy
 * by default).
 * Throws `InvalidManifestsError` listing every issue when any document is broken or would be rejected by
 * the API server.
 */
export function computeConnectivity(input: ManifestInput, options: AnalyzeOptions = {}): Connectivity {
  return buildConnectivity(input, options);
}

/** The effect of one dialect's set form for one peer; the per-verdict `Decision.effect` must agree with it. */
export function peerEffect(sets: PeerSets | undefined, peer: number): Effect {
  const has = (bits: Bitset | undefined): boolean => bits !== undefined && hasBit(bits, peer);
  if (!sets) return 'not-isolated';
  if (has(sets.deny)) return 'deny';
  if (has(sets.allow)) return 'allow';
  if (has(sets.pass)) return 'pass';
  return sets.isolates ? 'isolated' : 'not-isolated';
}

/**
 * For a DNS lookup evaluated with `request.dns`: true when it is allowed and a DNS proxy on the source's egress
 * saw it (`Decision.dnsProxied`), so that FQDN rules learn the addresses of the answer. Pass the result as
 * `request.fqdn.lookupAllowed` of the connection to the name's address.
 */
export function lookupSeenByDnsProxy(lookup: ConnectionEvaluation<ConnectionProbe>): boolean {
  return lookup.allowed && lookup.egress.layers.some((layer) => layer.decisions.some((decision) => decision.dnsProxied === true));
}
