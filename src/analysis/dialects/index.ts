import { CALICO_KINDS, calicoNetworkPolicy } from './calico';
import { CILIUM_KINDS, ciliumNetworkPolicy } from './cilium';
import { ISTIO_KINDS, istioMesh } from './istio';
import { kubernetesNetworkPolicy, kubernetesNetworkPolicyUnderCilium } from './kubernetes';
import { Dialect } from '../dialect';
import { SourcedDocument } from '../manifests/documents';
import { isRecord } from '../manifests/fields';
import { findKind } from '../manifests/object-kinds';
import { AnalyzeMeshOption, CniOption } from '../types';

/** The dialects the analyzer reads unless told otherwise, in the order they are offered objects. */
export const BUILT_IN_DIALECTS: readonly Dialect[] = [kubernetesNetworkPolicy];

/** Under Cilium: NetworkPolicy on Cilium identities, and Cilium's own kinds; the fold unions them per endpoint. */
export const CILIUM_DIALECTS: readonly Dialect[] = [kubernetesNetworkPolicyUnderCilium, ciliumNetworkPolicy];

/**
 * Under Calico: one dialect reads Kubernetes NetworkPolicy and Calico's kinds, since Calico evaluates them in one
 * ordered walk over tiers (NetworkPolicy in tier `default` at order 1000).
 */
export const CALICO_DIALECTS: readonly Dialect[] = [calicoNetworkPolicy];

function hasKinds(documents: readonly SourcedDocument[], kinds: typeof CILIUM_KINDS): boolean {
  return documents.some(({ object }) => isRecord(object) && typeof object.apiVersion === 'string' && typeof object.kind === 'string'
    && findKind(kinds, object.apiVersion, object.kind) !== undefined);
}

/** Whether any document is of a Cilium policy kind (what `cni: 'auto'` looks for). */
export function hasCiliumKinds(documents: readonly SourcedDocument[]): boolean {
  return hasKinds(documents, CILIUM_KINDS);
}

/** Whether any document is of a Calico (projectcalico.org/v3) kind the Calico dialect reads. */
export function hasCalicoKinds(documents: readonly SourcedDocument[]): boolean {
  return hasKinds(documents, CALICO_KINDS);
}

/** The dialects for a CNI option; `auto` picks Cilium when the documents hold Cilium kinds, else Calico for Calico kinds. */
export function dialectsForCni(cni: CniOption, documents: readonly SourcedDocument[]): readonly Dialect[] {
  if (cni === 'cilium' || (cni === 'auto' && hasCiliumKinds(documents))) return CILIUM_DIALECTS;
  if (cni === 'calico' || (cni === 'auto' && hasCalicoKinds(documents))) return CALICO_DIALECTS;
  return BUILT_IN_DIALECTS;
}

/** Whether any document is of a security.istio.io kind the Istio dialect reads (what `mesh: 'auto'` looks for). */
export function hasIstioKinds(documents: readonly SourcedDocument[]): boolean {
  return hasKinds(documents, ISTIO_KINDS);
}

/** The mesh dialects for a mesh option: Istio for `istio`, or for `auto` when the documents hold Istio kinds. */
export function dialectsForMesh(mesh: AnalyzeMeshOption, documents: readonly SourcedDocument[]): readonly Dialect[] {
  return mesh === 'istio' || (mesh === 'auto' && hasIstioKinds(documents)) ? [istioMesh] : [];
}

/** The first dialect that reads objects of this apiVersion and kind. */
export function dialectFor(dialects: readonly Dialect[], apiVersion: string, kind: string): Dialect | undefined {
  return dialects.find((dialect) => findKind(dialect.kinds, apiVersion, kind) !== undefined);
}
