/**
 * How representative endpoints combine with the real objects of an input, before the analyzer reads them:
 *
 * - a real workload object (a Pod, or a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob
 *   through its pod template) wins: a representative pod is dropped when its selector selects a real
 *   object of its namespace;
 * - a declared workload that selects exactly one real workload object other than a Pod (an adopted
 *   cdk8s-plus Deployment, say) is shown under the workload's name: that object is renamed to it in the
 *   analyzer's input, so cdk8s' hashed names never become endpoint names. It keeps its name when another
 *   object of its namespace already has the workload's name;
 * - a representative Namespace is dropped when the input has the real one;
 * - the pod standing for "any pod" of a namespace is dropped when the namespace has a real workload object.
 *
 * Representative objects are marked by the `zero-trust.cdk8s.io/represents` annotation; everything else
 * passes through unchanged.
 */
import { REPRESENTS, REPRESENTS_ANNOTATION, Represents, SELECTOR_ANNOTATION } from './inventory-file';
import { ManifestIssue, SourcedDocument } from '../analysis';
import { LabelSelector, selectorMatches } from '../analysis/core/label-selector';
import { isRecord, JsonObject } from '../analysis/manifests/fields';
import { apiGroup, WORKLOAD_TEMPLATES } from '../analysis/manifests/inventory';
import { DocumentIssues } from '../analysis/manifests/issues';
import { parseLabelSelector } from '../analysis/manifests/label-selector-field';

/** Documents for the analyzer, and problems with the representative objects (a damaged inventory file). */
export interface CombinedInput {
  readonly documents: SourcedDocument[];
  readonly issues: ManifestIssue[];
}

interface RealWorkload {
  readonly document: SourcedDocument;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
}

/** Real objects and representative ones, combined as described above. The documents must already be flattened (no `List`). */
export function combineWithRepresentatives(real: readonly SourcedDocument[], representatives: readonly SourcedDocument[]): CombinedInput {
  const issues: ManifestIssue[] = [];
  const workloads = real.flatMap((document) => realWorkload(document) ?? []);
  const realNamespaces = new Set(real.flatMap((document) => (isRecord(document.object) && document.object.kind === 'Namespace' ? [metadataOf(document.object).name] : [])));
  const renamed = new Map<SourcedDocument, string>();
  const kept: SourcedDocument[] = [];

  for (const document of representatives) {
    const object = document.object;
    const represents = isRecord(object) ? metadataOf(object).annotations[REPRESENTS_ANNOTATION] : undefined;
    if (!isRecord(object) || represents === undefined) {
      kept.push(document);
      continue;
    }
    const { name, namespace } = metadataOf(object);
    if (!(REPRESENTS as readonly string[]).includes(represents)) {
      new DocumentIssues(issues, document.source, document.path, `${String(object.kind)} ${namespace}/${name}`).add(
        `metadata.annotations.${REPRESENTS_ANNOTATION}`,
        `must be one of ${REPRESENTS.join(', ')}, got ${JSON.stringify(represents)}; regenerate the inventory by synthesizing the app`,
      );
      continue;
    }
    if (object.kind === 'Namespace') {
      if (!realNamespaces.has(name)) kept.push(document);
      continue;
    }
    const inNamespace = workloads.filter((workload) => workload.namespace === namespace);
    if (represents === 'namespace') {
      if (inNamespace.length === 0) kept.push(document);
      continue;
    }
    const selector = readSelector(object, document, issues);
    if (!selector) continue;
    const selected = inNamespace.filter((workload) => selectorMatches(selector, workload.labels));
    if (selected.length === 0) {
      kept.push(document);
      continue;
    }
    const [only] = selected;
    const nameTaken = inNamespace.some((workload) => workload.name === name);
    if ((represents as Represents) === 'workload' && selected.length === 1 && only.kind !== 'Pod' && !nameTaken && !renamed.has(only.document)) {
      renamed.set(only.document, name);
    }
  }

  const documents = real.map((document) => {
    const name = renamed.get(document);
    if (name === undefined) return document;
    const object = document.object as JsonObject;
    return { ...document, object: { ...object, metadata: { ...(object.metadata as JsonObject), name } } };
  });
  return { documents: [...documents, ...kept], issues };
}

function metadataOf(object: JsonObject): { name: string; namespace: string; labels: unknown; annotations: Record<string, string> } {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(annotations)) if (typeof value === 'string') strings[key] = value;
  return {
    name: typeof metadata.name === 'string' ? metadata.name : '',
    namespace: typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default',
    labels: metadata.labels,
    annotations: strings,
  };
}

/** A Pod or a workload object, with the labels of its pods; undefined for anything else (the analyzer reports broken ones). */
function realWorkload(document: SourcedDocument): RealWorkload | undefined {
  const object = document.object;
  if (!isRecord(object) || typeof object.kind !== 'string' || typeof object.apiVersion !== 'string') return undefined;
  const group = apiGroup(object.apiVersion);
  const template = WORKLOAD_TEMPLATES[object.kind];
  let labels: unknown;
  if (group === '' && object.kind === 'Pod') {
    labels = metadataOf(object).labels;
  } else if (template && template.groups.includes(group)) {
    let current: unknown = object;
    for (const field of template.template) current = isRecord(current) ? current[field] : undefined;
    labels = isRecord(current) && isRecord(current.metadata) ? current.metadata.labels : undefined;
  } else {
    return undefined;
  }
  const { name, namespace } = metadataOf(object);
  const map = new Map<string, string>();
  if (isRecord(labels)) for (const [key, value] of Object.entries(labels)) if (typeof value === 'string') map.set(key, value);
  return { document, kind: object.kind, namespace, name, labels: map };
}

function readSelector(object: JsonObject, document: SourcedDocument, issues: ManifestIssue[]): LabelSelector | undefined {
  const reporter = new DocumentIssues(issues, document.source, document.path, `representative ${String(object.kind)} ${metadataOf(object).namespace}/${metadataOf(object).name}`);
  const field = `metadata.annotations.${SELECTOR_ANNOTATION}`;
  const text = metadataOf(object).annotations[SELECTOR_ANNOTATION];
  if (text === undefined) {
    reporter.add(field, 'is required on a representative pod; regenerate the inventory by synthesizing the app');
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    reporter.add(field, `must be a label selector in JSON: ${(error as Error).message}`);
    return undefined;
  }
  return parseLabelSelector(value, field, reporter);
}
