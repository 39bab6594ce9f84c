/**
 * The example platform, checked by the analyzer (which reads only the synthesized manifests and
 * the pod fixtures, never our model): exactly the declared flows are allowed, nothing else.
 */
import * as path from 'path';
import { App, Chart, Include, Testing } from 'cdk8s';
import { EXAMPLE_EXTERNAL_API_CIDR, buildExamplePlatform, exampleKubernetesBackend } from '../../examples/example-platform';
import { Backend } from '../../src';
import { analyze } from '../../src/analysis';
import { connectivity, connectivitySerializer, zeroTrustMatchers } from '../../src/testing';

expect.extend(zeroTrustMatchers);
expect.addSnapshotSerializer(connectivitySerializer);

const WORKLOADS = path.join(__dirname, '..', 'fixtures', 'example-platform', 'workloads.yaml');

/** The example rendered by one target (the Kubernetes one unless given), with its pods. */
function exampleWithPods(backend: Backend = exampleKubernetesBackend()): App {
  const app = Testing.app();
  buildExamplePlatform(app, { backends: [backend] });
  new Include(new Chart(app, 'pods'), 'workloads', { url: WORKLOADS });
  return app;
}

const TENANT_PODS = ['alpha-web/frontend', 'alpha-web/backend', 'alpha-data/database', 'beta-web/frontend', 'beta-web/backend', 'beta-data/database'];
const MANAGED_PODS = [...TENANT_PODS, 'monitoring/prometheus'];
const UNMANAGED = ['ingress-nginx/ingress-nginx-controller', 'kube-system/coredns'];

/**
 * The declared intent, written out by hand: the only connections the example may allow. The Kubernetes
 * target omits HTTP rules, and drops a port with HTTP rules whole (80 from the ingress controller).
 */
function expectedAllowed(target: 'kubernetes' | 'cilium'): string[] {
  const allowed: string[] = [];
  for (const tenant of ['alpha', 'beta']) {
    for (const port of target === 'cilium' ? ['80/TCP', '443/TCP'] : ['443/TCP']) {
      allowed.push(`ingress-nginx/ingress-nginx-controller -> ${tenant}-web/frontend ${port}`);
    }
    allowed.push(`${tenant}-web/frontend -> ${tenant}-web/backend 8080/TCP`);
    allowed.push(`${tenant}-web/backend -> ${tenant}-data/database 5432/TCP`);
  }
  for (const pod of TENANT_PODS) allowed.push(`monitoring/prometheus -> ${pod} 9090/TCP`);
  for (const pod of MANAGED_PODS) {
    allowed.push(`${pod} -> kube-system/coredns 53/TCP`, `${pod} -> kube-system/coredns 53/UDP`);
  }
  // Namespaces the platform does not manage have no policies: their pods reach each other freely.
  allowed.push(
    'ingress-nginx/ingress-nginx-controller -> ingress-nginx/ingress-nginx-controller 80/TCP',
    'ingress-nginx/ingress-nginx-controller -> ingress-nginx/ingress-nginx-controller 443/TCP',
    'ingress-nginx/ingress-nginx-controller -> kube-system/coredns 53/TCP',
    'ingress-nginx/ingress-nginx-controller -> kube-system/coredns 53/UDP',
    'ingress-nginx/ingress-nginx-controller -> kube-system/coredns 9153/TCP',
    'kube-system/coredns -> ingress-nginx/ingress-nginx-controller 80/TCP',
    'kube-system/coredns -> ingress-nginx/ingress-nginx-controller 443/TCP',
    'kube-system/coredns -> kube-system/coredns 53/TCP',
    'kube-system/coredns -> kube-system/coredns 53/UDP',
    'kube-system/coredns -> kube-system/coredns 9153/TCP',
  );
  return allowed.sort();
}

