/**
 * The set form of the Calico dialect (`probeSets`, compiled to bitsets) against the per-verdict evaluation
 * (`decide`) on random clusters: the same effect for every subject, peer, direction and probe port. The semantics
 * table runs the same check on each of its cases (semantics.test.ts).
 */
import * as fc from 'fast-check';
import { CALICO_EXTERNALS, calicoCase } from './random-calico-policies';
import { buildConnectivity, peerEffect } from '../../../../src/analysis/connectivity';
import { EndpointUniverse } from '../../../../src/analysis/core/endpoint-universe';
import { externalEndpoints } from '../../../../src/analysis/core/endpoints';
import { CompiledPolicies } from '../../../../src/analysis/dialect';
import { calicoNetworkPolicy } from '../../../../src/analysis/dialects/calico';
import { normalizeInput } from '../../../../src/analysis/manifests/documents';
import { buildInventory } from '../../../../src/analysis/manifests/inventory';
import { ProbePort } from '../../../../src/analysis/types';

const PROBES: readonly ProbePort[] = [
  { port: 80, protocol: 'TCP' },
  { port: 80, protocol: 'UDP' },
  { port: 80, protocol: 'SCTP' },
  { port: 53, protocol: 'UDP' },
  { port: 8080, protocol: 'TCP' },
  { port: 85, protocol: 'TCP' },
];

function compile(objects: readonly unknown[]): { universe: EndpointUniverse; compiled: CompiledPolicies } {
  const reader = calicoNetworkPolicy.reader();
  const inventory = buildInventory(normalizeInput(objects), [{ kinds: calicoNetworkPolicy.kinds, read: reader.read.bind(reader) }]);
  if (inventory.issues.length > 0) throw new Error(`random case is invalid: ${JSON.stringify(inventory.issues)}`);
  const serviceAccounts = new Map(inventory.serviceAccounts.map((account) => [account.id, account.labels]));
  const universe = new EndpointUniverse(inventory.namespaces, inventory.pods, externalEndpoints(CALICO_EXTERNALS), { serviceAccounts });
  return { universe, compiled: reader.compile(universe, { services: inventory.services }) };
}

describe('Calico set form', () => {
  test('every random case is valid input', () => {
    fc.assert(fc.property(calicoCase, ({ objects }) => {
      expect(() => compile(objects)).not.toThrow();
    }), { numRuns: 300 });
  });

  test('probeSets() agrees with decide() for every subject, peer, direction and probe port', () => {
    fc.assert(fc.property(calicoCase, ({ objects }) => {
      const { universe, compiled } = compile(objects);
      for (const probe of PROBES) {
        const sets = compiled.probeSets(probe);
        for (const subject of universe.endpoints) {
          if (subject.kind === 'external') continue;
          for (const direction of ['Egress', 'Ingress'] as const) {
            const answer = direction === 'Egress' ? sets.egress(subject.index) : sets.ingress(subject.index);
            for (const peer of universe.endpoints) {
              const destination = direction === 'Egress' ? peer : subject;
              const decided = compiled.decide({ direction, subject, peer, probe, destination }).effect;
              const fromSets = peerEffect(answer, peer.index);
              if (fromSets !== decided) {
                throw new Error(`${direction} of ${subject.id}, peer ${peer.id}, ${probe.port}/${probe.protocol}: sets ${fromSets}, decide ${decided}`);
              }
            }
          }
        }
      }
    }), { numRuns: 300 });
  });

  test('the random policies decide some connections each way (the property is not vacuous)', () => {
    const effects = new Set<string>();
    fc.assert(fc.property(calicoCase, ({ objects }) => {
      const { universe, compiled } = compile(objects);
      for (const probe of PROBES) {
        const sets = compiled.probeSets(probe);
        for (const subject of universe.endpoints) {
          if (subject.kind === 'external') continue;
          for (const peer of universe.endpoints) {
            effects.add(peerEffect(sets.ingress(subject.index), peer.index));
            effects.add(peerEffect(sets.egress(subject.index), peer.index));
          }
        }
      }
    }), { numRuns: 100, seed: 7 });
    expect([...effects].sort()).toEqual(['allow', 'deny', 'isolated', 'not-isolated']);
  });

  test('summary() counts exactly what report() lists', () => {
    fc.assert(fc.property(calicoCase, ({ objects }) => {
      const connectivity = buildConnectivity(objects, { cni: 'calico', externals: CALICO_EXTERNALS, ports: PROBES });
      const report = connectivity.report();
      const summary = connectivity.summary();
      expect(summary.evaluated).toBe(report.connections.length);
      expect(summary.allowed).toBe(report.connections.filter((verdict) => verdict.allowed).length);
    }), { numRuns: 100 });
  });
});
