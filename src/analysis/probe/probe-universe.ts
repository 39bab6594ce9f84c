/**
 * The endpoints a probe run evaluates against: the input's pods and externals as for `zt analyze`, plus
 * every node's host network, an external endpoint for each address a probe names that nothing in the
 * input holds, and one for each kube-apiserver address (Endpoints of `default/kubernetes`) that no node
 * holds, named `kube-apiserver` (`kube-apiserver-2`, … for more). The same endpoints are compiled twice when a probe needs it: with node addresses (ipBlock
 * matches them, as Calico does) and without (as Cilium does by default), since Kubernetes leaves it open
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource).
 */
import { EndpointRef, Probe } from './types';
import { compileConnectivity, ComputedConnectivity, ReadInput, universeCluster } from '../connectivity';
import { EndpointUniverse, UniverseNode } from '../core/endpoint-universe';
import { Endpoint, externalEndpoints } from '../core/endpoints';
import { formatIpAddress, IpAddress } from '../core/ip-address';
import { ProbePort } from '../types';

/** The id of the stand-in for the host network of a hostNetwork pod whose node the input does not name. */
export const HOST_PREFIX = 'host:';

function sameIp(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.value === b.value;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The probe addresses (`{ip}`, `{fqdn, ip}`) that no pod, node, Service or given external holds. */
function unownedAddresses(probes: readonly Probe[], owned: readonly IpAddress[]): Map<string, IpAddress> {
  const found = new Map<string, IpAddress>();
  const visit = (ref: EndpointRef): void => {
    if (ref.kind !== 'ip' && ref.kind !== 'fqdn') return;
    if (owned.some((ip) => sameIp(ip, ref.ip)) || [...found.values()].some((ip) => sameIp(ip, ref.ip))) return;
    found.set(ref.text, ref.ip);
  };
  for (const probe of probes) {
    visit(probe.from);
    visit(probe.to);
  }
  return found;
}

/** Nodes of the input, nodes that only hostNetwork pods name (their addresses are the node's), and stand-ins. */
function probeNodes(read: ReadInput): UniverseNode[] {
  const { inventory } = read;
  const nodes: UniverseNode[] = inventory.nodes.map((node) => ({ name: node.name, labels: node.labels, ips: node.ips }));
  const named = new Map<string, IpAddress[]>();
  const standIns: UniverseNode[] = [];
  for (const pod of inventory.pods) {
    if (!pod.hostNetwork) continue;
    if (pod.nodeName === undefined) {
      standIns.push({ name: pod.id, labels: new Map(), ips: pod.ips, standInId: `${HOST_PREFIX}${pod.id}` });
    } else if (!inventory.nodes.some((node) => node.name === pod.nodeName)) {
      const ips = named.get(pod.nodeName) ?? [];
      for (const ip of pod.ips) if (!ips.some((other) => sameIp(other, ip))) ips.push(ip);
      named.set(pod.nodeName, ips);
    }
  }
  for (const [name, ips] of named) nodes.push({ name, labels: new Map(), ips });
  return [...nodes.sort((a, b) => compareText(a.name, b.name)), ...standIns];
}

export interface ProbeUniverseOptions {
  /** External endpoints by name (an inventory's, or given), as for `analyze`. */
  readonly externals?: Readonly<Record<string, string>>;
  readonly externalPorts?: Readonly<Record<string, readonly ProbePort[]>>;
}

/** The compiled endpoints of a probe run, in the two readings of node addresses. */
export class ProbeConnectivity {
  /** ipBlock rules match node addresses. */
  readonly withNodeAddresses: ComputedConnectivity;
  private withoutAddresses: ComputedConnectivity | undefined;
  private readonly nodes: readonly UniverseNode[];
  private readonly externals: readonly Endpoint[];

  constructor(readonly read: ReadInput, probes: readonly Probe[], options: ProbeUniverseOptions = {}) {
    const { inventory } = read;
    this.nodes = probeNodes(read);
    const given = externalEndpoints(options.externals, options.externalPorts);
    const owned = [
      ...inventory.pods.flatMap((pod) => pod.ips),
      ...this.nodes.flatMap((node) => node.ips),
      ...inventory.services.flatMap((service) => service.clusterIps),
      ...given.flatMap((external) => external.ips),
    ];
    const extra: Record<string, string> = {};
    const taken = (name: string): boolean =>
      Object.prototype.hasOwnProperty.call(options.externals ?? {}, name) || Object.prototype.hasOwnProperty.call(extra, name);
    const apiServer = inventory.apiServerAddresses.filter((ip) => !owned.some((own) => sameIp(own, ip)));
    apiServer.forEach((ip, index) => {
      let name = index === 0 ? 'kube-apiserver' : `kube-apiserver-${index + 1}`;
      while (taken(name)) name = `probe-${name}`;
      extra[name] = formatIpAddress(ip);
    });
    for (const [text] of unownedAddresses(probes, [...owned, ...apiServer])) {
      let name = text;
      while (taken(name)) name = `probe-${name}`;
      extra[name] = text;
    }
    this.externals = externalEndpoints({ ...options.externals, ...extra }, options.externalPorts);
    this.withNodeAddresses = this.compile(this.nodes);
  }

  get universe(): EndpointUniverse {
    return this.withNodeAddresses.universe;
  }

  /** The same endpoints, compiled with no address on nodes: ipBlock rules never match them. */
  withoutNodeAddresses(): ComputedConnectivity {
    this.withoutAddresses ??= this.compile(this.nodes.map((node) => ({ ...node, ips: [] })));
    return this.withoutAddresses;
  }

  /** The node endpoint whose host network a hostNetwork pod uses: its Node, the node it names, or its stand-in. */
  hostOf(pod: Endpoint): Endpoint {
    const id = pod.nodeName !== undefined ? `node:${pod.nodeName}` : `${HOST_PREFIX}${pod.id}`;
    const index = this.universe.indexOf(id);
    if (index === undefined) throw new Error(`no host endpoint ${id} for hostNetwork pod ${pod.id}`);
    return this.universe.endpoints[index];
  }

  private compile(nodes: readonly UniverseNode[]): ComputedConnectivity {
    const { inventory } = this.read;
    const universe = new EndpointUniverse(inventory.namespaces, inventory.pods, this.externals, universeCluster(inventory, nodes));
    return compileConnectivity(this.read, universe);
  }
}
