/**
 * The Calico backend: a platform tier of GlobalNetworkPolicies (denies, tenant isolation, then Pass)
 * before the tenants' tier of namespaced NetworkPolicies (default-deny, DNS, flows). Assertions on
 * the rendered objects, no snapshots; every object is checked against the upstream schemas (the
 * strict datree copies and the Calico v3.32.1 CRD schemas in ../shared/schemas).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  Backend,
  CalicoBackendOptions,
  ExternalNamespace,
  Feature,
  HttpMethod,
  Manifest,
  OutputLayout,
  Peer,
  Port,
  Protocol,
  SelectorOperator,
  TenantBoundary,
  ZeroTrustApp,
  ZeroTrustNamespace,
  ZeroTrustPlatform,
} from '../../src';
import { CalicoGlobalNetworkPolicy, CalicoGlobalNetworkSet, CalicoNetworkPolicy, CalicoRule, CalicoTier } from '../../src/backends/calico/types';
import { filesIn, removeTempDirs, tempOutdir } from '../constructs/support';
import { describeWithSchemas } from '../support/schemas';

afterAll(removeTempDirs);

const PODS = "projectcalico.org/orchestrator == 'k8s'";
const CLUSTER_SCOPED = ['Tier', 'GlobalNetworkPolicy', 'StagedGlobalNetworkPolicy', 'GlobalNetworkSet'];

/** A platform using every intent the Calico backend expresses. */
function everyIntent(options: CalicoBackendOptions = {}, reverse = false): ZeroTrustPlatform {
  const platform = new ZeroTrustPlatform(Testing.app(), 'platform', {
    backend: Backend.calico(options),
    clusterNetworks: ['10.244.0.0/16', '10.96.0.0/12'],
    dns: { nodeLocal: '169.254.20.10' },
  });
  const external = new ExternalNamespace(platform, 'ingress-nginx');
  new ExternalNamespace(platform, 'ci');
  const monitoring = new ZeroTrustNamespace(platform, 'monitoring', { name: 'monitoring' });
  const prometheus = monitoring.workload('prometheus', { labels: { app: 'prometheus' } });
  const alpha = new TenantBoundary(platform, 'alpha', { namespaces: ['alpha-web', 'alpha-data'], allowIntraTenant: true });
  const beta = new TenantBoundary(platform, 'beta', { namespaces: ['beta'] });
  const web = alpha.namespace('alpha-web');
  const shared = new ZeroTrustNamespace(platform, 'shared', { name: 'shared', allowSameNamespace: true });
  const frontend = web.workload('frontend', { labels: { app: 'frontend' }, serviceAccount: 'frontend' });
  const backend = web.workload('backend', {
    selector: { matchLabels: { app: 'backend' }, matchExpressions: [{ key: 'track', operator: SelectorOperator.NOT_IN, values: ['canary'] }] },
  });
  const database = alpha.namespace('alpha-data').workload('database', { labels: { app: 'database' } });
  const reporting = beta.namespace('beta').workload('reporting', { labels: { app: 'reporting' } });
  const registry = shared.workload('registry', { labels: { app: 'registry' } });
  const declarations = [
    () => frontend.allowTo(backend, Port.tcp(8080), Port.tcp(9000)),
    () => backend.allowFrom(frontend.byServiceAccount(), Port.tcp(7000)),
    () => backend.allowTo(database, Port.tcp(5432), Port.udpRange(6000, 6010), Port.sctp(9999), Port.named('metrics'), Port.named('dns', Protocol.UDP), Port.allTcp()),
    () => reporting.allowTo(database, Port.tcp(5432)).acrossTenants(),
    () => frontend.allowTo(Peer.anyIpv4(), Port.tcp(443)),
    () => frontend.allowTo(Peer.cidr('203.0.113.0/24', { except: ['203.0.113.128/25'], name: 'partner-api' }), Port.tcp(443)),
    () => frontend.allowTo(Peer.cidr('2001:db8::/32', { except: ['2001:db8:1::/48'] }), Port.all()),
    () => backend.allowTo(Peer.kubeApiserver({ addresses: ['172.18.0.2/32', 'fd00:18::2/128'] }), Port.tcp(6443)),
    () => frontend.allowFrom(external.pods({ labels: { 'app.kubernetes.io/name': 'ingress-nginx' } }), Port.tcp(80)),
    () => database.allowFrom(Peer.serviceAccount({ namespace: 'ci', name: 'migrator' }), Port.tcp(5432)),
    () => registry.allowFrom(Peer.allTenants(), Port.tcp(5000)),
    () => prometheus.allowTo(Peer.allTenants(), Port.tcp(9090)),
    () => platform.allowEgress('time', Peer.cidr('203.0.113.123/32'), { ports: [Port.udp(123)] }),
    () => platform.denyEgress('no-metadata', Peer.cidr('169.254.169.254/32'), { clusterWide: true }),
    () => platform.denyIngress('no-partner', Peer.cidr('203.0.113.0/24', { name: 'partner-api' }), { ports: [Port.tcp(22)], of: alpha }),
    () => platform.restrictIngress('metrics', { ports: [Port.tcp(9090)], onlyFrom: [monitoring] }),
    () => platform.denyEgress('db-no-smtp', Peer.cidr('0.0.0.0/0'), { ports: [Port.tcp(25)], of: database }),
  ];
  for (const declare of reverse ? [...declarations].reverse() : declarations) declare();
  return platform;
}

