/**
 * Cilium's label model: every label has a source (`k8s`, `reserved`, …) and selectors name a source or
 * `any` (https://docs.cilium.io/en/stable/security/policy/language/#endpoints-based, github.com/cilium/cilium
 * `pkg/labels/labels.go`). Identity labels are kept flat, keyed `source:key`, with an `any:key` alias for each
 * key, so that the generic selector matching (`core/label-selector`) answers Cilium selectors unchanged.
 */

export const SOURCE_K8S = 'k8s';
export const SOURCE_RESERVED = 'reserved';
export const SOURCE_ANY = 'any';

/** `k8s:io.kubernetes.pod.namespace`, set by Cilium on every pod identity (github.com/cilium/cilium `pkg/k8s/apis/cilium.io/const.go`). */
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const SERVICE_ACCOUNT_LABEL = 'io.cilium.k8s.policy.serviceaccount';
export const CLUSTER_LABEL = 'io.cilium.k8s.policy.cluster';
/** Namespace labels are copied into pod identities under this prefix plus `.`. */
export const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels';

/** Reserved identities (github.com/cilium/cilium `pkg/labels/labels.go` IDName*). */
export const RESERVED = {
  host: 'host',
  remoteNode: 'remote-node',
  world: 'world',
  kubeApiServer: 'kube-apiserver',
  health: 'health',
  init: 'init',
  ingress: 'ingress',
  unmanaged: 'unmanaged',
  none: 'none',
  all: 'all',
} as const;

/** Interned `source:key` strings: the same few keys recur on every identity, and one string object per key keeps the label indexes fast. */
const internedKeys = new Map<string, Map<string, string>>();

/** `source:key`, as identity maps and normalized selectors key labels. */
export function labelKey(source: string, key: string): string {
  let bySource = internedKeys.get(source);
  if (!bySource) {
    bySource = new Map();
    internedKeys.set(source, bySource);
  }
  let text = bySource.get(key);
  if (text === undefined) {
    text = `${source}:${key}`;
    // Keys come from manifests: keep the table bounded.
    if (bySource.size < 100_000) bySource.set(key, text);
  }
  return text;
}

/**
 * The source and key of a selector key as Cilium reads it (`parseSource` in github.com/cilium/cilium
 * `pkg/labels/labels.go`): `$host` is `reserved:host`, text before the first `:` is the source, and a key
 * without one matches labels of any source.
 */
export function parseSelectorKey(text: string): { readonly source: string; readonly key: string } {
  if (text.startsWith('$')) return { source: SOURCE_RESERVED, key: text.slice(1) };
  const colon = text.indexOf(':');
  if (colon < 0) return { source: SOURCE_ANY, key: text };
  return { source: colon === 0 ? SOURCE_ANY : text.slice(0, colon), key: text.slice(colon + 1) };
}

/** A label prefix of the identity filter: a regular expression matched at the start of the key. */
interface LabelPrefix {
  readonly pattern: RegExp;
  readonly ignore: boolean;
}

/**
 * The default identity-relevant label filter (github.com/cilium/cilium `pkg/labelsfilter/filter.go`
 * `defaultLabelPrefixCfg`, https://docs.cilium.io/en/stable/operations/performance/scalability/identity-relevant-labels/).
 * Labels it drops are not part of the identity, so no selector can match them.
 */
const DEFAULT_LABEL_PREFIXES: readonly LabelPrefix[] = [
  ['io\\.kubernetes\\.pod\\.namespace', false],
  ['io\\.cilium\\.k8s\\.namespace\\.labels', false],
  ['app\\.kubernetes\\.io', false],
  ['io\\.cilium\\.k8s\\.policy\\.cluster', false],
  ['io\\.kubernetes', true],
  ['kubernetes\\.io', true],
  ['statefulset\\.kubernetes\\.io/pod-name', true],
  ['apps\\.kubernetes\\.io/pod-index', true],
  ['batch\\.kubernetes\\.io/job-completion-index', true],
  ['.*beta\\.kubernetes\\.io', true],
  ['k8s\\.io', true],
  ['pod-template-generation', true],
  ['pod-template-hash', true],
  ['controller-revision-hash', true],
  ['annotation.*', true],
  ['etcd_node', true],
].map(([pattern, ignore]) => ({ pattern: new RegExp(`^(?:${pattern as string})`), ignore: ignore as boolean }));

