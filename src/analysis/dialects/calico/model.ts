/**
 * The Calico objects the evaluator reads (projectcalico.org/v3,
 * https://docs.tigera.io/calico/latest/reference/resources/), after validation. Independent of our model and
 * backends: this is what a cluster would hold, whoever wrote it.
 */
import { SelectorNode } from './selector';
import { Cidr } from '../../core/ip-address';
import { Direction, PolicyRef } from '../../dialect';

export const CALICO_API_VERSION = 'projectcalico.org/v3';
export const NP_KIND = 'NetworkPolicy';
export const GNP_KIND = 'GlobalNetworkPolicy';
export const STAGED_NP_KIND = 'StagedNetworkPolicy';
export const STAGED_GNP_KIND = 'StagedGlobalNetworkPolicy';
export const STAGED_KNP_KIND = 'StagedKubernetesNetworkPolicy';
export const TIER_KIND = 'Tier';
export const NETWORK_SET_KIND = 'NetworkSet';
export const GLOBAL_NETWORK_SET_KIND = 'GlobalNetworkSet';

/** The tier of a policy without `tier` (https://docs.tigera.io/calico/latest/reference/resources/tier). */
export const DEFAULT_TIER = 'default';
/** Order of the `default` tier; fixed by Calico. */
export const DEFAULT_TIER_ORDER = 1_000_000;
/** Order Calico gives a Kubernetes NetworkPolicy in the default tier (libcalico-go conversion.go). */
export const KUBERNETES_POLICY_ORDER = 1000;

/** Labels Calico adds to workload endpoints (api/pkg/apis/projectcalico/v3/constants.go). */
export const NAMESPACE_LABEL = 'projectcalico.org/namespace';
export const ORCHESTRATOR_LABEL = 'projectcalico.org/orchestrator';
export const SERVICE_ACCOUNT_LABEL = 'projectcalico.org/serviceaccount';
/** Label Calico adds to namespaces (namespace selectors) and service accounts (service-account selectors). */
export const NAME_LABEL = 'projectcalico.org/name';
/** The orchestrator value of Kubernetes pods (not `kubernetes`). */
export const KUBERNETES_ORCHESTRATOR = 'k8s';

export type Action = 'Allow' | 'Deny' | 'Log' | 'Pass';
export type TierDefaultAction = 'Deny' | 'Pass';

/** A named protocol or a protocol number 1-255. */
export type RuleProtocol = 'TCP' | 'UDP' | 'ICMP' | 'ICMPv6' | 'SCTP' | 'UDPLite' | number;

export interface IcmpMatch {
  readonly type?: number;
  readonly code?: number;
}

/** One entry of `ports`/`notPorts`: a range (a single port is `min === max`), or a named port. */
export type PortMatch = { readonly kind: 'range'; readonly min: number; readonly max: number } | { readonly kind: 'named'; readonly name: string };

export interface ServiceAccountMatch {
  readonly names?: readonly string[];
  readonly selector?: SelectorNode;
}

export interface EntityRule {
  readonly nets?: readonly Cidr[];
  readonly notNets?: readonly Cidr[];
  readonly selector?: SelectorNode;
  readonly notSelector?: SelectorNode;
  /** `global()` here: non-namespaced resources (GlobalNetworkSets, host endpoints). */
  readonly namespaceSelector?: SelectorNode;
  readonly ports?: readonly PortMatch[];
  readonly notPorts?: readonly PortMatch[];
  readonly serviceAccounts?: ServiceAccountMatch;
  /** Kubernetes datastore only. `namespace` defaults to the policy's. */
  readonly services?: { readonly name: string; readonly namespace?: string };
}

export interface CalicoRule {
  readonly action: Action;
  readonly protocol?: RuleProtocol;
  readonly notProtocol?: RuleProtocol;
  readonly icmp?: IcmpMatch;
  readonly notICMP?: IcmpMatch;
  readonly ipVersion?: 4 | 6;
  readonly source: EntityRule;
  readonly destination: EntityRule;
  /** Application-layer match (ALP); needs Envoy. The L3/L4 evaluation treats the rule as matching at L4. */
  readonly hasHttp: boolean;
}

/** A Calico policy (NP, GNP, or their staged forms), or a Kubernetes NetworkPolicy as Calico converts it. */
export interface CalicoPolicy {
  readonly ref: PolicyRef;
  /** Undefined for global policies. */
  readonly namespace?: string;
  /** Staged kinds never enforce and never make a tier apply. */
  readonly staged: boolean;
  /** From a Kubernetes NetworkPolicy (kept for words). */
  readonly fromKubernetes: boolean;
  readonly tier: string;
  /** Undefined: after every ordered policy of the tier. */
  readonly order?: number;
  readonly selector: SelectorNode;
  readonly serviceAccountSelector: SelectorNode;
  /** GNP only: scopes the policy to the pods of matching namespaces. */
  readonly namespaceSelector?: SelectorNode;
  /** The defaulted `types`. */
  readonly types: ReadonlySet<Direction>;
  readonly ingress: readonly CalicoRule[];
  readonly egress: readonly CalicoRule[];
  /** GNP host-endpoint options. */
  readonly doNotTrack: boolean;
  readonly preDNAT: boolean;
  readonly applyOnForward: boolean;
}

export interface CalicoTier {
  readonly name: string;
  /** Undefined: after every ordered tier. */
  readonly order?: number;
  readonly defaultAction: TierDefaultAction;
}

/** A NetworkSet (namespaced) or GlobalNetworkSet: labelled CIDRs that rule selectors can match. */
export interface CalicoNetworkSet {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
  readonly nets: readonly Cidr[];
}
