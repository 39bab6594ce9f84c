/**
 * The intents beyond workload flows: DNS names, L7 HTTP, entities, service accounts, every tenant,
 * platform rules (allowances, denies, restrictions) and NodeLocal DNS. Each invalid declaration is
 * refused with its construct path, the field and the fix; the backend here is Kubernetes with the
 * features it cannot express declared as omitted, so that validation is what is tested.
 */
import { expectAccepted, expectRejected, networkPolicies, newTestApp, policy, removeTempDirs, TestApp } from './support';
import { Backend, Feature, HttpMethod, Peer, Port, TenantBoundary, ZeroTrustNamespace, ZeroTrustPlatformProps } from '../../src';

afterAll(removeTempDirs);

const OMIT_ALL = [
  Feature.FQDN, Feature.HTTP, Feature.KUBE_APISERVER, Feature.NODES, Feature.WORLD,
  Feature.CLUSTER, Feature.SERVICE_ACCOUNT, Feature.DENY, Feature.CLUSTER_WIDE,
];

function app(props: Partial<ZeroTrustPlatformProps> = {}): TestApp {
  return newTestApp({ backends: [Backend.kubernetes({ omit: OMIT_ALL })], clusterNetworks: ['10.244.0.0/16', '10.96.0.0/12'], ...props });
}

function web(t: TestApp, props: { allowDns?: boolean } = {}) {
  const ns = new ZeroTrustNamespace(t.platform, 'web', { name: 'web', ...props });
  return { ns, api: ns.workload('api', { labels: { app: 'api' }, serviceAccount: 'api' }), db: ns.workload('db', { labels: { app: 'db' } }) };
}

describe('DNS names', () => {
  test('valid names and patterns are accepted', () => {
    const t = app();
    const { api } = web(t);
    api.allowTo(Peer.fqdn('api.github.com'), Port.tcp(443));
    api.allowTo(Peer.fqdnPattern('*.s3.amazonaws.com'), Port.tcp(443));
    expectAccepted(t);
  });

  test('an invalid pattern, a name as a source, a named port toward a name: each refused', () => {
    const t = app();
    const { api } = web(t);
    api.allowTo(Peer.fqdnPattern('api.*.example.com'), Port.tcp(443));
    api.allowFrom(Peer.fqdn('api.github.com'), Port.tcp(443));
    api.allowTo(Peer.fqdn('api.github.com'), Port.named('https'));
    expectRejected(
      t,
      { path: 'platform/web/api', field: 'allowTo(#1).peer', message: "'api.*.example.com' has a '*' that is not a leading '*.'", fix: "only a leading '*.' is supported" },
      { path: 'platform/web/api', field: 'allowFrom(#2).peer', message: "the DNS name 'api.github.com' is a source", fix: 'use DNS names as destinations (allowTo)' },
      { path: 'platform/web/api', field: 'allowTo(#3).ports[0]', message: "named port 'https' cannot be resolved for api.github.com", fix: 'Port.tcp(443)' },
    );
  });

  test('a name needs DNS: a namespace without DNS egress never learns its addresses', () => {
    const t = app();
    const { api } = web(t, { allowDns: false });
    api.allowTo(Peer.fqdn('api.github.com'), Port.tcp(443));
    expectRejected(t, {
      path: 'platform/web/api',
      field: 'allowTo(#1)',
      message: "namespace 'web' may not query DNS (allowDns: false)",
      fix: "set allowDns: true on namespace 'web' (platform/web)",
    });
  });
});

describe('L7 HTTP rules', () => {
  test('only on one TCP port number; never void', () => {
    const t = app();
    const { api, db } = web(t);
    api.allowTo(db, Port.tcpRange(8000, 8080).http({ path: '/' }));
    api.allowTo(db, Port.udp(53).http({ path: '/' }));
    api.allowTo(Peer.fqdn('api.github.com'), Port.tcp(443).http({ methods: [HttpMethod.GET] }), Port.allTcp());
    expectRejected(
      t,
      { path: 'platform/web/api', field: 'allowTo(#1).ports[0].http', message: 'HTTP rules on 8000-8080/TCP: L7 rules need a single TCP port number', fix: 'Port.tcp(8080).http' },
      { path: 'platform/web/api', field: 'allowTo(#2).ports[0].http', message: 'HTTP rules on 53/UDP', fix: 'Port.tcp(8080).http' },
      {
        path: 'platform/web/api',
        field: 'allowTo(#3)',
        message: 'the HTTP rules on 443/TCP toward api.github.com filter nothing: the same declaration allows all TCP ports without HTTP rules',
        fix: 'give both declarations the same HTTP rules',
      },
    );
  });

  test('declared from both ends with other rules, or on another port, the rules merge', () => {
    const t = app({ backends: [Backend.custom({ id: 'plan', render: () => ({ manifests: [], issues: [] }) })] });
    const { api, db } = web(t);
    api.allowTo(db, Port.tcp(8080).http({ methods: [HttpMethod.GET] }), Port.tcp(9000));
    db.allowFrom(api, Port.tcp(8080).http({ methods: [HttpMethod.POST], path: '/jobs' }));
    expect(t.platform.validateIntent()).toEqual([]);
    const plan = t.platform._model.plan();
    if (!plan.ok) throw new Error('expected a plan');
    const egress = plan.plan.namespaces[0].policies.find((p) => p.name === 'api-egress')!;
    expect(egress.rules[0].ports).toEqual([
      { kind: 'number', protocol: 'TCP', port: 8080, http: [{ methods: ['GET'] }, { methods: ['POST'], path: '/jobs' }] },
      { kind: 'number', protocol: 'TCP', port: 9000 },
    ]);
  });
});

