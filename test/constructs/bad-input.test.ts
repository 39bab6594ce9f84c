/**
 * One test per bad input: the error names the construct path, the field and the fix, every issue
 * is reported at once, and nothing is written.
 */
import * as fs from 'fs';
import { App, Chart, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  catchError,
  expectAccepted,
  expectRejected,
  filesIn,
  networkPolicies,
  newTestApp,
  policy,
  removeTempDirs,
  TestApp,
  tempOutdir,
} from './support';
import {
  Backend,
  ExternalNamespace,
  formatIssue,
  Peer,
  Port,
  SelectorOperator,
  TenantBoundary,
  Workload,
  ZeroTrustApp,
  ZeroTrustNamespace,
  ZeroTrustPlatform,
  ZeroTrustValidationError,
} from '../../src';

afterAll(removeTempDirs);

/** A test app with namespace `web` holding workloads `a` (app=a) and `b` (app=b). */
function webApp(): TestApp & { web: ZeroTrustNamespace; a: Workload; b: Workload } {
  const t = newTestApp();
  const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
  const a = web.workload('a', { labels: { app: 'a' } });
  const b = web.workload('b', { labels: { app: 'b' } });
  return { ...t, web, a, b };
}

const LABEL_KEY_FIX = 'use a valid label key such as "app" or "app.kubernetes.io/name"';
const LABEL_VALUE_FIX = 'use at most 63 alphanumerics, "-", "_" or "."';

describe('invalid labels', () => {
  test('workload label key with a blank', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('frontend', { labels: { 'bad key': 'x' } });
    expectRejected(t, {
      path: 'platform/web/frontend',
      field: 'labels.matchLabels["bad key"]',
      message: "label key 'bad key' is invalid",
      fix: LABEL_KEY_FIX,
    });
  });

  test('workload label key with an invalid prefix', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('frontend', { labels: { 'Example.com/app': 'x' } });
    expectRejected(t, {
      path: 'platform/web/frontend',
      field: 'labels.matchLabels["Example.com/app"]',
      message: "label key prefix of 'Example.com/app' is invalid",
      fix: LABEL_KEY_FIX,
    });
  });

  test('workload label key name longer than 63 characters', () => {
    const t = newTestApp();
    const key = `example.com/${'k'.repeat(64)}`;
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('frontend', { labels: { [key]: 'x' } });
    expectRejected(t, { path: 'platform/web/frontend', field: `labels.matchLabels["${key}"]`, message: 'is 64 characters long; at most 63', fix: LABEL_KEY_FIX });
  });

  test('workload label value with an invalid character', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('frontend', { labels: { app: 'front end' } });
    expectRejected(t, { path: 'platform/web/frontend', field: 'labels.matchLabels["app"]', message: "label value 'front end' is invalid", fix: LABEL_VALUE_FIX });
  });

  test('workload label value longer than 63 characters', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('frontend', { labels: { app: 'v'.repeat(64) } });
    expectRejected(t, { path: 'platform/web/frontend', field: 'labels.matchLabels["app"]', message: '64 characters long; at most 63 are allowed', fix: LABEL_VALUE_FIX });
  });

  test('workload selector expression: In without values', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('frontend', {
      selector: { matchLabels: { app: 'f' }, matchExpressions: [{ key: 'tier', operator: SelectorOperator.IN }] },
    });
    expectRejected(t, {
      path: 'platform/web/frontend',
      field: 'selector.matchExpressions[0].values',
      message: 'operator In needs at least one value',
      fix: 'list the values, or use Exists to test only for the key',
    });
  });

  test('workload selector expression: Exists with values', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('frontend', {
      selector: { matchExpressions: [{ key: 'tier', operator: SelectorOperator.EXISTS, values: ['x'] }] },
    });
    expectRejected(t, {
      path: 'platform/web/frontend',
      field: 'selector.matchExpressions[0].values',
      message: 'operator Exists takes no values',
      fix: 'remove the values',
    });
  });

  test('workload selector expression: unknown operator', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('frontend', {
      selector: { matchExpressions: [{ key: 'tier', operator: 'Equals' as SelectorOperator, values: ['x'] }] },
    });
    expectRejected(t, {
      path: 'platform/web/frontend',
      field: 'selector.matchExpressions[0].operator',
      message: "operator 'Equals' is not one of In, NotIn, Exists, DoesNotExist",
      fix: 'use SelectorOperator.IN, NOT_IN, EXISTS or DOES_NOT_EXIST',
    });
  });

  test('workload selector expression: invalid key and invalid value', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('frontend', {
      selector: { matchExpressions: [{ key: 'a/b/c', operator: SelectorOperator.NOT_IN, values: ['ok', '-bad'] }] },
    });
    expectRejected(
      t,
      { path: 'platform/web/frontend', field: 'selector.matchExpressions[0].key', message: "label key 'a/b/c' has more than one '/'", fix: LABEL_KEY_FIX },
      { path: 'platform/web/frontend', field: 'selector.matchExpressions[0].values[1]', message: "label value '-bad' is invalid", fix: 'use a valid label value' },
    );
  });

  test('Peer.pods selector expression with an invalid value', () => {
    const t = webApp();
    new ExternalNamespace(t.platform, 'ingress-nginx');
    t.a.allowFrom(
      Peer.pods({ namespace: 'ingress-nginx', selector: { matchExpressions: [{ key: 'app', operator: SelectorOperator.IN, values: ['nginx!'] }] } }),
      Port.tcp(80),
    );
    expectRejected(t, {
      path: 'platform/web/a',
      field: 'allowFrom(#1).peer.selector.matchExpressions[0].values[0]',
      message: "label value 'nginx!' is invalid",
      fix: 'use a valid label value',
    });
  });

  test('namespace label key', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web', labels: { 'team name': 'shop' } });
    expectRejected(t, { path: 'platform/web', field: 'labels["team name"]', message: "label key 'team name' is invalid", fix: LABEL_KEY_FIX });
  });

  test('namespace label value', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web', labels: { team: 'shop/eu' } });
    expectRejected(t, { path: 'platform/web', field: 'labels["team"]', message: "label value 'shop/eu' is invalid", fix: LABEL_VALUE_FIX });
  });

  test('reserved namespace label: the tenant label', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web', labels: { 'zero-trust.cdk8s.io/tenant': 'alpha' } });
    expectRejected(t, {
      path: 'platform/web',
      field: 'labels["zero-trust.cdk8s.io/tenant"]',
      message: "label 'zero-trust.cdk8s.io/tenant' is set by the platform or the API server",
      fix: 'add the namespace to a TenantBoundary instead',
    });
  });

  test.each(['app.kubernetes.io/managed-by', 'kubernetes.io/metadata.name'])('reserved namespace label: %s', (key) => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web', labels: { [key]: 'other' } });
    expectRejected(t, { path: 'platform/web', field: `labels["${key}"]`, message: `label '${key}' is set by the platform or the API server`, fix: 'remove this label' });
  });
});

