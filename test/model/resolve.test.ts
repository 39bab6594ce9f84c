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
