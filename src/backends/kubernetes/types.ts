/**
 * The subset of networking.k8s.io/v1 NetworkPolicy that we emit, typed by us.
 * Tests check every emitted object against the upstream schema in ../shared/schemas.
 */
import { Protocol } from '../../vocabulary/protocol';
import { ObjectMetadata } from '../manifest';

export interface K8sLabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: string[];
}

export interface K8sLabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: K8sLabelSelectorRequirement[];
}

export interface K8sIpBlock {
  readonly cidr: string;
  readonly except?: string[];
}

/** One peer; `namespaceSelector` and `podSelector` in the same peer are ANDed. */
export interface K8sNetworkPolicyPeer {
  readonly namespaceSelector?: K8sLabelSelector;
  readonly podSelector?: K8sLabelSelector;
  readonly ipBlock?: K8sIpBlock;
}

export interface K8sNetworkPolicyPort {
  readonly protocol: Protocol;
  readonly port?: number | string;
  readonly endPort?: number;
}

export interface K8sIngressRule {
  readonly from: K8sNetworkPolicyPeer[];
  /** Omitted: every port and protocol. */
  readonly ports?: K8sNetworkPolicyPort[];
}

export interface K8sEgressRule {
  readonly to: K8sNetworkPolicyPeer[];
  readonly ports?: K8sNetworkPolicyPort[];
}

export interface K8sNetworkPolicySpec {
  readonly podSelector: K8sLabelSelector;
  /** Always explicit: the API server's defaulting differs for egress-only policies. */
  readonly policyTypes: ('Ingress' | 'Egress')[];
  readonly ingress?: K8sIngressRule[];
  readonly egress?: K8sEgressRule[];
}

export interface K8sNetworkPolicy {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: ObjectMetadata & { readonly namespace: string };
  readonly spec: K8sNetworkPolicySpec;
}