describe('entities', () => {
  test('the API server by address renders one ipBlock per address on Kubernetes', () => {
    const t = app();
    const { api } = web(t);
    api.allowTo(Peer.kubeApiserver({ addresses: ['172.18.0.3/32', '172.18.0.2/32'] }), Port.tcp(6443));
    expectAccepted(t);
    expect(policy(t.platform, 'web', 'api-egress').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '172.18.0.2/32' } }, { ipBlock: { cidr: '172.18.0.3/32' } }], ports: [{ protocol: 'TCP', port: 6443 }] },
    ]);
  });

  test('the ClusterIP of the kubernetes Service is not the API server address', () => {
    const t = app();
    web(t).api.allowTo(Peer.kubeApiserver({ addresses: ['10.96.0.1/32'] }), Port.tcp(443));
    expectRejected(t, {
      path: 'platform/web/api',
      field: 'allowTo(#1).peer.addresses[0].cidr',
      message: "'10.96.0.1/32' lies inside the cluster network 10.96.0.0/12",
      fix: 'not the ClusterIP of the kubernetes Service',
    });
  });

  test('an empty address list is refused', () => {
    const t = app();
    web(t).api.allowTo(Peer.kubeApiserver({ addresses: [] }), Port.tcp(443));
    expectRejected(t, { path: 'platform/web/api', field: 'allowTo(#1).peer.addresses', message: 'the list of API server addresses is empty', fix: 'omit addresses' });
  });
});

describe('service accounts', () => {
  test('a workload used by its service account must declare one; Peer.serviceAccount is for external namespaces', () => {
    const t = app();
    const { api, db } = web(t);
    api.allowFrom(db.byServiceAccount(), Port.tcp(80));
    api.allowFrom(Peer.serviceAccount({ namespace: 'web', name: 'x' }), Port.tcp(80));
    expectRejected(
      t,
      { path: 'platform/web/api', field: 'allowFrom(#1).peer', message: 'workload web/db is used by its service account, but declares none', fix: "serviceAccount: '<name>'" },
      { path: 'platform/web/api', field: 'allowFrom(#2).peer', message: "Peer.serviceAccount() names pods of 'web', which this platform manages", fix: 'workload.byServiceAccount()' },
    );
  });
});

describe('every tenant as one peer', () => {
  test('a shared service declared once reaches every tenant, without cross-tenant permissions', () => {
    const t = app();
    new TenantBoundary(t.platform, 'alpha', { namespaces: ['alpha'] });
    new TenantBoundary(t.platform, 'beta', { namespaces: ['beta'] });
    const registry = new ZeroTrustNamespace(t.platform, 'shared', { name: 'shared' }).workload('registry', { labels: { app: 'registry' } });
    registry.allowFrom(Peer.allTenants(), Port.tcp(5000));
    expectAccepted(t);
    expect(policy(t.platform, 'shared', 'registry-ingress').spec.ingress!.map((r) => r.from[0].namespaceSelector?.matchLabels)).toEqual([
      { 'kubernetes.io/metadata.name': 'alpha' },
      { 'kubernetes.io/metadata.name': 'beta' },
    ]);
    for (const ns of ['alpha', 'beta']) expect(policy(t.platform, ns, 'all-pods-egress').spec.egress).toHaveLength(1);
  });

  test('without tenants it stands for nothing: refused', () => {
    const t = app();
    web(t).api.allowFrom(Peer.allTenants(), Port.tcp(80));
    expectRejected(t, { path: 'platform/web/api', field: 'allowFrom(#1).peer', message: 'the platform declares no tenant', fix: 'declare the tenants' });
  });
});

