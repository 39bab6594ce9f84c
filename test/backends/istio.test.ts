/**
 * The Istio backend (sidecar mode): PeerAuthentication from MeshStrictMtls, AuthorizationPolicy from
 * the declared flows, the mesh's own flows on the network backends, and every intent the mesh cannot
 * express refused with its construct path. Every object is checked against the upstream schemas
 * (the strict datree copies of the Istio v1 CRD schemas in ../shared/schemas).
 */
import { Testing } from 'cdk8s';
import {
  Backend,
  ExternalNamespace,
  Feature,
  HttpMethod,
  Manifest,
  MeshStrictMtls,
  MtlsMode,
  Peer,
  Port,
  SelectorOperator,
  TenantBoundary,
  ValidationIssue,
  ZeroTrustNamespace,
  ZeroTrustPlatform,
} from '../../src';
import { AuthorizationPolicy, IstioRule, PeerAuthentication } from '../../src/backends/istio/types';
import { K8sNetworkPolicy } from '../../src/backends/kubernetes/types';
import { describeWithSchemas } from '../support/schemas';

function meshPlatform(options: { backends?: Backend[]; trustDomain?: string } = {}) {
  const platform = new ZeroTrustPlatform(Testing.app(), 'platform', {
    backends: options.backends ?? [Backend.cilium(), Backend.istio(options.trustDomain ? { trustDomain: options.trustDomain } : {})],
  });
  const mesh = new MeshStrictMtls(platform, 'mesh');
  return { platform, mesh };
}

/** A small platform using every intent the mesh renders. */
function smallPlatform(options: { trustDomain?: string } = {}) {
  const { platform, mesh } = meshPlatform(options);
  const monitoring = new ExternalNamespace(platform, 'monitoring');
  const alpha = new TenantBoundary(platform, 'alpha', { namespaces: ['alpha-web', 'alpha-data'], allowIntraTenant: true });
  const beta = new TenantBoundary(platform, 'beta', { namespaces: ['beta'] });
  const shared = new ZeroTrustNamespace(platform, 'shared', { name: 'shared', allowSameNamespace: true });
  const web = alpha.namespace('alpha-web');
  const frontend = web.workload('frontend', { labels: { app: 'frontend' }, serviceAccount: 'frontend' });
  const api = web.workload('api', { labels: { app: 'api' }, serviceAccount: 'api' });
  const db = alpha.namespace('alpha-data').workload('db', { labels: { app: 'db' }, serviceAccount: 'db' });
  const registry = shared.workload('registry', { labels: { app: 'registry' }, serviceAccount: 'registry' });
  const reporter = beta.namespace('beta').workload('reporter', { labels: { app: 'reporter' }, serviceAccount: 'reporter' });
  frontend.allowFrom(Peer.istioIngressGateway(), Port.tcp(8443));
  frontend.allowTo(api, Port.tcp(8080).http({ methods: [HttpMethod.GET, HttpMethod.HEAD], path: '/api/.*', host: 'api.alpha.example', headers: ['x-tenant'] }), Port.tcp(9000));
  api.allowTo(db, Port.tcp(5432), Port.udp(5353));
  api.allowTo(Peer.fqdn('api.github.com'), Port.tcp(443));
  registry.allowFrom(Peer.allTenants(), Port.tcp(5000));
  reporter.allowTo(db, Port.tcp(5432)).acrossTenants();
  db.allowFrom(monitoring, Port.tcpRange(9100, 9102));
  mesh.portMode(api, Port.tcp(9000), { mode: MtlsMode.PERMISSIVE, reason: 'the legacy batch client still calls 9000 in plaintext' });
  mesh.namespaceMode(shared, { mode: MtlsMode.STRICT });
  platform.denyIngress('no-monitoring-writes', monitoring, { ports: [Port.tcp(5432)], of: db });
  platform.restrictIngress('metrics', { ports: [Port.tcp(9100)], onlyFrom: [monitoring] });
  platform.denyIngress('no-legacy-net', Peer.cidr('198.51.100.0/24'), { clusterWide: true });
  return platform;
}

