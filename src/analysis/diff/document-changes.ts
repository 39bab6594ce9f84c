/** Which objects differ between the two sides of a diff, compared by identity and by content. */
import { Dialect } from '../dialect';
import { dialectFor } from '../dialects';
import { LoadedManifests, SourcedDocument } from '../manifests/documents';
import { isRecord } from '../manifests/fields';
import { apiGroup } from '../manifests/inventory';

/** One side of a diff: its documents, read once. */
export interface DiffSideInput {
  readonly loaded: LoadedManifests;
  /** `group/Kind|namespace|name` of a document. */
  identity(document: SourcedDocument): string;
  /** Whether the document is a policy whose effect is limited to the endpoints it selects. */
  isPolicy(document: SourcedDocument): boolean;
  /** `Kind|namespace|name` of a policy document, as its `PolicyRef` gives them (an unset namespace is `default`). */
  policyRef(document: SourcedDocument): string;
  /** Whether the document is read by a dialect (a Tier, a network set…) or is a Service: what policies may refer to. */
  isPolicyContext(document: SourcedDocument): boolean;
}

export interface DocumentChanges {
  /** `Kind namespace/name` (or `Kind name`) of each object added, removed or changed, sorted. */
  readonly objects: readonly string[];
  /** Identities of those objects (`DiffSideInput.identity`). */
  readonly keys: ReadonlySet<string>;
  /** `group/Kind` of those objects, without repeats. */
  readonly kinds: readonly string[];
}

/** The cluster-scoped kinds among the selecting policies: their `PolicyRef` has no namespace. */
const CLUSTER_SCOPED_POLICY_KINDS: ReadonlySet<string> = new Set([
  'cilium.io/CiliumClusterwideNetworkPolicy',
  'projectcalico.org/GlobalNetworkPolicy',
  'projectcalico.org/StagedGlobalNetworkPolicy',
]);

interface Identified {
  readonly key: string;
  readonly kind: string;
  readonly label: string;
  readonly policyRef: string;
}

function identify(document: SourcedDocument): Identified {
  const object = isRecord(document.object) ? document.object : {};
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : '';
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const groupKind = `${apiGroup(apiVersion)}/${kind}`;
  return {
    key: `${groupKind}|${namespace}|${name}`,
    kind: groupKind,
    label: `${kind} ${namespace ? `${namespace}/` : ''}${name}`,
    policyRef: `${kind}|${CLUSTER_SCOPED_POLICY_KINDS.has(groupKind) ? '' : namespace || 'default'}|${name}`,
  };
}

/** JSON with object keys sorted: two documents with the same content give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Classifies one side's documents; `selectingKinds` are the `group/Kind`s counted as policies. */
export function sideInput(loaded: LoadedManifests, dialects: readonly Dialect[], selectingKinds: ReadonlySet<string>): DiffSideInput {
  return {
    loaded,
    identity: (document) => identify(document).key,
    policyRef: (document) => identify(document).policyRef,
    isPolicy: (document) => selectingKinds.has(identify(document).kind),
    isPolicyContext: (document) => {
      const object = isRecord(document.object) ? document.object : {};
      const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
      const kind = typeof object.kind === 'string' ? object.kind : '';
      return kind === 'Service' || dialectFor(dialects, apiVersion, kind) !== undefined;
    },
  };
}

function contents(loaded: LoadedManifests): Map<string, { readonly id: Identified; readonly documents: unknown[] }> {
  const byKey = new Map<string, { id: Identified; documents: unknown[] }>();
  for (const document of loaded.documents) {
    const id = identify(document);
    const entry = byKey.get(id.key);
    if (entry) entry.documents.push(document.object);
    else byKey.set(id.key, { id, documents: [document.object] });
  }
  return byKey;
}

/** Same content: the native JSON text first (fast, and equal for objects written by the same program), key order ignored only to confirm a difference. */
function sameContent(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  if (a.every((object, index) => JSON.stringify(object) === JSON.stringify(b[index]))) return true;
  const canonical = (objects: readonly unknown[]): string => objects.map(canonicalJson).sort().join('\n');
  return canonical(a) === canonical(b);
}

/** The objects added, removed or changed between the sides. */
export function changedDocuments(base: DiffSideInput, head: DiffSideInput): DocumentChanges {
  const before = contents(base.loaded);
  const after = contents(head.loaded);
  const changed = new Map<string, Identified>();
  for (const [key, entry] of before) {
    const other = after.get(key);
    if (!other || !sameContent(entry.documents, other.documents)) changed.set(key, entry.id);
  }
  for (const [key, entry] of after) if (!before.has(key)) changed.set(key, entry.id);
  const ids = [...changed.values()];
  // The same kind in two API groups (NetworkPolicy of networking.k8s.io and of projectcalico.org): name the group, as
  // kubectl's `kind.group` does.
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id.label, (counts.get(id.label) ?? 0) + 1);
  const label = (id: Identified): string => {
    if ((counts.get(id.label) ?? 0) < 2) return id.label;
    const [group, kind] = [id.kind.slice(0, id.kind.indexOf('/')), id.kind.slice(id.kind.indexOf('/') + 1)];
    return group === '' ? id.label : `${kind}.${group}${id.label.slice(kind.length)}`;
  };
  return {
    objects: ids.map(label).sort(),
    keys: new Set(changed.keys()),
    kinds: [...new Set(ids.map((id) => id.kind))].sort(),
  };
}
