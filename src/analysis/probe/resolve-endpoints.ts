/**
 * From the endpoints a probe names to the connections the network sees: the source endpoint, and one leg
 * per destination pod and port the connection may reach. A Service's legs are its backend pods on the
 * `targetPort` (https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service); the
 * Service `default/kubernetes`, which has no selector, leads to the kube-apiserver's addresses (its Endpoints
 * or EndpointSlices); an `{fqdn}` destination adds the lookup of the name at the cluster DNS, UDP/53, as legs
 * of their own. An ICMP probe has one leg, with its message instead of a port.
 */
import { InvalidProbesError, ProbeProblem } from './errors';
import { HOST_PREFIX, ProbeConnectivity } from './probe-universe';
import { EndpointRef, Probe } from './types';
import { closeMatches } from '../core/endpoint-lookup';
import { Endpoint } from '../core/endpoints';
import { IpAddress } from '../core/ip-address';
import { IcmpProbe } from '../dialect';
import { ServicePortRecord, ServiceRecord } from '../manifests/service';
import { describeServicePort, routeThrough, ServiceRouteError } from '../services';
import { Protocol } from '../types';

/** One connection the network sees; a probe is allowed when all of its legs are. */
export interface Leg {
  readonly destination: Endpoint;
  /** The port policies see: the container port (a Service's `targetPort`); 0 for ICMP (see `icmp`). */
  readonly port: number;
  readonly protocol: Protocol;
  /** Set for an ICMP probe: the message, instead of a port. */
  readonly icmp?: IcmpProbe;
  /** Through a Service: the backend pod (or the kube-apiserver endpoint of `default/kubernetes`). */
  readonly backend?: string;
  readonly step?: 'dns';
  /** Through a service port whose `appProtocol` or name says gRPC: an `http` probe is a gRPC call. */
  readonly grpc?: boolean;
}

export interface ResolvedProbe {
  readonly probe: Probe;
  readonly source: Endpoint;
  readonly from: string;
  readonly to: string;
  /** The port the probe names, as a number (a named port resolved; the service port through a Service); undefined for ICMP. */
  readonly port?: number;
  readonly legs: readonly Leg[];
  /** The DNS lookup of an `{fqdn}` destination from a pod; empty otherwise. */
  readonly lookup: readonly Leg[];
}

/** The cluster DNS: the Service `kube-system/kube-dns`, or without it the pods it selects (https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/). */
export const CLUSTER_DNS = { namespace: 'kube-system', name: 'kube-dns', label: 'k8s-app', port: 53 } as const;

/** The Service of the kube-apiserver (https://kubernetes.io/docs/concepts/security/controlling-access/#api-server-ports-and-ips). */
export const API_SERVER_SERVICE = { namespace: 'default', name: 'kubernetes' } as const;

/**
 * Whether a service port carries gRPC: `appProtocol` `grpc` (or `grpc-web`), or a port named `grpc` or
 * `grpc-*`, the conventions Istio reads (https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/).
 */
export function isGrpcPort(port: ServicePortRecord): boolean {
  const appProtocol = port.appProtocol?.toLowerCase();
  return (appProtocol !== undefined && appProtocol.startsWith('grpc')) || port.name === 'grpc' || (port.name?.startsWith('grpc-') ?? false);
}

/** `ns/name`, `svc:ns/name`, `node:NAME`, an address, or `NAME (ADDRESS)`: how a report names a probe's endpoint. */
export function describeRef(ref: EndpointRef): string {
  switch (ref.kind) {
    case 'pod':
      return `${ref.namespace}/${ref.name}`;
    case 'service':
      return `svc:${ref.namespace}/${ref.name}`;
    case 'node':
      return `node:${ref.name}`;
    case 'ip':
      return ref.text;
    default:
      return `${ref.name} (${ref.text})`;
  }
}

function sameIp(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.value === b.value;
}

class Fail extends Error {
  constructor(readonly field: string, readonly problem: string, readonly fix: string) {
    super(problem);
  }
}

/** Several problems of one probe (its source and its destination). */
class Fails extends Error {
  constructor(readonly fails: readonly Fail[]) {
    super(fails.map((fail) => fail.problem).join('; '));
  }
}

/** Runs each step, collecting its `Fail`; throws them together once all ran. */
function collect<A, B>(first: () => A, second: () => B): [A, B] {
  const fails: Fail[] = [];
  const attempt = <T>(step: () => T): T | undefined => {
    try {
      return step();
    } catch (error) {
      if (!(error instanceof Fail)) throw error;
      fails.push(error);
      return undefined;
    }
  };
  const a = attempt(first);
  const b = attempt(second);
  if (fails.length > 0) throw new Fails(fails);
  return [a as A, b as B];
}

