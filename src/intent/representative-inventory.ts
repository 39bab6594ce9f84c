/**
 * Representative endpoints of a validated intent, as ordinary manifests: one Pod per declared workload
 * (its selector's labels, its service account, a container port for every port a flow opens to it), one
 * per peer selector of an unmanaged namespace (running as the peer's service account when it names one), one for the platform DNS, one per namespace that a flow
 * names as a whole and that has no other pod, a Namespace object for each namespace the platform does not
 * emit, and one external address per CIDR peer.
 *
 * The analyzer reads these like any other manifests; it never sees the model.
 */
import {
  IntentInventory,
  REPRESENTS_ANNOTATION,
  Represents,
  SELECTOR_ANNOTATION,
} from './inventory-file';
import { ProbePort } from '../analysis/types';
import { formatCidr, ipv4Mapped, mappedIpv6, ParsedCidr, parseCidr } from '../model/cidr';
import { PortSpec } from '../model/port';
import { Endpoint, NAMESPACE_NAME_LABEL, ResolvedModel } from '../model/resolved';
import { compareStrings, NormalizedSelector, SelectorOperator } from '../model/selector';
import { JsonValue } from '../synth/yaml-emitter';
import { Protocol } from '../vocabulary/protocol';

/** The pod label that has Istio's webhook inject a sidecar. */
const SIDECAR_INJECT_LABEL = 'sidecar.istio.io/inject';

/** Whether the selector still selects `labels` once `key` is set to `true` (a NotIn or DoesNotExist on it would not). */
function selectsWith(selector: NormalizedSelector | undefined, labels: Readonly<Record<string, string>>, key: string): boolean {
  return selector === undefined || selects(selector, { ...labels, [key]: 'true' });
}

/** Named ports have no number in the intent; each name gets one from the dynamic range (RFC 6335), the same on every pod. */
const FIRST_NAMED_PORT = 49152;
/** The name of the pod standing for "any pod" of a namespace. */
export const ANY_POD = 'any-pod';

interface ContainerPort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly name?: string;
}

interface RepresentativePod {
  readonly namespace: string;
  readonly name: string;
  readonly represents: Represents;
  /** Undefined for `namespace`. */
  readonly selector?: NormalizedSelector;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount?: string;
  readonly ports: PortList;
}

/** The representative inventory of one validated platform model. */
export function representativeInventory(model: ResolvedModel): IntentInventory {
  const pods = new PodSet();
  for (const workload of model.workloads) {
    pods.add(workload.namespace, workload.name, 'workload', workload.selector, workload.serviceAccount);
  }
  const usesDns = model.namespaces.some((namespace) => namespace.allowDns);
  if (usesDns) pods.addSelector(model.dns.namespace, 'dns', model.dns.selector);
  const endpoints = model.flows.flatMap((flow) => [flow.source, flow.destination]);
  for (const endpoint of endpoints) {
    // A peer with a mesh identity (Peer.istioIngressGateway, pods with a service account) runs as it, and, when the
    // platform has a mesh, in the mesh: the mesh admits it by that identity, which only a proxy presents.
    if (endpoint.kind === 'pods') pods.addSelector(endpoint.namespace, 'pods', endpoint.selector, endpoint.serviceAccount, model.mesh !== undefined);
  }
  for (const endpoint of endpoints) {
    if (endpoint.kind === 'namespace' && pods.inNamespace(endpoint.namespace).length === 0) {
      pods.add(endpoint.namespace, ANY_POD, 'namespace', undefined, undefined);
    }
  }

  const namedPorts = new NamedPortNumbers(model);
  for (const flow of model.flows) {
    for (const pod of pods.targets(flow.destination)) pod.ports.addAll(flow.ports, namedPorts);
  }
  if (usesDns) {
    for (const pod of pods.targets({ kind: 'pods', namespace: model.dns.namespace, selector: model.dns.selector })) {
      pod.ports.addAll(model.dns.ports, namedPorts);
    }
  }

  const emitted = new Set(model.namespaces.filter((namespace) => namespace.emitNamespace).map((namespace) => namespace.name));
  const all = pods.all();
  const unemitted = [...new Set(all.map((pod) => pod.namespace))].filter((name) => !emitted.has(name)).sort(compareStrings);
  return {
    objects: [...unemitted.map(namespaceObject), ...all.map(podObject)],
    ...cidrExternals(model),
  };
}

