/**
 * `zt observe check`: replays the observed (forwarded) flows as probes that expect `allow` against a
 * platform's output, under each dialect the output holds, and reports those it would drop: the
 * flows that enforcing it would break.
 *
 * The observed endpoints are added to the input as Pods carrying the labels (and service account) the
 * flows showed, so the verdicts are those the real pods would get, whatever names the output gives its
 * workloads. Addresses outside the cluster are probed by address, or by name where the client looked
 * the name up (the probe then makes the lookup too); the API server's observed address is added as the
 * endpoints of `default/kubernetes` unless the input has them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compare } from './aggregate';
import { describePeer, ObservedAggregate, ObservedFlow, ObservedPeer, ObservedWorkload } from './observed';
import { dnsLabelName } from './stable-labels';
import { LoadedManifests, SourcedDocument } from '../analysis/manifests/documents';
import { parseProbes } from '../analysis/probe/parse-probes';
import { ProbeRunOptions, runProbes } from '../analysis/probe/run-probes';
import { CniOption, ProbeEndpointInput, ProbeInput, ProbeResult } from '../analysis/probe/types';

/** The backends whose folders a folder-per-backend output holds, each checked under its own dialect. */
const BACKEND_FOLDERS = ['kubernetes', 'cilium', 'calico'] as const;
type Dialect = (typeof BACKEND_FOLDERS)[number];

/** One output to check: its paths, and the dialect that enforces it. */
export interface CheckTarget {
  readonly label: string;
  readonly paths: readonly string[];
  readonly cni: CniOption;
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The outputs in `dir`: a folder-per-backend layout (`platform/`, `kubernetes/`, `cilium/`, `calico/`
 * and `zt-inventory.txt`) gives one target per backend folder, checked under that backend's dialect
 * (only `cni`'s under `--cni` other than auto); anything else is one target under `cni`.
 */
export function checkTargets(dir: string, cni: CniOption = 'auto'): CheckTarget[] {
  const folders = BACKEND_FOLDERS.filter((backend) => isDirectory(path.join(dir, backend)));
  if (folders.length === 0 || !isDirectory(dir)) return [{ label: cni === 'auto' ? dir : `${dir} (--cni ${cni})`, paths: [dir], cni }];
  const shared = [path.join(dir, 'platform'), path.join(dir, 'zt-inventory.txt')].filter((p) => fs.existsSync(p));
  const chosen = cni === 'auto' ? folders : folders.filter((f) => f === cni);
  if (chosen.length === 0) return [];
  return chosen.map((backend: Dialect) => ({ label: `${backend} (${path.join(dir, backend)})`, paths: [shared[0], path.join(dir, backend), ...shared.slice(1)].filter((p) => p !== undefined), cni: backend }));
}

/** Pods for the observed workloads (one per distinct label set), and the API server's addresses. */
export interface ObservedEndpoints {
  readonly documents: readonly SourcedDocument[];
  /** Per workload id: its pods' `namespace/name`, first the one with the first label set. */
  readonly pods: ReadonlyMap<string, readonly string[]>;
}

const SOURCE = { file: '<observed flows>', documentIndex: 0 };

export function observedEndpoints(aggregate: ObservedAggregate, input: LoadedManifests): ObservedEndpoints {
  const documents: SourcedDocument[] = [];
  const pods = new Map<string, string[]>();
  const taken = new Set<string>();
  for (const workload of aggregate.workloads) {
    const names: string[] = [];
    const sets = workload.labelSets.length > 0 ? workload.labelSets : [workload.labels];
    sets.forEach((labels, i) => {
      let name = `zt-observed-${dnsLabelName(workload.name)}${i === 0 ? '' : `-${i + 1}`}`;
      for (let n = 2; taken.has(`${workload.namespace}/${name}`); n++) name = `zt-observed-${dnsLabelName(workload.name)}-x${n}`;
      taken.add(`${workload.namespace}/${name}`);
      names.push(`${workload.namespace}/${name}`);
      documents.push({ source: { ...SOURCE, documentIndex: documents.length }, object: observedPod(workload, name, labels) });
    });
    pods.set(workload.id, names);
  }
  const apiServer = [...new Set([...aggregate.flows].flatMap((f) => [f.source, f.destination]).filter((p) => p.kind === 'kube-apiserver').map((p) => (p as { ip: string }).ip))].sort(compare);
  const hasApiServer = input.documents.some(({ object }) => {
    const o = object as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown; labels?: Record<string, unknown> } } | null;
    if (!o || (o.kind !== 'Endpoints' && o.kind !== 'EndpointSlice') || o.metadata?.namespace !== 'default') return false;
    return o.metadata?.name === 'kubernetes' || o.metadata?.labels?.['kubernetes.io/service-name'] === 'kubernetes';
  });
  if (apiServer.length > 0 && !hasApiServer) {
    documents.push({
      source: { ...SOURCE, documentIndex: documents.length },
      object: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default' }, subsets: [{ addresses: apiServer.map((ip) => ({ ip })), ports: [{ name: 'https', port: 443, protocol: 'TCP' }] }] },
    });
  }
  return { documents, pods };
}

