import * as fc from 'fast-check';
import { namespace, netpol, pod, tcp, udp } from './helpers';
import { analyze, computeConnectivity } from '../../src/analysis';
import { foldLayer, foldPeerSets, layerAdmits, LayerEffect, peerEffect } from '../../src/analysis/connectivity';
import { Bitset, emptyBitset, forEachBit, hasBit, setBit } from '../../src/analysis/core/bitset';
import { EndpointUniverse } from '../../src/analysis/core/endpoint-universe';
import { Decision, Effect, PeerSets } from '../../src/analysis/dialect';

const objects = [
  namespace('b'),
  pod('b/server', { app: 'server' }, [{ port: 53, protocol: 'UDP' }, { port: 80 }, { port: 53 }, { port: 80 }]),
  pod('a/client', { app: 'client' }, []),
  netpol('b/z-allow-client', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'client' } } }] }] }),
  netpol('b/a-allow-client-80', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 80 }] }] }),
  netpol('a/egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { namespaceSelector: {} }] }] }),
];

describe('computeConnectivity', () => {
  const connectivity = computeConnectivity(objects, { externals: { web: '198.51.100.7', dns: '9.9.9.9' } });

  test('endpoints: pods by namespace then name, then externals by name', () => {
    expect(connectivity.endpoints).toEqual(['a/client', 'b/server', 'external:dns', 'external:web']);
  });

  test('probed ports: the destination container ports, de-duplicated and sorted; none for externals', () => {
    expect(connectivity.probedPorts('b/server')).toEqual([tcp(53), udp(53), tcp(80)]);
    expect(connectivity.probedPorts('a/client')).toEqual([]);
    expect(connectivity.probedPorts('external:web')).toEqual([]);
  });

  test('options.ports replaces the probed ports of every destination, externals included', () => {
    const probed = computeConnectivity(objects, { externals: { web: '198.51.100.7' }, ports: [tcp(443), tcp(80), tcp(443)] });
    expect(probed.probedPorts('b/server')).toEqual([tcp(80), tcp(443)]);
    expect(probed.probedPorts('external:web')).toEqual([tcp(80), tcp(443)]);
    expect(() => computeConnectivity(objects, { ports: [tcp(0)] })).toThrow(/Probe port/);
  });

  test('verdicts list the sorted policies that allowed each side, and nothing for a side that is not isolated', () => {
    expect(connectivity.verdict('a/client', 'b/server', tcp(80))).toEqual({
      from: 'a/client',
      to: 'b/server',
      port: 80,
      protocol: 'TCP',
      allowed: true,
      egressPolicies: ['a/egress'],
      ingressPolicies: ['b/a-allow-client-80', 'b/z-allow-client'],
    });
    expect(connectivity.verdict('b/server', 'a/client', tcp(80))).toEqual({
      from: 'b/server', to: 'a/client', port: 80, protocol: 'TCP', allowed: true, egressPolicies: [], ingressPolicies: [],
    });
    expect(connectivity.verdict('external:web', 'b/server', udp(53))).toEqual({
      from: 'external:web', to: 'b/server', port: 53, protocol: 'UDP', allowed: false, egressPolicies: [], ingressPolicies: [],
    });
    expect(connectivity.verdict('a/client', 'external:web', tcp(443))).toEqual(expect.objectContaining({ allowed: true, egressPolicies: ['a/egress'] }));
  });

  test('report() lists every ordered pair, self included, times the destination probed ports', () => {
    const report = analyze(objects);
    expect(report.pods).toEqual(['a/client', 'b/server']);
    expect(report.connections.map((v) => `${v.from}>${v.to} ${v.port}/${v.protocol} ${v.allowed ? 'allow' : 'deny'}`)).toEqual([
      'a/client>b/server 53/TCP allow',
      'a/client>b/server 53/UDP allow',
      'a/client>b/server 80/TCP allow',
      'b/server>b/server 53/TCP deny',
      'b/server>b/server 53/UDP deny',
      'b/server>b/server 80/TCP allow',
    ]);
  });

  test('summary() counts per namespace pair, with externals as their own group', () => {
    const summary = computeConnectivity(objects, { externals: { web: '198.51.100.7' }, ports: [tcp(80)] }).summary();
    // By hand: a/client's egress allows pods (namespaceSelector {}) and externals (0.0.0.0/0); b/server admits
    // pods on 80 only; nothing else is isolated. Denied: external:web -> b/server only.
    expect(summary).toEqual({
      endpoints: 3,
      ports: 1,
      evaluated: 9,
      allowed: 8,
      namespacePairs: [
        { from: 'a', to: 'a', allowed: 1, evaluated: 1 },
        { from: 'a', to: 'b', allowed: 1, evaluated: 1 },
        { from: 'a', to: 'external:web', allowed: 1, evaluated: 1 },
        { from: 'b', to: 'a', allowed: 1, evaluated: 1 },
        { from: 'b', to: 'b', allowed: 1, evaluated: 1 },
        { from: 'b', to: 'external:web', allowed: 1, evaluated: 1 },
        { from: 'external:web', to: 'a', allowed: 1, evaluated: 1 },
        { from: 'external:web', to: 'external:web', allowed: 1, evaluated: 1 },
      ],
    });
  });

  test('unknown endpoints and invalid externals throw', () => {
    expect(() => connectivity.isAllowed('a/clinet', 'b/server', tcp(80))).toThrow('Unknown endpoint "a/clinet". Did you mean: a/client?');
    expect(() => computeConnectivity(objects, { externals: { bad: 'not-an-ip' } })).toThrow('External endpoint "bad": "not-an-ip" is not an IPv4 or IPv6 address');
  });

  test('an empty inventory has no endpoints and nothing to count', () => {
    const empty = computeConnectivity([]);
    expect(empty.endpoints).toEqual([]);
    expect(empty.report()).toEqual({ pods: [], connections: [] });
    expect(empty.summary()).toEqual({ endpoints: 0, ports: 0, evaluated: 0, allowed: 0, namespacePairs: [] });
    expect(empty.notes).toEqual({ assumedNamespaces: [], ignoredKinds: [] });
  });
});