const istioObjects = (manifests: readonly Manifest[]) => manifests.filter((m) => m.apiVersion.startsWith('security.istio.io/'));
const ap = (manifests: readonly Manifest[], namespace: string, name: string) =>
  manifests.find((m) => m.kind === 'AuthorizationPolicy' && m.metadata.namespace === namespace && m.metadata.name === name) as AuthorizationPolicy | undefined;
const pa = (manifests: readonly Manifest[], namespace: string, name: string) =>
  manifests.find((m) => m.kind === 'PeerAuthentication' && m.metadata.namespace === namespace && m.metadata.name === name) as PeerAuthentication | undefined;

function issuesOf(platform: ZeroTrustPlatform): ValidationIssue[] {
  return [...platform.validateIntent()];
}

describe('a small platform with the mesh on', () => {
  const manifests = smallPlatform().manifests();

  test('snapshot of the mesh objects', () => {
    expect(istioObjects(manifests)).toMatchSnapshot();
  });

  test('STRICT for the whole mesh, in the root namespace; the port exception with its reason', () => {
    expect(pa(manifests, 'istio-system', 'default')?.spec).toEqual({ mtls: { mode: 'STRICT' } });
    const api = pa(manifests, 'alpha-web', 'api-mtls')!;
    expect(api.spec).toEqual({ selector: { matchLabels: { app: 'api' } }, portLevelMtls: { 9000: { mode: 'PERMISSIVE' } } });
    expect(api.metadata.annotations?.['zero-trust.cdk8s.io/reason']).toContain('legacy batch client');
  });

  test('every meshed namespace: injection on, and an allow-nothing policy without rules', () => {
    for (const namespace of ['alpha-web', 'alpha-data', 'beta', 'shared']) {
      const ns = manifests.find((m) => m.kind === 'Namespace' && m.metadata.name === namespace)!;
      expect(ns.metadata.labels?.['istio-injection']).toBe('enabled');
      expect(ap(manifests, namespace, 'allow-nothing')?.spec).toEqual({});
    }
  });

  test('no ALLOW policy has an empty rule list or a rule {}, and no DENY rule carries HTTP fields', () => {
    for (const policy of istioObjects(manifests).filter((m): m is AuthorizationPolicy => m.kind === 'AuthorizationPolicy')) {
      if (policy.metadata.name === 'allow-nothing') continue;
      expect(policy.spec.rules?.length).toBeGreaterThan(0);
      for (const rule of policy.spec.rules ?? []) {
        expect(rule).not.toEqual({});
        if (policy.spec.action === 'DENY') {
          for (const to of rule.to ?? []) expect(Object.keys(to.operation)).toEqual(['ports']);
          expect(rule.when).toBeUndefined();
        }
      }
    }
  });

  test("callers are their service accounts' principals, with ports; HTTP rules as operations and presence conditions", () => {
    const rules = ap(manifests, 'alpha-web', 'api-ingress')!.spec.rules!;
    const frontend = { source: { principals: ['cluster.local/ns/alpha-web/sa/frontend'] } };
    expect(rules).toEqual<IstioRule[]>([
      { from: [frontend], to: [{ operation: { ports: ['9000'] } }] },
      {
        from: [frontend],
        to: [{ operation: { ports: ['8080'], methods: ['GET', 'HEAD'], paths: ['/api/*'], hosts: ['api.alpha.example'] } }],
        when: [{ key: 'request.headers[x-tenant]', values: ['*'] }],
      },
    ]);
  });

  test('UDP is left to the network backends (the sidecar does not intercept it); a range is listed port by port', () => {
    const db = ap(manifests, 'alpha-data', 'db-ingress')!.spec.rules!;
    expect(db).toContainEqual({ from: [{ source: { principals: ['cluster.local/ns/alpha-web/sa/api'] } }], to: [{ operation: { ports: ['5432'] } }] });
    expect(db).toContainEqual({ from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { ports: ['9100', '9101', '9102'] } }] });
    expect(JSON.stringify(db)).not.toContain('5353');
  });

  test('a cross-tenant flow declared with acrossTenants() admits that one caller', () => {
    expect(ap(manifests, 'alpha-data', 'db-ingress')!.spec.rules).toContainEqual({
      from: [{ source: { principals: ['cluster.local/ns/beta/sa/reporter'] } }],
      to: [{ operation: { ports: ['5432'] } }],
    });
  });

  test('the ingress gateway is a caller by its principal', () => {
    expect(ap(manifests, 'alpha-web', 'frontend-ingress')!.spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'] } }], to: [{ operation: { ports: ['8443'] } }] },
    ]);
  });

  test('same-namespace, intra-tenant and every-tenant allowances by namespace', () => {
    expect(ap(manifests, 'shared', 'allow-same-namespace')!.spec.action).toBe('ALLOW');
    expect(ap(manifests, 'shared', 'allow-same-namespace')!.spec.rules).toEqual([{ from: [{ source: { namespaces: ['shared'] } }] }]);
    expect(ap(manifests, 'alpha-web', 'allow-intra-tenant')!.spec.rules).toEqual([{ from: [{ source: { namespaces: ['alpha-data', 'alpha-web'] } }] }]);
    const registry = ap(manifests, 'shared', 'registry-ingress')!.spec.rules!;
    expect(registry.map((r) => r.from?.[0].source.namespaces?.[0])).toEqual(['alpha-data', 'alpha-web', 'beta']);
  });

  test('egress is not the mesh\'s part: no policy for it, and DNS names appear nowhere', () => {
    expect(istioObjects(manifests).map((m) => m.metadata.name).filter((n) => n.endsWith('-egress'))).toEqual([]);
    expect(JSON.stringify(istioObjects(manifests))).not.toContain('api.github.com');
  });

  test('ingress denies become DENY policies: by namespace, by restriction (notNamespaces), by address, mesh-wide in the root namespace', () => {
    expect(ap(manifests, 'alpha-data', 'no-monitoring-writes')!.spec).toEqual({
      selector: { matchLabels: { app: 'db' } },
      action: 'DENY',
      rules: [{ from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { ports: ['5432'] } }] }],
    });
    for (const namespace of ['alpha-data', 'alpha-web', 'beta', 'shared']) {
      expect(ap(manifests, namespace, 'metrics')!.spec).toEqual({ action: 'DENY', rules: [{ from: [{ source: { notNamespaces: ['monitoring'] } }], to: [{ operation: { ports: ['9100'] } }] }] });
    }
    expect(ap(manifests, 'istio-system', 'no-legacy-net')!.spec).toEqual({ action: 'DENY', rules: [{ from: [{ source: { ipBlocks: ['198.51.100.0/24'] } }] }] });
  });

  test('the trust domain is the principals\' first part', () => {
    const custom = smallPlatform({ trustDomain: 'prod.example.org' }).manifests();
    expect(JSON.stringify(istioObjects(custom))).toContain('"prod.example.org/ns/alpha-web/sa/frontend"');
    expect(JSON.stringify(istioObjects(custom))).not.toContain('cluster.local');
  });
});

