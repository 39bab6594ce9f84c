/**
 * One Hubble flow record, read from the JSON that `hubble observe -o jsonpb` writes (one
 * `GetFlowsResponse` per line: `{"flow": {...}, "node_name": ..., "time": ...}`), that the Hubble
 * exporter writes (`ExportEvent`, the same envelope), or a bare `Flow` object (`-o json`).
 *
 * The messages are those of Cilium's flow.proto
 * (https://github.com/cilium/cilium/blob/main/api/v1/flow/flow.proto, documented at
 * https://docs.cilium.io/en/stable/_api/v1/flow/README/), and observer.proto for the envelope
 * (https://docs.cilium.io/en/stable/_api/v1/observer/README/). Hubble encodes them with protojson and
 * `UseProtoNames: true` (api/v1/flow/flow.pb.json.go), so fields carry their proto names (`pod_name`,
 * `destination_port`, `is_reply`); a protojson reader accepts the lowerCamelCase JSON names too
 * (`podName`), and so do we. protojson leaves out fields at their zero value: an absent `verdict` is
 * VERDICT_UNKNOWN, an absent `is_reply` is unknown (a BoolValue), enums are their names.
 *
 * The fields read, all others being ignored:
 * - `verdict` (Verdict): FORWARDED, REDIRECTED (to the L7 proxy) and AUDIT (policy audit mode: forwarded,
 *   but a policy would have dropped it) count as traffic that happened; DROPPED and ERROR as dropped;
 *   `drop_reason_desc` says why.
 * - `is_reply` (BoolValue; the deprecated `reply` when absent): replies are not flows.
 * - `IP.source`, `IP.destination`: the addresses, for endpoints outside the cluster.
 * - `l4` (Layer4, a oneof): `TCP`, `UDP`, `SCTP` with `destination_port`; `TCP.flags` (`SYN` without
 *   `ACK` opens a connection, when `is_reply` is absent); `ICMPv4`, `ICMPv6`.
 * - `source`, `destination` (Endpoint): `namespace`, `pod_name`, `labels` (`source:key=value` strings,
 *   e.g. `k8s:app=web`, `reserved:world`), `identity` (the numeric security identity: 1 host, 2 world,
 *   6 remote-node, 7 kube-apiserver...), `workloads` (`[{name, kind}]`, the owning Deployment,
 *   StatefulSet...; recent Cilium versions).
 * - `destination_names` (the DNS names Cilium's DNS proxy saw for the destination address).
 * - `l7` (Layer7): `type` (REQUEST, RESPONSE), `http` {`method`, `url`}, `dns` {`query`, `ips`}.
 */

/** A record the reader could not use: the field, the problem and the fix. */
export class FlowRecordError extends Error {
  constructor(readonly field: string, readonly problem: string, readonly fix: string) {
    super(`${field}: ${problem}. Fix: ${fix}`);
    this.name = 'FlowRecordError';
  }
}

/** Non-pod endpoints, as Cilium's reserved identities name them (https://docs.cilium.io/en/stable/gettingstarted/terminology/#special-identities). */
export type ReservedEntity = 'host' | 'remote-node' | 'health' | 'init' | 'unmanaged' | 'ingress' | 'kube-apiserver' | 'world';

/** The reserved identity numbers (pkg/identity/numericidentity.go). */
const RESERVED_IDENTITIES: Readonly<Record<number, ReservedEntity>> = {
  1: 'host', 2: 'world', 3: 'unmanaged', 4: 'health', 5: 'init', 6: 'remote-node', 7: 'kube-apiserver', 8: 'ingress', 9: 'world', 10: 'world',
};

