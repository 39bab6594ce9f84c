import { findKind } from '../../../src/analysis/manifests/object-kinds';

describe('object kinds', () => {
  const kinds = [
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespaced: true },
    { apiVersion: 'example.dev/v1', kind: 'ClusterThing', namespaced: false },
  ];

  test('an object is of a kind only when apiVersion and kind both match exactly', () => {
    expect(findKind(kinds, 'networking.k8s.io/v1', 'NetworkPolicy')).toBe(kinds[0]);
    expect(findKind(kinds, 'example.dev/v1', 'ClusterThing')).toBe(kinds[1]);
    expect(findKind(kinds, 'extensions/v1beta1', 'NetworkPolicy')).toBeUndefined();
    expect(findKind(kinds, 'networking.k8s.io/v1', 'networkpolicy')).toBeUndefined();
  });
});
