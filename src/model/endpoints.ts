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
      return `${endpoint.namespace}/pods:${selectorKey(endpoint.selector)}`;
    case 'cidr':
      return `~cidr:${endpoint.cidr}${endpoint.except.length ? ` except ${endpoint.except.join(',')}` : ''}`;
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
      return `pods of ${endpoint.namespace}`;
    case 'cidr':
      return endpoint.cidr;
  }
}
