/**
 * Random platforms as plain, printable data ("declarations"), the cdk8s program built from them, an
 * inventory of pods and external addresses built from the same declarations (never from src/model),
 * and an oracle that says, from the declarations alone, why a connection may be allowed.
 *
 * Used by never-wider.test.ts: the analyzer (which reads manifests only) computes what the emitted
 * policies allow, and every allowed connection must be explained by the declarations, and every
 * declared connection must be allowed. With `{ cilium: true }` the platforms also use what only some
 * backends express (DNS names, L7 HTTP rules, entities, platform denies and restrictions), and the
 * oracle answers for the output of one backend (`OracleView`): what the Kubernetes target keeps once it
 * omits those features, or everything, with Cilium's semantics (used by cross-backend-property.test.ts).
 */
import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  Backend,
  ExternalNamespace,
  Feature,
  HttpMethod,
  IPeer,
  LabelRequirement,
  Peer,
  Port,
  Protocol,
  SelectorOperator,
  TenantBoundary,
  Workload,
  ZeroTrustNamespace,
  ZeroTrustPlatform,
  ZeroTrustPlatformProps,
} from '../../../src';

// ---------------------------------------------------------------------------------------------------
// Declarations: plain data, so that fast-check prints (and shrinks) a readable counterexample.

export type ProtocolName = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly ProtocolName[] = ['TCP', 'UDP', 'SCTP'];

/** Methods of the generated HTTP rules. */
export type HttpMethodName = 'GET' | 'HEAD' | 'POST' | 'DELETE';

/** One L7 HTTP rule of a port: `methods` ORed (any when absent), `path` a full-match regular expression (any when absent). */
export interface HttpRuleDecl {
  readonly methods?: readonly HttpMethodName[];
  readonly path?: string;
}

/** A port of a flow, as declared. Only a TCP number may carry HTTP rules (`Port.tcp(n).http(...)`). */
export type PortDecl =
  | { readonly kind: 'number'; readonly protocol: ProtocolName; readonly port: number; readonly http?: readonly HttpRuleDecl[] }
  | { readonly kind: 'range'; readonly protocol: ProtocolName; readonly from: number; readonly to: number }
  | { readonly kind: 'named'; readonly protocol: ProtocolName; readonly name: string }
  | { readonly kind: 'protocol'; readonly protocol: ProtocolName }
  | { readonly kind: 'all' };

export interface SelectorDecl {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelRequirement[];
}

export interface WorkloadDecl {
  /** Workload (and construct) name; unique in its namespace. */
  readonly name: string;
  /** matchLabels: always `app: <name>` (so that selectors of one namespace are disjoint), plus extra labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** When present, the workload is declared with `selector` instead of `labels`. */
  readonly expressions?: readonly LabelRequirement[];
  /** Names (of `namedPorts`) its pod declares on its containers. */
  readonly portNames: readonly string[];
}

export interface NamespaceDecl {
  readonly name: string;
  readonly allowDns: boolean;
  readonly allowSameNamespace: boolean;
  readonly createNamespace: boolean;
  readonly workloads: readonly WorkloadDecl[];
}

export interface TenantDecl {
  readonly name: string;
  readonly allowIntraTenant: boolean;
  readonly namespaces: readonly string[];
  /** `allowCrossTenant({ to })` for each of these tenants. */
  readonly crossTenantTo: readonly string[];
}

export interface ExternalNamespaceDecl {
  readonly name: string;
  /** Labels of pods to put in the inventory (the inventory adds pods for the selectors of flows). */
  readonly pods: readonly Readonly<Record<string, string>>[];
}

/** The far end of a flow. `kube-system` is reachable without an ExternalNamespace (it holds the DNS). */
export type PeerDecl =
  | { readonly kind: 'workload'; readonly namespace: string; readonly workload: string }
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'tenant'; readonly tenant: string }
  /** Every pod of an unmanaged namespace: the ExternalNamespace construct, or `Peer.namespace(name)`. */
  | { readonly kind: 'externalNamespace'; readonly namespace: string; readonly via: 'construct' | 'Peer.namespace' }
  /** `external.pods({ labels, selector })`, or `Peer.pods({ namespace: 'kube-system', ... })`. */
  | { readonly kind: 'externalPods'; readonly namespace: string; readonly labels?: Readonly<Record<string, string>>; readonly selector?: SelectorDecl }
  | { readonly kind: 'cidr'; readonly cidr: string; readonly except: readonly string[] }
  /** `Peer.fqdn(value)`, or `Peer.fqdnPattern(value)` when `pattern`: a destination only. */
  | { readonly kind: 'fqdn'; readonly value: string; readonly pattern: boolean }
  /** `Peer.world()`, `Peer.cluster()`, `Peer.localNode()`, `Peer.remoteNodes()`, `Peer.kubeApiserver({ addresses: API_SERVER_ADDRESSES })` (or without addresses). */
  | { readonly kind: 'entity'; readonly entity: EntityName; readonly addresses?: boolean };

/** The entities of `Peer`. */
export type EntityName = 'kube-apiserver' | 'world' | 'cluster' | 'local-node' | 'remote-nodes';

/**
 * The API server's endpoint addresses: what every `Peer.kubeApiserver({ addresses })` of the generated
 * platforms gives, and what the inventories declare as the endpoints of Service `default/kubernetes`.
 * Outside POD_NETWORKS (the platform refuses addresses inside its cluster networks).
 */
export const API_SERVER_ADDRESSES: readonly string[] = ['172.18.0.2/32', '2001:db8:ffff::2/128'];

/** The pods a platform rule applies to (`of`, or `clusterWide`). */
export type RuleScopeDecl =
  /** Every pod of the managed namespaces (no `of`). */
  | { readonly kind: 'managed' }
  /** `clusterWide: true`: every pod of the cluster. */
  | { readonly kind: 'cluster' }
  | { readonly kind: 'namespace'; readonly namespace: string }
  | { readonly kind: 'tenant'; readonly tenant: string }
  /** `namespace/workload`. */
  | { readonly kind: 'workload'; readonly workload: string };

/** `platform.denyEgress` / `denyIngress` (with `peer`), or `restrictIngress` (with `onlyFrom`). */
export interface DenyDecl {
  /** The rule's id (its policy's name). */
  readonly name: string;
  readonly method: 'denyEgress' | 'denyIngress' | 'restrictIngress';
  readonly peer?: PeerDecl;
  /** Managed namespaces, unmanaged ones (`Peer.namespace`) and tenants that may still reach the ports. */
  readonly onlyFrom?: readonly ({ readonly kind: 'namespace'; readonly namespace: string } | { readonly kind: 'tenant'; readonly tenant: string })[];
  /** Empty: every port (`ports` not given). */
  readonly ports: readonly PortDecl[];
  readonly scope: RuleScopeDecl;
}

export interface FlowDecl {
  /** `namespace/workload` of the workload on which allowTo/allowFrom is called. */
  readonly workload: string;
  readonly method: 'allowTo' | 'allowFrom';
  readonly peer: PeerDecl;
  readonly ports: readonly PortDecl[];
  readonly acrossTenants: boolean;
}

export interface Declarations {
  readonly namespaces: readonly NamespaceDecl[];
  readonly tenants: readonly TenantDecl[];
  readonly externalNamespaces: readonly ExternalNamespaceDecl[];
  /** Container port names used by pods and by `Port.named(...)` flows: name → number and protocol on the pods. */
  readonly namedPorts: Readonly<Record<string, { readonly port: number; readonly protocol: ProtocolName }>>;
  readonly flows: readonly FlowDecl[];
  /** The platform option `clusterNetworks`: carved out of every CIDR peer. Empty or POD_NETWORKS. */
  readonly clusterNetworks: readonly string[];
  /** The platform option `dns`; absent: the defaults (DEFAULT_DNS). */
  readonly dns?: DnsDecl;
  /** Platform denies and restrictions (only with `{ cilium: true }`); absent: none. */
  readonly denies?: readonly DenyDecl[];
}

export interface DnsDecl {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly PortDecl[];
}

/** Where the inventory puts pod addresses. */
export const POD_NETWORKS: readonly string[] = ['10.0.0.0/8', 'fd00::/8'];

/** What the platform assumes without a `dns` option (README: kube-dns pods in kube-system, UDP and TCP 53). */
export const DEFAULT_DNS: DnsDecl = {
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns' },
  ports: [{ kind: 'number', protocol: 'UDP', port: 53 }, { kind: 'number', protocol: 'TCP', port: 53 }],
};

export function dnsOf(declarations: Declarations): DnsDecl {
  return declarations.dns ?? DEFAULT_DNS;
}
export const UNRELATED_NAMESPACE = 'unrelated';
const BYSTANDER = 'bystander';

// ---------------------------------------------------------------------------------------------------
// IP addresses and CIDRs as bigints (arithmetic only: the lint config forbids bitwise operators).

export interface Address {
  readonly family: 4 | 6;
  readonly value: bigint;
}

export interface Network {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly prefix: number;
}

const width = (family: 4 | 6): number => (family === 4 ? 32 : 128);
const blockSize = (network: Network): bigint => 2n ** BigInt(width(network.family) - network.prefix);

export function lastAddress(network: Network): bigint {
  return network.first + blockSize(network) - 1n;
}

/** The network of `prefix` bits that contains `value`. */
export function networkOf(family: 4 | 6, value: bigint, prefix: number): Network {
  const size = 2n ** BigInt(width(family) - prefix);
  return { family, first: value - (value % size), prefix };
}

export function formatAddress(address: Address): string {
  const groups: string[] = [];
  if (address.family === 4) {
    for (let i = 3; i >= 0; i--) groups.push(String((address.value / 256n ** BigInt(i)) % 256n));
    return groups.join('.');
  }
  // Eight uncompressed groups: valid for every parser involved, and unambiguous in messages.
  for (let i = 7; i >= 0; i--) groups.push(((address.value / 65536n ** BigInt(i)) % 65536n).toString(16));
  return groups.join(':');
}

export function formatNetwork(network: Network): string {
  return `${formatAddress({ family: network.family, value: network.first })}/${network.prefix}`;
}

/** `::ffff:0:0`, the first IPv4-mapped IPv6 address (RFC 4291 section 2.5.5.2: `::ffff:0:0/96` maps IPv4). */
const MAPPED_FIRST = 0xffffn * 2n ** 32n;
const IPV4_SPACE = 2n ** 32n;

/**
 * An address as the CNIs that enforce ipBlock see it: they are written in Go, whose net package reads an
 * IPv4-mapped IPv6 address as the IPv4 address it maps (https://pkg.go.dev/net#IP.To4), and whose
 * `IPNet.Contains` compares the 4-byte forms (https://pkg.go.dev/net#IPNet.Contains).
 */