describe('what the mesh needs from the network backends', () => {
  test('every meshed namespace may reach istiod on 15012; scrapers may reach 15020 and 15090; a sidecar-less namespace gets neither', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backends: [Backend.kubernetes(), Backend.istio()] });
    const monitoring = new ExternalNamespace(platform, 'monitoring');
    const mesh = new MeshStrictMtls(platform, 'mesh', { scrapeMetricsFrom: [monitoring] });
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    const legacy = new ZeroTrustNamespace(platform, 'legacy', { name: 'legacy' });
    mesh.withoutSidecar(legacy, { reason: 'a vendor appliance that cannot run a sidecar' });
    const manifests = platform.manifests();
    const np = (namespace: string, name: string) => manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.namespace === namespace && m.metadata.name === name) as K8sNetworkPolicy | undefined;
    expect(np('web', 'all-pods-egress')!.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
      ports: [{ protocol: 'TCP', port: 15012 }],
    }]);
    expect(np('web', 'all-pods-ingress')!.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ protocol: 'TCP', port: 15020 }, { protocol: 'TCP', port: 15090 }],
    }]);
    expect(np('legacy', 'all-pods-egress')).toBeUndefined();
    expect(np('legacy', 'all-pods-ingress')).toBeUndefined();
    // The metrics ports are served by the sidecar itself, outside inbound authorization: no mesh rule.
    expect(ap(manifests, 'web', 'all-pods-ingress')).toBeUndefined();
    const legacyNs = manifests.find((m) => m.kind === 'Namespace' && m.metadata.name === 'legacy')!;
    expect(legacyNs.metadata.labels?.['istio-injection']).toBe('disabled');
    expect(ap(manifests, 'legacy', 'allow-nothing')).toBeUndefined();
  });

  test('the istiod allowance follows istiod where it is', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backends: [Backend.kubernetes(), Backend.istio()] });
    new MeshStrictMtls(platform, 'mesh', { istiod: { namespace: 'istio-control', labels: { 'app': 'istiod', 'istio.io/rev': 'canary' } } });
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    const egress = platform.manifests().find((m) => m.metadata.name === 'all-pods-egress') as K8sNetworkPolicy;
    expect(egress.spec.egress?.[0].to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-control' } },
      podSelector: { matchLabels: { 'app': 'istiod', 'istio.io/rev': 'canary' } },
    }]);
  });
});

