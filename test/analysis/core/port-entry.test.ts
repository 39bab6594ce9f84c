import { forEachBit } from '../../../src/analysis/core/bitset';
import { EndpointUniverse } from '../../../src/analysis/core/endpoint-universe';
import { listTargetsInclude, PortListTargets, portListTargets, PortTargets, portEntryTargets, targetsInclude } from '../../../src/analysis/core/port-entry';

const universe = new EndpointUniverse([{ name: 'ns', labels: new Map() }], [
  { id: 'ns/a', namespace: 'ns', name: 'a', labels: new Map(), ips: [], ports: [{ port: 8080, protocol: 'TCP', name: 'http' }] },
  { id: 'ns/b', namespace: 'ns', name: 'b', labels: new Map(), ips: [], ports: [{ port: 9090, protocol: 'TCP', name: 'http' }, { port: 53, protocol: 'UDP', name: 'dns' }] },
], []);

const shown = (targets: PortTargets): string | number[] => {
  if (typeof targets === 'string') return targets;
  const indices: number[] = [];
  forEachBit(targets, (index) => indices.push(index));
  return indices;
};

describe('port entries', () => {
  test.each([
    [{ protocol: 'TCP' }, 8080, 'TCP', 'all'],
    [{ protocol: 'TCP' }, 8080, 'UDP', 'none'],
    [{ protocol: 'TCP', port: 8080 }, 8080, 'TCP', 'all'],
    [{ protocol: 'TCP', port: 8080 }, 8081, 'TCP', 'none'],
    [{ protocol: 'TCP', port: 8000, endPort: 8080 }, 8080, 'TCP', 'all'],
    [{ protocol: 'TCP', port: 8000, endPort: 8080 }, 8000, 'TCP', 'all'],
    [{ protocol: 'TCP', port: 8000, endPort: 8080 }, 8081, 'TCP', 'none'],
    [{ protocol: 'TCP', portName: 'http' }, 8080, 'TCP', [0]],
    [{ protocol: 'TCP', portName: 'http' }, 9090, 'TCP', [1]],
    [{ protocol: 'TCP', portName: 'http' }, 80, 'TCP', []],
    [{ protocol: 'UDP', portName: 'dns' }, 53, 'UDP', [1]],
    [{ protocol: 'TCP', portName: 'dns' }, 53, 'UDP', 'none'],
  ] as const)('%j on %d/%s admits %j', (entry, port, protocol, expected) => {
    expect(shown(portEntryTargets(entry, { port, protocol }, universe))).toEqual(expected);
  });

  test('a port list admits the union of its entries, kept as separate sets; "all" wins', () => {
    const http = { protocol: 'TCP', portName: 'http' } as const;
    const probe = { port: 8080, protocol: 'TCP' } as const;
    expect(portListTargets([], probe, universe)).toBe('none');
    expect(portListTargets([{ protocol: 'UDP' }], probe, universe)).toBe('none');
    expect(portListTargets([http, { protocol: 'TCP', port: 8080 }], probe, universe)).toBe('all');
    // The same named port twice is one set; a name nobody declares is an empty set.
    const sets = portListTargets([http, http, { protocol: 'TCP', portName: 'other' }], probe, universe) as readonly Uint32Array[];
    expect(sets.map(shown)).toEqual([[0], []]);
    expect(sets[0]).toBe(universe.namedPortTargets('http', 'TCP', 8080));
  });

  test('listTargetsInclude', () => {
    const targets: PortListTargets = [universe.namedPortTargets('http', 'TCP', 8080), universe.namedPortTargets('http', 'TCP', 9090)];
    expect([0, 1].map((index) => listTargetsInclude(targets, index))).toEqual([true, true]);
    expect([0, 1].map((index) => listTargetsInclude([universe.namedPortTargets('http', 'TCP', 9090)], index))).toEqual([false, true]);
    expect(listTargetsInclude('all', 1)).toBe(true);
    expect(listTargetsInclude('none', 1)).toBe(false);
  });

  test('targetsInclude', () => {
    expect(targetsInclude('all', 5)).toBe(true);
    expect(targetsInclude('none', 0)).toBe(false);
    const targets = universe.namedPortTargets('http', 'TCP', 9090);
    expect([0, 1].map((index) => targetsInclude(targets, index))).toEqual([false, true]);
  });
});
