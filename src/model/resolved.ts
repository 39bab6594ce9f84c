import { FqdnMatch } from './fqdn';
import { ResolvedMesh } from './mesh';
import { Entity } from './peer';
import { PortSpec } from './port';
import { NormalizedSelector } from './selector';

/**
 * The validated, backend-neutral intermediate form that every backend renders.
 * Sorted and de-duplicated, so that rendering it is deterministic.
 */

/** Label set on every Namespace and policy we emit. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'cdk8s-zero-trust';
/** Namespaces of a tenant carry `zero-trust.cdk8s.io/tenant: <tenant>`. */
export const TENANT_LABEL = 'zero-trust.cdk8s.io/tenant';
export { NAMESPACE_NAME_LABEL } from '../vocabulary/labels';

/** One end of a resolved flow. */
export type Endpoint =
  /** Pods of a declared workload; its namespace is managed. */
  | {
    readonly kind: 'workload';
    readonly namespace: string;
    readonly name: string;
    readonly selector: NormalizedSelector;
    readonly serviceAccount?: string;
  }
  /** Every pod of a namespace; `managed` says whether the platform emits policies there. */
  | { readonly kind: 'namespace'; readonly namespace: string; readonly managed: boolean }
  /**
   * Selected pods of an external (unmanaged) namespace. `serviceAccount`, when given (an ingress
   * gateway), is their mesh identity: network backends select the pods by labels, the mesh by it.
   */
  | { readonly kind: 'pods'; readonly namespace: string; readonly selector: NormalizedSelector; readonly serviceAccount?: string }
  /**
   * Addresses outside the cluster, canonical CIDRs. `name` (a DNS-1123 label, one CIDR per name in a
   * model) names the range for backends with named address sets; it never changes the addresses.
   */
  | { readonly kind: 'cidr'; readonly cidr: string; readonly except: readonly string[]; readonly name?: string }
  /** Addresses a DNS name (or `*.` pattern) resolves to; only ever a destination. */
  | ({ readonly kind: 'fqdn' } & FqdnMatch)
  /**
   * An endpoint that is not a pod. `addresses` (canonical CIDRs, sorted) are given only for
   * `kube-apiserver`, for backends that can express it only by address; empty otherwise.
   */
  | { readonly kind: 'entity'; readonly entity: Entity; readonly addresses: readonly string[] }
  /**
   * Pods identified by their service account. With `workload`, the pods of that declared workload
   * (managed namespace) that run as it: its selector AND the service account. Without, every pod of
   * the (unmanaged) namespace that runs as it.
   */
  | {
    readonly kind: 'service-account';
    readonly namespace: string;
    readonly name: string;
    readonly workload?: { readonly name: string; readonly selector: NormalizedSelector };
  };

/** Where an intent was declared: the construct path and the call, e.g. `allowTo(#2)`. */
export interface DeclarationSite {
  readonly path: string;
  readonly field: string;
}

/** One declaration of a flow, with the ports it gave (normalised). */
export interface FlowOrigin extends DeclarationSite {
  readonly ports: readonly PortSpec[];
}

export interface ResolvedFlow {
  readonly source: Endpoint;
  readonly destination: Endpoint;
  /** Normalised: sorted, de-duplicated, `[{kind:'all'}]` for every port. */
  readonly ports: readonly PortSpec[];
  /** Construct paths that declared this flow (several when declared from both ends). */
  readonly declaredBy: readonly string[];
  /** Every declaration of this flow, sorted by path then field. */
  readonly origins: readonly FlowOrigin[];
}

/** The pods a deny applies to. */
export type DenySubjects =
  /** Every pod of the cluster, managed namespaces or not. */
  | { readonly kind: 'cluster' }
  /** Every pod of these managed namespaces (sorted). */
  | { readonly kind: 'namespaces'; readonly namespaces: readonly string[] }
  /** The pods of one declared workload. */
  | { readonly kind: 'workload'; readonly workload: ResolvedWorkload };

/** The far ends a deny refuses. */
export type DenyPeers =
  /** Traffic with these ends (sorted by key). */
  | { readonly kind: 'only'; readonly endpoints: readonly Endpoint[] }
  /** Traffic with every end except the pods of these namespaces (sorted): a restriction. */
  | { readonly kind: 'all-but'; readonly namespaces: readonly string[] };

/**
 * An explicit deny: it wins over every allow, of this program or not, on backends that have denies.
 * A restriction ("only monitoring may reach the metrics ports") is an ingress deny of `all-but` peers.
 */
export interface ResolvedDeny {
  /** A DNS-1123 label, unique among the platform's rules. */
  readonly name: string;
  readonly path: string;
  readonly field: string;
  readonly direction: 'ingress' | 'egress';
  readonly subjects: DenySubjects;
  readonly peers: DenyPeers;
  /** Normalised; `[{ kind: 'all' }]` for every port. Never with HTTP rules. */
  readonly ports: readonly PortSpec[];
}

export interface ResolvedNamespace {
  readonly name: string;
  readonly path: string;
  readonly tenant?: string;
  /** Labels of the Namespace object, including managed-by and tenant labels. */
  readonly labels: Readonly<Record<string, string>>;
  readonly emitNamespace: boolean;
  readonly allowDns: boolean;
  readonly allowSameNamespace: boolean;
  /** Namespaces of the same tenant this one may talk to freely (tenant `allowIntraTenant`), sorted; empty otherwise. */
  readonly intraTenantNamespaces: readonly string[];
}

export interface ResolvedWorkload {
  readonly namespace: string;
  readonly name: string;
  readonly path: string;
  readonly selector: NormalizedSelector;
  readonly serviceAccount?: string;
}

export interface ResolvedDns {
  readonly namespace: string;
  readonly selector: NormalizedSelector;
  readonly ports: readonly PortSpec[];
  /**
   * NodeLocal DNSCache's link-local address as a host CIDR (`169.254.20.10/32`), when declared, and
   * the construct path that declares it.
   */
  readonly nodeLocal?: { readonly cidr: string; readonly path: string };
}

export interface ResolvedModel {
  /** Managed namespaces, sorted by name. */
  readonly namespaces: readonly ResolvedNamespace[];
  /** Sorted by namespace, then name. */
  readonly workloads: readonly ResolvedWorkload[];
  /** Sorted by source, then destination. */
  readonly flows: readonly ResolvedFlow[];
  /** Explicit denies and restrictions, sorted by name. */
  readonly denies: readonly ResolvedDeny[];
  readonly dns: ResolvedDns;
  /** The service mesh, when one is declared (`MeshStrictMtls`). */
  readonly mesh?: ResolvedMesh;
}