describe('namespace names', () => {
  test.each(['Web', 'web_1', 'web.prod', '-web', 'web-', 'n'.repeat(64)])('%j is not a DNS-1123 label', (name) => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'ns', { name });
    expectRejected(t, {
      path: 'platform/ns',
      field: 'name',
      message: name.length > 63 ? `namespace name '${name}' is 64 characters long` : `namespace name '${name}' is not a DNS-1123 label`,
      fix: 'use a lowercase DNS-1123 label such as "alpha-web"',
    });
  });

  // Regression test (a fixed bug, once in src/constructs/platform.ts:113): _registerNamespace creates the namespace chart with the namespace
  // name as construct id, so an empty name throws the constructs error "Only root constructs may have an empty
  // ID" from the ZeroTrustNamespace constructor instead of a ValidationIssue naming path, field and fix.
  test('the empty name is reported, not thrown by the constructs library', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'ns', { name: '' });
    expectRejected(t, { path: 'platform/ns', field: 'name', message: 'namespace name must not be empty', fix: 'DNS-1123 label' });
  });

  test('an external namespace name', () => {
    const t = newTestApp();
    new ExternalNamespace(t.platform, 'ext', { name: 'Ingress_Nginx' });
    expectRejected(t, { path: 'platform/ext', field: 'name', message: "namespace name 'Ingress_Nginx' is not a DNS-1123 label", fix: 'use the exact name of the existing namespace' });
  });

  test('an external namespace that the platform manages', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    new ExternalNamespace(t.platform, 'ext', { name: 'web' });
    expectRejected(t, {
      path: 'platform/ext',
      field: 'name',
      message: "namespace 'web' is managed by platform/web; it cannot also be external",
      fix: 'remove the ExternalNamespace and use the ZeroTrustNamespace',
    });
  });

  test('a tenant name that is not a DNS-1123 label', () => {
    const t = newTestApp();
    new TenantBoundary(t.platform, 'alpha', { name: 'Alpha', namespaces: ['alpha-web'] });
    expectRejected(t, { path: 'platform/alpha', field: 'name', message: "tenant name 'Alpha' is not a DNS-1123 label", fix: 'use a lowercase DNS-1123 label such as "alpha"' });
  });
});