const EFFECTS: readonly Effect[] = ['allow', 'deny', 'pass', 'isolated', 'not-isolated'];

function decision(effect: Effect): Decision {
  return { effect, matches: [], selectingPolicies: [], nearMisses: [], describe: () => ({ reason: effect, matchDetails: [] }) };
}

/** The rule, stated once more: deny beats allow, allow beats isolated, pass and not-isolated do not decide. */
function expectedEffect(effects: readonly Effect[]): LayerEffect {
  if (effects.includes('deny')) return 'deny';
  if (effects.includes('allow')) return 'allow';
  if (effects.includes('isolated')) return 'isolated';
  return 'not-isolated';
}

function universeOf(size: number): EndpointUniverse {
  const pods = Array.from({ length: size }, (_, index) => ({
    id: `ns/p${String(index).padStart(3, '0')}`, namespace: 'ns', name: `p${index}`, labels: new Map(), ips: [], ports: [],
  }));
  return new EndpointUniverse([{ name: 'ns', labels: new Map() }], pods, []);
}

describe('the dialect fold', () => {
  test.each([
    [['allow'], 'allow', true],
    [['deny'], 'deny', false],
    [['pass'], 'not-isolated', true],
    [['isolated'], 'isolated', false],
    [['not-isolated'], 'not-isolated', true],
    [['allow', 'deny'], 'deny', false],
    [['deny', 'not-isolated'], 'deny', false],
    [['allow', 'isolated'], 'allow', true],
    [['isolated', 'not-isolated'], 'isolated', false],
    [['pass', 'isolated'], 'isolated', false],
    [['pass', 'allow'], 'allow', true],
    [['pass', 'not-isolated'], 'not-isolated', true],
    [[], 'not-isolated', true],
  ] as [Effect[], LayerEffect, boolean][])('one layer: %j gives %s', (effects, effect, admits) => {
    const outcome = foldLayer(effects.map(decision));
    expect(outcome.effect).toBe(effect);
    expect(layerAdmits(outcome.effect)).toBe(admits);
  });

  test('every combination of up to three dialects: the decisive decisions are those of the winning effect', () => {
    const combinations: Effect[][] = [[]];
    for (let size = 1; size <= 3; size++) {
      for (const previous of combinations.filter((combination) => combination.length === size - 1)) {
        for (const effect of EFFECTS) combinations.push([...previous, effect]);
      }
    }
    for (const effects of combinations) {
      const decisions = effects.map(decision);
      const outcome = foldLayer(decisions);
      const effect = expectedEffect(effects);
      expect(outcome.effect).toBe(effect);
      expect(outcome.decisions).toEqual(decisions);
      const decisive = effect === 'not-isolated' ? decisions : decisions.filter((candidate) => candidate.effect === effect);
      expect(outcome.decisive).toEqual(decisive);
    }
  });

  test('the set form agrees with the per-peer fold, and leaves no bit beyond the endpoints', () => {
    const bits = (size: number): fc.Arbitrary<Bitset> => fc.uniqueArray(fc.nat(size - 1), { maxLength: size }).map((indices) => {
      const set = emptyBitset(size);
      indices.forEach((index) => setBit(set, index));
      return set;
    });
    const part = (size: number): fc.Arbitrary<PeerSets | undefined> => fc.option(fc.record(
      { isolates: fc.boolean(), allow: bits(size), deny: bits(size), pass: bits(size) },
      { requiredKeys: ['isolates', 'allow'] },
    ), { nil: undefined });
    const scenario = fc.integer({ min: 1, max: 70 }).chain((size) => fc.tuple(fc.constant(size), fc.array(part(size), { maxLength: 3 })));
    fc.assert(fc.property(scenario, ([size, parts]) => {
      const universe = universeOf(size);
      const folded = foldPeerSets(parts, universe);
      for (let peer = 0; peer < size; peer++) {
        const admits = layerAdmits(foldLayer(parts.map((sets) => decision(peerEffect(sets, peer)))).effect);
        expect(hasBit(folded, peer)).toBe(admits);
      }
      forEachBit(folded, (index) => expect(index).toBeLessThan(size));
    }), { numRuns: 300 });
  });

  test('one deciding dialect without deny or pass: its own set, not a copy', () => {
    const universe = universeOf(40);
    const allow = emptyBitset(40);
    setBit(allow, 3);
    expect(foldPeerSets([undefined, { isolates: true, allow }], universe)).toBe(allow);
    expect(foldPeerSets([{ isolates: false, allow }], universe)).toBe(universe.all);
    expect(foldPeerSets([], universe)).toBe(universe.all);
  });
});

test('an IPv4-mapped ipBlock reaches the IPv4 addresses it maps, as on Go-based CNIs', () => {
  const input = [
    namespace('a'),
    pod('a/client', { app: 'client' }, []),
    netpol('a/egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '::ffff:a00:0/104', except: ['::ffff:a01:0/112'] } }] }] }),
  ];
  const c = computeConnectivity(input, { externals: { inside: '10.2.0.1', excepted: '10.1.0.7', outside: '11.0.0.1' }, ports: [tcp(443)] });
  expect(c.verdict('a/client', 'external:inside', tcp(443)).allowed).toBe(true);
  expect(c.verdict('a/client', 'external:excepted', tcp(443)).allowed).toBe(false);
  expect(c.verdict('a/client', 'external:outside', tcp(443)).allowed).toBe(false);
});
