/**
 * The subset of Kyverno's `kyverno.io/v1` ClusterPolicy (https://kyverno.io/docs/policy-types/cluster-policy/)
 * and of `rbac.authorization.k8s.io/v1` ClusterRole that the guardrails emit, typed by us. Tests check
 * every emitted ClusterPolicy against the upstream schema in ../shared/schemas.
 */
import { K8sNetworkPolicySpec } from '../../backends/kubernetes/types';

/** Cluster-scoped objects: metadata never carries a namespace. */
export interface ClusterObjectMetadata {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export type KyvernoOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** `match.any[].resources` / `exclude.any[].resources`: kinds and (wildcard-free, here) names. */
export interface KyvernoResourceFilter {
  readonly kinds: readonly string[];
  /** Names of the resources; for a Namespace, its name. */
  readonly names?: readonly string[];
  readonly operations?: readonly KyvernoOperation[];
}

/** `match` or `exclude` with `any`: a resource is selected when one filter selects it. */
export interface KyvernoMatch {
  readonly any: readonly { readonly resources: KyvernoResourceFilter }[];
}

/** The NetworkPolicy a generate rule creates, from the rule's own data (no clone). */
export interface KyvernoGenerateNetworkPolicy {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly name: string;
  /** A Kyverno variable: the name of the Namespace that triggered the rule. */
  readonly namespace: string;
  /** Keep the generated object as the rule says: edits and deletions are reverted. */
  readonly synchronize: boolean;
  /** Also generate for the matching resources that exist when the policy is created. */
  readonly generateExisting: boolean;
  /** Keep the generated objects when the policy is deleted, rather than removing every namespace's isolation. */
  readonly orphanDownstreamOnPolicyDelete: boolean;
  readonly data: { readonly spec: K8sNetworkPolicySpec };
}

export type KyvernoFailureAction = 'Audit' | 'Enforce';

/** One condition of a `deny` block; `key` and `value` may hold Kyverno variables. */
export interface KyvernoCondition {
  readonly key: string;
  readonly operator: 'Equals' | 'NotEquals';
  readonly value: string;
}

export interface KyvernoValidate {
  /** Rule-level since Kyverno 1.13 (the policy-level `validationFailureAction` is deprecated). */
  readonly failureAction: KyvernoFailureAction;
  readonly message: string;
  /** An overlay pattern the resource must match. */
  readonly pattern?: Readonly<Record<string, unknown>>;
  /** Conditions under which the resource is refused. */
  readonly deny?: { readonly conditions: { readonly any: readonly KyvernoCondition[] } };
}

export interface KyvernoRule {
  readonly name: string;
  readonly match: KyvernoMatch;
  readonly exclude?: KyvernoMatch;
  readonly generate?: KyvernoGenerateNetworkPolicy;
  readonly validate?: KyvernoValidate;
}

export interface KyvernoClusterPolicy {
  readonly apiVersion: 'kyverno.io/v1';
  readonly kind: 'ClusterPolicy';
  readonly metadata: ClusterObjectMetadata;
  readonly spec: {
    /** Whether background scans also report on existing resources (validate rules). */
    readonly background: boolean;
    readonly rules: readonly KyvernoRule[];
  };
}

export interface ClusterRoleRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** An RBAC ClusterRole (https://kubernetes.io/docs/reference/access-authn-authz/rbac/). */
export interface ClusterRole {
  readonly apiVersion: 'rbac.authorization.k8s.io/v1';
  readonly kind: 'ClusterRole';
  readonly metadata: ClusterObjectMetadata;
  readonly rules: readonly ClusterRoleRule[];
}
