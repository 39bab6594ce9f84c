/**
 * Endpoint selectors: Kubernetes label selectors over Cilium's identity labels
 * (https://docs.cilium.io/en/stable/security/policy/kubernetes/). Every peer selector names its
 * namespace (`k8s:io.kubernetes.pod.namespace`): without it, a CiliumNetworkPolicy matches its own
 * namespace only, and a cluster-wide policy every namespace.
 */
import { CiliumEndpointSelector, CiliumLabelSelectorRequirement } from './types';
import { NormalizedSelector } from '../../model/selector';

export const NAMESPACE_KEY = 'k8s:io.kubernetes.pod.namespace';
export const SERVICE_ACCOUNT_KEY = 'k8s:io.cilium.k8s.policy.serviceaccount';
export const CLUSTER_KEY = 'k8s:io.cilium.k8s.policy.cluster';

/** Options every selector of one rendering shares. */
export interface SelectorContext {
  /** Cilium's cluster name: named in every peer selector, so that ClusterMesh peers with the same labels do not match. */
  readonly clusterName?: string;
}

/** A selector's own terms, with empty parts omitted. */
export function labelSelector(selector: NormalizedSelector): CiliumEndpointSelector {
  const rendered: { matchLabels?: Record<string, string>; matchExpressions?: CiliumLabelSelectorRequirement[] } = {};
  if (Object.keys(selector.matchLabels).length > 0) rendered.matchLabels = { ...selector.matchLabels };
  if (selector.matchExpressions.length > 0) {
    rendered.matchExpressions = selector.matchExpressions.map((e) => ({
      key: e.key,
      operator: e.operator,
      ...(e.values !== undefined ? { values: [...e.values] } : {}),
    }));
  }
  return rendered;
}

/** Pods of one namespace (all, or those a selector and a service account pick), as a peer. */
export function peerSelector(
  context: SelectorContext,
  namespace: string,
  selector?: NormalizedSelector,
  serviceAccount?: string,
): CiliumEndpointSelector {
  const own = selector ? labelSelector(selector) : {};
  const matchLabels: Record<string, string> = { [NAMESPACE_KEY]: namespace };
  if (serviceAccount !== undefined) matchLabels[SERVICE_ACCOUNT_KEY] = serviceAccount;
  if (context.clusterName !== undefined) matchLabels[CLUSTER_KEY] = context.clusterName;
  return { matchLabels: { ...matchLabels, ...own.matchLabels }, ...(own.matchExpressions ? { matchExpressions: own.matchExpressions } : {}) };
}

/** Pods of these namespaces (`In`), or of every other (`NotIn`, which also holds every endpoint without a namespace: the world, the nodes). */
export function namespacesSelector(operator: 'In' | 'NotIn', namespaces: readonly string[]): CiliumEndpointSelector {
  return { matchExpressions: [{ key: NAMESPACE_KEY, operator, values: [...namespaces] }] };
}

/**
 * Why a label key cannot select pods under Cilium, or undefined. By default Cilium leaves these
 * labels out of the security identity (https://docs.cilium.io/en/stable/operations/performance/scalability/identity-relevant-labels/):
 * a selector on them would match no pod, or, with `NotIn` and `DoesNotExist`, every pod. Keys under
 * other `kubernetes.io` and `k8s.io` prefixes are refused too, since whether a cluster keeps them
 * depends on its label filter.
 */
export function unselectableKey(key: string): string | undefined {
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  const prefix = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  const excludedNames = ['pod-template-generation', 'pod-template-hash', 'controller-revision-hash', 'etcd_node'];
  if (excludedNames.includes(name) || key.startsWith('annotation.')) return 'Cilium leaves it out of the pod identity';
  if (key.startsWith('io.kubernetes') || key.startsWith('kubernetes.io') || key.startsWith('k8s.io') || key.includes('beta.kubernetes.io')) {
    return 'Cilium leaves it out of the pod identity';
  }
  if (prefix !== 'app.kubernetes.io' && (prefix.endsWith('kubernetes.io') || prefix.endsWith('k8s.io'))) {
    return "whether Cilium keeps it in the pod identity depends on the cluster's label filter";
  }
  return undefined;
}

/** The keys of a selector that cannot select pods under Cilium, with why. */
export function unselectableKeys(selector: NormalizedSelector): { readonly key: string; readonly why: string }[] {
  const keys = [...Object.keys(selector.matchLabels), ...selector.matchExpressions.map((e) => e.key)];
  return [...new Set(keys)].flatMap((key) => {
    const why = unselectableKey(key);
    return why ? [{ key, why }] : [];
  });
}