describe('platform allowances', () => {
  test('declared once, they reach every managed namespace (or the pods given), across tenants', () => {
    const t = app();
    const alpha = new TenantBoundary(t.platform, 'alpha', { namespaces: ['alpha'] });
    new TenantBoundary(t.platform, 'beta', { namespaces: ['beta'] });
    const ingress = new ZeroTrustNamespace(t.platform, 'ingress', { name: 'ingress' });
    t.platform.allowEgress('apiserver', Peer.kubeApiserver({ addresses: ['172.18.0.2/32'] }), { ports: [Port.tcp(6443)] });
    t.platform.allowIngress('from-ingress', ingress, { ports: [Port.tcp(8080)], of: alpha });
    expectAccepted(t);
    for (const ns of ['alpha', 'beta', 'ingress']) {
      expect(policy(t.platform, ns, 'all-pods-egress').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '172.18.0.2/32' } }], ports: [{ protocol: 'TCP', port: 6443 }] });
    }
    expect(policy(t.platform, 'alpha', 'all-pods-ingress').spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
    expect(networkPolicies(t.platform.manifests(), 'beta').map((p) => p.metadata.name)).not.toContain('all-pods-ingress');
  });

  test('an allowance needs ports', () => {
    const t = app();
    web(t);
    t.platform.allowEgress('apiserver', Peer.kubeApiserver({ addresses: ['172.18.0.2/32'] }), { ports: [] });
    expectRejected(t, { path: 'platform/apiserver', field: 'allowEgress.ports', message: 'no ports given', fix: 'Port.all()' });
  });
});

