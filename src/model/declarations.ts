import { PeerSpec } from './peer';
import { PortSpec } from './port';
import { LabelSelector } from './selector';

/**
 * What the constructs record: intent as declared, with the construct path of each declaration.
 * Nothing here is validated yet; `resolveModel` checks it all at synthesis.
 */

export interface NamespaceDeclaration {
  readonly path: string;
  readonly name: string;
  /** Extra labels for the Namespace object. */
  readonly labels: Readonly<Record<string, string>>;
  readonly allowDns: boolean;
  readonly allowSameNamespace: boolean;
  /** False when the Namespace object is managed elsewhere (only policies are emitted). */
  readonly emitNamespace: boolean;
}

export interface ExternalNamespaceDeclaration {
  readonly path: string;
  readonly name: string;
}

export interface WorkloadDeclaration {
  readonly path: string;
  readonly namespace: string;
  readonly name: string;
  /** Read at synthesis, so that selectors of adopted cdk8s-plus workloads can still change until then. */
  readonly selector: () => LabelSelector;
  /** True when the selector can still change after declaration (an adopted cdk8s-plus workload). */
  readonly liveSelector?: boolean;
  /** Which property the selector came from, for error messages (`labels`, `selector`, `matchLabels of <kplus path>`). */
  readonly selectorField: string;
  readonly serviceAccount?: string;
  /** A problem found while reading the selector source (e.g. both labels and selector given). */
  readonly declarationProblem?: { readonly field: string; readonly message: string; readonly fix: string };
}

export interface TenantDeclaration {
  /** Unique to one TenantBoundary object: another platform's tenant of the same name is another tenant. */
  readonly id: string;
  readonly path: string;
  readonly name: string;
  readonly namespaces: readonly string[];
  readonly allowIntraTenant: boolean;
  /** Tenants this tenant's workloads may declare flows to. */
  readonly crossTenantTo: readonly TenantReference[];
  /** Tenants whose workloads may declare flows to this tenant. */
  readonly crossTenantFrom: readonly TenantReference[];
}

/** A tenant named in another declaration: by its unique id, with its name and path for messages. */
export interface TenantReference {
  readonly id: string;
  readonly name: string;
  readonly path: string;
}

export interface FlowDeclaration {
  /** Path of the workload on which allowTo/allowFrom was called. */
  readonly path: string;
  /** E.g. `allowTo(#2)`. */
  readonly field: string;
  readonly source: PeerSpec;
  readonly destination: PeerSpec;
  /** Which end is the peer argument (the other end is the declaring workload). */
  readonly peerSide: 'source' | 'destination';
  readonly ports: readonly PortSpec[];
  /** True when the flow was marked with `.acrossTenants()`. */
  readonly crossTenant: boolean;
}

export interface DnsDeclaration {
  readonly path: string;
  readonly namespace: string;
  readonly selector: LabelSelector;
  readonly ports: readonly PortSpec[];
}

/** Everything declared on one platform, in declaration order. */
export interface PlatformDeclarations {
  readonly namespaces: readonly NamespaceDeclaration[];
  readonly externalNamespaces: readonly ExternalNamespaceDeclaration[];
  readonly workloads: readonly WorkloadDeclaration[];
  readonly tenants: readonly TenantDeclaration[];
  readonly flows: readonly FlowDeclaration[];
  readonly dns: DnsDeclaration;
  /** Pod and Service CIDRs of the cluster, which CIDR peers must never address. */
  readonly clusterNetworks: readonly string[];
}
