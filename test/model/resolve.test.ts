/**
 * The model is plain data: declarations go into a PlatformModel and come out validated and resolved,
 * with no cdk8s App, Chart or synthesis involved.
 */
import { DnsDeclaration, FlowDeclaration, NamespaceDeclaration, WorkloadDeclaration } from '../../src/model/declarations';
import { PlatformModel } from '../../src/model/platform-model';
import { Port, PortSpec } from '../../src/model/port';
import { ResolvedModel } from '../../src/model/resolved';

const DNS: DnsDeclaration = {
  path: 'platform',
  namespace: 'kube-system',
  selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
  ports: [Port.udp(53).spec, Port.tcp(53).spec],
};

function namespace(name: string, extra: Partial<NamespaceDeclaration> = {}): NamespaceDeclaration {
  return { path: `platform/${name}`, name, labels: {}, allowDns: true, allowSameNamespace: false, emitNamespace: true, ...extra };
}

function workload(ns: string, name: string, labels: Record<string, string>): WorkloadDeclaration {
  return { path: `platform/${ns}/${name}`, namespace: ns, name, selector: () => ({ matchLabels: labels }), selectorField: 'labels' };
}

function flowTo(from: WorkloadDeclaration, to: WorkloadDeclaration, index: number, ...ports: PortSpec[]): FlowDeclaration {
  return {
    path: from.path,
    field: `allowTo(#${index})`,
    source: { kind: 'workload', namespace: from.namespace, workload: from.name, path: from.path },
    destination: { kind: 'workload', namespace: to.namespace, workload: to.name, path: to.path },
    peerSide: 'destination',
    ports,
    crossTenant: false,
  };
}

function resolved(model: PlatformModel): ResolvedModel {
  const result = model.resolve();
  if (!result.ok) throw new Error(`unexpected issues: ${JSON.stringify(result.issues)}`);
  return result.model;
}

describe('PlatformModel without cdk8s', () => {
  test('a valid program resolves to a sorted, normalised model', () => {
    const model = new PlatformModel(DNS);
    model.addNamespace(namespace('web', { labels: { team: 'shop' } }));
    model.addNamespace(namespace('data'));
    const api = workload('web', 'api', { tier: 'api', app: 'shop' });
    const db = workload('data', 'db', { app: 'db' });
    model.addWorkload(db);
    model.addWorkload(api);
    model.addFlow(flowTo(api, db, 1, Port.tcp(5432).spec));
    model.addFlow(flowTo(api, db, 2, Port.tcp(5432).spec, Port.tcp(6432).spec));

    const result = resolved(model);
    expect(result.namespaces.map((n) => n.name)).toEqual(['data', 'web']);
    expect(result.namespaces[1].labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-zero-trust', 'team': 'shop' });
    expect(result.workloads.map((w) => `${w.namespace}/${w.name}`)).toEqual(['data/db', 'web/api']);
    expect(Object.keys(result.workloads[1].selector.matchLabels)).toEqual(['app', 'tier']);
    // Two declarations of the same pair are one flow with merged ports.
    expect(result.flows).toHaveLength(1);
    expect(result.flows[0].ports).toEqual([Port.tcp(5432).spec, Port.tcp(6432).spec]);
    expect(result.flows[0].declaredBy).toEqual(['platform/web/api']);
    expect(result.dns).toEqual({ namespace: 'kube-system', selector: { matchLabels: { 'k8s-app': 'kube-dns' }, matchExpressions: [] }, ports: [Port.tcp(53).spec, Port.udp(53).spec] });
  });

  test('all issues of a program are returned at once, each with path, field and fix', () => {
    const model = new PlatformModel(DNS);
    model.addNamespace(namespace('Web'));
    model.addNamespace(namespace('data', { labels: { 'zero-trust.cdk8s.io/tenant': 'x' } }));
    const api = workload('Web', 'api', {});
    const db = workload('data', 'db', { app: 'db' });
    model.addWorkload(api);
    model.addWorkload(db);
    model.addFlow(flowTo(db, db, 1, Port.tcp(0).spec));

    const result = model.resolve();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.path, i.field])).toEqual([
      ['platform/Web', 'name'],
      ['platform/data', 'labels["zero-trust.cdk8s.io/tenant"]'],
      ['platform/Web/api', 'labels'],
      ['platform/data/db', 'allowTo(#1).ports[0]'],
    ]);
    for (const issue of result.issues) {
      expect(issue.message.length).toBeGreaterThan(0);
      expect(issue.fix.length).toBeGreaterThan(0);
    }
  });

  test('resolution is cached until the next declaration, and the cache key changes with each one', () => {
    const model = new PlatformModel(DNS);
    model.addNamespace(namespace('web'));
    const first = model.resolve();
    expect(model.resolve()).toBe(first);
    const key = model.cacheKey();
    model.addWorkload(workload('web', 'a', {}));
    expect(model.cacheKey()).not.toBe(key);
    const second = model.resolve();
    expect(second).not.toBe(first);
    expect(second.ok).toBe(false);
  });

  test('the DNS declaration is validated too', () => {
    const model = new PlatformModel({ path: 'platform', namespace: 'Kube_System', selector: {}, ports: [] });
    const result = model.resolve();
    expect(result.ok ? [] : result.issues.map((i) => i.field)).toEqual(['dns.namespace', 'dns.selector', 'dns.ports']);
  });
});

