/**
 * Connections through a Service: a destination given as `svc:NAME`, `svc:NAMESPACE/NAME`, `NAMESPACE/NAME`
 * or a bare `NAME` (resolved in the source's namespace, as cluster DNS resolves short names), or a cluster
 * IP, reaches the Service's backend pods on the `targetPort` of the service port
 * (https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service). A named
 * `targetPort` resolves per backend pod against its container ports; a pod without that name gets no
 * traffic on that port.
 */
import { unknownEndpointError } from './core/endpoint-lookup';
import { Endpoint } from './core/endpoints';
import { parseIpAddress } from './core/ip-address';
import { ServicePortRecord, ServiceRecord } from './manifests/service';
import { ProbePort } from './types';

/** The explicit prefix of a Service destination, for names a pod also has. */
export const SERVICE_PREFIX = 'svc:';

/** A destination the input cannot route: a Service without backends by selector, or without the port. */
export class ServiceRouteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceRouteError';
  }
}

/** A backend pod of a route: the container port the connection reaches on it, or why it gets none. */
export interface RouteBackend {
  readonly endpoint: Endpoint;
  readonly targetPort?: number;
  readonly excluded?: string;
}

export interface ServiceRoute {
  readonly service: ServiceRecord;
  readonly port: ServicePortRecord;
  readonly backends: readonly RouteBackend[];
}

/**
 * The Service a destination names, or undefined when it names none. `sourceNamespace` resolves a bare name;
 * undefined for a source outside the cluster.
 */
export function findService(services: readonly ServiceRecord[], destination: string, sourceNamespace: string | undefined): ServiceRecord | undefined {
  const explicit = destination.startsWith(SERVICE_PREFIX);
  const reference = explicit ? destination.slice(SERVICE_PREFIX.length) : destination;
  const ip = parseIpAddress(reference);
  if (ip && !explicit) return services.find((service) => service.clusterIps.some((own) => own.family === ip.family && own.value === ip.value));
  if (reference.includes('/')) return services.find((service) => service.id === reference);
  if (sourceNamespace === undefined) {
    const candidates = services.filter((service) => service.name === reference).map((service) => `svc:${service.id}`);
    if (candidates.length === 0) return undefined;
    throw new ServiceRouteError(
      `"${destination}" is a short Service name, which resolves in the source's namespace, and the source is outside the cluster; ` +
        `name the namespace: ${candidates.join(', ')}.`,
    );
  }
  return services.find((service) => service.namespace === sourceNamespace && service.name === reference);
}

/** The backends of a Service for one service port; throws ServiceRouteError when it has none by design. */
export function routeThrough(service: ServiceRecord, probe: ProbePort, pods: readonly Endpoint[]): ServiceRoute {
  if (service.type === 'ExternalName') {
    throw new ServiceRouteError(`Service ${service.id} is of type ExternalName: it is a DNS alias with no backend pods; probe the pods it names instead.`);
  }
  if (!service.selector) {
    throw new ServiceRouteError(
      `Service ${service.id} has no selector: its endpoints are managed by hand (EndpointSlices), which the analyzer does not read; probe its pods directly.`,
    );
  }
  const port = service.ports.find((candidate) => candidate.port === probe.port && candidate.protocol === probe.protocol);
  if (!port) {
    const ports = service.ports.map(describeServicePort);
    throw new ServiceRouteError(
      `Service ${service.id} has no port ${probe.port}/${probe.protocol}; its ports: ${ports.length > 0 ? ports.join(', ') : 'none'}. ` +
        'Give the service port, not the container port.',
    );
  }
  const selector = service.selector;
  const backends = pods
    .filter((pod) => pod.kind === 'pod' && pod.namespace === service.namespace && [...selector].every(([key, value]) => pod.labels.get(key) === value))
    .map((endpoint): RouteBackend => {
      if (typeof port.targetPort === 'number') return { endpoint, targetPort: port.targetPort };
      const named = endpoint.ports.find((candidate) => candidate.name === port.targetPort && candidate.protocol === port.protocol);
      return named
        ? { endpoint, targetPort: named.port }
        : { endpoint, excluded: `it has no container port named "${port.targetPort}" (${port.protocol}), so the Service sends it no traffic on ${probe.port}/${probe.protocol}` };
    });
  return { service, port, backends };
}

/** The error for a destination that is neither an endpoint nor a Service, with close matches among both. */
export function unknownDestination(destination: string, endpoints: readonly string[], services: readonly ServiceRecord[]): Error {
  return unknownEndpointError(destination, [...endpoints, ...services.map((service) => `${SERVICE_PREFIX}${service.id}`)]);
}

/** `80/TCP -> 8080` or `443/TCP (https) -> https`: a service port as messages show it. */
export function describeServicePort(port: ServicePortRecord): string {
  return `${port.port}/${port.protocol}${port.name ? ` (${port.name})` : ''} -> ${port.targetPort}`;
}
