import { K8sLabelSelector, K8sNetworkPolicyPeer, K8sNetworkPolicyPort } from './types';
import { PortSpec } from '../../model/port';
import { Endpoint, NAMESPACE_NAME_LABEL } from '../../model/resolved';
import { NormalizedSelector } from '../../model/selector';

/** A selector with empty parts omitted; `{}` only when the selector really is empty. */
export function renderSelector(selector: NormalizedSelector): K8sLabelSelector {
  const rendered: { matchLabels?: Record<string, string>; matchExpressions?: K8sLabelSelector['matchExpressions'] } = {};
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

/** Namespaces are selected by their immutable name label, never by labels a tenant could set. */
export function namespaceByName(namespace: string): K8sLabelSelector {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } };
}

/**
 * The peers that match exactly the endpoint (ORed), or undefined when NetworkPolicy cannot express
 * it. Pods of a namespace are one peer with both selectors (AND), so the rule is never wider than
 * the flow. The API server, given its addresses, is one ipBlock per address.
 */
export function renderPeers(endpoint: Endpoint): K8sNetworkPolicyPeer[] | undefined {
  switch (endpoint.kind) {
    case 'workload':
    case 'pods':
      return [{ namespaceSelector: namespaceByName(endpoint.namespace), podSelector: renderSelector(endpoint.selector) }];
    case 'namespace':
      return [{ namespaceSelector: namespaceByName(endpoint.namespace) }];
    case 'cidr':
      return [{ ipBlock: endpoint.except.length > 0 ? { cidr: endpoint.cidr, except: [...endpoint.except] } : { cidr: endpoint.cidr } }];
    case 'entity':
      if (endpoint.entity !== 'kube-apiserver' || endpoint.addresses.length === 0) return undefined;
      return endpoint.addresses.map((cidr) => ({ ipBlock: { cidr } }));
    case 'fqdn':
    case 'service-account':
      return undefined;
  }
}

/**
 * Ports of a rule; undefined means the `ports` field is omitted (every port), never `port: 0`.
 * Ports with HTTP rules are not expressible (the caller refuses them before).
 */
export function renderPorts(ports: readonly PortSpec[]): K8sNetworkPolicyPort[] | undefined {
  if (ports.some((p) => p.kind === 'all')) return undefined;
  return ports.map((p): K8sNetworkPolicyPort => {
    switch (p.kind) {
      case 'protocol':
        return { protocol: p.protocol };
      case 'number':
        return { protocol: p.protocol, port: p.port };
      case 'range':
        return p.from === p.to ? { protocol: p.protocol, port: p.from } : { protocol: p.protocol, port: p.from, endPort: p.to };
      case 'named':
        return { protocol: p.protocol, port: p.name };
      case 'all':
        throw new Error('unreachable: handled above');
    }
  });
}