function observedPod(workload: ObservedWorkload, name: string, labels: Readonly<Record<string, string>>): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: workload.namespace, labels: { ...labels } },
    spec: {
      ...(workload.serviceAccounts.length > 0 ? { serviceAccountName: workload.serviceAccounts[0] } : {}),
      containers: [{ name: 'observed', image: 'observed' }],
    },
  };
}

/** At most this many HTTP requests of one flow are replayed. */
const MAX_REQUESTS_REPLAYED = 100;

/** One replayed flow, with the probes that stand for it. */
interface Replay {
  readonly description: string;
  readonly count: number;
  readonly probes: readonly ProbeInput[];
}

/** The probes of every forwarded flow and DNS lookup: from each pod of the source, to each pod of the destination. */
export function replays(aggregate: ObservedAggregate, endpoints: ObservedEndpoints): Replay[] {
  const endpoint = (peer: ObservedPeer, side: 'source' | 'destination'): ProbeEndpointInput[] => {
    switch (peer.kind) {
      case 'workload':
        return [...(endpoints.pods.get(peer.workload) ?? [])].map((pod) => ({ pod }));
      case 'kube-apiserver':
        return [{ ip: peer.ip }];
      case 'external':
        return side === 'destination' && peer.names.length > 0 ? [{ fqdn: peer.names[0], ip: peer.ip }] : [{ ip: peer.ip }];
    }
  };
  const result: Replay[] = [];
  const add = (description: string, count: number, sources: ProbeEndpointInput[], destinations: ProbeEndpointInput[], base: Omit<ProbeInput, 'from' | 'to'>, requests: readonly { method: string; path: string }[]): void => {
    // Every source pod to the first destination pod, and the first source pod to every destination pod.
    const pairs: [ProbeEndpointInput, ProbeEndpointInput][] = [];
    sources.forEach((s) => pairs.push([s, destinations[0]]));
    destinations.slice(1).forEach((d) => pairs.push([sources[0], d]));
    const probes: ProbeInput[] = [];
    for (const [from, to] of pairs) {
      if (requests.length === 0) probes.push({ ...base, from, to, expected: 'allow' });
      for (const request of requests) probes.push({ ...base, from, to, expected: 'allow', http: { method: request.method, path: request.path } });
    }
    result.push({ description, count, probes });
  };
  for (const flow of aggregate.flows) {
    const sources = endpoint(flow.source, 'source');
    const destinations = endpoint(flow.destination, 'destination');
    if (sources.length === 0 || destinations.length === 0) continue;
    const requests = (flow.http ?? []).slice(0, MAX_REQUESTS_REPLAYED);
    add(describeFlow(flow), flow.count, sources, destinations, { protocol: flow.protocol, port: flow.port }, requests);
  }
  for (const dns of aggregate.dns) {
    const sources = endpoint({ kind: 'workload', workload: dns.client }, 'source');
    const destinations = endpoint({ kind: 'workload', workload: dns.server }, 'destination');
    if (sources.length === 0 || destinations.length === 0) continue;
    add(`${dns.client} -> ${dns.server} ${dns.port}/${dns.protocol} (DNS)`, dns.count, sources, destinations, { protocol: dns.protocol, port: dns.port }, []);
  }
  return result;
}

function describeFlow(flow: ObservedFlow): string {
  return `${describePeer(flow.source)} -> ${describePeer(flow.destination)} ${flow.port}/${flow.protocol}`;
}

/** A flow the output would drop: which of its probes were denied, and why. */
export interface DroppedReplay {
  readonly flow: string;
  readonly count: number;
  readonly denied: readonly ProbeResult[];
}

export interface TargetCheck {
  readonly target: string;
  readonly cni: string;
  readonly flows: number;
  readonly probes: number;
  readonly dropped: readonly DroppedReplay[];
  readonly notes: readonly string[];
}

/** Replays the flows against one loaded output. Throws what `runProbes` throws for an input it cannot read. */
export function checkAgainst(
  aggregate: ObservedAggregate, input: LoadedManifests, options: ProbeRunOptions & { readonly target: string },
): TargetCheck {
  const endpoints = observedEndpoints(aggregate, input);
  const replayed = replays(aggregate, endpoints);
  const inputs = replayed.flatMap((r, i) => r.probes.map((p, j) => ({ ...p, id: `${i}.${j}` })));
  const probes = parseProbes(inputs, '<observed flows>');
  const loaded: LoadedManifests = { documents: [...input.documents, ...endpoints.documents], issues: input.issues };
  const report = runProbes(loaded, probes, { ...options, file: '<observed flows>' });
  const denied = new Map<number, ProbeResult[]>();
  for (const result of report.probes) {
    if (result.verdict !== 'deny' && !result.undetermined) continue;
    const index = Number(result.id.split('.')[0]);
    denied.set(index, [...(denied.get(index) ?? []), result]);
  }
  return {
    target: options.target,
    cni: report.mesh === 'none' ? report.cni : `${report.cni} + ${report.mesh}`,
    flows: replayed.length,
    probes: probes.length,
    dropped: [...denied.entries()].sort(([a], [b]) => a - b)
      .map(([index, results]) => ({ flow: replayed[index].description, count: replayed[index].count, denied: results })),
    notes: report.notes,
  };
}
