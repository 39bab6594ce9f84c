/**
 * Istio's security.istio.io policies as the analyzer keeps them once read (v1 and v1beta1 share one schema):
 * PeerAuthentication (https://istio.io/latest/docs/reference/config/security/peer_authentication/) and
 * AuthorizationPolicy (https://istio.io/latest/docs/reference/config/security/authorization-policy/).
 */
import { Cidr } from '../../core/ip-address';
import { PolicyRef } from '../../dialect';

export const ISTIO_SECURITY_GROUP = 'security.istio.io';
export const ISTIO_API_VERSIONS = ['security.istio.io/v1', 'security.istio.io/v1beta1'] as const;
export const PEER_AUTHENTICATION_KIND = 'PeerAuthentication';
export const AUTHORIZATION_POLICY_KIND = 'AuthorizationPolicy';

/** Istio's defaults when the mesh configuration does not say (https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/). */
export const DEFAULT_ROOT_NAMESPACE = 'istio-system';
export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

/** The annotation that makes an AuthorizationPolicy report instead of enforce (https://istio.io/latest/docs/tasks/security/authorization/authz-dry-run/). */
export const DRY_RUN_ANNOTATION = 'istio.io/dry-run';

export type MtlsMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';
export const MTLS_MODES: readonly MtlsMode[] = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'];

export interface PeerAuthentication {
  readonly ref: PolicyRef;
  /** `selector.matchLabels`; undefined (or empty) for a namespace-wide or mesh-wide policy. */
  readonly selector?: ReadonlyMap<string, string>;
  /** `mtls.mode`; undefined when `mtls` is omitted (inherits, like UNSET). */
  readonly mode?: MtlsMode;
  /** `portLevelMtls`: workload port → mode. */
  readonly portLevelMtls: ReadonlyMap<number, MtlsMode>;
  /** `metadata.creationTimestamp` in milliseconds; undefined when not given (then input order decides). */
  readonly created?: number;
  /** Position in the input: the earlier counts as older when timestamps tie or are missing. */
  readonly order: number;
}

export type AuthorizationAction = 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
export const AUTHORIZATION_ACTIONS: readonly AuthorizationAction[] = ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'];

/** One string of a list: exact, prefix `abc*`, suffix `*abc`, or presence `*` (https://istio.io/latest/docs/concepts/security/#authorization-policy). */
export type StringList = readonly string[];

/** An address or CIDR of `ipBlocks` and IP conditions. */
export type IpList = readonly Cidr[];

/** `from[].source`: every field present must match (AND); a list matches when any entry does. */
export interface Source {
  readonly principals?: StringList;
  readonly notPrincipals?: StringList;
  readonly requestPrincipals?: StringList;
  readonly notRequestPrincipals?: StringList;
  readonly namespaces?: StringList;
  readonly notNamespaces?: StringList;
  /** `<ns>/<sa>` or `<sa>` (the policy's namespace), resolved to `ns/sa`. */
  readonly serviceAccounts?: StringList;
  readonly notServiceAccounts?: StringList;
  readonly trustDomains?: StringList;
  readonly notTrustDomains?: StringList;
  readonly ipBlocks?: IpList;
  readonly notIpBlocks?: IpList;
  readonly remoteIpBlocks?: IpList;
  readonly notRemoteIpBlocks?: IpList;
}

/** `to[].operation`. */
export interface Operation {
  readonly hosts?: StringList;
  readonly notHosts?: StringList;
  /** Workload ports, compared exactly. */
  readonly ports?: readonly number[];
  readonly notPorts?: readonly number[];
  readonly methods?: StringList;
  readonly notMethods?: StringList;
  readonly paths?: StringList;
  readonly notPaths?: StringList;
}

/** `when[]`: `key` and its lists (https://istio.io/latest/docs/reference/config/security/conditions/). */
export interface Condition {
  readonly key: string;
  readonly values?: StringList;
  readonly notValues?: StringList;
}

export interface AuthorizationRule {
  /** Absent or empty: any source. */
  readonly from: readonly Source[];
  /** Absent or empty: any operation. */
  readonly to: readonly Operation[];
  readonly when: readonly Condition[];
}

/** `targetRefs[]` (or the deprecated `targetRef`). */
export interface TargetRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
}

export interface AuthorizationPolicy {
  readonly ref: PolicyRef;
  readonly action: AuthorizationAction;
  /** `provider.name`, with CUSTOM. */
  readonly provider?: string;
  /** `selector.matchLabels`; undefined when absent. */
  readonly selector?: ReadonlyMap<string, string>;
  /** Undefined when the policy has no `targetRef`/`targetRefs`. */
  readonly targetRefs?: readonly TargetRef[];
  /** Undefined when `rules` is absent (an ALLOW policy then allows nothing); `[{}]` matches everything. */
  readonly rules?: readonly AuthorizationRule[];
  /** `istio.io/dry-run: "true"`: reported, never enforced. */
  readonly dryRun: boolean;
}

/** What the Istio dialect needs from the mesh configuration, with Istio's defaults applied. */
export interface MeshSettings {
  readonly rootNamespace: string;
  readonly trustDomain: string;
  /** Mesh-wide default of `gatewayTopology.numTrustedProxies` (0: X-Forwarded-For is not trusted). */
  readonly numTrustedProxies: number;
}
