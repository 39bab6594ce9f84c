/**
 * Property tests on random clusters under Cilium: the per-verdict answer (`decide`) and the set form
 * (`probeSets`) agree for every subject, peer and probe port, for the Cilium dialect and for NetworkPolicy
 * under Cilium; and the summary folded from the set forms counts exactly the verdicts of the report.
 */
import * as fc from 'fast-check';
import { ciliumCase, EXTERNAL_ADDRESSES } from './random-policies';
import { buildConnectivity, peerEffect } from '../../../../src/analysis/connectivity';
import { EndpointUniverse } from '../../../../src/analysis/core/endpoint-universe';
import { externalEndpoints } from '../../../../src/analysis/core/endpoints';
import { CompiledPolicies, Dialect } from '../../../../src/analysis/dialect';
import { CILIUM_DIALECTS } from '../../../../src/analysis/dialects';
import { normalizeInput } from '../../../../src/analysis/manifests/documents';
import { buildInventory } from '../../../../src/analysis/manifests/inventory';
import { ProbePort } from '../../../../src/analysis/types';

const PROBES: readonly ProbePort[] = [
  { port: 80, protocol: 'TCP' },
  { port: 80, protocol: 'UDP' },
  { port: 80, protocol: 'SCTP' },
  { port: 53, protocol: 'UDP' },
  { port: 53, protocol: 'TCP' },
  { port: 8080, protocol: 'TCP' },
  { port: 85, protocol: 'TCP' },
];

function compileAll(objects: readonly unknown[]): { universe: EndpointUniverse; dialects: { dialect: Dialect; compiled: CompiledPolicies }[] } {
  const readers = CILIUM_DIALECTS.map((dialect) => ({ dialect, reader: dialect.reader() }));
  const objectReaders = readers.map(({ dialect, reader }) => ({ kinds: dialect.kinds, read: reader.read.bind(reader) }));
  const inventory = buildInventory(normalizeInput(objects), objectReaders);
  if (inventory.issues.length > 0) throw new Error(`random case is invalid: ${JSON.stringify(inventory.issues)}`);
  const universe = new EndpointUniverse(inventory.namespaces, inventory.pods, externalEndpoints(EXTERNAL_ADDRESSES), {
    nodes: inventory.nodes,
    apiServerAddresses: inventory.apiServerAddresses,
    clusterName: inventory.clusterName,
  });
  const dialects = readers.map(({ dialect, reader }) => ({ dialect, compiled: reader.compile(universe, { services: inventory.services }) }));
  return { universe, dialects };
}

describe('Cilium properties', () => {
  test('decide() and probeSets() agree for every subject, peer and probe port', () => {
    fc.assert(fc.property(ciliumCase, ({ objects }) => {
      const { universe, dialects } = compileAll(objects);
      for (const { dialect, compiled } of dialects) {
        for (const probe of PROBES) {
          const sets = compiled.probeSets(probe);
          for (const subject of universe.endpoints) {
            if (subject.kind === 'external') continue;
            for (const direction of ['Egress', 'Ingress'] as const) {
              const answer = direction === 'Egress' ? sets.egress(subject.index) : sets.ingress(subject.index);
              for (const peer of universe.endpoints) {
                const destination = direction === 'Egress' ? peer : subject;
                const decision = compiled.decide({ direction, subject, peer, probe, destination });
                const fromSets = peerEffect(answer, peer.index);
                if (fromSets !== decision.effect) {
                  throw new Error(`${dialect.name}: ${direction} of ${subject.id}, peer ${peer.id}, ${probe.port}/${probe.protocol}: sets ${fromSets}, decide ${decision.effect}`);
                }
              }
            }
          }
        }
      }
    }), { numRuns: 250 });
  });

  test('summary() counts exactly what report() lists (NetworkPolicy and Cilium folded per endpoint)', () => {
    fc.assert(fc.property(ciliumCase, ({ objects }) => {
      const connectivity = buildConnectivity(objects, { cni: 'cilium', externals: EXTERNAL_ADDRESSES, ports: PROBES });
      const report = connectivity.report();
      const summary = connectivity.summary();
      expect(summary.evaluated).toBe(report.connections.length);
      expect(summary.allowed).toBe(report.connections.filter((verdict) => verdict.allowed).length);
    }), { numRuns: 150 });
  });

  test('every random case is valid input', () => {
    fc.assert(fc.property(ciliumCase, ({ objects }) => {
      expect(() => compileAll(objects)).not.toThrow();
    }), { numRuns: 300 });
  });
});
