/** Manifest builders for probe tests, on top of the analyzer's helpers. */
import { Manifest, namespace, netpol, pod, PortDecl } from '../helpers';

export { namespace, netpol, pod };

export function node(name: string, internalIp: string, labels: Record<string, string> = {}): Manifest {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, status: { addresses: [{ type: 'InternalIP', address: internalIp }, { type: 'Hostname', address: name }] } };
}

/** A pod with `spec.nodeName`, `spec.hostNetwork` and `status.podIP` as given. */
export interface Placement {
  readonly nodeName?: string;
  readonly hostNetwork?: boolean;
  readonly ip?: string;
  readonly ports?: readonly PortDecl[];
}

export function placedPod(id: string, labels: Record<string, string>, options: Placement = {}): Manifest {
  const base = pod(id, labels, options.ports ?? [{ port: 80 }], options.ip) as { spec: Record<string, unknown> };
  return {
    ...base,
    spec: { ...base.spec, ...(options.nodeName ? { nodeName: options.nodeName } : {}), ...(options.hostNetwork ? { hostNetwork: true } : {}) },
  };
}

export function service(id: string, selector: Record<string, string>, ports: readonly Record<string, unknown>[], clusterIP?: string): Manifest {
  const [ns, name] = id.split('/');
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector, ports, ...(clusterIP ? { clusterIP } : {}) } };
}

/** Default-deny both directions for every pod of a namespace. */
export function denyAll(ns: string): Manifest {
  return netpol(`${ns}/deny-all`, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
}