export function goAddress(family: 4 | 6, value: bigint): Address {
  return family === 6 && value >= MAPPED_FIRST && value < MAPPED_FIRST + IPV4_SPACE ? { family: 4, value: value - MAPPED_FIRST } : { family, value };
}

/**
 * A network as those CNIs see it: one inside `::ffff:0:0/96` is the IPv4 network it maps (its prefix less
 * 96); a shorter IPv6 prefix keeps its 16-byte form, which holds no IPv4(-mapped) address
 * (https://pkg.go.dev/net#IPNet.Contains: the lengths differ).
 */
function goNetwork(network: Network): Network {
  if (network.family === 6 && network.prefix >= 96) {
    const address = goAddress(6, network.first);
    if (address.family === 4) return { family: 4, first: address.value, prefix: network.prefix - 96 };
  }
  return network;
}

/** An IPv4 network in its IPv4-mapped IPv6 form, as the model accepts it (hex groups): 203.0.113.0/24 is `::ffff:cb00:7100/120`. */
export function formatMappedNetwork(network: Network): string {
  if (network.family !== 4) throw new Error(`test bug: ${formatNetwork(network)} is not IPv4`);
  return `::ffff:${(network.first / 65536n).toString(16)}:${(network.first % 65536n).toString(16)}/${network.prefix + 96}`;
}

/** 16-bit groups of one side of `::`; a last group may be a dotted quad (`::ffff:10.0.0.0`). */
function hexGroups(text: string | undefined): bigint[] {
  if (text === undefined || text === '') return [];
  return text.split(':').flatMap((group) => {
    if (!group.includes('.')) return [BigInt(parseInt(group, 16))];
    const v4 = group.split('.').reduce((acc, o) => acc * 256n + BigInt(Number(o)), 0n);
    return [v4 / 65536n, v4 % 65536n];
  });
}

/**
 * Parses what formatNetwork and formatMappedNetwork (and the fixed CIDRs below) write, and what the model
 * writes (RFC 5952 IPv6), as the CNIs read it: see `goNetwork`.
 */
export function parseNetwork(text: string): Network {
  const [ip, prefix] = text.split('/');
  if (ip.includes(':')) {
    const halves = ip.split('::');
    const head = hexGroups(halves[0]);
    const tail = hexGroups(halves[1]);
    const groups = halves.length === 1 ? head : [...head, ...Array<bigint>(8 - head.length - tail.length).fill(0n), ...tail];
    return goNetwork({ family: 6, first: groups.reduce((acc, g) => acc * 65536n + g, 0n), prefix: Number(prefix) });
  }
  return { family: 4, first: ip.split('.').reduce((acc, o) => acc * 256n + BigInt(Number(o)), 0n), prefix: Number(prefix) };
}

/** An address written as text (IPv4, IPv6, IPv4-mapped IPv6), as the CNIs read it: see `goAddress`. */
export function parseAddress(text: string): Address {
  const network = parseNetwork(`${text}/${text.includes(':') ? 128 : 32}`);
  return { family: network.family, value: network.first };
}

export function networkContains(network: Network, address: Address): boolean {
  return network.family === address.family && address.value >= network.first && address.value <= lastAddress(network);
}

// ---------------------------------------------------------------------------------------------------
// Label selectors, evaluated here (independently of src/model and src/analysis).

export function selectorMatches(selector: SelectorDecl, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case SelectorOperator.IN:
        if (!has || !(e.values ?? []).includes(labels[e.key])) return false;
        break;
      case SelectorOperator.NOT_IN:
        if (has && (e.values ?? []).includes(labels[e.key])) return false;
        break;
      case SelectorOperator.EXISTS:
        if (!has) return false;
        break;
      case SelectorOperator.DOES_NOT_EXIST:
        if (has) return false;
        break;
      default:
        throw new Error(`unknown operator ${String(e.operator)}`);
    }
  }
  return true;
}

/** Labels that satisfy every selector given, or undefined when they contradict each other. */
export function labelsSatisfying(...selectors: readonly SelectorDecl[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const selector of selectors) {
    for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
      if (key in labels && labels[key] !== value) return undefined;
      labels[key] = value;
    }
  }
  for (const selector of selectors) {
    for (const e of selector.matchExpressions ?? []) {
      if (e.key in labels) continue;
      if (e.operator === SelectorOperator.IN) labels[e.key] = e.values![0];
      if (e.operator === SelectorOperator.EXISTS) labels[e.key] = 'present';
    }
  }
  return selectors.every((s) => selectorMatches(s, labels)) ? labels : undefined;
}

/** The selector of an `externalPods` peer: `labels` AND `selector`. */
export function externalPodsSelectors(peer: Extract<PeerDecl, { kind: 'externalPods' }>): SelectorDecl[] {
  return [...(peer.labels ? [{ matchLabels: peer.labels }] : []), ...(peer.selector ? [peer.selector] : [])];
}

export function workloadSelector(workload: WorkloadDecl): SelectorDecl {
  return { matchLabels: workload.labels, matchExpressions: workload.expressions ?? [] };
}

// ---------------------------------------------------------------------------------------------------
// Arbitraries. Raw values use indices; `normalize` turns them into names and drops what would be
// invalid (cross-tenant flows not marked, tenants without namespaces), so that the printed
// declarations are exactly what is built.

const NAMED_PORTS: readonly { name: string; protocol: ProtocolName }[] = [
  { name: 'http', protocol: 'TCP' },
  { name: 'metrics', protocol: 'TCP' },
  { name: 'grpc-web', protocol: 'TCP' },
  { name: 'dns', protocol: 'UDP' },
  { name: 'assoc', protocol: 'SCTP' },
];

/** A small pool (so that flows share ports and merge) with both ends of the range, and some random numbers. */
const PORT_POOL = [1, 53, 80, 443, 5432, 8080, 9090, 65535];
const portNumberArb = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PORT_POOL) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 65535 }) });
const protocolArb = fc.constantFrom<ProtocolName>(...PROTOCOLS);

export const portDeclArb: fc.Arbitrary<PortDecl> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('number' as const), protocol: protocolArb, port: portNumberArb }) },
  {
    weight: 2,
    arbitrary: fc.tuple(protocolArb, portNumberArb, portNumberArb).map(([protocol, a, b]): PortDecl => ({ kind: 'range', protocol, from: Math.min(a, b), to: Math.max(a, b) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...NAMED_PORTS), fc.option(protocolArb, { nil: undefined, freq: 4 }))
      .map(([named, protocol]): PortDecl => ({ kind: 'named', name: named.name, protocol: protocol ?? named.protocol })),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('protocol' as const), protocol: protocolArb }) },
  { weight: 1, arbitrary: fc.constant<PortDecl>({ kind: 'all' }) },
);

const expressionArb = (keys: readonly string[]): fc.Arbitrary<LabelRequirement> =>
  fc.oneof(
    fc.record({
      key: fc.constantFrom(...keys),
      operator: fc.constantFrom(SelectorOperator.IN, SelectorOperator.NOT_IN),
      values: fc.uniqueArray(fc.constantFrom('prod', 'dev', 'canary'), { minLength: 1, maxLength: 2 }),
    }),
    fc.record({ key: fc.constantFrom(...keys), operator: fc.constantFrom(SelectorOperator.EXISTS, SelectorOperator.DOES_NOT_EXIST) }),
  );

const expressionsArb = fc.uniqueArray(expressionArb(['env', 'track']), { maxLength: 2, selector: (e) => e.key });

/** Labels of external pods and of the selectors that pick them: one vocabulary, so that some match. */
const externalLabelsArb = (minKeys: number) =>
  fc.dictionary(fc.constantFrom('app', 'tier', 'env'), fc.constantFrom('a', 'b', 'web', 'prod', ''), { minKeys, maxKeys: 2 });

interface RawWorkload {
  readonly extraLabels: Record<string, string>;
  readonly expressions: LabelRequirement[];
  readonly portNames: string[];
}

interface RawNamespace {
  readonly allowDns: boolean;
  readonly allowSameNamespace: boolean;
  readonly createNamespace: boolean;
  readonly tenant?: number;
  readonly workloads: RawWorkload[];
}

type RawPeer =
  | { readonly kind: 'workload' | 'namespace' | 'tenant'; readonly index: number }
  | { readonly kind: 'externalNamespace'; readonly index: number; readonly viaPeer: boolean }
  | { readonly kind: 'externalPods'; readonly index: number; readonly labels?: Record<string, string>; readonly selector?: SelectorDecl }
  | { readonly kind: 'cidr'; readonly cidr: string; readonly except: string[] }
  | { readonly kind: 'anywhere'; readonly family: 4 | 6 | 'mapped'; readonly exceptPods: boolean }
  | { readonly kind: 'fqdn'; readonly index: number }
  | { readonly kind: 'entity'; readonly entity: EntityName; readonly addresses: boolean };

interface RawFlow {
  readonly workload: number;
  readonly method: 'allowTo' | 'allowFrom';
  readonly peer: RawPeer;
  readonly ports: PortDecl[];
  readonly acrossTenants: boolean;
}

interface RawDeny {
  readonly method: DenyDecl['method'];
  readonly peer: RawPeer;
  readonly onlyFrom: { readonly kind: 'namespace' | 'tenant'; readonly index: number }[];
  readonly ports: PortDecl[];
  readonly scope: { readonly kind: RuleScopeDecl['kind']; readonly index: number };
}

interface RawProgram {
  readonly denies?: RawDeny[];
  readonly namespaces: RawNamespace[];
  readonly tenants: { allowIntraTenant: boolean; crossToOther: boolean }[];
  readonly externalNamespaces: Record<string, string>[][];
  readonly namedPortNumbers: number[];
  readonly flows: RawFlow[];
  readonly clusterNetworks: boolean;
  readonly dns?: DnsDecl;
}

const rawWorkloadArb: fc.Arbitrary<RawWorkload> = fc.record({
  extraLabels: fc.dictionary(fc.constantFrom('tier', 'example.com/role'), fc.constantFrom('web', 'db', 'x.y_z', ''), { maxKeys: 2 }),
  expressions: expressionsArb,
  portNames: fc.subarray(NAMED_PORTS.map((p) => p.name)),
});