/** An `http` probe to a gRPC port is a gRPC call: an HTTP/2 POST of `/package.Service/Method` (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md). */
function checkGrpcCall(http: NonNullable<Probe['http']>): void {
  if (http.method !== undefined && http.method !== 'POST') {
    throw new Fail('http.method', `the port carries gRPC (its Service port's appProtocol or name says so), and a gRPC call is a POST, not ${http.method}`, 'remove method, or write POST');
  }
  if (http.path === undefined || !/^\/[^/]+\/[^/]+$/.test(http.path)) {
    throw new Fail('http.path', `the port carries gRPC, and a gRPC call's path is /package.Service/Method, got ${http.path === undefined ? 'none' : `"${http.path}"`}`,
      'give the method called, e.g. path: /shop.Catalog/ListItems');
  }
}

type Destination = { readonly endpoint: Endpoint } | { readonly service: ServiceRecord };

class Resolver {
  private readonly endpoints: readonly Endpoint[];
  private readonly services: readonly ServiceRecord[];

  constructor(private readonly connectivity: ProbeConnectivity) {
    this.endpoints = connectivity.universe.endpoints;
    this.services = connectivity.read.inventory.services;
  }

  resolve(probe: Probe): ResolvedProbe {
    const [source, destination] = collect(() => this.source(probe.from), () => this.destination(probe.to));
    let port: number | undefined;
    let legs: Leg[];
    if (probe.icmp) {
      if ('service' in destination) {
        throw new Fail('to', `ICMP to the cluster IP of Service ${destination.service.id} does not reach its backends: a Service forwards TCP, UDP and SCTP ports`,
          'probe one of its pods, e.g. {pod: "namespace/name"}');
      }
      const icmp: IcmpProbe = { protocol: 'ICMP', ...probe.icmp };
      legs = [{ destination: destination.endpoint, port: 0, protocol: 'TCP', icmp }];
    } else if ('service' in destination) {
      const protocol = probe.protocol as Protocol;
      ({ port, legs } = this.throughService(destination.service, probe.port!, protocol, 'to'));
    } else {
      const protocol = probe.protocol as Protocol;
      port = this.destinationPort(destination.endpoint, probe.port!, protocol);
      legs = [{ destination: destination.endpoint, port, protocol }];
    }
    if (probe.http && legs.some((leg) => leg.grpc)) checkGrpcCall(probe.http);
    const lookup = probe.to.kind === 'fqdn' && source.kind === 'pod' ? this.lookup() : [];
    return { probe, source, from: describeRef(probe.from), to: describeRef(probe.to), ...(port !== undefined ? { port } : {}), legs, lookup };
  }

  private source(ref: EndpointRef): Endpoint {
    const found = this.destination(ref, 'from');
    if ('service' in found) {
      throw new Fail('from', `${describeRef(ref)} is the cluster IP of Service ${found.service.id}: connections start at pods`, 'give one of its pods as the source');
    }
    return found.endpoint;
  }

  private destination(ref: EndpointRef, field: 'from' | 'to' = 'to'): Destination {
    switch (ref.kind) {
      case 'pod':
        return { endpoint: this.pod(`${ref.namespace}/${ref.name}`, field) };
      case 'node':
        return { endpoint: this.node(ref.name, field) };
      case 'service': {
        const id = `${ref.namespace}/${ref.name}`;
        const service = this.services.find((candidate) => candidate.id === id);
        if (!service) {
          const matches = closeMatches(id, this.services.map((candidate) => candidate.id));
          throw new Fail(`${field}.service`, `no Service ${id} in the input`, matches.length > 0 ? `did you mean ${matches.join(', ')}?` : 'add the Service manifest to the input, or probe its pods');
        }
        return { service };
      }
      default:
        return this.atAddress(ref.ip, ref.text, field);
    }
  }

  private pod(id: string, field: string): Endpoint {
    const index = this.connectivity.universe.indexOf(id);
    if (index !== undefined && this.endpoints[index].kind === 'pod') return this.endpoints[index];
    const service = this.services.find((candidate) => candidate.id === id);
    if (service) throw new Fail(field, `${id} is a Service, not a pod or workload`, `write {service: "${id}"}`);
    const pods = this.endpoints.filter((endpoint) => endpoint.kind === 'pod').map((endpoint) => endpoint.id);
    const matches = closeMatches(id, pods);
    const fix = matches.length > 0
      ? `did you mean ${matches.join(', ')}?`
      : pods.length === 0
        ? 'the input has no pods: give the output directory of a ZeroTrustApp (it holds zt-inventory.txt), or Pod and workload manifests'
        : 'add the Pod or workload manifest to the input';
    throw new Fail(field, `no pod or workload ${id} in the input`, fix);
  }

