/** The set form must agree with the per-verdict decision for every subject, peer and probe. */
import * as fc from 'fast-check';
import { compile } from './compile';
import { peerEffect } from '../../../../src/analysis/connectivity';
import { Direction } from '../../../../src/analysis/dialect';
import { ProbePort } from '../../../../src/analysis/types';
import { inventoryCase } from '../../random-inventory';

const PROBES: readonly ProbePort[] = [
  { port: 80, protocol: 'TCP' }, { port: 81, protocol: 'UDP' }, { port: 53, protocol: 'UDP' },
  { port: 53, protocol: 'TCP' }, { port: 82, protocol: 'SCTP' }, { port: 443, protocol: 'TCP' },
];

describe('NetworkPolicy set form', () => {
  test('per subject and probe, each peer has the effect that decide() gives', () => {
    fc.assert(fc.property(inventoryCase, ({ objects, options }) => {
      const { universe, dialect } = compile(objects, options.externals);
      for (const probe of PROBES) {
        const sets = dialect.probeSets(probe);
        for (const subject of universe.endpoints) {
          if (subject.kind === 'external') continue;
          for (const direction of ['Egress', 'Ingress'] as Direction[]) {
            const answer = direction === 'Egress' ? sets.egress(subject.index) : sets.ingress(subject.index);
            for (const peer of universe.endpoints) {
              const destination = direction === 'Egress' ? peer : subject;
              const decision = dialect.decide({ direction, subject, peer, probe, destination });
              if (peerEffect(answer, peer.index) !== decision.effect) {
                throw new Error(`${direction} of ${subject.id}, peer ${peer.id}, ${probe.port}/${probe.protocol}: sets ${peerEffect(answer, peer.index)}, decide ${decision.effect}`);
              }
            }
          }
        }
      }
    }), { numRuns: 150 });
  });
});