const rawNamespaceArb: fc.Arbitrary<RawNamespace> = fc.record(
  {
    allowDns: fc.boolean(),
    allowSameNamespace: fc.boolean(),
    createNamespace: fc.boolean(),
    tenant: fc.option(fc.nat(3), { nil: undefined }),
    workloads: fc.array(rawWorkloadArb, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: ['allowDns', 'allowSameNamespace', 'createNamespace', 'workloads'] },
);

/** Documentation ranges (RFC 5737, RFC 3849), far from the pod addresses (10.0.0.0/8, fd00::/8). */
const V4_BASES: readonly Network[] = ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24'].map(parseNetwork);
const V6_BASES: readonly Network[] = ['2001:db8::/32'].map(parseNetwork);

/** A network inside one of `bases` with up to two excepts inside it, each written with `write`. */
const cidrInArb = (bases: readonly Network[], write: (network: Network) => string): fc.Arbitrary<RawPeer> => fc
  .tuple(
    fc.nat(bases.length - 1),
    fc.nat(96),
    fc.bigInt(0n, 2n ** 96n),
    fc.array(fc.tuple(fc.bigInt(0n, 2n ** 96n), fc.nat(96)), { maxLength: 2 }),
  )
  .map(([baseIndex, extra, host, rawExcepts]) => {
    const base = bases[baseIndex];
    const w = width(base.family);
    // Mostly short extensions of the base (a few addresses to a whole /24), sometimes a single address.
    const prefix = base.prefix + (extra % (w - base.prefix + 1));
    const outer = networkOf(base.family, base.first + (host % blockSize(base)), prefix);
    const except = prefix === w ? [] : rawExcepts.map(([bits, more]) => {
      const innerPrefix = prefix + 1 + (more % (w - prefix));
      return write(networkOf(base.family, outer.first + (bits % blockSize(outer)), innerPrefix));
    });
    return { kind: 'cidr' as const, cidr: write(outer), except };
  });

const documentationCidrArb = cidrInArb([...V4_BASES, ...V6_BASES], formatNetwork);

/** The IPv4 documentation ranges in their IPv4-mapped IPv6 form (`::ffff:cb00:7100/120` is 203.0.113.0/24), excepts too. */
const mappedCidrArb = cidrInArb(V4_BASES, formatMappedNetwork);

/**
 * IPv6 networks that hold ::ffff:0:0/96 without being inside it: 16-byte networks, which hold no
 * IPv4(-mapped) address for a Go CNI (see `goNetwork`). With the except, only the mapped half is left.
 */
const aroundMappedArb: fc.Arbitrary<RawPeer> = fc.constantFrom<RawPeer>(
  { kind: 'cidr', cidr: '::fffe:0:0/95', except: [] },
  { kind: 'cidr', cidr: '::fffe:0:0/95', except: ['::fffe:0:0/96'] },
);

/**
 * Networks inside the pod networks (POD_NETWORKS), the mapped form included: the platform refuses them
 * with clusterNetworks (they address pods by IP). Only for inventories whose pods have no address.
 */
const podNetworkCidrArb: fc.Arbitrary<RawPeer> = fc.constantFrom<RawPeer>(
  { kind: 'cidr', cidr: '10.1.0.0/16', except: [] },
  { kind: 'cidr', cidr: '::ffff:a00:0/104', except: ['::ffff:a00:0/112'] },
  { kind: 'cidr', cidr: 'fd00:1::/32', except: [] },
);

/**
 * Every address of a family (Peer.anyIpv4() or anyIpv6(), or `::ffff:0:0/96`, every IPv4 address in
 * the mapped form). Pods must not be reached by their addresses: the user excepts the pod network
 * (`::ffff:a00:0/104` in the mapped form), or the platform has clusterNetworks (or both).
 */
const anywhereArb: fc.Arbitrary<RawPeer> = fc.record({ kind: fc.constant('anywhere' as const), family: fc.constantFrom<4 | 6 | 'mapped'>(4, 6, 'mapped'), exceptPods: fc.boolean() });

/** What a generator makes besides valid platforms whose CIDR peers stay clear of pod addresses. */
export interface DeclarationsOptions {
  /**
   * Also CIDR peers inside the pod networks, which the platform refuses when it has clusterNetworks:
   * for checks whose pods have no address (the representative inventory), and that discard refused platforms.
   */
  readonly podNetworkCidrs?: boolean;
  /**
   * Also what only the Cilium backend expresses: DNS names as destinations, L7 HTTP rules on TCP ports,
   * entities (the API server with and without its addresses, the world, the cluster, the nodes), and
   * platform denies and restrictions. Without it, the generated platforms are exactly those of before.
   */
  readonly cilium?: boolean;
}

/** DNS names and patterns of `Peer.fqdn` / `Peer.fqdnPattern`: some overlap (`api.example.com` is in `*.example.com`). */
export const FQDN_PEERS: readonly { readonly value: string; readonly pattern: boolean }[] = [
  { value: 'api.example.com', pattern: false },
  { value: 'db.example.net', pattern: false },
  { value: '*.example.com', pattern: true },
];

/** HTTP rule sets of the generated ports; the first is the example (`GET /api/.*`). */
export const HTTP_RULE_SETS: readonly (readonly HttpRuleDecl[])[] = [
  [{ methods: ['GET'], path: '/api/.*' }],
  [{ methods: ['GET', 'HEAD'], path: '/api/.*' }, { methods: ['POST'], path: '/jobs' }],
  [{ path: '/public/.*' }],
  [{ methods: ['DELETE'] }],
];

const ENTITY_NAMES: readonly EntityName[] = ['kube-apiserver', 'world', 'cluster', 'local-node', 'remote-nodes'];

const entityArb: fc.Arbitrary<RawPeer> = fc.record({ kind: fc.constant('entity' as const), entity: fc.constantFrom(...ENTITY_NAMES), addresses: fc.boolean() });

/** A TCP port number with HTTP rules (`Port.tcp(n).http(...)`). */
const httpPortArb: fc.Arbitrary<PortDecl> = fc.record({
  kind: fc.constant('number' as const),
  protocol: fc.constant<ProtocolName>('TCP'),
  port: fc.constantFrom(80, 443, 8080),
  http: fc.constantFrom(...HTTP_RULE_SETS),
});

const flowPortArb = (options: DeclarationsOptions): fc.Arbitrary<PortDecl> =>
  (options.cilium ? fc.oneof({ weight: 4, arbitrary: portDeclArb }, { weight: 1, arbitrary: httpPortArb }) : portDeclArb);

/** Ports of a deny: one or two numbers (TCP or UDP, so that most flows keep some ports), or every port (`[]`). */
const denyPortsArb: fc.Arbitrary<PortDecl[]> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.record({ kind: fc.constant('number' as const), protocol: fc.constantFrom<ProtocolName>('TCP', 'UDP'), port: portNumberArb }), { minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.constant<PortDecl[]>([]) },
);

/** The far end of a deny: addresses, entities, and pods of managed or unmanaged namespaces. */
const rawDenyPeerArb: fc.Arbitrary<RawPeer> = fc.oneof(
  { weight: 3, arbitrary: documentationCidrArb },
  { weight: 1, arbitrary: anywhereArb },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('entity' as const), entity: fc.constantFrom<EntityName>('kube-apiserver', 'world', 'local-node', 'remote-nodes'), addresses: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('workload' as const, 'namespace' as const, 'tenant' as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('externalNamespace' as const), index: fc.nat(), viaPeer: fc.boolean() }) },
);

const rawDenyArb: fc.Arbitrary<RawDeny> = fc.record({
  method: fc.constantFrom<DenyDecl['method']>('denyEgress', 'denyIngress', 'restrictIngress'),
  peer: rawDenyPeerArb,
  onlyFrom: fc.array(fc.record({ kind: fc.constantFrom('namespace' as const, 'tenant' as const), index: fc.nat() }), { minLength: 1, maxLength: 2 }),
  ports: denyPortsArb,
  scope: fc.record({
    kind: fc.oneof(
      { weight: 3, arbitrary: fc.constant<RuleScopeDecl['kind']>('managed') },
      { weight: 1, arbitrary: fc.constantFrom<RuleScopeDecl['kind']>('cluster', 'namespace', 'tenant', 'workload') },
    ),
    index: fc.nat(),
  }),
});

const rawPeerArb = (options: DeclarationsOptions): fc.Arbitrary<RawPeer> => fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('workload' as const), index: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('namespace' as const), index: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tenant' as const), index: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('externalNamespace' as const), index: fc.nat(), viaPeer: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        kind: fc.constant('externalPods' as const),
        index: fc.nat(),
        labels: externalLabelsArb(1),
        selector: fc.record({ matchLabels: externalLabelsArb(0), matchExpressions: expressionsArb }),
      },
      { requiredKeys: ['kind', 'index'] },
    ),
  },
  { weight: 3, arbitrary: documentationCidrArb },
  { weight: 1, arbitrary: mappedCidrArb },
  { weight: 2, arbitrary: anywhereArb },
  { weight: 1, arbitrary: options.podNetworkCidrs ? fc.oneof(aroundMappedArb, podNetworkCidrArb) : aroundMappedArb },
  ...(options.cilium
    ? [
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('fqdn' as const), index: fc.nat() }) as fc.Arbitrary<RawPeer> },
      { weight: 10, arbitrary: entityArb },
    ]
    : []),
);

const rawFlowArb = (options: DeclarationsOptions): fc.Arbitrary<RawFlow> => fc.record({
  workload: fc.nat(),
  method: fc.constantFrom('allowTo' as const, 'allowFrom' as const),
  peer: rawPeerArb(options),
  ports: fc.array(flowPortArb(options), { minLength: 1, maxLength: 3 }),
  acrossTenants: fc.boolean(),
});

/**
 * A `dns` option: elsewhere, other labels, other ports. Only exact UDP/TCP ports: the platform
 * rejects named, range and protocol-wide DNS ports (they could open more than DNS to the DNS pods).
 */
const dnsArb: fc.Arbitrary<DnsDecl> = fc.record({
  namespace: fc.constantFrom('kube-system', 'dns-system'),
  labels: fc.constantFrom<Record<string, string>>({ 'k8s-app': 'kube-dns' }, { 'app.kubernetes.io/name': 'coredns', 'tier': 'dns' }),
  ports: fc.constantFrom<PortDecl[]>(
    [{ kind: 'number', protocol: 'UDP', port: 53 }],
    [{ kind: 'number', protocol: 'UDP', port: 53 }, { kind: 'number', protocol: 'TCP', port: 53 }, { kind: 'number', protocol: 'TCP', port: 853 }],
    [{ kind: 'number', protocol: 'UDP', port: 5353 }, { kind: 'number', protocol: 'TCP', port: 5353 }],
  ),
});

const rawProgramArb = (options: DeclarationsOptions): fc.Arbitrary<RawProgram> => {
  const program = rawBaseProgramArb(options);
  if (!options.cilium) return program;
  return fc.tuple(program, fc.array(rawDenyArb, { maxLength: 2 })).map(([base, denies]) => ({ ...base, denies }));
};