const np = (manifests: readonly Manifest[], namespace: string, name: string) =>
  manifests.find((m) => /NetworkPolicy$/.test(m.kind) && !m.kind.includes('Global') && m.metadata.namespace === namespace && m.metadata.name === name) as CalicoNetworkPolicy;
const gnp = (manifests: readonly Manifest[], name: string) =>
  manifests.find((m) => /GlobalNetworkPolicy$/.test(m.kind) && m.metadata.name === name) as CalicoGlobalNetworkPolicy;
const ofKind = <T extends Manifest>(manifests: readonly Manifest[], kind: string) => manifests.filter((m) => m.kind === kind) as unknown as T[];
const rulesOf = (policy: { spec: { ingress?: CalicoRule[]; egress?: CalicoRule[] } }) =>
  [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])];

describe('the Calico backend', () => {
  const platform = everyIntent();
  const issues = platform.validateIntent();
  const manifests = issues.length === 0 ? platform.manifests() : [];
  const managed = ['alpha-data', 'alpha-web', 'beta', 'monitoring', 'shared'];

  test('a program using every intent Calico can express is valid', () => {
    expect(issues).toEqual([]);
    expect(new Set(manifests.map((m) => m.kind))).toEqual(new Set(['Namespace', 'Tier', 'GlobalNetworkSet', 'GlobalNetworkPolicy', 'NetworkPolicy']));
  });

  test('default-deny: every managed namespace has an enforced policy selecting every pod both ways, without rules, in the tier of its allows', () => {
    for (const namespace of managed) {
      const deny = np(manifests, namespace, 'default-deny-all');
      expect(deny.kind).toBe('NetworkPolicy');
      expect(deny.spec).toEqual({ tier: 'default', order: 1000, selector: 'all()', types: ['Ingress', 'Egress'] });
      // The tier applies to every pod of the namespace, so its end-of-tier Deny decides what no allow of it allows.
      const allows = manifests.filter((m) => m.metadata.namespace === namespace && m.kind === 'NetworkPolicy') as CalicoNetworkPolicy[];
      for (const allow of allows) expect(allow.spec.tier).toBe(deny.spec.tier);
    }
  });

  test('namespaced policies only allow: a Deny or Pass there would cut the tenants\' tier short', () => {
    const actions = new Set(ofKind<CalicoNetworkPolicy>(manifests, 'NetworkPolicy').flatMap(rulesOf).map((r) => r.action));
    expect(actions).toEqual(new Set(['Allow']));
  });

  test('DNS: one Allow rule per protocol to the DNS pods, and to NodeLocal DNSCache by address', () => {
    const dnsPods = { namespaceSelector: "projectcalico.org/name == 'kube-system'", selector: `${PODS} && k8s-app == 'kube-dns'` };
    expect(np(manifests, 'beta', 'allow-dns-egress').spec).toEqual({
      tier: 'default',
      order: 1000,
      selector: 'all()',
      types: ['Egress'],
      egress: [
        { action: 'Allow', protocol: 'TCP', destination: { ...dnsPods, ports: [53] } },
        { action: 'Allow', protocol: 'UDP', destination: { ...dnsPods, ports: [53] } },
        { action: 'Allow', protocol: 'TCP', destination: { nets: ['169.254.20.10/32'], ports: [53] } },
        { action: 'Allow', protocol: 'UDP', destination: { nets: ['169.254.20.10/32'], ports: [53] } },
      ],
    });
  });

  test('a flow within a namespace: egress at the source, ingress at the destination, pods named by namespace AND labels', () => {
    const frontendPods = { namespaceSelector: "projectcalico.org/name == 'alpha-web'", selector: `${PODS} && app == 'frontend'` };
    const backendPods = { namespaceSelector: "projectcalico.org/name == 'alpha-web'", selector: `${PODS} && app == 'backend' && track not in {'canary'}` };
    expect(np(manifests, 'alpha-web', 'frontend-egress').spec.egress).toContainEqual({ action: 'Allow', protocol: 'TCP', destination: { ...backendPods, ports: [7000, 8080, 9000] } });
    const backendIngress = np(manifests, 'alpha-web', 'backend-ingress');
    expect(backendIngress.spec.selector).toBe("app == 'backend' && track not in {'canary'}");
    expect(backendIngress.spec.types).toEqual(['Ingress']);
    expect(backendIngress.spec.ingress).toContainEqual({ action: 'Allow', protocol: 'TCP', source: frontendPods, destination: { ports: [8080, 9000] } });
  });

  test('a flow across namespaces and tenants; every kind of port, one rule per protocol', () => {
    const databasePods = { namespaceSelector: "projectcalico.org/name == 'alpha-data'", selector: `${PODS} && app == 'database'` };
    expect(np(manifests, 'alpha-web', 'backend-egress').spec.egress!.filter((r) => r.destination?.namespaceSelector === databasePods.namespaceSelector)).toEqual([
      { action: 'Allow', protocol: 'TCP', destination: databasePods },
      { action: 'Allow', protocol: 'SCTP', destination: { ...databasePods, ports: [9999] } },
      { action: 'Allow', protocol: 'UDP', destination: { ...databasePods, ports: ['6000:6010', 'dns'] } },
    ]);
    expect(np(manifests, 'beta', 'reporting-egress').spec.egress).toEqual([{ action: 'Allow', protocol: 'TCP', destination: { ...databasePods, ports: [5432] } }]);
    expect(np(manifests, 'alpha-data', 'database-ingress').spec.ingress).toContainEqual({
      action: 'Allow',
      protocol: 'TCP',
      source: { namespaceSelector: "projectcalico.org/name == 'beta'", selector: `${PODS} && app == 'reporting'` },
      destination: { ports: [5432] },
    });
  });

  test('whole namespaces, tenants and same-namespace / intra-tenant allowances select namespaces by name', () => {
    const registryIngress = np(manifests, 'shared', 'registry-ingress').spec.ingress!;
    expect(registryIngress.map((r) => r.source?.namespaceSelector)).toEqual([
      "projectcalico.org/name == 'alpha-data'",
      "projectcalico.org/name == 'alpha-web'",
      "projectcalico.org/name == 'beta'",
    ]);
    expect(registryIngress.every((r) => r.source?.selector === PODS)).toBe(true);
    expect(np(manifests, 'shared', 'allow-same-namespace').spec.ingress).toEqual([{ action: 'Allow', source: { namespaceSelector: "projectcalico.org/name == 'shared'", selector: PODS } }]);
    expect(np(manifests, 'alpha-web', 'allow-intra-tenant').spec.egress).toEqual([
      { action: 'Allow', destination: { namespaceSelector: "projectcalico.org/name in {'alpha-data', 'alpha-web'}", selector: PODS } },
    ]);
  });

  test('CIDRs: nets with notNets for the excepts (cluster networks and denied addresses carved out); the API server by address, one rule per family', () => {
    const egress = np(manifests, 'alpha-web', 'frontend-egress').spec.egress!;
    expect(egress).toContainEqual({
      action: 'Allow',
      protocol: 'TCP',
      destination: { nets: ['0.0.0.0/0'], notNets: ['10.244.0.0/16', '10.96.0.0/12', '169.254.169.254/32'], ports: [443] },
    });
    expect(egress).toContainEqual({ action: 'Allow', destination: { nets: ['2001:db8::/32'], notNets: ['2001:db8:1::/48'] } });
    expect(np(manifests, 'alpha-web', 'backend-egress').spec.egress).toEqual(expect.arrayContaining([
      { action: 'Allow', protocol: 'TCP', destination: { nets: ['172.18.0.2/32'], ports: [6443] } },
      { action: 'Allow', protocol: 'TCP', destination: { nets: ['fd00:18::2/128'], ports: [6443] } },
    ]));
    expect(np(manifests, 'monitoring', 'all-pods-egress').spec.egress).toContainEqual({ action: 'Allow', protocol: 'UDP', destination: { nets: ['203.0.113.123/32'], ports: [123] } });
  });

  test('a named range is a GlobalNetworkSet of its CIDR, selected with global(); the rule keeps its excepts as notNets', () => {
    expect(ofKind<CalicoGlobalNetworkSet>(manifests, 'GlobalNetworkSet')).toEqual([{
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkSet',
      metadata: { name: 'partner-api', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-zero-trust', 'zero-trust.cdk8s.io/network-set': 'partner-api' } },
      spec: { nets: ['203.0.113.0/24'] },
    }]);
    expect(np(manifests, 'alpha-web', 'frontend-egress').spec.egress).toContainEqual({
      action: 'Allow',
      protocol: 'TCP',
      destination: { namespaceSelector: 'global()', selector: "zero-trust.cdk8s.io/network-set == 'partner-api'", notNets: ['203.0.113.128/25'], ports: [443] },
    });
    expect(gnp(manifests, 'no-partner').spec.ingress).toEqual([{
      action: 'Deny',
      protocol: 'TCP',
      source: { namespaceSelector: 'global()', selector: "zero-trust.cdk8s.io/network-set == 'partner-api'" },
      destination: { ports: [22] },
    }]);
  });

  test('service accounts: serviceAccounts.names, ANDed with the namespace and, for a workload, its labels', () => {
    expect(np(manifests, 'alpha-web', 'backend-ingress').spec.ingress).toContainEqual({
      action: 'Allow',
      protocol: 'TCP',
      source: { namespaceSelector: "projectcalico.org/name == 'alpha-web'", selector: `${PODS} && app == 'frontend'`, serviceAccounts: { names: ['frontend'] } },
      destination: { ports: [7000] },
    });
    expect(np(manifests, 'alpha-data', 'database-ingress').spec.ingress).toContainEqual({
      action: 'Allow',
      protocol: 'TCP',
      source: { namespaceSelector: "projectcalico.org/name == 'ci'", selector: PODS, serviceAccounts: { names: ['migrator'] } },
      destination: { ports: [5432] },
    });
  });

  test('the platform tier: ours, before the default tier, passing what it does not decide', () => {
    expect(ofKind<CalicoTier>(manifests, 'Tier')).toEqual([{
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: 'zero-trust-platform', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-zero-trust' } },
      spec: { order: 500, defaultAction: 'Pass' },
    }]);
    const globals = ofKind<CalicoGlobalNetworkPolicy>(manifests, 'GlobalNetworkPolicy');
    expect(globals.map((g) => `${g.spec.order} ${g.metadata.name}`)).toEqual([
      '100 db-no-smtp', '100 metrics', '100 no-metadata', '100 no-partner', '200 isolate-alpha', '200 isolate-beta', '1000 pass-to-default',
    ]);
    for (const g of globals) expect(g.spec.tier).toBe('zero-trust-platform');
    expect(gnp(manifests, 'pass-to-default').spec).toEqual({
      tier: 'zero-trust-platform',
      order: 1000,
      selector: PODS,
      types: ['Ingress', 'Egress'],
      ingress: [{ action: 'Pass' }],
      egress: [{ action: 'Pass' }],
    });
  });

  test('a Pass leaves the whole tier, so no policy that passes runs before a policy that denies', () => {
    const globals = ofKind<CalicoGlobalNetworkPolicy>(manifests, 'GlobalNetworkPolicy');
    const passing = globals.filter((g) => rulesOf(g).some((r) => r.action === 'Pass'));
    const denying = globals.filter((g) => !passing.includes(g));
    expect(denying.length).toBeGreaterThan(0);
    for (const d of denying) {
      expect(rulesOf(d).every((r) => r.action === 'Deny')).toBe(true);
      for (const p of passing) expect(p.spec.order).toBeGreaterThan(d.spec.order);
    }
  });

  test('denies: explicit Deny rules for the pods they apply to, never the nodes', () => {
    expect(gnp(manifests, 'no-metadata').spec).toEqual({
      tier: 'zero-trust-platform',
      order: 100,
      selector: PODS,
      types: ['Egress'],
      egress: [{ action: 'Deny', destination: { nets: ['169.254.169.254/32'] } }],
    });
    expect(gnp(manifests, 'no-partner').spec).toMatchObject({ namespaceSelector: "projectcalico.org/name in {'alpha-data', 'alpha-web'}", selector: PODS, types: ['Ingress'] });
    expect(gnp(manifests, 'db-no-smtp').spec).toMatchObject({
      namespaceSelector: "projectcalico.org/name == 'alpha-data'",
      selector: `${PODS} && app == 'database'`,
      egress: [{ action: 'Deny', protocol: 'TCP', destination: { nets: ['0.0.0.0/0'], ports: [25] } }],
    });
    // A restriction denies every end but the pods of the excepted namespaces: addresses and network sets included.
    expect(gnp(manifests, 'metrics').spec.ingress).toEqual([{
      action: 'Deny',
      protocol: 'TCP',
      source: { notSelector: `${PODS} && projectcalico.org/namespace == 'monitoring'` },
      destination: { ports: [9090] },
    }]);
  });

  test('tenant isolation: Pass among the tenant\'s pods and for declared flows with pods outside it, then Deny every other tenant\'s pods', () => {
    const alpha = gnp(manifests, 'isolate-alpha');
    const alphaPods = { namespaceSelector: "projectcalico.org/name in {'alpha-data', 'alpha-web'}", selector: PODS };
    const otherTenants = { namespaceSelector: 'has(zero-trust.cdk8s.io/tenant)', selector: PODS };
    expect(alpha.spec).toMatchObject({ namespaceSelector: alphaPods.namespaceSelector, selector: PODS, types: ['Ingress', 'Egress'] });
    const ingress = alpha.spec.ingress!;
    expect(ingress[0]).toEqual({ action: 'Pass', source: alphaPods });
    expect(ingress[ingress.length - 1]).toEqual({ action: 'Deny', source: otherTenants });
    // The declared cross-tenant flow passes, for exactly its pods and port.
    expect(ingress).toContainEqual({
      action: 'Pass',
      protocol: 'TCP',
      source: { namespaceSelector: "projectcalico.org/name == 'beta'", selector: `${PODS} && app == 'reporting'` },
      destination: { namespaceSelector: "projectcalico.org/name == 'alpha-data'", selector: `${PODS} && app == 'database'`, ports: [5432] },
    });
    expect(ingress.slice(1, -1).every((r) => r.action === 'Pass')).toBe(true);
    const egress = alpha.spec.egress!;
    expect(egress[0]).toEqual({ action: 'Pass', destination: alphaPods });
    expect(egress[egress.length - 1]).toEqual({ action: 'Deny', destination: otherTenants });
    expect(gnp(manifests, 'isolate-beta').spec.egress).toContainEqual({
      action: 'Pass',
      protocol: 'TCP',
      source: { namespaceSelector: "projectcalico.org/name == 'beta'", selector: `${PODS} && app == 'reporting'` },
      destination: { namespaceSelector: "projectcalico.org/name == 'alpha-data'", selector: `${PODS} && app == 'database'`, ports: [5432] },
    });
  });

  test('a tenant namespace whose Namespace object is not ours is denied by name, since it may lack the tenant label', () => {
    const p = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.calico() });
    new TenantBoundary(p, 'alpha', { namespaces: ['alpha'] });
    const beta = new TenantBoundary(p, 'beta', { namespaces: [new ZeroTrustNamespace(p, 'beta-ns', { name: 'beta', createNamespace: false })] });
    void beta;
    const alpha = gnp(p.manifests(), 'isolate-alpha');
    expect(alpha.spec.ingress!.slice(-2)).toEqual([
      { action: 'Deny', source: { namespaceSelector: 'has(zero-trust.cdk8s.io/tenant)', selector: PODS } },
      { action: 'Deny', source: { namespaceSelector: "projectcalico.org/name == 'beta'", selector: PODS } },
    ]);
  });

  test('cluster-scoped kinds never carry a namespace; namespaced ones always do', () => {
    for (const m of manifests) {
      if (CLUSTER_SCOPED.includes(m.kind) || m.kind === 'Namespace') expect(m.metadata.namespace).toBeUndefined();
      else expect(managed).toContain(m.metadata.namespace);
    }
  });

  test('the order of declarations does not change the output', () => {
    expect(everyIntent({}, true).manifests()).toEqual(manifests);
  });
});

