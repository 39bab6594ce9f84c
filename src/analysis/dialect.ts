/**
 * The contract between the connectivity fold and each policy dialect (Kubernetes NetworkPolicy today;
 * Cilium, Calico and Istio later). A dialect reads its own kinds, compiles them against the endpoints of
 * the input, and answers for one direction of one connection. It never decides how its answer combines
 * with other dialects' answers: that is `connectivity.ts`.
 */
import { Bitset } from './core/bitset';
import { EndpointUniverse } from './core/endpoint-universe';
import { Endpoint } from './core/endpoints';
import { JsonObject } from './manifests/fields';
import { DocumentIssues } from './manifests/issues';
import { ObjectIdentity, ObjectKind } from './manifests/object-kinds';
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
  describe(): DecisionWords;
}

/** One direction of one connection, seen from the endpoint whose policies apply. */
export interface DirectionQuery {
  readonly direction: Direction;
  /** The source for Egress, the destination for Ingress. Never an external endpoint: policies do not apply to those. */
  readonly subject: Endpoint;
  /** The other end of the connection. */
  readonly peer: Endpoint;
  readonly probe: ProbePort;
  /** The connection's destination, against whose container ports named ports resolve. */
  readonly destination: Endpoint;
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

/** Collects the policies of one input; one reader per analysis. */
export interface PolicyReader {
  /** Validates one object of one of the dialect's kinds (its metadata already checked) and keeps it; problems go to `issues`. */
  read(object: JsonObject, identity: ObjectIdentity, issues: DocumentIssues): void;
  /** Called once every object is read. */
  compile(universe: EndpointUniverse): CompiledPolicies;
}

export interface Dialect {
  /** For messages, e.g. `Kubernetes NetworkPolicy`. */
  readonly name: string;
  readonly layer: Layer;
  /** The kinds it reads. A kind read by several dialects goes to the first of them. */
  readonly kinds: readonly ObjectKind[];
  reader(): PolicyReader;
}