const rawBaseProgramArb = (options: DeclarationsOptions): fc.Arbitrary<RawProgram> => fc.record({
  namespaces: fc.array(rawNamespaceArb, { minLength: 1, maxLength: 4 }),
  // 0, 1 or 2 tenants, two most often (cross-tenant flows need two).
  tenants: fc
    .integer({ min: 0, max: 5 })
    .map((n) => Math.ceil(n / 2))
    .chain((n) => fc.array(fc.record({ allowIntraTenant: fc.boolean(), crossToOther: fc.boolean() }), { minLength: n, maxLength: n })),
  externalNamespaces: fc.array(fc.array(externalLabelsArb(0), { minLength: 1, maxLength: 3 }), { maxLength: 2 }),
  namedPortNumbers: fc.uniqueArray(portNumberArb, { minLength: NAMED_PORTS.length, maxLength: NAMED_PORTS.length }),
  flows: fc.array(rawFlowArb(options), { maxLength: 8 }),
  clusterNetworks: fc.boolean(),
  dns: fc.option(dnsArb, { nil: undefined, freq: 2 }),
}, { requiredKeys: ['namespaces', 'tenants', 'externalNamespaces', 'namedPortNumbers', 'flows', 'clusterNetworks'] });

/** Random platforms; see DeclarationsOptions for what else they may hold. */
export function declarationsArbWith(options: DeclarationsOptions): fc.Arbitrary<Declarations> {
  return rawProgramArb(options).map(normalize);
}

/** Random valid platforms whose CIDR peers never address pods (with clusterNetworks, or excepting POD_NETWORKS). */
export const declarationsArb: fc.Arbitrary<Declarations> = declarationsArbWith({});

function isEmptySelector(selector: SelectorDecl | undefined): boolean {
  return selector === undefined || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

function normalize(raw: RawProgram): Declarations {
  const namespaces: NamespaceDecl[] = raw.namespaces.map((ns, i) => ({
    name: `ns-${i}`,
    allowDns: ns.allowDns,
    allowSameNamespace: ns.allowSameNamespace,
    createNamespace: ns.createNamespace,
    workloads: ns.workloads.map((w, j) => ({
      name: `w${j}`,
      labels: { ...w.extraLabels, app: `w${j}` },
      ...(w.expressions.length > 0 ? { expressions: w.expressions } : {}),
      portNames: w.portNames,
    })),
  }));

  const ownerIndex = (i: number) => (raw.namespaces[i].tenant === undefined ? undefined : raw.namespaces[i].tenant! % raw.tenants.length);
  const owned = raw.tenants.map((_, k) => namespaces.filter((_n, i) => ownerIndex(i) === k).map((n) => n.name));
  const kept = raw.tenants.map((t, k) => ({ ...t, name: `t-${k}`, namespaces: owned[k] })).filter((t) => t.namespaces.length > 0);
  const tenants: TenantDecl[] = kept.map((t) => ({
    name: t.name,
    allowIntraTenant: t.allowIntraTenant,
    namespaces: t.namespaces,
    crossTenantTo: t.crossToOther ? kept.filter((o) => o.name !== t.name).map((o) => o.name) : [],
  }));
  const tenantOf = new Map(tenants.flatMap((t) => t.namespaces.map((n): [string, TenantDecl] => [n, t])));

  const externalNamespaces: ExternalNamespaceDecl[] = raw.externalNamespaces.map((pods, i) => ({ name: `ext-${i}`, pods }));
  const dns = raw.dns;
  const dnsNamespace = (dns ?? DEFAULT_DNS).namespace;
  const unmanaged = [...externalNamespaces.map((e) => e.name), dnsNamespace];
  const workloads = namespaces.flatMap((ns) => ns.workloads.map((w) => ({ namespace: ns.name, workload: w.name })));
  const clusterNetworks = raw.clusterNetworks ? POD_NETWORKS : [];

  const flows: FlowDecl[] = [];
  for (const flow of raw.flows) {
    const declaring = workloads[flow.workload % workloads.length];
    const peer = normalizePeer(flow.peer, { namespaces, workloads, tenants, unmanaged, dnsNamespace, clusterNetworks });
    if (!peer) continue;
    // A DNS name is only ever a destination.
    const method = peer.kind === 'fqdn' ? 'allowTo' : flow.method;
    // Names are looked up on the destination pod: a named port toward a CIDR, a DNS name or an entity is an error.
    const notPods = peer.kind === 'cidr' || peer.kind === 'fqdn' || peer.kind === 'entity';
    const ports = notPods && method === 'allowTo' ? flow.ports.filter((p) => p.kind !== 'named') : flow.ports;
    if (ports.length === 0) continue;
    // Tenants of the managed namespaces each end stands for (a CIDR or an unmanaged namespace has none).
    const peerTenants = peer.kind === 'tenant' ? [tenants.find((t) => t.name === peer.tenant)!]
      : peer.kind === 'workload' || peer.kind === 'namespace' ? [tenantOf.get(peer.namespace)].filter((t) => t !== undefined) : [];
    const own = tenantOf.get(declaring.namespace);
    const crosses = own !== undefined && peerTenants.some((other) => {
      if (other.name === own.name) return false;
      const [from, to] = flow.method === 'allowTo' ? [own, other] : [other, own];
      return !from.crossTenantTo.includes(to.name);
    });
    // A cross-tenant flow must be marked, or the platform is invalid: keep it only when marked.
    if (crosses && !flow.acrossTenants) continue;
    flows.push({ workload: `${declaring.namespace}/${declaring.workload}`, method, peer, ports, acrossTenants: flow.acrossTenants });
  }

  const namedPorts: Record<string, { port: number; protocol: ProtocolName }> = {};
  NAMED_PORTS.forEach((p, i) => (namedPorts[p.name] = { port: raw.namedPortNumbers[i], protocol: p.protocol }));
  const peerScope = { namespaces, workloads, tenants, unmanaged, dnsNamespace, clusterNetworks };
  const denies = raw.denies?.flatMap((deny, i) => normalizeDeny(deny, i, peerScope) ?? []);
  // Pods with DNS names as peers must be able to query the DNS (the platform refuses the names otherwise).
  const resolving = new Set(flows.filter((f) => f.peer.kind === 'fqdn').map((f) => f.workload.split('/')[0]));
  return {
    namespaces: resolving.size === 0 ? namespaces : namespaces.map((ns) => (resolving.has(ns.name) && !ns.allowDns ? { ...ns, allowDns: true } : ns)),
    tenants,
    externalNamespaces,
    namedPorts,
    flows: withoutVoidHttpRules(flows, tenants),
    clusterNetworks,
    ...(dns ? { dns } : {}),
    ...(denies ? { denies } : {}),
  };
}

/** The endpoints a flow end resolves to, as keys, so that declarations of one resolved flow can be found (a tenant is its namespaces). */
function endKeys(end: PeerDecl, tenants: readonly TenantDecl[]): string[] {
  switch (end.kind) {
    case 'workload':
      return [`workload ${end.namespace}/${end.workload}`];
    case 'namespace':
    case 'externalNamespace':
      return [`namespace ${end.namespace}`];
    case 'tenant':
      return tenants.find((t) => t.name === end.tenant)!.namespaces.map((n) => `namespace ${n}`);
    case 'entity':
      // With or without the API server's addresses: the same end for this purpose.
      return [`entity ${end.entity}`];
    default:
      return [JSON.stringify(end)];
  }
}

/**
 * HTTP rules on a port that another declaration of the same flow allows without rules filter nothing,
 * and the platform refuses them: such ports lose their rules (the plain port stays allowed).
 */
function withoutVoidHttpRules(flows: readonly FlowDecl[], tenants: readonly TenantDecl[]): FlowDecl[] {
  const ends = flows.map((flow) => {
    const [namespace, workload] = flow.workload.split('/');
    const self = endKeys({ kind: 'workload', namespace, workload }, tenants);
    const peer = endKeys(flow.peer, tenants);
    return flow.method === 'allowTo' ? { from: self, to: peer } : { from: peer, to: self };
  });
  const meet = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));
  return flows.map((flow, i) => {
    if (!flow.ports.some((p) => p.kind === 'number' && p.http !== undefined)) return flow;
    const plain = flows
      .filter((_other, j) => meet(ends[i].from, ends[j].from) && meet(ends[i].to, ends[j].to))
      .flatMap((other) => other.ports.filter((p) => !(p.kind === 'number' && p.http !== undefined)));
    const ports = flow.ports.map((port): PortDecl => {
      if (port.kind !== 'number' || port.http === undefined) return port;
      const probe: Probe = { port: port.port, protocol: port.protocol };
      // Named ports are left out (the plain port then lies elsewhere on the pod).
      const covered = plain.some((p) => p.kind !== 'named' && portCovers(p, probe));
      return covered ? { kind: 'number', protocol: port.protocol, port: port.port } : port;
    });
    return { ...flow, ports };
  });
}

/** Whether a port (not a named one) holds a probe, HTTP rules or not. */
function portCovers(port: PortDecl, probe: Probe): boolean {
  if (port.kind === 'all') return true;
  if (port.protocol !== probe.protocol) return false;
  switch (port.kind) {
    case 'number':
      return port.port === probe.port;
    case 'range':
      return probe.port >= port.from && probe.port <= port.to;
    case 'protocol':
      return true;
    case 'named':
      return false;
  }
}

type PeerScope = Parameters<typeof normalizePeer>[1];

function normalizeDeny(raw: RawDeny, index: number, scope: PeerScope): DenyDecl | undefined {
  const name = `deny-${index}`;
  const ruleScope = ((): RuleScopeDecl => {
    switch (raw.scope.kind) {
      case 'cluster':
        return { kind: 'cluster' };
      case 'namespace':
        return { kind: 'namespace', namespace: scope.namespaces[raw.scope.index % scope.namespaces.length].name };
      case 'tenant':
        return scope.tenants.length === 0 ? { kind: 'managed' } : { kind: 'tenant', tenant: scope.tenants[raw.scope.index % scope.tenants.length].name };
      case 'workload': {
        const w = scope.workloads[raw.scope.index % scope.workloads.length];
        return { kind: 'workload', workload: `${w.namespace}/${w.workload}` };
      }
      default:
        return { kind: 'managed' };
    }
  })();
  if (raw.method === 'restrictIngress') {
    const all = [...scope.namespaces.map((n) => n.name), ...scope.unmanaged];
    const onlyFrom = raw.onlyFrom.map((o) => (o.kind === 'tenant' && scope.tenants.length > 0
      ? { kind: 'tenant' as const, tenant: scope.tenants[o.index % scope.tenants.length].name }
      : { kind: 'namespace' as const, namespace: all[o.index % all.length] }));
    const unique = [...new Map(onlyFrom.map((o) => [JSON.stringify(o), o])).values()];
    // A restriction needs ports: every port when none were drawn.
    const ports = raw.ports.length > 0 ? raw.ports : [{ kind: 'all' } as PortDecl];
    return { name, method: raw.method, onlyFrom: unique, ports, scope: ruleScope };
  }
  const peer = normalizePeer(raw.peer, scope);
  if (!peer) return undefined;
  return { name, method: raw.method, peer, ports: raw.ports, scope: ruleScope };
}