describe('staged rollout', () => {
  const enforced = everyIntent().manifests();
  const staged = everyIntent({ staged: true }).manifests();

  test('staged: every policy is its Staged kind, and nothing else differs (so enforcing is a change of kind)', () => {
    const kinds = new Set(staged.map((m) => m.kind));
    expect(kinds).toEqual(new Set(['Namespace', 'Tier', 'GlobalNetworkSet', 'StagedGlobalNetworkPolicy', 'StagedNetworkPolicy']));
    const unstaged = staged.map((m) => ({ ...m, kind: m.kind.replace(/^Staged/, '') }));
    expect(unstaged).toEqual(enforced);
    expect(JSON.stringify(staged)).not.toContain('stagedAction');
  });

  test('stagedNamespaces: only those namespaces\' policies are staged; a tenant\'s isolation when all of its namespaces are', () => {
    const manifests = everyIntent({ stagedNamespaces: ['beta', 'alpha-web'] }).manifests();
    const kindOf = (namespace: string | undefined, name: string) =>
      manifests.find((m) => m.metadata.namespace === namespace && m.metadata.name === name)!.kind;
    expect(kindOf('beta', 'default-deny-all')).toBe('StagedNetworkPolicy');
    expect(kindOf('alpha-web', 'frontend-egress')).toBe('StagedNetworkPolicy');
    expect(kindOf('alpha-data', 'default-deny-all')).toBe('NetworkPolicy');
    expect(kindOf(undefined, 'isolate-beta')).toBe('StagedGlobalNetworkPolicy');
    expect(kindOf(undefined, 'isolate-alpha')).toBe('GlobalNetworkPolicy');
    expect(kindOf(undefined, 'no-metadata')).toBe('GlobalNetworkPolicy');
    expect(manifests.map((m) => ({ ...m, kind: m.kind.replace(/^Staged/, '') }))).toEqual(enforced);
  });
});