describe('ports', () => {
  test('port 0 points to Port.all()', () => {
    const t = webApp();
    t.a.allowTo(t.b, Port.tcp(0));
    expectRejected(t, {
      path: 'platform/web/a',
      field: 'allowTo(#1).ports[0]',
      message: 'port 0 is outside 1-65535',
      fix: 'use Port.all() or Port.allTcp() for every port; 0 is not a port',
    });
  });

  test('port 65536', () => {
    const t = webApp();
    t.a.allowTo(t.b, Port.tcp(80), Port.udp(65536));
    expectRejected(t, { path: 'platform/web/a', field: 'allowTo(#1).ports[1]', message: 'port 65536 is outside 1-65535', fix: 'use a port number from 1 to 65535' });
  });

  test('a non-integer port', () => {
    const t = webApp();
    t.b.allowFrom(t.a, Port.sctp(80.5));
    expectRejected(t, { path: 'platform/web/b', field: 'allowFrom(#1).ports[0]', message: 'port 80.5 is not a whole number', fix: 'use a whole port number from 1 to 65535' });
  });

  test('a range end outside 1-65535', () => {
    const t = webApp();
    t.a.allowTo(t.b, Port.tcpRange(0, 100));
    expectRejected(t, { path: 'platform/web/a', field: 'allowTo(#1).ports[0]', message: 'range start 0 is outside 1-65535', fix: 'use port numbers from 1 to 65535' });
  });

  test('an inverted range', () => {
    const t = webApp();
    t.a.allowTo(t.b, Port.tcpRange(9000, 8000));
    expectRejected(t, { path: 'platform/web/a', field: 'allowTo(#1).ports[0]', message: 'range 9000-8000 is inverted', fix: 'write the lower port first: tcpRange(8000, 9000)' });
  });

  test.each([
    ['HTTP', "port name 'HTTP' may contain only lowercase letters, digits and '-'"],
    ['http_alt', "port name 'http_alt' may contain only lowercase letters, digits and '-'"],
    ['metrics-endpoint', "port name 'metrics-endpoint' must be 1 to 15 characters long"],
    ['8080', "port name '8080' must contain at least one letter"],
    ['-http', "port name '-http' must not start or end with '-'"],
    ['http--alt', "port name 'http--alt' must not contain '--'"],
  ])('named port %j', (name, message) => {
    const t = webApp();
    t.a.allowTo(t.b, Port.named(name));
    expectRejected(t, { path: 'platform/web/a', field: 'allowTo(#1).ports[0]', message, fix: 'IANA service name syntax' });
  });

  test('the field counts flows per workload: the second flow is #2', () => {
    const t = webApp();
    t.a.allowTo(t.b, Port.tcp(80));
    t.a.allowTo(t.b, Port.tcp(70000));
    expectRejected(t, { path: 'platform/web/a', field: 'allowTo(#2).ports[0]', message: 'port 70000', fix: 'from 1 to 65535' });
  });

  test('a flow with no ports', () => {
    const t = webApp();
    t.a.allowTo(t.b);
    expectRejected(t, {
      path: 'platform/web/a',
      field: 'allowTo(#1).ports',
      message: 'no ports given',
      fix: 'list the ports, e.g. Port.tcp(8080); write Port.all() to allow every port explicitly',
    });
  });

  test('DNS ports of the platform', () => {
    const t = newTestApp({ dns: { ports: [Port.udp(0)] } });
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    expectRejected(t, { path: 'platform', field: 'dns.ports[0]', message: 'port 0 is outside 1-65535', fix: 'Port.all()' });
  });
});

describe('CIDRs', () => {
  test.each(['10.0.0.0', '300.0.0.0/8', '10.0.0.0/33', '010.0.0.0/8', 'fe80::1::/64', '::/129', 'example.com/32', ''])('%j is not a CIDR', (cidr) => {
    const t = webApp();
    t.a.allowTo(Peer.cidr(cidr), Port.tcp(443));
    expectRejected(t, {
      path: 'platform/web/a',
      field: 'allowTo(#1).peer.cidr',
      message: `'${cidr}' is not a CIDR`,
      fix: 'write an IPv4 or IPv6 network with a prefix length, e.g. 203.0.113.0/24 or 203.0.113.7/32',
    });
  });

  // Regression test (a fixed bug, once in src/model/cidr.ts:30): parseIpv6 builds Array(8 - head - tail) before checking the group count; with
  // more than 8 groups around "::" the length is negative and RangeError('Invalid array length') escapes from
  // platform.manifests() / app.synth() instead of a ZeroTrustValidationError naming the flow.
  test('an IPv6 address with too many groups around "::" is reported, not thrown', () => {
    const t = webApp();
    t.a.allowTo(Peer.cidr('1:2:3:4:5:6:7:8:9::/64'), Port.tcp(443));
    expectRejected(t, { path: 'platform/web/a', field: 'allowTo(#1).peer.cidr', message: "'1:2:3:4:5:6:7:8:9::/64' is not a CIDR", fix: 'IPv4 or IPv6' });
  });

  test.each([
    ['10.0.0.1/8', '10.0.0.0/8'],
    ['203.0.113.7/24', '203.0.113.0/24'],
    ['2001:db8::1/32', '2001:db8::/32'],
  ])('%j has host bits; the fix gives %j', (cidr, network) => {
    const t = webApp();
    t.a.allowTo(Peer.cidr(cidr), Port.tcp(443));
    expectRejected(t, {
      path: 'platform/web/a',
      field: 'allowTo(#1).peer.cidr',
      message: `'${cidr}' has host bits set beyond the /${cidr.split('/')[1]} prefix`,
      fix: `write the network address: ${network}`,
    });
  });

  test.each([
    ['outside', '11.0.0.0/16'],
    ['equal prefix', '10.0.0.0/8'],
    ['wider', '10.0.0.0/7'],
    ['other family', '::/64'],
  ])('an except %s the cidr (%s)', (_what, except) => {
    const t = webApp();
    t.a.allowTo(Peer.cidr('10.0.0.0/8', { except: ['10.1.0.0/16', except] }), Port.tcp(443));
    expectRejected(t, {
      path: 'platform/web/a',
      field: 'allowTo(#1).peer.except[1]',
      message: `'${except}' is not strictly inside '10.0.0.0/8'`,
      fix: 'an except must be a smaller network of the same address family inside the cidr; remove it or fix the cidr',
    });
  });

  test('an except that is not a CIDR, and one with host bits', () => {
    const t = webApp();
    t.a.allowFrom(Peer.anyIpv4({ except: ['10.0.0.0', '10.0.0.1/8'] }), Port.tcp(443));
    expectRejected(
      t,
      { path: 'platform/web/a', field: 'allowFrom(#1).peer.except[0]', message: "'10.0.0.0' is not a CIDR", fix: 'write a network with a prefix length inside the cidr' },
      { path: 'platform/web/a', field: 'allowFrom(#1).peer.except[1]', message: "'10.0.0.1/8' has host bits set beyond the /8 prefix", fix: 'write the network address: 10.0.0.0/8' },
    );
  });
});