function normalizePeer(
  raw: RawPeer,
  scope: {
    namespaces: readonly NamespaceDecl[];
    workloads: readonly { namespace: string; workload: string }[];
    tenants: readonly TenantDecl[];
    unmanaged: readonly string[];
    dnsNamespace: string;
    clusterNetworks: readonly string[];
  },
): PeerDecl | undefined {
  switch (raw.kind) {
    case 'workload':
      return { kind: 'workload', ...scope.workloads[raw.index % scope.workloads.length] };
    case 'namespace':
      return { kind: 'namespace', namespace: scope.namespaces[raw.index % scope.namespaces.length].name };
    case 'tenant':
      return scope.tenants.length === 0 ? undefined : { kind: 'tenant', tenant: scope.tenants[raw.index % scope.tenants.length].name };
    case 'externalNamespace': {
      const namespace = scope.unmanaged[raw.index % scope.unmanaged.length];
      return { kind: 'externalNamespace', namespace, via: raw.viaPeer || namespace === scope.dnsNamespace ? 'Peer.namespace' : 'construct' };
    }
    case 'externalPods': {
      const namespace = scope.unmanaged[raw.index % scope.unmanaged.length];
      const selector = isEmptySelector(raw.selector) ? undefined : raw.selector;
      const labels = raw.labels ?? (selector ? undefined : { app: 'a' });
      return { kind: 'externalPods', namespace, ...(labels ? { labels } : {}), ...(selector ? { selector } : {}) };
    }
    case 'cidr':
      return { kind: 'cidr', cidr: raw.cidr, except: raw.except };
    case 'anywhere': {
      const pods = raw.family === 4 ? POD_NETWORKS[0] : raw.family === 6 ? POD_NETWORKS[1] : formatMappedNetwork(parseNetwork(POD_NETWORKS[0]));
      const cidr = raw.family === 4 ? '0.0.0.0/0' : raw.family === 6 ? '::/0' : formatMappedNetwork(parseNetwork('0.0.0.0/0'));
      return { kind: 'cidr', cidr, except: raw.exceptPods || scope.clusterNetworks.length === 0 ? [pods] : [] };
    }
    case 'fqdn': {
      const { value, pattern } = FQDN_PEERS[raw.index % FQDN_PEERS.length];
      return { kind: 'fqdn', value, pattern };
    }
    case 'entity':
      return raw.entity === 'kube-apiserver' ? { kind: 'entity', entity: raw.entity, addresses: raw.addresses } : { kind: 'entity', entity: raw.entity };
  }
}

/** A run count from the environment (`NEVER_WIDER_RUNS=1000`), or `fallback`; anything but a positive integer is an error, never zero runs. */
export function runCount(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`a run count must be a positive integer, got ${JSON.stringify(value)}`);
  return runs;
}

// ---------------------------------------------------------------------------------------------------
// The cdk8s program of some declarations.

const PROTOCOL: Readonly<Record<ProtocolName, Protocol>> = { TCP: Protocol.TCP, UDP: Protocol.UDP, SCTP: Protocol.SCTP };

export function toPort(port: PortDecl): Port {
  switch (port.kind) {
    case 'number':
      if (port.http) {
        const rules = port.http.map((rule) => ({ ...rule, ...(rule.methods ? { methods: rule.methods.map((m) => HttpMethod[m]) } : {}) }));
        return Port.tcp(port.port).http(...rules);
      }
      return port.protocol === 'TCP' ? Port.tcp(port.port) : port.protocol === 'UDP' ? Port.udp(port.port) : Port.sctp(port.port);
    case 'range':
      return port.protocol === 'TCP' ? Port.tcpRange(port.from, port.to) : port.protocol === 'UDP' ? Port.udpRange(port.from, port.to) : Port.sctpRange(port.from, port.to);
    case 'named':
      return Port.named(port.name, PROTOCOL[port.protocol]);
    case 'protocol':
      return port.protocol === 'TCP' ? Port.allTcp() : port.protocol === 'UDP' ? Port.allUdp() : Port.allSctp();
    case 'all':
      return Port.all();
  }
}

export interface BuiltPlatform {
  readonly platform: ZeroTrustPlatform;
  readonly workloads: ReadonlyMap<string, Workload>;
}

/** The program the declarations describe, on a fresh app (or `scope`). `props` adds platform options. */
export function buildPlatform(
  declarations: Declarations,
  scope: Construct = Testing.app(),
  props: Partial<ZeroTrustPlatformProps> = {},
): BuiltPlatform {
  const given = declarations.dns;
  const dns = given ? { dns: { namespace: given.namespace, labels: given.labels, ports: given.ports.map(toPort) } } : {};
  const platform = new ZeroTrustPlatform(scope, 'platform', { backends: [Backend.KUBERNETES], clusterNetworks: declarations.clusterNetworks, ...dns, ...props });
  const externals = new Map(declarations.externalNamespaces.map((e) => [e.name, new ExternalNamespace(platform, e.name)]));
  const namespaces = new Map<string, ZeroTrustNamespace>();
  const workloads = new Map<string, Workload>();
  for (const ns of declarations.namespaces) {
    const namespace = new ZeroTrustNamespace(platform, ns.name, {
      name: ns.name,
      allowDns: ns.allowDns,
      allowSameNamespace: ns.allowSameNamespace,
      createNamespace: ns.createNamespace,
    });
    namespaces.set(ns.name, namespace);
    for (const w of ns.workloads) {
      const options = w.expressions ? { selector: { matchLabels: w.labels, matchExpressions: w.expressions } } : { labels: w.labels };
      workloads.set(`${ns.name}/${w.name}`, namespace.workload(w.name, options));
    }
  }
  const tenants = new Map(
    declarations.tenants.map((t) => [
      t.name,
      new TenantBoundary(platform, t.name, { namespaces: t.namespaces.map((n) => namespaces.get(n)!), allowIntraTenant: t.allowIntraTenant }),
    ]),
  );
  for (const t of declarations.tenants) {
    for (const to of t.crossTenantTo) tenants.get(t.name)!.allowCrossTenant({ to: tenants.get(to)! });
  }

  const peerOf = (peer: PeerDecl): IPeer => {
    switch (peer.kind) {
      case 'workload':
        return workloads.get(`${peer.namespace}/${peer.workload}`)!;
      case 'namespace':
        return namespaces.get(peer.namespace)!;
      case 'tenant':
        return tenants.get(peer.tenant)!;
      case 'externalNamespace':
        return peer.via === 'construct' ? externals.get(peer.namespace)! : Peer.namespace(peer.namespace);
      case 'externalPods': {
        const options = { ...(peer.labels ? { labels: peer.labels } : {}), ...(peer.selector ? { selector: peer.selector } : {}) };
        const external = externals.get(peer.namespace);
        return external ? external.pods(options) : Peer.pods({ namespace: peer.namespace, ...options });
      }
      case 'cidr':
        if (peer.cidr === '0.0.0.0/0') return Peer.anyIpv4({ except: peer.except });
        if (peer.cidr === '::/0') return Peer.anyIpv6({ except: peer.except });
        return Peer.cidr(peer.cidr, { except: peer.except });
      case 'fqdn':
        return peer.pattern ? Peer.fqdnPattern(peer.value) : Peer.fqdn(peer.value);
      case 'entity':
        switch (peer.entity) {
          case 'kube-apiserver':
            return peer.addresses ? Peer.kubeApiserver({ addresses: [...API_SERVER_ADDRESSES] }) : Peer.kubeApiserver();
          case 'world':
            return Peer.world();
          case 'cluster':
            return Peer.cluster();
          case 'local-node':
            return Peer.localNode();
          case 'remote-nodes':
            return Peer.remoteNodes();
        }
    }
  };
  for (const flow of declarations.flows) {
    const workload = workloads.get(flow.workload)!;
    const ports = flow.ports.map(toPort);
    const declared = flow.method === 'allowTo' ? workload.allowTo(peerOf(flow.peer), ...ports) : workload.allowFrom(peerOf(flow.peer), ...ports);
    if (flow.acrossTenants) declared.acrossTenants();
  }
  const scopeOf = (rule: RuleScopeDecl): { of?: IPeer; clusterWide?: boolean } => {
    switch (rule.kind) {
      case 'managed':
        return {};
      case 'cluster':
        return { clusterWide: true };
      case 'namespace':
        return { of: namespaces.get(rule.namespace)! };
      case 'tenant':
        return { of: tenants.get(rule.tenant)! };
      case 'workload':
        return { of: workloads.get(rule.workload)! };
    }
  };
  for (const deny of declarations.denies ?? []) {
    const ports = deny.ports.length > 0 ? { ports: deny.ports.map(toPort) } : {};
    if (deny.method === 'restrictIngress') {
      const onlyFrom = deny.onlyFrom!.map((o): IPeer => (o.kind === 'tenant'
        ? tenants.get(o.tenant)!
        : namespaces.get(o.namespace) ?? externals.get(o.namespace) ?? Peer.namespace(o.namespace)));
      platform.restrictIngress(deny.name, { ports: deny.ports.map(toPort), onlyFrom, ...scopeOf(deny.scope) });
    } else {
      platform[deny.method](deny.name, peerOf(deny.peer!), { ...ports, ...scopeOf(deny.scope) });
    }
  }
  return { platform, workloads };
}

// ---------------------------------------------------------------------------------------------------
// The inventory: pods and external addresses, built from the declarations only.

export interface ContainerPortDecl {
  readonly port: number;
  readonly protocol: ProtocolName;
  readonly name?: string;
}

/** What the test knows about an endpoint of the analyzer's report: where it comes from. */
export type EndpointOrigin =
  | {
    readonly kind: 'pod';
    /** `namespace/name`, the analyzer's endpoint id. */
    readonly id: string;
    readonly namespace: string;
    /** True for the platform's namespaces. */
    readonly managed: boolean;
    /** The workload (of a managed namespace) it was made for; undefined for bystanders and unmanaged pods. */
    readonly workload?: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly ports: readonly ContainerPortDecl[];
    readonly addresses: readonly Address[];
    /** `spec.nodeName`, when the inventory places pods on nodes. */
    readonly node?: string;
  }
  /** An external address; `apiServer` when the inventory declares it an endpoint of Service default/kubernetes. */
  | { readonly kind: 'address'; readonly id: string; readonly address: Address; readonly apiServer?: boolean }
  /** A Node (`node:NAME`): an endpoint of analyses under Cilium, which gives nodes an identity. */
  | { readonly kind: 'node'; readonly id: string; readonly name: string };

