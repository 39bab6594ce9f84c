import { MeshDeclaration } from './mesh';
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
  /** A problem found while recording the props (e.g. labels that are not a map). */
  readonly declarationProblem?: DeclarationProblem;
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
  readonly declarationProblem?: DeclarationProblem;
  /**
   * The ports the pods' containers declare, when known (adopted cdk8s-plus workloads), read at
   * synthesis like the selector: named ports of flows to this workload are checked against them.
   */
  readonly containerPorts?: () => readonly ContainerPortDeclaration[];
}

/** A problem found by a construct while recording a declaration, reported with its path. */
export interface DeclarationProblem {
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

/** One `ports[]` entry of a container of a workload's pod template. */
export interface ContainerPortDeclaration {
  /** Where it is declared, for messages, e.g. `adopt(apps/Api).containers[0].ports[1]`. */
  readonly field: string;
  readonly name?: string;
  readonly number: number;
  /** TCP when the container port gives none (the Kubernetes default). */
  readonly protocol: string;
}

export interface TenantDeclaration {
  /** Unique to one TenantBoundary object: another platform's tenant of the same name is another tenant. */
  readonly id: string;
  readonly path: string;
  readonly name: string;
  readonly namespaces: readonly string[];
  readonly allowIntraTenant: boolean;
  /**
   * Entries of `namespaces` that name no usable namespace (empty, listed twice, or a namespace of
   * another platform), by index: reported instead of the entry.
   */
  readonly namespaceProblems?: ReadonlyMap<number, Omit<DeclarationProblem, 'field'>>;
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
  /**
   * True for a platform allowance (`platform.allowEgress` / `allowIngress`): declared by the platform
   * for the pods it names, so it needs no cross-tenant permission.
   */
  readonly platformRule?: boolean;
}

/** The pods a platform rule applies to. */
export type RuleSubjectSpec =
  /** Every pod of every namespace the platform manages. */
  | { readonly kind: 'managed-namespaces' }
  /** Every pod of the cluster, in every namespace, managed or not. */
  | { readonly kind: 'cluster' }
  | PeerSpec;

/**
 * An explicit deny declared on the platform (`denyEgress`, `denyIngress`), or a restriction
 * (`restrictIngress`): traffic that no allow, of this program or any other, may let through.
 */
export interface DenyDeclaration {
  readonly path: string;
  /** The rule's name: its construct id. */
  readonly name: string;
  /** `denyEgress`, `denyIngress` or `restrictIngress`, for messages. */
  readonly field: string;
  readonly direction: 'ingress' | 'egress';
  /** Deny the traffic with this peer... */
  readonly peer?: PeerSpec;
  /** ...or, for a restriction, with every peer but these (namespaces and tenants). */
  readonly onlyFrom?: readonly PeerSpec[];
  /** Empty means every port. */
  readonly ports: readonly PortSpec[];
  readonly subjects: RuleSubjectSpec;
}

export interface DnsDeclaration {
  readonly path: string;
  readonly namespace: string;
  readonly selector: LabelSelector;
  readonly ports: readonly PortSpec[];
  /** The link-local address of NodeLocal DNSCache, queried besides the cluster DNS pods. */
  readonly nodeLocal?: string;
}

/** Everything declared on one platform, in declaration order. */
export interface PlatformDeclarations {
  readonly namespaces: readonly NamespaceDeclaration[];
  readonly externalNamespaces: readonly ExternalNamespaceDeclaration[];
  readonly workloads: readonly WorkloadDeclaration[];
  readonly tenants: readonly TenantDeclaration[];
  readonly flows: readonly FlowDeclaration[];
  readonly denies: readonly DenyDeclaration[];
  readonly dns: DnsDeclaration;
  /** Pod and Service CIDRs of the cluster, which CIDR peers must never address. */
  readonly clusterNetworks: readonly string[];
  /** The service mesh (`MeshStrictMtls`), when one is declared. */
  readonly mesh?: MeshDeclaration;
}
