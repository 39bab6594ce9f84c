/**
 * The contract between the connectivity fold and each policy dialect (Kubernetes NetworkPolicy today;
 * Cilium, Calico and Istio later). A dialect reads its own kinds, compiles them against the endpoints of
 * the input, and answers for one direction of one connection. It never decides how its answer combines
 * with other dialects' answers: that is `connectivity.ts`.
 */
import { Bitset } from './core/bitset';
import { EndpointUniverse } from './core/endpoint-universe';
import { Endpoint } from './core/endpoints';
import { IstioMeshConfig } from './manifests/cluster-objects';
import { JsonObject } from './manifests/fields';
import { DocumentIssues } from './manifests/issues';
import { ObjectIdentity, ObjectKind } from './manifests/object-kinds';
import { ServiceRecord } from './manifests/service';
import { ProbePort } from './types';

export type Direction = 'Ingress' | 'Egress';

/**
 * Where a dialect's policies are enforced. `network`: by the CNI, at the source's egress and the
 * destination's ingress; several network dialects may apply to the same endpoint (Kubernetes
 * NetworkPolicy and CiliumNetworkPolicy under Cilium). `mesh`: by a service mesh's proxies (Istio), on top
 * of the network: a connection must pass both.
 */
export type Layer = 'network' | 'mesh';

/**
 * One dialect's answer for one direction of one connection.
 * - `allow`: a rule admits the connection.
 * - `deny`: a deny rule refuses it; this beats any allow.
 * - `pass`: the dialect selects the endpoint but hands the decision on (Calico's `Pass` action); it does not decide.
 * - `isolated`: the endpoint is isolated in this direction and no rule matched.
 * - `not-isolated`: the dialect does not restrict this endpoint in this direction; it does not decide.
 */
export type Effect = 'allow' | 'deny' | 'pass' | 'isolated' | 'not-isolated';

/** A policy object of some dialect. */
export interface PolicyRef {
  readonly kind: string;
  /** Undefined for cluster-scoped policies. */
  readonly namespace?: string;
  readonly name: string;
  /** `namespace/name`, or `name` for a cluster-scoped policy: how reports name it. */
  readonly key: string;
}

/** One rule of a policy. */
export interface RuleRef {
  readonly policy: PolicyRef;
  readonly direction: Direction;
  /** Position of the rule in its policy's rules for the direction, e.g. `spec.ingress[index]`. */
  readonly index: number;
  /**
   * The rule's path in its policy when `direction` and `index` do not say it all, e.g. `specs[1].egressDeny[0]`
   * (Cilium rules may be deny rules, and a policy may hold several specs).
   */
  readonly path?: string;
}

/** A rule that decided the connection. Dialects add which parts of the rule matched. */
export interface RuleMatch {
  readonly rule: RuleRef;
}

/** Words for `explain`; computed only when an explanation is asked for. */
export interface DecisionWords {
  /** One sentence: why the dialect answered so, naming its own kind (e.g. "No NetworkPolicy in namespace …"). */
  readonly reason: string;
  /** For each of `Decision.matches`, in order: which parts of the rule matched, e.g. `from[1] (podSelector), ports[0] 8080/TCP`. */
  readonly matchDetails: readonly string[];
}

export interface Decision {
  readonly effect: Effect;
  /** The deciding rules: with `allow`, every rule that admits the connection; with `deny`, every deny rule that refuses it. */
  readonly matches: readonly RuleMatch[];
  /** The dialect's policies that select the subject for this direction, sorted by key. */
  readonly selectingPolicies: readonly PolicyRef[];
  /** Rules whose peer matched but whose ports did not: the usual near miss, for explanations. */
  readonly nearMisses: readonly RuleRef[];
  /**
   * Only for a DNS request (`DirectionQuery.request.dns`) that the dialect allows: true when the dialect's DNS
   * proxy saw the query and let it through, so the addresses of its answer are known to FQDN rules (Cilium
   * `toFQDNs` learns addresses only from lookups that a `rules.dns` rule allowed,
   * https://docs.cilium.io/en/stable/security/policy/language/#dns-based). Dialects without a DNS proxy leave it undefined.
   */
  readonly dnsProxied?: boolean;
  describe(): DecisionWords;
}

/**
 * An ICMP message instead of a port (Cilium `icmps`, https://docs.cilium.io/en/stable/security/policy/language/#icmp-icmpv6).
 * Rules that name ports never admit it; rules without ports admit every protocol, ICMP included. In a
 * `DirectionQuery` it is `icmp`, beside the placeholder probe `ICMP_PLACEHOLDER_PROBE`.
 */
export interface IcmpProbe {
  readonly protocol: 'ICMP';
  /** ICMP type, 0-255 (8 = echo request for IPv4, 128 for IPv6). */
  readonly type: number;
  /** ICMP code; no dialect matches on it today. */
  readonly code?: number;
  readonly family: 'IPv4' | 'IPv6';
}

/** What one connection carries at L4: a port and its transport protocol, or an ICMP message. */
export type ConnectionProbe = ProbePort | IcmpProbe;

export function isIcmpProbe(probe: ConnectionProbe): probe is IcmpProbe {
  return probe.protocol === 'ICMP';
}

/**
 * The `probe` of a query whose connection is ICMP (`DirectionQuery.icmp`): TCP port 0, which no valid port
 * rule names, so a dialect that does not read `icmp` admits it only through rules without ports, which admit
 * every protocol. Dialects that match on protocols must read `icmp` first.
 */
export const ICMP_PLACEHOLDER_PROBE: ProbePort = { port: 0, protocol: 'TCP' };

