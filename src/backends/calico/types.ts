/**
 * The subset of projectcalico.org/v3 that we emit, typed by us
 * (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy,
 * .../globalnetworkpolicy, .../stagednetworkpolicy, .../stagedglobalnetworkpolicy, .../tier,
 * .../globalnetworkset). Tests check every emitted object against the upstream schemas in
 * ../shared/schemas. Selector fields hold Calico selector expressions, written by `selectors.ts` only.
 */
import { ObjectMetadata } from '../manifest';

export type CalicoApiVersion = 'projectcalico.org/v3';

export type CalicoAction = 'Allow' | 'Deny' | 'Pass';

/** Calico's protocol names; a rule without one matches every protocol (ICMP included). */
export type CalicoProtocol = 'TCP' | 'UDP' | 'SCTP';

/** A port: a number, a `'min:max'` range, or a port name resolved on the endpoint of that side. */
export type CalicoPort = number | string;

/** Pods running as one of these service accounts (Calico's `projectcalico.org/serviceaccount` label). */
export interface CalicoServiceAccountMatch {
  readonly names: string[];
}

/**
 * One side of a rule. Every field given must match (AND). `selector` without `namespaceSelector`
 * means the policy's own namespace in a NetworkPolicy and every namespace in a GlobalNetworkPolicy.
 */
export interface CalicoEntityRule {
  readonly nets?: string[];
  readonly notNets?: string[];
  readonly selector?: string;
  readonly notSelector?: string;
  readonly namespaceSelector?: string;
  readonly serviceAccounts?: CalicoServiceAccountMatch;
  readonly ports?: CalicoPort[];
}

export interface CalicoRule {
  readonly action: CalicoAction;
  /** Omitted: every protocol. Required by `ports`. */
  readonly protocol?: CalicoProtocol;
  readonly source?: CalicoEntityRule;
  readonly destination?: CalicoEntityRule;
}

export type CalicoPolicyType = 'Ingress' | 'Egress';

/** The spec shared by NetworkPolicy and StagedNetworkPolicy (staged kinds have the same spec). */
export interface CalicoNetworkPolicySpec {
  readonly tier: string;
  readonly order: number;
  readonly selector: string;
  /** Always explicit: Calico's defaulting gives an egress-only policy `[Egress]`, unlike NetworkPolicy. */
  readonly types: CalicoPolicyType[];
  readonly ingress?: CalicoRule[];
  readonly egress?: CalicoRule[];
}

/** GlobalNetworkPolicy adds a namespace selector for the endpoints it applies to. */
export interface CalicoGlobalNetworkPolicySpec extends CalicoNetworkPolicySpec {
  readonly namespaceSelector?: string;
}

export interface CalicoNetworkPolicy {
  readonly apiVersion: CalicoApiVersion;
  readonly kind: 'NetworkPolicy' | 'StagedNetworkPolicy';
  readonly metadata: ObjectMetadata & { readonly namespace: string };
  readonly spec: CalicoNetworkPolicySpec;
}

export interface CalicoGlobalNetworkPolicy {
  readonly apiVersion: CalicoApiVersion;
  readonly kind: 'GlobalNetworkPolicy' | 'StagedGlobalNetworkPolicy';
  /** Cluster-scoped: never a namespace. */
  readonly metadata: ObjectMetadata & { readonly namespace?: never };
  readonly spec: CalicoGlobalNetworkPolicySpec;
}

export interface CalicoTier {
  readonly apiVersion: CalicoApiVersion;
  readonly kind: 'Tier';
  readonly metadata: ObjectMetadata & { readonly namespace?: never };
  readonly spec: { readonly order: number; readonly defaultAction: 'Deny' | 'Pass' };
}

export interface CalicoGlobalNetworkSet {
  readonly apiVersion: CalicoApiVersion;
  readonly kind: 'GlobalNetworkSet';
  readonly metadata: ObjectMetadata & { readonly namespace?: never };
  readonly spec: { readonly nets: string[] };
}

export type CalicoObject = CalicoNetworkPolicy | CalicoGlobalNetworkPolicy | CalicoTier | CalicoGlobalNetworkSet;