  private node(name: string, field: string): Endpoint {
    const nodes = this.connectivity.read.inventory.nodes;
    const index = this.connectivity.universe.indexOf(`node:${name}`);
    if (nodes.some((node) => node.name === name) && index !== undefined) return this.endpoints[index];
    const matches = closeMatches(name, nodes.map((node) => node.name));
    const fix = nodes.length === 0
      ? 'the input has no Node objects: add them (kubectl get nodes -o yaml)'
      : matches.length > 0 ? `did you mean ${matches.join(', ')}?` : `nodes in the input: ${nodes.map((node) => node.name).join(', ')}`;
    throw new Fail(`${field}.node`, `no Node ${name} in the input`, fix);
  }

  /**
   * What holds an address: a pod, else a node's host network (a hostNetwork pod's address is its node's),
   * else a hostNetwork pod whose node is unknown, else a Service's cluster IP (as a destination), else an
   * external endpoint (the kube-apiserver's address too, when no node holds it).
   */
  private atAddress(ip: IpAddress, text: string, field: 'from' | 'to'): Destination {
    const holders = (predicate: (endpoint: Endpoint) => boolean): Endpoint[] =>
      this.endpoints.filter((endpoint) => predicate(endpoint) && endpoint.ips.some((own) => sameIp(own, ip)));
    const subField = `${field}.ip`;
    for (const group of [
      holders((endpoint) => endpoint.kind === 'pod' && !endpoint.hostNetwork),
      holders((endpoint) => endpoint.kind === 'node' && !endpoint.id.startsWith(HOST_PREFIX)),
      holders((endpoint) => endpoint.kind === 'pod' && endpoint.hostNetwork === true),
    ]) {
      if (group.length === 1) return { endpoint: group[0] };
      if (group.length > 1) {
        throw new Fail(subField, `${text} belongs to ${group.map((endpoint) => endpoint.id).join(', ')}`, 'name one of them instead: {pod: "ns/name"} or {node: NAME}');
      }
    }
    const service = this.services.find((candidate) => candidate.clusterIps.some((own) => sameIp(own, ip)));
    if (service) return { service };
    const external = this.endpoints.find((endpoint) => endpoint.kind === 'external' && endpoint.ips.some((own) => sameIp(own, ip)));
    if (!external) throw new Error(`no endpoint for probe address ${text}`);
    return { endpoint: external };
  }

  private destinationPort(destination: Endpoint, port: number | string, protocol: Protocol): number {
    if (typeof port === 'number') return port;
    if (destination.kind !== 'pod') {
      throw new Fail('port', `"${port}" is a port name, and ${destination.id} has no named ports`, 'give the port number');
    }
    const named = destination.ports.find((candidate) => candidate.name === port && candidate.protocol === protocol);
    if (named) return named.port;
    const names = destination.ports.filter((candidate) => candidate.name !== undefined).map((candidate) => `${candidate.name} (${candidate.port}/${candidate.protocol})`);
    throw new Fail('port', `${destination.id} has no container port named "${port}" for ${protocol}`, names.length > 0 ? `its named ports: ${names.join(', ')}` : 'give the port number');
  }

  private throughService(service: ServiceRecord, given: number | string, protocol: Protocol, field: string, step?: 'dns'): { port: number; legs: Leg[] } {
    let port: number;
    if (typeof given === 'number') {
      port = given;
    } else {
      const named = service.ports.find((candidate) => candidate.name === given && candidate.protocol === protocol);
      if (!named) {
        throw new Fail('port', `Service ${service.id} has no port named "${given}" for ${protocol}`, `its ports: ${service.ports.map(describeServicePort).join(', ') || 'none'}`);
      }
      port = named.port;
    }
    if (!service.selector && service.namespace === API_SERVER_SERVICE.namespace && service.name === API_SERVER_SERVICE.name) {
      return { port, legs: this.toApiServer(service, port, protocol, field) };
    }
    let route;
    try {
      route = routeThrough(service, { port, protocol }, this.endpoints);
    } catch (error) {
      if (error instanceof ServiceRouteError) throw new Fail(field, error.message.replace(/\.$/, ''), 'probe the pods directly, or give the service port');
      throw error;
    }
    const grpc = isGrpcPort(route.port);
    const legs: Leg[] = route.backends.flatMap((backend): Leg[] => {
      if (backend.targetPort === undefined) return [];
      const extra = { ...(step ? { step } : {}), ...(grpc ? { grpc } : {}) };
      return [{ destination: backend.endpoint, port: backend.targetPort, protocol, backend: backend.endpoint.id, ...extra }];
    });
    if (legs.length === 0) {
      throw new Fail(field, `Service ${service.id} has no backend pod in the input for ${port}/${protocol}`, 'add the pods its selector selects (or their workloads) to the input');
    }
    return { port, legs };
  }

