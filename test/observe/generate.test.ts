import * as path from 'path';
import { exactPathPattern, GenerateError, generateModule } from '../../src/observe/generate';
import { importFlows } from '../../src/observe/import-flows';
import { ObservedAggregate, ObservedWorkload } from '../../src/observe/observed';

const SHOP = path.join(__dirname, '..', 'fixtures', 'observe', 'shop.jsonl');
const aggregate = importFlows([SHOP]);
const SHOP_OPTIONS = { externalNamespaces: ['ingress-nginx'], tenantLabel: 'tenant' } as const;

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof GenerateError) return [...error.problems];
    throw error;
  }
  throw new Error('generated without problems');
}

const workload = (namespace: string, name: string, labels: Record<string, string>, labelSets = [labels]): ObservedWorkload =>
  ({ id: `${namespace}/${name}`, namespace, name, labels, labelSets, serviceAccounts: [] });

function withFlows(workloads: ObservedWorkload[], flows: [string, string, number, number][]): ObservedAggregate {
  return {
    ...aggregate,
    workloads,
    flows: flows.map(([from, to, port, count]) => ({ source: { kind: 'workload', workload: from }, destination: { kind: 'workload', workload: to }, protocol: 'TCP', port, count })),
    dns: [],
    dropped: [],
    notGenerated: [],
  };
}

