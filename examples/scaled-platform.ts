import { Construct } from 'constructs';
import { EXAMPLE_EXTERNAL_API_CIDR } from './example-platform';
import { Backend, ExternalNamespace, Peer, Port, TenantBoundary, ZeroTrustNamespace, ZeroTrustPlatform } from '../src';

/** Workloads of one tenant of the scaled example: [namespace suffix, name, port it serves]. */
export const SCALED_TENANT_WORKLOADS: readonly (readonly ['web' | 'data', string, number])[] = [
  ['web', 'frontend', 80],
  ['web', 'backend', 8080],
  ['web', 'auth', 8443],
  ['web', 'search', 9200],
  ['web', 'cache', 6379],
  ['web', 'worker', 8081],
  ['data', 'database', 5432],
  ['data', 'queue', 5672],
  ['data', 'objectstore', 9000],
  ['data', 'analytics', 8088],
];

/** Flows inside one tenant of the scaled example: [from, to] (to's port). */
export const SCALED_TENANT_FLOWS: readonly (readonly [string, string])[] = [
  ['frontend', 'backend'],
  ['frontend', 'auth'],
  ['backend', 'database'],
  ['backend', 'cache'],
  ['backend', 'queue'],
  ['backend', 'search'],
  ['worker', 'queue'],
  ['worker', 'objectstore'],
  ['analytics', 'database'],
  ['search', 'database'],
];

/** Zero-padded tenant names, so that files sort in tenant order. */
export function scaledTenantName(index: number): string {
  return `t${String(index).padStart(4, '0')}`;
}

/** The backends the scaled example can be rendered with: the same intent, one dialect each. */
export type ScaledBackend = 'kubernetes' | 'cilium' | 'calico';

/**
 * The example platform's shape at scale, for the benchmark: `tenants` tenants, each with two
 * namespaces, ten workloads and thirteen flows (ten internal, ingress-nginx → frontend on 80/443,
 * Prometheus → every tenant pod on 9090, backend → an external CIDR on 443), rendered by `backend`.
 */
export function buildScaledPlatform(scope: Construct, tenants: number, backend: ScaledBackend = 'kubernetes'): ZeroTrustPlatform {
  const backends: Record<ScaledBackend, () => Backend> = {
    kubernetes: () => Backend.KUBERNETES,
    cilium: () => Backend.cilium(),
    calico: () => Backend.calico(),
  };
  const platform = new ZeroTrustPlatform(scope, 'platform', { backends: [backends[backend]()] });
  const ingressController = new ExternalNamespace(platform, 'ingress-nginx').pods({ labels: { 'app.kubernetes.io/name': 'ingress-nginx' } });
  const monitoring = new ZeroTrustNamespace(platform, 'monitoring', { name: 'monitoring' });
  const prometheus = monitoring.workload('prometheus', { labels: { 'app.kubernetes.io/name': 'prometheus' } });

  for (let i = 1; i <= tenants; i++) {
    const name = scaledTenantName(i);
    const tenant = new TenantBoundary(platform, name, { namespaces: [`${name}-web`, `${name}-data`] });
    const workloads = new Map(
      SCALED_TENANT_WORKLOADS.map(([suffix, workload, port]) => [
        workload,
        { workload: tenant.namespace(`${name}-${suffix}`).workload(workload, { labels: { app: workload } }), port },
      ]),
    );
    const get = (workload: string) => workloads.get(workload)!;
    for (const [from, to] of SCALED_TENANT_FLOWS) get(from).workload.allowTo(get(to).workload, Port.tcp(get(to).port));
    get('frontend').workload.allowFrom(ingressController, Port.tcp(80), Port.tcp(443));
    get('backend').workload.allowTo(Peer.cidr(EXAMPLE_EXTERNAL_API_CIDR), Port.tcp(443));
    prometheus.allowTo(tenant, Port.tcp(9090));
  }
  return platform;
}
