import { compile } from './compile';
import { forEachBit } from '../../../../src/analysis/core/bitset';
import { namespace, netpol, pod } from '../../helpers';

const members = (bits: Uint32Array | undefined): number[] | undefined => {
  if (!bits) return undefined;
  const indices: number[] = [];
  forEachBit(bits, (index) => indices.push(index));
  return indices;
};

const objects = [
  namespace('a', { team: 't' }),
  namespace('b'),
  pod('a/web', { app: 'web' }, [{ port: 80 }], '10.0.0.1'),
  pod('a/db', { app: 'db' }),
  pod('b/web', { app: 'web' }),
  netpol('a/web-in', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [
      { from: [{ podSelector: { matchLabels: { app: 'db' } } }, { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }] },
      { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] },
      {},
    ],
  }),
  netpol('a/all-egress', { podSelector: {}, policyTypes: ['Egress'] }),
  netpol('b/other', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }),
];

describe('compiled NetworkPolicy rules', () => {
  const { universe, rules } = compile(objects, { partner: '10.1.0.1' });
  const index = (id: string): number => universe.indexOf(id)!;

  test('isolation per endpoint and direction comes from the policies of its own namespace', () => {
    expect(rules.policiesFor('Ingress', index('a/web')).map((policy) => policy.key)).toEqual(['a/web-in']);
    expect(rules.policiesFor('Ingress', index('a/db'))).toEqual([]);
    expect(rules.rulesFor('Ingress', index('a/db'))).toBeUndefined();
    expect(rules.policiesFor('Egress', index('a/db')).map((policy) => policy.key)).toEqual(['a/all-egress']);
    expect(rules.rulesFor('Egress', index('a/db'))).toEqual([]);
    expect(rules.rulesFor('Egress', index('external:partner'))).toBeUndefined();
    expect(rules.policiesFor('Ingress', index('b/web')).map((policy) => policy.key)).toEqual(['b/other']);
  });

  test('peers become endpoint sets: podSelector alone is scoped to the policy namespace; ipBlock matches addresses', () => {
    const [selectors, block, any] = rules.rulesFor('Ingress', index('a/web'))!;
    expect(selectors.peerSets.map(members)).toEqual([[index('a/db')], [index('a/web'), index('b/web')]]);
    expect(members(selectors.peerUnion)).toEqual([0, 1, 2]);
    expect(members(block.peerUnion)).toEqual([index('a/web'), index('external:partner')]);
    expect(any.peerUnion).toBeUndefined();
    expect(any.peerSets).toEqual([]);
    expect([selectors, block, any].map((rule) => `${rule.policy.key} ${rule.direction}[${rule.index}]`)).toEqual([
      'a/web-in Ingress[0]', 'a/web-in Ingress[1]', 'a/web-in Ingress[2]',
    ]);
    // b/other's podSelector reaches only the pods of b.
    expect(members(rules.rulesFor('Ingress', index('b/web'))![0].peerUnion)).toEqual([index('b/web')]);
  });

  test('rules are numbered in policy order (namespace, then name), whatever the input order', () => {
    const reversed = compile([...objects].reverse()).rules;
    expect(reversed.rules.map((rule) => `${rule.id} ${rule.policy.key}`)).toEqual(rules.rules.map((rule) => `${rule.id} ${rule.policy.key}`));
    expect(rules.rules.map((rule) => rule.policy.key)).toEqual(['a/web-in', 'a/web-in', 'a/web-in', 'b/other']);
  });
});