/** One end of a flow. */
export type FlowEndpoint =
  /** A pod: its labels as the pod carries them (`k8s:` labels, without Cilium's own). */
  | {
    readonly kind: 'pod';
    readonly namespace: string;
    readonly podName: string;
    readonly labels: Readonly<Record<string, string>>;
    /** The namespace's labels, from `k8s:io.cilium.k8s.namespace.labels.*`. */
    readonly namespaceLabels: Readonly<Record<string, string>>;
    readonly serviceAccount?: string;
    /** The owning workload, when Hubble names it. */
    readonly workload?: { readonly name: string; readonly kind: string };
  }
  /** An address outside the cluster (`reserved:world`, a CIDR identity). */
  | { readonly kind: 'world'; readonly ip: string }
  /** Another reserved identity. */
  | { readonly kind: 'reserved'; readonly entity: Exclude<ReservedEntity, 'world'>; readonly ip?: string };

export type FlowVerdict = 'forwarded' | 'dropped' | 'other';
export type FlowProtocol = 'TCP' | 'UDP' | 'SCTP' | 'ICMPv4' | 'ICMPv6';

/** What we take from one flow record. */
export interface FlowRecord {
  readonly verdict: FlowVerdict;
  /** The verdict as Hubble names it, e.g. FORWARDED, AUDIT, DROPPED. */
  readonly verdictName: string;
  readonly dropReason?: string;
  /** true: a reply; false: a request; undefined: Hubble does not say, and no TCP flag tells. */
  readonly reply: boolean | undefined;
  readonly source: FlowEndpoint;
  readonly destination: FlowEndpoint;
  readonly protocol: FlowProtocol;
  /** The destination port (TCP, UDP, SCTP). */
  readonly port?: number;
  readonly destinationNames: readonly string[];
  readonly http?: { readonly method: string; readonly url: string };
  readonly dns?: { readonly query: string; readonly ips: readonly string[]; readonly response: boolean };
}

/** What one line holds. */
export type ParsedLine =
  | { readonly kind: 'flow'; readonly flow: FlowRecord }
  /** Not a flow (a node status, lost events, an agent or debug event, a record without IP): counted, not used. */
  | { readonly kind: 'other'; readonly what: string };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `pod_name` → `podName`: protojson's JSON name of a field. */
