import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Backend, Port, ZeroTrustNamespace, ZeroTrustPlatform } from '../../../src';
import { computeConnectivity, ProbePort } from '../../../src/analysis';
import { diffConnectivity } from '../../../src/analysis/diff';
import { normalizeInput } from '../../../src/analysis/manifests/documents';
import { toAnalysisInput } from '../../../src/testing/subject';
import { namespace, netpol, pod } from '../helpers';
import { inventoryCase } from '../random-inventory';

type Obj = Record<string, unknown>;

const base: Obj[] = [
  namespace('web', { tenant: 'alpha' }),
  namespace('data', { tenant: 'alpha' }),
  pod('web/frontend', { app: 'frontend' }, [{ port: 8080 }]),
  pod('data/db', { app: 'db' }, [{ port: 5432 }]),
  netpol('data/default-deny', { podSelector: {}, policyTypes: ['Ingress'] }),
];
const allowDb = netpol('data/allow-frontend', {
  podSelector: { matchLabels: { app: 'db' } },
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } } }], ports: [{ port: 5432 }] }],
});

describe('diffConnectivity', () => {
  test('identical sides: nothing opened or closed, nothing compared', () => {
    const diff = diffConnectivity(base, [...base]);
    expect(diff.opened).toEqual([]);
    expect(diff.closed).toEqual([]);
    expect(diff.scope).toMatchObject({ mode: 'none', changedObjects: [], comparedEndpoints: 0 });
  });

  test('a policy added opens exactly its connection, naming the rule on the head side', () => {
    const diff = diffConnectivity(base, [...base, allowDb]);
    expect(diff.closed).toEqual([]);
    expect(diff.opened.map((c) => `${c.from} -> ${c.to} ${c.port}/${c.protocol}`)).toEqual(['web/frontend -> data/db 5432/TCP']);
    const [change] = diff.opened;
    expect(change.base.allowed).toBe(false);
    expect(change.base.ingress.reason).toContain('data/default-deny');
    expect(change.head.ingress.allowedBy.map((rule) => `${rule.policy}#${rule.ruleIndex}`)).toEqual(['data/allow-frontend#0']);
    // Only the policy's subject was compared (db, for both directions it could touch).
    expect(diff.scope).toMatchObject({ mode: 'policies', changedObjects: ['NetworkPolicy data/allow-frontend'], comparedEndpoints: 1, endpoints: 2 });
  });

  test('the same policy removed closes it', () => {
    const diff = diffConnectivity([...base, allowDb], base);
    expect(diff.opened).toEqual([]);
    expect(diff.closed.map((c) => `${c.from} -> ${c.to} ${c.port}`)).toEqual(['web/frontend -> data/db 5432']);
  });

  test('a namespace label change is compared over every endpoint', () => {
    const selectsTenant = netpol('data/allow-tenant', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { tenant: 'alpha' } } }] }],
    });
    const head = [namespace('web', { tenant: 'beta' }), ...base.slice(1), selectsTenant];
    const diff = diffConnectivity([...base, selectsTenant], head);
    expect(diff.scope.mode).toBe('all');
    expect(diff.closed.map((c) => `${c.from} -> ${c.to} ${c.port}`)).toEqual(['web/frontend -> data/db 5432']);
  });

  test('a pod only in head is evaluated under both sides', () => {
    const head = [...base, pod('web/admin', { app: 'admin' }, [{ port: 9000 }])];
    const diff = diffConnectivity(base, head);
    // The new pod is not isolated on either side: nothing changes in connectivity, although an object was added.
    expect(diff.scope.changedObjects).toEqual(['Pod web/admin']);
    expect(diff.opened).toEqual([]);
    expect(diff.closed).toEqual([]);
  });

  test('a change on one side of a connection only: closed by the source egress', () => {
    const egressDeny = netpol('web/deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
    const diff = diffConnectivity([...base, allowDb], [...base, allowDb, egressDeny]);
    expect(diff.closed.map((c) => `${c.from} -> ${c.to} ${c.port}`)).toEqual([
      'web/frontend -> data/db 5432',
      'web/frontend -> web/frontend 8080',
    ]);
    expect(diff.closed[0].head.egress.reason).toContain('web/deny-egress');
  });
});

/** Every (from, to, port) verdict of one side, by computing it alone. */
function verdicts(objects: readonly unknown[], options: { ports?: readonly ProbePort[]; externals?: Record<string, string> }): Map<string, boolean> {
  const connectivity = computeConnectivity(objects, options);
  const out = new Map<string, boolean>();
  for (const from of connectivity.endpoints) {
    for (const to of connectivity.endpoints) {
      for (const port of connectivity.probedPorts(to)) out.set(`${from} -> ${to} ${port.port}/${port.protocol}`, connectivity.isAllowed(from, to, port));
    }
  }
  return out;
}

