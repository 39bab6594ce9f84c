/** Declarations that would otherwise let the output allow more than declared, or silently less. */
import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { expectAccepted, expectRejected, newTestApp, policy, removeTempDirs } from './support';
import { ExternalNamespace, Peer, Port, SelectorOperator, TenantBoundary, ZeroTrustNamespace } from '../../src';

afterEach(removeTempDirs);

describe('overlapping workload selectors', () => {
  test('a selector that covers another workload of the namespace is rejected', () => {
    const t = newTestApp();
    const ns = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    ns.workload('frontend', { labels: { app: 'web' } });
    ns.workload('admin', { labels: { app: 'web', role: 'admin' } });
    expectRejected(t, {
      path: 'platform/web/frontend',
      field: 'selector',
      message: "also selects every pod of workload 'admin' (app=web,role=admin), so those pods would receive 'frontend''s flows too",
      fix: 'make the selectors disjoint',
    });
  });

  test('identical selectors are rejected on both workloads', () => {
    const t = newTestApp();
    const ns = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    ns.workload('a', { labels: { app: 'x' } });
    ns.workload('b', { labels: { app: 'x' } });
    expectRejected(t, { path: 'platform/web/a', field: 'selector', message: "workload 'b'", fix: '' }, { path: 'platform/web/b', field: 'selector', message: "workload 'a'", fix: '' });
  });

  test('expressions implied by the other selector count as covering', () => {
    const t = newTestApp();
    const ns = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    ns.workload('any-web', { selector: { matchExpressions: [{ key: 'app', operator: SelectorOperator.IN, values: ['web', 'api'] }] } });
    ns.workload('api', { labels: { app: 'api' } });
    expectRejected(t, { path: 'platform/web/any-web', field: 'selector', message: "workload 'api'", fix: '' });
  });

  test('disjoint selectors, and equal selectors in different namespaces, are fine', () => {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    web.workload('frontend', { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'role', operator: SelectorOperator.NOT_IN, values: ['admin'] }] } });
    web.workload('admin', { labels: { app: 'web', role: 'admin' } });
    new ZeroTrustNamespace(t.platform, 'other', { name: 'other' }).workload('frontend', { labels: { app: 'web' } });
    expectAccepted(t);
  });
});

describe('clusterNetworks', () => {
  test('every CIDR peer that contains a cluster network excepts it', () => {
    const t = newTestApp({ clusterNetworks: ['10.244.0.0/16', '10.96.0.0/12', 'fd00:10::/56'] });
    const a = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('a', { labels: { app: 'a' } });
    a.allowTo(Peer.anyIpv4(), Port.tcp(443));
    a.allowTo(Peer.cidr('10.0.0.0/8', { except: ['10.96.0.0/11'] }), Port.tcp(8443));
    a.allowTo(Peer.anyIpv6(), Port.tcp(443));
    a.allowTo(Peer.cidr('203.0.113.0/24'), Port.tcp(80));
    expect(policy(t.platform, 'web', 'a-egress').spec.egress!.map((r) => r.to[0].ipBlock)).toEqual([
      { cidr: '0.0.0.0/0', except: ['10.244.0.0/16', '10.96.0.0/12'] },
      // 10.96.0.0/12 is already inside the declared except 10.96.0.0/11.
      { cidr: '10.0.0.0/8', except: ['10.244.0.0/16', '10.96.0.0/11'] },
      { cidr: '203.0.113.0/24' },
      { cidr: '::/0', except: ['fd00:10::/56'] },
    ]);
  });

  test('a CIDR peer inside a cluster network is rejected', () => {
    const t = newTestApp({ clusterNetworks: ['10.244.0.0/16'] });
    const a = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('a', { labels: { app: 'a' } });
    a.allowTo(Peer.cidr('10.244.3.0/24'), Port.tcp(443));
    expectRejected(t, {
      path: 'platform/web/a',
      field: 'allowTo(#1).peer.cidr',
      message: "'10.244.3.0/24' lies inside the cluster network 10.244.0.0/16, so it addresses pods and services by IP",
      fix: 'select pods with a workload, a namespace or Peer.pods()',
    });
  });

  test('invalid cluster networks are reported on the platform', () => {
    const t = newTestApp({ clusterNetworks: ['10.244.0.0', '10.244.0.1/16'] });
    expectRejected(
      t,
      { path: 'platform', field: 'clusterNetworks[0]', message: "'10.244.0.0' is not a CIDR", fix: '' },
      { path: 'platform', field: 'clusterNetworks[1]', message: 'host bits set', fix: '10.244.0.0/16' },
    );
  });
});

