import { EXTERNAL_PREFIX, externalEndpoints } from '../../../src/analysis/core/endpoints';

describe('external endpoints', () => {
  test('sorted by name, with the external: prefix and their one address', () => {
    const externals = externalEndpoints({ web: '198.51.100.7', dns: '2001:db8::53' });
    expect(externals.map((endpoint) => [endpoint.id, endpoint.kind, endpoint.ips[0].family])).toEqual([
      [`${EXTERNAL_PREFIX}dns`, 'external', 6],
      [`${EXTERNAL_PREFIX}web`, 'external', 4],
    ]);
    expect(externalEndpoints(undefined)).toEqual([]);
  });

  test('names must be non-empty without spaces or slashes; addresses must parse', () => {
    expect(() => externalEndpoints({ 'a b': '10.0.0.1' })).toThrow('External endpoint name "a b" must be non-empty');
    expect(() => externalEndpoints({ 'a/b': '10.0.0.1' })).toThrow(/must be non-empty, without spaces or '\/'/);
    expect(() => externalEndpoints({ x: '10.0.0.0/8' })).toThrow('External endpoint "x": "10.0.0.0/8" is not an IPv4 or IPv6 address');
  });
});
