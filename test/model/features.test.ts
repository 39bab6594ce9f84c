import { endpointFeature, Feature, FEATURES, isFeature } from '../../src/model/features';

describe('features', () => {
  test('a value object and a string union', () => {
    expect(FEATURES).toContain('fqdn');
    expect(isFeature(Feature.DENY)).toBe(true);
    expect(isFeature('l7')).toBe(false);
  });

  test('the feature each far end needs; the API server by address and pods need none', () => {
    expect(endpointFeature({ kind: 'fqdn', match: 'name', value: 'a.example.com' })).toBe('fqdn');
    expect(endpointFeature({ kind: 'entity', entity: 'kube-apiserver', addresses: [] })).toBe('kube-apiserver');
    expect(endpointFeature({ kind: 'entity', entity: 'kube-apiserver', addresses: ['172.18.0.2/32'] })).toBeUndefined();
    expect(endpointFeature({ kind: 'entity', entity: 'local-node', addresses: [] })).toBe('nodes');
    expect(endpointFeature({ kind: 'entity', entity: 'world', addresses: [] })).toBe('world');
    expect(endpointFeature({ kind: 'service-account', namespace: 'ci', name: 'runner' })).toBe('service-account');
    expect(endpointFeature({ kind: 'namespace', namespace: 'web', managed: true })).toBeUndefined();
  });
});