describe('zt observe generate', () => {
  const generated = generateModule(aggregate, SHOP_OPTIONS);

  test('declares each flow seen often enough with exactly its ports, from the side the platform manages', () => {
    const statements = generated.code.split('\n').filter((line) => /^\s+\w+\.allow(To|From)\(/.test(line)).map((line) => line.trim());
    expect(statements).toEqual([
      'shopWebBackend.allowTo(Peer.fqdn(\'api.stripe.com\'), Port.tcp(443));',
      'shopWebBackend.allowTo(Peer.kubeApiserver({ addresses: [\'172.18.0.2/32\'] }), Port.tcp(6443));',
      'shopWebBackend.allowTo(shopDataPostgres, Port.tcp(5432));',
      'shopWebFrontend.allowFrom(ingressNginx.pods({ labels: { \'app.kubernetes.io/component\': \'controller\', \'app.kubernetes.io/name\': \'ingress-nginx\' } }), Port.tcp(8080));',
      'shopWebFrontend.allowTo(shopWebBackend, Port.tcp(8080));',
    ]);
    expect(generated.code).not.toMatch(/Range\(|Port\.all|allTcp|allUdp|anyIpv|Peer\.world|fqdnPattern/);
    expect(generated.backends).toEqual(['cilium']);
  });

  test('namespaces, tenants and workloads: DNS only where lookups were seen; selectors without hash labels', () => {
    expect(generated.code).toContain("const shopData = new ZeroTrustNamespace(platform, 'shop-data', { name: 'shop-data', allowDns: false }); // no DNS lookup seen");
    expect(generated.code).toContain("const shopWeb = new ZeroTrustNamespace(platform, 'shop-web', { name: 'shop-web' });");
    expect(generated.code).toContain("new TenantBoundary(platform, 'tenant-shop', { name: 'shop', namespaces: [shopData, shopWeb] });");
    expect(generated.code).toContain("const shopWebBackend = shopWeb.workload('backend', { labels: { app: 'backend', tier: 'api' }, serviceAccount: 'backend' }); // Deployment");
    expect(generated.code).toContain("const ingressNginx = new ExternalNamespace(platform, 'external-ingress-nginx', { name: 'ingress-nginx' });");
    expect(generated.code).not.toMatch(/pod-template-hash|controller-revision-hash|statefulset\.kubernetes\.io/);
  });

  test('flows seen fewer than --min-count times, dropped flows and unexpressible traffic are listed for review, not declared', () => {
    const review = generated.code.slice(generated.code.indexOf('// Review ('));
    expect(review).toMatch(/shop-web\/backend -> 198\.51\.100\.7 443\/TCP seen 1 time: fewer than 2; to allow it: shopWebBackend\.allowTo\(Peer\.cidr\('198\.51\.100\.7\/32'\), Port\.tcp\(443\)\);/);
    expect(review).toMatch(/dropped: shop-web\/frontend -> shop-data\/postgres 5432\/TCP, 1 time \(POLICY_DENIED\)/);
    expect(review).toMatch(/not generated: reserved:host \(172\.18\.0\.3\) -> shop-web\/frontend 8080\/TCP/);
    expect(generated.code.slice(0, generated.code.indexOf('// Review ('))).not.toContain('198.51.100.7');
    const all = generateModule(aggregate, { ...SHOP_OPTIONS, minCount: 1 });
    expect(all.code).toContain("shopWebBackend.allowTo(Peer.cidr('198.51.100.7/32'), Port.tcp(443));");
    const strict = generateModule(aggregate, { ...SHOP_OPTIONS, minCount: 3 });
    expect(strict.code).not.toMatch(/^\s+shopWebBackend\.allowTo\(Peer\.fqdn/m);
    expect(strict.code).toMatch(/shop-web\/backend -> api\.stripe\.com 443\/TCP seen 2 times: fewer than 3/);
    expect(generateModule(aggregate, { ...SHOP_OPTIONS, minCount: 5 }).code).toContain("{ name: 'shop-web', allowDns: false }); // DNS seen 4 times only");
  });

  test('--l7: the HTTP requests seen, as exact paths with their methods; rarer ones for review', () => {
    const l7 = generateModule(aggregate, { ...SHOP_OPTIONS, l7: true });
    expect(l7.code).toContain("shopWebFrontend.allowTo(shopWebBackend, Port.tcp(8080).http({ methods: [HttpMethod.POST], path: '/api/cart' }, { methods: [HttpMethod.GET], path: '/api/items' }));");
    expect(l7.code).toMatch(/DELETE \/api\/cart, seen 1 time: fewer than 2, not declared/);
    expect(exactPathPattern('/a.b/c?x=(1)')).toBe('/a\\.b/c\\?x=\\(1\\)');
    expect(new RegExp(`^${exactPathPattern('/a.b/c?x=(1)')}$`).test('/a.b/c?x=(1)')).toBe(true);
    expect(new RegExp(`^${exactPathPattern('/a.b')}$`).test('/aXb')).toBe(false);
  });

  test('backends: names and HTTP rules need Cilium; by address, Kubernetes NetworkPolicy serves', () => {
    expect(generateModule(aggregate, { ...SHOP_OPTIONS, externals: 'cidr' }).backends).toEqual(['kubernetes']);
    expect(generateModule(aggregate, { ...SHOP_OPTIONS, externals: 'cidr' }).code).toContain("shopWebBackend.allowTo(Peer.cidr('203.0.113.10/32'), Port.tcp(443));");
    expect(problemsOf(() => generateModule(aggregate, { ...SHOP_OPTIONS, backends: ['kubernetes', 'cilium'] }))).toEqual([
      expect.stringMatching(/DNS names or HTTP rules, which kubernetes cannot express. Fix: --backend cilium alone, or --externals cidr/),
    ]);
    expect(generateModule(aggregate, { ...SHOP_OPTIONS, externals: 'cidr', backends: ['calico', 'kubernetes'] }).backends).toEqual(['kubernetes', 'calico']);
  });

  test('the same aggregate gives the same bytes', () => {
    expect(generateModule(structuredClone(aggregate), SHOP_OPTIONS).code).toBe(generated.code);
  });

  test('overlapping selectors in one namespace and pods without a common label stop the generation', () => {
    const overlapping = withFlows([workload('ns', 'web', { app: 'web' }), workload('ns', 'admin', { app: 'web', role: 'admin' })], [['ns/web', 'ns/admin', 80, 5]]);
    expect(problemsOf(() => generateModule(overlapping))).toEqual([expect.stringMatching(/workloads ns\/web and ns\/admin: the selector of web \{ app: 'web' \} also selects pods of admin/)]);
    const common = withFlows([workload('ns', 'web', {}, [{ app: 'a' }, { app: 'b' }])], []);
    expect(problemsOf(() => generateModule(common))).toEqual([expect.stringMatching(/workload ns\/web: its pods share no stable label/)]);
  });

  test('tenants by name prefix; a flow between tenants is marked acrossTenants()', () => {
    const crossing = withFlows([workload('alpha-web', 'web', { app: 'web' }), workload('beta-api', 'api', { app: 'api' })], [['alpha-web/web', 'beta-api/api', 443, 3]]);
    const code = generateModule(crossing, { tenantPrefix: true }).code;
    expect(code).toContain("new TenantBoundary(platform, 'tenant-alpha', { name: 'alpha', namespaces: [alphaWeb] });");
    expect(code).toContain('alphaWebWeb.allowTo(betaApiApi, Port.tcp(443)).acrossTenants();');
    expect(generateModule(crossing).code).not.toContain('acrossTenants');
  });
});
