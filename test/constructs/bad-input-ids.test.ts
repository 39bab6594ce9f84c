/**
 * Bad input an attacker (or a JavaScript caller) would try: ids and names that are properties of
 * every JavaScript object, values of the wrong type, ports that are not ports, DNS ports wider than
 * DNS, and named ports the destination pods do not declare. Each gets one line naming the place,
 * the field, the problem and the fix; none crashes inside a library or yields a wider policy.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { catchError, expectAccepted, expectRejected, filesIn, newTestApp, policy, policyNames, removeTempDirs, TestApp } from './support';
import {
  Backend,
  ExternalNamespace,
  Peer,
  Port,
  Protocol,
  TenantBoundary,
  Workload,
  ZeroTrustNamespace,
  ZeroTrustPlatform,
} from '../../src';

afterEach(removeTempDirs);

/** What JavaScript callers can pass where TypeScript would not let them. */
type Untyped<T> = { [K in keyof T]: T[K] extends (...args: never[]) => infer R ? (...args: unknown[]) => R : T[K] };

/** The message of the error `fn` throws; fails the test unless it is one line. */
function oneLineError(fn: () => unknown): string {
  const error = catchError(fn);
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

describe('construct ids that name a property of every JavaScript object', () => {
  // Regression: the constructs library keeps children in a plain object, so these ids were refused as
  // "There is already a Construct with name 'constructor' in ZeroTrustPlatform [platform]", with no fix.
  const creators: [string, string, (t: TestApp, id: string) => unknown][] = [
    ['ZeroTrustPlatform', '<app root>', (t, id) => new ZeroTrustPlatform(t.app, id, { backends: [Backend.KUBERNETES] })],
    ['ZeroTrustNamespace', 'platform', (t, id) => new ZeroTrustNamespace(t.platform, id, { name: 'web' })],
    ['TenantBoundary', 'platform', (t, id) => new TenantBoundary(t.platform, id, { name: 'alpha', namespaces: ['web'] })],
    ['ExternalNamespace', 'platform', (t, id) => new ExternalNamespace(t.platform, id, { name: 'ingress' })],
    ['Workload', 'platform/web', (t, id) => new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload(id, { labels: { app: 'a' } })],
  ];

  describe.each(creators)('new %s', (construct, parent, create) => {
    test.each(PROTOTYPE_KEYS)('id %j: one line naming the parent path, the id and the fix', (id) => {
      const message = oneLineError(() => create(newTestApp(), id));
      expect(message).toMatch(new RegExp(`^\\[${parent}\\] new ${construct}\\(scope, "${id}"\\): '${id}' is the name of a property of every JavaScript object`));
      expect(message).toMatch(/\. Fix: choose another id/);
    });

    test('an empty id says so, instead of "Only root constructs may have an empty ID"', () => {
      const message = oneLineError(() => create(newTestApp(), ''));
      expect(message).toMatch(new RegExp(`^\\[${parent}\\] new ${construct}\\(scope, ""\\): the id must not be empty\\. Fix: choose another id`));
    });
  });

  test('an id already taken names the construct that has it, and the fix', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'ns', { name: 'a' });
    expect(oneLineError(() => new ZeroTrustNamespace(t.platform, 'ns', { name: 'b' }))).toBe(
      "[platform] new ZeroTrustNamespace(scope, \"ns\"): the id 'ns' is already used by platform/ns. " +
        "Fix: choose another id; the namespace's name is props.name, e.g. new ZeroTrustNamespace(scope, 'web-ns', { name: 'web' })",
    );
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    web.workload('api', { labels: { app: 'api' } });
    expect(oneLineError(() => web.workload('api', { labels: { app: 'api2' } }))).toMatch(/^\[platform\/web\] new Workload\(scope, "api"\): the id 'api' is already used by platform\/web\/api\. Fix: /);
  });

  test('an id that is not a string (JavaScript callers)', () => {
    const t = newTestApp();
    const Untyped = ZeroTrustNamespace as unknown as new (scope: unknown, id: unknown, props: unknown) => ZeroTrustNamespace;
    expect(oneLineError(() => new Untyped(t.platform, undefined, { name: 'web' }))).toMatch(/^\[platform\] new ZeroTrustNamespace\(scope, undefined\): the id must be a string, got undefined\. Fix: /);
    expect(oneLineError(() => new Untyped(undefined, 'web', { name: 'web' }))).toMatch(/^new ZeroTrustNamespace\(scope, "web"\): the scope undefined is not a construct\. Fix: /);
  });
});