/**
 * Whether a `k8s` label key is part of the identity: kept unless an ignore prefix matches and no longer include
 * prefix does (`filterLabels`: the longest include beats a shorter ignore). Go's leftmost-first matching at
 * the start of the key is what a JavaScript regular expression anchored with `^` gives.
 */
export function isIdentityRelevant(key: string): boolean {
  let relevant = relevance.get(key);
  if (relevant === undefined) {
    relevant = computeRelevance(key);
    if (relevance.size < 100_000) relevance.set(key, relevant);
  }
  return relevant;
}

const relevance = new Map<string, boolean>();

function computeRelevance(key: string): boolean {
  let included = 0;
  let ignored = 0;
  for (const prefix of DEFAULT_LABEL_PREFIXES) {
    const match = prefix.pattern.exec(key);
    if (!match) continue;
    const length = match[0].length;
    if (prefix.ignore) {
      if (ignored === 0 || length < ignored) ignored = length;
    } else if (length > included) {
      included = length;
    }
  }
  return ignored === 0 || included > ignored;
}

/** Builds a flat identity map: each label under `source:key` and, first one wins, under `any:key`. */
export class IdentityLabels {
  private readonly map = new Map<string, string>();

  add(source: string, key: string, value: string): this {
    this.map.set(labelKey(source, key), value);
    const any = labelKey(SOURCE_ANY, key);
    if (!this.map.has(any)) this.map.set(any, value);
    return this;
  }

  build(): ReadonlyMap<string, string> {
    return this.map;
  }
}

/**
 * The identity labels of a Cilium-managed pod (github.com/cilium/cilium `pkg/k8s/utils/utils.go`
 * `GetPodMetadata`, https://docs.cilium.io/en/stable/security/policy/kubernetes/): its labels, its namespace, its
 * service account, the cluster name and every label of its namespace, all with source `k8s`, filtered by the
 * identity-relevant label filter.
 */
export function podIdentityLabels(
  podLabels: ReadonlyMap<string, string>,
  namespace: string,
  namespaceLabels: ReadonlyMap<string, string>,
  serviceAccount: string | undefined,
  clusterName: string,
): ReadonlyMap<string, string> {
  const labels = new IdentityLabels();
  const add = (key: string, value: string): void => {
    if (isIdentityRelevant(key)) labels.add(SOURCE_K8S, key, value);
  };
  for (const [key, value] of podLabels) add(key, value);
  for (const [key, value] of namespaceLabels) add(namespaceLabelKey(key), value);
  if (serviceAccount !== undefined) add(SERVICE_ACCOUNT_LABEL, serviceAccount);
  add(CLUSTER_LABEL, clusterName);
  add(POD_NAMESPACE_LABEL, namespace);
  return labels.build();
}

const namespaceLabelKeys = new Map<string, string>();

/** `io.cilium.k8s.namespace.labels.<key>`, interned. */
function namespaceLabelKey(key: string): string {
  let text = namespaceLabelKeys.get(key);
  if (text === undefined) {
    text = `${NAMESPACE_LABELS_PREFIX}.${key}`;
    if (namespaceLabelKeys.size < 100_000) namespaceLabelKeys.set(key, text);
  }
  return text;
}

/** The labels of a reserved identity: `reserved:NAME` with an empty value for each name. */
export function reservedIdentityLabels(names: readonly string[]): ReadonlyMap<string, string> {
  const labels = new IdentityLabels();
  for (const name of names) labels.add(SOURCE_RESERVED, name, '');
  return labels.build();
}