/** Container ports of one pod, keyed so that each port appears once. */
class PortList extends Map<string, ContainerPort> {
  addAll(specs: readonly PortSpec[], named: NamedPortNumbers): void {
    for (const spec of specs) {
      switch (spec.kind) {
        case 'number':
          this.put({ port: spec.port, protocol: spec.protocol });
          break;
        case 'range':
          // Both ends stand for the range: a probe of each shows it open from the first port to the last.
          this.put({ port: spec.from, protocol: spec.protocol });
          this.put({ port: spec.to, protocol: spec.protocol });
          break;
        case 'named':
          this.put({ port: named.numberOf(spec.name, spec.protocol), protocol: spec.protocol, name: spec.name });
          break;
        case 'protocol':
        case 'all':
          // Every port: no single port stands for it; probe one with `ports` (`--port`).
          break;
      }
    }
  }

  private put(port: ContainerPort): void {
    this.set(`${port.protocol}/${port.port}/${port.name ?? ''}`, port);
  }
}

/** Numbers for named ports, from 49152 up in name order, skipping numbers the intent uses as numbers. */
class NamedPortNumbers {
  private readonly numbers = new Map<string, number>();

  constructor(model: ResolvedModel) {
    const specs = [...model.flows.flatMap((flow) => flow.ports), ...model.dns.ports];
    const used = new Set(specs.flatMap((spec) => (spec.kind === 'number' ? [spec.port] : spec.kind === 'range' ? [spec.from, spec.to] : [])));
    const names = [...new Set(specs.flatMap((spec) => (spec.kind === 'named' ? [`${spec.name}/${spec.protocol}`] : [])))].sort(compareStrings);
    let next = FIRST_NAMED_PORT;
    for (const name of names) {
      while (used.has(next)) next++;
      this.numbers.set(name, next++);
    }
  }

  numberOf(name: string, protocol: Protocol): number {
    return this.numbers.get(`${name}/${protocol}`)!;
  }
}

class PodSet {
  private readonly pods = new Map<string, RepresentativePod>();
  private readonly bySelector = new Map<string, RepresentativePod>();
  /** The same pods per namespace, so that an endpoint looks only at its own namespace's pods. */
  private readonly byNamespace = new Map<string, RepresentativePod[]>();

  add(
    namespace: string,
    name: string,
    represents: Represents,
    selector: NormalizedSelector | undefined,
    serviceAccount: string | undefined,
    sidecar = false,
  ): void {
    const satisfying = selector ? labelsSatisfying(selector) : {};
    // A selector no set of labels satisfies selects no pod: nothing stands for it.
    if (!satisfying) return;
    // Injected whatever its namespace's labels (https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/),
    // unless the selector itself says otherwise.
    const labels = sidecar && !Object.hasOwn(satisfying, SIDECAR_INJECT_LABEL) && selectsWith(selector, satisfying, SIDECAR_INJECT_LABEL)
      ? sortRecord({ ...satisfying, [SIDECAR_INJECT_LABEL]: 'true' })
      : satisfying;
    const pod: RepresentativePod = {
      namespace,
      name: this.freeName(namespace, name),
      represents,
      selector,
      labels,
      serviceAccount,
      ports: new PortList(),
    };
    this.pods.set(`${namespace}/${pod.name}`, pod);
    const inNamespace = this.byNamespace.get(namespace);
    if (inNamespace) inNamespace.push(pod); else this.byNamespace.set(namespace, [pod]);
    if (selector) this.bySelector.set(selectorId(namespace, selector), pod);
  }

