import { closeMatches, unknownEndpointError, UnknownEndpointError } from '../../../src/analysis/core/endpoint-lookup';

const ids = ['shop/web', 'pay/web', 'pay/api', 'external:partner'];

describe('endpoint lookup', () => {
  test('close matches: the same name in another namespace, or a few typos away', () => {
    expect(closeMatches('web', ids)).toEqual(['pay/web', 'shop/web']);
    expect(closeMatches('pay/apj', ids)).toEqual(['pay/api']);
    expect(closeMatches('partner', ids)).toEqual(['external:partner']);
    expect(closeMatches('zzzzzzzz', ids)).toEqual([]);
  });

  test('the error names the endpoint and suggests matches, or the id forms', () => {
    const error = unknownEndpointError('shop/wbe', ids);
    expect(error).toBeInstanceOf(UnknownEndpointError);
    expect(error.endpoint).toBe('shop/wbe');
    expect(error.message).toBe('Unknown endpoint "shop/wbe". Did you mean: shop/web?');
    expect(unknownEndpointError('qqqqqqqqq', ids).message).toBe('Unknown endpoint "qqqqqqqqq". Endpoints are `namespace/name` or `external:NAME`.');
  });
});