describe('tenants', () => {
  test('a namespace claimed by two tenants', () => {
    const t = newTestApp();
    new TenantBoundary(t.platform, 'alpha', { namespaces: ['shared'] });
    new TenantBoundary(t.platform, 'beta', { namespaces: ['beta-web', 'shared'] });
    expectRejected(t, {
      path: 'platform/beta',
      field: 'namespaces[1]',
      message: "namespace 'shared' is already claimed by tenant 'alpha' (platform/alpha)",
      fix: 'a namespace belongs to one tenant; remove it from one of the two TenantBoundary declarations',
    });
  });

  test('two tenants with the same name', () => {
    const t = newTestApp();
    new TenantBoundary(t.platform, 'alpha', { namespaces: ['a1'] });
    new TenantBoundary(t.platform, 'alpha2', { name: 'alpha', namespaces: ['a2'] });
    expectRejected(t, { path: 'platform/alpha2', field: 'name', message: "tenant 'alpha' is already declared by platform/alpha", fix: 'give each TenantBoundary a distinct name' });
  });

  test('a tenant without namespaces', () => {
    const t = newTestApp();
    new TenantBoundary(t.platform, 'alpha', { namespaces: [] });
    expectRejected(t, { path: 'platform/alpha', field: 'namespaces', message: 'a tenant needs at least one namespace', fix: "list the tenant's namespaces" });
  });

  function twoTenants() {
    const t = newTestApp();
    const alpha = new TenantBoundary(t.platform, 'alpha', { namespaces: ['alpha-web'] });
    const beta = new TenantBoundary(t.platform, 'beta', { namespaces: ['beta-web'] });
    const a = alpha.namespace('alpha-web').workload('frontend', { labels: { app: 'frontend' } });
    const b = beta.namespace('beta-web').workload('api', { labels: { app: 'api' } });
    return { ...t, alpha, beta, a, b };
  }

  test('an undeclared cross-tenant flow', () => {
    const t = twoTenants();
    t.a.allowTo(t.b, Port.tcp(8080));
    expectRejected(t, {
      path: 'platform/alpha/alpha-web/frontend',
      field: 'allowTo(#1)',
      message: "the flow from alpha-web/frontend (tenant 'alpha') to beta-web/api (tenant 'beta') crosses tenants (ports 8080/TCP)",
      fix: "if it is intended, allow it on the tenant: allowCrossTenant({ to: <the 'beta' TenantBoundary> }) on platform/alpha, or mark this one flow with .acrossTenants()",
    });
  });

  test('an undeclared cross-tenant flow declared from the destination side', () => {
    const t = twoTenants();
    t.b.allowFrom(t.a, Port.tcp(8080));
    expectRejected(t, { path: 'platform/beta/beta-web/api', field: 'allowFrom(#1)', message: "(tenant 'alpha') to beta-web/api (tenant 'beta') crosses tenants", fix: '.acrossTenants()' });
  });

  test('a flow to a whole other tenant is reported for each of its namespaces', () => {
    const t = newTestApp();
    const alpha = new TenantBoundary(t.platform, 'alpha', { namespaces: ['alpha-web'] });
    const beta = new TenantBoundary(t.platform, 'beta', { namespaces: ['beta-web', 'beta-data'] });
    alpha.namespace('alpha-web').workload('frontend', { labels: { app: 'frontend' } }).allowTo(beta, Port.tcp(80));
    expectRejected(
      t,
      { path: 'platform/alpha/alpha-web/frontend', field: 'allowTo(#1)', message: 'to every pod of beta-data', fix: '.acrossTenants()' },
      { path: 'platform/alpha/alpha-web/frontend', field: 'allowTo(#1)', message: 'to every pod of beta-web', fix: '.acrossTenants()' },
    );
  });

  test('allowCrossTenant({ to }) makes it valid', () => {
    const t = twoTenants();
    t.a.allowTo(t.b, Port.tcp(8080));
    t.alpha.allowCrossTenant({ to: t.beta });
    expectAccepted(t);
    expect(policy(t.platform, 'alpha-web', 'frontend-egress').spec.egress).toHaveLength(1);
    expect(policy(t.platform, 'beta-web', 'api-ingress').spec.ingress).toHaveLength(1);
  });

  test('allowCrossTenant({ from }) makes it valid', () => {
    const t = twoTenants();
    t.a.allowTo(t.b, Port.tcp(8080));
    t.beta.allowCrossTenant({ from: t.alpha });
    expectAccepted(t);
  });

  test('flow.acrossTenants() makes it valid', () => {
    const t = twoTenants();
    const flow = t.a.allowTo(t.b, Port.tcp(8080));
    expect(flow.acrossTenants()).toBe(flow);
    expectAccepted(t);
  });

  test('acrossTenants() on one flow does not allow another cross-tenant flow', () => {
    const t = twoTenants();
    t.a.allowTo(t.b, Port.tcp(8080)).acrossTenants();
    t.a.allowTo(t.b, Port.tcp(9090));
    expectRejected(t, { path: 'platform/alpha/alpha-web/frontend', field: 'allowTo(#2)', message: 'crosses tenants (ports 9090/TCP)', fix: '.acrossTenants()' });
  });

  test.each([
    ['to', (t: ReturnType<typeof twoTenants>) => t.alpha.allowCrossTenant({ to: t.beta })],
    ['from', (t: ReturnType<typeof twoTenants>) => t.beta.allowCrossTenant({ from: t.alpha })],
  ])('allowing alpha→beta (%s) does not allow beta→alpha', (_how, allow) => {
    const t = twoTenants();
    allow(t);
    t.a.allowTo(t.b, Port.tcp(8080));
    t.b.allowTo(t.a, Port.tcp(9090));
    expectRejected(t, {
      path: 'platform/beta/beta-web/api',
      field: 'allowTo(#1)',
      message: "the flow from beta-web/api (tenant 'beta') to alpha-web/frontend (tenant 'alpha') crosses tenants",
      fix: "allowCrossTenant({ to: <the 'alpha' TenantBoundary> }) on platform/beta",
    });
  });

  test('allowCrossTenant with a tenant of another platform', () => {
    const t = twoTenants();
    const other = new ZeroTrustPlatform(t.app, 'other', { backends: [Backend.KUBERNETES] });
    const gamma = new TenantBoundary(other, 'gamma', { namespaces: ['gamma-web'] });
    t.alpha.allowCrossTenant({ to: gamma });
    expectRejected(t, { path: 'platform/alpha', field: 'allowCrossTenant.to', message: "tenant 'gamma' is not declared", fix: 'pass a TenantBoundary of this platform' });
  });
});

