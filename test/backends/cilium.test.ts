/**
 * The Cilium backend: CiliumNetworkPolicy per managed namespace, CiliumClusterwideNetworkPolicy for
 * the platform's denies. Every object is checked against the upstream schema (the strict variant of
 * the Cilium 1.18 CRD schema in ../shared/schemas: whatever it accepts, the plain one accepts too).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import {
  Backend,
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
import { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy } from '../../src/backends/cilium/types';
import { filesIn, removeTempDirs, tempOutdir } from '../constructs/support';
import { describeWithSchemas } from '../support/schemas';

afterAll(removeTempDirs);

/** A platform using every intent the Cilium backend expresses. */
function everyIntent(options: Parameters<typeof Backend.cilium>[0] = {}, reverse = false): ZeroTrustPlatform {
  const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.cilium(options), clusterNetworks: ['10.244.0.0/16', '10.96.0.0/12'] });
  const external = new ExternalNamespace(platform, 'ingress-nginx');
  const ci = new ExternalNamespace(platform, 'ci');
  const monitoring = new ZeroTrustNamespace(platform, 'monitoring', { name: 'monitoring' });
  const prometheus = monitoring.workload('prometheus', { labels: { app: 'prometheus' } });
  const alpha = new TenantBoundary(platform, 'alpha', { namespaces: ['alpha-web', 'alpha-data'], allowIntraTenant: true });
  new TenantBoundary(platform, 'beta', { namespaces: ['beta'] });
  const web = alpha.namespace('alpha-web');
  const shared = new ZeroTrustNamespace(platform, 'shared', { name: 'shared', allowSameNamespace: true });
  const frontend = web.workload('frontend', { labels: { app: 'frontend' }, serviceAccount: 'frontend' });
  const backend = web.workload('backend', {
    selector: { matchLabels: { app: 'backend' }, matchExpressions: [{ key: 'track', operator: SelectorOperator.NOT_IN, values: ['canary'] }] },
  });
  const database = alpha.namespace('alpha-data').workload('database', { labels: { app: 'database' } });
  const registry = shared.workload('registry', { labels: { app: 'registry' } });
  const declarations = [
    () => frontend.allowTo(backend, Port.tcp(8080).http({ methods: [HttpMethod.GET, HttpMethod.HEAD], path: '/api/.*', host: 'backend.alpha.example', headers: ['X-Tenant'] }), Port.tcp(9000)),
    () => backend.allowFrom(frontend.byServiceAccount(), Port.tcp(7000)),
    () => backend.allowTo(database, Port.tcp(5432), Port.udpRange(6000, 6010), Port.sctp(9999), Port.named('metrics'), Port.named('dns', Protocol.UDP), Port.allTcp()),
    () => frontend.allowTo(Peer.fqdn('api.github.com'), Port.tcp(443)),
    () => frontend.allowTo(Peer.fqdnPattern('*.s3.amazonaws.com'), Port.tcp(443).http({ path: '/bucket/.*' })),
    () => frontend.allowTo(Peer.anyIpv4(), Port.tcp(443)),
    () => frontend.allowTo(Peer.cidr('2001:db8::/32', { except: ['2001:db8:1::/48'] }), Port.all()),
    () => backend.allowTo(Peer.kubeApiserver(), Port.tcp(443)),
    () => backend.allowFrom(Peer.localNode(), Port.tcp(8081)),
    () => backend.allowFrom(Peer.remoteNodes(), Port.tcp(8081)),
    () => frontend.allowFrom(Peer.world(), Port.tcp(8443)),
    () => database.allowFrom(Peer.cluster(), Port.tcp(9100)),
    () => frontend.allowFrom(external.pods({ labels: { 'app.kubernetes.io/name': 'ingress-nginx' } }), Port.tcp(80)),
    () => database.allowFrom(Peer.serviceAccount({ namespace: 'ci', name: 'migrator' }), Port.tcp(5432)),
    () => registry.allowFrom(Peer.allTenants(), Port.tcp(5000)),
    () => prometheus.allowTo(Peer.allTenants(), Port.tcp(9090)),
    () => platform.allowEgress('time', Peer.cidr('203.0.113.123/32'), { ports: [Port.udp(123)] }),
    () => platform.denyEgress('no-metadata', Peer.cidr('169.254.169.254/32'), { clusterWide: true }),
    () => platform.denyIngress('no-ssh', Peer.world(), { ports: [Port.tcp(22)], of: alpha }),
    () => platform.restrictIngress('metrics', { ports: [Port.tcp(9090)], onlyFrom: [monitoring] }),
    () => platform.denyEgress('db-no-smtp', Peer.world(), { ports: [Port.tcp(25)], of: database }),
  ];
  for (const declare of reverse ? [...declarations].reverse() : declarations) declare();
  void ci;
  return platform;
}