describe('names that are properties of every JavaScript object', () => {
  test('a namespace named "constructor" (a valid DNS-1123 label) gets its policies, written to their own file', () => {
    const t = newTestApp();
    const ns = new ZeroTrustNamespace(t.platform, 'ns', { name: 'constructor' });
    ns.workload('a', { labels: { app: 'a' } }).allowTo(ns.workload('b', { labels: { app: 'b' } }), Port.tcp(80));
    expectAccepted(t);
    expect(policyNames(t.platform, 'constructor')).toEqual(['default-deny-all', 'allow-dns-egress', 'a-egress', 'b-ingress']);
    // Its chart cannot have the id `constructor`; the file is named after the chart.
    const written = fs.readFileSync(path.join(t.outdir, 'constructor-namespace.k8s.yaml'), 'utf8');
    expect(written).toContain('name: default-deny-all\n  namespace: constructor\n');
    expect(written).toContain('name: b-ingress\n  namespace: constructor\n');
  });

  test('a tenant listing "constructor" by name creates and owns it', () => {
    const t = newTestApp();
    const tenant = new TenantBoundary(t.platform, 'tenant', { name: 'constructor', namespaces: ['constructor', 'web'] });
    expect(tenant.namespace('constructor').node.path).toBe('platform/tenant/constructor-namespace');
    expectAccepted(t);
    expect(policy(t.platform, 'constructor', 'default-deny-all').metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'cdk8s-zero-trust',
      'zero-trust.cdk8s.io/tenant': 'constructor',
    });
  });

  test('a workload named "constructor" (adopted, or with a name), an external namespace "constructor", and label keys and values', () => {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    // Regression: adopt() lowercased the cdk8s-plus id `Constructor` into the construct id `constructor` and crashed.
    const adopted = web.adopt(new kplus.Deployment(new Chart(t.app, 'apps', { namespace: 'web' }), 'Constructor', { containers: [{ image: 'nginx' }] }));
    expect(adopted.name).toBe('constructor');
    const named = web.workload('labelled', { name: 'hasownproperty', labels: { constructor: 'toString', hasOwnProperty: 'valueOf' } });
    new ExternalNamespace(t.platform, 'ext', { name: 'constructor' });
    named.allowFrom(Peer.namespace('constructor'), Port.tcp(80));
    adopted.allowTo(named, Port.tcp(8080));
    expectAccepted(t);
    expect(policy(t.platform, 'web', 'constructor-egress').spec.egress![0].to[0].podSelector).toEqual({ matchLabels: { constructor: 'toString', hasOwnProperty: 'valueOf' } });
    expect(policy(t.platform, 'web', 'hasownproperty-ingress').spec.ingress!.map((r) => r.from[0].namespaceSelector)).toContainEqual({
      matchLabels: { 'kubernetes.io/metadata.name': 'constructor' },
    });
  });

  test.each(PROTOTYPE_KEYS.filter((k) => k !== 'constructor'))('%j as a namespace, tenant, workload or external name is an issue, not a crash', (name) => {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    new ZeroTrustNamespace(t.platform, 'ns', { name });
    new TenantBoundary(t.platform, 'tenant', { name, namespaces: [name] });
    web.workload('w', { name, labels: { app: 'w' } });
    new ExternalNamespace(t.platform, 'ext', { name });
    const issues = expectRejected(
      t,
      { path: 'platform/ns', field: 'name', message: `namespace name '${name}' is not a DNS-1123 label`, fix: 'DNS-1123 label' },
      { path: 'platform/tenant', field: 'name', message: `tenant name '${name}' is not a DNS-1123 label`, fix: 'DNS-1123 label' },
      { path: `platform/tenant/${name}-namespace`, field: 'name', message: `namespace name '${name}' is not a DNS-1123 label`, fix: 'DNS-1123 label' },
      // Declared twice: by `ns` and by the tenant.
      { path: `platform/tenant/${name}-namespace`, field: 'name', message: `namespace '${name}' is already declared by platform/ns`, fix: 'declare each namespace once' },
      { path: 'platform/web/w', field: 'name', message: `workload name '${name}' is not a DNS-1123 label`, fix: 'DNS-1123 label' },
      { path: 'platform/ext', field: 'name', message: `namespace name '${name}' is not a DNS-1123 label`, fix: 'use the exact name of the existing namespace' },
      { path: 'platform/ext', field: 'name', message: `namespace '${name}' is managed by platform/ns`, fix: 'remove the ExternalNamespace' },
    );
    expect(issues.length).toBe(7);
  });

  // A control: reported before these fixes too; it guards the own-property copies of label maps.
  test('a label key "__proto__" given as an own property is reported, never dropped by an assignment', () => {
    const t = newTestApp();
    const labels = JSON.parse('{ "__proto__": "x", "app": "a" }') as Record<string, string>;
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('a', { labels });
    expectRejected(t, { path: 'platform/web/a', field: 'labels.matchLabels["__proto__"]', message: "label key '__proto__' is invalid", fix: 'use a valid label key' });
  });

  test("a namespace whose chart id is taken by another namespace's chart says which", () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'a', { name: 'constructor' });
    new ZeroTrustNamespace(t.platform, 'b', { name: 'constructor-namespace' });
    expectRejected(t, {
      path: 'platform/b',
      field: 'name',
      message: "the chart of namespace 'constructor' (managed by platform) is named 'constructor-namespace', the name this namespace's chart needs",
      fix: "rename one of the two namespaces ('constructor-namespace' or 'constructor')",
    });
  });
});

