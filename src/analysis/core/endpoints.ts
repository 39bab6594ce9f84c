import { IpAddress, parseIpAddress } from './ip-address';
import { Protocol } from '../../vocabulary/protocol';

/** A container port of a pod: what named policy ports resolve to and, by default, the ports probed. */
export interface ContainerPort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly name?: string;
}

/**
 * A pod (or a workload's representative pod), a node (from a `Node` object: its host network) or an
 * external address: one row and column of the connectivity matrix.
 */
export interface Endpoint {
  /** Position in the endpoint order: pods by namespace then name, then nodes by name, then externals by name. */
  readonly index: number;
  /** `namespace/name`, `node:NAME` or `external:NAME`. */
  readonly id: string;
  readonly kind: 'pod' | 'external' | 'node';
  /** Undefined for nodes and externals. */
  readonly namespace?: string;
  readonly name: string;
  /** A pod's labels, or a node's labels. */
  readonly labels: ReadonlyMap<string, string>;
  readonly ips: readonly IpAddress[];
  readonly ports: readonly ContainerPort[];
  /** A pod's `spec.serviceAccountName` (`default` when unset). */
  readonly serviceAccount?: string;
  /** The node a pod runs on (`spec.nodeName`), or a node's own name; undefined when not known. */
  readonly nodeName?: string;
  /** A pod with `spec.hostNetwork: true`: it shares its node's network namespace. */
  readonly hostNetwork?: boolean;
}

export const EXTERNAL_PREFIX = 'external:';
export const NODE_PREFIX = 'node:';

/**
 * The external endpoints of `AnalyzeOptions.externals`, sorted by name, each with the ports probed when it
 * is the destination (`AnalyzeOptions.externalPorts`). Their `index` is -1 until the
 * endpoint universe places them after the pods.
 */
export function externalEndpoints(
  externals: Readonly<Record<string, string>> | undefined,
  ports: Readonly<Record<string, readonly { readonly port: number; readonly protocol: Protocol }[]>> = {},
): Endpoint[] {
  return Object.keys(externals ?? {}).sort().map((name) => {
    const text = externals![name];
    const ip = typeof text === 'string' ? parseIpAddress(text) : undefined;
    if (name === '' || /[\s/]/.test(name)) throw new Error(`External endpoint name ${JSON.stringify(name)} must be non-empty, without spaces or '/'`);
    if (!ip) throw new Error(`External endpoint "${name}": ${JSON.stringify(text)} is not an IPv4 or IPv6 address`);
    const probed = (Object.hasOwn(ports, name) ? ports[name] : []).map((port) => ({ port: port.port, protocol: port.protocol }));
    return { index: -1, id: `${EXTERNAL_PREFIX}${name}`, kind: 'external', name, labels: new Map(), ips: [ip], ports: probed };
  });
}
