/**
 * One far end as the peer part of a Cilium rule: endpoints, CIDRs, entities or DNS names
 * (https://docs.cilium.io/en/stable/security/policy/language/). Cilium allows one peer kind per rule
 * element, so every planned rule becomes one element.
 */
import { namespacesSelector, peerSelector, SelectorContext } from './selectors';
import { CiliumCidrRule, CiliumEndpointSelector, CiliumEntity, CiliumFqdnSelector } from './types';
import { Entity } from '../../model/peer';
import { DenyPeers, Endpoint } from '../../model/resolved';

/** The peer of one rule element, by kind. */
export type CiliumPeer =
  | { readonly endpoints: CiliumEndpointSelector[] }
  | { readonly cidrSet: CiliumCidrRule[] }
  | { readonly entities: CiliumEntity[] }
  | { readonly fqdns: CiliumFqdnSelector[] };

/** Entities by the model's names (https://docs.cilium.io/en/stable/security/policy/language/#entities-based). */
const ENTITIES: Readonly<Record<Entity, CiliumEntity>> = {
  'kube-apiserver': 'kube-apiserver',
  'local-node': 'host',
  'remote-nodes': 'remote-node',
  'world': 'world',
  'cluster': 'cluster',
};

export function renderPeer(endpoint: Endpoint, context: SelectorContext): CiliumPeer {
  switch (endpoint.kind) {
    case 'workload':
    case 'pods':
      return { endpoints: [peerSelector(context, endpoint.namespace, endpoint.selector)] };
    case 'namespace':
      return { endpoints: [peerSelector(context, endpoint.namespace)] };
    case 'service-account':
      return { endpoints: [peerSelector(context, endpoint.namespace, endpoint.workload?.selector, endpoint.name)] };
    case 'cidr':
      return { cidrSet: [endpoint.except.length > 0 ? { cidr: endpoint.cidr, except: [...endpoint.except] } : { cidr: endpoint.cidr }] };
    case 'entity':
      // The API server is the entity whatever addresses were given for other backends.
      return { entities: [ENTITIES[endpoint.entity]] };
    case 'fqdn':
      return { fqdns: [endpoint.match === 'name' ? { matchName: endpoint.value } : { matchPattern: endpoint.value }] };
  }
}

/** The peers a deny refuses: one element per end, or, for a restriction, every endpoint outside its namespaces. */
export function renderDenyPeers(peers: DenyPeers, context: SelectorContext): CiliumPeer[] {
  if (peers.kind === 'all-but') return [{ endpoints: [namespacesSelector('NotIn', peers.namespaces)] }];
  return peers.endpoints.map((e) => renderPeer(e, context));
}

/** The peer as the `from*` fields of an ingress element. */
export function fromFields(peer: CiliumPeer) {
  if ('endpoints' in peer) return { fromEndpoints: peer.endpoints };
  if ('cidrSet' in peer) return { fromCIDRSet: peer.cidrSet };
  if ('entities' in peer) return { fromEntities: peer.entities };
  throw new Error('internal: DNS names are never sources');
}

/** The peer as the `to*` fields of an egress element. */
export function toFields(peer: CiliumPeer) {
  if ('endpoints' in peer) return { toEndpoints: peer.endpoints };
  if ('cidrSet' in peer) return { toCIDRSet: peer.cidrSet };
  if ('entities' in peer) return { toEntities: peer.entities };
  return { toFQDNs: peer.fqdns };
}