describe('peers', () => {
  test('a flow to a namespace that is neither managed nor external', () => {
    const t = webApp();
    t.a.allowTo(Peer.namespace('payments'), Port.tcp(443));
    expectRejected(t, {
      path: 'platform/web/a',
      field: 'allowTo(#1).peer',
      message: "namespace 'payments' is neither managed by this platform nor declared external",
      fix: "new ExternalNamespace(platform, 'payments', { name: 'payments' }) if it is managed elsewhere",
    });
  });

  test('pods of a namespace that is neither managed nor external', () => {
    const t = webApp();
    t.a.allowFrom(Peer.pods({ namespace: 'ingress-nginx', labels: { app: 'nginx' } }), Port.tcp(80));
    expectRejected(t, {
      path: 'platform/web/a',
      field: 'allowFrom(#1).peer',
      message: "namespace 'ingress-nginx' is neither managed by this platform nor declared external",
      fix: "new ZeroTrustNamespace(platform, 'ingress-nginx', { name: 'ingress-nginx' }) to manage it",
    });
  });

  test('Peer.pods in a managed namespace', () => {
    const t = webApp();
    new ZeroTrustNamespace(t.platform, 'data', { name: 'data' });
    t.a.allowTo(Peer.pods({ namespace: 'data', labels: { app: 'db' } }), Port.tcp(5432));
    expectRejected(t, {
      path: 'platform/web/a',
      field: 'allowTo(#1).peer',
      message: "Peer.pods() selects pods of 'data', which this platform manages",
      fix: 'declare those pods as a workload: namespace.workload(id, { labels }) and pass the Workload as the peer',
    });
  });

  test('a tenant of another platform as a peer', () => {
    const t = webApp();
    const other = new ZeroTrustPlatform(t.app, 'other', { backends: [Backend.KUBERNETES] });
    t.a.allowTo(new TenantBoundary(other, 'gamma', { namespaces: ['gamma-web'] }), Port.tcp(80));
    expectRejected(t, { path: 'platform/web/a', field: 'allowTo(#1).peer', message: "tenant 'gamma' is not declared on this platform", fix: 'same ZeroTrustPlatform' });
  });

  // Regression test (a fixed bug, once in src/model/resolve.ts:304): a Workload peer is looked up by namespace/name in this platform only and,
  // when absent, the flow is dropped without an issue ("an invalid workload has its own issue already" does not
  // hold for a workload of another platform). The flow silently produces no policy.
  test('a workload of another platform as a peer is reported', () => {
    const t = webApp();
    const other = new ZeroTrustPlatform(t.app, 'other', { backends: [Backend.KUBERNETES] });
    const remote = new ZeroTrustNamespace(other, 'remote', { name: 'remote' }).workload('api', { labels: { app: 'api' } });
    t.a.allowTo(remote, Port.tcp(80));
    expect(t.platform.validateIntent().map((i) => `${i.path} ${i.field}`)).toEqual(['platform/web/a allowTo(#1).peer']);
  });
});

describe('empty selectors where a specific workload was expected', () => {
  test('a workload with labels: {}', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('frontend', { labels: {} });
    expectRejected(t, {
      path: 'platform/web/frontend',
      field: 'labels',
      message: 'the selector is empty, so it would select every pod of the namespace, not one workload',
      fix: "give the workload's pod labels, e.g. { labels: { app: 'frontend' } }, or use the namespace itself as the peer for all of its pods",
    });
  });

  test('a workload with neither labels nor selector', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('frontend', {});
    expectRejected(t, { path: 'platform/web/frontend', field: 'labels', message: 'the selector is empty', fix: "{ labels: { app: 'frontend' } }" });
  });

  test('a workload with an empty selector', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('frontend', { selector: { matchLabels: {}, matchExpressions: [] } });
    expectRejected(t, { path: 'platform/web/frontend', field: 'selector', message: 'the selector is empty', fix: 'use the namespace itself as the peer' });
  });

  test('Peer.pods with no labels', () => {
    const t = webApp();
    new ExternalNamespace(t.platform, 'ingress-nginx');
    t.a.allowFrom(Peer.pods({ namespace: 'ingress-nginx' }), Port.tcp(80));
    expectRejected(t, {
      path: 'platform/web/a',
      field: 'allowFrom(#1).peer.selector',
      message: "the selector is empty, so it would select every pod of 'ingress-nginx', not specific pods",
      fix: "or write Peer.namespace('ingress-nginx') to allow every pod explicitly",
    });
  });

  test('ExternalNamespace.pods with labels: {}', () => {
    const t = webApp();
    t.a.allowFrom(new ExternalNamespace(t.platform, 'monitoring').pods({ labels: {} }), Port.tcp(9090));
    expectRejected(t, { path: 'platform/web/a', field: 'allowFrom(#1).peer.selector', message: 'the selector is empty', fix: "Peer.namespace('monitoring')" });
  });

  test('a DNS selector with no labels', () => {
    const t = newTestApp({ dns: { labels: {} } });
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    expectRejected(t, { path: 'platform', field: 'dns.selector', message: 'the DNS selector is empty', fix: "{ matchLabels: { 'k8s-app': 'kube-dns' } }" });
  });
});

