import { IpAddress, parseIpAddress } from './ip-address';
import { Protocol } from '../../vocabulary/protocol';

/** A container port of a pod: what named policy ports resolve to and, by default, the ports probed. */
export interface ContainerPort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly name?: string;
}

/**
 * A pod (or a workload's representative pod), an external address, or a node's host network: one row and
 * column of the connectivity matrix. Nodes are endpoints only where asked for (`zt probe`): `zt analyze`
 * reports pods and externals.
 */
export interface Endpoint {
  /** Position in the endpoint order: pods by namespace then name, then externals by name, then nodes by name. */
  readonly index: number;
  /** `namespace/name`, `external:NAME` or `node:NAME`. */
  readonly id: string;
  readonly kind: 'pod' | 'external' | 'node';
  /** Undefined for externals and nodes. */
  readonly namespace?: string;
  readonly name: string;
  /** A pod's labels, or a node's (`metadata.labels` of the Node); empty for externals. */
  readonly labels: ReadonlyMap<string, string>;
  /** A pod's `metadata.annotations` (a workload's pod template's), when it has any. */
  readonly annotations?: ReadonlyMap<string, string>;
  /** A pod's `status.podIP(s)`; a node's InternalIP and ExternalIP addresses; an external's address. */
  readonly ips: readonly IpAddress[];
  readonly ports: readonly ContainerPort[];
  /** Pods: `spec.serviceAccountName`, `default` when unset (https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts). */
  readonly serviceAccount?: string;
  /** Pods: `spec.nodeName` when the input gives it (a scheduled pod); nodes: their own name. */
  readonly nodeName?: string;
  /** Pods: `spec.hostNetwork` is true, so the pod uses its node's network namespace and addresses. */
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
