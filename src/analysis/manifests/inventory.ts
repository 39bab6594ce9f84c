import {
  isApiServerEndpoints,
  isCiliumConfig,
  NodeRecord,
  readCiliumClusterName,
  readEndpointAddresses,
  readNodeAddresses,
  ServiceAccountRecord,
} from './cluster-objects';
import { LoadedManifests } from './documents';
import { describeValue, isAbsent, isRecord, JsonObject } from './fields';
import { DocumentIssues } from './issues';
import { findKind, ObjectReader } from './object-kinds';
import { readContainerPorts, readLabels, readPodIps, readPodPlacement } from './pod-spec';
import { readService, ServiceRecord } from './service';
import { NAMESPACE_NAME_LABEL } from '../../vocabulary/labels';
import { DEFAULT_CLUSTER_NAME } from '../core/endpoint-universe';
import { ContainerPort } from '../core/endpoints';
import { IpAddress } from '../core/ip-address';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../core/label-syntax';
import { AnalysisNotes, ManifestIssue, ManifestSource } from '../types';

const DEFAULT_NAMESPACE = 'default';

export interface NamespaceRecord {
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
  /** True when no Namespace object defined it. */
  readonly assumed: boolean;
}

/** A Pod, or the one representative pod of a workload. */
export interface PodRecord {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  /** Kind of the object it came from: Pod, Deployment, CronJob… */
  readonly kind: string;
  readonly labels: ReadonlyMap<string, string>;
  readonly ips: readonly IpAddress[];
  readonly ports: readonly ContainerPort[];
  /** `spec.serviceAccountName`, `default` when unset. */
  readonly serviceAccount: string;
  /** `spec.nodeName`, when given. */
  readonly nodeName?: string;
  readonly hostNetwork: boolean;
  readonly source: ManifestSource;
}

/** A policy object handed to a reader: which policies the input holds, for telling those that select no pod. */
export interface PolicyIdentity {
  readonly kind: string;
  /** `namespace/name`, or `name` for a cluster-scoped kind. */
  readonly key: string;
}

export interface Inventory {
  /** Sorted by name. */
  readonly namespaces: readonly NamespaceRecord[];
  /** Sorted by namespace, then name. */
  readonly pods: readonly PodRecord[];
  /** Sorted by namespace, then name. */
  readonly services: readonly ServiceRecord[];
  /** Every object a reader took, in input order. */
  readonly policies: readonly PolicyIdentity[];
  /** Sorted by name. */
  readonly nodes: readonly NodeRecord[];
  /** Sorted by namespace, then name. */
  readonly serviceAccounts: readonly ServiceAccountRecord[];
  /** The kube-apiserver's addresses, from the EndpointSlice or Endpoints of the Service `default/kubernetes`. */
  readonly apiServerAddresses: readonly IpAddress[];
  /** `cluster-name` of ConfigMap `kube-system/cilium-config`, `default` without one. */
  readonly clusterName: string;
  readonly notes: AnalysisNotes;
  readonly issues: readonly ManifestIssue[];
}

/** Where each workload kind keeps its pod template, and the API groups it is served from. */
export const WORKLOAD_TEMPLATES: Readonly<Record<string, { readonly groups: readonly string[]; readonly template: readonly string[] }>> = {
  Deployment: { groups: ['apps', 'extensions'], template: ['spec', 'template'] },
  StatefulSet: { groups: ['apps'], template: ['spec', 'template'] },
  DaemonSet: { groups: ['apps', 'extensions'], template: ['spec', 'template'] },
  ReplicaSet: { groups: ['apps', 'extensions'], template: ['spec', 'template'] },
  Job: { groups: ['batch'], template: ['spec', 'template'] },
  CronJob: { groups: ['batch'], template: ['spec', 'jobTemplate', 'spec', 'template'] },
};

export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Metadata {
  readonly name: string;
  readonly namespace: string;
  /** Raw `metadata.labels`, validated by `readLabels`. */
  readonly labels: unknown;
}

function readMetadata(object: JsonObject, kind: string, namespaced: boolean, issues: DocumentIssues): Metadata | undefined {
  const metadata = object.metadata;
  if (!isRecord(metadata)) {
    issues.add('metadata', isAbsent(metadata) ? 'is required' : `must be an object, got ${describeValue(metadata)}`);
    return undefined;
  }
  let valid = true;
  let namespace = DEFAULT_NAMESPACE;
  // An empty namespace means "unset" to kubectl, like an absent one.
  if (namespaced && !isAbsent(metadata.namespace) && metadata.namespace !== '') {
    const problem = typeof metadata.namespace === 'string'
      ? dns1123LabelProblem(metadata.namespace)
      : `must be a string, got ${describeValue(metadata.namespace)}`;
    if (problem) {
      issues.add('metadata.namespace', `invalid namespace: ${problem}`);
      valid = false;
    } else {
      namespace = metadata.namespace as string;
    }
  }
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    issues.add('metadata.name', isAbsent(name) || name === '' ? 'is required' : `must be a string, got ${describeValue(name)}`);
    return undefined;
  }
  issues.describeObject(namespaced ? `${kind} ${namespace}/${name}` : `${kind} ${name}`);
  const nameProblem = kind === 'Namespace' ? dns1123LabelProblem(name) : dns1123SubdomainProblem(name);
  if (nameProblem) {
    issues.add('metadata.name', `invalid name "${name}": ${nameProblem}`);
    valid = false;
  }
  if (!valid) return undefined;
  return { name, namespace, labels: metadata.labels };
}

