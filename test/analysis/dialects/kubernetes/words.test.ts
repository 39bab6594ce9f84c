import { compile } from './compile';
import { DirectionQuery } from '../../../../src/analysis/dialect';
import { decide } from '../../../../src/analysis/dialects/kubernetes/decision';
import { describeMatch, ruleName } from '../../../../src/analysis/dialects/kubernetes/words';
import { namespace, netpol, pod } from '../../helpers';

const { universe, rules } = compile([
  namespace('ns'),
  pod('ns/a', { app: 'a' }, [{ port: 53, protocol: 'UDP', name: 'dns' }], '10.0.0.1'),
  pod('ns/b', { app: 'b' }),
  netpol('ns/a-in', {
    podSelector: { matchLabels: { app: 'a' } },
    ingress: [
      { from: [{ ipBlock: { cidr: '10.0.0.0/24', except: ['10.0.0.128/25'] } }], ports: [{ protocol: 'UDP', port: 'dns' }] },
      { from: [{ namespaceSelector: {}, podSelector: {} }], ports: [{ protocol: 'UDP' }, { protocol: 'UDP', port: 50, endPort: 60 }] },
      { ports: [{ port: 53, protocol: 'UDP' }] },
    ],
  }),
]);

function query(from: string, port: number): DirectionQuery {
  const subject = universe.endpoints[universe.indexOf('ns/a')!];
  return { direction: 'Ingress', subject, peer: universe.endpoints[universe.indexOf(from)!], probe: { port, protocol: 'UDP' }, destination: subject };
}

describe('NetworkPolicy words', () => {
  test('each kind of peer and port entry', () => {
    const decision = decide(rules, query('ns/a', 53));
    expect(decision.matches.map((match) => describeMatch(match, { port: 53, protocol: 'UDP' }))).toEqual([
      'from[0] (ipBlock 10.0.0.0/24 except 10.0.0.128/25), ports[0] dns (53/UDP)',
      'from[0] (namespaceSelector+podSelector), ports[0] all UDP ports',
      'any peer (no from), ports[0] 53/UDP',
    ]);
    const range = decide(rules, query('ns/b', 55));
    expect(range.describe().matchDetails).toEqual(['from[0] (namespaceSelector+podSelector), ports[0] all UDP ports']);
  });

  test('rule names', () => {
    expect(ruleName('Ingress', 'ns/p', 2)).toBe('ns/p ingress[2]');
    expect(ruleName('Egress', 'ns/p', 0)).toBe('ns/p egress[0]');
  });

  test('reasons name the kind, the selecting policies and the near misses', () => {
    const b = universe.endpoints[universe.indexOf('ns/b')!];
    const open = decide(rules, { direction: 'Ingress', subject: b, peer: b, probe: { port: 1, protocol: 'TCP' }, destination: b });
    expect(open.describe().reason).toBe('No NetworkPolicy in namespace ns selects ns/b for Ingress, so its ingress is not restricted.');
    const closed = decide(rules, { ...query('ns/b', 1), probe: { port: 1, protocol: 'TCP' } });
    expect(closed.describe().reason).toBe('ns/a is isolated for ingress by ns/a-in; none of its ingress rules admits ns/b on 1/TCP (ns/a-in ingress[1], ns/a-in ingress[2] match the peer but not the port).');
  });
});
