/**
 * The delivery targets of the folder-per-backend layout: the alternatives a cluster chooses from. Each
 * network backend (Kubernetes NetworkPolicy, Cilium, Calico, a custom one) is one target, since a cluster
 * runs one CNI; the mesh backend (Istio) is not an alternative but a layer, so every target carries it.
 * A target's entry point is `targets/<name>/kustomization.yaml`: `platform/` (the Namespaces) and the
 * target's folders.
 */
import { IConstruct } from 'constructs';
import { Backend } from '../backends/registry';
import { ValidationIssue } from '../model/issues';
import { compareStrings } from '../model/selector';

/** The folder of the Namespace objects, which every target applies. */
export const NAMESPACES_FOLDER = 'platform';
/** The folder holding one entry point per target; it has no kustomization of its own, on purpose. */
export const TARGETS_FOLDER = 'targets';

/** What the targets are computed from: a platform's path and backends (a `ZeroTrustPlatform`). */
export interface TargetSource extends IConstruct {
  readonly backends: readonly Backend[];
}

/** One alternative a cluster can apply. */
export interface DeliveryTarget {
  /** The network backend's id, e.g. `cilium`: the folder `targets/<name>/`. */
  readonly name: string;
  /** The backend folders the target applies besides the shared base, the target's own first, then the mesh's. */
  readonly folders: readonly string[];
}

function isMesh(backend: Backend): boolean {
  return backend?._column === 'istio';
}

function validBackends(platform: TargetSource): Backend[] {
  return (platform.backends ?? []).filter((b) => typeof b?.id === 'string');
}

/**
 * The targets of an app's platforms, sorted by name: one per network backend id, each with the mesh
 * folders of the app. An app whose only backends are meshes has one target per mesh backend.
 */
export function deliveryTargets(platforms: readonly TargetSource[]): DeliveryTarget[] {
  const network = new Set<string>();
  const mesh = new Set<string>();
  for (const platform of platforms) {
    for (const backend of validBackends(platform)) (isMesh(backend) ? mesh : network).add(backend.id);
  }
  const meshFolders = [...mesh].sort(compareStrings);
  if (network.size === 0) return meshFolders.map((name) => ({ name, folders: [name] }));
  return [...network].sort(compareStrings).map((name) => ({ name, folders: [name, ...meshFolders] }));
}

/**
 * In the folder layout, every platform of an app must render every target: a target applies the
 * Namespaces of all platforms, so a platform without the target's backend would get its namespaces
 * created with no policy at all. Also refuses backend ids that are the layout's own folders.
 */
export function targetIssues(platform: TargetSource, platforms: readonly TargetSource[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const own = validBackends(platform);
  own.forEach((backend, index) => {
    if (backend.id === TARGETS_FOLDER || backend.id === NAMESPACES_FOLDER) {
      issues.push({
        path: platform.node.path,
        field: `backends[${index}].id`,
        message: `backend id '${backend.id}' is a folder of the folder-per-backend layout (${NAMESPACES_FOLDER}/, ${TARGETS_FOLDER}/)`,
        fix: 'give the renderer another id',
      });
    }
  });
  if (platforms.length < 2) return issues;
  const ownIds = new Set(own.map((b) => b.id));
  for (const target of deliveryTargets(platforms)) {
    // Only the target's network backend is required: the mesh is a layer, and a platform without one has nothing in its folder.
    if (ownIds.has(target.name) || own.length === 0) continue;
    const other = platforms.find((p) => p !== platform && validBackends(p).some((b) => b.id === target.name));
    issues.push({
      path: platform.node.path,
      field: 'backends',
      message: `the app's target '${target.name}' (targets/${target.name}/) applies the Namespaces of every platform, and this platform has no backend '${target.name}' (${other?.node.path ?? 'another platform'} has), so its namespaces would have no policies there`,
      fix: `give every platform of the app the same network backends (add the '${target.name}' backend here), or synthesize the platforms in separate apps`,
    });
  }
  return issues;
}
