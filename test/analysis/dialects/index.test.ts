import { BUILT_IN_DIALECTS, dialectFor } from '../../../src/analysis/dialects';
import { kubernetesNetworkPolicy } from '../../../src/analysis/dialects/kubernetes';

describe('built-in dialects', () => {
  test('Kubernetes NetworkPolicy only, for now', () => {
    expect(BUILT_IN_DIALECTS).toEqual([kubernetesNetworkPolicy]);
  });

  test('the dialect of an object is found by its exact apiVersion and kind', () => {
    expect(dialectFor(BUILT_IN_DIALECTS, 'networking.k8s.io/v1', 'NetworkPolicy')).toBe(kubernetesNetworkPolicy);
    expect(dialectFor(BUILT_IN_DIALECTS, 'extensions/v1beta1', 'NetworkPolicy')).toBeUndefined();
    expect(dialectFor(BUILT_IN_DIALECTS, 'cilium.io/v2', 'CiliumNetworkPolicy')).toBeUndefined();
    expect(dialectFor([], 'networking.k8s.io/v1', 'NetworkPolicy')).toBeUndefined();
  });
});