describe('intents the mesh cannot express fail with the construct path and a fix', () => {
  function web() {
    const { platform, mesh } = meshPlatform();
    const ns = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    return { platform, mesh, ns };
  }

  test('a caller without a service account, sharing one, or running as "default"', () => {
    const { platform, ns } = web();
    const db = ns.workload('db', { labels: { app: 'db' }, serviceAccount: 'db' });
    db.allowFrom(ns.workload('anon', { labels: { app: 'anon' } }), Port.tcp(5432));
    const a = ns.workload('a', { labels: { app: 'a' }, serviceAccount: 'shared' });
    ns.workload('b', { labels: { app: 'b' }, serviceAccount: 'shared' });
    db.allowFrom(a, Port.tcp(5432));
    db.allowFrom(ns.workload('c', { labels: { app: 'c' }, serviceAccount: 'default' }), Port.tcp(5432));
    const issues = issuesOf(platform);
    expect(issues).toEqual([
      expect.objectContaining({ path: 'platform/web/db', field: 'allowFrom(#1)', message: expect.stringContaining('workload web/anon has no service account'), fix: expect.stringContaining("serviceAccount: 'anon'") }),
      expect.objectContaining({ path: 'platform/web/db', field: 'allowFrom(#2)', message: expect.stringContaining("shares its service account 'shared' with web/b") }),
      expect.objectContaining({ path: 'platform/web/db', field: 'allowFrom(#3)', message: expect.stringContaining("the service account 'default'") }),
    ]);
    expect(() => platform.manifests()).toThrow('no service account');
  });

  test('pods known by labels only, and the kube-apiserver with addresses, as callers', () => {
    const { platform, ns } = web();
    const ingress = new ExternalNamespace(platform, 'ingress-nginx');
    const api = ns.workload('api', { labels: { app: 'api' }, serviceAccount: 'api' });
    api.allowFrom(ingress.pods({ labels: { app: 'controller' } }), Port.tcp(80));
    api.allowFrom(Peer.kubeApiserver({ addresses: ['172.18.0.2/32'] }), Port.tcp(8443));
    expect(issuesOf(platform).map((i) => `${i.field}: ${i.message}`)).toEqual([
      expect.stringMatching(/^allowFrom\(#1\): the Istio backend cannot admit pods of ingress-nginx: .*labels only/),
      expect.stringMatching(/^allowFrom\(#2\): the Istio backend cannot admit the kube-apiserver: .*no mesh identity/),
    ]);
  });

  test('named ports, ranges too long to list, and paths beyond what Istio matches', () => {
    const { platform, ns } = web();
    const client = ns.workload('client', { labels: { app: 'client' }, serviceAccount: 'client' });
    const api = ns.workload('api', { labels: { app: 'api' }, serviceAccount: 'api' });
    client.allowTo(api, Port.named('http'));
    client.allowTo(api, Port.tcpRange(10000, 20000));
    client.allowTo(api, Port.tcp(8080).http({ path: '/v[0-9]+/items' }));
    const issues = issuesOf(platform);
    expect(issues.map((i) => `${i.path} ${i.field}`)).toEqual(['platform/web/client allowTo(#1)', 'platform/web/client allowTo(#2)', 'platform/web/client allowTo(#3)']);
    expect(issues[0].message).toContain('named port http/TCP');
    expect(issues[1].message).toContain('holds 10001 ports');
    expect(issues[2].message).toContain("the HTTP path '/v[0-9]+/items'");
  });

  test('a destination selected with expressions: Istio selectors take labels only', () => {
    const { platform, ns } = web();
    const api = ns.workload('api', { selector: { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'track', operator: SelectorOperator.NOT_IN, values: ['canary'] }] }, serviceAccount: 'api' });
    api.allowFrom(ns.workload('client', { labels: { app: 'client' }, serviceAccount: 'client' }), Port.tcp(80));
    expect(issuesOf(platform)).toEqual([expect.objectContaining({ path: 'platform/web/api', field: 'selector', message: expect.stringContaining('matchLabels only') })]);
  });

  test('a flow into a DISABLE port, and a flow from pods without a sidecar, could never pass', () => {
    const { platform, mesh, ns } = web();
    const api = ns.workload('api', { labels: { app: 'api' }, serviceAccount: 'api' });
    const client = ns.workload('client', { labels: { app: 'client' }, serviceAccount: 'client' });
    const legacy = ns.workload('legacy', { labels: { app: 'legacy' }, serviceAccount: 'legacy' });
    mesh.portMode(api, Port.tcp(9000), { mode: MtlsMode.DISABLE, reason: 'a plaintext-only health checker' });
    mesh.withoutSidecar(legacy, { reason: 'statically linked vendor binary' });
    client.allowTo(api, Port.tcp(9000));
    legacy.allowTo(api, Port.tcp(8080));
    // Into a sidecar-less workload: declared with its reason, nothing to enforce in the mesh.
    client.allowTo(legacy, Port.tcp(7000));
    const issues = issuesOf(platform);
    expect(issues.map((i) => `${i.path} ${i.field}`)).toEqual(['platform/web/client allowTo(#1)', 'platform/web/legacy allowTo(#1)']);
    expect(issues[0].message).toContain('mTLS is DISABLE on web/api port 9000');
    expect(issues[1].message).toContain('runs without a sidecar');
  });

  test('cannot-express intents may be omitted explicitly: the caller is then simply not admitted', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backends: [Backend.cilium(), Backend.istio({ omit: [Feature.WORLD, Feature.CIDR] })] });
    new MeshStrictMtls(platform, 'mesh');
    const ns = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    const api = ns.workload('api', { labels: { app: 'api' }, serviceAccount: 'api' });
    api.allowFrom(Peer.world(), Port.tcp(443));
    api.allowFrom(Peer.cidr('203.0.113.0/24'), Port.tcp(8443));
    expect(issuesOf(platform)).toEqual([]);
    const [cilium, istio] = platform.renderOutput().backends;
    expect(JSON.stringify([...cilium.byNamespace.values()])).toContain('203.0.113.0/24');
    expect(istio.byNamespace.get('web')!.map((m) => m.metadata.name)).toEqual(['allow-nothing']);
  });
});