  /** A pod for a peer selector, unless a pod already stands for the same selector in that namespace. */
  addSelector(namespace: string, represents: Represents, selector: NormalizedSelector, serviceAccount?: string, meshed = false): void {
    if (this.bySelector.has(selectorId(namespace, selector))) return;
    this.add(namespace, nameFromSelector(selector), represents, selector, serviceAccount, serviceAccount !== undefined && meshed);
  }

  /** The pods of one namespace, in the order they were added. */
  inNamespace(namespace: string): readonly RepresentativePod[] {
    return this.byNamespace.get(namespace) ?? [];
  }

  /** The representative pods an endpoint of a flow selects. Called per flow, so it looks only at the endpoint's namespace. */
  targets(endpoint: Endpoint): readonly RepresentativePod[] {
    if (endpoint.kind !== 'workload' && endpoint.kind !== 'namespace' && endpoint.kind !== 'pods') return [];
    const pods = this.inNamespace(endpoint.namespace);
    switch (endpoint.kind) {
      case 'workload':
        return pods.filter((pod) => pod.represents === 'workload' && pod.name === endpoint.name);
      case 'namespace':
        return pods;
      case 'pods':
        return pods.filter((pod) => selects(endpoint.selector, pod.labels));
      default:
        // Addresses, names, entities and service-account identities have no representative pod here.
        return [];
    }
  }

  /** Sorted by namespace, then name. */
  all(): RepresentativePod[] {
    return [...this.pods.values()].sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name));
  }

  private freeName(namespace: string, base: string): string {
    let name = base;
    for (let n = 2; this.pods.has(`${namespace}/${name}`); n++) name = `${base.slice(0, 60)}-${n}`;
    return name;
  }
}

function selectorId(namespace: string, selector: NormalizedSelector): string {
  return `${namespace} ${JSON.stringify(selector)}`;
}

/** Values a representative pod takes for a key that must only exist, in order of preference. */
const EXISTS_VALUES = ['representative', 'any', 'x'];

/**
 * The fewest labels that satisfy the selector, or undefined when no labels do. Each key is decided on all
 * its terms at once (a selector may hold several on one key: `labels` and `selector` of Peer.pods both
 * apply): its matchLabels value and the values of every `In` on it bound the values it may take, `NotIn`
 * values are excluded, and a key that must exist for neither stays absent (which satisfies `NotIn` and
 * `DoesNotExist`).
 */
function labelsSatisfying(selector: NormalizedSelector): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  const keys = new Set([...Object.keys(selector.matchLabels), ...selector.matchExpressions.map((requirement) => requirement.key)]);
  for (const key of keys) {
    const requirements = selector.matchExpressions.filter((requirement) => requirement.key === key);
    const excluded = new Set(requirements.flatMap((term) => (term.operator === SelectorOperator.NOT_IN ? term.values ?? [] : [])));
    let allowed: readonly string[] | undefined = Object.hasOwn(selector.matchLabels, key) ? [selector.matchLabels[key]] : undefined;
    for (const requirement of requirements) {
      if (requirement.operator !== SelectorOperator.IN) continue;
      const values = requirement.values ?? [];
      allowed = (allowed ?? values).filter((value) => values.includes(value));
    }
    if (allowed === undefined && !requirements.some((requirement) => requirement.operator === SelectorOperator.EXISTS)) continue;
    const value = (allowed ?? EXISTS_VALUES).find((candidate) => !excluded.has(candidate)) ?? (allowed ? undefined : freeValue(excluded));
    if (value === undefined) return undefined;
    labels[key] = value;
  }
  // A key that must exist and must not (Exists or a value, and DoesNotExist): no labels satisfy the selector.
  return selects(selector, labels) ? sortRecord(labels) : undefined;
}

/** A label value outside `excluded`, for a key that must exist when every preferred value is excluded. */
function freeValue(excluded: ReadonlySet<string>): string {
  let n = 2;
  while (excluded.has(`representative-${n}`)) n++;
  return `representative-${n}`;
}

