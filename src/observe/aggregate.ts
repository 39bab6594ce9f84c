/**
 * Folds flow records into an `ObservedAggregate`, one record at a time: memory grows with the
 * distinct workloads, flows and names, never with the number of records.
 */
import { FlowEndpoint, FlowRecord } from './hubble-flow';
import {
  MAX_LABEL_SETS, MAX_NAMES, MAX_REQUESTS, NotGenerated, OBSERVED_API_VERSION, OBSERVED_KIND, ObservedAggregate,
  ObservedDns, ObservedFlow, ObservedPeer, ObservedProtocol, ObservedWorkload,
} from './observed';
import { commonLabels, derivedWorkloadName, dnsLabelName, labelsKey, stableLabels } from './stable-labels';

/** Where the cluster DNS runs: lookups to it are DNS, which every managed namespace may make. */
export interface DnsServerOptions {
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** @default { 'k8s-app': 'kube-dns' } */
  readonly labels?: Readonly<Record<string, string>>;
}

interface WorkloadAcc {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind?: string;
  readonly labelSets: Map<string, Record<string, string>>;
  common: Record<string, string>;
  readonly serviceAccounts: Set<string>;
  isDnsServer: boolean;
}

type PeerAcc =
  | { readonly kind: 'workload'; readonly workload: WorkloadAcc }
  | { readonly kind: 'external'; readonly ip: string }
  | { readonly kind: 'kube-apiserver'; readonly ip: string };

interface FlowAcc {
  readonly source: PeerAcc;
  readonly destination: PeerAcc;
  readonly protocol: ObservedProtocol;
  readonly port: number;
  count: number;
  audited: number;
  readonly http: Map<string, { method: string; path: string; count: number }>;
  httpTruncated: boolean;
  readonly names: Set<string>;
  readonly dropReasons: Map<string, number>;
}

interface DnsAcc {
  readonly client: WorkloadAcc;
  readonly server: WorkloadAcc;
  readonly protocol: ObservedProtocol;
  readonly port: number;
  count: number;
  readonly names: Set<string>;
}

/** An endpoint no intent is generated for, and why. */
interface Unsupported {
  readonly kind: 'unsupported';
  readonly label: string;
  readonly reason: string;
}

interface NotGeneratedAcc {
  readonly source: PeerAcc | Unsupported;
  readonly destination: PeerAcc | Unsupported;
  readonly protocol: string;
  readonly port?: number;
  readonly reason: string;
  count: number;
}

const MAX_INVALID_EXAMPLES = 10;