describe('flows that could never work, or would break the cluster', () => {
  test('a named port toward a CIDR is rejected (names resolve on the destination pod)', () => {
    const t = newTestApp();
    const a = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('a', { labels: { app: 'a' } });
    a.allowTo(Peer.cidr('203.0.113.0/24'), Port.tcp(80), Port.named('https'));
    expectRejected(t, { path: 'platform/web/a', field: 'allowTo(#1).ports[1]', message: "named port 'https' cannot be resolved for a CIDR destination", fix: 'Port.tcp(443)' });
  });

  test('a named port from a CIDR is fine (it resolves on our pod)', () => {
    const t = newTestApp();
    const a = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('a', { labels: { app: 'a' } });
    a.allowFrom(Peer.cidr('203.0.113.0/24'), Port.named('https'));
    expectAccepted(t);
  });

  test('managing the DNS namespace is rejected', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'kube-system', { name: 'kube-system' });
    expectRejected(t, { path: 'platform/kube-system', field: 'name', message: "namespace 'kube-system' holds the platform DNS", fix: 'leave the DNS namespace unmanaged' });
  });

  test('a Kubernetes object created inside the platform is reported, not silently dropped', () => {
    const t = newTestApp();
    const ns = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    new ApiObject(ns, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'web' } });
    expectRejected(t, { path: 'platform/web/config', field: 'scope', message: 'the ConfigMap created inside the ZeroTrustPlatform would not be written', fix: "new Chart(app, 'workloads')" });
  });

  test('a cdk8s-plus Deployment in a chart of its own is adopted and written', () => {
    const t = newTestApp();
    const ns = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    const workloads = new Chart(t.app, 'workloads');
    const deployment = new kplus.Deployment(workloads, 'api', { metadata: { namespace: 'web' }, containers: [{ image: 'api', portNumber: 8080 }] });
    ns.adopt(deployment).allowFrom(ns.workload('fe', { labels: { app: 'fe' } }), Port.tcp(8080));
    const files = t.app.synthFiles().map((f) => f.fileName);
    expect(files).toEqual(expect.arrayContaining(['workloads.k8s.yaml', 'web.k8s.yaml', 'platform.k8s.yaml']));
  });

  test('values that are not Ports or peers fail at once with path, field and fix (JavaScript callers)', () => {
    const t = newTestApp();
    const a = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('a', { labels: { app: 'a' } });
    const untyped = a as unknown as { allowTo(peer: unknown, ...ports: unknown[]): void };
    expect(() => untyped.allowTo(Peer.cidr('203.0.113.0/24'), 443)).toThrow(
      '[platform/web/a] allowTo(#1).ports[0]: 443 is not a Port. Fix: use a Port value, e.g. Port.tcp(443)',
    );
    expect(() => untyped.allowTo('db', Port.tcp(5432))).toThrow('[platform/web/a] allowTo(#1).peer: db is not a peer. Fix: pass a Workload');
  });
});

describe('Peer.pods with labels and selector', () => {
  test('a key in both with different values selects nothing, instead of taking one value', () => {
    const t = newTestApp();
    new ExternalNamespace(t.platform, 'ext');
    const a = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('a', { labels: { app: 'a' } });
    a.allowFrom(Peer.pods({ namespace: 'ext', labels: { app: 'b' }, selector: { matchLabels: { app: 'a' } } }), Port.tcp(80));
    const peer = policy(t.platform, 'web', 'a-ingress').spec.ingress![0].from[0];
    expect(peer.podSelector).toEqual({ matchLabels: { app: 'a' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['b'] }] });
  });
});

describe('cross-tenant flows through tenant peers', () => {
  test('a tenant as a peer of another tenant is a cross-tenant flow', () => {
    const t = newTestApp();
    const alpha = new TenantBoundary(t.platform, 'alpha', { namespaces: ['alpha-web'] });
    const beta = new TenantBoundary(t.platform, 'beta', { namespaces: ['beta-web'] });
    alpha.namespace('alpha-web').workload('a', { labels: { app: 'a' } }).allowTo(beta, Port.tcp(80));
    expectRejected(t, { path: 'platform/alpha/alpha-web/a', field: 'allowTo(#1)', message: 'crosses tenants', fix: '' });
  });
});