/** Label selector semantics (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors). */
function selects(selector: NormalizedSelector, labels: Readonly<Record<string, string>>): boolean {
  if (Object.entries(selector.matchLabels).some(([key, value]) => labels[key] !== value)) return false;
  return selector.matchExpressions.every((requirement) => {
    const value = Object.prototype.hasOwnProperty.call(labels, requirement.key) ? labels[requirement.key] : undefined;
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case SelectorOperator.IN:
        return value !== undefined && values.includes(value);
      case SelectorOperator.NOT_IN:
        return value === undefined || !values.includes(value);
      case SelectorOperator.EXISTS:
        return value !== undefined;
      case SelectorOperator.DOES_NOT_EXIST:
        return value === undefined;
    }
  });
}

/** A readable pod name from a selector's values: `{ 'app.kubernetes.io/name': 'ingress-nginx' }` gives `ingress-nginx`. */
function nameFromSelector(selector: NormalizedSelector): string {
  const parts = [
    ...Object.values(selector.matchLabels),
    ...selector.matchExpressions.map((requirement) =>
      requirement.operator === SelectorOperator.IN ? (requirement.values ?? [])[0] ?? '' : requirement.operator === SelectorOperator.EXISTS ? requirement.key.split('/').pop()! : ''),
  ];
  const name = parts.join('-').toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/-{2,}/g, '-').slice(0, 63).replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name === '' ? 'pods' : name;
}

function namespaceObject(name: string): Record<string, JsonValue> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { [NAMESPACE_NAME_LABEL]: name }, annotations: { [REPRESENTS_ANNOTATION]: 'namespace' } },
  };
}