/** The nodes of inventories with a cluster (`{ cluster: true }`): pods are placed on them in turn. */
export const NODES: readonly { readonly name: string; readonly ip: string }[] = [{ name: 'node-a', ip: '192.168.0.1' }, { name: 'node-b', ip: '192.168.0.2' }];

/** The external name of the i-th API server address. */
export const apiServerExternal = (i: number) => `kube-apiserver-${i}`;

/**
 * The objects that make the analyzer see a cluster: a Node per NODES entry, and the EndpointSlice of
 * Service `default/kubernetes` listing API_SERVER_ADDRESSES (under Cilium, those addresses get the
 * kube-apiserver identity: https://docs.cilium.io/en/stable/security/policy/language/#entities-based).
 */
export function clusterObjects(): Record<string, unknown>[] {
  return [
    ...NODES.map((node) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: node.name }, status: { addresses: [{ type: 'InternalIP', address: node.ip }] } })),
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: API_SERVER_ADDRESSES.map((cidr) => cidr.split('/')[0]) }],
    },
  ];
}

/** Whether an address is one of API_SERVER_ADDRESSES. */
export function isApiServerAddress(address: Address): boolean {
  return API_SERVER_ADDRESSES.some((cidr) => networkContains(parseNetwork(cidr), address));
}

export interface InventoryOptions {
  /** Nodes (NODES) with every pod placed on one, and the API server (clusterObjects), as node and address endpoints. */
  readonly cluster?: boolean;
}

export interface Inventory {
  /** Pod (and Namespace) manifests to analyze with the platform's output. */
  readonly manifests: Record<string, unknown>[];
  readonly externals: Record<string, string>;
  readonly probes: readonly { port: number; protocol: ProtocolName }[];
  readonly endpoints: ReadonlyMap<string, EndpointOrigin>;
}

/** Port numbers a flow's ports mention, with the neighbours of range ends (off-by-one probes). */
function portNumbersOf(port: PortDecl, declarations: Declarations): number[] {
  switch (port.kind) {
    case 'number':
      return [port.port];
    case 'range':
      return [port.from - 1, port.from, port.to, port.to + 1].filter((n) => n >= 1 && n <= 65535);
    case 'named':
      return [declarations.namedPorts[port.name].port];
    default:
      return [];
  }
}

/** Probed on every destination: every number mentioned, DNS and CoreDNS metrics, and some never declared. */
export function probePorts(declarations: Declarations): { port: number; protocol: ProtocolName }[] {
  const numbers = new Set<number>([53, 54, 853, 9153, 2, 31337, 65534]);
  for (const flow of declarations.flows) for (const port of flow.ports) for (const n of portNumbersOf(port, declarations)) numbers.add(n);
  for (const deny of declarations.denies ?? []) for (const port of deny.ports) for (const n of portNumbersOf(port, declarations)) numbers.add(n);
  return [...numbers].sort((a, b) => a - b).flatMap((port) => PROTOCOLS.map((protocol) => ({ port, protocol })));
}

export function buildInventory(declarations: Declarations, options: InventoryOptions = {}): Inventory {
  const probes = probePorts(declarations);
  const cluster = options.cluster === true;
  const numbers = [...new Set(probes.map((p) => p.port))];
  const endpoints = new Map<string, EndpointOrigin>();
  const manifests: Record<string, unknown>[] = [];
  let podCount = 0;

  /** Container ports: every probed number in every protocol, some of them named. */
  const portsWith = (names: Readonly<Record<string, { port: number; protocol: ProtocolName }>>): ContainerPortDecl[] => {
    const byPort = new Map<string, string>(Object.entries(names).map(([name, p]) => [`${p.port}/${p.protocol}`, name]));
    return numbers.flatMap((port) => PROTOCOLS.map((protocol) => {
      const name = byPort.get(`${port}/${protocol}`);
      return { port, protocol, ...(name !== undefined ? { name } : {}) };
    }));
  };
  const allNames = declarations.namedPorts;
  interface PodOptions {
    readonly managed?: boolean;
    readonly workload?: string;
    readonly ports?: ContainerPortDecl[];
  }
  const addPod = (namespace: string, name: string, labels: Record<string, string>, pod: PodOptions = {}) => {
    const id = `${namespace}/${name}`;
    if (endpoints.has(id)) throw new Error(`test bug: pod ${id} twice`);
    const n = ++podCount;
    const v4: Address = { family: 4, value: 10n * 2n ** 24n + BigInt(n) };
    const v6: Address = { family: 6, value: 0xfdn * 2n ** 120n + BigInt(n) };
    const ports = pod.ports ?? portsWith(allNames);
    // With a cluster, pods go to the nodes in turn: each node then has pods to be the local node of.
    const node = cluster ? NODES[n % NODES.length].name : undefined;
    endpoints.set(id, { kind: 'pod', id, namespace, managed: pod.managed ?? false, workload: pod.workload, labels, ports, addresses: [v4, v6], ...(node ? { node } : {}) });
    manifests.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels },
      spec: {
        ...(node ? { nodeName: node } : {}),
        containers: [{ name: 'main', image: 'example', ports: ports.map((p) => ({ containerPort: p.port, protocol: p.protocol, ...(p.name ? { name: p.name } : {}) })) }],
      },
      status: { podIP: formatAddress(v4), podIPs: [{ ip: formatAddress(v4) }, { ip: formatAddress(v6) }] },
    });
  };

  // Managed namespaces: one pod per workload, and a bystander that looks like w0 but for its app label.
  for (const ns of declarations.namespaces) {
    for (const w of ns.workloads) {
      const labels = labelsSatisfying(workloadSelector(w));
      if (!labels) throw new Error(`test bug: workload ${ns.name}/${w.name} has a contradictory selector`);
      const names = Object.fromEntries(w.portNames.map((name) => [name, allNames[name]]));
      addPod(ns.name, w.name, labels, { managed: true, workload: w.name, ports: portsWith(names) });
    }
    const lookalike = labelsSatisfying(workloadSelector(ns.workloads[0]))!;
    addPod(ns.name, BYSTANDER, { ...lookalike, app: BYSTANDER }, { managed: true });
  }

  // Unmanaged namespaces, labelled like a tenant's (a namespace label anyone could copy).
  const tenantLabels = (): Record<string, string> => ({
    'app.kubernetes.io/managed-by': 'cdk8s-zero-trust',
    ...(declarations.tenants.length > 0 ? { 'zero-trust.cdk8s.io/tenant': declarations.tenants[0].name } : {}),
  });
  const dns = dnsOf(declarations);
  const impostor = labelsSatisfying(workloadSelector(declarations.namespaces[0].workloads[0]))!;
  const selectorsByNamespace = new Map<string, SelectorDecl[][]>();
  for (const flow of declarations.flows) {
    if (flow.peer.kind !== 'externalPods') continue;
    const list = selectorsByNamespace.get(flow.peer.namespace) ?? [];
    list.push(externalPodsSelectors(flow.peer));
    selectorsByNamespace.set(flow.peer.namespace, list);
  }
  const unmanagedPods = (namespace: string, given: readonly Readonly<Record<string, string>>[]) => {
    const seen = new Set<string>();
    const pods: Record<string, string>[] = [];
    const add = (labels: Record<string, string> | undefined) => {
      if (labels === undefined || seen.has(JSON.stringify(labels))) return;
      seen.add(JSON.stringify(labels));
      pods.push(labels);
    };
    given.forEach((labels) => add({ ...labels }));
    // For each pod selector of a flow: a pod matching all of it, and pods matching each part only.
    for (const selectors of selectorsByNamespace.get(namespace) ?? []) {
      add(labelsSatisfying(...selectors));
      if (selectors.length > 1) selectors.forEach((s) => add(labelsSatisfying(s)));
    }
    add({ ...impostor });
    add({ ...dns.labels });
    return pods;
  };
  for (const ext of declarations.externalNamespaces) {
    manifests.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ext.name, labels: tenantLabels() } });
    unmanagedPods(ext.name, ext.pods).forEach((labels, i) => addPod(ext.name, `p${i}`, labels));
  }
  // The DNS pods, with CoreDNS's port names, and other pods of their namespace (some looking like DNS pods elsewhere).
  addPod(dns.namespace, 'coredns', { ...dns.labels }, {
    ports: [{ port: 53, protocol: 'UDP', name: 'dns' }, { port: 53, protocol: 'TCP', name: 'dns-tcp' }, { port: 9153, protocol: 'TCP', name: 'metrics' }],
  });
  unmanagedPods(dns.namespace, [{ 'k8s-app': 'kube-proxy' }, { ...DEFAULT_DNS.labels }, { 'app.kubernetes.io/name': 'coredns' }])
    .filter((labels) => !selectorMatches({ matchLabels: dns.labels }, labels))
    .forEach((labels, i) => addPod(dns.namespace, `p${i}`, labels));
  if (dns.namespace !== DEFAULT_DNS.namespace) addPod(DEFAULT_DNS.namespace, 'coredns', { ...DEFAULT_DNS.labels });
  manifests.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: UNRELATED_NAMESPACE, labels: tenantLabels() } });
  addPod(UNRELATED_NAMESPACE, 'impostor', { ...impostor });

  // External addresses: around and inside every declared CIDR and its excepts, and a few elsewhere.
  const addresses = new Map<string, Address>();
  const addAddress = (family: 4 | 6, value: bigint) => {
    if (value < 0n || value >= 2n ** BigInt(width(family))) return;
    // Around a network next to or inside ::ffff:0:0/96, some are IPv4-mapped: written as the IPv4 address they are.
    const address = goAddress(family, value);
    addresses.set(formatAddress(address), address);
  };
  for (const text of ['8.8.8.8', '10.255.0.1', '2606:4700::1111', 'fd00::ffff']) {
    const network = parseNetwork(`${text}/${text.includes(':') ? 128 : 32}`);
    addAddress(network.family, network.first);
  }
  const cidrPeers = [...declarations.flows.map((f) => f.peer), ...(declarations.denies ?? []).flatMap((d) => (d.peer ? [d.peer] : []))];
  for (const peer of cidrPeers) {
    if (peer.kind !== 'cidr') continue;
    const network = parseNetwork(peer.cidr);
    const last = lastAddress(network);
    const middle = network.first + (last - network.first) / 2n;
    for (const value of [network.first - 1n, network.first, middle, last, last + 1n]) addAddress(network.family, value);
    for (const except of peer.except.map(parseNetwork)) {
      for (const value of [except.first - 1n, except.first, lastAddress(except), lastAddress(except) + 1n]) addAddress(except.family, value);
    }
  }
  const externals: Record<string, string> = {};
  // Named after their address, so that a failure reads `ns-0/w0 -> external:203.0.113.128 443/TCP`.
  for (const [text, address] of addresses) {
    externals[text] = text;
    endpoints.set(`external:${text}`, { kind: 'address', id: `external:${text}`, address, ...(cluster && isApiServerAddress(address) ? { apiServer: true } : {}) });
  }
  if (cluster) {
    manifests.push(...clusterObjects());
    for (const node of NODES) endpoints.set(`node:${node.name}`, { kind: 'node', id: `node:${node.name}`, name: node.name });
    API_SERVER_ADDRESSES.forEach((cidr, i) => {
      const address = parseAddress(cidr.split('/')[0]);
      externals[apiServerExternal(i)] = formatAddress(address);
      endpoints.set(`external:${apiServerExternal(i)}`, { kind: 'address', id: `external:${apiServerExternal(i)}`, address, apiServer: true });
    });
  }
  return { manifests, externals, probes, endpoints };
}