describe('example platform connectivity (analyzer)', () => {
  test('allows exactly the declared flows, DNS, and traffic among unmanaged namespaces', () => {
    const app = exampleWithPods();
    const report = analyze(app.charts.flatMap((c) => c.toJson()));
    const allowed = report.connections.filter((c) => c.allowed).map((c) => `${c.from} -> ${c.to} ${c.port}/${c.protocol}`);
    expect(allowed.sort()).toEqual(expectedAllowed('kubernetes'));
    expect(report.pods.sort()).toEqual([...MANAGED_PODS, ...UNMANAGED].sort());
  });

  test('the Cilium target allows exactly the declared flows at L3/L4, port 80 included (its HTTP rules filter requests)', () => {
    const app = exampleWithPods(Backend.cilium());
    const report = analyze(app.charts.flatMap((c) => c.toJson()), { cni: 'cilium' });
    const allowed = report.connections.filter((c) => c.allowed).map((c) => `${c.from} -> ${c.to} ${c.port}/${c.protocol}`);
    expect(allowed.sort()).toEqual(expectedAllowed('cilium'));
  });

  test('allows the declared tenant flows', () => {
    const app = exampleWithPods();
    expect(app).toAllowConnection({ from: 'alpha-web/frontend', to: 'alpha-web/backend', port: 8080 });
    expect(app).toAllowConnection({ from: 'beta-web/backend', to: 'beta-data/database', port: 5432 });
    expect(app).toAllowConnection({ from: 'ingress-nginx/ingress-nginx-controller', to: 'beta-web/frontend', port: 443 });
    expect(app).toAllowConnection({ from: 'monitoring/prometheus', to: 'alpha-data/database', port: 9090 });
    expect(app).toAllowConnection({ from: 'alpha-data/database', to: 'kube-system/coredns', port: 53, protocol: 'UDP' });
  });

  test('denies everything else: skipping tiers, crossing tenants, reverse directions, other ports', () => {
    const app = exampleWithPods();
    expect(app).not.toAllowConnection({ from: 'alpha-web/frontend', to: 'alpha-data/database', port: 5432 });
    expect(app).not.toAllowConnection({ from: 'alpha-web/backend', to: 'beta-data/database', port: 5432 });
    expect(app).not.toAllowConnection({ from: 'alpha-web/backend', to: 'alpha-web/frontend', port: 80 });
    expect(app).not.toAllowConnection({ from: 'alpha-web/frontend', to: 'alpha-web/backend', port: 9090 });
    expect(app).not.toAllowConnection({ from: 'alpha-web/frontend', to: 'monitoring/prometheus', port: 9090 });
    expect(app).not.toAllowConnection({ from: 'ingress-nginx/ingress-nginx-controller', to: 'alpha-web/backend', port: 8080 });
    expect(app).not.toAllowConnection({ from: 'alpha-web/frontend', to: 'kube-system/coredns', port: 9153 });
    expect(app).not.toAllowConnection({ from: 'alpha-web/frontend', to: 'alpha-web/frontend', port: 80 });
    // Declared with HTTP rules, which the Kubernetes target omits: the port is left out, never opened without them.
    expect(app).not.toAllowConnection({ from: 'ingress-nginx/ingress-nginx-controller', to: 'alpha-web/frontend', port: 80 });
  });

  test("only alpha's backend reaches the external API, and only on 443", () => {
    const app = exampleWithPods();
    const externals = { api: EXAMPLE_EXTERNAL_API_CIDR.replace('0/24', '10'), elsewhere: '198.51.100.1' };
    expect(app).toAllowConnection({ from: 'alpha-web/backend', to: 'external:api', port: 443, externals });
    expect(app).not.toAllowConnection({ from: 'alpha-web/backend', to: 'external:api', port: 80, externals });
    expect(app).not.toAllowConnection({ from: 'alpha-web/backend', to: 'external:elsewhere', port: 443, externals });
    expect(app).not.toAllowConnection({ from: 'beta-web/backend', to: 'external:api', port: 443, externals });
    expect(app).not.toAllowConnection({ from: 'alpha-web/frontend', to: 'external:api', port: 443, externals });
  });

  test('connectivity matrix', () => {
    expect(connectivity(exampleWithPods())).toMatchSnapshot();
  });
});