describe('options of Backend.calico', () => {
  test('tiers and the policy order are configurable; a tenants\' tier of our own is emitted with default action Deny', () => {
    const manifests = everyIntent({ tier: { name: 'platform', order: 50 }, tenantTier: { name: 'tenants', order: 5000 }, policyOrder: 200 }).manifests();
    expect(ofKind<CalicoTier>(manifests, 'Tier').map((t) => [t.metadata.name, t.spec])).toEqual([
      ['platform', { order: 50, defaultAction: 'Pass' }],
      ['tenants', { order: 5000, defaultAction: 'Deny' }],
    ]);
    expect(np(manifests, 'beta', 'default-deny-all').spec).toEqual({ tier: 'tenants', order: 200, selector: 'all()', types: ['Ingress', 'Egress'] });
    expect(gnp(manifests, 'pass-to-tenants').spec.tier).toBe('platform');
  });

  test.each<[string, CalicoBackendOptions, string[]]>([
    ['a tier of Calico\'s own as the platform tier', { tier: { name: 'kube-admin' } }, ['backends[0].tier.name']],
    ['a passing tier of Calico\'s as the tenants\' tier', { tenantTier: { name: 'kube-baseline', order: 20000000 } }, ['backends[0].tenantTier.name']],
    ['an order on the default tier', { tenantTier: { name: 'default', order: 7 } }, ['backends[0].tenantTier.order']],
    ['a tier of our own without order', { tenantTier: { name: 'tenants' } }, ['backends[0].tenantTier.order']],
    ['the platform tier after the tenants\' tier', { tier: { order: 2_000_000 } }, ['backends[0].tier.order']],
    ['one tier for both', { tier: { name: 'shared', order: 1 }, tenantTier: { name: 'shared', order: 2 } }, ['backends[0].tenantTier.name']],
    ['an invalid tier name and order', { tier: { name: 'Platform', order: Number.NaN } }, ['backends[0].tier.name', 'backends[0].tier.order']],
    ['a non-boolean staged and bad staged namespaces', { staged: 'yes' as unknown as boolean, stagedNamespaces: ['Web', 'beta', 'beta'] }, [
      'backends[0].staged', 'backends[0].stagedNamespaces[0]', 'backends[0].stagedNamespaces[2]',
    ]],
    ['a policy order that is not a number', { policyOrder: '10' as unknown as number }, ['backends[0].policyOrder']],
  ])('%s is refused, naming the field', (_name, options, fields) => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.calico(options) });
    new ZeroTrustNamespace(platform, 'beta', { name: 'beta' });
    const issues = platform.validateIntent();
    expect(issues.map((i) => i.field)).toEqual(fields);
    for (const issue of issues) {
      expect(issue.path).toBe('platform');
      expect(issue.fix.length).toBeGreaterThan(0);
    }
  });

  test('a staged namespace the platform does not manage is refused', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.calico({ stagedNamespaces: ['web', 'other'] }) });
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    expect(platform.validateIntent()).toEqual([{
      path: 'platform',
      field: 'backends[0].stagedNamespaces[1]',
      message: "namespace 'other' is not managed by this platform, so it has no policies to stage",
      fix: "name a managed namespace (web), or remove 'other'",
    }]);
  });

  test('a deny named like one of the platform tier\'s own policies is refused', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.calico() });
    new TenantBoundary(platform, 'alpha', { namespaces: ['alpha'] });
    platform.denyEgress('isolate-alpha', Peer.cidr('169.254.169.254/32'));
    expect(platform.validateIntent()).toEqual([expect.objectContaining({ path: 'platform/isolate-alpha', field: 'denyEgress', fix: 'rename the deny' })]);
  });
});