function jsonName(protoName: string): string {
  return protoName.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** A field by its proto name or its JSON name. */
function member(object: Json, protoName: string): unknown {
  const value = object[protoName];
  if (value !== undefined) return value;
  const alternative = jsonName(protoName);
  return alternative === protoName ? undefined : object[alternative];
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function optionalString(object: Json, name: string, at: string): string | undefined {
  const value = member(object, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FlowRecordError(`${at}.${name}`, `${describe(value)} is not a string`, 'export the flows with hubble observe -o jsonpb');
  return value;
}

function optionalObject(object: Json, name: string, at: string): Json | undefined {
  const value = member(object, name);
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new FlowRecordError(`${at}.${name}`, `${describe(value)} is not an object`, 'export the flows with hubble observe -o jsonpb');
  return value;
}

function optionalStrings(object: Json, name: string, at: string): string[] {
  const value = member(object, name);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new FlowRecordError(`${at}.${name}`, `${describe(value)} is not a list of strings`, 'export the flows with hubble observe -o jsonpb');
  }
  return value as string[];
}

/** A uint32 field: protojson writes it as a JSON number (and accepts a decimal string). */
function optionalUint(object: Json, name: string, at: string): number | undefined {
  const value = member(object, name);
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0 || number > 0xffffffff) {
    throw new FlowRecordError(`${at}.${name}`, `${describe(value)} is not an unsigned integer`, 'export the flows with hubble observe -o jsonpb');
  }
  return number;
}

function optionalBool(object: Json, name: string, at: string): boolean | undefined {
  const value = member(object, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new FlowRecordError(`${at}.${name}`, `${describe(value)} is not true or false`, 'export the flows with hubble observe -o jsonpb');
  return value;
}

/** Cilium's label prefixes that describe the namespace or the policy identity, not the pod (pkg/k8s/apis/cilium.io/const.go). */
const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
const SERVICE_ACCOUNT_LABEL = 'io.cilium.k8s.policy.serviceaccount';
const POLICY_LABELS_PREFIX = 'io.cilium.k8s.policy.';

interface ParsedLabels {
  readonly pod: Record<string, string>;
  readonly namespace: Record<string, string>;
  readonly serviceAccount?: string;
  readonly reserved: ReservedEntity[];
  readonly cidr: boolean;
}

/** `source:key=value` strings (pkg/labels: the source before the first `:`, the value after the first `=`). */
function parseLabels(labels: readonly string[], at: string): ParsedLabels {
  const pod: Record<string, string> = {};
  const namespace: Record<string, string> = {};
  const reserved: ReservedEntity[] = [];
  let serviceAccount: string | undefined;
  let cidr = false;
  labels.forEach((label, i) => {
    const colon = label.indexOf(':');
    if (colon <= 0) throw new FlowRecordError(`${at}.labels[${i}]`, `${describe(label)} is not a Cilium label (source:key=value)`, 'export the flows with hubble observe -o jsonpb');
    const source = label.slice(0, colon);
    const rest = label.slice(colon + 1);
    const eq = rest.indexOf('=');
    const key = eq < 0 ? rest : rest.slice(0, eq);
    const value = eq < 0 ? '' : rest.slice(eq + 1);
    if (source === 'reserved') {
      const entity = key === 'world-ipv4' || key === 'world-ipv6' ? 'world' : key;
      if ((Object.values(RESERVED_IDENTITIES) as string[]).includes(entity)) reserved.push(entity as ReservedEntity);
      return;
    }
    if (source === 'cidr' || source === 'fqdn' || source === 'cidrgroup') {
      cidr = true;
      return;
    }
    if (source !== 'k8s' && source !== 'any') return;
    if (key === POD_NAMESPACE_LABEL) return;
    if (key === SERVICE_ACCOUNT_LABEL) {
      serviceAccount = value;
      return;
    }
    if (key.startsWith(NAMESPACE_LABELS_PREFIX)) {
      namespace[key.slice(NAMESPACE_LABELS_PREFIX.length)] = value;
      return;
    }
    if (key.startsWith(POLICY_LABELS_PREFIX)) return;
    pod[key] = value;
  });
  return { pod, namespace, serviceAccount, reserved, cidr };
}

function parseEndpoint(flow: Json, side: 'source' | 'destination', ip: string | undefined): FlowEndpoint {
  const endpoint = optionalObject(flow, side, 'flow');
  const at = `flow.${side}`;
  if (!endpoint) {
    if (ip !== undefined) {
      throw new FlowRecordError(at, `missing: the record has the address ${ip} but says nothing of its endpoint`, 'export the flows with hubble observe -o jsonpb, which writes both endpoints');
    }
    throw new FlowRecordError(at, 'missing', 'export the flows with hubble observe -o jsonpb, which writes both endpoints');
  }
  const namespace = optionalString(endpoint, 'namespace', at) ?? '';
  const podName = optionalString(endpoint, 'pod_name', at) ?? '';
  const labels = parseLabels(optionalStrings(endpoint, 'labels', at), at);
  const identity = optionalUint(endpoint, 'identity', at);
  const workloads = member(endpoint, 'workloads');
  if (namespace !== '' && podName !== '') {
    if (member(endpoint, 'labels') === undefined) {
      throw new FlowRecordError(`${at}.labels`, `missing for the pod ${namespace}/${podName}, so its workload cannot be selected by labels`, 'export the flows with hubble observe -o jsonpb (Hubble writes the identity labels of each pod)');
    }
    let workload: { name: string; kind: string } | undefined;
    if (Array.isArray(workloads) && workloads.length > 0) {
      const first: unknown = workloads[0];
      if (!isObject(first)) throw new FlowRecordError(`${at}.workloads[0]`, `${describe(first)} is not a workload`, 'export the flows with hubble observe -o jsonpb');
      const name = optionalString(first, 'name', `${at}.workloads[0]`);
      const kind = optionalString(first, 'kind', `${at}.workloads[0]`) ?? '';
      if (name) workload = { name, kind };
    }
    return {
      kind: 'pod',
      namespace,
      podName,
      labels: labels.pod,
      namespaceLabels: labels.namespace,
      ...(labels.serviceAccount !== undefined ? { serviceAccount: labels.serviceAccount } : {}),
      ...(workload ? { workload } : {}),
    };
  }
  const byNumber = identity !== undefined ? RESERVED_IDENTITIES[identity] : undefined;
  const reserved = labels.reserved.length > 0 ? labels.reserved : byNumber ? [byNumber] : [];
  // The API server on a node holds both identities; kube-apiserver is the narrower name.
  const entity = reserved.includes('kube-apiserver') ? 'kube-apiserver' : reserved[0] ?? (labels.cidr ? 'world' : undefined);
  if (entity === 'world') {
    if (ip === undefined) throw new FlowRecordError(`flow.IP.${side}`, 'missing: an endpoint outside the cluster is known only by its address', 'export the flows with hubble observe -o jsonpb');
    return { kind: 'world', ip };
  }
  if (entity !== undefined) return { kind: 'reserved', entity, ...(ip !== undefined ? { ip } : {}) };
  if (namespace !== '' || podName !== '') {
    throw new FlowRecordError(at, `${namespace !== '' ? `namespace ${namespace} without pod_name` : `pod_name ${podName} without namespace`}: the endpoint is half a pod`, 'export the flows with hubble observe -o jsonpb');
  }
  throw new FlowRecordError(at, `neither a pod (namespace, pod_name) nor a reserved identity (labels ${describe(optionalStrings(endpoint, 'labels', at))}, identity ${identity ?? 'none'})`, 'export the flows with hubble observe -o jsonpb, from a Cilium agent with Hubble enabled');
}

const FORWARDED = new Set(['FORWARDED', 'REDIRECTED', 'AUDIT']);
const DROPPED = new Set(['DROPPED', 'ERROR']);

function parseL4(flow: Json): { protocol: FlowProtocol; port?: number; syn?: boolean; ack?: boolean } {
  const l4 = optionalObject(flow, 'l4', 'flow');
  if (!l4) throw new FlowRecordError('flow.l4', 'missing: the protocol and the destination port are unknown', 'export the flows with hubble observe -o jsonpb; records without l4 cannot become flows');
  for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
    const layer = optionalObject(l4, protocol, 'flow.l4');
    if (!layer) continue;
    const port = optionalUint(layer, 'destination_port', `flow.l4.${protocol}`);
    if (port === undefined || port === 0 || port > 65535) {
      throw new FlowRecordError(`flow.l4.${protocol}.destination_port`, port === undefined ? 'missing' : `${port} is not a port (1-65535)`, 'export the flows with hubble observe -o jsonpb');
    }
    const flags = protocol === 'TCP' ? optionalObject(layer, 'flags', 'flow.l4.TCP') : undefined;
    return { protocol, port, syn: flags ? optionalBool(flags, 'SYN', 'flow.l4.TCP.flags') : undefined, ack: flags ? optionalBool(flags, 'ACK', 'flow.l4.TCP.flags') : undefined };
  }
  for (const protocol of ['ICMPv4', 'ICMPv6'] as const) {
    if (optionalObject(l4, protocol, 'flow.l4')) return { protocol };
  }
  throw new FlowRecordError('flow.l4', `${describe(l4)} holds none of TCP, UDP, SCTP, ICMPv4, ICMPv6`, 'export the flows with hubble observe -o jsonpb');
}

function parseL7(flow: Json): Pick<FlowRecord, 'http' | 'dns'> & { l7Type?: string } {
  const l7 = optionalObject(flow, 'l7', 'flow');
  if (!l7) return {};
  const l7Type = optionalString(l7, 'type', 'flow.l7');
  const http = optionalObject(l7, 'http', 'flow.l7');
  if (http) {
    const method = optionalString(http, 'method', 'flow.l7.http') ?? '';
    const url = optionalString(http, 'url', 'flow.l7.http') ?? '';
    return { l7Type, ...(l7Type !== 'RESPONSE' && method !== '' ? { http: { method, url } } : {}) };
  }
  const dns = optionalObject(l7, 'dns', 'flow.l7');
  if (dns) {
    const query = optionalString(dns, 'query', 'flow.l7.dns') ?? '';
    const ips = optionalStrings(dns, 'ips', 'flow.l7.dns');
    return { l7Type, ...(query !== '' ? { dns: { query, ips, response: l7Type === 'RESPONSE' } } : {}) };
  }
  return { l7Type };
}

/** The flow of one record: a `GetFlowsResponse`/`ExportEvent` envelope, or a bare `Flow`. */
function flowOf(value: Json): Json | string {
  const wrapped = member(value, 'flow');
  if (wrapped !== undefined) {
    if (!isObject(wrapped)) throw new FlowRecordError('flow', `${describe(wrapped)} is not an object`, 'export the flows with hubble observe -o jsonpb');
    return wrapped;
  }
  for (const other of ['node_status', 'lost_events', 'agent_event', 'debug_event']) {
    if (member(value, other) !== undefined) return other;
  }
  const flowFields = ['verdict', 'source', 'destination', 'IP', 'l4', 'Type'];
  if (flowFields.some((name) => member(value, name) !== undefined)) return value;
  throw new FlowRecordError('flow', `the object has none of the fields of a Hubble flow (keys: ${Object.keys(value).slice(0, 6).join(', ') || 'none'})`,
    'give files that hubble observe -o jsonpb wrote (one {"flow": {...}} per line)');
}

/** Reads one line of an export. Throws `FlowRecordError` for a record that cannot be used as it is. */
export function parseFlowLine(text: string): ParsedLine | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FlowRecordError('(line)', `not JSON: ${(error as Error).message}`, 'give JSON lines, one record per line, as hubble observe -o jsonpb writes them');
  }
  if (!isObject(value)) throw new FlowRecordError('(line)', `${describe(value)} is not a JSON object`, 'give JSON lines, one record per line, as hubble observe -o jsonpb writes them');
  const flow = flowOf(value);
  if (typeof flow === 'string') return { kind: 'other', what: flow };
  const verdictName = optionalString(flow, 'verdict', 'flow') ?? 'VERDICT_UNKNOWN';
  const ipLayer = optionalObject(flow, 'IP', 'flow');
  if (!ipLayer) {
    // Ethernet-only records (ARP and other non-IP traffic) are not connections between workloads.
    if (member(flow, 'l4') === undefined) return { kind: 'other', what: 'no IP layer' };
    throw new FlowRecordError('flow.IP', 'missing while l4 is present: the addresses are unknown', 'export the flows with hubble observe -o jsonpb');
  }
  const sourceIp = optionalString(ipLayer, 'source', 'flow.IP');
  const destinationIp = optionalString(ipLayer, 'destination', 'flow.IP');
  const l4 = parseL4(flow);
  const l7 = parseL7(flow);
  const source = parseEndpoint(flow, 'source', sourceIp);
  const destination = parseEndpoint(flow, 'destination', destinationIp);
  let reply = optionalBool(flow, 'is_reply', 'flow');
  if (reply === undefined && optionalBool(flow, 'reply', 'flow') === true) reply = true;
  if (reply === undefined && l7.l7Type === 'REQUEST') reply = false;
  if (reply === undefined && l7.l7Type === 'RESPONSE') reply = true;
  if (reply === undefined && l4.syn === true && l4.ack !== true) reply = false;
  const dropReason = optionalString(flow, 'drop_reason_desc', 'flow');
  return {
    kind: 'flow',
    flow: {
      verdict: FORWARDED.has(verdictName) ? 'forwarded' : DROPPED.has(verdictName) ? 'dropped' : 'other',
      verdictName,
      ...(dropReason !== undefined ? { dropReason } : {}),
      reply,
      source,
      destination,
      protocol: l4.protocol,
      ...(l4.port !== undefined ? { port: l4.port } : {}),
      destinationNames: optionalStrings(flow, 'destination_names', 'flow'),
      ...(l7.http ? { http: l7.http } : {}),
      ...(l7.dns ? { dns: l7.dns } : {}),
    },
  };
}