describe('declarations', () => {
  test('both labels and selector', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('frontend', { labels: { app: 'f' }, selector: { matchLabels: { app: 'f' } } });
    expectRejected(t, {
      path: 'platform/web/frontend',
      field: 'labels',
      message: 'both labels and selector are given',
      fix: 'give one: labels for matchLabels, or selector for a full selector',
    });
  });

  test('a duplicate namespace', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    new ZeroTrustNamespace(t.platform, 'web-again', { name: 'web' });
    expectRejected(t, {
      path: 'platform/web-again',
      field: 'name',
      message: "namespace 'web' is already declared by platform/web",
      fix: 'declare each namespace once and reuse the ZeroTrustNamespace object (or tenant.namespace(name))',
    });
  });

  test('a duplicate workload name', () => {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    web.workload('api', { labels: { app: 'api' } });
    web.workload('api-v2', { name: 'api', labels: { app: 'api-v2' } });
    expectRejected(t, {
      path: 'platform/web/api-v2',
      field: 'name',
      message: "workload 'api' is already declared in namespace 'web' by platform/web/api",
      fix: 'give each workload of a namespace a distinct name',
    });
  });

  test('a workload name that is not a DNS-1123 label, and one too long for its policy names', () => {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    web.workload('Api', { labels: { app: 'api' } });
    web.workload('long', { name: 'w'.repeat(56), labels: { app: 'long' } });
    expectRejected(
      t,
      { path: 'platform/web/Api', field: 'name', message: "workload name 'Api' is not a DNS-1123 label", fix: 'it names the policies (<name>-ingress, <name>-egress)' },
      { path: 'platform/web/long', field: 'name', message: 'is longer than 55 characters', fix: 'policy names append "-ingress"/"-egress"' },
    );
  });

  test('a workload named so that its policy name collides with the namespace\'s own (allow-dns)', () => {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    web.workload('allow-dns', { labels: { app: 'dns-client' } }).allowTo(Peer.cidr('10.0.0.0/8'), Port.tcp(443));
    expectRejected(t, {
      path: 'platform/web/allow-dns',
      field: 'name',
      message: "its NetworkPolicy 'allow-dns-egress' has the same name as another policy of namespace 'web' (platform/web)",
      fix: "rename the workload (the names 'allow-dns' and 'all-pods' are taken by the namespace's own policies)",
    });
  });

  // Regression test (a fixed bug, once in src/backends/kubernetes/network-policy-renderer.ts:43): policy builders are keyed by name only, so a
  // workload named 'all-pods' shares the builder of the namespace-wide 'all-pods-egress' policy. Flows are sorted
  // with `web/*` before `web/workload:all-pods`, so the namespace subject (podSelector {}) wins and the workload's
  // egress to 10.0.0.0/8:443 is granted to EVERY pod of the namespace, with no issue reported.
  test('a workload named all-pods next to a namespace-wide flow: its egress is never granted to every pod', () => {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    web.workload('all-pods', { labels: { app: 'x' } }).allowTo(Peer.cidr('10.0.0.0/8'), Port.tcp(443));
    web.workload('api', { labels: { app: 'api' } }).allowFrom(web, Port.tcp(80));
    // Either fix is fine: report the name clash, or render the workload's own policy.
    if (t.platform.validateIntent().some((i) => i.path === 'platform/web/all-pods' && i.field === 'name')) return;
    const widened = networkPolicies(t.platform.manifests(), 'web').filter(
      (p) => Object.keys(p.spec.podSelector).length === 0 && (p.spec.egress ?? []).some((r) => r.to.some((peer) => peer.ipBlock !== undefined)),
    );
    expect(widened).toEqual([]);
  });

  test('no backends', () => {
    const t = newTestApp({ backends: [] });
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    expectRejected(t, { path: 'platform', field: 'backends', message: 'no backend chosen', fix: 'choose the dialects to emit, e.g. backends: [Backend.KUBERNETES]' });
  });

  test('an adopted cdk8s-plus Deployment in another namespace', () => {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    const deployment = new kplus.Deployment(new Chart(t.app, 'apps', { namespace: 'other' }), 'Api', { containers: [{ image: 'nginx' }] });
    web.adopt(deployment);
    expectRejected(t, {
      path: 'platform/web/api',
      field: 'adopt(apps/Api)',
      message: "the cdk8s-plus workload is in namespace 'other', not 'web'",
      fix: "set metadata: { namespace: 'web' } on it, or adopt it from the ZeroTrustNamespace it runs in",
    });
  });

  test('an adopted cdk8s-plus Deployment with no namespace at all', () => {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    web.adopt(new kplus.Deployment(new Chart(t.app, 'apps'), 'Api', { containers: [{ image: 'nginx' }] }));
    expectRejected(t, { path: 'platform/web/api', field: 'adopt(apps/Api)', message: "in namespace '(none: the cluster default)', not 'web'", fix: "metadata: { namespace: 'web' }" });
  });

  test('an adopted cdk8s-plus Deployment that selects nothing', () => {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    web.adopt(new kplus.Deployment(new Chart(t.app, 'apps', { namespace: 'web' }), 'Api', { select: false, containers: [{ image: 'nginx' }] }));
    expectRejected(t, { path: 'platform/web/api', field: 'adopt(apps/Api).matchLabels', message: 'the selector is empty', fix: "give the workload's pod labels" });
  });

  test('a namespace named like another construct at the app root (its chart would need that id)', () => {
    const t = newTestApp();
    new Construct(t.app, 'assets');
    new ZeroTrustNamespace(t.platform, 'x', { name: 'assets' });
    expectRejected(t, {
      path: 'platform/x',
      field: 'name',
      message: "the app already has a construct 'assets' (assets); a namespace's chart is named after the namespace",
      fix: "rename that construct (its id 'assets' is the namespace's file name)",
    });
  });

  test('(control for the next tests) a namespace with its own name gets its policies written', () => {
    const t = newTestApp();
    new Chart(t.app, 'apps');
    new ZeroTrustNamespace(t.platform, 'ns', { name: 'shop' });
    expectReportedOrWritten(t, [t.platform], 'shop', 'default-deny-all');
    expect(() => expectReportedOrWritten(t, [t.platform], 'shop', 'no-such-policy')).toThrow();
  });

  // Regression test (a fixed bug, once in src/constructs/platform.ts:103): cdk8s' Chart defines `static [Symbol.hasInstance]` (true for any chart),
  // which NamespaceManifestsChart inherits, so `existing instanceof NamespaceManifestsChart` is true for EVERY chart.
  // A namespace named like another chart of the app (the platform chart itself, or a user chart) gets no chart of
  // its own and no issue: its NetworkPolicies, default-deny-all included, are silently missing from the files.
  test('a namespace named like the platform chart is reported, or its policies are written', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'ns', { name: 'platform' });
    expectReportedOrWritten(t, [t.platform], 'platform', 'default-deny-all');
  });

  test('a namespace named like a user chart is reported, or its policies are written', () => {
    const t = newTestApp();
    new Chart(t.app, 'apps');
    new ZeroTrustNamespace(t.platform, 'ns', { name: 'apps' });
    expectReportedOrWritten(t, [t.platform], 'apps', 'default-deny-all');
  });

  // Regression test (a fixed bug, once in src/constructs/platform.ts:100-111): the same check never compares `existing.platform` with `this`, so a
  // second platform managing a namespace of the same name reuses the first platform's chart, and its own policies
  // for that namespace are silently dropped from the output.
  test('two platforms managing the same namespace name: reported, or both platforms\' policies are written', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    const second = new ZeroTrustPlatform(t.app, 'second', { backends: [Backend.KUBERNETES] });
    new ZeroTrustNamespace(second, 'web', { name: 'web' }).workload('a', { labels: { app: 'a' } }).allowTo(Peer.cidr('10.0.0.0/8'), Port.tcp(443));
    expect(second.validateIntent()).toEqual([
      { path: 'second/web', field: 'name', message: "namespace 'web' is already managed by the platform platform", fix: 'manage each namespace from one platform' },
    ]);
    expectReportedOrWritten(t, [t.platform, second], 'web', 'a-egress');
  });
});

