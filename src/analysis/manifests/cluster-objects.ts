/**
 * Objects that describe the cluster rather than a workload: Nodes (their host network is an endpoint),
 * ServiceAccounts (labels that Calico selects on), the kube-apiserver's addresses and Cilium's cluster name.
 */
import { parse as parseYaml } from 'yaml';
import { describeValue, isAbsent, isRecord, JsonObject } from './fields';
import { DocumentIssues } from './issues';
import { IpAddress, parseIpAddress } from '../core/ip-address';
import { ManifestSource } from '../types';

export interface NodeRecord {
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
  /** InternalIP and ExternalIP addresses, de-duplicated, in input order. */
  readonly ips: readonly IpAddress[];
  readonly source: ManifestSource;
}

export interface ServiceAccountRecord {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
}

/** Node address types that are IP addresses (https://kubernetes.io/docs/reference/node/node-status/#addresses). */
const NODE_IP_TYPES = new Set(['InternalIP', 'ExternalIP']);

function addAddress(ips: IpAddress[], text: unknown, field: string, issues: DocumentIssues): void {
  const ip = typeof text === 'string' ? parseIpAddress(text) : undefined;
  if (!ip) {
    issues.add(field, `must be an IPv4 or IPv6 address, got ${describeValue(text)}`);
  } else if (!ips.some((other) => other.family === ip.family && other.value === ip.value)) {
    ips.push(ip);
  }
}

/** `status.addresses` of a Node: the InternalIP and ExternalIP entries; Hostname and the DNS entries are names, not addresses. */
export function readNodeAddresses(status: unknown, issues: DocumentIssues): IpAddress[] {
  const ips: IpAddress[] = [];
  if (!isRecord(status) || isAbsent(status.addresses)) return ips;
  if (!Array.isArray(status.addresses)) {
    issues.add('status.addresses', `must be a list, got ${describeValue(status.addresses)}`);
    return ips;
  }
  status.addresses.forEach((entry, index) => {
    const field = `status.addresses[${index}]`;
    if (!isRecord(entry)) {
      issues.add(field, `must be an object with type and address, got ${describeValue(entry)}`);
      return;
    }
    if (typeof entry.type === 'string' && NODE_IP_TYPES.has(entry.type)) addAddress(ips, entry.address, `${field}.address`, issues);
  });
  return ips;
}

/** The Service whose endpoints are the kube-apiserver (https://kubernetes.io/docs/concepts/security/controlling-access/). */
export const API_SERVER_SERVICE = { namespace: 'default', name: 'kubernetes' } as const;
/** The label that ties an EndpointSlice to its Service (https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#ownership). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Where Cilium keeps its agent configuration, `cluster-name` among it. */
export const CILIUM_CONFIG = { namespace: 'kube-system', name: 'cilium-config', key: 'cluster-name' } as const;

/** `metadata.namespace` and `metadata.name` as written, without validation: to pick out the few objects of a kind that matter. */
export function rawIdentity(object: JsonObject): { namespace: string; name: string; labels: unknown } | undefined {
  const metadata = object.metadata;
  if (!isRecord(metadata) || typeof metadata.name !== 'string') return undefined;
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default';
  return { namespace, name: metadata.name, labels: metadata.labels };
}

/** True for the EndpointSlice (discovery.k8s.io) or Endpoints (v1) object of the Service `default/kubernetes`. */
export function isApiServerEndpoints(object: JsonObject, kind: 'EndpointSlice' | 'Endpoints'): boolean {
  const identity = rawIdentity(object);
  if (!identity || identity.namespace !== API_SERVER_SERVICE.namespace) return false;
  if (kind === 'Endpoints') return identity.name === API_SERVER_SERVICE.name;
  return isRecord(identity.labels) && identity.labels[SERVICE_NAME_LABEL] === API_SERVER_SERVICE.name;
}

/**
 * The addresses of an EndpointSlice (`endpoints[].addresses[]`) or Endpoints object
 * (`subsets[].addresses[].ip`, and `notReadyAddresses`, which the apiserver never has for long).
 */
export function readEndpointAddresses(object: JsonObject, kind: 'EndpointSlice' | 'Endpoints', issues: DocumentIssues): IpAddress[] {
  const ips: IpAddress[] = [];
  const listAt = (value: unknown, field: string): readonly unknown[] => {
    if (isAbsent(value)) return [];
    if (Array.isArray(value)) return value;
    issues.add(field, `must be a list, got ${describeValue(value)}`);
    return [];
  };
  if (kind === 'EndpointSlice') {
    listAt(object.endpoints, 'endpoints').forEach((endpoint, index) => {
      if (!isRecord(endpoint)) return;
      listAt(endpoint.addresses, `endpoints[${index}].addresses`).forEach((address, at) => {
        addAddress(ips, address, `endpoints[${index}].addresses[${at}]`, issues);
      });
    });
    return ips;
  }
  listAt(object.subsets, 'subsets').forEach((subset, index) => {
    if (!isRecord(subset)) return;
    for (const list of ['addresses', 'notReadyAddresses']) {
      listAt(subset[list], `subsets[${index}].${list}`).forEach((address, at) => {
        if (isRecord(address)) addAddress(ips, address.ip, `subsets[${index}].${list}[${at}].ip`, issues);
      });
    }
  });
  return ips;
}

