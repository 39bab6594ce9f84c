/** How `ZeroTrustApp` lays out the files it writes. */
export enum OutputLayout {
  /**
   * `<platform>.k8s.yaml` (Namespaces, cluster-scoped objects of every backend, then the guardrails) and one
   * `<namespace>.k8s.yaml` per managed namespace (every backend's objects of that namespace), as a
   * plain cdk8s App with FILE_PER_CHART writes them.
   */
  FLAT = 'flat',
  /**
   * One folder per backend (`kubernetes/`, …) holding `<namespace>.k8s.yaml` per managed namespace
   * and `<platform>.k8s.yaml` for its cluster-scoped objects, `platform/` for the Namespace objects,
   * one folder per guardrails engine (`kyverno/<platform>.k8s.yaml`: ClusterPolicies and their RBAC),
   * a `kustomization.yaml` in each folder, and one entry point per target, `targets/<name>/kustomization.yaml`
   * (`platform/`, that network backend's folder and the mesh's): the targets are alternatives, one per CNI.
   * The top kustomization lists only the app's other charts. A `GitOpsDelivery` chart gets a folder of its
   * own. Apply a target with `kubectl apply -k dist/targets/<name>`, or let Argo CD or Flux do it (docs/gitops.md).
   */
  FOLDER_PER_BACKEND = 'folder-per-backend',
}

/** The layout of a ZeroTrustApp; undefined for any other app. */
export function layoutOf(app: object): OutputLayout | undefined {
  const layout = (app as { layout?: unknown }).layout;
  return Object.values(OutputLayout).includes(layout as OutputLayout) ? (layout as OutputLayout) : undefined;
}
