import { comparableObject, fieldDifferences } from '../../../src/analysis/audit';

function same(group: string, declared: Record<string, unknown>, live: Record<string, unknown>, namespaced = true): boolean {
  return fieldDifferences(comparableObject(declared, group, namespaced, declared), comparableObject(live, group, namespaced, declared)).length === 0;
}

const np = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'a', ...metadata }, spec });

describe('comparableObject', () => {
  test('NetworkPolicy: policyTypes defaulted by the egress rules, as a set; protocol TCP; empty lists absent', () => {
    expect(same('networking.k8s.io', np({ podSelector: {} }), np({ podSelector: {}, policyTypes: ['Ingress'] }))).toBe(true);
    expect(same('networking.k8s.io', np({ podSelector: {}, egress: [{}] }), np({ podSelector: {}, policyTypes: ['Egress', 'Ingress'], egress: [{}] }))).toBe(true);
    // An egress rule makes the default [Ingress, Egress], so [Ingress] alone differs.
    expect(same('networking.k8s.io', np({ podSelector: {}, egress: [{}] }), np({ podSelector: {}, policyTypes: ['Ingress'], egress: [{}] }))).toBe(false);
    expect(same('networking.k8s.io', np({ podSelector: {}, ingress: [{ from: [], ports: [{ port: 80 }] }] }),
      np({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }] }))).toBe(true);
    expect(same('networking.k8s.io', np({ podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] }),
      np({ podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'UDP' }] }] }))).toBe(false);
    expect(same('networking.k8s.io', np({ podSelector: { matchLabels: {} } }), np({ podSelector: {} }))).toBe(true);
    // `ingress: [{}]` (allow all) is not `ingress: []` (allow nothing).
    expect(same('networking.k8s.io', np({ podSelector: {}, ingress: [{}] }), np({ podSelector: {} }))).toBe(false);
  });

  test('server metadata, status and tool annotations are ignored; a declared tool label is compared', () => {
    const live = np({ podSelector: {} }, {
      uid: 'u',
      resourceVersion: '1',
      generation: 2,
      creationTimestamp: 't',
      managedFields: [{}],
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      labels: { 'app.kubernetes.io/instance': 'argo' },
    });
    expect(same('networking.k8s.io', np({ podSelector: {} }), { ...live, status: {} })).toBe(true);
    expect(same('networking.k8s.io', np({ podSelector: {} }, { labels: { 'app.kubernetes.io/instance': 'mine' } }), live)).toBe(false);
    expect(same('networking.k8s.io', np({ podSelector: {} }), np({ podSelector: {} }, { annotations: { note: 'x' } }))).toBe(false);
  });

  test('Namespace: the name label and the kubernetes finalizer are the server\'s', () => {
    const declared = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { tenant: 'a' } } };
    const live = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { 'tenant': 'a', 'kubernetes.io/metadata.name': 'a' } }, spec: { finalizers: ['kubernetes'] } };
    expect(same('', declared, live, false)).toBe(true);
    expect(same('', declared, { ...live, metadata: { name: 'a', labels: { 'tenant': 'b', 'kubernetes.io/metadata.name': 'a' } } }, false)).toBe(false);
  });

  test('Calico: tier default and types by the rules present', () => {
    const gnp = (spec: Record<string, unknown>): Record<string, unknown> => ({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'g' }, spec });
    expect(same('projectcalico.org', gnp({ egress: [{ action: 'Allow' }] }), gnp({ tier: 'default', types: ['Egress'], egress: [{ action: 'Allow' }] }), false)).toBe(true);
    expect(same('projectcalico.org', gnp({ egress: [{ action: 'Allow' }] }), gnp({ types: ['Ingress', 'Egress'], egress: [{ action: 'Allow' }] }), false)).toBe(false);
    expect(same('projectcalico.org', gnp({}), gnp({ types: ['Ingress'] }), false)).toBe(true);
  });

  test('fieldDifferences: paths to what differs; lists of different lengths as a whole', () => {
    expect(fieldDifferences({ a: { b: 1, c: [1, 2] } }, { a: { b: 2, c: [1, 2, 3] } })).toEqual([
      { path: 'a.b', expected: 1, actual: 2 },
      { path: 'a.c', expected: [1, 2], actual: [1, 2, 3] },
    ]);
    expect(fieldDifferences({ x: [{ p: 1 }] }, { x: [{ p: 1, q: 2 }] })).toEqual([{ path: 'x[0].q', actual: 2 }]);
  });
});
