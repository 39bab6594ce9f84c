/** Property tests over random small inventories (see random-inventory.ts). */
import * as fc from 'fast-check';
import { inventoryCase, ReferenceEvaluator } from './random-inventory';
import { computeConnectivity } from '../../src/analysis';

const RUNS = { numRuns: 300 };

describe('connectivity properties', () => {
  test('every verdict equals the naive reference evaluator', () => {
    fc.assert(fc.property(inventoryCase, ({ objects, options }) => {
      const reference = new ReferenceEvaluator(objects, options.externals);
      const report = computeConnectivity(objects, options).report();
      for (const verdict of report.connections) {
        const expected = reference.allowed(verdict.from, verdict.to, verdict);
        if (verdict.allowed !== expected) {
          throw new Error(`${verdict.from} -> ${verdict.to} ${verdict.port}/${verdict.protocol}: analyzer ${verdict.allowed}, reference ${expected}`);
        }
      }
    }), RUNS);
  });

  test('summary() counts exactly what report() lists, per namespace pair', () => {
    fc.assert(fc.property(inventoryCase, ({ objects, options }) => {
      const connectivity = computeConnectivity(objects, options);
      const report = connectivity.report();
      const summary = connectivity.summary();
      const groupOf = (id: string): string => (id.startsWith('external:') ? id : id.slice(0, id.indexOf('/')));
      const pairs = new Map<string, { allowed: number; evaluated: number }>();
      for (const verdict of report.connections) {
        const key = `${groupOf(verdict.from)} ${groupOf(verdict.to)}`;
        const entry = pairs.get(key) ?? { allowed: 0, evaluated: 0 };
        entry.evaluated++;
        if (verdict.allowed) entry.allowed++;
        pairs.set(key, entry);
      }
      const expected = [...pairs]
        .filter(([, counts]) => counts.allowed > 0)
        .map(([key, counts]) => ({ from: key.split(' ')[0], to: key.split(' ')[1], ...counts }))
        .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
      expect(summary.evaluated).toBe(report.connections.length);
      expect(summary.allowed).toBe(report.connections.filter((verdict) => verdict.allowed).length);
      expect(summary.endpoints).toBe(report.pods.length);
      expect(summary.namespacePairs).toEqual(expected);
    }), RUNS);
  });

  test('with every pod isolated both ways, adding a policy never removes an allowed connection', () => {
    fc.assert(fc.property(inventoryCase, inventoryCase, ({ objects, options }, extra) => {
      const denyAll = ['n1', 'n2', 'n3'].map((ns) => ({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny-all', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      }));
      const added = extra.objects.filter((object) => object.kind === 'NetworkPolicy')
        .map((object) => ({ ...object, metadata: { ...(object.metadata as object), name: `extra-${(object.metadata as { name: string }).name}` } }));
      const before = computeConnectivity([...objects, ...denyAll], options).report().connections;
      const after = computeConnectivity([...objects, ...denyAll, ...added], options).report().connections;
      expect(after).toHaveLength(before.length);
      before.forEach((verdict, index) => {
        if (verdict.allowed) expect(after[index]).toEqual(expect.objectContaining({ from: verdict.from, to: verdict.to, allowed: true }));
      });
    }), { numRuns: 150 });
  });

  test('connections between pods of namespaces without policies are always allowed', () => {
    fc.assert(fc.property(inventoryCase, ({ objects, options }) => {
      const withPolicies = new Set(objects.filter((object) => object.kind === 'NetworkPolicy').map((object) => (object.metadata as { namespace: string }).namespace));
      const free = (id: string): boolean => !id.startsWith('external:') && !withPolicies.has(id.slice(0, id.indexOf('/')));
      for (const verdict of computeConnectivity(objects, options).report().connections) {
        if (free(verdict.from) && free(verdict.to)) {
          expect(verdict).toEqual(expect.objectContaining({ allowed: true, egressPolicies: [], ingressPolicies: [] }));
        }
      }
    }), RUNS);
  });

  test('a denied verdict names no policy; an allowed one names policies only on isolated sides', () => {
    fc.assert(fc.property(inventoryCase, ({ objects, options }) => {
      for (const verdict of computeConnectivity(objects, options).report().connections) {
        if (!verdict.allowed) {
          expect(verdict.egressPolicies).toEqual([]);
          expect(verdict.ingressPolicies).toEqual([]);
        }
        expect([...verdict.egressPolicies].sort()).toEqual(verdict.egressPolicies);
        if (verdict.from.startsWith('external:')) expect(verdict.egressPolicies).toEqual([]);
        if (verdict.to.startsWith('external:')) expect(verdict.ingressPolicies).toEqual([]);
      }
    }), RUNS);
  });
});