describe('intents Calico Open Source cannot express', () => {
  function withFlow(declare: (api: ReturnType<ZeroTrustNamespace['workload']>, db: ReturnType<ZeroTrustNamespace['workload']>) => void, options: CalicoBackendOptions = {}) {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.calico(options) });
    const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    declare(web.workload('api', { labels: { app: 'api' } }), web.workload('db', { labels: { app: 'db' } }));
    return platform;
  }

  test('FQDN and L7 HTTP fail synthesis with the construct path, the feature and the fix', () => {
    const platform = withFlow((api, db) => {
      api.allowTo(Peer.fqdn('api.github.com'), Port.tcp(443));
      api.allowTo(db, Port.tcp(8080).http({ methods: [HttpMethod.GET] }));
    });
    const issues = platform.validateIntent();
    expect(issues).toEqual([
      {
        path: 'platform/web/api',
        field: 'allowTo(#1)',
        message: "api.github.com: the 'calico' backend cannot express FQDN peers (Calico Open Source matches addresses, not DNS names (domain rules are Calico Enterprise only))",
        fix: 'FQDN peers need the Cilium backend, or declare that this target omits it: Backend.calico({ omit: [Feature.FQDN] })',
      },
      expect.objectContaining({
        path: 'platform/web/api',
        field: 'allowTo(#2)',
        message: expect.stringContaining("the 'calico' backend cannot express L7 HTTP rules"),
        fix: expect.stringContaining('Backend.calico({ omit: [Feature.HTTP] })'),
      }),
    ]);
    expect(() => platform.manifests()).toThrow(/FQDN peers/);
  });

  test.each([
    ['the world', (api: ReturnType<ZeroTrustNamespace['workload']>) => api.allowTo(Peer.world(), Port.tcp(443)), 'the world entity'],
    ['the nodes', (api: ReturnType<ZeroTrustNamespace['workload']>) => api.allowFrom(Peer.localNode(), Port.tcp(8080)), 'node peers'],
    ['the cluster', (api: ReturnType<ZeroTrustNamespace['workload']>) => api.allowFrom(Peer.cluster(), Port.tcp(8080)), 'the cluster entity'],
    ['the API server without addresses', (api: ReturnType<ZeroTrustNamespace['workload']>) => api.allowTo(Peer.kubeApiserver(), Port.tcp(443)), 'the kube-apiserver without its addresses'],
  ])('%s is refused, never widened to addresses', (_name, declare, feature) => {
    const issues = withFlow((api) => declare(api)).validateIntent();
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('platform/web/api');
    expect(issues[0].message).toContain(`the 'calico' backend cannot express ${feature}`);
  });

  test('declared omitted, FQDN and HTTP leave nothing behind: the HTTP port is not allowed at all', () => {
    const platform = withFlow((api, db) => {
      api.allowTo(Peer.fqdn('api.github.com'), Port.tcp(443));
      api.allowTo(db, Port.tcp(8080).http({ path: '/health' }), Port.tcp(9000));
    }, { omit: [Feature.FQDN, Feature.HTTP] });
    expect(platform.validateIntent()).toEqual([]);
    const output = JSON.stringify(platform.manifests());
    expect(output).not.toContain('api.github.com');
    expect(output).not.toContain('8080');
    expect(output).toContain('9000');
  });

  test('a deny toward an entity is refused even with the entity omitted (omitting drops allows, never a deny), and says how to get past it', () => {
    const platform = withFlow((api) => api.allowTo(Peer.cidr('203.0.113.0/24'), Port.tcp(443)), { omit: [Feature.WORLD, Feature.NODES] });
    platform.denyEgress('no-world', Peer.world());
    platform.denyIngress('no-nodes', Peer.remoteNodes(), { ports: [Port.tcp(10250)] });
    const issues = platform.validateIntent();
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['platform/no-nodes', expect.stringContaining('cannot be expressed by Calico policy')],
      ['platform/no-world', expect.stringContaining('cannot be expressed by Calico policy')],
    ]);
    for (const issue of issues) {
      expect(issue.fix).toContain('Backend.calico({ omit: [Feature.DENY] })');
      expect(issue.fix).not.toContain('omits it');
    }
    expect(() => platform.manifests()).toThrow(/cannot be expressed by Calico policy/);
  });
});