/** A test app with namespace `web` holding workloads `a` (app=a) and `b` (app=b). */
function webApp(props: Parameters<typeof newTestApp>[0] = {}): TestApp & { web: ZeroTrustNamespace; a: Workload; b: Workload } {
  const t = newTestApp(props);
  const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
  return { ...t, web, a: web.workload('a', { labels: { app: 'a' } }), b: web.workload('b', { labels: { app: 'b' } }) };
}

const untypedPort = Port as unknown as Untyped<typeof Port>;

describe('ports of JavaScript callers: reported at the flow that uses them (the factories never throw)', () => {
  test("Port.tcp('80') names the string and writes the number", () => {
    const t = webApp();
    t.a.allowTo(t.b, untypedPort.tcp('80'));
    expectRejected(t, { path: 'platform/web/a', field: 'allowTo(#1).ports[0]', message: "port '80' is a string, not a number", fix: 'pass numbers, not strings: Port.tcp(80)' });
  });

  test.each([
    ['Port.tcp(NaN)', () => Port.tcp(Number.NaN), 'port is NaN, not a number'],
    ['Port.udp(undefined)', () => untypedPort.udp(undefined), 'port undefined is not a number'],
    ['Port.tcpRange(8080, 80)', () => Port.tcpRange(8080, 80), 'range 8080-80 is inverted'],
    ['Port.udpRange(1, 70000)', () => Port.udpRange(1, 70000), 'range end 70000 is outside 1-65535'],
    ["Port.named('')", () => Port.named(''), "port name '' must be 1 to 15 characters long"],
    ['Port.named(undefined)', () => untypedPort.named(undefined), 'port name must be a string, got undefined'],
    ["Port.named('http', 'tcp')", () => untypedPort.named('http', 'tcp'), "protocol 'tcp' is not TCP, UDP or SCTP"],
  ])('%s', (_, make, message) => {
    const t = webApp();
    t.b.allowFrom(t.a, make());
    expectRejected(t, { path: 'platform/web/b', field: 'allowFrom(#1).ports[0]', message, fix: '' });
  });

  test('a list of ports, or a number, where ports are expected fails at once with path, field and fix', () => {
    const t = webApp();
    const untyped = t.a as unknown as Untyped<Workload>;
    expect(oneLineError(() => untyped.allowTo(t.b, [Port.tcp(80)]))).toBe(
      '[platform/web/a] allowTo(#1).ports[0]: [{"spec":{"kind":"number","protocol":"TCP","port":80}}] is not a Port. ' +
        'Fix: pass the ports one by one, not as a list: allowTo(peer, Port.tcp(80), Port.tcp(443))',
    );
    expect(oneLineError(() => untyped.allowFrom(t.b, 53))).toBe('[platform/web/a] allowFrom(#1).ports[0]: 53 is not a Port. Fix: use a Port value, e.g. Port.tcp(53) or Port.udp(53)');
  });

  // A control: reported before these fixes too (the allowTo side is in bad-input.test.ts).
  test('allowFrom(peer) with no ports is an issue whose fix is Port.all()', () => {
    const t = webApp();
    t.b.allowFrom(t.a);
    expectRejected(t, { path: 'platform/web/b', field: 'allowFrom(#1).ports', message: 'no ports given', fix: 'write Port.all() to allow every port explicitly' });
  });
});

