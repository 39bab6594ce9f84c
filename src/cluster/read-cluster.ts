/**
 * Reads a live cluster's objects into the analyzer's input form (`LoadedManifests`), so that they go through the
 * same reading, validation and evaluation as manifests from files. Read-only: only GETs, lists paginated with
 * `limit` and `continue` (https://kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks).
 */
import { ApiClient } from './api-client';
import { ApiRequest, ClusterAccessError, ClusterForbiddenError, resourceName } from './errors';
import { CALICO_CRD_GROUP, CALICO_GROUP, CLUSTER_RESOURCES, ClusterResource, REQUIRED_GROUPS } from './resources';
import { SourcedDocument } from '../analysis/manifests/documents';
import { isRecord } from '../analysis/manifests/fields';

export interface ReadClusterOptions {
  /** Objects asked for per request (`limit`). */
  readonly pageSize: number;
  /** Called before each request, for a progress line. */
  readonly onProgress?: (text: string) => void;
  /** The resources to read; default `CLUSTER_RESOURCES`. */
  readonly resources?: readonly ClusterResource[];
}

/** One resource as read: which version, and how many objects. */
export interface ResourceRead {
  readonly resource: ClusterResource;
  /** `group/version` read, `v1` for the core group. */
  readonly apiVersion: string;
  readonly count: number;
}

export interface ClusterRead {
  /** Every object read, as documents whose file is `cluster:<resource>` and whose index counts that resource's objects from 0. */
  readonly documents: SourcedDocument[];
  /** The API groups the server serves, among those of the resources (`''`, the core group, always). */
  readonly servedGroups: ReadonlySet<string>;
  readonly resources: readonly ResourceRead[];
  /** What was skipped and why, as `note: ...` lines. */
  readonly notes: readonly string[];
}

/** Pods that have terminated hold no address and receive nothing (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-phase). */
const TERMINATED_PHASES = new Set(['Succeeded', 'Failed']);

/** The source file name of a resource's objects in issues and notes. */
export function clusterSource(resource: Pick<ClusterResource, 'group' | 'resource'>): string {
  return `cluster:${resourceName(resource)}`;
}

function groupPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