/** A DNS name as Cilium matches it: lowercase, without the root's trailing dot. */
export function normalizeDnsName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** The path of a request (with its query, which Cilium's `path` regular expression is matched against too). */
export function requestPath(url: string): string {
  try {
    const parsed = new URL(url, 'http://observed.invalid');
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url.startsWith('/') ? url : `/${url}`;
  }
}

/** Why traffic to or from a reserved identity is not turned into intent. */
const RESERVED_REASONS: Readonly<Record<string, string>> = {
  'host': 'the node itself (reserved:host): a pod\'s own node reaches it for health checks without a policy on most CNIs; Peer.localNode() (Cilium only) can be declared by hand',
  'remote-node': 'another node (reserved:remote-node): Peer.remoteNodes() (Cilium only) would admit every node; declare it by hand if meant',
  'health': 'Cilium\'s health checks (reserved:health), which Cilium allows itself',
  'init': 'an endpoint whose identity was not resolved yet (reserved:init)',
  'unmanaged': 'an endpoint Cilium does not manage (reserved:unmanaged)',
  'ingress': 'Cilium\'s ingress proxy (reserved:ingress)',
  'kube-apiserver': 'the API server, without an address',
};

export class FlowAggregator {
  private readonly workloads = new Map<string, WorkloadAcc>();
  private readonly flows = new Map<string, FlowAcc>();
  private readonly dropped = new Map<string, FlowAcc>();
  private readonly dns = new Map<string, DnsAcc>();
  private readonly notGenerated = new Map<string, NotGeneratedAcc>();
  /** Per client workload: address → names its DNS answers gave. */
  private readonly lookups = new Map<WorkloadAcc, Map<string, Set<string>>>();
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  private readonly dnsNamespace: string;
  private readonly dnsLabels: Readonly<Record<string, string>>;
  private lines = 0;
  private records = 0;
  private replies = 0;
  private notFlows = 0;
  private otherVerdicts = 0;
  private invalid = 0;
  private readonly invalidExamples: string[] = [];

  constructor(options: DnsServerOptions = {}) {
    this.dnsNamespace = options.namespace ?? 'kube-system';
    this.dnsLabels = options.labels ?? { 'k8s-app': 'kube-dns' };
  }

  public countLine(): void {
    this.lines++;
  }

  public addOther(): void {
    this.notFlows++;
  }

  /** A record skipped under `--skip-invalid`. */
  public addInvalid(reference: string): void {
    this.invalid++;
    if (this.invalidExamples.length < MAX_INVALID_EXAMPLES) this.invalidExamples.push(reference);
  }

  public add(flow: FlowRecord): void {
    this.records++;
    if (flow.dns?.response && flow.verdict === 'forwarded') this.addLookup(flow);
    if (flow.reply === true) {
      this.replies++;
      return;
    }
    if (flow.verdict === 'other') {
      this.otherVerdicts++;
      return;
    }
    const source = this.peer(flow.source);
    const destination = this.peer(flow.destination);
    const protocol = flow.protocol;
    if (flow.reply === undefined) {
      this.addNotGenerated(source, destination, protocol, flow.port, 'direction unknown: the record has no is_reply and is no TCP SYN, so it may be a reply');
      return;
    }
    if (source.kind === 'unsupported' || destination.kind === 'unsupported') {
      this.addNotGenerated(source, destination, protocol, flow.port, source.kind === 'unsupported' ? source.reason : (destination as Unsupported).reason);
      return;
    }
    if (protocol === 'ICMPv4' || protocol === 'ICMPv6' || flow.port === undefined) {
      this.addNotGenerated(source, destination, protocol, undefined, 'ICMP: the constructs declare TCP, UDP and SCTP ports only');
      return;
    }
    if (source.kind !== 'workload' && destination.kind !== 'workload') {
      this.addNotGenerated(source, destination, protocol, flow.port, 'neither end is a pod');
      return;
    }
    if (flow.verdict === 'forwarded' && source.kind === 'workload' && destination.kind === 'workload' && this.isDns(destination.workload, flow.port)) {
      this.addDns(source.workload, destination.workload, protocol, flow.port, flow.dns?.query);
      return;
    }
    const table = flow.verdict === 'forwarded' ? this.flows : this.dropped;
    const key = `${peerKey(source)}|${peerKey(destination)}|${protocol}|${flow.port}`;
    let acc = table.get(key);
    if (!acc) {
      acc = {
        source,
        destination,
        protocol,
        port: flow.port,
        count: 0,
        audited: 0,
        http: new Map(),
        httpTruncated: false,
        names: new Set(),
        dropReasons: new Map(),
      };
      table.set(key, acc);
    }
    acc.count++;
    if (flow.verdictName === 'AUDIT') acc.audited++;
    if (flow.verdict === 'dropped') {
      const reason = flow.dropReason ?? 'DROP_REASON_UNKNOWN';
      acc.dropReasons.set(reason, (acc.dropReasons.get(reason) ?? 0) + 1);
    }
    if (destination.kind === 'external') {
      for (const name of flow.destinationNames) if (acc.names.size < MAX_NAMES) acc.names.add(normalizeDnsName(name));
    }
    if (flow.http) {
      const path = requestPath(flow.http.url);
      const method = flow.http.method.toUpperCase();
      const requestKey = `${method} ${path}`;
      const request = acc.http.get(requestKey);
      if (request) request.count++;
      else if (acc.http.size < MAX_REQUESTS) acc.http.set(requestKey, { method, path, count: 1 });
      else acc.httpTruncated = true;
    }
  }

  private addLookup(flow: FlowRecord): void {
    const dns = flow.dns!;
    const client = flow.reply ? flow.destination : flow.source;
    if (client.kind !== 'pod' || dns.ips.length === 0) return;
    const workload = this.workload(client);
    let byIp = this.lookups.get(workload);
    if (!byIp) this.lookups.set(workload, (byIp = new Map()));
    for (const ip of dns.ips) {
      let names = byIp.get(ip);
      if (!names) byIp.set(ip, (names = new Set()));
      if (names.size < MAX_NAMES) names.add(normalizeDnsName(dns.query));
    }
  }

  private isDns(server: WorkloadAcc, port: number): boolean {
    if (port !== 53 || server.namespace !== this.dnsNamespace) return false;
    const labels = [...server.labelSets.values()][0] ?? {};
    return Object.entries(this.dnsLabels).every(([key, value]) => labels[key] === value);
  }

  private addDns(client: WorkloadAcc, server: WorkloadAcc, protocol: ObservedProtocol, port: number, query: string | undefined): void {
    server.isDnsServer = true;
    const key = `${client.key}|${server.key}|${protocol}|${port}`;
    let acc = this.dns.get(key);
    if (!acc) this.dns.set(key, (acc = { client, server, protocol, port, count: 0, names: new Set() }));
    acc.count++;
    if (query && acc.names.size < MAX_NAMES) acc.names.add(normalizeDnsName(query));
  }

  private addNotGenerated(
    source: PeerAcc | Unsupported, destination: PeerAcc | Unsupported, protocol: string, port: number | undefined, reason: string,
  ): void {
    const describe = (peer: PeerAcc | Unsupported): string => (peer.kind === 'unsupported' ? peer.label : peerKey(peer));
    const key = `${describe(source)}|${describe(destination)}|${protocol}|${port ?? ''}|${reason}`;
    let acc = this.notGenerated.get(key);
    if (!acc) this.notGenerated.set(key, (acc = { source, destination, protocol, ...(port !== undefined ? { port } : {}), reason, count: 0 }));
    acc.count++;
  }

  /** The peer of an endpoint, or why it cannot be one. */
  private peer(endpoint: FlowEndpoint): PeerAcc | Unsupported {
    switch (endpoint.kind) {
      case 'pod':
        return { kind: 'workload', workload: this.workload(endpoint) };
      case 'world':
        return { kind: 'external', ip: endpoint.ip };
      case 'reserved':
        if (endpoint.entity === 'kube-apiserver' && endpoint.ip !== undefined) return { kind: 'kube-apiserver', ip: endpoint.ip };
        return { kind: 'unsupported', label: `reserved:${endpoint.entity}${endpoint.ip ? ` (${endpoint.ip})` : ''}`, reason: RESERVED_REASONS[endpoint.entity] };
    }
  }

  private workload(pod: Extract<FlowEndpoint, { kind: 'pod' }>): WorkloadAcc {
    const stable = stableLabels(pod.labels);
    const key = pod.workload
      ? `${pod.namespace}\u0000${pod.workload.kind}\u0000${pod.workload.name}`
      : `${pod.namespace}\u0000\u0000${labelsKey(stable)}`;
    let acc = this.workloads.get(key);
    if (!acc) {
      acc = {
        key,
        namespace: pod.namespace,
        name: dnsLabelName(pod.workload?.name ?? derivedWorkloadName(stable, pod.podName)),
        ...(pod.workload?.kind ? { kind: pod.workload.kind } : {}),
        labelSets: new Map(),
        common: stable,
        serviceAccounts: new Set(),
        isDnsServer: false,
      };
      this.workloads.set(key, acc);
    }
    const setKey = labelsKey(stable);
    if (!acc.labelSets.has(setKey)) {
      if (acc.labelSets.size < MAX_LABEL_SETS) acc.labelSets.set(setKey, stable);
      acc.common = commonLabels([acc.common, stable]);
    }
    if (pod.serviceAccount !== undefined) acc.serviceAccounts.add(pod.serviceAccount);
    if (!this.namespaceLabels.has(pod.namespace) && Object.keys(pod.namespaceLabels).length > 0) {
      this.namespaceLabels.set(pod.namespace, { ...pod.namespaceLabels });
    }
    return acc;
  }

  /** The aggregate, sorted: the same records in any order give the same file. */
  public finish(files: readonly string[]): ObservedAggregate {
    const ids = assignIds([...this.workloads.values()]);
    const peerOf = (peer: PeerAcc, client?: WorkloadAcc, names?: ReadonlySet<string>): ObservedPeer => {
      switch (peer.kind) {
        case 'workload':
          return { kind: 'workload', workload: ids.get(peer.workload)! };
        case 'kube-apiserver':
          return { kind: 'kube-apiserver', ip: peer.ip };
        case 'external': {
          const found = new Set<string>(names ?? []);
          for (const name of (client && this.lookups.get(client)?.get(peer.ip)) ?? []) found.add(name);
          return { kind: 'external', ip: peer.ip, names: [...found].sort() };
        }
      }
    };
    const flowOf = (acc: FlowAcc): ObservedFlow => {
      const client = acc.source.kind === 'workload' ? acc.source.workload : undefined;
      const http = [...acc.http.values()].sort((a, b) => compare(`${a.path} ${a.method}`, `${b.path} ${b.method}`));
      return {
        source: peerOf(acc.source),
        destination: peerOf(acc.destination, client, acc.names),
        protocol: acc.protocol,
        port: acc.port,
        count: acc.count,
        ...(acc.audited > 0 ? { audited: acc.audited } : {}),
        ...(http.length > 0 ? { http } : {}),
        ...(acc.httpTruncated ? { httpTruncated: true } : {}),
        ...(acc.dropReasons.size > 0 ? { dropReasons: Object.fromEntries([...acc.dropReasons].sort(([a], [b]) => compare(a, b))) } : {}),
      };
    };
    const describe = (peer: PeerAcc | Unsupported): string => {
      if (peer.kind === 'unsupported') return peer.label;
      if (peer.kind === 'workload') return ids.get(peer.workload)!;
      return peer.kind === 'kube-apiserver' ? `kube-apiserver (${peer.ip})` : peer.ip;
    };
    const workloads: ObservedWorkload[] = [...this.workloads.values()].map((acc) => ({
      id: ids.get(acc)!,
      namespace: acc.namespace,
      name: ids.get(acc)!.slice(acc.namespace.length + 1),
      ...(acc.kind ? { kind: acc.kind } : {}),
      labels: acc.common,
      labelSets: [...acc.labelSets.entries()].sort(([a], [b]) => compare(a, b)).map(([, labels]) => labels),
      serviceAccounts: [...acc.serviceAccounts].sort(),
    })).sort((a, b) => compare(a.id, b.id));
    const dns: ObservedDns[] = [...this.dns.values()].map((acc) => ({
      client: ids.get(acc.client)!,
      server: ids.get(acc.server)!,
      protocol: acc.protocol,
      port: acc.port,
      count: acc.count,
      names: [...acc.names].sort(),
    })).sort((a, b) => compare(`${a.client}|${a.server}|${a.protocol}`, `${b.client}|${b.server}|${b.protocol}`));
    const notGenerated: NotGenerated[] = [...this.notGenerated.values()].map((acc) => ({
      source: describe(acc.source),
      destination: describe(acc.destination),
      protocol: acc.protocol,
      ...(acc.port !== undefined ? { port: acc.port } : {}),
      count: acc.count,
      reason: acc.reason,
    })).sort((a, b) => compare(notGeneratedKey(a), notGeneratedKey(b)));
    return {
      apiVersion: OBSERVED_API_VERSION,
      kind: OBSERVED_KIND,
      counts: {
        files: [...files],
        lines: this.lines,
        records: this.records,
        replies: this.replies,
        notFlows: this.notFlows,
        otherVerdicts: this.otherVerdicts,
        invalid: this.invalid,
        invalidExamples: [...this.invalidExamples],
      },
      dnsServer: { namespace: this.dnsNamespace, labels: { ...this.dnsLabels } },
      namespaces: Object.fromEntries([...this.namespaceLabels].sort(([a], [b]) => compare(a, b))),
      workloads,
      flows: [...this.flows.values()].map(flowOf).sort(compareFlows),
      dns,
      dropped: [...this.dropped.values()].map(flowOf).sort(compareFlows),
      notGenerated,
    };
  }
}

function peerKey(peer: PeerAcc): string {
  switch (peer.kind) {
    case 'workload':
      return `w:${peer.workload.key}`;
    case 'external':
      return `x:${peer.ip}`;
    case 'kube-apiserver':
      return `a:${peer.ip}`;
  }
}

function notGeneratedKey(entry: NotGenerated): string {
  return `${entry.source}|${entry.destination}|${entry.protocol}|${String(entry.port ?? 0).padStart(5, '0')}|${entry.reason}`;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How flows sort: by source, destination, protocol and port. */
export function flowSortKey(flow: ObservedFlow): string {
  const peer = (p: ObservedPeer): string => (p.kind === 'workload' ? `0 ${p.workload}` : p.kind === 'kube-apiserver' ? `1 ${p.ip}` : `2 ${p.names[0] ?? ''} ${p.ip}`);
  return `${peer(flow.source)}|${peer(flow.destination)}|${flow.protocol}|${String(flow.port).padStart(5, '0')}`;
}

function compareFlows(a: ObservedFlow, b: ObservedFlow): number {
  return compare(flowSortKey(a), flowSortKey(b));
}

/** `namespace/name` per workload, made unique in sorted key order (`web`, `web-2`). */
function assignIds(workloads: readonly WorkloadAcc[]): Map<WorkloadAcc, string> {
  const ids = new Map<WorkloadAcc, string>();
  const taken = new Set<string>();
  for (const acc of [...workloads].sort((a, b) => compare(a.key, b.key))) {
    let id = `${acc.namespace}/${acc.name}`;
    for (let n = 2; taken.has(id); n++) id = `${acc.namespace}/${acc.name}-${n}`;
    taken.add(id);
    ids.set(acc, id);
  }
  return ids;
}