const cnp = (manifests: readonly Manifest[], namespace: string, name: string) =>
  manifests.find((m) => m.kind === 'CiliumNetworkPolicy' && m.metadata.namespace === namespace && m.metadata.name === name) as CiliumNetworkPolicy;
const ccnp = (manifests: readonly Manifest[], name: string) =>
  manifests.find((m) => m.kind === 'CiliumClusterwideNetworkPolicy' && m.metadata.name === name) as CiliumClusterwideNetworkPolicy;

describe('the Cilium backend', () => {
  const platform = everyIntent();
  const issues = platform.validateIntent();
  const manifests = issues.length === 0 ? platform.manifests() : [];

  test('a program using every intent is valid', () => {
    expect(issues).toEqual([]);
    expect(new Set(manifests.map((m) => m.kind))).toEqual(new Set(['Namespace', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy']));
  });

  test('default-deny isolates both directions with rules that allow nothing, never a bare {} rule', () => {
    expect(cnp(manifests, 'alpha-web', 'default-deny-all').spec).toEqual({
      endpointSelector: {},
      enableDefaultDeny: { ingress: true, egress: true },
      ingress: [{ fromEntities: ['none'] }],
      egress: [{ toEntities: ['none'] }],
    });
    expect(JSON.stringify(manifests)).not.toContain('{}]');
  });

  test('DNS egress names kube-system; the namespace with DNS-name peers gets the DNS proxy rule, the others do not', () => {
    const toEndpoints = [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }];
    const ports = [{ port: '53', protocol: 'TCP' }, { port: '53', protocol: 'UDP' }];
    expect(cnp(manifests, 'alpha-web', 'allow-dns-egress').spec.egress).toEqual([{ toEndpoints, toPorts: [{ ports, rules: { dns: [{ matchPattern: '*' }] } }] }]);
    expect(cnp(manifests, 'alpha-data', 'allow-dns-egress').spec.egress).toEqual([{ toEndpoints, toPorts: [{ ports }] }]);
  });

  test('DNS names, CIDRs with except, entities: one rule element each, with explicit protocols', () => {
    const egress = cnp(manifests, 'alpha-web', 'frontend-egress').spec.egress!;
    expect(egress).toContainEqual({ toFQDNs: [{ matchName: 'api.github.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
    expect(egress).toContainEqual({
      toFQDNs: [{ matchPattern: '*.s3.amazonaws.com' }],
      toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }], rules: { http: [{ path: '/bucket/.*' }] } }],
    });
    // The cluster-wide deny of the metadata address is excepted from the allowed CIDR too.
    expect(egress).toContainEqual({
      toCIDRSet: [{ cidr: '0.0.0.0/0', except: ['10.244.0.0/16', '10.96.0.0/12', '169.254.169.254/32'] }],
      toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
    });
    expect(egress).toContainEqual({ toCIDRSet: [{ cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] }] });
    expect(cnp(manifests, 'alpha-web', 'backend-egress').spec.egress).toContainEqual({ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
    const ingress = cnp(manifests, 'alpha-web', 'backend-ingress').spec.ingress!;
    expect(ingress).toContainEqual({ fromEntities: ['host'], toPorts: [{ ports: [{ port: '8081', protocol: 'TCP' }] }] });
    expect(ingress).toContainEqual({ fromEntities: ['remote-node'], toPorts: [{ ports: [{ port: '8081', protocol: 'TCP' }] }] });
    expect(cnp(manifests, 'alpha-web', 'frontend-ingress').spec.ingress).toContainEqual({ fromEntities: ['world'], toPorts: [{ ports: [{ port: '8443', protocol: 'TCP' }] }] });
    expect(cnp(manifests, 'alpha-data', 'database-ingress').spec.ingress).toContainEqual({ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '9100', protocol: 'TCP' }] }] });
  });

  test('every kind of port: ranges with endPort, port "0" for a whole protocol, names, SCTP', () => {
    expect(cnp(manifests, 'alpha-web', 'backend-egress').spec.egress).toContainEqual({
      toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'alpha-data', 'app': 'database' } }],
      toPorts: [{
        ports: [
          { port: '0', protocol: 'TCP' },
          { port: '9999', protocol: 'SCTP' },
          { port: '6000', endPort: 6010, protocol: 'UDP' },
          { port: 'dns', protocol: 'UDP' },
        ],
      }],
    });
  });

  test('HTTP rules: one per method, the path as a full-match expression, the host escaped, header names', () => {
    const toBackend = cnp(manifests, 'alpha-web', 'frontend-egress').spec.egress!.find((r) => r.toEndpoints?.[0].matchLabels?.app === 'backend')!;
    const common = { path: '/api/.*', host: 'backend\\.alpha\\.example', headers: ['x-tenant'] };
    expect(toBackend.toPorts).toEqual([
      { ports: [{ port: '7000', protocol: 'TCP' }, { port: '9000', protocol: 'TCP' }] },
      { ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'GET', ...common }, { method: 'HEAD', ...common }] } },
    ]);
  });

  test('service accounts select by io.cilium.k8s.policy.serviceaccount, with the workload\'s labels when it is one', () => {
    const ingress = cnp(manifests, 'alpha-web', 'backend-ingress').spec.ingress!;
    expect(ingress).toContainEqual({
      fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'alpha-web', 'k8s:io.cilium.k8s.policy.serviceaccount': 'frontend', 'app': 'frontend' } }],
      toPorts: [{ ports: [{ port: '7000', protocol: 'TCP' }] }],
    });
    expect(cnp(manifests, 'alpha-data', 'database-ingress').spec.ingress).toContainEqual({
      fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'ci', 'k8s:io.cilium.k8s.policy.serviceaccount': 'migrator' } }],
      toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }],
    });
  });

  test('a workload\'s NotIn selector is the policy\'s endpointSelector as written (confined to its namespace by Cilium)', () => {
    expect(cnp(manifests, 'alpha-web', 'backend-ingress').spec.endpointSelector).toEqual({
      matchLabels: { app: 'backend' },
      matchExpressions: [{ key: 'track', operator: 'NotIn', values: ['canary'] }],
    });
  });

  test('denies are cluster-wide policies that never isolate; restrictions deny every namespace but the excepted ones', () => {
    const noDefaultDeny = { ingress: false, egress: false };
    expect(ccnp(manifests, 'no-metadata').spec).toEqual({ endpointSelector: {}, enableDefaultDeny: noDefaultDeny, egressDeny: [{ toCIDRSet: [{ cidr: '169.254.169.254/32' }] }] });
    expect(ccnp(manifests, 'no-ssh').spec).toEqual({
      endpointSelector: { matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'In', values: ['alpha-data', 'alpha-web'] }] },
      enableDefaultDeny: noDefaultDeny,
      ingressDeny: [{ fromEntities: ['world'], toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] }],
    });
    expect(ccnp(manifests, 'metrics').spec.ingressDeny).toEqual([{
      fromEndpoints: [{ matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'NotIn', values: ['monitoring'] }] }],
      toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }] }],
    }]);
    expect(ccnp(manifests, 'db-no-smtp').spec.endpointSelector).toEqual({ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'alpha-data', 'app': 'database' } });
    for (const deny of manifests.filter((m) => m.kind === 'CiliumClusterwideNetworkPolicy')) expect(deny.metadata.namespace).toBeUndefined();
  });

  test('the order of declarations does not change the output', () => {
    expect(everyIntent({}, true).manifests()).toEqual(manifests);
  });
});

