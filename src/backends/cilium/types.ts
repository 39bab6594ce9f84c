/**
 * The subset of cilium.io/v2 CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy that we emit,
 * typed by us (https://docs.cilium.io/en/stable/security/policy/language/). Tests check every emitted
 * object against the upstream schema in ../shared/schemas.
 */
import { ObjectMetadata } from '../manifest';

export interface CiliumLabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: string[];
}

/** An endpoint selector: Kubernetes label selector syntax over Cilium identity labels. */
export interface CiliumEndpointSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: CiliumLabelSelectorRequirement[];
}

/** `world`, `cluster`, `host`, `remote-node`, `kube-apiserver`, and `none` (matches nothing). */
export type CiliumEntity = 'world' | 'cluster' | 'host' | 'remote-node' | 'kube-apiserver' | 'none';

export interface CiliumCidrRule {
  readonly cidr: string;
  readonly except?: string[];
}

export interface CiliumFqdnSelector {
  readonly matchName?: string;
  readonly matchPattern?: string;
}

/** `port` is a string: a number, `0` for every port of the protocol, or a port name. */
export interface CiliumPortProtocol {
  readonly port: string;
  readonly endPort?: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP' | 'ANY';
}

/** One request shape; fields are extended regular expressions (the host with its dots escaped). */
export interface CiliumHttpRule {
  readonly method?: string;
  readonly path?: string;
  readonly host?: string;
  readonly headers?: string[];
}

export interface CiliumDnsRule {
  readonly matchName?: string;
  readonly matchPattern?: string;
}

export interface CiliumL7Rules {
  readonly http?: CiliumHttpRule[];
  readonly dns?: CiliumDnsRule[];
}

export interface CiliumPortRule {
  readonly ports: CiliumPortProtocol[];
  readonly rules?: CiliumL7Rules;
}

/** Deny rules take ports only, never L7 rules. */
export interface CiliumPortDenyRule {
  readonly ports: CiliumPortProtocol[];
}

/** One peer kind per rule: Cilium rejects combining them in one element. */
export interface CiliumIngressRule {
  readonly fromEndpoints?: CiliumEndpointSelector[];
  readonly fromCIDRSet?: CiliumCidrRule[];
  readonly fromEntities?: CiliumEntity[];
  readonly toPorts?: CiliumPortRule[];
}

export interface CiliumEgressRule {
  readonly toEndpoints?: CiliumEndpointSelector[];
  readonly toCIDRSet?: CiliumCidrRule[];
  readonly toEntities?: CiliumEntity[];
  readonly toFQDNs?: CiliumFqdnSelector[];
  readonly toPorts?: CiliumPortRule[];
}

export interface CiliumIngressDenyRule {
  readonly fromEndpoints?: CiliumEndpointSelector[];
  readonly fromCIDRSet?: CiliumCidrRule[];
  readonly fromEntities?: CiliumEntity[];
  readonly toPorts?: CiliumPortDenyRule[];
}

export interface CiliumEgressDenyRule {
  readonly toEndpoints?: CiliumEndpointSelector[];
  readonly toCIDRSet?: CiliumCidrRule[];
  readonly toEntities?: CiliumEntity[];
  readonly toPorts?: CiliumPortDenyRule[];
}

export interface CiliumRule {
  readonly endpointSelector: CiliumEndpointSelector;
  readonly enableDefaultDeny?: { readonly ingress?: boolean; readonly egress?: boolean };
  readonly ingress?: CiliumIngressRule[];
  readonly egress?: CiliumEgressRule[];
  readonly ingressDeny?: CiliumIngressDenyRule[];
  readonly egressDeny?: CiliumEgressDenyRule[];
}

export interface CiliumNetworkPolicy {
  readonly apiVersion: 'cilium.io/v2';
  readonly kind: 'CiliumNetworkPolicy';
  readonly metadata: ObjectMetadata & { readonly namespace: string };
  readonly spec: CiliumRule;
}

export interface CiliumClusterwideNetworkPolicy {
  readonly apiVersion: 'cilium.io/v2';
  readonly kind: 'CiliumClusterwideNetworkPolicy';
  /** Cluster-scoped: never a namespace. */
  readonly metadata: ObjectMetadata & { readonly namespace?: never };
  readonly spec: CiliumRule;
}