/** True for the ConfigMap `kube-system/cilium-config`. */
export function isCiliumConfig(object: JsonObject): boolean {
  const identity = rawIdentity(object);
  return identity !== undefined && identity.namespace === CILIUM_CONFIG.namespace && identity.name === CILIUM_CONFIG.name;
}

/**
 * `data.cluster-name` of `kube-system/cilium-config`: the value of the `io.cilium.k8s.policy.cluster` label
 * (https://docs.cilium.io/en/stable/network/clustermesh/policy/). Undefined when the key is absent.
 */
export function readCiliumClusterName(object: JsonObject, issues: DocumentIssues): string | undefined {
  const data = object.data;
  if (isAbsent(data)) return undefined;
  if (!isRecord(data)) {
    issues.add('data', `must be a map of strings, got ${describeValue(data)}`);
    return undefined;
  }
  const value = data[CILIUM_CONFIG.key];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string' || value === '') {
    issues.add(`data.${CILIUM_CONFIG.key}`, `must be a non-empty string, got ${describeValue(value)}`);
    return undefined;
  }
  return value;
}

/** Where istiod keeps the mesh configuration (https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/). */
export const ISTIO_MESH_CONFIG = { namespace: 'istio-system', name: 'istio', key: 'mesh' } as const;

/** What the analyzer takes from Istio's mesh configuration; unset fields keep Istio's defaults. */
export interface IstioMeshConfig {
  /** `rootNamespace`: where mesh-wide policies live (default `istio-system`). */
  readonly rootNamespace?: string;
  /** `trustDomain`: the first part of every workload principal (default `cluster.local`). */
  readonly trustDomain?: string;
  /** `defaultConfig.gatewayTopology.numTrustedProxies`: how many proxies in front of a workload X-Forwarded-For trusts. */
  readonly numTrustedProxies?: number;
}

/** True for the ConfigMap `istio-system/istio`. */
export function isIstioMeshConfig(object: JsonObject): boolean {
  const identity = rawIdentity(object);
  return identity !== undefined && identity.namespace === ISTIO_MESH_CONFIG.namespace && identity.name === ISTIO_MESH_CONFIG.name;
}

/** A non-negative integer at `value`, or undefined with an issue at `field`. */
function readCount(value: unknown, field: string, issues: DocumentIssues): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  issues.add(field, `must be a non-negative integer, got ${describeValue(value)}`);
  return undefined;
}

/** `gatewayTopology.numTrustedProxies` of a ProxyConfig object (mesh `defaultConfig`, or a pod's `proxy.istio.io/config`). */
export function readNumTrustedProxies(proxyConfig: unknown, field: string, issues: DocumentIssues): number | undefined {
  if (!isRecord(proxyConfig) || !isRecord(proxyConfig.gatewayTopology)) return undefined;
  const value = proxyConfig.gatewayTopology.numTrustedProxies;
  return isAbsent(value) ? undefined : readCount(value, `${field}.gatewayTopology.numTrustedProxies`, issues);
}

/** Parses a YAML (or JSON) string held in a field; undefined with an issue when it is not a map. */
export function parseEmbeddedYaml(text: string, field: string, issues: DocumentIssues): JsonObject | undefined {
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 0 });
  } catch (error) {
    issues.add(field, `is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
  if (isAbsent(value)) return {};
  if (!isRecord(value)) {
    issues.add(field, `must hold a YAML map, got ${describeValue(value)}`);
    return undefined;
  }
  return value;
}

/** `data.mesh` of `istio-system/istio`: root namespace, trust domain and the default number of trusted proxies. */
export function readIstioMeshConfig(object: JsonObject, issues: DocumentIssues): IstioMeshConfig {
  const data = object.data;
  if (isAbsent(data)) return {};
  if (!isRecord(data)) {
    issues.add('data', `must be a map of strings, got ${describeValue(data)}`);
    return {};
  }
  const text = data[ISTIO_MESH_CONFIG.key];
  if (isAbsent(text)) return {};
  const field = `data.${ISTIO_MESH_CONFIG.key}`;
  if (typeof text !== 'string') {
    issues.add(field, `must be a string, got ${describeValue(text)}`);
    return {};
  }
  const mesh = parseEmbeddedYaml(text, field, issues);
  if (!mesh) return {};
  const name = (key: 'rootNamespace' | 'trustDomain'): string | undefined => {
    const value = mesh[key];
    if (isAbsent(value)) return undefined;
    if (typeof value === 'string' && value !== '') return value;
    issues.add(`${field}.${key}`, `must be a non-empty string, got ${describeValue(value)}`);
    return undefined;
  };
  const rootNamespace = name('rootNamespace');
  const trustDomain = name('trustDomain');
  const numTrustedProxies = readNumTrustedProxies(mesh.defaultConfig, `${field}.defaultConfig`, issues);
  return {
    ...(rootNamespace !== undefined ? { rootNamespace } : {}),
    ...(trustDomain !== undefined ? { trustDomain } : {}),
    ...(numTrustedProxies !== undefined ? { numTrustedProxies } : {}),
  };
}