describe('checks that need no cdk8s', () => {
  function issuesOf(model: PlatformModel): string[] {
    const result = model.resolve();
    return result.ok ? [] : result.issues.map((i) => `[${i.path}] ${i.field}: ${i.message}`);
  }

  test('DNS ports must be exact UDP or TCP ports: anything wider would reach the DNS pods on more than DNS', () => {
    const model = new PlatformModel({ ...DNS, ports: [Port.udp(53).spec, Port.all().spec, Port.tcpRange(53, 54).spec, Port.named('dns').spec, Port.allUdp().spec] });
    expect(issuesOf(model)).toEqual([
      '[platform] dns.ports[1]: Port.all() would open every port and protocol of the DNS pods to every pod of every namespace',
      '[platform] dns.ports[2]: the range 53-54/TCP would open more than the DNS port to every pod of every namespace',
      '[platform] dns.ports[3]: the named port dns/TCP opens whatever port the DNS pods name so, to every pod of every namespace',
      '[platform] dns.ports[4]: Port.allUdp() would open every UDP port of the DNS pods to every pod of every namespace',
    ]);
  });

  test('named ports of a flow are checked against the container ports a workload declares', () => {
    const model = new PlatformModel(DNS);
    model.addNamespace(namespace('web'));
    const client = workload('web', 'client', { app: 'client' });
    const api: WorkloadDeclaration = {
      ...workload('web', 'api', { app: 'api' }),
      containerPorts: () => [
        { field: 'adopt(apps/Api).containers[0].ports[0]', name: 'http', number: 8080, protocol: 'TCP' },
        { field: 'adopt(apps/Api).containers[0].ports[1]', number: 9000, protocol: 'TCP' },
        { field: 'adopt(apps/Api).containers[1].ports[0]', name: 'http', number: 8081, protocol: 'TCP' },
      ],
    };
    model.addWorkload(client);
    model.addWorkload(api);
    model.addFlow(flowTo(client, api, 1, Port.named('http').spec, Port.named('grpc').spec, Port.tcp(9000).spec));
    expect(issuesOf(model)).toEqual([
      "[platform/web/api] adopt(apps/Api).containers[1].ports[0].name: port name 'http' (8081/TCP) is also the name of adopt(apps/Api).containers[0].ports[0] (8080/TCP): " +
        'a named port must be unique in the pod, or a flow to it could open either port',
      "[platform/web/client] allowTo(#1).ports[1]: no container of workload web/api declares a port named 'grpc' (its named ports: http/TCP)",
    ]);
  });

  test('a tenant entry with a problem recorded by the construct is reported in its place', () => {
    const model = new PlatformModel(DNS);
    model.addNamespace(namespace('web'));
    model.addTenant({
      id: 't#1',
      path: 'platform/t',
      name: 't',
      namespaces: ['web', ''],
      namespaceProblems: new Map([[1, { message: 'namespace name must not be empty', fix: 'give it' }]]),
      allowIntraTenant: false,
      crossTenantTo: [],
      crossTenantFrom: [],
    });
    expect(issuesOf(model)).toEqual(['[platform/t] namespaces[1]: namespace name must not be empty']);
  });
});
