/**
 * The service mesh of a platform (Istio, sidecar mode): STRICT mutual TLS across the mesh, the
 * overrides and port exceptions declared with a reason, which pods run without a sidecar, and where
 * the control plane is. Declared by `MeshStrictMtls`, resolved here, rendered by the Istio backend
 * (PeerAuthentication, AuthorizationPolicy) and, for what the mesh itself needs on the network
 * (sidecars to istiod), by every network backend through ordinary planned flows.
 */
import { PeerSpec } from './peer';
import { PortSpec } from './port';
import { LabelSelector, NormalizedSelector } from './selector';

/**
 * A PeerAuthentication mTLS mode (https://istio.io/latest/docs/reference/config/security/peer_authentication/):
 * `STRICT` accepts only mutual TLS; `PERMISSIVE` accepts mutual TLS and plaintext; `DISABLE` accepts
 * only plaintext (a client that sends Istio mTLS to it fails). `UNSET` is not offered: leaving a
 * level out is how a policy inherits.
 */
export const MtlsMode = {
  STRICT: 'STRICT',
  PERMISSIVE: 'PERMISSIVE',
  DISABLE: 'DISABLE',
} as const;
export type MtlsMode = (typeof MtlsMode)[keyof typeof MtlsMode];

export const MTLS_MODES: readonly MtlsMode[] = Object.values(MtlsMode);

/** What a namespace's pods get injected: `istio-injection: enabled` (https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/). */
export const INJECTION_LABEL = 'istio-injection';
/** Revision-based injection: a namespace with this label is injected by that revision, and gets no `istio-injection` label from us. */
export const REVISION_LABEL = 'istio.io/rev';

/** A mode override of a namespace or a workload, as declared. */
export interface MtlsOverrideDeclaration {
  readonly field: string;
  /** `namespace` names a namespace; `workload` a declared workload (by its construct path). */
  readonly target: { readonly kind: 'namespace'; readonly namespace: string } | { readonly kind: 'workload'; readonly path: string };
  readonly mode: unknown;
  readonly reason: unknown;
}

/** A port-level mode of one workload (`portLevelMtls`), as declared. */
export interface PortExceptionDeclaration {
  readonly field: string;
  readonly workloadPath: string;
  readonly port: PortSpec;
  readonly mode: unknown;
  readonly reason: unknown;
}

/** Pods that run without a sidecar, as declared. */
export interface SidecarlessDeclaration {
  readonly field: string;
  readonly target: { readonly kind: 'namespace'; readonly namespace: string } | { readonly kind: 'workload'; readonly path: string };
  readonly reason: unknown;
}

export interface MeshDeclaration {
  readonly path: string;
  /** meshConfig.rootNamespace: where the mesh-wide policies live. */
  readonly rootNamespace: unknown;
  /** The istiod pods, which every sidecar reaches on 15012. */
  readonly istiod: { readonly namespace: unknown; readonly selector: LabelSelector };
  /** Pods that scrape the sidecars' metrics (15020, 15090), if any. Peer specs as declared. */
  readonly scrapeFrom: readonly PeerSpec[];
  readonly overrides: readonly MtlsOverrideDeclaration[];
  readonly portExceptions: readonly PortExceptionDeclaration[];
  readonly sidecarless: readonly SidecarlessDeclaration[];
}

/** A validated override. */
export interface ResolvedMtlsOverride {
  readonly path: string;
  readonly field: string;
  readonly mode: MtlsMode;
  /** Required unless the mode is STRICT. */
  readonly reason?: string;
}

export interface ResolvedPortException {
  readonly path: string;
  readonly field: string;
  readonly port: number;
  readonly mode: MtlsMode;
  readonly reason: string;
}

/** The mesh settings of one workload that has any. */
export interface ResolvedMeshWorkload {
  readonly namespace: string;
  readonly name: string;
  readonly path: string;
  readonly selector: NormalizedSelector;
  readonly override?: ResolvedMtlsOverride;
  /** Sorted by port. */
  readonly ports: readonly ResolvedPortException[];
}

export interface ResolvedMesh {
  /** Construct path of the MeshStrictMtls. */
  readonly path: string;
  readonly rootNamespace: string;
  readonly istiod: { readonly namespace: string; readonly selector: NormalizedSelector };
  /** Namespace overrides by namespace name (managed namespaces only), sorted by name. */
  readonly namespaces: readonly ({ readonly namespace: string } & ResolvedMtlsOverride)[];
  /** Workloads with an override or port exceptions, sorted by namespace and name. */
  readonly workloads: readonly ResolvedMeshWorkload[];
  /** Managed namespaces whose pods run without a sidecar, with the reason, sorted. */
  readonly sidecarlessNamespaces: readonly { readonly namespace: string; readonly reason: string; readonly path: string; readonly field: string }[];
  /** Workloads (`<namespace>/<name>`) that run without a sidecar, with the reason, sorted. */
  readonly sidecarlessWorkloads: readonly { readonly key: string; readonly reason: string; readonly path: string; readonly field: string }[];
}

/** The flows the mesh itself needs, so that STRICT mTLS plus default-deny does not cut the sidecars off. */
export const MESH_PORTS = {
  /** istiod: xDS and certificate signing over mutual TLS, what every sidecar dials (https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio). */
  istiod: 15012,
  /** The merged Prometheus metrics of istio-agent, Envoy and the application. */
  mergedMetrics: 15020,
  /** Envoy's own Prometheus metrics. */
  envoyMetrics: 15090,
} as const;

/** Whether the pods of a workload have a sidecar. */
export function hasSidecar(mesh: ResolvedMesh, namespace: string, workload?: string): boolean {
  if (mesh.sidecarlessNamespaces.some((n) => n.namespace === namespace)) return false;
  return workload === undefined || !mesh.sidecarlessWorkloads.some((w) => w.key === `${namespace}/${workload}`);
}