// ---------------------------------------------------------------------------------------------------
// The oracle: why the declarations allow a connection (empty: they do not).

export interface Probe {
  readonly port: number;
  readonly protocol: ProtocolName;
}

/** An HTTP request, for the L7 checks (Cilium). */
export interface HttpRequestDecl {
  readonly method: HttpMethodName;
  readonly path: string;
}

/**
 * What a connection carries above L4, for the Cilium checks: an HTTP request; the DNS name the
 * destination address was reached by, and whether the DNS proxy saw the lookup that gave it
 * (toFQDNs learns addresses only from such lookups: https://docs.cilium.io/en/stable/security/dns/).
 */
export interface OracleRequest {
  readonly http?: HttpRequestDecl;
  readonly fqdn?: { readonly name: string; readonly lookupAllowed: boolean };
}

/**
 * Whether a DNS name matches a `Peer.fqdn` name, or a `*.` pattern (one whole label, never the domain
 * itself nor two labels: https://docs.cilium.io/en/stable/security/policy/language/#dns-based).
 */
export function fqdnMatches(peer: Extract<PeerDecl, { kind: 'fqdn' }>, name: string): boolean {
  if (!peer.pattern) return peer.value === name.toLowerCase();
  const domain = peer.value.slice(1);
  const label = name.toLowerCase().slice(0, name.length - domain.length);
  return name.toLowerCase().endsWith(domain) && label.length > 0 && !label.includes('.');
}

export function portAllows(port: PortDecl, probe: Probe, destination: EndpointOrigin): boolean {
  if (port.kind === 'all') return true;
  if (port.protocol !== probe.protocol) return false;
  switch (port.kind) {
    case 'number':
      return port.port === probe.port;
    case 'range':
      return probe.port >= port.from && probe.port <= port.to;
    case 'protocol':
      return true;
    case 'named':
      // Resolved on the destination pod: its container port of that name and protocol. An address has none.
      return destination.kind === 'pod' && destination.ports.some((p) => p.name === port.name && p.protocol === probe.protocol && p.port === probe.port);
  }
}

/**
 * Whether a request matches one HTTP rule: its method is one of `methods`, and `path` matches the whole
 * path (full match, https://docs.cilium.io/en/stable/security/policy/language/#layer-7-examples: "Allow GET /public").
 */
export function httpRuleMatches(rule: HttpRuleDecl, request: HttpRequestDecl): boolean {
  if (rule.methods && !rule.methods.includes(request.method)) return false;
  return rule.path === undefined || new RegExp(`^(?:${rule.path})$`).test(request.path);
}

/**
 * Which output the oracle explains.
 * - `cilium`: everything declared, as Cilium enforces it: denies and restrictions win over every allow
 *   (https://docs.cilium.io/en/stable/security/policy/language/#deny-policies), entities and nodes are
 *   peers, and a pod's own node may always reach it (the agent's `allow-localhost`, on in Kubernetes
 *   mode: https://docs.cilium.io/en/stable/security/policy/language/#entities-based, "host"), unless
 *   a deny refuses it. DNS names match nothing at L3/L4 (their addresses are learnt from DNS answers:
 *   see `fqdnAllows`), and a port with HTTP rules is open at L4 (the proxy filters each request).
 * - `kubernetes`: what the Kubernetes target keeps when it omits what NetworkPolicy cannot express:
 *   no flow toward a DNS name or an entity (but the API server given with its addresses, an ipBlock
 *   each), no port with HTTP rules (dropped whole), no deny. With `denies: 'omitted'` the program
 *   rendered kept its denies (omitted by the target, which the platform accepts only when no allow
 *   overlaps them but through CIDRs the plan carves out of CIDR allows): the allows lose what the
 *   denies refuse, and pods that no policy applies to stay open. With `denies: 'absent'` it had none.
 * - `calico`: what the Calico target keeps when it omits what Calico Open Source cannot express (the flows
 *   the Kubernetes target keeps), with its denies and restrictions, which win over every allow as in
 *   Cilium (GlobalNetworkPolicy Deny rules in the platform tier, before any Pass:
 *   https://docs.tigera.io/calico/latest/network-policy/policy-tiers/tiered-policy). Nodes are no
 *   endpoints (Calico selects them only as host endpoints), so nothing like allow-localhost.
 */
export type OracleView =
  | { readonly backend: 'cilium' }
  | { readonly backend: 'calico' }
  | { readonly backend: 'kubernetes'; readonly denies: 'omitted' | 'absent' };

const KUBERNETES_VIEW: OracleView = { backend: 'kubernetes', denies: 'absent' };

/**
 * What the Calico target declares it omits (src/backends/support-table.ts): DNS names, HTTP rules and
 * the entities but the API server given by its addresses. Allows toward them are dropped (the target
 * allows less); denies toward them are refused (see `calicoRefusesDeny`).
 */
export const CALICO_OMITS: readonly Feature[] = [Feature.FQDN, Feature.HTTP, Feature.KUBE_APISERVER, Feature.NODES, Feature.WORLD, Feature.CLUSTER];

/**
 * Whether the Calico backend refuses a deny even with CALICO_OMITS: its peer is an entity Calico cannot
 * select (omitting the feature drops allows, never a deny, which would allow more).
 */
export function calicoRefusesDeny(deny: DenyDecl): boolean {
  return deny.peer !== undefined && !kubernetesExpresses(deny.peer);
}

/** Whether the Kubernetes (and the Calico) target keeps a flow's peer (see OracleView). */
function kubernetesExpresses(peer: PeerDecl): boolean {
  return peer.kind !== 'fqdn' && (peer.kind !== 'entity' || (peer.entity === 'kube-apiserver' && peer.addresses === true));
}

const hasHttp = (port: PortDecl): boolean => port.kind === 'number' && port.http !== undefined;

/** The declarations as one target renders them: its flows (with their indexes in `declarations.flows`) and its denies. */
function flowsOf(declarations: Declarations, view: OracleView): { index: number; flow: FlowDecl }[] {
  return declarations.flows.flatMap((flow, index) => {
    if (view.backend === 'cilium') return [{ index, flow }];
    if (!kubernetesExpresses(flow.peer)) return [];
    const ports = flow.ports.filter((p) => !hasHttp(p));
    return ports.length === 0 ? [] : [{ index, flow: ports.length === flow.ports.length ? flow : { ...flow, ports } }];
  });
}

/** Explains connections between the endpoints of one inventory. */
export class IntentOracle {
  private readonly managed: ReadonlyMap<string, NamespaceDecl>;
  private readonly tenantOf: ReadonlyMap<string, TenantDecl>;
  private readonly clusterNetworks: readonly Network[];
  private readonly dns: DnsDecl;
  private readonly flows: readonly { index: number; flow: FlowDecl }[];
  private readonly denies: readonly DenyDecl[];

  constructor(private readonly declarations: Declarations, readonly view: OracleView = KUBERNETES_VIEW) {
    this.managed = new Map(declarations.namespaces.map((n) => [n.name, n]));
    this.tenantOf = new Map(declarations.tenants.flatMap((t) => t.namespaces.map((n): [string, TenantDecl] => [n, t])));
    this.clusterNetworks = declarations.clusterNetworks.map(parseNetwork);
    this.dns = dnsOf(declarations);
    this.flows = flowsOf(declarations, view);
    this.denies = view.backend !== 'kubernetes' || view.denies === 'omitted' ? declarations.denies ?? [] : [];
  }

  /**
   * Whether an endpoint is one of the pods (or addresses, or nodes) a flow end stands for. `other` is the
   * endpoint at the other end (a pod's own node is `local-node` to it, the others `remote-nodes`).
   */
  public endMatches(end: PeerDecl, endpoint: EndpointOrigin, other?: EndpointOrigin): boolean {
    if (end.kind === 'cidr') {
      // Pod addresses (POD_NETWORKS) are outside the generated CIDRs, or excepted by the user or by
      // clusterNetworks: a CIDR end never stands for a pod. The cluster networks are excepted from every CIDR.
      // Nor for a node: Cilium's CIDR rules do not match nodes (policy-cidr-match-mode unset), and the
      // Kubernetes analysis has no node endpoints.
      if (endpoint.kind !== 'address') return false;
      const excepts = [...end.except.map(parseNetwork), ...this.clusterNetworks];
      return networkContains(parseNetwork(end.cidr), endpoint.address) && !excepts.some((e) => networkContains(e, endpoint.address));
    }
    if (end.kind === 'fqdn') return false;
    if (end.kind === 'entity') return this.entityMatches(end, endpoint, other);
    if (endpoint.kind !== 'pod') return false;
    switch (end.kind) {
      case 'workload':
        return endpoint.managed && endpoint.namespace === end.namespace && endpoint.workload === end.workload;
      case 'namespace':
        return endpoint.managed && endpoint.namespace === end.namespace;
      case 'tenant':
        return endpoint.managed && this.tenantOf.get(endpoint.namespace)?.name === end.tenant;
      case 'externalNamespace':
        return !endpoint.managed && endpoint.namespace === end.namespace;
      case 'externalPods':
        return (
          !endpoint.managed && endpoint.namespace === end.namespace && externalPodsSelectors(end).every((s) => selectorMatches(s, endpoint.labels))
        );
    }
  }

