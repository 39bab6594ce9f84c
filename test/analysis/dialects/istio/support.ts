/** Builders and a small mesh for the Istio dialect tests. */
import { buildConnectivity, ComputedConnectivity } from '../../../../src/analysis/connectivity';
import { ApplicationRequest, ConnectionProbe } from '../../../../src/analysis/dialect';
import { IstioDecision } from '../../../../src/analysis/dialects/istio';

export type Manifest = Record<string, unknown>;
const V1 = 'security.istio.io/v1';

export function ns(name: string, labels: Record<string, string> = {}): Manifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

interface PodOptions {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly serviceAccount?: string;
  readonly ports?: readonly { port: number; name?: string }[];
  readonly ip?: string;
  readonly hostNetwork?: boolean;
}

export function pod(id: string, options: PodOptions = {}): Manifest {
  const [namespace, name] = id.split('/');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: options.labels ?? { app: name }, ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: {
      ...(options.serviceAccount ? { serviceAccountName: options.serviceAccount } : {}),
      ...(options.hostNetwork ? { hostNetwork: true } : {}),
      containers: [{ name: 'main', image: 'x', ports: (options.ports ?? [{ port: 8080 }]).map((p) => ({ containerPort: p.port, ...(p.name ? { name: p.name } : {}) })) }],
    },
    ...(options.ip ? { status: { podIP: options.ip } } : {}),
  };
}

export function service(id: string, selector: Record<string, string>, ports: readonly Record<string, unknown>[]): Manifest {
  const [namespace, name] = id.split('/');
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports } };
}

export function pa(id: string, spec: Manifest, metadata: Manifest = {}, apiVersion = V1): Manifest {
  const [namespace, name] = id.split('/');
  return { apiVersion, kind: 'PeerAuthentication', metadata: { name, namespace, ...metadata }, spec };
}

export function ap(id: string, spec: Manifest, metadata: Manifest = {}, apiVersion = V1): Manifest {
  const [namespace, name] = id.split('/');
  return { apiVersion, kind: 'AuthorizationPolicy', metadata: { name, namespace, ...metadata }, spec };
}

export function meshConfig(mesh: string): Manifest {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh } };
}

/**
 * - istio-system: the root namespace, no injection;
 * - shop (istio-injection=enabled): web (sa web, 8080 named http, Service port `http`), api (sa api), db (sa db,
 *   5432 behind a `tcp-postgres` Service port), optout (annotation sidecar.istio.io/inject=false);
 * - legacy (no label): client (no sidecar), opted (pod label sidecar.istio.io/inject=true);
 * - rev (istio.io/rev=canary): worker; off (istio-injection=disabled): forced (pod label inject=true);
 * - ambient (istio.io/dataplane-mode=ambient): app.
 */
export const MESH: readonly Manifest[] = [
  ns('istio-system'),
  ns('shop', { 'istio-injection': 'enabled' }),
  ns('legacy'),
  ns('rev', { 'istio.io/rev': 'canary' }),
  ns('off', { 'istio-injection': 'disabled' }),
  ns('ambient', { 'istio.io/dataplane-mode': 'ambient' }),
  pod('shop/web', { serviceAccount: 'web', ports: [{ port: 8080, name: 'http' }, { port: 8081 }], ip: '10.0.0.1' }),
  pod('shop/api', { serviceAccount: 'api', ip: '10.0.0.2' }),
  pod('shop/db', { serviceAccount: 'db', ports: [{ port: 5432 }], ip: '10.0.0.3' }),
  pod('shop/optout', { annotations: { 'sidecar.istio.io/inject': 'false' }, ip: '10.0.0.4' }),
  pod('legacy/client', { ip: '10.0.1.1' }),
  pod('legacy/opted', { labels: { 'app': 'opted', 'sidecar.istio.io/inject': 'true' }, ip: '10.0.1.2' }),
  pod('rev/worker', { ip: '10.0.2.1' }),
  pod('off/forced', { labels: { 'app': 'forced', 'sidecar.istio.io/inject': 'true' }, ip: '10.0.3.1' }),
  pod('ambient/app', { ip: '10.0.4.1' }),
  service('shop/web', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 8080 }]),
  service('shop/db', { app: 'db' }, [{ name: 'tcp-postgres', port: 5432, targetPort: 5432 }]),
];

export type MeshVerdict = 'allow' | 'deny' | 'undetermined';

export function connectivity(objects: readonly Manifest[], base: readonly Manifest[] = MESH): ComputedConnectivity {
  return buildConnectivity([...base, ...objects], { cni: 'kubernetes', mesh: 'istio' });
}

export function meshDecision(
  computed: ComputedConnectivity,
  from: string,
  to: string,
  probe: ConnectionProbe,
  request?: ApplicationRequest,
): IstioDecision {
  const evaluation = computed.evaluateEndpoints(computed.endpoint(from), computed.endpoint(to), probe, request);
  const mesh = evaluation.ingress.layers.find((layer) => layer.layer === 'mesh');
  if (!mesh) throw new Error('no mesh layer');
  return mesh.decisions[0] as IstioDecision;
}

/** The verdict of one connection, the network layer allowing everything (no NetworkPolicy). */
export function verdict(
  objects: readonly Manifest[],
  from: string,
  to: string,
  probe: ConnectionProbe,
  request?: ApplicationRequest,
  base?: readonly Manifest[],
): MeshVerdict {
  const computed = connectivity(objects, base);
  const evaluation = computed.evaluateEndpoints(computed.endpoint(from), computed.endpoint(to), probe, request);
  const decision = meshDecision(computed, from, to, probe, request);
  if (decision.undetermined !== undefined) {
    expect(evaluation.allowed).toBe(false);
    return 'undetermined';
  }
  return evaluation.allowed ? 'allow' : 'deny';
}

export const tcp = (port: number): { port: number; protocol: 'TCP' } => ({ port, protocol: 'TCP' });

export function get(path: string, extra: { method?: string; host?: string; headers?: Record<string, string> } = {}): ApplicationRequest {
  return { http: { method: extra.method ?? 'GET', path, ...(extra.host ? { host: extra.host } : {}), headers: extra.headers ?? {} } };
}