describe('diffConnectivity: properties', () => {
  const isPolicy = (o: Obj): boolean => o.kind === 'NetworkPolicy';

  test('opened and closed are exactly the verdicts that differ when each side is analyzed alone; the fast path equals the full one', () => {
    fc.assert(fc.property(inventoryCase, inventoryCase, fc.boolean(), (a, b, relabel) => {
      // Head: base's endpoints, base's policies with b's (renamed apart) added and some of a's dropped; namespaces
      // relabelled from b when asked.
      const aPolicies = a.objects.filter(isPolicy);
      const bPolicies = b.objects.filter(isPolicy).map((p) => ({ ...p, metadata: { ...(p.metadata as Obj), name: `head-${(p.metadata as Obj).name as string}` } }));
      const endpoints = a.objects.filter((o) => !isPolicy(o));
      const headEndpoints = relabel
        ? endpoints.map((o) => (o.kind === 'Namespace' ? b.objects.find((n) => n.kind === 'Namespace' && (n.metadata as Obj).name === (o.metadata as Obj).name) ?? o : o))
        : endpoints;
      const baseObjects = [...endpoints, ...aPolicies];
      const headObjects = [...headEndpoints, ...aPolicies.filter((_, i) => i % 2 === 0), ...bPolicies];
      const options = a.options;
      const fast = diffConnectivity(baseObjects, headObjects, options);
      const full = diffConnectivity(baseObjects, headObjects, { ...options, compare: 'all' });
      const key = (c: { from: string; to: string; port: number; protocol: string }): string => `${c.from} -> ${c.to} ${c.port}/${c.protocol}`;
      expect(fast.opened.map(key)).toEqual(full.opened.map(key));
      expect(fast.closed.map(key)).toEqual(full.closed.map(key));

      const before = verdicts(baseObjects, options);
      const after = verdicts(headObjects, options);
      const opened = [...after].filter(([k, allowed]) => allowed && before.get(k) === false).map(([k]) => k).sort();
      const closed = [...after].filter(([k, allowed]) => !allowed && before.get(k) === true).map(([k]) => k).sort();
      expect(fast.opened.map(key).sort()).toEqual(opened);
      expect(fast.closed.map(key).sort()).toEqual(closed);
      for (const change of [...fast.opened, ...fast.closed]) {
        expect(change.base.allowed).toBe(change.change === 'closed');
        expect(change.head.allowed).toBe(change.change === 'opened');
      }
    }), { numRuns: 200 });
  });
});

describe('diffConnectivity under Calico: a staged namespace enforced', () => {
  /** The platform's manifests and representative pods, with alpha-web staged or enforced. */
  function calicoPlatform(staged: boolean): unknown[] {
    const app = Testing.app();
    const platform = new ZeroTrustPlatform(app, 'platform', { backend: Backend.calico(staged ? { stagedNamespaces: ['web'] } : {}) });
    const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    const frontend = web.workload('frontend', { labels: { app: 'frontend' } });
    const backend = web.workload('backend', { labels: { app: 'backend' } });
    frontend.allowTo(backend, Port.tcp(9000));
    const { input } = toAnalysisInput(platform);
    return normalizeInput(input).documents.map((document) => document.object);
  }

  test('enforcing closes exactly what the staged policies would deny; the fast path agrees with comparing everything', () => {
    const before = calicoPlatform(true);
    const after = calicoPlatform(false);
    const fast = diffConnectivity(before, after, { cni: 'calico' });
    const full = diffConnectivity(before, after, { cni: 'calico', compare: 'all' });
    expect(fast.scope.mode).toBe('policies');
    const key = (c: { from: string; to: string; port: number }) => `${c.from} -> ${c.to} ${c.port}`;
    expect(fast.closed.map(key)).toEqual(full.closed.map(key));
    expect(fast.opened).toEqual([]);
    // Staged, nothing in web is enforced (the namespace profile allows all); enforced, only the declared flow.
    const enforced = computeConnectivity(after, { cni: 'calico' });
    const staged = computeConnectivity(before, { cni: 'calico' });
    const expected = enforced.report().connections.filter((c) => !c.allowed && staged.isAllowed(c.from, c.to, c)).map(key).sort();
    expect(fast.closed.map(key).sort()).toEqual(expected);
    expect(expected).toContain('web/backend -> web/backend 9000');
    expect(fast.closed.map(key)).not.toContain('web/frontend -> web/backend 9000');
  });
});