/** What the query's connection carries at L4: its ICMP message, or its probe port. */
export function queryProbe(query: DirectionQuery): ConnectionProbe {
  return query.icmp ?? query.probe;
}

/** `8080/TCP`, or `ICMP type 8 (IPv4)`: how reports and reasons name a probe. */
export function describeProbe(probe: ConnectionProbe): string {
  if (isIcmpProbe(probe)) return `ICMP type ${probe.type}${probe.code !== undefined ? ` code ${probe.code}` : ''} (${probe.family})`;
  return `${probe.port}/${probe.protocol}`;
}

/** An HTTP request: what L7 HTTP rules match (Cilium `rules.http`). */
export interface HttpRequest {
  readonly method: string;
  /** Starts with `/`; the query string, if any, is part of it. */
  readonly path: string;
  /** The `Host` header (`:authority`). */
  readonly host?: string;
  /** Header names (any case) and values. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * What the connection carries above L4, for the dialects that look at it (L7 rules, FQDN rules). Every field is
 * optional and a dialect without L7 rules ignores the whole object. Without a field, a dialect judges the
 * connection at L4: an L7 rule then admits the connection, whose requests it would filter one by one.
 */
export interface ApplicationRequest {
  readonly http?: HttpRequest;
  /** A DNS query for this name (Cilium `rules.dns`). */
  readonly dns?: { readonly query: string };
  /** The payload is TLS: L7 HTTP rules never match it; `sni` is the server name of the handshake (Cilium `serverNames`). */
  readonly tls?: { readonly sni?: string };
  /**
   * Whether the client sends Istio mutual TLS (a probe's `clientMtls`). Undefined: as Istio's auto mTLS decides
   * (https://istio.io/latest/docs/tasks/security/authentication/authn-policy/#auto-mutual-tls).
   */
  readonly mtls?: boolean;
  /**
   * The destination was reached by name: the source looked `name` up first. `lookupAllowed` is true when that
   * lookup was allowed and seen by a DNS proxy (`Decision.dnsProxied`), so FQDN rules know the answer's addresses.
   */
  readonly fqdn?: { readonly name: string; readonly lookupAllowed: boolean };
}

/** One direction of one connection, seen from the endpoint whose policies apply. */
export interface DirectionQuery {
  readonly direction: Direction;
  /** The source for Egress, the destination for Ingress. Never an external endpoint: policies do not apply to those. */
  readonly subject: Endpoint;
  /** The other end of the connection. */
  readonly peer: Endpoint;
  /** The destination port and protocol; `ICMP_PLACEHOLDER_PROBE` when the connection is ICMP (`icmp`). */
  readonly probe: ProbePort;
  /** Set when the connection is an ICMP message rather than a port (see `queryProbe`). */
  readonly icmp?: IcmpProbe;
  /** The connection's destination, against whose container ports named ports resolve. */
  readonly destination: Endpoint;
  /** L7 attributes of the connection; absent for a connection judged at L3/L4 (reports and summaries). */
  readonly request?: ApplicationRequest;
}

/**
 * A dialect's answer for one subject, one direction and one probe port, for every peer at once (the set
 * form of `Decision.effect`). A peer's effect is `deny` if it is in `deny`, else `allow` if in `allow`, else
 * `pass` if in `pass`, else `isolated` when `isolates`, else `not-isolated`.
 * The sets may be shared between subjects: never modify them.
 */
export interface PeerSets {
  readonly isolates: boolean;
  readonly allow: Bitset;
  /** Only for dialects with deny rules. */
  readonly deny?: Bitset;
  /** Only for dialects with a pass action. */
  readonly pass?: Bitset;
}

/** The set form of one probe port, for counting 10^8 verdicts with set operations. */
export interface ProbeSets {
  /** For a source: the destinations its egress answer covers. Undefined when every destination is `not-isolated`. */
  egress(source: number): PeerSets | undefined;
  /** For a destination: the sources its ingress answer covers. Undefined when every source is `not-isolated`. */
  ingress(destination: number): PeerSets | undefined;
}

/** A dialect's policies compiled against the endpoints of one input. */
export interface CompiledPolicies {
  /** The answer for one direction of one connection; agrees with `probeSets`. */
  decide(query: DirectionQuery): Decision;
  probeSets(probe: ProbePort): ProbeSets;
}

/** What else of the input a dialect may compile against, besides the endpoints. */
export interface CompileContext {
  /** Sorted by namespace, then name. */
  readonly services: readonly ServiceRecord[];
  /** Istio's mesh configuration (ConfigMap `istio-system/istio`), when the input holds it. */
  readonly istioMesh?: IstioMeshConfig;
}

/** Collects the policies of one input; one reader per analysis. */
export interface PolicyReader {
  /** Validates one object of one of the dialect's kinds (its metadata already checked) and keeps it; problems go to `issues`. */
  read(object: JsonObject, identity: ObjectIdentity, issues: DocumentIssues): void;
  /** Called once every object is read. */
  compile(universe: EndpointUniverse, context?: CompileContext): CompiledPolicies;
}

export interface Dialect {
  /** For messages, e.g. `Kubernetes NetworkPolicy`. */
  readonly name: string;
  readonly layer: Layer;
  /** The kinds it reads. A kind read by several dialects goes to the first of them. */
  readonly kinds: readonly ObjectKind[];
  /**
   * Whether the dialect gives a node's host network an identity of its own, so that `Node` objects are
   * endpoints of an analysis that reads it. @default false
   */
  readonly nodesAreEndpoints?: boolean;
  reader(): PolicyReader;
}