describe('hostile selector input', () => {
  test('a label value that would inject selector syntax never reaches the output: refused at synthesis', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.calico() });
    const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    const api = web.workload('api', { labels: { app: "x' || all() || 'y" } });
    api.allowTo(Peer.cidr('203.0.113.0/24'), Port.tcp(443));
    const issues = platform.validateIntent();
    expect(issues.map((i) => `${i.path} ${i.field}`)).toEqual(['platform/web/api labels.matchLabels["app"]']);
    expect(() => platform.manifests()).toThrow();
  });

  test('a selector on a label Calico sets itself is refused where it is declared', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.calico() });
    const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    const api = web.workload('api', { selector: { matchLabels: { 'app': 'api', 'projectcalico.org/namespace': 'kube-system' } } });
    const db = web.workload('db', { labels: { app: 'db' } });
    api.allowTo(db, Port.tcp(5432));
    const issues = platform.validateIntent();
    expect(issues.map((i) => `${i.path} ${i.field}`).sort()).toEqual(['platform/web/api allowTo(#1)', 'platform/web/api selector']);
    for (const issue of issues) expect(issue.message).toContain("the label 'projectcalico.org/namespace' is one Calico sets itself");
  });
});

describe('synthesized files', () => {
  function synthesize(outdir: string): Record<string, string> {
    const app = new ZeroTrustApp({ outdir });
    const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.calico()] });
    const alpha = new TenantBoundary(platform, 'alpha', { namespaces: ['alpha'] });
    const api = alpha.namespace('alpha').workload('api', { labels: { app: 'api' } });
    api.allowTo(Peer.cidr('203.0.113.0/24', { name: 'partner-api' }), Port.tcp(443));
    platform.denyEgress('no-metadata', Peer.cidr('169.254.169.254/32'), { clusterWide: true });
    app.synth();
    return Object.fromEntries(filesIn(outdir).filter((f) => f.endsWith('.k8s.yaml')).sort().map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));
  }

  test('one file per namespace and one for the cluster-scoped objects, which carry no namespace; byte-identical on re-run', () => {
    const first = synthesize(tempOutdir());
    expect(Object.keys(first)).toEqual(['alpha.k8s.yaml', 'platform.k8s.yaml']);
    const platformDocs = YAML.parseAllDocuments(first['platform.k8s.yaml']).map((d) => d.toJSON() as Manifest);
    expect(platformDocs.map((m) => m.kind)).toEqual(['Namespace', 'Tier', 'GlobalNetworkSet', 'GlobalNetworkPolicy', 'GlobalNetworkPolicy', 'GlobalNetworkPolicy']);
    for (const m of platformDocs) expect(m.metadata.namespace).toBeUndefined();
    const namespaceDocs = YAML.parseAllDocuments(first['alpha.k8s.yaml']).map((d) => d.toJSON() as Manifest);
    expect(namespaceDocs.map((m) => `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`)).toEqual([
      'NetworkPolicy alpha/default-deny-all',
      'NetworkPolicy alpha/allow-dns-egress',
      'NetworkPolicy alpha/api-egress',
    ]);
    expect(synthesize(tempOutdir())).toEqual(first);
  });

  test('one platform, several targets: dist/calico holds the Calico objects', () => {
    const outdir = tempOutdir();
    const app = new ZeroTrustApp({ outdir, layout: OutputLayout.FOLDER_PER_BACKEND });
    const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.kubernetes({ omit: [Feature.DENY] }), Backend.calico()] });
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    platform.denyEgress('no-metadata', Peer.cidr('169.254.169.254/32'));
    app.synth();
    const read = (file: string) => fs.readFileSync(path.join(outdir, file), 'utf8');
    expect(read('calico/platform.k8s.yaml')).toContain('kind: Tier');
    expect(read('calico/web.k8s.yaml')).toContain('apiVersion: projectcalico.org/v3');
    expect(read('kubernetes/web.k8s.yaml')).not.toContain('projectcalico.org');
  });
});