/** Follows a field path through nested objects; reports the first level that is missing or not an object. */
function readTemplate(object: JsonObject, path: readonly string[], issues: DocumentIssues): JsonObject | undefined {
  let current: unknown = object;
  for (let depth = 0; depth < path.length; depth++) {
    const next = (current as JsonObject)[path[depth]];
    const field = path.slice(0, depth + 1).join('.');
    if (!isRecord(next)) {
      issues.add(field, isAbsent(next) ? 'is required' : `must be an object, got ${describeValue(next)}`);
      return undefined;
    }
    current = next;
  }
  return current as JsonObject;
}

class InventoryBuilder {
  readonly issues: ManifestIssue[];
  private readonly definedNamespaces = new Map<string, NamespaceRecord>();
  private readonly referencedNamespaces = new Set<string>();
  private readonly pods: PodRecord[] = [];
  private readonly services: ServiceRecord[] = [];
  private readonly policies: PolicyIdentity[] = [];
  private readonly nodes: NodeRecord[] = [];
  private readonly serviceAccounts: ServiceAccountRecord[] = [];
  private readonly apiServerAddresses: IpAddress[] = [];
  private clusterName: string | undefined;
  private readonly ignoredKinds = new Map<string, number>();
  private readonly seenObjects = new Map<string, ManifestSource>();
  private readonly seenEndpoints = new Map<string, { kind: string; source: ManifestSource }>();

  constructor(initialIssues: readonly ManifestIssue[], private readonly readers: readonly ObjectReader[]) {
    this.issues = [...initialIssues];
  }

  add(object: unknown, source: ManifestSource, path: string | undefined): void {
    const issues = new DocumentIssues(this.issues, source, path);
    if (!isRecord(object)) {
      issues.add(undefined, `document must be an object, got ${describeValue(object)}`);
      return;
    }
    const kind = object.kind;
    const apiVersion = object.apiVersion;
    if (typeof kind !== 'string' || kind === '') {
      issues.add('kind', isAbsent(kind) || kind === '' ? 'is required' : `must be a string, got ${describeValue(kind)}`);
      return;
    }
    if (typeof apiVersion !== 'string' || apiVersion === '') {
      issues.add('apiVersion', isAbsent(apiVersion) || apiVersion === '' ? 'is required' : `must be a string, got ${describeValue(apiVersion)}`);
      return;
    }
    const group = apiGroup(apiVersion);
    // Own properties only: `kind: constructor` must not find Object.prototype.constructor.
    const workload = Object.prototype.hasOwnProperty.call(WORKLOAD_TEMPLATES, kind) ? WORKLOAD_TEMPLATES[kind] : undefined;
    if (group === '' && kind === 'Namespace') {
      this.addNamespace(object, source, issues);
    } else if (group === '' && kind === 'Pod') {
      this.addPod(object, kind, source, issues, object.spec, 'spec', undefined);
    } else if (group === '' && kind === 'Service') {
      this.addService(object, source, issues);
    } else if (group === '' && kind === 'Node') {
      this.addNode(object, source, issues);
    } else if (group === '' && kind === 'ServiceAccount') {
      this.addServiceAccount(object, source, issues);
    } else if ((group === '' && kind === 'Endpoints') || (group === 'discovery.k8s.io' && kind === 'EndpointSlice')) {
      if (isApiServerEndpoints(object, kind)) this.addApiServerEndpoints(object, kind, source, issues);
      else this.ignore(apiVersion, kind);
    } else if (group === '' && kind === 'ConfigMap' && isCiliumConfig(object)) {
      this.addCiliumConfig(object, source, issues);
    } else if (workload && workload.groups.includes(group)) {
      this.addWorkload(object, kind, workload.template, source, issues);
    } else if (!this.offer(object, apiVersion, kind, source, issues)) {
      this.ignore(apiVersion, kind);
    }
  }

  private ignore(apiVersion: string, kind: string): void {
    const key = `${apiVersion}/${kind}`;
    this.ignoredKinds.set(key, (this.ignoredKinds.get(key) ?? 0) + 1);
  }

