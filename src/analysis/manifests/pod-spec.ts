import { describeValue, isAbsent, isRecord } from './fields';
import { DocumentIssues } from './issues';
import { isProtocol, Protocol } from '../../vocabulary/protocol';
import { ContainerPort } from '../core/endpoints';
import { IpAddress, parseIpAddress } from '../core/ip-address';
import { dns1123SubdomainProblem, isValidPortNumber, labelKeyProblem, labelValueProblem, portNameProblem } from '../core/label-syntax';

/** Reads `metadata.labels`-style maps; the API server rejects non-string values and malformed keys/values. */
export function readLabels(value: unknown, field: string, issues: DocumentIssues): Map<string, string> {
  const labels = new Map<string, string>();
  if (isAbsent(value)) return labels;
  if (!isRecord(value)) {
    issues.add(field, `must be a map of label keys to string values, got ${describeValue(value)}`);
    return labels;
  }
  for (const [key, labelValue] of Object.entries(value)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) issues.add(`${field}.${key}`, `invalid label key "${key}": ${keyProblem}`);
    if (typeof labelValue !== 'string') {
      issues.add(`${field}.${key}`, `label value must be a string, got ${describeValue(labelValue)}`);
      continue;
    }
    const valueProblem = labelValueProblem(labelValue);
    if (valueProblem) issues.add(`${field}.${key}`, `invalid label value "${labelValue}": ${valueProblem}`);
    labels.set(key, labelValue);
  }
  return labels;
}

/**
 * Reads `metadata.annotations`: a map of keys to string values, as the API server requires
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set).
 * Only a few annotations change a verdict (Istio's `sidecar.istio.io/inject`, `proxy.istio.io/config`).
 */
export function readAnnotations(value: unknown, field: string, issues: DocumentIssues): Map<string, string> {
  const annotations = new Map<string, string>();
  if (isAbsent(value)) return annotations;
  if (!isRecord(value)) {
    issues.add(field, `must be a map of annotation keys to string values, got ${describeValue(value)}`);
    return annotations;
  }
  for (const [key, annotation] of Object.entries(value)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) issues.add(`${field}.${key}`, `invalid annotation key "${key}": ${keyProblem}`);
    if (typeof annotation !== 'string') {
      issues.add(`${field}.${key}`, `annotation value must be a string, got ${describeValue(annotation)}`);
      continue;
    }
    annotations.set(key, annotation);
  }
  return annotations;
}

