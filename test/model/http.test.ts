import { HttpMethod, HttpRule, normalizeHttpRules, validateHttpRules } from '../../src/model/http';
import { formatIssue } from '../../src/model/issues';

const check = (rules: unknown) => validateHttpRules(rules, 'platform/web/api', 'allowTo(#1).ports[0]').map(formatIssue);

describe('HTTP rules', () => {
  test('valid rules pass', () => {
    expect(check([
      { methods: [HttpMethod.GET, HttpMethod.HEAD], path: '/api/v[0-9]+/.*' },
      { host: 'api.example.com', headers: ['x-tenant', 'X-Request-Id'] },
      { host: 'api.example.com:8443' },
      { path: '/' },
    ])).toEqual([]);
  });

  test('an empty list, an empty rule and a misspelt field would allow every request: refused', () => {
    expect(check([])).toEqual([
      "[platform/web/api] allowTo(#1).ports[0].http: no HTTP rules given. Fix: give at least one rule, e.g. .http({ methods: [HttpMethod.GET], path: '/api/.*' }), or drop .http() to allow every request",
    ]);
    expect(check([{}])).toEqual([
      '[platform/web/api] allowTo(#1).ports[0].http[0]: the rule is empty, so it would allow every request. Fix: give methods, path, host or headers; or drop .http() to allow every request on the port',
    ]);
    expect(check([{ method: 'GET' }])).toEqual([
      "[platform/web/api] allowTo(#1).ports[0].http[0].method: 'method' is not a field of an HTTP rule; ignored, the rule would allow more than meant. Fix: use methods, path, host, headers",
    ]);
  });

  test('methods must be HTTP methods, in upper case', () => {
    expect(check([{ methods: ['get', 'FETCH'] }])).toEqual([
      "[platform/web/api] allowTo(#1).ports[0].http[0].methods[0]: 'get' is not an HTTP method. Fix: write it in upper case: HttpMethod.GET",
      "[platform/web/api] allowTo(#1).ports[0].http[0].methods[1]: 'FETCH' is not an HTTP method. Fix: use one of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH",
    ]);
    expect(check([{ methods: [] }])[0]).toContain('is not a list of methods');
  });

  test('a path starts with /, compiles, and uses only what RE2 and POSIX regular expressions have', () => {
    expect(check([{ path: 'api/.*' }])[0]).toContain("path 'api/.*' does not start with '/'");
    expect(check([{ path: '/api/(' }])[0]).toMatch(/path '\/api\/\(' is not a valid regular expression: .*Fix: fix the expression/);
    expect(check([{ path: '/(?!admin).*' }])[0]).toContain('uses a lookaround assertion');
    expect(check([{ path: '/(a)\\1' }])[0]).toContain('uses a back-reference');
    expect(check([{ path: 7 }])[0]).toContain('7 is not a path pattern');
  });

  test('a host is an exact lowercase host name with an optional port, never a pattern', () => {
    expect(check([{ host: '*.example.com' }])[0]).toContain("host '*.example.com' is not a host name");
    expect(check([{ host: 'API.example.com' }])[0]).toContain('upper-case');
    expect(check([{ host: 'api.example.com:99999' }])[0]).toContain("invalid port '99999'");
    expect(check([{ host: 'api\\.example\\.com' }])[0]).toContain('is not a host name');
  });

  test('headers are names only', () => {
    expect(check([{ headers: ['x-tenant: a'] }])[0]).toContain("'x-tenant: a' is not a header name");
    expect(check([{ headers: [] }])[0]).toContain('is not a list of header names');
    expect(check([{ headers: [':authority'] }])[0]).toContain('is not a header name');
  });

  test('rules not given as objects are refused', () => {
    expect(check(['GET /'])[0]).toContain("'GET /' is not an HTTP rule");
  });
});

describe('normalised HTTP rules', () => {
  test('methods sorted, headers lower-cased and sorted, duplicates merged, rules sorted', () => {
    const rules: HttpRule[] = [
      { path: '/b', methods: [HttpMethod.POST, HttpMethod.GET, HttpMethod.GET] },
      { headers: ['X-B', 'x-a', 'x-b'] },
      { methods: [HttpMethod.GET, HttpMethod.POST], path: '/b' },
    ];
    expect(normalizeHttpRules(rules)).toEqual([
      { methods: ['GET', 'POST'], path: '/b' },
      { headers: ['x-a', 'x-b'] },
    ]);
  });
});
