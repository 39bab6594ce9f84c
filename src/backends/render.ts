import { Manifest } from './manifest';
import { renderNamespaceObjects } from './namespace-objects';
import { Backend } from './registry';
import { BuiltInBackend, rowOf, supportOf } from './support-table';
import { featureUses } from '../model/features';
import { ValidationIssue } from '../model/issues';
import { omitFeatures } from '../model/omit';
import { PolicyPlan } from '../model/plan';

/** One backend's objects, placed by where they must be written. */
export interface BackendOutput {
  /** The backend's id, e.g. `kubernetes`. */
  readonly backend: string;
  /** Objects of each managed namespace (every managed namespace has an entry), in the backend's order. */
  readonly byNamespace: ReadonlyMap<string, readonly Manifest[]>;
  /** Cluster-scoped objects, and objects in namespaces the platform does not manage. */
  readonly cluster: readonly Manifest[];
}

/** A platform's whole output, keyed by backend, so that a layout knows which dialect each object is. */
export interface PlatformRendering {
  /** Namespace objects of the managed namespaces: backend-neutral. */
  readonly namespaces: readonly Manifest[];
  /** Managed namespace names, sorted. */
  readonly managedNamespaces: readonly string[];
  /** One per backend, in the platform's order. */
  readonly backends: readonly BackendOutput[];
  /**
   * Admission-time guardrails (Kyverno ClusterPolicies and their RBAC): cluster-scoped objects that
   * need the policy engine's CRDs, one entry per engine. Empty unless the platform has guardrails.
   */
  readonly guardrails: readonly GuardrailsOutput[];
}

/** The cluster-scoped objects of one policy engine's guardrails. */
export interface GuardrailsOutput {
  /** The engine, e.g. `kyverno`: the folder of its objects in the folder-per-backend layout. */
  readonly engine: string;
  readonly objects: readonly Manifest[];
}

export type RenderingResult =
  | { readonly ok: true; readonly rendering: PlatformRendering }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Renders the plan with every backend. A backend's issues (intents it cannot express) and objects that
 * would collide when applied fail the whole rendering: nothing is written.
 */
export function renderPlatform(plan: PolicyPlan, backends: readonly Backend[], platformPath: string): RenderingResult {
  const issues: ValidationIssue[] = [];
  const managedNamespaces = plan.namespaces.map((n) => n.namespace.name);
  const managed = new Set(managedNamespaces);
  const namespaces = renderNamespaceObjects(plan.model);
  const seen = new Map<string, string>(namespaces.map((m) => [objectKey(m), 'the platform']));
  const outputs = backends.map((backend, index): BackendOutput => {
    const target = planForTarget(plan, backend);
    const optionIssues = backend._planIssues(plan, platformPath, `backends[${index}]`);
    issues.push(...optionIssues, ...target.issues);
    const rendered = target.issues.length > 0 || optionIssues.length > 0 ? { manifests: [], issues: [] } : backend._renderer().render(target.plan);
    issues.push(...rendered.issues);
    const byNamespace = new Map<string, Manifest[]>(managedNamespaces.map((n) => [n, []]));
    const cluster: Manifest[] = [];
    for (const manifest of rendered.manifests) {
      const field = `backends[${index}]`;
      const problem = malformed(manifest);
      if (problem) {
        issues.push({ path: platformPath, field, message: `backend '${backend.id}' emitted an object that ${problem}`, fix: 'fix the renderer: every object needs apiVersion, kind and metadata.name' });
        continue;
      }
      const key = objectKey(manifest);
      const owner = seen.get(key);
      if (owner !== undefined) {
        issues.push({
          path: platformPath,
          field,
          message: `backend '${backend.id}' emitted ${describeObject(manifest)}, which ${owner} emits too; applying both, one would overwrite the other`,
          fix: owner === `backend '${backend.id}'` ? 'fix the renderer: each object once' : 'remove one of the two backends, or give their objects distinct names',
        });
        continue;
      }
      seen.set(key, `backend '${backend.id}'`);
      const namespace = manifest.metadata.namespace;
      (namespace !== undefined && managed.has(namespace) ? byNamespace.get(namespace)! : cluster).push(manifest);
    }
    return { backend: backend.id, byNamespace, cluster };
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, rendering: { namespaces, managedNamespaces, backends: outputs, guardrails: [] } };
}

/**
 * The plan a built-in backend renders: its scope (the mesh renders what workloads receive), without
 * the features it declares it omits, and with an issue
 * for each remaining use of a feature it cannot express (construct path, feature, fix), read from the
 * support table. A custom renderer gets the whole plan and answers for itself.
 */
export function planForTarget(plan: PolicyPlan, backend: Backend): { readonly plan: PolicyPlan; readonly issues: readonly ValidationIssue[] } {
  const column: BuiltInBackend | undefined = backend._column;
  if (!column) return { plan, issues: [] };
  const reduced = omitFeatures(backend._scope(plan), new Set(backend.omitted), backend.id);
  const issues: ValidationIssue[] = [...reduced.issues];
  for (const use of featureUses(reduced.plan)) {
    const support = supportOf(column, use.feature);
    if (support.supported) continue;
    issues.push({
      path: use.path,
      field: use.field,
      message: `${use.what}: the '${backend.id}' backend cannot express ${rowOf(use.feature).name} (${support.why})`,
      fix: support.fix,
    });
  }
  return { plan: reduced.plan, issues };
}

/** The identity of an object in a cluster: API group, kind, namespace and name (the version does not matter). */
function objectKey(manifest: Manifest): string {
  const slash = manifest.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : manifest.apiVersion.slice(0, slash);
  return `${group}|${manifest.kind}|${manifest.metadata.namespace ?? ''}|${manifest.metadata.name}`;
}

function describeObject(manifest: Manifest): string {
  const namespace = manifest.metadata.namespace;
  return `${manifest.kind} ${namespace === undefined ? '' : `${namespace}/`}${manifest.metadata.name}`;
}

function malformed(manifest: Manifest): string | undefined {
  if (typeof manifest !== 'object' || manifest === null) return 'is not an object';
  if (typeof manifest.apiVersion !== 'string' || manifest.apiVersion === '') return 'has no apiVersion';
  if (typeof manifest.kind !== 'string' || manifest.kind === '') return 'has no kind';
  if (typeof manifest.metadata?.name !== 'string' || manifest.metadata.name === '') return `(${manifest.kind}) has no metadata.name`;
  return undefined;
}
