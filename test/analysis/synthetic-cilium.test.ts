import { syntheticCiliumInventory } from '../../bench/synthetic-cilium';
import { syntheticInventory } from '../../bench/synthetic-inventory';
import { computeConnectivity } from '../../src/analysis';

describe('syntheticCiliumInventory', () => {
  test('replaces every NetworkPolicy by a CiliumNetworkPolicy', () => {
    const kinds = (syntheticCiliumInventory(5, 6) as { kind: string }[]).map((object) => object.kind);
    expect(kinds).not.toContain('NetworkPolicy');
    expect(kinds.filter((kind) => kind === 'CiliumNetworkPolicy')).toHaveLength(55);
  });

  test('the Cilium evaluator on the translation allows exactly what the NetworkPolicy evaluator allows', () => {
    const kubernetes = computeConnectivity(syntheticInventory(13, 9));
    const cilium = computeConnectivity(syntheticCiliumInventory(13, 9), { cni: 'cilium' });
    expect(cilium.summary()).toEqual(kubernetes.summary());
    expect(cilium.report().connections.map((verdict) => verdict.allowed)).toEqual(kubernetes.report().connections.map((verdict) => verdict.allowed));
  });
});
