import { Construct } from 'constructs';
import { Backend, ExternalNamespace, Peer, Port, TenantBoundary, ZeroTrustNamespace, ZeroTrustPlatform } from '../src';

/** Options of the bundled example platform. */
export interface ExamplePlatformOptions {
  /** Tenant names. @default ['alpha', 'beta'] */
  readonly tenants?: readonly string[];
  /** The tenant whose backend calls the external payment API. @default the first tenant */
  readonly tenantWithExternalApi?: string;
}

/** The external API the example's backend calls (a documentation range, RFC 5737). */
export const EXAMPLE_EXTERNAL_API_CIDR = '203.0.113.0/24';

/**
 * The example platform: tenants alpha and beta, each with frontend → backend (TCP 8080) →
 * database (TCP 5432) across two namespaces; the ingress controller in `ingress-nginx` reaches
 * both frontends on 80/443; Prometheus in `monitoring` scrapes every tenant pod on 9090; alpha's
 * backend calls an external API on 443; DNS everywhere; nothing else.
 */
export function buildExamplePlatform(scope: Construct, options: ExamplePlatformOptions = {}): ZeroTrustPlatform {
  const tenants = options.tenants ?? ['alpha', 'beta'];
  const withExternalApi = options.tenantWithExternalApi ?? tenants[0];
  const platform = new ZeroTrustPlatform(scope, 'platform', { backends: [Backend.KUBERNETES] });

  const ingressNginx = new ExternalNamespace(platform, 'ingress-nginx');
  const ingressController = ingressNginx.pods({ labels: { 'app.kubernetes.io/name': 'ingress-nginx' } });

  const monitoring = new ZeroTrustNamespace(platform, 'monitoring', { name: 'monitoring' });
  const prometheus = monitoring.workload('prometheus', { labels: { 'app.kubernetes.io/name': 'prometheus' } });

  for (const name of tenants) {
    const tenant = new TenantBoundary(platform, name, { namespaces: [`${name}-web`, `${name}-data`] });
    const web = tenant.namespace(`${name}-web`);
    const data = tenant.namespace(`${name}-data`);

    const frontend = web.workload('frontend', { labels: { app: 'frontend' } });
    const backend = web.workload('backend', { labels: { app: 'backend' } });
    const database = data.workload('database', { labels: { app: 'database' } });

    frontend.allowFrom(ingressController, Port.tcp(80), Port.tcp(443));
    frontend.allowTo(backend, Port.tcp(8080));
    backend.allowTo(database, Port.tcp(5432));
    prometheus.allowTo(tenant, Port.tcp(9090));
    if (name === withExternalApi) backend.allowTo(Peer.cidr(EXAMPLE_EXTERNAL_API_CIDR), Port.tcp(443));
  }
  return platform;
}