describeWithSchemas('Calico objects match the upstream schemas', (validator) => {
  test.each<[string, () => ZeroTrustPlatform]>([
    ['every intent', () => everyIntent()],
    ['every intent, staged', () => everyIntent({ staged: true })],
    ['every intent, tiers of our own', () => everyIntent({ tier: { name: 'platform', order: 50 }, tenantTier: { name: 'tenants', order: 5000 } })],
  ])('%s', (_name, build) => {
    // No schema of GlobalNetworkSet is among ../shared/schemas: its shape is asserted above instead.
    const manifests = build().manifests().filter((m) => m.kind !== 'GlobalNetworkSet');
    expect(manifests.flatMap((m) => validator.validate(m))).toEqual([]);
  });

  test('the validators do reject a malformed Calico policy (the check is live)', () => {
    const deny = everyIntent().manifests().find((m) => m.kind === 'NetworkPolicy') as CalicoNetworkPolicy;
    expect(validator.validate({ ...deny, spec: { ...deny.spec, types: ['Ingres'] } }).join('\n')).toMatch(/types\/0/);
    expect(validator.validate({ ...deny, spec: { ...deny.spec, selectr: 'all()' } }).join('\n')).toMatch(/unknown field "selectr"/);
    expect(validator.validate({ ...deny, kind: 'Tier', spec: { order: 1, defaultAction: 'Allow' } }).join('\n')).toMatch(/defaultAction/);
  });
});