/** The platforms report an issue, or synthesis writes NetworkPolicy `name` of `namespace`. */
function expectReportedOrWritten(t: TestApp, platforms: readonly ZeroTrustPlatform[], namespace: string, name: string): void {
  if (platforms.some((p) => p.validateIntent().length > 0)) return;
  const written = t.app.synthFiles().map((f) => f.content).join('---\n');
  expect(written).toContain(`kind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n`);
}

describe('output layout', () => {
  test.each([
    ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
  ])('App with YamlOutputType.%s', (_name, type) => {
    const outdir = tempOutdir();
    const app = new App({ outdir, yamlOutputType: type });
    const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.KUBERNETES] });
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    const issues = platform.validateIntent();
    expect(issues).toEqual([
      {
        path: 'platform',
        field: 'App.yamlOutputType',
        message: expect.stringContaining(`${YamlOutputType[type]} is not supported`),
        fix: 'use ZeroTrustApp, or App with YamlOutputType.FILE_PER_CHART (one file per namespace) or FILE_PER_APP',
      },
    ]);
    expect(catchError(() => platform.manifests())).toBeInstanceOf(ZeroTrustValidationError);
    const error = catchError(() => app.synth()) as Error;
    expect(error.message).toContain(formatIssue(issues[0]));
    expect(filesIn(outdir)).toEqual([]);
  });

  test('FILE_PER_RESOURCE says why: same-named objects of different namespaces would overwrite each other', () => {
    const app = new App({ outdir: tempOutdir(), yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.KUBERNETES] });
    expect(platform.validateIntent()[0].message).toContain('every default-deny-all');
  });

  test('App with FILE_PER_CHART is accepted', () => {
    const outdir = tempOutdir();
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.KUBERNETES] });
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    app.synth();
    expect(filesIn(outdir).sort()).toEqual(['platform.k8s.yaml', 'web.k8s.yaml']);
    expect(fs.readFileSync(`${outdir}/web.k8s.yaml`, 'utf8')).toContain('name: default-deny-all');
  });

  test('an invalid platform stops the whole ZeroTrustApp: no file of any platform or chart is written', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    const broken = new ZeroTrustPlatform(t.app, 'broken', { backends: [Backend.KUBERNETES] });
    new ZeroTrustNamespace(broken, 'Bad', { name: 'Bad' });
    new Chart(t.app, 'apps');
    const error = catchError(() => t.app.synth());
    expect(error).toBeInstanceOf(ZeroTrustValidationError);
    expect((error as ZeroTrustValidationError).issues.map((i) => i.path)).toEqual(['broken/Bad']);
    expect(filesIn(t.outdir)).toEqual([]);
    expect(() => t.app.synthFiles()).toThrow(ZeroTrustValidationError);
  });
  test('a validation error on another chart of the app stops synthesis', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    new Chart(t.app, 'apps').node.addValidation({ validate: () => ['replicas must be positive'] });
    expect(() => t.app.synth()).toThrow(/replicas must be positive/);
    expect(filesIn(t.outdir)).toEqual([]);
  });

  test('(control) a validation error on a construct inside another chart stops synthesis', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    new Construct(new Chart(t.app, 'apps'), 'thing').node.addValidation({ validate: () => ['replicas must be positive'] });
    expect(() => t.app.synth()).toThrow(/\[apps\/thing\] replicas must be positive/);
    expect(filesIn(t.outdir)).toEqual([]);
  });
});