describe('denies and restrictions', () => {
  test('a deny that overlaps nothing: a CIDR of the cluster networks (CIDRs never match pods)', () => {
    const t = app();
    web(t);
    t.platform.denyEgress('no-pods', Peer.cidr('10.244.0.0/16'));
    expectRejected(t, {
      path: 'platform/no-pods',
      field: 'denyEgress.peer.cidr',
      message: 'a CIDR deny never matches pods, so it would overlap nothing',
      fix: 'name their namespace, tenant or workload',
    });
  });

  test('a deny that repeats another overlaps nothing of its own', () => {
    const t = app();
    web(t);
    t.platform.denyEgress('no-metadata', Peer.cidr('169.254.169.254/32'));
    t.platform.denyEgress('no-metadata-again', Peer.cidr('169.254.169.254/32'), { ports: [Port.all()] });
    expectRejected(t, { path: 'platform/no-metadata-again', field: 'denyEgress', message: 'it denies exactly what platform/no-metadata (denyEgress) denies', fix: 'remove one of the two' });
  });

  test('denies cannot name DNS names nor carry HTTP rules', () => {
    const t = app();
    web(t);
    t.platform.denyEgress('no-github', Peer.fqdn('github.com'));
    t.platform.denyIngress('no-admin', Peer.world(), { ports: [Port.tcp(80).http({ path: '/admin' })] });
    expectRejected(
      t,
      { path: 'platform/no-github', field: 'denyEgress.peer', message: "a deny cannot name the DNS name 'github.com'", fix: 'deny the addresses (Peer.cidr) or Peer.world()' },
      { path: 'platform/no-admin', field: 'denyIngress.ports[0].http', message: 'a deny refuses connections, not requests', fix: 'give the allowing flow HTTP rules' },
    );
  });

  test('a flow that a deny refuses entirely is dead: refused at the flow', () => {
    const t = app();
    const { api, db } = web(t);
    api.allowTo(db, Port.tcp(5432));
    t.platform.denyEgress('no-db', db);
    expectRejected(t, {
      path: 'platform/web/api',
      field: 'allowTo(#1)',
      message: 'the flow from web/api to web/db (5432/TCP) is entirely refused by the deny platform/no-db (denyEgress)',
      fix: 'remove the flow, or narrow the deny',
    });
  });

  test('a flow a deny refuses in part keeps the rest (the deny wins where they meet)', () => {
    const t = app({ backends: [Backend.custom({ id: 'plan', render: () => ({ manifests: [], issues: [] }) })] });
    const { api, db } = web(t);
    api.allowTo(db, Port.all());
    t.platform.denyEgress('no-db-admin', db, { ports: [Port.tcp(9999)] });
    expect(t.platform.validateIntent()).toEqual([]);
  });

  test('a deny that may refuse the DNS queries of the namespaces conflicts with the DNS baseline', () => {
    const t = app({ dns: { nodeLocal: '169.254.20.10' } });
    web(t);
    t.platform.denyEgress('no-link-local', Peer.cidr('169.254.0.0/16'));
    t.platform.denyEgress('no-kube-system', Peer.namespace('kube-system'), { ports: [Port.udp(53)] });
    expectRejected(
      t,
      { path: 'platform/no-link-local', field: 'denyEgress', message: "it conflicts with the DNS baseline: it may refuse the DNS queries (53/TCP, 53/UDP) that namespace 'web'", fix: 'allowDns: false' },
      { path: 'platform/no-kube-system', field: 'denyEgress', message: 'it conflicts with the DNS baseline', fix: 'leaves the DNS servers and ports out' },
    );
  });

  test('a restriction needs ports and namespaces or tenants to except', () => {
    const t = app();
    const { api } = web(t);
    t.platform.restrictIngress('metrics', { ports: [], onlyFrom: [] });
    t.platform.restrictIngress('metrics-2', { ports: [Port.tcp(9090)], onlyFrom: [api] });
    expectRejected(
      t,
      { path: 'platform/metrics', field: 'restrictIngress.ports', message: 'no ports given', fix: 'ports: [Port.tcp(9090)]' },
      { path: 'platform/metrics', field: 'restrictIngress.onlyFrom', message: 'no peer may reach the ports', fix: 'use denyIngress' },
      { path: 'platform/metrics-2', field: 'restrictIngress.onlyFrom[0]', message: 'a workload peer cannot be an exception of a restriction', fix: 'name whole namespaces or tenants' },
    );
  });

  test('a restriction refuses the flows it covers, and lets the excepted namespaces through', () => {
    const t = app();
    const monitoring = new ZeroTrustNamespace(t.platform, 'monitoring', { name: 'monitoring' });
    const prometheus = monitoring.workload('prometheus', { labels: { app: 'prometheus' } });
    const { api, db } = web(t);
    prometheus.allowTo(db, Port.tcp(9090));
    api.allowTo(db, Port.tcp(9090));
    t.platform.restrictIngress('metrics', { ports: [Port.tcp(9090)], onlyFrom: [monitoring] });
    expectRejected(t, { path: 'platform/web/api', field: 'allowTo(#1)', message: 'is entirely refused by the deny platform/metrics (restrictIngress)', fix: 'narrow the deny' });
  });

  test('rules apply to managed pods: an external namespace as `of` is refused; `of` with clusterWide throws', () => {
    const t = app();
    web(t);
    t.platform.denyEgress('x', Peer.world(), { of: Peer.namespace('kube-system') });
    expect(() => t.platform.denyEgress('y', Peer.world(), { of: Peer.namespace('web'), clusterWide: true })).toThrow(
      '[platform/y] denyEgress.of: a rule is either for some pods (of) or for every pod of the cluster (clusterWide). Fix: remove one of the two',
    );
    expectRejected(t, { path: 'platform/x', field: 'denyEgress.of', message: 'the rule would apply to every pod of kube-system, which this platform does not manage', fix: '{ clusterWide: true }' });
  });

  test('a rule for the platform\'s namespaces when it manages none applies to no pod: refused', () => {
    const t = app();
    t.platform.denyEgress('no-metadata', Peer.cidr('169.254.169.254/32'));
    expectRejected(t, { path: 'platform/no-metadata', field: 'denyEgress.of', message: 'the platform manages no namespace', fix: '{ clusterWide: true }' });
  });

  test('the rule id names its policy, so it must be a DNS-1123 label', () => {
    const t = app();
    web(t);
    t.platform.denyEgress('No_Metadata', Peer.cidr('169.254.169.254/32'));
    expectRejected(t, { path: 'platform/No_Metadata', field: 'id', message: "the rule's name 'No_Metadata' is not a DNS-1123 label", fix: 'deny-metadata' });
  });
});

describe('NodeLocal DNS', () => {
  test.each([
    ['10.0.0.10', 'is not a link-local address'],
    ['169.254.0.0/16', 'is not one IP address'],
    ['dns', 'is not one IP address'],
  ])('%s is refused', (address, message) => {
    const t = app({ dns: { nodeLocal: address } });
    web(t);
    expectRejected(t, { path: 'platform', field: 'dns.nodeLocal', message, fix: "'169.254.20.10'" });
  });

  test('an IPv6 link-local address is accepted', () => {
    const t = app({ dns: { nodeLocal: 'fe80::a' } });
    web(t);
    expectAccepted(t);
    expect(JSON.stringify(policy(t.platform, 'web', 'allow-dns-egress'))).toContain('fe80::a/128');
  });
});

describe('choosing backends', () => {
  test('backend and backends together throw; backend alone is the one target', () => {
    expect(() => newTestApp({ backend: Backend.kubernetes(), backends: [Backend.kubernetes()] })).toThrow('both backend and backends are given');
    const t = newTestApp({ backend: Backend.kubernetes(), backends: undefined });
    web(t);
    expect(t.platform.backends.map((b) => b.id)).toEqual(['kubernetes']);
    expectAccepted(t);
  });
});
