/**
 * Declarations that used to slip through validation and let the output allow more than declared:
 * selectors that capture another workload's pods through NotIn/DoesNotExist, IPv4-mapped IPv6 peers,
 * a tenant of another platform standing in for one of ours, and validation results that went stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Names } from 'cdk8s';
import { Construct } from 'constructs';
import { catchError, expectAccepted, expectRejected, filesIn, newTestApp, policy, removeTempDirs, tempOutdir } from './support';
import { Backend, Peer, Port, SelectorOperator, TenantBoundary, ZeroTrustNamespace, ZeroTrustPlatform, ZeroTrustValidationError } from '../../src';

afterEach(removeTempDirs);

describe('selectors that capture the pods another workload declares', () => {
  test('NotIn on a key the other workload does not name captures its pods', () => {
    const t = newTestApp();
    const ns = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    ns.workload('not-canary', { selector: { matchExpressions: [{ key: 'track', operator: SelectorOperator.NOT_IN, values: ['canary'] }] } });
    ns.workload('db', { labels: { app: 'db' } });
    expectRejected(t, {
      path: 'platform/web/not-canary',
      field: 'selector',
      message: "also selects the pods of workload 'db' that carry only the labels its selector names",
      fix: "an expression that excludes 'db''s pods",
    });
  });

  test('DoesNotExist on a key the other workload does not name captures its pods', () => {
    const t = newTestApp();
    const ns = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    ns.workload('untiered', { selector: { matchExpressions: [{ key: 'tier', operator: SelectorOperator.DOES_NOT_EXIST }] } });
    ns.workload('api', { labels: { app: 'api' } });
    expectRejected(t, { path: 'platform/web/untiered', field: 'selector', message: "workload 'api' that carry only the labels", fix: '' });
  });

  test('NotIn that excludes the other workload\'s own value does not capture it', () => {
    const t = newTestApp();
    const ns = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    ns.workload('not-db', { selector: { matchExpressions: [{ key: 'app', operator: SelectorOperator.NOT_IN, values: ['db'] }] } });
    ns.workload('db', { labels: { app: 'db' } });
    expectAccepted(t);
  });
});

describe('IPv4-mapped IPv6 peers are IPv4 networks to the CNI', () => {
  test('a mapped peer inside an IPv4 cluster network is refused', () => {
    const t = newTestApp({ clusterNetworks: ['10.0.0.0/8'] });
    const a = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('a', { labels: { app: 'a' } });
    a.allowTo(Peer.cidr('::ffff:a00:0/104'), Port.tcp(443));
    expectRejected(t, {
      path: 'platform/web/a',
      field: 'allowTo(#1).peer.cidr',
      message: "'::ffff:a00:0/104' lies inside the cluster network 10.0.0.0/8 (it is the IPv4-mapped form of 10.0.0.0/8)",
      fix: 'select pods with a workload',
    });
  });

  test('a mapped peer containing an IPv4 cluster network excepts it in mapped form', () => {
    const t = newTestApp({ clusterNetworks: ['10.0.0.0/8', 'fd00:10::/56'] });
    const a = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('a', { labels: { app: 'a' } });
    a.allowTo(Peer.cidr('::ffff:0:0/96'), Port.tcp(443));
    expect(policy(t.platform, 'web', 'a-egress').spec.egress!.map((r) => r.to[0].ipBlock)).toEqual([
      { cidr: '::ffff:0:0/96', except: ['::ffff:a00:0/104'] },
    ]);
  });

  test('an IPv6 peer that is not mapped ignores IPv4 cluster networks', () => {
    const t = newTestApp({ clusterNetworks: ['10.0.0.0/8'] });
    const a = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('a', { labels: { app: 'a' } });
    a.allowTo(Peer.cidr('2001:db8::/32'), Port.tcp(443));
    expect(policy(t.platform, 'web', 'a-egress').spec.egress![0].to[0].ipBlock).toEqual({ cidr: '2001:db8::/32' });
  });
});

describe('tenants are identified by construct, not by name', () => {
  test("another platform's tenant of the same name does not allow a cross-tenant flow", () => {
    const t = newTestApp();
    const alpha = new TenantBoundary(t.platform, 'alpha', { namespaces: ['alpha-web'] });
    const beta = new TenantBoundary(t.platform, 'beta', { namespaces: ['beta-web'] });
    const otherPlatform = new ZeroTrustPlatform(new App({ outdir: tempOutdir() }), 'other', { backends: [Backend.KUBERNETES] });
    const impostor = new TenantBoundary(otherPlatform, 'beta', { namespaces: ['beta-x'] });
    alpha.allowCrossTenant({ to: impostor });
    const db = beta.namespace('beta-web').workload('db', { labels: { app: 'db' } });
    alpha.namespace('alpha-web').workload('a', { labels: { app: 'a' } }).allowTo(db, Port.tcp(5432));
    const issues = t.platform.validateIntent();
    expect(issues).toEqual(expect.arrayContaining([
      expect.objectContaining({
        path: 'platform/alpha',
        field: 'allowCrossTenant.to',
        message: "tenant 'beta' is not declared on this platform (it is other/beta)",
      }),
      expect.objectContaining({ path: 'platform/alpha/alpha-web/a', message: expect.stringContaining('crosses tenants') }),
    ]));
    expect(catchError(() => t.app.synth())).toBeInstanceOf(ZeroTrustValidationError);
    expect(filesIn(t.outdir)).toEqual([]);
  });

  test('the same flow is accepted when the tenant of this platform is allowed', () => {
    const t = newTestApp();
    const alpha = new TenantBoundary(t.platform, 'alpha', { namespaces: ['alpha-web'] });
    const beta = new TenantBoundary(t.platform, 'beta', { namespaces: ['beta-web'] });
    alpha.allowCrossTenant({ to: beta });
    const db = beta.namespace('beta-web').workload('db', { labels: { app: 'db' } });
    alpha.namespace('alpha-web').workload('a', { labels: { app: 'a' } }).allowTo(db, Port.tcp(5432));
    expectAccepted(t);
  });
});

describe('validation never goes stale', () => {
  test('a flow added after an early validateIntent() is in the output', () => {
    const t = newTestApp();
    const ns = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    const a = ns.workload('a', { labels: { app: 'a' } });
    const b = ns.workload('b', { labels: { app: 'b' } });
    expect(t.platform.validateIntent()).toEqual([]);
    expect(t.platform.manifests().some((m) => m.metadata.name === 'b-ingress')).toBe(false);
    a.allowTo(b, Port.tcp(8080));
    t.app.synth();
    const written = fs.readFileSync(path.join(t.outdir, 'web.k8s.yaml'), 'utf8');
    expect(written).toContain('name: b-ingress');
    expect(written).toContain('port: 8080');
  });

  test('an object added inside the platform after an early validateIntent() still fails synthesis', () => {
    const t = newTestApp();
    const ns = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    expect(t.platform.validateIntent()).toEqual([]);
    new ApiObject(ns, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'web' } });
    expectRejected(t, { path: 'platform/web/config', field: 'scope', message: 'would not be written', fix: '' });
  });

  test("a user chart whose file name collides with a platform chart's file fails loudly in a plain App", () => {
    const outdir = tempOutdir();
    const app = new App({ outdir });
    // A chart below the root is written to `<path>-<hash>.k8s.yaml`; a root chart with that very id collides.
    const holder = new Construct(app, 'nested');
    const platform = new ZeroTrustPlatform(holder, 'platform', { backends: [Backend.KUBERNETES] });
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    const clash = new Chart(app, Names.toDnsLabel(platform));
    new ApiObject(clash, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    const issues = platform.validateIntent();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: clash.node.path, field: 'id' });
    expect(issues[0].message).toContain(`would both be written to ${Names.toDnsLabel(platform)}.k8s.yaml`);
    // A plain App reports the platform's validation through cdk8s' own validation error.
    expect(() => app.synth()).toThrow(/would both be written/);
    expect(filesIn(outdir)).toEqual([]);
  });

  test('distinct chart files in a plain App are accepted', () => {
    const outdir = tempOutdir();
    const app = new App({ outdir });
    const platform = new ZeroTrustPlatform(new Construct(app, 'nested'), 'platform', { backends: [Backend.KUBERNETES] });
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    new Chart(app, 'platform');
    expect(platform.validateIntent()).toEqual([]);
  });
});