describe('options of Backend.cilium', () => {
  test('clusterName confines every peer selector to the cluster; enableDefaultDeny: false leaves isolation to default-deny-all', () => {
    const manifests = everyIntent({ clusterName: 'prod-eu-1', enableDefaultDeny: false }).manifests();
    expect(cnp(manifests, 'alpha-web', 'backend-egress').spec.egress![0].toEndpoints![0].matchLabels).toEqual({
      'k8s:io.kubernetes.pod.namespace': 'alpha-data',
      'k8s:io.cilium.k8s.policy.cluster': 'prod-eu-1',
      'app': 'database',
    });
    expect(cnp(manifests, 'alpha-web', 'backend-egress').spec.enableDefaultDeny).toEqual({ ingress: false, egress: false });
    expect(cnp(manifests, 'alpha-web', 'default-deny-all').spec.enableDefaultDeny).toEqual({ ingress: true, egress: true });
  });

  test('an invalid cluster name or a non-boolean enableDefaultDeny is refused', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.cilium({ clusterName: 'Prod', enableDefaultDeny: 'no' as unknown as boolean }) });
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    expect(platform.validateIntent().map((i) => i.field)).toEqual(['backends[0].clusterName', 'backends[0].enableDefaultDeny']);
  });

  test('NodeLocal DNS is refused with the Local Redirect Policy fix, or omitted when declared', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.cilium(), dns: { nodeLocal: '169.254.20.10' } });
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    expect(platform.validateIntent()).toEqual([expect.objectContaining({ path: 'platform', field: 'dns.nodeLocal', fix: expect.stringContaining('Local Redirect Policy') })]);
    const omitting = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.cilium({ omit: [Feature.NODE_LOCAL_DNS] }), dns: { nodeLocal: '169.254.20.10' } });
    new ZeroTrustNamespace(omitting, 'web', { name: 'web' });
    expect(JSON.stringify(omitting.manifests())).not.toContain('169.254.20.10');
  });

  test('labels Cilium leaves out of the identity cannot select pods: refused, never a selector that matches nothing or everything', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.cilium() });
    const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    const a = web.workload('a', { selector: { matchLabels: { app: 'a' }, matchExpressions: [{ key: 'pod-template-hash', operator: SelectorOperator.DOES_NOT_EXIST }] } });
    const b = web.workload('b', { labels: { 'statefulset.kubernetes.io/pod-name': 'b-0' } });
    a.allowTo(b, Port.tcp(80));
    const filter = "whether Cilium keeps it in the pod identity depends on the cluster's label filter";
    const excluded = 'Cilium leaves it out of the pod identity';
    const tail = 'so the selector would match no pod, or every pod';
    expect(platform.validateIntent().map((i) => `[${i.path}] ${i.field}: ${i.message}`).sort()).toEqual([
      `[platform/web/a] allowTo(#1): the label 'pod-template-hash' cannot select pods in Cilium policies: ${excluded}, ${tail}`,
      `[platform/web/a] allowTo(#1): the label 'statefulset.kubernetes.io/pod-name' cannot select pods in Cilium policies: ${filter}, ${tail}`,
      `[platform/web/a] selector: the label 'pod-template-hash' cannot select pods in Cilium policies: ${excluded}, ${tail}`,
      `[platform/web/b] selector: the label 'statefulset.kubernetes.io/pod-name' cannot select pods in Cilium policies: ${filter}, ${tail}`,
    ]);
  });
});