describe('DNS ports wider than DNS fail closed', () => {
  const FIX = 'list the DNS ports one by one, e.g. [Port.udp(53), Port.tcp(53)]';

  test.each([
    ['Port.all()', Port.all(), 'Port.all() would open every port and protocol of the DNS pods to every pod of every namespace', FIX],
    ['Port.allUdp()', Port.allUdp(), 'Port.allUdp() would open every UDP port of the DNS pods to every pod of every namespace', FIX],
    ['Port.allTcp()', Port.allTcp(), 'Port.allTcp() would open every TCP port', FIX],
    ['Port.udpRange(53, 1053)', Port.udpRange(53, 1053), 'the range 53-1053/UDP would open more than the DNS port', FIX],
    ["Port.named('dns', UDP)", Port.named('dns', Protocol.UDP), 'the named port dns/UDP opens whatever port the DNS pods name so', 'give the DNS port number, e.g. Port.udp(53)'],
    ['Port.sctp(53)', Port.sctp(53), 'DNS is served over UDP and TCP, not SCTP', FIX],
  ])('%s', (_, port, message, fix) => {
    const t = webApp({ dns: { ports: [Port.udp(53), port] } });
    expectRejected(t, { path: 'platform', field: 'dns.ports[1]', message, fix });
  });

  test('even when no namespace allows DNS yet', () => {
    const t = newTestApp({ dns: { ports: [Port.all()] } });
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web', allowDns: false });
    expectRejected(t, { path: 'platform', field: 'dns.ports[0]', message: 'Port.all() would open every port', fix: FIX });
  });

  test('exact ports, on another number too, are accepted', () => {
    const t = webApp({ dns: { ports: [Port.udp(5353), Port.tcp(5353)] } });
    expectAccepted(t);
    expect(policy(t.platform, 'web', 'allow-dns-egress').spec.egress![0].ports).toEqual([
      { protocol: 'TCP', port: 5353 },
      { protocol: 'UDP', port: 5353 },
    ]);
  });

  test('DNS ports that are not a list of Ports fail at once', () => {
    const app = Testing.app();
    type Props = ConstructorParameters<typeof ZeroTrustPlatform>[2];
    const dns = (ports: unknown) => ({ backends: [Backend.KUBERNETES], dns: { ports } }) as unknown as Props;
    expect(oneLineError(() => new ZeroTrustPlatform(app, 'a', dns(Port.udp(53))))).toBe(
      '[a] dns.ports: {"spec":{"kind":"number","protocol":"UDP","port":53}} is not a list. Fix: pass an array, e.g. dns.ports: [Port.udp(53), Port.tcp(53)]',
    );
    expect(oneLineError(() => new ZeroTrustPlatform(app, 'b', dns([53])))).toBe('[b] dns.ports[0]: 53 is not a Port. Fix: use a Port value, e.g. Port.tcp(53) or Port.udp(53)');
  });
});