function podObject(pod: RepresentativePod): Record<string, JsonValue> {
  const annotations: Record<string, string> = { [REPRESENTS_ANNOTATION]: pod.represents };
  if (pod.selector) annotations[SELECTOR_ANNOTATION] = JSON.stringify(selectorJson(pod.selector));
  const ports = [...pod.ports.values()]
    .sort((a, b) => a.port - b.port || compareStrings(a.protocol, b.protocol) || compareStrings(a.name ?? '', b.name ?? ''))
    .map((port): Record<string, JsonValue> => ({ ...(port.name ? { name: port.name } : {}), containerPort: port.port, protocol: port.protocol }));
  const container: Record<string, JsonValue> = { name: 'representative' };
  if (ports.length > 0) container.ports = ports;
  const spec: Record<string, JsonValue> = { containers: [container] };
  if (pod.serviceAccount) spec.serviceAccountName = pod.serviceAccount;
  const metadata: Record<string, JsonValue> = { name: pod.name, namespace: pod.namespace };
  if (Object.keys(pod.labels).length > 0) metadata.labels = { ...pod.labels };
  metadata.annotations = annotations;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

function selectorJson(selector: NormalizedSelector): Record<string, JsonValue> {
  const json: Record<string, JsonValue> = {};
  if (Object.keys(selector.matchLabels).length > 0) json.matchLabels = { ...selector.matchLabels };
  if (selector.matchExpressions.length > 0) {
    json.matchExpressions = selector.matchExpressions.map((requirement) => ({
      key: requirement.key,
      operator: requirement.operator,
      ...(requirement.values !== undefined ? { values: [...requirement.values] } : {}),
    }));
  }
  return json;
}

/**
 * One external address per CIDR peer (see representativeAddress), named after the
 * CIDR (`203.0.113.0-24`); probed, as a destination, on the port numbers flows open to it.
 */
function cidrExternals(model: ResolvedModel): Pick<IntentInventory, 'externals' | 'externalPorts'> {
  const byKey = new Map<string, { cidr: string; except: readonly string[]; ports: PortSpec[] }>();
  for (const flow of model.flows) {
    for (const [endpoint, ports] of [[flow.source, []], [flow.destination, flow.ports]] as const) {
      if (endpoint.kind !== 'cidr') continue;
      const key = `${endpoint.cidr} ${endpoint.except.join(',')}`;
      const entry = byKey.get(key) ?? { cidr: endpoint.cidr, except: endpoint.except, ports: [] };
      entry.ports.push(...ports);
      byKey.set(key, entry);
    }
  }
  const externals: Record<string, string> = {};
  const externalPorts: Record<string, ProbePort[]> = {};
  for (const key of [...byKey.keys()].sort(compareStrings)) {
    const { cidr, except, ports } = byKey.get(key)!;
    const address = representativeAddress(parseCidr(cidr)!, except.map((text) => parseCidr(text)!));
    if (address === undefined) continue;
    const base = externalName(cidr);
    let name = base;
    for (let n = 2; Object.hasOwn(externals, name); n++) name = `${base}-${n}`;
    externals[name] = address;
    const numbers = new Map<string, ProbePort>();
    for (const spec of ports) {
      if (spec.kind !== 'number' && spec.kind !== 'range') continue;
      for (const port of spec.kind === 'number' ? [spec.port] : [spec.from, spec.to]) {
        numbers.set(`${port}/${spec.protocol}`, { port, protocol: spec.protocol });
      }
    }
    if (numbers.size > 0) externalPorts[name] = [...numbers.values()].sort((a, b) => a.port - b.port || compareStrings(a.protocol, b.protocol));
  }
  return { externals: sortRecord(externals), externalPorts };
}

/**
 * The name of the external standing for a CIDR: its text with `:` and `/` as `-`. A CIDR written from
 * `::` (`::/0`, `::ffff:cb00:7100/120`) gets the equivalent leading `0` group (`0::/0` gives `0---0`):
 * a name must start with a letter or digit to be read back from the inventory file (EXTERNAL_NAME).
 */
export function externalName(cidr: string): string {
  return (cidr.startsWith('::') ? `0${cidr}` : cidr).replace(/[/:]/g, '-');
}

/* eslint-disable no-bitwise -- block sizes are powers of two of bigints */
/** `::ffff:0:0/96`, the IPv4-mapped IPv6 addresses (RFC 4291 section 2.5.5.2). */
const IPV4_MAPPED: ParsedCidr = mappedIpv6({ family: 4, address: 0n, prefix: 0 });

/**
 * The first address of the block after its network address that no `except` holds, or else the network
 * address itself when no `except` holds it (for /31, /32, /127 and /128, the network address first).
 * An IPv6 block that is not IPv4-mapped skips `::ffff:0:0/96`: the analyzer, like the CNIs built on Go's
 * net package, reads those addresses as IPv4 ones, which a 16-byte block never holds
 * (https://pkg.go.dev/net#IPNet.Contains).
 */
function representativeAddress(cidr: ParsedCidr, except: readonly ParsedCidr[]): string | undefined {
  const width = cidr.family === 4 ? 32 : 128;
  const holes = cidr.family === 6 && ipv4Mapped(cidr) === undefined ? [...except, IPV4_MAPPED] : except;
  const size = 1n << BigInt(width - cidr.prefix);
  const last = cidr.address + size - 1n;
  const firstFree = (from: bigint): bigint | undefined => {
    let candidate = from;
    for (;;) {
      if (candidate > last) return undefined;
      const holding = holes.find((block) => contains(block, candidate, width));
      if (!holding) return candidate;
      candidate = holding.address + (1n << BigInt(width - holding.prefix));
    }
  };
  const address = (size > 2n ? firstFree(cidr.address + 1n) : undefined) ?? firstFree(cidr.address);
  return address === undefined ? undefined : formatCidr({ family: cidr.family, address, prefix: width }).split('/')[0];
}

function contains(block: ParsedCidr, address: bigint, width: number): boolean {
  const size = 1n << BigInt(width - block.prefix);
  return address >= block.address && address < block.address + size;
}

function sortRecord(record: Record<string, string>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(record).sort(compareStrings)) sorted[key] = record[key];
  return sorted;
}
/* eslint-enable no-bitwise */
