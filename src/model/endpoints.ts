import { Endpoint } from './resolved';
import { selectorKey } from './selector';

/** A total order and identity for the ends of resolved flows. */
export function endpointKey(endpoint: Endpoint): string {
  switch (endpoint.kind) {
    case 'workload':
      return `${endpoint.namespace}/workload:${endpoint.name}`;
    case 'namespace':
      return `${endpoint.namespace}/*`;
    case 'pods':
      return `${endpoint.namespace}/pods:${selectorKey(endpoint.selector)}${endpoint.serviceAccount !== undefined ? ` sa:${endpoint.serviceAccount}` : ''}`;
    case 'service-account':
      return `${endpoint.namespace}/sa:${endpoint.name}${endpoint.workload ? ` workload:${endpoint.workload.name}` : ''}`;
    case 'cidr':
      return `~cidr:${endpoint.cidr}${endpoint.except.length ? ` except ${endpoint.except.join(',')}` : ''}${endpoint.name !== undefined ? ` named ${endpoint.name}` : ''}`;
    case 'entity':
      return `~entity:${endpoint.entity}${endpoint.addresses.length ? ` ${endpoint.addresses.join(',')}` : ''}`;
    case 'fqdn':
      return `~fqdn:${endpoint.match}:${endpoint.value}`;
  }
}

/** The end of a flow in words, for error messages. */
export function describeEndpoint(endpoint: Endpoint): string {
  switch (endpoint.kind) {
    case 'workload':
      return `${endpoint.namespace}/${endpoint.name}`;
    case 'namespace':
      return `every pod of ${endpoint.namespace}`;
    case 'pods':
      return endpoint.serviceAccount !== undefined ? `pods of ${endpoint.namespace} (service account ${endpoint.serviceAccount})` : `pods of ${endpoint.namespace}`;
    case 'service-account':
      return endpoint.workload
        ? `${endpoint.namespace}/${endpoint.workload.name} (service account ${endpoint.name})`
        : `pods of ${endpoint.namespace} running as service account ${endpoint.name}`;
    case 'cidr':
      return endpoint.name !== undefined ? `${endpoint.cidr} ('${endpoint.name}')` : endpoint.cidr;
    case 'entity':
      return ENTITY_WORDS[endpoint.entity];
    case 'fqdn':
      return endpoint.value;
  }
}

const ENTITY_WORDS = {
  'kube-apiserver': 'the kube-apiserver',
  'local-node': "the pod's own node",
  'remote-nodes': 'the other nodes',
  'world': 'the world (outside the cluster)',
  'cluster': 'the whole cluster',
} as const;

/** The namespace of an endpoint made of pods, or undefined for addresses, names and entities. */
export function namespaceOfEndpoint(endpoint: Endpoint): string | undefined {
  switch (endpoint.kind) {
    case 'workload':
    case 'namespace':
    case 'pods':
    case 'service-account':
      return endpoint.namespace;
    default:
      return undefined;
  }
}
