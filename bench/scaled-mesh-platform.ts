import { Construct } from 'constructs';
import { EXAMPLE_EXTERNAL_API_CIDR } from '../examples/example-platform';
import { SCALED_TENANT_FLOWS, SCALED_TENANT_WORKLOADS, scaledTenantName } from '../examples/scaled-platform';
import { Backend, ExternalNamespace, MeshStrictMtls, Peer, Port, TenantBoundary, ZeroTrustNamespace, ZeroTrustPlatform } from '../src';

/**
 * The scaled example's shape as a mesh needs it, for the mesh benchmark: every workload runs as a
 * service account of its own (its mesh identity), and outside traffic enters through the Istio
 * ingress gateway instead of ingress-nginx pods known by labels only. With `mesh`, the platform
 * declares MeshStrictMtls and renders Kubernetes NetworkPolicy plus Istio; without, Kubernetes
 * alone: the same intent, so that the two syntheses compare the cost of the mesh layer.
 */
export function buildScaledMeshPlatform(scope: Construct, tenants: number, mesh: boolean): ZeroTrustPlatform {
  const platform = new ZeroTrustPlatform(scope, 'platform', { backends: mesh ? [Backend.kubernetes(), Backend.istio()] : [Backend.kubernetes()] });
  if (mesh) new MeshStrictMtls(platform, 'mesh');
  // Without the mesh, istio-system is not one of its namespaces: declare it for the gateway peer.
  else new ExternalNamespace(platform, 'istio-system');
  const gateway = Peer.istioIngressGateway();
  const monitoring = new ZeroTrustNamespace(platform, 'monitoring', { name: 'monitoring' });
  const prometheus = monitoring.workload('prometheus', { labels: { 'app.kubernetes.io/name': 'prometheus' }, serviceAccount: 'prometheus' });
  for (let i = 1; i <= tenants; i++) {
    const name = scaledTenantName(i);
    const tenant = new TenantBoundary(platform, name, { namespaces: [`${name}-web`, `${name}-data`] });
    const workloads = new Map(
      SCALED_TENANT_WORKLOADS.map(([suffix, workload, port]) => [
        workload,
        { workload: tenant.namespace(`${name}-${suffix}`).workload(workload, { labels: { app: workload }, serviceAccount: workload }), port },
      ]),
    );
    const get = (workload: string) => workloads.get(workload)!;
    for (const [from, to] of SCALED_TENANT_FLOWS) get(from).workload.allowTo(get(to).workload, Port.tcp(get(to).port));
    get('frontend').workload.allowFrom(gateway, Port.tcp(80), Port.tcp(443));
    get('backend').workload.allowTo(Peer.cidr(EXAMPLE_EXTERNAL_API_CIDR), Port.tcp(443));
    prometheus.allowTo(tenant, Port.tcp(9090));
  }
  return platform;
}
