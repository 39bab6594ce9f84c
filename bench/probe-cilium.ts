/**
 * `zt probe --cni cilium` at scale: a synthetic Cilium cluster whose API pods accept only some HTTP requests
 * (CiliumNetworkPolicy `rules.http` on method, path and headers), and probes with HTTP requests against it,
 * evaluated as `probe()` and `zt probe` do (validation, endpoint resolution, both directions, L7 matching).
 *
 * Per namespace: 5 `web` and 5 `api` pods on 10 nodes, a CNP that lets the namespace's web pods (and a
 * `frontend` namespace label's web pods) send GET/HEAD to `/api/v1/items/...`, POST to `/api/v1/orders` with
 * an `X-Tenant` header, and anything to `/healthz`, and a CNP that makes web pods default-deny for egress, with
 * DNS through the proxy and the API pods of every namespace on 8080. Probes go from a web pod to an API pod, of
 * the same namespace or another, with a request that matches some rule or none.
 */
import { evaluateProbes, ProbeInput } from '../src';
import { namespaceName, random } from './synthetic-probes';

type Manifest = Record<string, unknown>;

const PODS_PER_ROLE = 5;
const NODES = 10;
const REQUESTS: readonly { method: string; path: string; headers?: Record<string, string> }[] = [
  { method: 'GET', path: '/api/v1/items/42' },
  { method: 'HEAD', path: '/api/v1/items/7' },
  { method: 'POST', path: '/api/v1/orders', headers: { 'X-Tenant': 'a' } },
  { method: 'POST', path: '/api/v1/orders' },
  { method: 'DELETE', path: '/api/v1/items/42' },
  { method: 'GET', path: '/healthz' },
  { method: 'GET', path: '/admin' },
];

function pod(namespace: string, name: string, labels: Record<string, string>, node: number, ports: readonly number[]): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { nodeName: `node-${node}`, containers: [{ name: 'main', image: 'example', ports: ports.map((containerPort) => ({ containerPort })) }] },
  };
}

/** The synthetic cluster: `namespaces` namespaces, plus kube-system with the DNS, and its nodes. */
export function syntheticHttpCluster(namespaces: number): Manifest[] {
  const objects: Manifest[] = [];
  for (let index = 0; index < NODES; index++) {
    objects.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${index}` }, status: { addresses: [{ type: 'InternalIP', address: `10.0.0.${index + 1}` }] } });
  }
  objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
  objects.push(pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, 0, [53]));
  for (let index = 0; index < namespaces; index++) {
    const namespace = namespaceName(index);
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { tier: index % 2 === 0 ? 'frontend' : 'backend' } } });
    for (let replica = 0; replica < PODS_PER_ROLE; replica++) {
      objects.push(pod(namespace, `web-${replica}`, { app: 'web' }, (index + replica) % NODES, [8080]));
      objects.push(pod(namespace, `api-${replica}`, { app: 'api' }, (index + replica + 5) % NODES, [8080]));
    }
    objects.push({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'api-http', namespace },
      spec: {
        endpointSelector: { matchLabels: { app: 'api' } },
        ingress: [
          {
            fromEndpoints: [{ matchLabels: { app: 'web' } }, { matchLabels: { 'app': 'web', 'io.cilium.k8s.namespace.labels.tier': 'frontend' } }],
            toPorts: [{
              ports: [{ port: '8080', protocol: 'TCP' }],
              rules: {
                http: [
                  { method: 'GET|HEAD', path: '/api/v1/items/[0-9]+' },
                  { method: 'POST', path: '/api/v1/orders', headers: ['X-Tenant'] },
                  { path: '/healthz' },
                ],
              },
            }],
          },
        ],
      },
    });
    objects.push({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'web-egress', namespace },
      spec: {
        endpointSelector: { matchLabels: { app: 'web' } },
        egress: [
          {
            toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }],
            toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
          },
          { toEndpoints: [{ matchLabels: { app: 'api' } }, { matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }], matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] },
        ],
      },
    });
  }
  return objects;
}

/** `count` probes from a web pod to an API pod (half in the same namespace), each with one of the requests. */
export function syntheticHttpProbes(namespaces: number, count: number): ProbeInput[] {
  const next = random(42);
  const pick = (n: number): number => Math.floor(next() * n);
  const probes: ProbeInput[] = [];
  for (let index = 0; index < count; index++) {
    const from = pick(namespaces);
    const to = next() < 0.5 ? from : pick(namespaces);
    const request = REQUESTS[pick(REQUESTS.length)];
    probes.push({
      id: `p${index}`,
      from: `${namespaceName(from)}/web-${pick(PODS_PER_ROLE)}`,
      to: `${namespaceName(to)}/api-${pick(PODS_PER_ROLE)}`,
      port: 8080,
      http: { method: request.method, path: request.path, ...(request.headers ? { headers: request.headers } : {}) },
    });
  }
  return probes;
}

export interface ProbeRun {
  readonly endpoints: number;
  readonly policies: number;
  readonly probes: number;
  readonly allow: number;
  readonly deny: number;
  /** Validation, inventory, compilation and every probe: the inputs are built before the clock starts. */
  readonly seconds: number;
  readonly peakRssMb: number;
}

/** Evaluates `count` HTTP probes under Cilium on a cluster of `namespaces` namespaces. Run it in a fresh child (measure.ts). */
export async function runCiliumHttpProbes(namespaces: number, count: number): Promise<ProbeRun> {
  const objects = syntheticHttpCluster(namespaces);
  const probes = syntheticHttpProbes(namespaces, count);
  global.gc?.();
  const start = process.hrtime.bigint();
  const report = evaluateProbes(objects, probes, { cni: 'cilium' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    endpoints: objects.filter((object) => object.kind === 'Pod' || object.kind === 'Node').length,
    policies: objects.filter((object) => object.kind === 'CiliumNetworkPolicy').length,
    probes: report.summary.probes,
    allow: report.summary.allow,
    deny: report.summary.deny,
    seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