describe('container ports of adopted cdk8s-plus workloads', () => {
  function adopted(containers: kplus.ContainerProps[]): TestApp & { api: Workload; client: Workload; deployment: kplus.Deployment } {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    const deployment = new kplus.Deployment(new Chart(t.app, 'apps', { namespace: 'web' }), 'Api', { containers });
    return { ...t, deployment, api: web.adopt(deployment), client: web.workload('client', { labels: { app: 'client' } }) };
  }

  test('two containers naming a port alike: the pod has an ambiguous named port', () => {
    const t = adopted([
      { image: 'api', ports: [{ number: 8080, name: 'http' }] },
      { image: 'sidecar', ports: [{ number: 9090, name: 'http' }] },
    ]);
    t.client.allowTo(t.api, Port.tcp(8080));
    expectRejected(t, {
      path: 'platform/web/api',
      field: 'adopt(apps/Api).containers[1].ports[0].name',
      message: "port name 'http' (9090/TCP) is also the name of adopt(apps/Api).containers[0].ports[0] (8080/TCP)",
      fix: 'give each container port of the pod its own name',
    });
  });

  test('a named port that no container declares', () => {
    const t = adopted([{ image: 'api', ports: [{ number: 8080, name: 'http' }] }]);
    t.client.allowTo(t.api, Port.named('metrics'));
    t.api.allowFrom(t.client, Port.named('grpc'));
    expectRejected(
      t,
      {
        path: 'platform/web/client',
        field: 'allowTo(#1).ports[0]',
        message: "no container of workload web/api declares a port named 'metrics' (its named ports: http/TCP)",
        fix: 'use a name its containers declare, add the port to the container, or give the port number',
      },
      { path: 'platform/web/api', field: 'allowFrom(#1).ports[0]', message: "declares a port named 'grpc'", fix: '' },
    );
  });

  test('a named port of another protocol', () => {
    const t = adopted([{ image: 'dns', ports: [{ number: 53, name: 'dns', protocol: kplus.Protocol.UDP }] }]);
    t.client.allowTo(t.api, Port.named('dns'));
    expectRejected(t, {
      path: 'platform/web/client',
      field: 'allowTo(#1).ports[0]',
      message: "port 'dns' of workload web/api is UDP (adopt(apps/Api).containers[0].ports[0]), not TCP",
      fix: "give its protocol: Port.named('dns', Protocol.UDP)",
    });
  });

  test('ports are read at synthesis: a port added after a validation is seen', () => {
    const t = adopted([{ image: 'api' }]);
    t.client.allowTo(t.api, Port.named('http'));
    expect(t.platform.validateIntent().map((i) => i.message)).toEqual(["no container of workload web/api declares a port named 'http' (its named ports: none)"]);
    t.deployment.containers[0].addPort({ number: 8080, name: 'http' });
    expectAccepted(t);
    expect(policy(t.platform, 'web', 'api-ingress').spec.ingress![0].ports).toEqual([{ protocol: 'TCP', port: 'http' }]);
  });

  test('adopting the same workload twice, or something that is not a workload, fails at once', () => {
    const t = adopted([{ image: 'api' }]);
    const web = t.api.namespace as ZeroTrustNamespace;
    expect(oneLineError(() => web.adopt(t.deployment))).toBe(
      '[platform/web] adopt(apps/Api): this cdk8s-plus workload is already adopted as platform/web/api. Fix: adopt it once and reuse the returned Workload',
    );
    expect(oneLineError(() => (web as unknown as Untyped<ZeroTrustNamespace>).adopt({}))).toMatch(/^\[platform\/web\] adopt\(\): \{\} is not a cdk8s-plus workload\. Fix: /);
  });
});

