import { syntheticInventory } from '../../bench/synthetic-inventory';
import { computeConnectivity } from '../../src/analysis';

describe('syntheticInventory', () => {
  test('produces a valid inventory of the requested size with 11 policies per namespace', () => {
    const objects = syntheticInventory(12, 10) as { kind: string }[];
    expect(objects.filter((object) => object.kind === 'Namespace')).toHaveLength(12);
    expect(objects.filter((object) => object.kind === 'NetworkPolicy')).toHaveLength(132);
    const connectivity = computeConnectivity(objects);
    expect(connectivity.endpoints).toHaveLength(120);
    expect(connectivity.notes).toEqual({ assumedNamespaces: [], ignoredKinds: [] });
  });

  test('is deterministic and its summary agrees with the full report', () => {
    expect(syntheticInventory(4, 6)).toEqual(syntheticInventory(4, 6));
    const connectivity = computeConnectivity(syntheticInventory(6, 7), { externals: { internet: '93.184.216.34' } });
    const report = connectivity.report();
    const summary = connectivity.summary();
    expect(summary.evaluated).toBe(report.connections.length);
    expect(summary.allowed).toBe(report.connections.filter((verdict) => verdict.allowed).length);
    expect(summary.allowed).toBeGreaterThan(0);
    expect(summary.allowed).toBeLessThan(summary.evaluated);
  });

  test('summary per namespace pair matches the report on an inventory spanning many 32-endpoint words', () => {
    const connectivity = computeConnectivity(syntheticInventory(13, 9), {
      externals: { internet: '93.184.216.34', intranet: '10.0.0.7' },
      ports: [{ port: 8080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }, { port: 443, protocol: 'TCP' }, { port: 9095, protocol: 'TCP' }],
    });
    const counts = new Map<string, number>();
    const group = (id: string): string => (id.startsWith('external:') ? id : id.split('/')[0]);
    for (const verdict of connectivity.report().connections) {
      if (!verdict.allowed) continue;
      const key = `${group(verdict.from)} ${group(verdict.to)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const summary = connectivity.summary();
    expect(new Map(summary.namespacePairs.map((pair) => [`${pair.from} ${pair.to}`, pair.allowed]))).toEqual(counts);
    expect(summary.namespacePairs.every((pair) => pair.evaluated === (pair.from.startsWith('external:') ? 1 : 9) * (pair.to.startsWith('external:') ? 1 : 9) * 4)).toBe(true);
  });
});
