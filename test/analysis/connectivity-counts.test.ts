import { summarizeConnectivity } from '../../src/analysis/connectivity-counts';
import { Bitset, emptyBitset, setBit } from '../../src/analysis/core/bitset';
import { EndpointUniverse } from '../../src/analysis/core/endpoint-universe';
import { externalEndpoints } from '../../src/analysis/core/endpoints';
import { ProbePort } from '../../src/analysis/types';

const pods = ['a/x', 'a/y', 'b/z'].map((id) => ({ id, namespace: id[0], name: id.slice(2), labels: new Map(), ips: [], ports: [] }));
const universe = new EndpointUniverse([{ name: 'a', labels: new Map() }, { name: 'b', labels: new Map() }], pods, externalEndpoints({ web: '192.0.2.1' }));

function set(...indices: number[]): Bitset {
  const bits = emptyBitset(universe.size);
  indices.forEach((index) => setBit(bits, index));
  return bits;
}

describe('summarizeConnectivity', () => {
  test('counts egress ∧ ingress per namespace pair, externals as their own group', () => {
    const http: ProbePort = { port: 80, protocol: 'TCP' };
    const dns: ProbePort = { port: 53, protocol: 'UDP' };
    // a/x and b/z are probed on 80, the external on 53.
    const probed = [[http], [], [http], [dns]];
    const asked: string[] = [];
    const summary = summarizeConnectivity(universe, probed, (probe) => {
      asked.push(`${probe.port}/${probe.protocol}`);
      return {
        // Every source may send to a/x and the external; only a/y may send to b/z.
        egress: (source) => (source === 1 ? set(0, 2, 3) : set(0, 3)),
        // a/x admits everyone; b/z admits a/y and b/z; the external admits everyone.
        ingress: (destination) => (destination === 2 ? set(1, 2) : universe.all),
      };
    });
    expect(asked).toEqual(['80/TCP', '53/UDP']);
    expect(summary).toEqual({
      endpoints: 4,
      ports: 2,
      evaluated: 12,
      allowed: 9,
      namespacePairs: [
        { from: 'a', to: 'a', allowed: 2, evaluated: 2 },
        { from: 'a', to: 'b', allowed: 1, evaluated: 2 },
        { from: 'a', to: 'external:web', allowed: 2, evaluated: 2 },
        { from: 'b', to: 'a', allowed: 1, evaluated: 1 },
        { from: 'b', to: 'external:web', allowed: 1, evaluated: 1 },
        { from: 'external:web', to: 'a', allowed: 1, evaluated: 1 },
        { from: 'external:web', to: 'external:web', allowed: 1, evaluated: 1 },
      ],
    });
  });
});