describe('tenants', () => {
  test('an empty name, a name listed twice, and a namespace of another platform', () => {
    const t = newTestApp();
    const other = new ZeroTrustPlatform(Testing.app(), 'other', { backends: [Backend.KUBERNETES] });
    const foreign = new ZeroTrustNamespace(other, 'shop', { name: 'shop' });
    new ZeroTrustNamespace(t.platform, 'shop', { name: 'shop' });
    new TenantBoundary(t.platform, 'alpha', { namespaces: ['alpha-web', '', 'alpha-web', foreign] });
    expect(t.platform.validateIntent()).toEqual([
      { path: 'platform/alpha', field: 'namespaces[1]', message: 'namespace name must not be empty', fix: "give the namespace's name, e.g. 'alpha-web'" },
      { path: 'platform/alpha', field: 'namespaces[2]', message: "namespace 'alpha-web' is already listed as namespaces[0]", fix: 'list each namespace once' },
      {
        path: 'platform/alpha',
        field: 'namespaces[3]',
        // Regression: the tenant silently claimed this platform's own namespace `shop` instead.
        message: 'the ZeroTrustNamespace other/shop belongs to the platform other, not to platform',
        fix: "a tenant owns namespaces of its own platform: create the TenantBoundary on that platform, or pass the namespace's name to manage it here",
      },
    ]);
    expect(filesIn(t.outdir)).toEqual([]);
  });

  test('namespaces that are not a list, entries that are neither names nor namespaces, and a cross-tenant allowance that is no tenant fail at once', () => {
    const t = newTestApp();
    const Untyped = TenantBoundary as unknown as new (scope: unknown, id: string, props: unknown) => TenantBoundary;
    expect(oneLineError(() => new Untyped(t.platform, 'a', { namespaces: 'alpha-web' }))).toMatch(/^\[platform\/a\] namespaces: 'alpha-web' is not a list of namespaces\. Fix: /);
    expect(oneLineError(() => new Untyped(t.platform, 'b', { namespaces: [undefined] }))).toMatch(/^\[platform\/b\] namespaces\[0\]: undefined is neither a namespace name nor a ZeroTrustNamespace\. Fix: /);
    const tenant = new TenantBoundary(t.platform, 'c', { namespaces: ['c-web'] });
    expect(oneLineError(() => tenant.allowCrossTenant({ to: {} as TenantBoundary }))).toBe('[platform/c] allowCrossTenant.to: {} is not a TenantBoundary. Fix: pass the other tenant\'s TenantBoundary');
  });
});

