/**
 * The subset of security.istio.io/v1 PeerAuthentication and AuthorizationPolicy that we emit, typed
 * by us (https://istio.io/latest/docs/reference/config/security/peer_authentication/,
 * https://istio.io/latest/docs/reference/config/security/authorization-policy/). Tests check every
 * emitted object against the upstream schemas.
 */
import { ObjectMetadata } from '../manifest';

export type IstioMtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** Istio selectors take labels only, no expressions. */
export interface IstioWorkloadSelector {
  readonly matchLabels: Record<string, string>;
}

export interface PeerAuthenticationSpec {
  /** Absent: every workload of the namespace (of the mesh, in the root namespace). */
  readonly selector?: IstioWorkloadSelector;
  /** Absent: inherited from the namespace, then the mesh. */
  readonly mtls?: { readonly mode: IstioMtlsMode };
  /** Keyed by container port number; needs a selector. */
  readonly portLevelMtls?: Record<string, { readonly mode: IstioMtlsMode }>;
}

export interface PeerAuthentication {
  readonly apiVersion: 'security.istio.io/v1';
  readonly kind: 'PeerAuthentication';
  readonly metadata: ObjectMetadata;
  readonly spec: PeerAuthenticationSpec;
}

/** Fields of one `from[].source`, ANDed; each list ORed. Identities need mutual TLS. */
export interface IstioSource {
  /** `<trust domain>/ns/<namespace>/sa/<service account>`. */
  readonly principals?: string[];
  readonly namespaces?: string[];
  readonly notNamespaces?: string[];
  /** The connection's source address (DENY policies only, here). */
  readonly ipBlocks?: string[];
  readonly notIpBlocks?: string[];
}

/** Fields of one `to[].operation`, ANDed. `methods`, `paths` and `hosts` are HTTP only. */
export interface IstioOperation {
  /** Workload (container) ports, as strings, exact. */
  readonly ports?: string[];
  readonly methods?: string[];
  /** Exact, `prefix*`, `*suffix`, or templates with `{*}` and a last `{**}`. */
  readonly paths?: string[];
  /** Exact, case-insensitive. */
  readonly hosts?: string[];
}

/** A condition; every one of a rule must hold. `values: ['*']` asks for presence. */
export interface IstioCondition {
  readonly key: string;
  readonly values: string[];
}

/**
 * A rule matches when a `from`, a `to` and every `when` match; an omitted list matches anything, so
 * the rule `{}` matches every request. We never emit `{}`.
 */
export interface IstioRule {
  readonly from?: { readonly source: IstioSource }[];
  readonly to?: { readonly operation: IstioOperation }[];
  readonly when?: IstioCondition[];
}

export interface AuthorizationPolicySpec {
  readonly selector?: IstioWorkloadSelector;
  /** Absent: ALLOW. */
  readonly action?: 'ALLOW' | 'DENY';
  /** Absent on an ALLOW policy: it matches nothing, the allow-nothing policy. */
  readonly rules?: IstioRule[];
}

export interface AuthorizationPolicy {
  readonly apiVersion: 'security.istio.io/v1';
  readonly kind: 'AuthorizationPolicy';
  readonly metadata: ObjectMetadata;
  readonly spec: AuthorizationPolicySpec;
}
