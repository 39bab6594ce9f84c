/**
 * Services (https://kubernetes.io/docs/concepts/services-networking/service/), read for what a connection
 * through one reaches: the pods its selector selects, on the `targetPort` of the service port.
 * Validated as the API server validates them (k8s.io/kubernetes `pkg/apis/core/validation` ValidateService).
 */
import { describeValue, isAbsent, isRecord, JsonObject } from './fields';
import { DocumentIssues } from './issues';
import { readLabels } from './pod-spec';
import { isProtocol, Protocol } from '../../vocabulary/protocol';
import { IpAddress, parseIpAddress } from '../core/ip-address';
import { dns1123LabelProblem, isValidPortNumber, labelKeyProblem, portNameProblem } from '../core/label-syntax';
import { ManifestSource } from '../types';

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export interface ServicePortRecord {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** A container port number, or the name of a container port of each backend pod. Defaults to `port`. */
  readonly targetPort: number | string;
  /** `appProtocol`, e.g. `grpc` or `kubernetes.io/h2c`, when given. */
  readonly appProtocol?: string;
}

export interface ServiceRecord {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly type: ServiceType;
  /** `metadata.labels`, when the Service has any (Cilium `toServices.k8sServiceSelector` selects on them). */
  readonly labels?: ReadonlyMap<string, string>;
  /** Undefined when the Service has no selector: its endpoints are managed by hand. */
  readonly selector?: ReadonlyMap<string, string>;
  /** `spec.clusterIP` and `spec.clusterIPs`, without `None`. */
  readonly clusterIps: readonly IpAddress[];
  readonly ports: readonly ServicePortRecord[];
  readonly source: ManifestSource;
}

/** Reads a Service's spec (its metadata already checked); undefined when it is invalid, every problem reported. */
export function readService(
  object: JsonObject,
  namespace: string,
  name: string,
  source: ManifestSource,
  issues: DocumentIssues,
): ServiceRecord | undefined {
  let valid = true;
  if (/^[0-9]/.test(name) || dns1123LabelProblem(name)) {
    issues.add('metadata.name', `invalid Service name "${name}": must be a DNS-1035 label (lowercase alphanumerics or '-', starting with a letter, at most 63 characters)`);
    valid = false;
  }
  const spec = object.spec;
  if (!isRecord(spec)) {
    issues.add('spec', isAbsent(spec) ? 'is required' : `must be an object, got ${describeValue(spec)}`);
    return undefined;
  }
  let type: ServiceType = 'ClusterIP';
  if (!isAbsent(spec.type)) {
    if ((SERVICE_TYPES as readonly unknown[]).includes(spec.type)) {
      type = spec.type as ServiceType;
    } else {
      issues.add('spec.type', `must be one of ${SERVICE_TYPES.join(', ')}, got ${describeValue(spec.type)}`);
      valid = false;
    }
  }
  const selector = isAbsent(spec.selector) ? undefined : readLabels(spec.selector, 'spec.selector', issues);
  const metadata = object.metadata;
  const labels = isRecord(metadata) ? readLabels(metadata.labels, 'metadata.labels', issues) : new Map<string, string>();
  const clusterIps = readClusterIps(spec, issues);
  const ports = readServicePorts(spec.ports, issues);
  if (!valid || !ports || !clusterIps) return undefined;
  return {
    id: `${namespace}/${name}`,
    namespace,
    name,
    type,
    ...(labels.size > 0 ? { labels } : {}),
    ...(selector ? { selector } : {}),
    clusterIps,
    ports,
    source,
  };
}

function readClusterIps(spec: JsonObject, issues: DocumentIssues): IpAddress[] | undefined {
  const texts: { value: unknown; field: string }[] = [];
  if (!isAbsent(spec.clusterIP)) texts.push({ value: spec.clusterIP, field: 'spec.clusterIP' });
  if (!isAbsent(spec.clusterIPs)) {
    if (!Array.isArray(spec.clusterIPs)) {
      issues.add('spec.clusterIPs', `must be a list of IP addresses, got ${describeValue(spec.clusterIPs)}`);
      return undefined;
    }
    spec.clusterIPs.forEach((value, index) => texts.push({ value, field: `spec.clusterIPs[${index}]` }));
  }
  const ips: IpAddress[] = [];
  let valid = true;
  for (const { value, field } of texts) {
    // Empty asks the API server to allocate one; None makes the Service headless.
    if (value === '' || value === 'None') continue;
    const ip = typeof value === 'string' ? parseIpAddress(value) : undefined;
    if (!ip) {
      issues.add(field, `must be an IP address, "None" or empty, got ${describeValue(value)}`);
      valid = false;
    } else if (!ips.some((other) => other.family === ip.family && other.value === ip.value)) {
      ips.push(ip);
    }
  }
  return valid ? ips : undefined;
}