describe('several targets', () => {
  test('one platform writes dist/kubernetes without what it omits and dist/cilium with everything', () => {
    const outdir = tempOutdir();
    const app = new ZeroTrustApp({ outdir, layout: OutputLayout.FOLDER_PER_BACKEND });
    const platform = new ZeroTrustPlatform(app, 'platform', {
      backends: [Backend.kubernetes({ omit: [Feature.FQDN, Feature.DENY] }), Backend.cilium()],
    });
    const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    web.workload('api', { labels: { app: 'api' } }).allowTo(Peer.fqdn('api.github.com'), Port.tcp(443));
    platform.denyEgress('no-metadata', Peer.cidr('169.254.169.254/32'));
    app.synth();
    const files = filesIn(outdir).sort();
    expect(files).toEqual(expect.arrayContaining(['web.k8s.yaml', 'platform.k8s.yaml', 'kustomization.yaml']));
    const read = (file: string) => fs.readFileSync(path.join(outdir, file), 'utf8');
    expect(read('kubernetes/web.k8s.yaml')).not.toContain('api.github.com');
    expect(read('cilium/web.k8s.yaml')).toContain('matchName: api.github.com');
    expect(read('cilium/platform.k8s.yaml')).toContain('kind: CiliumClusterwideNetworkPolicy');
  });
});

describeWithSchemas('Cilium objects match the upstream schema', (validator) => {
  test.each([
    ['every intent', () => everyIntent()],
    ['every intent, with options', () => everyIntent({ clusterName: 'prod', enableDefaultDeny: false })],
  ])('%s', (_name, build) => {
    const manifests = build().manifests();
    expect(manifests.flatMap((m) => validator.validate(m))).toEqual([]);
  });

  test('the validator does reject a malformed CiliumNetworkPolicy (the check is live)', () => {
    const [policy] = everyIntent().manifests().filter((m) => m.kind === 'CiliumNetworkPolicy');
    expect(validator.validate({ ...policy, spec: { endpointSelector: {}, ingres: [] } })).not.toEqual([]);
  });
});