function collectionPath(resource: ClusterResource, version: string): string {
  const namespace = resource.only ? `/namespaces/${encodeURIComponent(resource.only.namespace)}` : '';
  return `${groupPath(resource.group, version)}${namespace}/${resource.resource}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function identityOf(object: unknown): [string, string] {
  const metadata = isRecord(object) && isRecord(object.metadata) ? object.metadata : {};
  return [typeof metadata.namespace === 'string' ? metadata.namespace : '', typeof metadata.name === 'string' ? metadata.name : ''];
}

class ClusterReader {
  private readonly notes: string[] = [];
  private readonly denials: { request: ApiRequest; message: string }[] = [];
  private readonly versions = new Map<string, readonly string[] | undefined>();

  constructor(private readonly client: ApiClient, private readonly options: ReadClusterOptions) {}

  async read(): Promise<ClusterRead> {
    const resources = this.options.resources ?? CLUSTER_RESOURCES;
    const groups = [...new Set(resources.map((resource) => resource.group))];
    for (const group of groups) await this.discover(group);
    if (this.versions.get(CALICO_GROUP) === undefined && groups.includes(CALICO_GROUP)) await this.noteCalicoCrds();

    const documents: SourcedDocument[] = [];
    const reads: ResourceRead[] = [];
    const skippedGroups = new Map<string, string[]>();
    for (const resource of resources) {
      if (resource.when !== undefined && this.versions.get(resource.when) === undefined) continue;
      const served = this.versions.get(resource.group);
      if (served === undefined) {
        skippedGroups.set(resource.group, [...(skippedGroups.get(resource.group) ?? []), resource.kind]);
        continue;
      }
      const objects = await this.readResource(resource, served);
      if (objects === undefined) continue;
      const source = clusterSource(resource);
      objects.items.forEach((object, documentIndex) => documents.push({ source: { file: source, documentIndex }, object }));
      reads.push({ resource, apiVersion: objects.apiVersion, count: objects.items.length });
    }
    for (const [group, kinds] of skippedGroups) {
      this.notes.push(`note: the API group ${group} is not served by this cluster, so it has no ${kinds.join(', ')} objects; skipped`);
    }
    if (this.denials.length > 0) throw new ClusterForbiddenError(this.denials, `user "${this.client.user}"`);
    const servedGroups = new Set([...this.versions].filter(([, versions]) => versions !== undefined).map(([group]) => group));
    return { documents, servedGroups, resources: reads, notes: this.notes };
  }

  /** The versions a group serves; undefined when the group is not served (404 on `/apis/<group>`). */
  private async discover(group: string): Promise<void> {
    if (group === '') {
      this.versions.set('', ['v1']);
      return;
    }
    this.options.onProgress?.(`discovering ${group}…`);
    const response = await this.client.get(`/apis/${group}`, { verb: 'get', group, resource: '' });
    if (response.status !== 'ok') {
      if (REQUIRED_GROUPS.has(group)) {
        throw new ClusterAccessError(`${this.client.server} does not serve the API group ${group}, which every Kubernetes API server serves: is it one?`, 'bad-response');
      }
      this.versions.set(group, undefined);
      return;
    }
    const versions = isRecord(response.body) && Array.isArray(response.body.versions) ? response.body.versions : [];
    this.versions.set(group, versions.filter(isRecord).map((entry) => entry.version).filter((version): version is string => typeof version === 'string'));
  }

  private async noteCalicoCrds(): Promise<void> {
    const response = await this.client.get(`/apis/${CALICO_CRD_GROUP}`, { verb: 'get', group: CALICO_CRD_GROUP, resource: '' });
    if (response.status === 'ok') {
      this.notes.push(
        `note: Calico's CRDs (${CALICO_CRD_GROUP}) are served but not the Calico API server (${CALICO_GROUP}/v3), which is how Calico policies are read: ` +
          'install the Calico API server (https://docs.tigera.io/calico/latest/operations/install-apiserver) for zt audit to see them',
      );
    }
  }

  /** The objects of a resource, sorted by namespace and name; undefined when it is skipped (a note says why) or denied. */
  private async readResource(resource: ClusterResource, served: readonly string[]): Promise<{ apiVersion: string; items: unknown[] } | undefined> {
    const candidates = resource.versions.filter((version) => served.includes(version));
    for (const version of candidates) {
      const apiVersion = resource.group === '' ? version : `${resource.group}/${version}`;
      const items = await this.fetch(resource, version);
      if (items === 'denied') return undefined;
      if (items === 'not-found') continue;
      for (const item of items) {
        if (!isRecord(item)) continue;
        // Items of a built-in kind's list carry no apiVersion and kind; those of a custom resource's do.
        if (typeof item.apiVersion !== 'string') item.apiVersion = apiVersion;
        if (typeof item.kind !== 'string') item.kind = resource.kind;
      }
      const kept = resource.kind === 'Pod' && resource.group === '' ? this.withoutTerminatedPods(items) : items;
      kept.sort((a, b) => {
        const [an, am] = identityOf(a);
        const [bn, bm] = identityOf(b);
        return compareText(an, bn) || compareText(am, bm);
      });
      return { apiVersion, items: kept };
    }
    if (REQUIRED_GROUPS.has(resource.group)) {
      throw new ClusterAccessError(`${this.client.server} does not serve ${resourceName(resource)} ${resource.versions.join('/')}, which every Kubernetes API server serves: is it one?`, 'bad-response');
    }
    if (resource.only?.name === undefined) {
      this.notes.push(`note: ${resource.kind} (${resourceName(resource)} ${resource.versions.join(' or ')}) is not served by this cluster; skipped`);
    }
    return undefined;
  }

  private withoutTerminatedPods(items: unknown[]): unknown[] {
    const kept = items.filter((item) => !(isRecord(item) && isRecord(item.status) && TERMINATED_PHASES.has(item.status.phase as string)));
    const dropped = items.length - kept.length;
    if (dropped > 0) this.notes.push(`note: ${dropped} terminated pod${dropped === 1 ? '' : 's'} (phase Succeeded or Failed) left out: they have no address`);
    return kept;
  }

  /** Every object of a resource in this version, page by page. A list whose continue token expired (410) starts over once. */
  private async fetch(resource: ClusterResource, version: string): Promise<unknown[] | 'not-found' | 'denied'> {
    const base = collectionPath(resource, version);
    const request: ApiRequest = {
      verb: resource.only?.name !== undefined ? 'get' : 'list',
      group: resource.group,
      resource: resource.resource,
      ...(resource.only ? { namespace: resource.only.namespace } : {}),
      ...(resource.only?.name !== undefined ? { name: resource.only.name } : {}),
    };
    try {
      if (resource.only?.name !== undefined) {
        this.options.onProgress?.(`reading ${resourceName(resource)} ${resource.only.namespace}/${resource.only.name}…`);
        const response = await this.client.get(`${base}/${encodeURIComponent(resource.only.name)}`, request);
        // A missing object is no error: the cluster simply has none.
        return response.status === 'ok' ? [response.body] : [];
      }
      for (let attempt = 0; ; attempt++) {
        const items = await this.pages(resource, base, request);
        if (items !== 'gone') return items;
        if (attempt > 0) {
          throw new ClusterAccessError(
            `listing ${resourceName(resource)} failed twice with 410 Gone: the list changed faster than it could be read page by page. ` +
              'Rerun, or raise --page-size so that fewer pages are needed.',
            'server',
            410,
          );
        }
      }
    } catch (error) {
      if (!(error instanceof ClusterForbiddenError)) throw error;
      this.denials.push(...error.denials);
      return 'denied';
    }
  }

  private async pages(resource: ClusterResource, base: string, request: ApiRequest): Promise<unknown[] | 'not-found' | 'gone'> {
    const items: unknown[] = [];
    let token: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(this.options.pageSize) });
      if (token !== undefined) query.set('continue', token);
      if (resource.only?.labelSelector !== undefined) query.set('labelSelector', resource.only.labelSelector);
      this.options.onProgress?.(`listing ${resourceName(resource)}${items.length > 0 ? ` (${items.length} so far)` : ''}…`);
      const response = await this.client.get(`${base}?${query.toString()}`, request);
      if (response.status === 'not-found') {
        if (token !== undefined) throw new ClusterAccessError(`listing ${resourceName(resource)} failed half-way with 404: ${response.message}`, 'server', 404);
        return 'not-found';
      }
      if (response.status === 'gone') return 'gone';
      const body = response.body;
      if (!isRecord(body) || !Array.isArray(body.items)) {
        throw new ClusterAccessError(`${this.client.server} answered the list of ${resourceName(resource)} without an items list: is it a Kubernetes API server?`, 'bad-response');
      }
      items.push(...body.items);
      const next = isRecord(body.metadata) ? body.metadata.continue : undefined;
      token = typeof next === 'string' && next !== '' ? next : undefined;
    } while (token !== undefined);
    return items;
  }
}

/** Reads every resource of `CLUSTER_RESOURCES` the server serves. Throws `ClusterAccessError` (`ClusterForbiddenError` listing every denial). */
export function readCluster(client: ApiClient, options: ReadClusterOptions): Promise<ClusterRead> {
  return new ClusterReader(client, options).read();
}
