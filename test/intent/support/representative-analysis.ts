/**
 * The analysis of a platform the way `connectivity(platform)` makes it: its rendered manifests with the
 * representative pods and external addresses of its declared intent (src/intent), and what the tests
 * know about each of those endpoints, read from the objects themselves (never from src/model or
 * src/intent): which workload a pod stands for, where a pod runs, which addresses are the API server's.
 * Used by intent-property.test.ts (Kubernetes) and cross-backend-property.test.ts (both backends).
 */
import { ConnectionVerdict, ConnectivityReport, ProbePort } from '../../../src';
import { SourcedDocument } from '../../../src/analysis';
import {
  ContainerPortDecl,
  Declarations,
  EndpointOrigin,
  IntentOracle,
  PairReasons,
  parseAddress,
  probePorts,
  PROTOCOLS,
  ProtocolName,
  selectorMatches,
  workloadSelector,
} from '../../backends/support/declared-intent';

interface ContainerPortJson {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: ProtocolName;
}

interface PodJson {
  readonly kind: 'Pod';
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: { readonly nodeName?: string; readonly containers: readonly { readonly ports?: readonly ContainerPortJson[] }[] };
}

interface NodeJson {
  readonly kind: 'Node';
  readonly metadata: { readonly name: string };
}

interface EndpointSliceJson {
  readonly kind: 'EndpointSlice';
  readonly metadata: { readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly endpoints?: readonly { readonly addresses?: readonly string[] }[];
}

const kindIs = <T>(kind: string) => (object: unknown): object is T =>
  typeof object === 'object' && object !== null && (object as { kind?: unknown }).kind === kind;
const isPod = kindIs<PodJson>('Pod');
const isNode = kindIs<NodeJson>('Node');
const isEndpointSlice = kindIs<EndpointSliceJson>('EndpointSlice');

const addressKey = (address: { family: 4 | 6; value: bigint }) => `${address.family}:${address.value}`;

/** The documents of an analysis input made of sourced documents (what a platform gives). */
export function documentsOf(input: unknown): readonly SourcedDocument[] {
  if (typeof input !== 'object' || input === null || !('documents' in input)) throw new Error('test bug: a platform gives sourced documents');
  return (input as { documents: readonly SourcedDocument[] }).documents;
}

/**
 * What the test knows about each endpoint: a pod's namespace, labels, container ports and node, and so
 * its workload; the nodes; each external address, and whether an EndpointSlice of Service
 * `default/kubernetes` lists it (the API server).
 */
export function endpointsOf(
  declarations: Declarations,
  documents: readonly SourcedDocument[],
  externals: Readonly<Record<string, string>>,
): Map<string, EndpointOrigin> {
  const managed = new Map(declarations.namespaces.map((ns) => [ns.name, ns]));
  const endpoints = new Map<string, EndpointOrigin>();
  const apiServer = new Set<string>();
  for (const { object } of documents) {
    if (isNode(object)) endpoints.set(`node:${object.metadata.name}`, { kind: 'node', id: `node:${object.metadata.name}`, name: object.metadata.name });
    if (isEndpointSlice(object) && object.metadata.namespace === 'default' && object.metadata.labels?.['kubernetes.io/service-name'] === 'kubernetes') {
      for (const endpoint of object.endpoints ?? []) for (const ip of endpoint.addresses ?? []) apiServer.add(addressKey(parseAddress(ip)));
    }
    if (!isPod(object)) continue;
    const { name, namespace } = object.metadata;
    const labels = object.metadata.labels ?? {};
    const ports: ContainerPortDecl[] = object.spec.containers
      .flatMap((c) => c.ports ?? [])
      .map((p) => ({ port: p.containerPort, protocol: p.protocol, ...(p.name ? { name: p.name } : {}) }));
    const ns = managed.get(namespace);
    // Workload selectors of a namespace are disjoint (each has its own `app`): at most one holds the pod.
    const workloads = (ns?.workloads ?? []).filter((w) => selectorMatches(workloadSelector(w), labels));
    if (workloads.length > 1) throw new Error(`test bug: ${namespace}/${name} is selected by workloads ${workloads.map((w) => w.name).join(', ')}`);
    const id = `${namespace}/${name}`;
    const node = object.spec.nodeName;
    endpoints.set(id, { kind: 'pod', id, namespace, managed: ns !== undefined, workload: workloads[0]?.name, labels, ports, addresses: [], ...(node ? { node } : {}) });
  }
  for (const [name, ip] of Object.entries(externals)) {
    const id = `external:${name}`;
    const address = parseAddress(ip);
    endpoints.set(id, { kind: 'address', id, address, ...(apiServer.has(addressKey(address)) ? { apiServer: true } : {}) });
  }
  return endpoints;
}

/**
 * Every port number the declarations mention (range ends and their neighbours, DNS, some never declared:
 * `probePorts`), every container port of the representative pods (named ports get numbers there) and every
 * external port, in each protocol.
 */
export function probesOf(
  declarations: Declarations,
  endpoints: ReadonlyMap<string, EndpointOrigin>,
  externalPorts: Readonly<Record<string, readonly ProbePort[]>>,
): ProbePort[] {
  const numbers = new Set(probePorts(declarations).map((p) => p.port));
  for (const endpoint of endpoints.values()) if (endpoint.kind === 'pod') endpoint.ports.forEach((p) => numbers.add(p.port));
  for (const ports of Object.values(externalPorts)) ports.forEach((p) => numbers.add(p.port));
  return [...numbers].sort((a, b) => a - b).flatMap((port) => PROTOCOLS.map((protocol) => ({ port, protocol })));
}

export interface Findings {
  /** Allowed, explained by no declaration (or refused by a deny). */
  readonly wider: string[];
  /** Explained by a declaration (and refused by no deny), denied. */
  readonly narrower: string[];
  /** Indexes of the flows that explain at least one connection of the report. */
  readonly exercised: ReadonlySet<number>;
  readonly allowed: number;
  readonly evaluated: number;
}

export function describeVerdict(c: ConnectionVerdict): string {
  return `${c.from} -> ${c.to} ${c.port}/${c.protocol}`;
}

/** Every verdict of the report against the oracle's (the oracle says for which target). */
export function compareWithIntent(oracle: IntentOracle, endpoints: ReadonlyMap<string, EndpointOrigin>, report: ConnectivityReport): Findings {
  const wider: string[] = [];
  const narrower: string[] = [];
  const exercised = new Set<number>();
  let allowed = 0;
  const pairs = new Map<string, PairReasons>();
  for (const c of report.connections) {
    const source = endpoints.get(c.from);
    const destination = endpoints.get(c.to);
    if (!source || !destination) throw new Error(`test bug: ${c.from} or ${c.to} is no endpoint the test knows`);
    const key = `${c.from} ${c.to}`;
    let pair = pairs.get(key);
    if (!pair) {
      pair = oracle.pairReasons(source, destination);
      pairs.set(key, pair);
    }
    const expected = oracle.verdict(pair, destination, c);
    if (expected.allowed) {
      for (const reason of expected.reasons) {
        const index = /^flows\[(\d+)\]/.exec(reason);
        if (index) exercised.add(Number(index[1]));
      }
    }
    if (c.allowed) allowed++;
    if (c.allowed && !expected.allowed) {
      const why = expected.denies.length > 0 ? `refused by ${expected.denies.join(', ')}` : 'not declared';
      wider.push(`${describeVerdict(c)} is allowed (egress: ${c.egressPolicies.join(', ') || 'not isolated'}; ingress: ${c.ingressPolicies.join(', ') || 'not isolated'}) but ${why}`);
    } else if (!c.allowed && expected.allowed) {
      narrower.push(`${describeVerdict(c)} is declared (${expected.reasons.join(', ')}) but denied`);
    }
  }
  return { wider, narrower, exercised, allowed, evaluated: report.connections.length };
}

export function some(list: readonly string[]): string[] {
  return [...list.slice(0, 8), ...(list.length > 8 ? [`... and ${list.length - 8} more`] : [])].map((line) => `  ${line}`);
}

/** One line per endpoint, for failure messages. */
export function describeEndpoints(endpoints: ReadonlyMap<string, EndpointOrigin>): string[] {
  return [...endpoints.values()].map((e) => {
    switch (e.kind) {
      case 'pod':
        return `${e.id} ${JSON.stringify(e.labels)} ${e.ports.map((p) => `${p.name ?? ''}${p.port}/${p.protocol}`).join(',')}${e.node ? ` on ${e.node}` : ''}`;
      case 'address':
        return `${e.id} ${e.address.value} (IPv${e.address.family})${e.apiServer ? ' API server' : ''}`;
      case 'node':
        return e.id;
    }
  });
}