describe('other values of the wrong shape or syntax', () => {
  test('labels given as a string or a list are reported, not read character by character', () => {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web', labels: ['team'] as unknown as Record<string, string> });
    web.workload('a', { labels: 'app=a' as unknown as Record<string, string> });
    expectRejected(
      t,
      { path: 'platform/web', field: 'labels', message: '["team"] is not a map of labels (got an array)', fix: "give the labels as a map of strings, e.g. { app: 'web' }" },
      { path: 'platform/web/a', field: 'labels', message: "'app=a' is not a map of labels (got string)", fix: 'give the labels as a map of strings' },
    );
  });

  test('selector parts of the wrong type are reported, not thrown from the selector checks', () => {
    const t = newTestApp();
    const web = new ZeroTrustNamespace(t.platform, 'web', { name: 'web' });
    type Selector = Parameters<ZeroTrustNamespace['workload']>[1]['selector'];
    web.workload('a', { selector: { matchExpressions: {} } as unknown as Selector });
    web.workload('b', { selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: 'web' }] } as unknown as Selector });
    web.workload('c', { selector: { matchExpressions: [null] } as unknown as Selector });
    new ExternalNamespace(t.platform, 'ext');
    web.workload('d', { labels: { app: 'd' } }).allowFrom(Peer.pods({ namespace: 'ext', selector: { matchExpressions: [{ operator: 'Exists' }] } as unknown as Selector }), Port.tcp(80));
    expectRejected(
      t,
      { path: 'platform/web/a', field: 'selector.matchExpressions', message: '{} is not a list of requirements', fix: 'give matchExpressions as a list' },
      { path: 'platform/web/b', field: 'selector.matchExpressions[0].values', message: "'web' is not a list of values", fix: 'give matchExpressions as a list' },
      { path: 'platform/web/c', field: 'selector.matchExpressions[0]', message: 'null is not a requirement', fix: 'give matchExpressions as a list' },
      { path: 'platform/web/d', field: 'allowFrom(#1).peer.selector.matchExpressions[0].key', message: 'the key must be a string, got undefined', fix: '' },
    );
  });

  test('names that are not strings are reported with their type', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'ns', { name: 5 as unknown as string });
    new ExternalNamespace(t.platform, 'ext', { name: ['ingress'] as unknown as string });
    expectRejected(
      t,
      { path: 'platform/ns', field: 'name', message: 'namespace name must be a string, got number 5', fix: 'DNS-1123 label' },
      { path: 'platform/ext', field: 'name', message: 'namespace name must be a string, got an array', fix: 'use the exact name of the existing namespace' },
    );
  });

  test('a service account name that is not a DNS-1123 subdomain', () => {
    const t = newTestApp();
    new ZeroTrustNamespace(t.platform, 'web', { name: 'web' }).workload('a', { labels: { app: 'a' }, serviceAccount: 'Web Frontend\n' });
    expectRejected(t, { path: 'platform/web/a', field: 'serviceAccount', message: "service account name 'Web Frontend\n' is not a DNS-1123 subdomain", fix: "give the pods' service account name" });
  });

  test('a peer namespace name that is empty or not a string says so, instead of suggesting to declare it', () => {
    const t = webApp();
    t.a.allowTo(Peer.namespace(''), Port.tcp(80));
    t.b.allowTo((Peer as unknown as Untyped<typeof Peer>).namespace(undefined), Port.tcp(80));
    expectRejected(
      t,
      { path: 'platform/web/a', field: 'allowTo(#1).peer', message: 'namespace name must not be empty', fix: 'give the exact name of a namespace this platform manages or declares external' },
      { path: 'platform/web/b', field: 'allowTo(#1).peer', message: 'namespace name must be a string, got undefined', fix: 'give the exact name' },
    );
  });

  test('a CIDR that is not a string, and a peer object of unknown kind, are reported', () => {
    const t = webApp();
    t.a.allowTo((Peer as unknown as Untyped<typeof Peer>).cidr(undefined), Port.tcp(443));
    t.b.allowTo({ toPeerSpec: () => ({ kind: 'everything' }) } as unknown as Workload, Port.tcp(443));
    expectRejected(
      t,
      { path: 'platform/web/a', field: 'allowTo(#1).peer.cidr', message: 'undefined is not a CIDR', fix: 'write an IPv4 or IPv6 network' },
      { path: 'platform/web/b', field: 'allowTo(#1).peer', message: '{"kind":"everything"} is not a peer', fix: 'pass a Workload' },
    );
  });

  test('props that are missing or not lists fail at once with the field and the fix', () => {
    const app = Testing.app();
    const platform = new ZeroTrustPlatform(app, 'p', { backends: [Backend.KUBERNETES] });
    const UntypedNamespace = ZeroTrustNamespace as unknown as new (scope: unknown, id: string, props?: unknown) => ZeroTrustNamespace;
    expect(oneLineError(() => new UntypedNamespace(platform, 'web'))).toBe("[p/web] props: undefined is not an object. Fix: pass the namespace's props, e.g. { name: 'web' }");
    const props = (extra: object) => ({ backends: [Backend.KUBERNETES], ...extra }) as unknown as ConstructorParameters<typeof ZeroTrustPlatform>[2];
    expect(oneLineError(() => new ZeroTrustPlatform(app, 'q', props({ clusterNetworks: '10.0.0.0/8' })))).toBe(
      "[q] clusterNetworks: '10.0.0.0/8' is not a list. Fix: pass an array, e.g. clusterNetworks: ['10.244.0.0/16']",
    );
    expect(oneLineError(() => new ZeroTrustPlatform(app, 'r', props({ backends: Backend.KUBERNETES })))).toMatch(/^\[r\] backends: .* is not a list\. Fix: pass an array, e.g\. backends: \[Backend\.kubernetes\(\)\]$/);
    const noProps = new (ZeroTrustPlatform as unknown as new (scope: unknown, id: string) => ZeroTrustPlatform)(app, 's');
    expect(noProps.validateIntent().map((i) => i.message)).toEqual(['no backend chosen']);
  });
});
