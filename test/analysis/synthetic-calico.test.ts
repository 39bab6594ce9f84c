import { syntheticCalicoInventory } from '../../bench/synthetic-calico';
import { syntheticInventory } from '../../bench/synthetic-inventory';
import { computeConnectivity } from '../../src/analysis';

describe('syntheticCalicoInventory', () => {
  test('replaces every NetworkPolicy by a Calico NetworkPolicy', () => {
    const objects = syntheticCalicoInventory(5, 6) as { apiVersion: string; kind: string }[];
    const policies = objects.filter((object) => object.kind === 'NetworkPolicy');
    expect(policies).toHaveLength(55);
    expect(policies.every((object) => object.apiVersion === 'projectcalico.org/v3')).toBe(true);
  });

  test('the Calico evaluator on the translation allows exactly what the NetworkPolicy evaluator allows', () => {
    const kubernetes = computeConnectivity(syntheticInventory(13, 9));
    const calico = computeConnectivity(syntheticCalicoInventory(13, 9), { cni: 'calico' });
    expect(calico.summary()).toEqual(kubernetes.summary());
    // Verdict by verdict (`decide`), not only the set form the summary counts.
    expect(calico.report().connections.map((verdict) => verdict.allowed)).toEqual(kubernetes.report().connections.map((verdict) => verdict.allowed));
  });

  test('the same Kubernetes policies read under cni calico allow the same', () => {
    const kubernetes = computeConnectivity(syntheticInventory(13, 9));
    const converted = computeConnectivity(syntheticInventory(13, 9), { cni: 'calico' });
    expect(converted.summary()).toEqual(kubernetes.summary());
  });
});
