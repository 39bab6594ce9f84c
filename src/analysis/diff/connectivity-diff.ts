/**
 * What a change to a manifest set does to connectivity: the connections it opens and closes. Both sides are
 * evaluated over the same endpoints (the union of both sides' pods, namespaces and nodes), so a connection is
 * compared with itself. The work grows with the change: when only policy objects differ, only the endpoints those
 * policies apply to (on either side) are compared; any other difference (labels, pods, services, tiers, network sets)
 * compares every endpoint.
 */
import { changedDocuments, DiffSideInput, sideInput } from './document-changes';
import { compileConnectivity, ComputedConnectivity, readInput, ReadInput, universeCluster } from '../connectivity';
import { AdmittedSets } from '../connectivity-counts';
import { Bitset, differingBits, emptyBitset, forEachBit, hasBit, setBit } from '../core/bitset';
import { EndpointUniverse, UniverseNamespace, UniverseNode, UniversePod } from '../core/endpoint-universe';
import { externalEndpoints } from '../core/endpoints';
import { Dialect, Direction } from '../dialect';
import { dialectsForCni, dialectsForMesh } from '../dialects';
import { explainConnection } from '../explain';
import { ManifestInput, normalizeInput } from '../manifests/documents';
import { Inventory } from '../manifests/inventory';
import { comparePorts } from '../report/ports';
import { AnalyzeOptions, Explanation, ProbePort } from '../types';

/** One side of a changed connection: its verdict and why, as `explain` gives it. */
export type DiffSideExplanation = Explanation;

/** A connection whose verdict differs between the two sides. */
export interface ConnectionChange {
  readonly change: 'opened' | 'closed';
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: ProbePort['protocol'];
  /** The verdict and the responsible rules before the change. */
  readonly base: DiffSideExplanation;
  /** The verdict and the responsible rules after the change. */
  readonly head: DiffSideExplanation;
}

/** How much of the inventory was compared, for progress lines and the benchmark. */
export interface DiffScope {
  /** `policies`: only policy objects changed, so only the endpoints they apply to were compared; `all`: every endpoint. */
  readonly mode: 'none' | 'policies' | 'all';
  /** Objects added, removed or changed, as `Kind namespace/name`, sorted. */
  readonly changedObjects: readonly string[];
  /** Endpoints whose egress or ingress was compared. */
  readonly comparedEndpoints: number;
  readonly endpoints: number;
}

export interface ConnectivityDiff {
  /** Sorted by from, to, port. */
  readonly opened: readonly ConnectionChange[];
  readonly closed: readonly ConnectionChange[];
  readonly scope: DiffScope;
}

export interface DiffOptions extends AnalyzeOptions {
  /** `all` compares every endpoint even when only policies changed (the reference the fast path is tested against). */
  readonly compare?: 'changed' | 'all';
}

/**
 * Kinds whose objects affect only the endpoints they select (`Decision.selectingPolicies`): the fast path's condition.
 * Istio's kinds are not among them (a change to them compares every endpoint): PeerAuthentication and root-namespace
 * policies reach beyond the workloads a selector names.
 */
const SELECTING_POLICY_KINDS: ReadonlySet<string> = new Set([
  'networking.k8s.io/NetworkPolicy',
  'cilium.io/CiliumNetworkPolicy',
  'cilium.io/CiliumClusterwideNetworkPolicy',
  'projectcalico.org/NetworkPolicy',
  'projectcalico.org/GlobalNetworkPolicy',
  'projectcalico.org/StagedNetworkPolicy',
  'projectcalico.org/StagedGlobalNetworkPolicy',
  'projectcalico.org/StagedKubernetesNetworkPolicy',
]);

function unionBy<T>(own: readonly T[], other: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set(own.map(key));
  return [...own, ...other.filter((item) => !seen.has(key(item)))];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One side's universe: its own endpoints, plus the other side's endpoints it lacks, so both index the same endpoints. */
function sideUniverse(own: Inventory, other: Inventory, options: AnalyzeOptions, withNodes: boolean): EndpointUniverse {
  const namespaces: UniverseNamespace[] = unionBy(own.namespaces, other.namespaces, (n) => n.name).sort((a, b) => compareText(a.name, b.name));
  const pods: UniversePod[] = unionBy(own.pods, other.pods, (p) => p.id)
    .sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name));
  const nodes: UniverseNode[] | undefined = withNodes
    ? unionBy(own.nodes, other.nodes, (n) => n.name).sort((a, b) => compareText(a.name, b.name))
    : undefined;
  const externals = externalEndpoints(options.externals, options.externalPorts);
  return new EndpointUniverse(namespaces, pods, externals, universeCluster(own, nodes));
}

type Compared = Record<Direction, Set<number>>;

/**
 * The endpoints, per direction, that some changed policy applies to on this side: the changed policies alone
 * (with what policies refer to, but none of the side's unchanged policies) are compiled and asked.
 */