  build(): Inventory {
    for (const name of this.definedNamespaces.keys()) this.referencedNamespaces.delete(name);
    const assumed = [...this.referencedNamespaces].sort(compareText);
    const namespaces: NamespaceRecord[] = [
      ...this.definedNamespaces.values(),
      ...assumed.map((name) => ({ name, labels: new Map([[NAMESPACE_NAME_LABEL, name]]), assumed: true })),
    ].sort((a, b) => compareText(a.name, b.name));
    this.checkClusterIps();
    return {
      namespaces,
      pods: [...this.pods].sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name)),
      services: [...this.services].sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name)),
      policies: this.policies,
      nodes: [...this.nodes].sort((a, b) => compareText(a.name, b.name)),
      serviceAccounts: [...this.serviceAccounts].sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name)),
      apiServerAddresses: this.apiServerAddresses,
      clusterName: this.clusterName ?? DEFAULT_CLUSTER_NAME,
      notes: {
        assumedNamespaces: assumed,
        ignoredKinds: [...this.ignoredKinds].sort(([a], [b]) => compareText(a, b)).map(([kind, count]) => ({ kind, count })),
      },
      issues: this.issues,
    };
  }

  /**
   * Two objects with the same kind, namespace and name cannot coexist in a cluster; which one wins is unknowable.
   * The same kind in two API groups is two resources (a projectcalico.org NetworkPolicy beside a
   * networking.k8s.io one of the same name), so `group` is part of the identity.
   */
  private claimObject(kind: string, id: string, source: ManifestSource, issues: DocumentIssues, group = ''): boolean {
    const key = `${group}|${kind}|${id}`;
    const first = this.seenObjects.get(key);
    if (first) {
      issues.add('metadata.name', `duplicate ${kind} ${id}: already defined at ${first.file}#${first.documentIndex}`);
      return false;
    }
    this.seenObjects.set(key, source);
    return true;
  }

  private addNamespace(object: JsonObject, source: ManifestSource, issues: DocumentIssues): void {
    const metadata = readMetadata(object, 'Namespace', false, issues);
    if (!metadata || !this.claimObject('Namespace', metadata.name, source, issues)) return;
    const labels = readLabels(metadata.labels, 'metadata.labels', issues);
    // The API server sets this label itself and does not let it differ from the name.
    labels.set(NAMESPACE_NAME_LABEL, metadata.name);
    this.definedNamespaces.set(metadata.name, { name: metadata.name, labels, assumed: false });
  }

  private addService(object: JsonObject, source: ManifestSource, issues: DocumentIssues): void {
    const metadata = readMetadata(object, 'Service', true, issues);
    if (!metadata) return;
    this.referencedNamespaces.add(metadata.namespace);
    if (!this.claimObject('Service', `${metadata.namespace}/${metadata.name}`, source, issues)) return;
    const service = readService(object, metadata.namespace, metadata.name, source, issues);
    if (service) this.services.push(service);
  }

  private addNode(object: JsonObject, source: ManifestSource, issues: DocumentIssues): void {
    const metadata = readMetadata(object, 'Node', false, issues);
    if (!metadata || !this.claimObject('Node', metadata.name, source, issues)) return;
    const labels = readLabels(metadata.labels, 'metadata.labels', issues);
    this.nodes.push({ name: metadata.name, labels, ips: readNodeAddresses(object.status, issues), source });
  }

  private addServiceAccount(object: JsonObject, source: ManifestSource, issues: DocumentIssues): void {
    const metadata = readMetadata(object, 'ServiceAccount', true, issues);
    if (!metadata) return;
    this.referencedNamespaces.add(metadata.namespace);
    const id = `${metadata.namespace}/${metadata.name}`;
    if (!this.claimObject('ServiceAccount', id, source, issues)) return;
    this.serviceAccounts.push({ id, namespace: metadata.namespace, name: metadata.name, labels: readLabels(metadata.labels, 'metadata.labels', issues) });
  }

  /** The EndpointSlice or Endpoints of `default/kubernetes`: the kube-apiserver's addresses. */
  private addApiServerEndpoints(object: JsonObject, kind: 'EndpointSlice' | 'Endpoints', source: ManifestSource, issues: DocumentIssues): void {
    const metadata = readMetadata(object, kind, true, issues);
    if (!metadata || !this.claimObject(kind, `${metadata.namespace}/${metadata.name}`, source, issues)) return;
    for (const ip of readEndpointAddresses(object, kind, issues)) {
      if (!this.apiServerAddresses.some((other) => other.family === ip.family && other.value === ip.value)) this.apiServerAddresses.push(ip);
    }
  }

  private addCiliumConfig(object: JsonObject, source: ManifestSource, issues: DocumentIssues): void {
    const metadata = readMetadata(object, 'ConfigMap', true, issues);
    if (!metadata || !this.claimObject('ConfigMap', `${metadata.namespace}/${metadata.name}`, source, issues)) return;
    this.clusterName = readCiliumClusterName(object, issues);
  }

  /** A cluster IP belongs to one Service: the API server allocates each once. */
  private checkClusterIps(): void {
    const owners = new Map<string, ServiceRecord>();
    for (const service of this.services) {
      for (const ip of service.clusterIps) {
        const key = `${ip.family}:${ip.value}`;
        const owner = owners.get(key);
        if (owner && owner !== service) {
          new DocumentIssues(this.issues, service.source, undefined, `Service ${service.id}`).add(
            'spec.clusterIP',
            `cluster IP already belongs to Service ${owner.id} (${owner.source.file}#${owner.source.documentIndex}); a cluster IP is allocated to one Service`,
          );
        } else {
          owners.set(key, service);
        }
      }
    }
  }

  private addWorkload(object: JsonObject, kind: string, templatePath: readonly string[], source: ManifestSource, issues: DocumentIssues): void {
    const metadata = readMetadata(object, kind, true, issues);
    if (!metadata) return;
    const template = readTemplate(object, templatePath, issues);
    if (!template) return;
    const templateField = templatePath.join('.');
    const templateMetadata = template.metadata;
    const labelsValue = isRecord(templateMetadata) ? templateMetadata.labels : undefined;
    this.addPod(object, kind, source, issues, template.spec, `${templateField}.spec`, {
      metadata,
      labels: readLabels(labelsValue, `${templateField}.metadata.labels`, issues),
    });
  }

  /** Adds a Pod (template undefined) or a workload's representative pod (labels from its template). */
  private addPod(
    object: JsonObject,
    kind: string,
    source: ManifestSource,
    issues: DocumentIssues,
    podSpec: unknown,
    podSpecField: string,
    workload: { metadata: Metadata; labels: Map<string, string> } | undefined,
  ): void {
    const metadata = workload?.metadata ?? readMetadata(object, kind, true, issues);
    if (!metadata) return;
    const id = `${metadata.namespace}/${metadata.name}`;
    this.referencedNamespaces.add(metadata.namespace);
    if (!this.claimObject(kind, id, source, issues)) return;
    const labels = workload?.labels ?? readLabels(metadata.labels, 'metadata.labels', issues);
    const ports = readContainerPorts(podSpec, podSpecField, issues);
    const placement = readPodPlacement(podSpec, podSpecField, issues);
    const ips = workload ? [] : readPodIps(object.status, issues);
    const other = this.seenEndpoints.get(id);
    if (other) {
      issues.add('metadata.name', `endpoint ${id} is also produced by ${other.kind} ${id} at ${other.source.file}#${other.source.documentIndex}; rename one of them`);
      return;
    }
    this.seenEndpoints.set(id, { kind, source });
    this.pods.push({ id, namespace: metadata.namespace, name: metadata.name, kind, labels, ips, ports, ...placement, source });
  }

  /**
   * Hands an object of a kind the inventory does not model itself to the first reader of that kind, after
   * checking its metadata. False when no reader takes the kind.
   */
  private offer(object: JsonObject, apiVersion: string, kind: string, source: ManifestSource, issues: DocumentIssues): boolean {
    for (const reader of this.readers) {
      const objectKind = findKind(reader.kinds, apiVersion, kind);
      if (!objectKind) continue;
      const metadata = readMetadata(object, kind, objectKind.namespaced, issues);
      if (!metadata) return true;
      if (objectKind.namespaced) this.referencedNamespaces.add(metadata.namespace);
      const id = objectKind.namespaced ? `${metadata.namespace}/${metadata.name}` : metadata.name;
      if (!this.claimObject(kind, id, source, issues, apiGroupOf(apiVersion))) return true;
      const namespace = objectKind.namespaced ? { namespace: metadata.namespace } : {};
      this.policies.push({ kind, key: id });
      reader.read(object, { kind, ...namespace, name: metadata.name, source }, issues);
      return true;
    }
    return false;
  }
}

/** The API group of an apiVersion (`projectcalico.org/v3` → `projectcalico.org`; the core group `v1` → ''). */
function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Sorts manifests into namespaces, pods (workloads become one representative pod), Services, Nodes,
 * ServiceAccounts and the cluster facts (the apiserver's addresses, Cilium's cluster name), and offers every
 * object of another kind to the readers (the dialects' policies); what no reader takes is noted as ignored.
 */
export function buildInventory(loaded: LoadedManifests, readers: readonly ObjectReader[] = []): Inventory {
  const builder = new InventoryBuilder(loaded.issues, readers);
  for (const document of loaded.documents) {
    builder.add(document.object, document.source, document.path);
  }
  return builder.build();
}