function readServicePorts(value: unknown, issues: DocumentIssues): ServicePortRecord[] | undefined {
  if (isAbsent(value)) return [];
  if (!Array.isArray(value)) {
    issues.add('spec.ports', `must be a list, got ${describeValue(value)}`);
    return undefined;
  }
  const ports: ServicePortRecord[] = [];
  const names = new Map<string, number>();
  const numbers = new Map<string, number>();
  value.forEach((entry, index) => {
    const field = `spec.ports[${index}]`;
    if (!isRecord(entry)) {
      issues.add(field, `must be an object, got ${describeValue(entry)}`);
      return;
    }
    let valid = true;
    if (!isValidPortNumber(entry.port)) {
      issues.add(`${field}.port`, isAbsent(entry.port) ? 'is required' : `must be an integer between 1 and 65535, got ${JSON.stringify(entry.port)}`);
      valid = false;
    }
    let protocol: Protocol = 'TCP';
    if (!isAbsent(entry.protocol)) {
      if (isProtocol(entry.protocol)) {
        protocol = entry.protocol;
      } else {
        issues.add(`${field}.protocol`, `must be TCP, UDP or SCTP (uppercase), got ${JSON.stringify(entry.protocol)}`);
        valid = false;
      }
    }
    let name: string | undefined;
    if (!isAbsent(entry.name)) {
      const problem = typeof entry.name === 'string' ? dns1123LabelProblem(entry.name) : `must be a string, got ${describeValue(entry.name)}`;
      if (problem) {
        issues.add(`${field}.name`, `invalid port name: ${problem}`);
        valid = false;
      } else {
        name = entry.name as string;
        const earlier = names.get(name);
        if (earlier !== undefined) {
          issues.add(`${field}.name`, `duplicate port name "${name}": spec.ports[${earlier}] has it too`);
          valid = false;
        }
        names.set(name, index);
      }
    } else if (value.length > 1) {
      issues.add(`${field}.name`, 'is required when the Service has more than one port');
      valid = false;
    }
    const targetPort = isAbsent(entry.targetPort) ? entry.port : readTargetPort(entry.targetPort, `${field}.targetPort`, issues);
    if (targetPort === undefined) valid = false;
    let appProtocol: string | undefined;
    if (!isAbsent(entry.appProtocol)) {
      // ValidateService: a qualified name, like a label key (k8s.io/kubernetes pkg/apis/core/validation).
      const problem = typeof entry.appProtocol === 'string' ? labelKeyProblem(entry.appProtocol) : `must be a string, got ${describeValue(entry.appProtocol)}`;
      if (problem) {
        issues.add(`${field}.appProtocol`, `invalid appProtocol: ${problem}`);
        valid = false;
      } else {
        appProtocol = entry.appProtocol as string;
      }
    }
    if (!valid) return;
    const key = `${entry.port as number}/${protocol}`;
    const earlier = numbers.get(key);
    if (earlier !== undefined) {
      issues.add(`${field}.port`, `duplicate port ${key}: spec.ports[${earlier}] has it too`);
      return;
    }
    numbers.set(key, index);
    ports.push({
      ...(name !== undefined ? { name } : {}),
      port: entry.port as number,
      protocol,
      targetPort: targetPort as number | string,
      ...(appProtocol !== undefined ? { appProtocol } : {}),
    });
  });
  return ports;
}

/** `targetPort`: an integer 1-65535, or an IANA service name (a named container port). */
function readTargetPort(value: unknown, field: string, issues: DocumentIssues): number | string | undefined {
  if (typeof value === 'number') {
    if (isValidPortNumber(value)) return value;
    issues.add(field, `must be an integer between 1 and 65535 or a port name, got ${JSON.stringify(value)}`);
    return undefined;
  }
  if (typeof value === 'string') {
    const problem = portNameProblem(value);
    if (!problem) return value;
    issues.add(field, `invalid port name "${value}": ${problem} (a number must be given as a number, not a string)`);
    return undefined;
  }
  issues.add(field, `must be an integer or a port name, got ${describeValue(value)}`);
  return undefined;
}