function selectedByChanged(
  input: DiffSideInput,
  changed: ReadonlySet<string>,
  dialects: readonly Dialect[],
  universe: EndpointUniverse,
  out: Compared,
): void {
  const documents = input.loaded.documents.filter((document) =>
    (input.isPolicy(document) ? changed.has(input.identity(document)) : input.isPolicyContext(document)));
  if (!documents.some((document) => input.isPolicy(document))) return;
  const reduced = compileConnectivity(readInput({ documents, issues: [] }, dialects), universe);
  for (const endpoint of universe.endpoints) {
    for (const direction of ['Egress', 'Ingress'] as const) {
      if (reduced.selectingPolicies(endpoint, direction).length > 0) out[direction].add(endpoint.index);
    }
  }
}

/** `Kind|namespace|name` of the policies that apply to the endpoints in the directions given. */
function policiesApplyingTo(connectivity: ComputedConnectivity, subjects: readonly [Direction, number][]): Set<string> {
  const keys = new Set<string>();
  for (const [direction, index] of subjects) {
    for (const policy of connectivity.selectingPolicies(connectivity.universe.endpoints[index], direction)) {
      keys.add(`${policy.kind}|${policy.namespace ?? ''}|${policy.name}`);
    }
  }
  return keys;
}

/**
 * The head compiled with only some of its policies: the changed ones and those in `unchanged` (`Kind|namespace|name`),
 * with what policies refer to, over the base's inventory (the same on both sides when only policies changed). Exact
 * for every endpoint whose applying policies are all among them.
 */
function compilePartialHead(
  head: DiffSideInput,
  changed: ReadonlySet<string>,
  unchanged: ReadonlySet<string>,
  baseRead: ReadInput,
  dialects: readonly Dialect[],
  universe: EndpointUniverse,
  options: AnalyzeOptions,
): ComputedConnectivity {
  const documents = head.loaded.documents.filter((document) => {
    if (!head.isPolicy(document)) return head.isPolicyContext(document);
    return changed.has(head.identity(document)) || unchanged.has(head.policyRef(document));
  });
  const read: ReadInput = { inventory: baseRead.inventory, readers: readInput({ documents, issues: [] }, dialects).readers };
  return compileConnectivity(read, universe, { ports: options.ports });
}

/** Probe ports of each destination: the union of what either side probes there, sorted. */
function probedPorts(base: ComputedConnectivity, head: ComputedConnectivity): ProbePort[][] {
  return base.universe.endpoints.map((endpoint) => {
    const seen = new Map<string, ProbePort>();
    for (const side of [base, head]) for (const port of side.probedPorts(endpoint.id)) seen.set(portKey(port), port);
    return [...seen.values()].sort(comparePorts);
  });
}

interface Candidate {
  readonly from: number;
  readonly to: number;
  readonly port: ProbePort;
}

/**
 * The connections whose verdict differs: for each compared endpoint, the peers where its egress (or ingress) set
 * differs between the sides, each checked with the other end's sets. `headSets` must be exact for the compared
 * endpoints; for the others the base's sets stand for the head's (their policies did not change).
 */
function findChanges(
  ports: readonly (readonly ProbePort[])[],
  compared: Compared,
  size: number,
  baseSets: (port: ProbePort) => AdmittedSets,
  headSets: (port: ProbePort) => AdmittedSets,
): Candidate[] {
  const candidates = new Map<string, Candidate>();
  const byPort = new Map<string, { port: ProbePort; destinations: Bitset }>();
  ports.forEach((list, destination) => {
    for (const port of list) {
      let entry = byPort.get(portKey(port));
      if (!entry) {
        entry = { port, destinations: emptyBitset(size) };
        byPort.set(portKey(port), entry);
      }
      setBit(entry.destinations, destination);
    }
  });
  for (const { port, destinations } of byPort.values()) {
    const before = baseSets(port);
    const partial = headSets(port);
    const after: AdmittedSets = {
      egress: (source) => (compared.Egress.has(source) ? partial : before).egress(source),
      ingress: (destination) => (compared.Ingress.has(destination) ? partial : before).ingress(destination),
    };
    const consider = (from: number, to: number): void => {
      if (!hasBit(destinations, to)) return;
      const was = hasBit(before.egress(from), to) && hasBit(before.ingress(to), from);
      const is = hasBit(after.egress(from), to) && hasBit(after.ingress(to), from);
      if (was !== is) candidates.set(`${from},${to},${portKey(port)}`, { from, to, port });
    };
    for (const source of compared.Egress) {
      const differ = differingBits(before.egress(source), after.egress(source));
      if (differ) forEachBit(differ, (to) => consider(source, to));
    }
    for (const destination of compared.Ingress) {
      if (!hasBit(destinations, destination)) continue;
      const differ = differingBits(before.ingress(destination), after.ingress(destination));
      if (differ) forEachBit(differ, (from) => consider(from, destination));
    }
  }
  return [...candidates.values()].sort((x, y) => x.from - y.from || x.to - y.to || comparePorts(x.port, y.port));
}

function portKey(port: ProbePort): string {
  return `${port.port}/${port.protocol}`;
}

