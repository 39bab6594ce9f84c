/**
 * The synthetic benchmark inventory with every NetworkPolicy translated into an equivalent
 * CiliumNetworkPolicy, so that the Cilium evaluator runs on the same 10^8-verdict shape as the Kubernetes one
 * (and, the translation being exact for the forms the synthetic inventory uses, allows the same connections).
 *
 * Translation (https://docs.cilium.io/en/stable/security/policy/kubernetes/): the podSelector becomes the
 * endpointSelector; a podSelector peer an endpoint selector (the CNP scopes it to its namespace, as NetworkPolicy
 * does); a namespaceSelector peer a selector on `io.cilium.k8s.namespace.labels.*` (no namespace key: every
 * namespace); an ipBlock a `CIDRSet`; ports keep their protocol (TCP when omitted). An isolated direction
 * without rules becomes `[{}]`.
 */
import { syntheticInventory } from './synthetic-inventory';

type Manifest = Record<string, unknown>;
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };

const NAMESPACE_LABELS = 'io.cilium.k8s.namespace.labels.';

function namespaceLabelSelector(selector: Selector): Selector {
  const matchLabels = Object.fromEntries(Object.entries(selector.matchLabels ?? {}).map(([key, value]) => [`${NAMESPACE_LABELS}${key}`, value]));
  const matchExpressions = (selector.matchExpressions ?? []).map((expression) => ({ ...expression, key: `${NAMESPACE_LABELS}${expression.key}` }));
  const empty = Object.keys(matchLabels).length === 0 && matchExpressions.length === 0;
  // namespaceSelector {} = every namespace: any pod, i.e. a namespace label Exists.
  if (empty) return { matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }] };
  return { ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}), ...(matchExpressions.length > 0 ? { matchExpressions } : {}) };
}

function merge(a: Selector, b: Selector): Selector {
  const matchLabels = { ...a.matchLabels, ...b.matchLabels };
  const matchExpressions = [...(a.matchExpressions ?? []), ...(b.matchExpressions ?? [])];
  return { ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}), ...(matchExpressions.length > 0 ? { matchExpressions } : {}) };
}

interface Peer { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: { cidr: string; except?: string[] } }
interface Port { port?: number | string; endPort?: number; protocol?: string }
interface Rule { from?: Peer[]; to?: Peer[]; ports?: Port[] }

function toPorts(ports: readonly Port[] | undefined): Manifest {
  if (!ports || ports.length === 0) return {};
  return {
    toPorts: [{
      ports: ports.map((port) => ({
        port: port.port === undefined ? '0' : String(port.port),
        ...(port.endPort !== undefined ? { endPort: port.endPort } : {}),
        protocol: port.protocol ?? 'TCP',
      })),
    }],
  };
}

function translateRules(rules: readonly Rule[], direction: 'from' | 'to'): Manifest[] {
  const prefix = direction === 'from' ? 'from' : 'to';
  const elements: Manifest[] = [];
  for (const rule of rules) {
    const peers = rule[direction] ?? [];
    const ports = toPorts(rule.ports);
    if (peers.length === 0) {
      elements.push(Object.keys(ports).length > 0 ? ports : { [`${prefix}Entities`]: ['all'] });
      continue;
    }
    const selectors = peers.filter((peer) => !peer.ipBlock).map((peer) => {
      if (!peer.namespaceSelector) return peer.podSelector ?? {};
      return merge(namespaceLabelSelector(peer.namespaceSelector), peer.podSelector ?? {});
    });
    if (selectors.length > 0) elements.push({ [`${prefix}Endpoints`]: selectors, ...ports });
    const blocks = peers.flatMap((peer) => (peer.ipBlock
      ? [{ cidr: peer.ipBlock.cidr, ...(peer.ipBlock.except ? { except: peer.ipBlock.except } : {}) }]
      : []));
    if (blocks.length > 0) elements.push({ [`${prefix}CIDRSet`]: blocks, ...ports });
  }
  return elements;
}

/** A NetworkPolicy (as the synthetic inventory writes them) as an equivalent CiliumNetworkPolicy. */
export function networkPolicyToCilium(policy: Manifest): Manifest {
  const spec = policy.spec as { podSelector: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };
  const types = spec.policyTypes && spec.policyTypes.length > 0 ? spec.policyTypes : ['Ingress', ...(spec.egress && spec.egress.length > 0 ? ['Egress'] : [])];
  const ingress = translateRules(spec.ingress ?? [], 'from');
  const egress = translateRules(spec.egress ?? [], 'to');
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: policy.metadata,
    spec: {
      endpointSelector: spec.podSelector,
      ...(types.includes('Ingress') ? { ingress: ingress.length > 0 ? ingress : [{}] } : {}),
      ...(types.includes('Egress') ? { egress: egress.length > 0 ? egress : [{}] } : {}),
    },
  };
}

/** `syntheticInventory` with CiliumNetworkPolicies instead of NetworkPolicies. */
export function syntheticCiliumInventory(namespaces: number, podsPerNamespace: number): unknown[] {
  return syntheticInventory(namespaces, podsPerNamespace)
    .map((object) => ((object as Manifest).kind === 'NetworkPolicy' ? networkPolicyToCilium(object as Manifest) : object));
}
