import { Construct } from 'constructs';
import { Backend, ExternalNamespace, Feature, HttpMethod, MeshStrictMtls, Peer, Port, TenantBoundary, ZeroTrustNamespace, ZeroTrustPlatform } from '../src';

/** Options of the bundled example platform. */
export interface ExamplePlatformOptions {
  /** Tenant names. @default ['alpha', 'beta'] */
  readonly tenants?: readonly string[];
  /** The tenant whose backend calls the external payment API. @default the first tenant */
  readonly tenantWithExternalApi?: string;
  /**
   * The targets. @default exampleBackends(): Kubernetes NetworkPolicy and Calico (each without what it cannot
   * express), Cilium, and the Istio mesh layer
   */
  readonly backends?: readonly Backend[];
  /**
   * Whether the platform turns the Istio mesh on (`MeshStrictMtls`), which only `Backend.istio()` renders.
   * @default - on when `backends` holds the Istio backend
   */
  readonly mesh?: boolean;
}

/** The external API the example's backend calls (a documentation range, RFC 5737). */
export const EXAMPLE_EXTERNAL_API_CIDR = '203.0.113.0/24';

/** The DNS name the example's backend calls: only a backend with DNS-aware policies (Cilium) can say it. */
export const EXAMPLE_EXTERNAL_API_NAME = 'api.github.com';

/** The kube-apiserver's endpoint addresses in the example cluster (a kind cluster's control plane). */
export const EXAMPLE_APISERVER_ADDRESSES: readonly string[] = ['172.18.0.2/32'];

/** The cloud metadata service every pod of the cluster is kept from (a deny only Cilium can express). */
export const EXAMPLE_METADATA_CIDR = '169.254.169.254/32';

/**
 * What the Kubernetes NetworkPolicy target leaves out, declared: DNS names, HTTP rules, the deny and its
 * cluster-wide scope. Its output allows less than the program (never more); `dist/cilium/` has everything.
 */
export const EXAMPLE_KUBERNETES_OMITS: readonly Feature[] = [Feature.FQDN, Feature.HTTP, Feature.DENY, Feature.CLUSTER_WIDE];

/**
 * What the Calico Open Source target leaves out, declared: DNS names (domain rules are Calico Enterprise only)
 * and HTTP rules (Calico Open Source filters connections, not requests). The deny and its cluster-wide scope
 * it keeps (GlobalNetworkPolicy Deny rules in the platform tier).
 */
export const EXAMPLE_CALICO_OMITS: readonly Feature[] = [Feature.FQDN, Feature.HTTP];

/** The Kubernetes NetworkPolicy target alone, for a flat layout. */
export function exampleKubernetesBackend(): Backend {
  return Backend.kubernetes({ omit: EXAMPLE_KUBERNETES_OMITS });
}

/** The Calico Open Source target, without what it cannot express. */
export function exampleCalicoBackend(): Backend {
  return Backend.calico({ omit: EXAMPLE_CALICO_OMITS });
}

/** The example's targets: `dist/kubernetes/`, `dist/calico/` and `dist/cilium/`, and the mesh layer in `dist/istio/`. */
export function exampleBackends(): Backend[] {
  return [exampleKubernetesBackend(), exampleCalicoBackend(), Backend.cilium(), Backend.istio()];
}

/** The ingress controller's service account (ingress-nginx's Helm chart default): its identity in the mesh. */
export const EXAMPLE_INGRESS_SERVICE_ACCOUNT = 'ingress-nginx';

/**
 * The example platform: tenants alpha and beta, each with frontend → backend (TCP 8080) →
 * database (TCP 5432) across two namespaces; the ingress controller in `ingress-nginx` reaches
 * both frontends on 443, and on 80 only with GET or HEAD (an L7 HTTP rule); Prometheus in `monitoring`
 * scrapes every tenant pod on 9090 and watches the kube-apiserver on 6443; alpha's backend calls an
 * external API by address (203.0.113.0/24) and api.github.com by name, on 443; no pod of the cluster
 * reaches the cloud metadata address (a cluster-wide deny); DNS everywhere; nothing else.
 *
 * With the mesh on (the default targets), Istio in sidecar mode: STRICT mTLS everywhere, and every pod
 * admits by identity (service account) only the callers declared above; each workload runs as a service
 * account of its own, and the ingress controller, which runs with a sidecar, as `ingress-nginx`. The network
 * targets also let every meshed pod reach istiod (15012) and Prometheus scrape the sidecars (15020, 15090).
 */
export function buildExamplePlatform(scope: Construct, options: ExamplePlatformOptions = {}): ZeroTrustPlatform {
  const tenants = options.tenants ?? ['alpha', 'beta'];
  const withExternalApi = options.tenantWithExternalApi ?? tenants[0];
  const backends = [...(options.backends ?? exampleBackends())];
  const platform = new ZeroTrustPlatform(scope, 'platform', { backends });
  platform.denyEgress('no-cloud-metadata', Peer.cidr(EXAMPLE_METADATA_CIDR), { clusterWide: true });

  const ingressNginx = new ExternalNamespace(platform, 'ingress-nginx');
  const ingressController = ingressNginx.pods({ labels: { 'app.kubernetes.io/name': 'ingress-nginx' }, serviceAccount: EXAMPLE_INGRESS_SERVICE_ACCOUNT });

  const monitoring = new ZeroTrustNamespace(platform, 'monitoring', { name: 'monitoring' });
  const prometheus = monitoring.workload('prometheus', { labels: { 'app.kubernetes.io/name': 'prometheus' }, serviceAccount: 'prometheus' });
  prometheus.allowTo(Peer.kubeApiserver({ addresses: [...EXAMPLE_APISERVER_ADDRESSES] }), Port.tcp(6443));
  if (options.mesh ?? backends.some((backend) => backend.id === 'istio')) {
    new MeshStrictMtls(platform, 'mesh', { scrapeMetricsFrom: [prometheus] });
  }

  for (const name of tenants) {
    const tenant = new TenantBoundary(platform, name, { namespaces: [`${name}-web`, `${name}-data`] });
    const web = tenant.namespace(`${name}-web`);
    const data = tenant.namespace(`${name}-data`);

    const frontend = web.workload('frontend', { labels: { app: 'frontend' }, serviceAccount: 'frontend' });
    const backend = web.workload('backend', { labels: { app: 'backend' }, serviceAccount: 'backend' });
    const database = data.workload('database', { labels: { app: 'database' }, serviceAccount: 'database' });

    // Plain HTTP on 80 serves pages and redirects only; 443 is TLS, which no proxy reads.
    frontend.allowFrom(ingressController, Port.tcp(80).http({ methods: [HttpMethod.GET, HttpMethod.HEAD] }), Port.tcp(443));
    frontend.allowTo(backend, Port.tcp(8080));
    backend.allowTo(database, Port.tcp(5432));
    prometheus.allowTo(tenant, Port.tcp(9090));
    if (name === withExternalApi) {
      backend.allowTo(Peer.cidr(EXAMPLE_EXTERNAL_API_CIDR), Port.tcp(443));
      backend.allowTo(Peer.fqdn(EXAMPLE_EXTERNAL_API_NAME), Port.tcp(443));
    }
  }
  return platform;
}
