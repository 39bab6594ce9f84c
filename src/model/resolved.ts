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
  /** Selected pods of an external (unmanaged) namespace. */
  | { readonly kind: 'pods'; readonly namespace: string; readonly selector: NormalizedSelector }
  /** Addresses outside the cluster, canonical CIDRs. */
  | { readonly kind: 'cidr'; readonly cidr: string; readonly except: readonly string[] };

export interface ResolvedFlow {
  readonly source: Endpoint;
  readonly destination: Endpoint;
  /** Normalised: sorted, de-duplicated, `[{kind:'all'}]` for every port. */
  readonly ports: readonly PortSpec[];
  /** Construct paths that declared this flow (several when declared from both ends). */
  readonly declaredBy: readonly string[];
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
}

export interface ResolvedModel {
  /** Managed namespaces, sorted by name. */
  readonly namespaces: readonly ResolvedNamespace[];
  /** Sorted by namespace, then name. */
  readonly workloads: readonly ResolvedWorkload[];
  /** Sorted by source, then destination. */
  readonly flows: readonly ResolvedFlow[];
  readonly dns: ResolvedDns;
}
