/**
 * A small stand-in for a Kubernetes API server, on 127.0.0.1 only: it serves discovery (`/apis/<group>`), lists
 * (paginated with `limit` and `continue`, filtered by a `k=v` label selector) and single-object GETs from fixture
 * objects, and can answer 401, 403, 404 and 410 as the real one does. Lists of built-in kinds carry no apiVersion
 * and kind on their items, as the real server's; lists of custom resources do.
 */
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';

/** The resource paths of the kinds the fixtures use, written out here rather than taken from the code under test. */
const RESOURCES: Record<string, { resource: string; namespaced: boolean; builtIn: boolean }> = {
  'v1/Namespace': { resource: 'namespaces', namespaced: false, builtIn: true },
  'v1/Node': { resource: 'nodes', namespaced: false, builtIn: true },
  'v1/Pod': { resource: 'pods', namespaced: true, builtIn: true },
  'v1/Service': { resource: 'services', namespaced: true, builtIn: true },
  'v1/ServiceAccount': { resource: 'serviceaccounts', namespaced: true, builtIn: true },
  'v1/ConfigMap': { resource: 'configmaps', namespaced: true, builtIn: true },
  'discovery.k8s.io/v1/EndpointSlice': { resource: 'endpointslices', namespaced: true, builtIn: true },
  'networking.k8s.io/v1/NetworkPolicy': { resource: 'networkpolicies', namespaced: true, builtIn: true },
  'cilium.io/v2/CiliumNetworkPolicy': { resource: 'ciliumnetworkpolicies', namespaced: true, builtIn: false },
  'cilium.io/v2/CiliumClusterwideNetworkPolicy': { resource: 'ciliumclusterwidenetworkpolicies', namespaced: false, builtIn: false },
  'cilium.io/v2alpha1/CiliumCIDRGroup': { resource: 'ciliumcidrgroups', namespaced: false, builtIn: false },
  'projectcalico.org/v3/GlobalNetworkPolicy': { resource: 'globalnetworkpolicies', namespaced: false, builtIn: false },
  'projectcalico.org/v3/Tier': { resource: 'tiers', namespaced: false, builtIn: false },
  'security.istio.io/v1/AuthorizationPolicy': { resource: 'authorizationpolicies', namespaced: true, builtIn: false },
  'security.istio.io/v1/PeerAuthentication': { resource: 'peerauthentications', namespaced: true, builtIn: false },
};

export interface FakeClusterOptions {
  /** Every object of the cluster, with apiVersion and kind. */
  readonly objects: readonly Record<string, unknown>[];
  /** The API groups served besides the core group, with their versions; others answer 404. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /** Collection paths (`/api/v1/pods`) whose requests are denied. */
  readonly forbidden?: readonly string[];
  /** Requests must carry `Authorization: Bearer <token>`; others get 401. */
  readonly token?: string;
  /** Milliseconds to wait before answering any request. */
  readonly delayMs?: number;
  /** Answer 410 Gone to the first request that carries a continue token of this collection path. */
  readonly expireContinueOnce?: string;
}

