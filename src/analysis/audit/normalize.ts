/**
 * The comparable form of an object for drift: what was declared, without what the API server or a deploy tool adds.
 * Both sides (the declared manifest and the live object) go through the same function, so a default written out
 * in one and left implicit in the other compares equal. The rule:
 *
 * - `apiVersion` is left out (the object is identified by group and kind; the server converts between versions),
 *   and so is `status`;
 * - of `metadata`, only `name`, `namespace` (`default` when unset on a namespaced kind), `labels` and `annotations`
 *   are compared: `uid`, `resourceVersion`, `generation`, `creationTimestamp`, `managedFields`, `ownerReferences`,
 *   `finalizers`, … are the server's;
 * - labels and annotations that tools set on what they apply are ignored unless declared:
 *   `kubectl.kubernetes.io/last-applied-configuration` (kubectl apply), `argocd.argoproj.io/tracking-id` and
 *   `app.kubernetes.io/instance` (Argo CD), `kustomize.toolkit.fluxcd.io/name` and `/namespace` (Flux), and on
 *   Namespaces `kubernetes.io/metadata.name` (set by the API server to the name); empty maps count as absent;
 * - `null` values count as absent (the server drops them);
 * - Namespace: `spec.finalizers: [kubernetes]` is the server's default;
 * - networking.k8s.io NetworkPolicy (https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/):
 *   `policyTypes` defaults to `[Ingress]`, plus `Egress` when `egress` has rules, and compares as a set; a port's
 *   `protocol` defaults to TCP; empty lists (`ingress`, `from`, `ports`, `except`…) and empty `matchLabels` /
 *   `matchExpressions` count as absent (the server omits them: they mean the same);
 * - projectcalico.org/v3 policies (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy): `tier`
 *   defaults to `default`, and `types` to `[Ingress]`, `[Egress]` when there are only egress rules, both when both;
 *   compared as a set.
 */
import { isRecord, JsonObject } from '../manifests/fields';

/** Labels and annotations tools add to what they apply: ignored unless declared. */
const TOOL_LABELS: ReadonlySet<string> = new Set(['app.kubernetes.io/instance', 'kustomize.toolkit.fluxcd.io/name', 'kustomize.toolkit.fluxcd.io/namespace']);
const TOOL_ANNOTATIONS: ReadonlySet<string> = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'argocd.argoproj.io/tracking-id',
  'kustomize.toolkit.fluxcd.io/checksum',
]);
/** The label the API server sets on every Namespace (https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-metadata-name). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const CALICO_POLICY_KINDS: ReadonlySet<string> = new Set([
  'NetworkPolicy',
  'GlobalNetworkPolicy',
  'StagedNetworkPolicy',
  'StagedGlobalNetworkPolicy',
]);

/** Drops `null` values recursively (not array elements). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isRecord(value)) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) if (item !== null && item !== undefined) out[key] = withoutNulls(item);
  return out;
}

/** Drops empty lists, and empty `matchLabels` / `matchExpressions`, recursively: NetworkPolicy's `omitempty` fields. */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (!isRecord(value)) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (Array.isArray(item) && item.length === 0) continue;
    if ((key === 'matchLabels' || key === 'matchExpressions') && isRecord(item) && Object.keys(item).length === 0) continue;
    out[key] = withoutEmpty(item);
  }
  return out;
}

/** `labels` or `annotations` without the tool-set keys the declared side does not have; undefined when empty. */
function comparableMap(map: unknown, declared: unknown, ignored: (key: string, value: unknown) => boolean): unknown {
  if (!isRecord(map)) return map;
  const declaredKeys = isRecord(declared) ? declared : {};
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(map)) {
    if (!Object.hasOwn(declaredKeys, key) && ignored(key, value)) continue;
    out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function sortedSet(value: unknown): unknown {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? [...new Set(value)].sort() : value;
}

function hasRules(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function normalizeNetworkPolicySpec(spec: JsonObject): JsonObject {
  const out = withoutEmpty(spec) as JsonObject;
  if (!Array.isArray(out.policyTypes)) out.policyTypes = hasRules(out.egress) ? ['Ingress', 'Egress'] : ['Ingress'];
  out.policyTypes = sortedSet(out.policyTypes);
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = out[direction];
    if (!Array.isArray(rules)) continue;
    out[direction] = rules.map((rule) => {
      if (!isRecord(rule) || !Array.isArray(rule.ports)) return rule;
      return { ...rule, ports: rule.ports.map((port) => (isRecord(port) && port.protocol === undefined ? { ...port, protocol: 'TCP' } : port)) };
    });
  }
  return out;
}

function normalizeCalicoPolicySpec(spec: JsonObject): JsonObject {
  const out: JsonObject = { ...spec };
  if (out.tier === undefined || out.tier === '') out.tier = 'default';
  if (!Array.isArray(out.types) || out.types.length === 0) {
    const ingress = hasRules(out.ingress);
    const egress = hasRules(out.egress);
    out.types = egress && !ingress ? ['Egress'] : egress ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  out.types = sortedSet(out.types);
  return out;
}

/**
 * The comparable form of `object` of API group `group`; `declared` is the declared counterpart (for the tool-set
 * labels and annotations it keeps), the object itself on the declared side.
 */
export function comparableObject(object: JsonObject, group: string, namespaced: boolean, declared: JsonObject): JsonObject {
  const clean = withoutNulls(object) as JsonObject;
  const kind = typeof clean.kind === 'string' ? clean.kind : '';
  const metadata = isRecord(clean.metadata) ? clean.metadata : {};
  const declaredMetadata = isRecord(declared.metadata) ? declared.metadata : {};
  const name = metadata.name;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(clean)) if (key !== 'apiVersion' && key !== 'status' && key !== 'metadata') out[key] = value;
  const comparableMetadata: JsonObject = { name };
  if (namespaced) comparableMetadata.namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default';
  const isNamespace = group === '' && kind === 'Namespace';
  const labels = comparableMap(metadata.labels, declaredMetadata.labels, (key, value) =>
    TOOL_LABELS.has(key) || (isNamespace && key === NAMESPACE_NAME_LABEL && value === name));
  const annotations = comparableMap(metadata.annotations, declaredMetadata.annotations, (key) => TOOL_ANNOTATIONS.has(key));
  if (labels !== undefined) comparableMetadata.labels = labels;
  if (annotations !== undefined) comparableMetadata.annotations = annotations;
  out.metadata = comparableMetadata;

  if (isNamespace && isRecord(out.spec)) {
    const spec = { ...out.spec };
    if (Array.isArray(spec.finalizers) && spec.finalizers.length === 1 && spec.finalizers[0] === 'kubernetes') delete spec.finalizers;
    if (Object.keys(spec).length === 0) delete out.spec;
    else out.spec = spec;
  }
  if (group === 'networking.k8s.io' && kind === 'NetworkPolicy' && isRecord(out.spec)) out.spec = normalizeNetworkPolicySpec(out.spec);
  if (group === 'projectcalico.org' && CALICO_POLICY_KINDS.has(kind) && isRecord(out.spec)) out.spec = normalizeCalicoPolicySpec(out.spec);
  return out;
}