describe('several bad inputs at once', () => {
  test('are ALL reported in one error, nothing is written', () => {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web', labels: { 'zero-trust.cdk8s.io/tenant': 'x' } });
    new ZeroTrustNamespace(t.platform, 'bad', { name: 'Bad_Name' });
    const a = web.workload('a', { labels: { app: 'a b' } });
    const b = web.workload('b', { labels: { app: 'b' } });
    const c = web.workload('c', { labels: {} });
    b.allowTo(Peer.cidr('10.0.0.1/8'), Port.tcp(0), Port.tcpRange(9, 1));
    b.allowTo(Peer.namespace('nowhere'), Port.named('HTTP'));
    b.allowFrom(Peer.cidr('10.0.0.0/8', { except: ['10.0.0.0/8'] }));
    a.allowTo(c, Port.tcp(80));
    const alpha = new TenantBoundary(t.platform, 'alpha', { namespaces: ['alpha-web'] });
    const beta = new TenantBoundary(t.platform, 'beta', { namespaces: ['beta-web'] });
    alpha.namespace('alpha-web').workload('x', { labels: { app: 'x' } }).allowTo(beta.namespace('beta-web').workload('y', { labels: { app: 'y' } }), Port.tcp(1));

    const issues = expectRejected(
      t,
      { path: 'platform/web', field: 'labels["zero-trust.cdk8s.io/tenant"]', message: 'is set by the platform', fix: 'TenantBoundary' },
      { path: 'platform/bad', field: 'name', message: "namespace name 'Bad_Name'", fix: 'DNS-1123 label' },
      { path: 'platform/web/a', field: 'labels.matchLabels["app"]', message: "label value 'a b' is invalid", fix: LABEL_VALUE_FIX },
      { path: 'platform/web/c', field: 'labels', message: 'the selector is empty', fix: 'labels' },
      { path: 'platform/web/b', field: 'allowTo(#1).ports[0]', message: 'port 0', fix: 'Port.all()' },
      { path: 'platform/web/b', field: 'allowTo(#1).ports[1]', message: 'range 9-1 is inverted', fix: 'tcpRange(1, 9)' },
      { path: 'platform/web/b', field: 'allowTo(#1).peer.cidr', message: 'host bits', fix: '10.0.0.0/8' },
      { path: 'platform/web/b', field: 'allowTo(#2).ports[0]', message: "port name 'HTTP'", fix: 'IANA' },
      { path: 'platform/web/b', field: 'allowTo(#2).peer', message: "namespace 'nowhere' is neither managed", fix: 'ExternalNamespace' },
      { path: 'platform/web/b', field: 'allowFrom(#3).ports', message: 'no ports given', fix: 'Port.all()' },
      { path: 'platform/web/b', field: 'allowFrom(#3).peer.except[0]', message: 'is not strictly inside', fix: 'smaller network' },
      { path: 'platform/alpha/alpha-web/x', field: 'allowTo(#1)', message: 'crosses tenants', fix: 'acrossTenants' },
    );
    expect(issues).toHaveLength(12);
  });

  test('issues of the platform structure and of the model come together', () => {
    const outdir = tempOutdir();
    const app = new ZeroTrustApp({ outdir });
    const platform = new ZeroTrustPlatform(app, 'platform', { backends: [] });
    new ZeroTrustNamespace(platform, 'web', { name: 'Web' });
    expect(platform.validateIntent().map((i) => i.field)).toEqual(['backends', 'name']);
    expect(() => app.synth()).toThrow(/2 invalid declarations; nothing was synthesized/);
    expect(filesIn(outdir)).toEqual([]);
  });
});