export interface FakeApiServer {
  readonly url: string;
  /** `GET /path?query` of every request, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

interface Collection {
  readonly builtIn: boolean;
  readonly items: Record<string, unknown>[];
}

function status(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

function metadataOf(object: Record<string, unknown>): { namespace?: string; name: string; labels: Record<string, string> } {
  return object.metadata as { namespace?: string; name: string; labels: Record<string, string> };
}

/** Every list path an object appears under: cluster-wide, and its namespace's. */
function collectionsOf(objects: readonly Record<string, unknown>[]): Map<string, Collection> {
  const collections = new Map<string, Collection>();
  const add = (key: string, builtIn: boolean, object: Record<string, unknown>): void => {
    if (!collections.has(key)) collections.set(key, { builtIn, items: [] });
    collections.get(key)!.items.push(object);
  };
  for (const object of objects) {
    const apiVersion = object.apiVersion as string;
    const entry = RESOURCES[`${apiVersion}/${object.kind as string}`];
    if (!entry) throw new Error(`fake API server: no resource path for ${apiVersion} ${object.kind as string}`);
    const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    add(`${root}/${entry.resource}`, entry.builtIn, object);
    if (entry.namespaced) add(`${root}/namespaces/${metadataOf(object).namespace ?? 'default'}/${entry.resource}`, entry.builtIn, object);
  }
  return collections;
}

export async function startFakeApiServer(options: FakeClusterOptions): Promise<FakeApiServer> {
  const collections = collectionsOf(options.objects);
  const requests: string[] = [];
  let expired = false;
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const answer = (code: number, body: string): void => {
      const send = (): void => {
        response.writeHead(code, { 'content-type': 'application/json' });
        response.end(body);
      };
      if (!options.delayMs) return send();
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, options.delayMs);
      timers.add(timer);
    };
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET') return answer(405, status(405, 'MethodNotAllowed', 'the fake API server only reads'));
    if (options.token !== undefined && request.headers.authorization !== `Bearer ${options.token}`) {
      return answer(401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    const group = /^\/apis\/([^/]+)$/.exec(url.pathname);
    if (group) {
      const versions = options.groups[group[1]];
      if (!versions) return answer(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return answer(200, JSON.stringify({
        kind: 'APIGroup',
        apiVersion: 'v1',
        name: group[1],
        versions: versions.map((version) => ({ groupVersion: `${group[1]}/${version}`, version })),
        preferredVersion: { groupVersion: `${group[1]}/${versions[0]}`, version: versions[0] },
      }));
    }
    const groupOfPath = /^\/apis\/([^/]+)\//.exec(url.pathname)?.[1];
    if (groupOfPath !== undefined && !options.groups[groupOfPath]) return answer(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const base = url.pathname.replace(/\/[^/]+$/, '');
    const forbidden = (options.forbidden ?? []).find((p) => url.pathname === p || base === p);
    if (forbidden) {
      const resource = forbidden.split('/').pop();
      const scope = /\/namespaces\/([^/]+)\//.exec(forbidden);
      return answer(403, status(403, 'Forbidden',
        `${resource} is forbidden: User "tester" cannot list resource "${resource}" in API group "${groupOfPath ?? ''}" ${scope ? `in the namespace "${scope[1]}"` : 'at the cluster scope'}`));
    }
    const collection = collections.get(url.pathname);
    if (collection || isKnownCollection(url.pathname)) {
      let items = collection?.items ?? [];
      const selector = url.searchParams.get('labelSelector');
      if (selector) {
        const [key, value] = selector.split('=');
        items = items.filter((item) => metadataOf(item).labels?.[key] === value);
      }
      const limit = Number(url.searchParams.get('limit') ?? '0') || items.length || 1;
      const token = url.searchParams.get('continue');
      if (token !== null && options.expireContinueOnce === url.pathname && !expired) {
        expired = true;
        return answer(410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result.'));
      }
      const offset = token ? Number(Buffer.from(token, 'base64').toString('utf8')) : 0;
      const page = items.slice(offset, offset + limit).map((item) => {
        if (!collection?.builtIn) return item;
        const { apiVersion: _apiVersion, kind: _kind, ...rest } = item;
        return rest;
      });
      const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64') : undefined;
      const apiVersion = url.pathname.startsWith('/api/') ? 'v1' : url.pathname.split('/').slice(2, 4).join('/');
      return answer(200, JSON.stringify({ kind: 'List', apiVersion, metadata: { resourceVersion: '42', ...(next ? { continue: next } : {}) }, items: page }));
    }
    const object = collections.get(base)?.items.find((item) => metadataOf(item).name === url.pathname.split('/').pop());
    if (object) return answer(200, JSON.stringify(object));
    return answer(404, status(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

/** Collection paths of known resources answer an empty list when the fixtures hold no object of them. */
function isKnownCollection(pathname: string): boolean {
  return Object.entries(RESOURCES).some(([key, entry]) => {
    const apiVersion = key.slice(0, key.lastIndexOf('/'));
    const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return pathname === `${root}/${entry.resource}` || (entry.namespaced && new RegExp(`^${root}/namespaces/[^/]+/${entry.resource}$`).test(pathname));
  });
}

/** Writes a kubeconfig with one context per entry, the first current, pointing at `server` over plain HTTP. */
export function writeKubeconfig(
  dir: string,
  file: string,
  contexts: readonly { readonly name: string; readonly server: string; readonly token?: string; readonly skipTls?: boolean }[],
): string {
  const lines = ['apiVersion: v1', 'kind: Config', `current-context: ${contexts[0]?.name ?? '""'}`, 'clusters:'];
  for (const context of contexts) {
    lines.push(`- name: ${context.name}-cluster`, '  cluster:', `    server: ${context.server}`);
    if (context.skipTls ?? true) lines.push('    insecure-skip-tls-verify: true');
  }
  lines.push('users:');
  for (const context of contexts) lines.push(`- name: ${context.name}-user`, '  user:', `    token: ${context.token ?? 'test-token'}`);
  lines.push('contexts:');
  for (const context of contexts) lines.push(`- name: ${context.name}`, '  context:', `    cluster: ${context.name}-cluster`, `    user: ${context.name}-user`);
  const out = path.join(dir, file);
  fs.writeFileSync(out, `${lines.join('\n')}\n`);
  return out;
}