/** The changes, each explained on both sides. */
function explainChanges(
  candidates: readonly Candidate[],
  universe: EndpointUniverse,
  base: ComputedConnectivity,
  head: ComputedConnectivity,
): { opened: ConnectionChange[]; closed: ConnectionChange[] } {
  const opened: ConnectionChange[] = [];
  const closed: ConnectionChange[] = [];
  for (const { from, to, port } of candidates) {
    const query = { from: universe.endpoints[from].id, to: universe.endpoints[to].id, port: port.port, protocol: port.protocol };
    const before = explainConnection(base, query);
    const after = explainConnection(head, query);
    const change: ConnectionChange = { change: after.allowed ? 'opened' : 'closed', ...query, base: before, head: after };
    (after.allowed ? opened : closed).push(change);
  }
  return { opened, closed };
}

/** Compares the two sides and lists every connection whose verdict differs. */
export function diffConnectivity(base: ManifestInput, head: ManifestInput, options: DiffOptions = {}): ConnectivityDiff {
  const baseLoaded = normalizeInput(base);
  const headLoaded = normalizeInput(head);
  // One set of dialects for both sides, chosen from both, so that `auto` cannot judge the sides by different rules.
  const both = [...baseLoaded.documents, ...headLoaded.documents];
  const dialects = [...dialectsForCni(options.cni ?? 'kubernetes', both), ...dialectsForMesh(options.mesh ?? 'none', both)];
  const baseInput = sideInput(baseLoaded, dialects, SELECTING_POLICY_KINDS);
  const headInput = sideInput(headLoaded, dialects, SELECTING_POLICY_KINDS);
  const changes = changedDocuments(baseInput, headInput);
  const baseRead = readInput(baseLoaded, dialects);
  const policiesOnly = changes.kinds.every((kind) => SELECTING_POLICY_KINDS.has(kind));
  const withNodes = dialects.some((dialect) => dialect.nodesAreEndpoints === true);

  if (policiesOnly && options.compare !== 'all') {
    // Everything but selecting policies is the same on both sides: one universe; the head is compiled with only the
    // policies that apply to the endpoints the change touches.
    const universe = sideUniverse(baseRead.inventory, baseRead.inventory, options, withNodes);
    const b = compileConnectivity(baseRead, universe, { ports: options.ports });
    const compared: Compared = { Egress: new Set(), Ingress: new Set() };
    selectedByChanged(baseInput, changes.keys, dialects, universe, compared);
    selectedByChanged(headInput, changes.keys, dialects, universe, compared);
    const subjects: [Direction, number][] = [
      ...[...compared.Egress].map((index): [Direction, number] => ['Egress', index]),
      ...[...compared.Ingress].map((index): [Direction, number] => ['Ingress', index]),
    ];
    const partial = compilePartialHead(headInput, changes.keys, policiesApplyingTo(b, subjects), baseRead, dialects, universe, options);
    const ports = universe.endpoints.map((endpoint) => b.probedPorts(endpoint.id));
    const candidates = findChanges(ports, compared, universe.size, (port) => b.admittedSets(port), (port) => partial.admittedSets(port));
    // Explanations need every policy of both ends on the head side.
    const ends = candidates.flatMap(({ from, to }): [Direction, number][] => [['Egress', from], ['Ingress', to]]);
    const explaining = ends.length === 0
      ? partial
      : compilePartialHead(headInput, changes.keys, policiesApplyingTo(b, [...subjects, ...ends]), baseRead, dialects, universe, options);
    return {
      ...explainChanges(candidates, universe, b, explaining),
      scope: {
        mode: changes.objects.length === 0 ? 'none' : 'policies',
        changedObjects: changes.objects,
        comparedEndpoints: new Set([...compared.Egress, ...compared.Ingress]).size,
        endpoints: universe.endpoints.length,
      },
    };
  }

  const headRead = readInput(headLoaded, dialects);
  const universes: [EndpointUniverse, EndpointUniverse] = [
    sideUniverse(baseRead.inventory, headRead.inventory, options, withNodes),
    sideUniverse(headRead.inventory, baseRead.inventory, options, withNodes),
  ];
  const ids = (universe: EndpointUniverse): string => universe.endpoints.map((endpoint) => endpoint.id).join('\n');
  if (ids(universes[0]) !== ids(universes[1])) throw new Error('diff: the two sides\' endpoints are not aligned (a bug)');
  const b = compileConnectivity(baseRead, universes[0], { ports: options.ports });
  const h = compileConnectivity(headRead, universes[1], { ports: options.ports });
  const compared: Compared = { Egress: new Set(), Ingress: new Set() };
  if (changes.objects.length > 0) {
    for (const endpoint of universes[0].endpoints) {
      if (endpoint.kind === 'external') continue;
      compared.Egress.add(endpoint.index);
      compared.Ingress.add(endpoint.index);
    }
  }
  const ports = probedPorts(b, h);
  const candidates = findChanges(ports, compared, universes[0].size, (port) => b.admittedSets(port), (port) => h.admittedSets(port));
  return {
    ...explainChanges(candidates, universes[0], b, h),
    scope: {
      mode: changes.objects.length === 0 ? 'none' : 'all',
      changedObjects: changes.objects,
      comparedEndpoints: new Set([...compared.Egress, ...compared.Ingress]).size,
      endpoints: universes[0].endpoints.length,
    },
  };
}
