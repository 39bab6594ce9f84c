import { compile } from './compile';
import { Endpoint } from '../../../../src/analysis/core/endpoints';
import { DirectionQuery } from '../../../../src/analysis/dialect';
import { decide } from '../../../../src/analysis/dialects/kubernetes/decision';
import { Protocol } from '../../../../src/analysis/types';
import { namespace, netpol, pod } from '../../helpers';

const { universe, rules } = compile([
  namespace('ns'),
  pod('ns/client', { app: 'client' }, []),
  pod('ns/server', { app: 'server' }, [{ port: 8080, name: 'http' }]),
  netpol('ns/deny', { podSelector: {}, policyTypes: ['Ingress'] }),
  netpol('ns/server-in', {
    podSelector: { matchLabels: { app: 'server' } },
    ingress: [
      { from: [{ podSelector: { matchLabels: { app: 'nobody' } } }, { podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 9000 }, { port: 'http' }] },
      { from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 22 }] },
    ],
  }),
]);
const endpoint = (id: string): Endpoint => universe.endpoints[universe.indexOf(id)!];

function ingress(port: number, protocol: Protocol = 'TCP'): DirectionQuery {
  const server = endpoint('ns/server');
  return { direction: 'Ingress', subject: server, peer: endpoint('ns/client'), probe: { port, protocol }, destination: server };
}

describe('NetworkPolicy decision', () => {
  test('allow: the matching rules, each with the first peer and port entries that matched', () => {
    const decision = decide(rules, ingress(8080));
    expect(decision.effect).toBe('allow');
    expect(decision.selectingPolicies.map((policy) => policy.key)).toEqual(['ns/deny', 'ns/server-in']);
    expect(decision.matches.map((match) => [match.rule.policy.key, match.rule.index, match.peerIndex, match.portIndex])).toEqual([['ns/server-in', 0, 1, 1]]);
    expect(decision.nearMisses.map((rule) => rule.index)).toEqual([1]);
  });

  test('isolated: no rule matched; rules whose peer matched but not the port are near misses', () => {
    const decision = decide(rules, ingress(8080, 'UDP'));
    expect(decision.effect).toBe('isolated');
    expect(decision.matches).toEqual([]);
    expect(decision.nearMisses.map((rule) => rule.index)).toEqual([0, 1]);
  });

  test('not-isolated: no policy selects the subject for the direction', () => {
    const client = endpoint('ns/client');
    const server = endpoint('ns/server');
    const decision = decide(rules, { direction: 'Egress', subject: client, peer: server, probe: { port: 8080, protocol: 'TCP' }, destination: server });
    expect(decision).toEqual(expect.objectContaining({ effect: 'not-isolated', matches: [], selectingPolicies: [], nearMisses: [] }));
  });

  test('the words come from the decision itself', () => {
    expect(decide(rules, ingress(8080)).describe()).toEqual({
      reason: 'ns/server is isolated for ingress by ns/deny, ns/server-in; allowed by ns/server-in ingress[0].',
      matchDetails: ['from[1] (podSelector), ports[1] http (8080/TCP)'],
    });
  });
});