function readContainerPort(value: unknown, field: string, issues: DocumentIssues): ContainerPort | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object, got ${describeValue(value)}`);
    return undefined;
  }
  let valid = true;
  if (!isValidPortNumber(value.containerPort)) {
    issues.add(`${field}.containerPort`, isAbsent(value.containerPort)
      ? 'is required'
      : `must be an integer between 1 and 65535, got ${JSON.stringify(value.containerPort)}`);
    valid = false;
  }
  let protocol: Protocol = 'TCP';
  if (!isAbsent(value.protocol)) {
    if (isProtocol(value.protocol)) {
      protocol = value.protocol;
    } else {
      issues.add(`${field}.protocol`, `must be TCP, UDP or SCTP (uppercase), got ${JSON.stringify(value.protocol)}`);
      valid = false;
    }
  }
  let name: string | undefined;
  if (!isAbsent(value.name)) {
    const problem = typeof value.name === 'string' ? portNameProblem(value.name) : `must be a string, got ${describeValue(value.name)}`;
    if (problem) {
      issues.add(`${field}.name`, `invalid port name: ${problem}`);
      valid = false;
    } else {
      name = value.name as string;
    }
  }
  if (!valid) return undefined;
  return { port: value.containerPort as number, protocol, ...(name !== undefined ? { name } : {}) };
}

/** Container ports of a pod spec: what named ports resolve to and, by default, the ports probed. */
export function readContainerPorts(podSpec: unknown, field: string, issues: DocumentIssues): ContainerPort[] {
  if (isAbsent(podSpec)) return [];
  if (!isRecord(podSpec)) {
    issues.add(field, `must be an object, got ${describeValue(podSpec)}`);
    return [];
  }
  const containers = podSpec.containers;
  if (isAbsent(containers)) return [];
  if (!Array.isArray(containers)) {
    issues.add(`${field}.containers`, `must be a list, got ${describeValue(containers)}`);
    return [];
  }
  const ports: ContainerPort[] = [];
  containers.forEach((container, containerIndex) => {
    const containerField = `${field}.containers[${containerIndex}]`;
    if (!isRecord(container)) {
      issues.add(containerField, `must be an object, got ${describeValue(container)}`);
      return;
    }
    if (isAbsent(container.ports)) return;
    if (!Array.isArray(container.ports)) {
      issues.add(`${containerField}.ports`, `must be a list, got ${describeValue(container.ports)}`);
      return;
    }
    container.ports.forEach((port, portIndex) => {
      const parsed = readContainerPort(port, `${containerField}.ports[${portIndex}]`, issues);
      if (parsed) ports.push(parsed);
    });
  });
  return ports;
}

/** `status.podIP` and `status.podIPs[].ip` (dual stack), de-duplicated. */
export function readPodIps(status: unknown, issues: DocumentIssues): IpAddress[] {
  if (!isRecord(status)) return [];
  const texts: { text: unknown; field: string }[] = [];
  if (!isAbsent(status.podIP)) texts.push({ text: status.podIP, field: 'status.podIP' });
  if (Array.isArray(status.podIPs)) {
    status.podIPs.forEach((entry, index) => {
      if (isRecord(entry) && !isAbsent(entry.ip)) texts.push({ text: entry.ip, field: `status.podIPs[${index}].ip` });
    });
  }
  const ips: IpAddress[] = [];
  for (const { text, field } of texts) {
    const parsed = typeof text === 'string' ? parseIpAddress(text) : undefined;
    if (!parsed) {
      issues.add(field, `invalid IP address ${JSON.stringify(text)}`);
    } else if (!ips.some((ip) => ip.family === parsed.family && ip.value === parsed.value)) {
      ips.push(parsed);
    }
  }
  return ips;
}

/** Where and as whom a pod runs: what Cilium, Calico and the host-network rules of NetworkPolicy need. */
export interface PodPlacement {
  /** `spec.serviceAccountName` (or the deprecated `spec.serviceAccount`); `default` when unset. */
  readonly serviceAccount: string;
  /** `spec.nodeName`: set by the scheduler, or by hand; undefined when not given. */
  readonly nodeName?: string;
  /** `spec.hostNetwork`: the pod shares its node's network namespace and addresses. */
  readonly hostNetwork: boolean;
}

/** The service account every namespace holds and that pods run as unless told otherwise. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

function readObjectName(value: unknown, field: string, issues: DocumentIssues): string | undefined {
  if (isAbsent(value) || value === '') return undefined;
  const problem = typeof value === 'string' ? dns1123SubdomainProblem(value) : `must be a string, got ${describeValue(value)}`;
  if (problem) {
    issues.add(field, problem);
    return undefined;
  }
  return value as string;
}

/**
 * `spec.serviceAccountName`, `spec.nodeName` and `spec.hostNetwork` of a pod spec
 * (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#PodSpec). An unset service
 * account is `default` (https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts).
 */
export function readPodPlacement(podSpec: unknown, field: string, issues: DocumentIssues): PodPlacement {
  if (!isRecord(podSpec)) return { serviceAccount: DEFAULT_SERVICE_ACCOUNT, hostNetwork: false };
  const serviceAccount = readObjectName(podSpec.serviceAccountName, `${field}.serviceAccountName`, issues)
    ?? readObjectName(podSpec.serviceAccount, `${field}.serviceAccount`, issues)
    ?? DEFAULT_SERVICE_ACCOUNT;
  const nodeName = readObjectName(podSpec.nodeName, `${field}.nodeName`, issues);
  let hostNetwork = false;
  if (!isAbsent(podSpec.hostNetwork)) {
    if (typeof podSpec.hostNetwork === 'boolean') {
      hostNetwork = podSpec.hostNetwork;
    } else {
      issues.add(`${field}.hostNetwork`, `must be true or false, got ${describeValue(podSpec.hostNetwork)}`);
    }
  }
  return { serviceAccount, ...(nodeName !== undefined ? { nodeName } : {}), hostNetwork };
}