describe('MeshStrictMtls declarations', () => {
  test('exceptions weaker than STRICT need a reason; ports must be one TCP port; settings once', () => {
    const { platform, mesh } = meshPlatform();
    const ns = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    const api = ns.workload('api', { labels: { app: 'api' }, serviceAccount: 'api' });
    mesh.namespaceMode(ns, { mode: MtlsMode.PERMISSIVE } as never);
    mesh.workloadMode(api, { mode: 'LAX' as MtlsMode, reason: 'a reason that is long enough' });
    mesh.portMode(api, Port.udp(53), { mode: MtlsMode.PERMISSIVE, reason: 'plaintext DNS sidecar test' });
    mesh.portMode(api, Port.tcp(9000), { mode: MtlsMode.PERMISSIVE, reason: 'tbd' });
    mesh.portMode(api, Port.tcp(9001), { mode: MtlsMode.PERMISSIVE, reason: 'legacy client, TICKET-1' });
    mesh.portMode(api, Port.tcp(9001), { mode: MtlsMode.DISABLE, reason: 'legacy client, TICKET-2' });
    expect(issuesOf(platform).map((i) => `${i.path} ${i.field}`)).toEqual([
      'platform/mesh namespaceMode(1).reason',
      'platform/mesh workloadMode(2).mode',
      'platform/mesh portMode(1).port',
      'platform/mesh portMode(2).reason',
      'platform/mesh portMode(4)',
    ]);
  });

  test('the root namespace and istiod\'s namespace cannot be managed', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backends: [Backend.istio()] });
    new ZeroTrustNamespace(platform, 'istio-system', { name: 'istio-system' });
    new MeshStrictMtls(platform, 'mesh');
    const issues = issuesOf(platform);
    expect(issues.map((i) => i.field)).toEqual(['rootNamespace', 'istiod.namespace']);
    expect(issues[0].message).toContain('applies to the whole mesh');
  });

  test('the injection label is the mesh\'s; a revision label is kept, without istio-injection', () => {
    const { platform } = meshPlatform();
    new ZeroTrustNamespace(platform, 'a', { name: 'a', labels: { 'istio-injection': 'enabled' } });
    expect(issuesOf(platform)).toEqual([expect.objectContaining({ path: 'platform/a', field: 'labels["istio-injection"]' })]);
    const second = meshPlatform();
    new ZeroTrustNamespace(second.platform, 'b', { name: 'b', labels: { 'istio.io/rev': 'canary' } });
    const ns = second.platform.manifests().find((m) => m.kind === 'Namespace')!;
    expect(ns.metadata.labels).toEqual(expect.objectContaining({ 'istio.io/rev': 'canary' }));
    expect(ns.metadata.labels?.['istio-injection']).toBeUndefined();
  });

  test('a mesh needs a backend that renders it, the Istio backend needs a mesh, and a platform has one mesh', () => {
    const withoutIstio = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.kubernetes() });
    new MeshStrictMtls(withoutIstio, 'mesh');
    expect(issuesOf(withoutIstio)).toEqual([expect.objectContaining({ path: 'platform/mesh', field: 'backends', fix: expect.stringContaining('Backend.istio()') })]);
    const withoutMesh = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.istio() });
    expect(issuesOf(withoutMesh)).toEqual([expect.objectContaining({ path: 'platform', field: 'backends[0]', fix: expect.stringContaining('new MeshStrictMtls') })]);
    const { platform } = meshPlatform();
    expect(() => new MeshStrictMtls(platform, 'second')).toThrow('already has a mesh');
    const badDomain = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.istio({ trustDomain: 'Not A Domain' }) });
    new MeshStrictMtls(badDomain, 'mesh');
    expect(issuesOf(badDomain)).toEqual([expect.objectContaining({ field: 'backends[0].trustDomain' })]);
  });
});

describeWithSchemas('Istio objects match the upstream schemas', (validator) => {
  test('the small platform', () => {
    const manifests = istioObjects(smallPlatform().manifests());
    expect(manifests.length).toBeGreaterThan(10);
    expect(manifests.flatMap((m) => validator.validate(m))).toEqual([]);
  });

  test('the validators do reject a malformed Istio policy (the check is live)', () => {
    const manifests = smallPlatform().manifests();
    const allow = ap(manifests, 'alpha-web', 'api-ingress')!;
    expect(validator.validate({ ...allow, spec: { ...allow.spec, action: 'PERMIT' } }).join('\n')).toMatch(/action/);
    expect(validator.validate({ ...allow, spec: { ...allow.spec, rules: [{ from: [{ source: { principal: ['x'] } }] }] } }).join('\n')).toMatch(/unknown field "principal"/);
    const mesh = pa(manifests, 'istio-system', 'default')!;
    expect(validator.validate({ ...mesh, spec: { mtls: { mode: 'STRICTER' } } }).join('\n')).toMatch(/mtls\/mode/);
  });
});
