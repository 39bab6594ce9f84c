/**
 * `zt probe --mesh istio` at scale: a synthetic mesh (every namespace injected, mesh-wide STRICT mTLS, an
 * allow-nothing baseline per namespace) whose API pods admit some HTTP requests by caller identity, and probes
 * with HTTP requests against it, evaluated as `probe()` and `zt probe` do (validation, endpoint resolution,
 * both layers, Istio's PeerAuthentication and AuthorizationPolicy on each request).
 *
 * Per namespace: 5 `web` (service account web) and 5 `api` pods, a Service `api` with an `http` port, an
 * allow-nothing AuthorizationPolicy, an ALLOW policy on api for the web identity of the namespace and of the
 * next one (GET/HEAD `/api/v1/items/*`; POST `/api/v1/orders` with an `x-tenant` header), and a DENY policy on
 * `/admin*`. Probes go from a web pod to an API pod, of the same namespace or another, with a request that
 * matches some rule or none; one in ten sends plaintext (`clientMtls: false`).
 */
import { evaluateProbes, ProbeInput } from '../src';
import type { ProbeRun } from './probe-cilium';
import { namespaceName, random } from './synthetic-probes';

type Manifest = Record<string, unknown>;

const PODS_PER_ROLE = 5;
const REQUESTS: readonly { method: string; path: string; headers?: Record<string, string> }[] = [
  { method: 'GET', path: '/api/v1/items/42' },
  { method: 'HEAD', path: '/api/v1/items/7?fields=id' },
  { method: 'POST', path: '/api/v1/orders', headers: { 'x-tenant': 'a' } },
  { method: 'POST', path: '/api/v1/orders' },
  { method: 'DELETE', path: '/api/v1/items/42' },
  { method: 'GET', path: '/admin/users' },
];

function pod(namespace: string, name: string, app: string, index: number): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app } },
    spec: { serviceAccountName: app, containers: [{ name: 'main', image: 'example', ports: [{ containerPort: 8080, name: 'http' }] }] },
    status: { podIP: `10.${Math.floor(index / 250) % 250}.${index % 250}.${app === 'web' ? 1 : 2}` },
  };
}

function policy(kind: string, namespace: string, name: string, spec: Manifest): Manifest {
  return { apiVersion: 'security.istio.io/v1', kind, metadata: { name, namespace }, spec };
}

/** The synthetic mesh: `namespaces` injected namespaces and the root namespace. */
export function syntheticMesh(namespaces: number): Manifest[] {
  const objects: Manifest[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } },
    policy('PeerAuthentication', 'istio-system', 'default', { mtls: { mode: 'STRICT' } }),
  ];
  for (let index = 0; index < namespaces; index++) {
    const namespace = namespaceName(index);
    const previous = namespaceName((index + namespaces - 1) % namespaces);
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'istio-injection': 'enabled' } } });
    for (let replica = 0; replica < PODS_PER_ROLE; replica++) {
      objects.push(pod(namespace, `web-${replica}`, 'web', index * 10 + replica));
      objects.push(pod(namespace, `api-${replica}`, 'api', index * 10 + replica + 5));
    }
    objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace }, spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    objects.push(policy('AuthorizationPolicy', namespace, 'allow-nothing', {}));
    objects.push(policy('AuthorizationPolicy', namespace, 'api-allow', {
      selector: { matchLabels: { app: 'api' } },
      rules: [
        {
          from: [{ source: { principals: [`cluster.local/ns/${namespace}/sa/web`, `cluster.local/ns/${previous}/sa/web`] } }],
          to: [{ operation: { methods: ['GET', 'HEAD'], paths: ['/api/v1/items/*'], ports: ['8080'] } }],
        },
        {
          from: [{ source: { principals: [`cluster.local/ns/${namespace}/sa/web`] } }],
          to: [{ operation: { methods: ['POST'], paths: ['/api/v1/orders'] } }],
          when: [{ key: 'request.headers[x-tenant]', values: ['*'] }],
        },
      ],
    }));
    objects.push(policy('AuthorizationPolicy', namespace, 'api-deny-admin', {
      selector: { matchLabels: { app: 'api' } },
      action: 'DENY',
      rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }],
    }));
  }
  return objects;
}

/** `count` probes from a web pod to an API pod (half in the same namespace), each with one of the requests. */
export function syntheticMeshProbes(namespaces: number, count: number): ProbeInput[] {
  const next = random(7);
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
      ...(index % 10 === 9 ? { clientMtls: false } : {}),
    });
  }
  return probes;
}

/** Evaluates `count` HTTP probes under Istio (on NetworkPolicy) on a mesh of `namespaces` namespaces. Run it in a fresh child (measure.ts). */
export async function runIstioHttpProbes(namespaces: number, count: number): Promise<ProbeRun> {
  const objects = syntheticMesh(namespaces);
  const probes = syntheticMeshProbes(namespaces, count);
  global.gc?.();
  const start = process.hrtime.bigint();
  const report = evaluateProbes(objects, probes, { cni: 'kubernetes', mesh: 'istio' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    endpoints: objects.filter((object) => object.kind === 'Pod').length,
    policies: objects.filter((object) => object.apiVersion === 'security.istio.io/v1').length,
    probes: report.summary.probes,
    allow: report.summary.allow,
    deny: report.summary.deny,
    seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