  /**
   * Entities (https://docs.cilium.io/en/stable/security/policy/language/#entities-based): `world` is every
   * address outside the cluster; `cluster` every pod and node, and the API server (upstream's `cluster`
   * entity holds `kube-apiserver`, pkg/policy/api/entity.go, even when it runs outside the cluster); the
   * API server is the addresses declared as endpoints of Service default/kubernetes (for Kubernetes, the
   * ipBlocks of its addresses); `local-node` is the node of the pod at the other end, `remote-nodes`
   * every other node.
   */
  private entityMatches(end: Extract<PeerDecl, { kind: 'entity' }>, endpoint: EndpointOrigin, other?: EndpointOrigin): boolean {
    const own = other?.kind === 'pod' ? other.node : undefined;
    switch (end.entity) {
      case 'world':
        return endpoint.kind === 'address';
      case 'cluster':
        return endpoint.kind === 'pod' || endpoint.kind === 'node' || (endpoint.kind === 'address' && endpoint.apiServer === true);
      case 'kube-apiserver':
        if (endpoint.kind !== 'address') return false;
        return this.view.backend === 'cilium' ? endpoint.apiServer === true : isApiServerAddress(endpoint.address);
      case 'local-node':
        return endpoint.kind === 'node' && own === endpoint.name;
      case 'remote-nodes':
        return endpoint.kind === 'node' && own !== endpoint.name;
    }
  }

  /**
   * The reasons the declarations give for (source, destination), whatever the port: see `reasons`.
   * A flow between pods explains both sides of the connection (the plan gives each managed end a rule).
   * A flow toward an entity explains the declaring side only: the plan opens that side alone (as for CIDRs
   * and unmanaged namespaces), so a managed pod the entity holds still admits only what its own
   * declarations admit (`Peer.cluster()` is no permission on the other tenants' side).
   */
  public pairReasons(source: EndpointOrigin, destination: EndpointOrigin): PairReasons {
    const sourceNs = source.kind === 'pod' && source.managed ? this.managed.get(source.namespace) : undefined;
    const destinationNs = destination.kind === 'pod' && destination.managed ? this.managed.get(destination.namespace) : undefined;
    const flows: PairFlow[] = [];
    const fqdnFlows: PairFlow[] = [];
    for (const { index, flow } of this.flows) {
      const [namespace, workload] = flow.workload.split('/');
      const self: PeerDecl = { kind: 'workload', namespace, workload };
      const matched = flow.method === 'allowTo'
        ? this.endMatches(self, source) && this.endMatches(flow.peer, destination, source)
        : this.endMatches(flow.peer, source, destination) && this.endMatches(self, destination);
      const sides = flow.peer.kind !== 'entity' ? 'both' : flow.method === 'allowTo' ? 'egress' : 'ingress';
      if (matched) flows.push({ index, flow, sides });
      // A DNS name stands for the addresses its answers gave (see `reasons` with `request.fqdn`).
      if (flow.peer.kind === 'fqdn' && this.endMatches(self, source) && destination.kind === 'address') fqdnFlows.push({ index, flow, sides: 'egress' });
    }
    const sourceTenant = sourceNs && this.tenantOf.get(sourceNs.name);
    const denies = this.denies.filter((deny) => {
      const [subject, far] = deny.method === 'denyEgress' ? [source, destination] : [destination, source];
      return this.inScope(deny.scope, subject) && this.denyPeerMatches(deny, far, subject);
    });
    return {
      // Only pods of the platform's namespaces are isolated: not pods of other namespaces, addresses, nodes.
      egressIsolated: sourceNs !== undefined,
      ingressIsolated: destinationNs !== undefined,
      sameNamespace: sourceNs !== undefined && sourceNs === destinationNs && sourceNs.allowSameNamespace,
      // Between the tenant's namespaces, a namespace and itself included (allow-intra-tenant lists them all).
      intraTenant: sourceTenant?.allowIntraTenant === true && destinationNs !== undefined && this.tenantOf.get(destinationNs.name) === sourceTenant,
      dns: sourceNs !== undefined && sourceNs.allowDns && destination.kind === 'pod' && destination.namespace === this.dns.namespace && selectorMatches({ matchLabels: this.dns.labels }, destination.labels),
      // Cilium's allow-localhost: a pod's own node reaches it whatever its policies say.
      localhost: this.view.backend === 'cilium' && source.kind === 'node' && destination.kind === 'pod' && destination.node === source.name,
      flows,
      fqdnFlows,
      denies,
    };
  }

  /** Whether a platform rule applies to an endpoint (the source of an egress deny, the destination of an ingress one). */
  private inScope(scope: RuleScopeDecl, endpoint: EndpointOrigin): boolean {
    if (endpoint.kind !== 'pod') return false;
    switch (scope.kind) {
      case 'cluster':
        return true;
      case 'managed':
        return endpoint.managed;
      case 'namespace':
        return endpoint.managed && endpoint.namespace === scope.namespace;
      case 'tenant':
        return endpoint.managed && this.tenantOf.get(endpoint.namespace)?.name === scope.tenant;
      case 'workload':
        return endpoint.managed && `${endpoint.namespace}/${endpoint.workload}` === scope.workload;
    }
  }

  /** The far end of a deny; a restriction refuses every endpoint (the world and the nodes too) but the pods of `onlyFrom`. */
  private denyPeerMatches(deny: DenyDecl, far: EndpointOrigin, subject: EndpointOrigin): boolean {
    if (deny.method !== 'restrictIngress') return this.endMatches(deny.peer!, far, subject);
    const namespaces = deny.onlyFrom!.flatMap((o) => (o.kind === 'namespace' ? [o.namespace] : this.declarations.tenants.find((t) => t.name === o.tenant)!.namespaces));
    return !(far.kind === 'pod' && namespaces.includes(far.namespace));
  }

  /**
   * Every reason the declarations give for each side of the connection at L3/L4: the source's egress and
   * the destination's ingress. With `request.http`, a flow whose matching ports all carry HTTP rules counts
   * only when a rule matches the request; any other reason of that side admits every request (an L4 allow
   * of the same peer and port lifts L7 rules: https://docs.cilium.io/en/stable/security/policy/language/#layer-7-examples).
   * With `request.fqdn`, flows toward a DNS name that matches it count too, when the lookup was seen.
   */
  public reasons(pair: PairReasons, destination: EndpointOrigin, probe: Probe, request: OracleRequest = {}): SideReasons {
    const egress: string[] = [];
    const ingress: string[] = [];
    const both = (reason: string) => {
      egress.push(reason);
      ingress.push(reason);
    };
    const http = request.http;
    const fqdn = request.fqdn;
    if (pair.sameNamespace) both('allowSameNamespace');
    if (pair.intraTenant) both('allowIntraTenant');
    if (pair.localhost) ingress.push('allow-localhost (the pod\'s own node)');
    if (pair.dns && this.dns.ports.some((p) => portAllows(p, probe, destination))) egress.push('DNS');
    const byName = fqdn?.lookupAllowed
      ? pair.fqdnFlows.filter(({ flow }) => flow.peer.kind === 'fqdn' && fqdnMatches(flow.peer, fqdn.name))
      : [];
    for (const { index, flow, sides } of [...pair.flows, ...byName]) {
      const ports = flow.ports.filter((p) => portAllows(p, probe, destination));
      if (ports.length === 0) continue;
      let reason: string | undefined;
      if (ports.some((p) => !hasHttp(p))) {
        reason = `flows[${index}]`;
      } else if (!http) {
        reason = `flows[${index}] (HTTP rules: every request filtered by the proxy)`;
      } else if (ports.some((p) => p.kind === 'number' && p.http!.some((rule) => httpRuleMatches(rule, http)))) {
        reason = `flows[${index}] (HTTP ${http.method} ${http.path})`;
      }
      if (reason === undefined) continue;
      if (sides !== 'ingress') egress.push(reason);
      if (sides !== 'egress') ingress.push(reason);
    }
    return { egress, ingress };
  }

  /** The denies (names) that refuse the connection. */
  public deniedBy(pair: PairReasons, destination: EndpointOrigin, probe: Probe): string[] {
    return pair.denies
      .filter((deny) => deny.ports.length === 0 || deny.ports.some((p) => portAllows(p, probe, destination)))
      .map((deny) => deny.name);
  }

  /**
   * The verdict of the target (OracleView), with the reasons that allow and the denies that refuse: a
   * side whose pod is isolated (a pod of a managed namespace) needs a reason; the other sides are open.
   */
  public verdict(pair: PairReasons, destination: EndpointOrigin, probe: Probe, request?: OracleRequest): OracleVerdict {
    const sides = this.reasons(pair, destination, probe, request);
    const denies = this.deniedBy(pair, destination, probe);
    const open = !pair.egressIsolated && !pair.ingressIsolated;
    const explained = (!pair.egressIsolated || sides.egress.length > 0) && (!pair.ingressIsolated || sides.ingress.length > 0);
    const reasons = open ? ['no policy applies to either end (unmanaged)'] : explained ? [...new Set([...sides.egress, ...sides.ingress])] : [];
    if (this.view.backend === 'kubernetes') {
      // Omitted denies only show where the plan carved their CIDRs out of CIDR allows; unmanaged pods stay open.
      const allowed = open || (explained && denies.length === 0);
      return { allowed, reasons, denies: allowed ? [] : denies };
    }
    return { allowed: explained && denies.length === 0, reasons, denies };
  }
}

export interface SideReasons {
  /** What allows the source's egress. */
  readonly egress: readonly string[];
  /** What allows the destination's ingress. */
  readonly ingress: readonly string[];
}

export interface OracleVerdict {
  readonly allowed: boolean;
  /** What allows the connection (when a deny also applies, the connection is refused all the same). */
  readonly reasons: readonly string[];
  /** The denies (names) that refuse it. */
  readonly denies: readonly string[];
}

/** A flow that holds both ends of a connection, and the sides of it that the flow explains. */
export interface PairFlow {
  readonly index: number;
  readonly flow: FlowDecl;
  readonly sides: 'both' | 'egress' | 'ingress';
}

export interface PairReasons {
  /** The source is a pod of a managed namespace: its egress is isolated. */
  readonly egressIsolated: boolean;
  /** The destination is a pod of a managed namespace: its ingress is isolated. */
  readonly ingressIsolated: boolean;
  readonly sameNamespace: boolean;
  readonly intraTenant: boolean;
  readonly dns: boolean;
  readonly localhost: boolean;
  readonly flows: readonly PairFlow[];
  /** Flows of the source toward DNS names, when the destination is an address (it may be what a name resolved to). */
  readonly fqdnFlows: readonly PairFlow[];
  /** The denies whose subject holds the subject end and whose peer holds the other end, whatever the port. */
  readonly denies: readonly DenyDecl[];
}