  /**
   * The Service `default/kubernetes` has no selector: the control plane keeps its endpoints, the kube-apiserver's
   * addresses, which the input gives as the Endpoints or EndpointSlices of `default/kubernetes`. Each address is a
   * leg: the node that holds it, or the address outside the cluster (the probe universe adds it).
   */
  private toApiServer(service: ServiceRecord, port: number, protocol: Protocol, field: string): Leg[] {
    const servicePort = service.ports.find((candidate) => candidate.port === port && candidate.protocol === protocol);
    if (!servicePort) {
      throw new Fail('port', `Service ${service.id} has no port ${port}/${protocol}`, `its ports: ${service.ports.map(describeServicePort).join(', ') || 'none'}; give the service port`);
    }
    if (typeof servicePort.targetPort !== 'number') {
      throw new Fail(field, `Service ${service.id} maps ${port}/${protocol} to the port name "${servicePort.targetPort}", which the kube-apiserver's addresses do not resolve`,
        'probe the kube-apiserver by its address and port: {ip: ADDRESS} with port: 6443');
    }
    const addresses = this.connectivity.read.inventory.apiServerAddresses;
    if (addresses.length === 0) {
      throw new Fail(field, `Service ${service.id} leads to the kube-apiserver, and the input has no Endpoints or EndpointSlice of ${service.id} giving its addresses`,
        'add them to the input (kubectl get endpoints kubernetes -n default -o yaml)');
    }
    const targetPort = servicePort.targetPort;
    return addresses.map((ip) => {
      const holders = this.endpoints.filter((endpoint) =>
        (endpoint.kind === 'node' || endpoint.kind === 'external') && endpoint.ips.some((own) => sameIp(own, ip)));
      const endpoint = holders.find((candidate) => candidate.kind === 'node') ?? holders[0];
      if (!endpoint) throw new Error('no endpoint for a kube-apiserver address');
      return { destination: endpoint, port: targetPort, protocol, backend: endpoint.id };
    });
  }

  /** UDP/53 to the cluster DNS: the kube-dns Service's backends, or the pods labelled k8s-app=kube-dns in kube-system. */
  private lookup(): Leg[] {
    const service = this.services.find((candidate) => candidate.namespace === CLUSTER_DNS.namespace && candidate.name === CLUSTER_DNS.name);
    if (service) return this.throughService(service, CLUSTER_DNS.port, 'UDP', 'to.fqdn', 'dns').legs;
    const resolvers = this.endpoints.filter((endpoint) => endpoint.kind === 'pod' && endpoint.namespace === CLUSTER_DNS.namespace &&
      endpoint.labels.get(CLUSTER_DNS.label) === CLUSTER_DNS.name);
    if (resolvers.length === 0) {
      throw new Fail(
        'to.fqdn',
        `the name is looked up at the cluster DNS first, and the input has neither Service ${CLUSTER_DNS.namespace}/${CLUSTER_DNS.name} nor pods labelled ${CLUSTER_DNS.label}=${CLUSTER_DNS.name} in ${CLUSTER_DNS.namespace}`,
        'add the cluster DNS pods (or the kube-dns Service) to the input, or probe the address with {ip}',
      );
    }
    return resolvers.map((endpoint) => ({ destination: endpoint, port: CLUSTER_DNS.port, protocol: 'UDP', backend: endpoint.id, step: 'dns' }));
  }
}

/**
 * Resolves every probe (TCP, UDP, SCTP or ICMP) against the probe universe; throws `InvalidProbesError` naming
 * each probe whose endpoints or port the input does not hold.
 */
export function resolveProbes(connectivity: ProbeConnectivity, probes: readonly Probe[], file: string): ResolvedProbe[] {
  const resolver = new Resolver(connectivity);
  const problems: ProbeProblem[] = [];
  const resolved: ResolvedProbe[] = [];
  for (const probe of probes) {
    try {
      resolved.push(resolver.resolve(probe));
    } catch (error) {
      const fails = error instanceof Fail ? [error] : error instanceof Fails ? error.fails : undefined;
      if (!fails) throw error;
      for (const fail of fails) problems.push({ file, probe: probe.id, field: fail.field, problem: fail.problem, fix: fail.fix });
    }
  }
  if (problems.length > 0) throw new InvalidProbesError(problems);
  return resolved;
}
