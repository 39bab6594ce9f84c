/**
 * The endpoints of a Kubernetes Service as a Calico rule's `services` match sees them
 * (https://docs.tigera.io/calico/latest/network-policy/policy-rules/service-policy). Felix builds one IP set per
 * matched Service from its EndpointSlices (github.com/projectcalico/calico `felix/serviceindex/serviceindex.go`,
 * `felix/calc/rule_scanner.go`):
 *
 * - `destination.services` (egress): members are (address, protocol, port) of every endpoint and every port of
 *   its slice, so the rule matches a connection to a backend's address on a port the Service resolves to on that
 *   backend (its `targetPort`, a named one per pod); ICMP never matches;
 * - `source.services` (ingress): members are the backends' addresses only, any port.
 *
 * The analyzer does not read EndpointSlices: it derives them as the EndpointSlice controller does, from the
 * Service's selector (pods of its namespace carrying every selector label). A Service without a selector, or of
 * type ExternalName, has no derived endpoints and matches nothing. The IP sets hold addresses, so an endpoint that
 * shares an address with a backend (a hostNetwork pod beside a hostNetwork backend, the node itself) matches too;
 * a representative pod without an address matches as itself.
 */
import { Bitset, emptyBitset, orInto, setBit } from '../../core/bitset';
import { EndpointUniverse } from '../../core/endpoint-universe';
import { Endpoint } from '../../core/endpoints';
import { IpAddress } from '../../core/ip-address';
import { ServiceRecord } from '../../manifests/service';
import { ProbePort } from '../../types';

/** A backend pod of a Service and the (port, protocol) pairs the Service's ports resolve to on it. */
export interface ServiceBackend {
  readonly endpoint: Endpoint;
  readonly ports: readonly ProbePort[];
}

function sameAddress(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.value === b.value;
}

/** Whether `peer` is `backend` or holds one of its addresses (IP set members are addresses). */
function sharesAddress(backend: Endpoint, peer: Endpoint): boolean {
  return backend.index === peer.index || backend.ips.some((ip) => peer.ips.some((own) => sameAddress(ip, own)));
}

function hostBlock(ip: IpAddress) {
  const prefix = ip.family === 4 ? 32 : 128;
  return { cidr: { family: ip.family, prefix, first: ip.value, last: ip.value }, except: [] };
}

export class ServiceEndpoints {
  private readonly byId = new Map<string, ServiceRecord>();
  private readonly backendCache = new Map<string, readonly ServiceBackend[]>();
  private readonly setCache = new Map<string, Bitset>();

  constructor(private readonly universe: EndpointUniverse, services: readonly ServiceRecord[]) {
    for (const service of services) this.byId.set(service.id, service);
  }

  /** The backends of `namespace/name`; none when the input does not hold the Service or it has no selector. */
  backends(namespace: string, name: string): readonly ServiceBackend[] {
    const id = `${namespace}/${name}`;
    let backends = this.backendCache.get(id);
    if (!backends) {
      const service = this.byId.get(id);
      backends = service ? this.resolve(service) : [];
      this.backendCache.set(id, backends);
    }
    return backends;
  }

  private resolve(service: ServiceRecord): ServiceBackend[] {
    const selector = service.selector;
    // The EndpointSlice controller gives no endpoints to a Service without a selector or of type ExternalName.
    if (!selector || service.type === 'ExternalName') return [];
    const backends: ServiceBackend[] = [];
    for (const endpoint of this.universe.endpoints) {
      if (endpoint.kind !== 'pod' || endpoint.namespace !== service.namespace) continue;
      if (![...selector].every(([key, value]) => endpoint.labels.get(key) === value)) continue;
      const ports: ProbePort[] = [];
      for (const port of service.ports) {
        if (typeof port.targetPort === 'number') {
          ports.push({ port: port.targetPort, protocol: port.protocol });
          continue;
        }
        // A named targetPort resolves per pod; a pod without it gets no member for that port.
        const named = endpoint.ports.find((candidate) => candidate.name === port.targetPort && candidate.protocol === port.protocol);
        if (named) ports.push({ port: named.port, protocol: port.protocol });
      }
      backends.push({ endpoint, ports });
    }
    return backends;
  }

  /** Per peer: `source.services` (addresses only). */
  matchesSource(namespace: string, name: string, peer: Endpoint): boolean {
    return this.backends(namespace, name).some((backend) => sharesAddress(backend.endpoint, peer));
  }

  /** Per peer: `destination.services` (address, protocol and port). */
  matchesDestination(namespace: string, name: string, peer: Endpoint, probe: ProbePort): boolean {
    return this.backends(namespace, name).some((backend) => sharesAddress(backend.endpoint, peer)
      && backend.ports.some((port) => port.port === probe.port && port.protocol === probe.protocol));
  }

  /** Set form of `matchesSource`. Shared: never modify it. */
  sourceSet(namespace: string, name: string): Bitset {
    return this.cached(`s|${namespace}/${name}`, () => this.addressSet(this.backends(namespace, name)));
  }

  /** Set form of `matchesDestination`. Shared: never modify it. */
  destinationSet(namespace: string, name: string, probe: ProbePort): Bitset {
    return this.cached(`d|${namespace}/${name}|${probe.port}/${probe.protocol}`, () => this.addressSet(this.backends(namespace, name)
      .filter((backend) => backend.ports.some((port) => port.port === probe.port && port.protocol === probe.protocol))));
  }

  private addressSet(backends: readonly ServiceBackend[]): Bitset {
    const bits = emptyBitset(this.universe.size);
    for (const backend of backends) {
      setBit(bits, backend.endpoint.index);
      for (const ip of backend.endpoint.ips) orInto(bits, this.universe.selectCidrBlock(hostBlock(ip)));
    }
    return bits;
  }

  private cached(key: string, compute: () => Bitset): Bitset {
    let bits = this.setCache.get(key);
    if (!bits) {
      bits = compute();
      this.setCache.set(key, bits);
    }
    return bits;
  }
}
