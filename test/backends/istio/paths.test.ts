/**
 * The model's HTTP path (a full-match regular expression) as an Istio path: translated only when
 * the Istio form matches exactly the same paths; everything else is refused.
 */
import { istioPath } from '../../../src/backends/istio/paths';

describe('istioPath', () => {
  test.each([
    ['/health', '/health'],
    ['/api/.*', '/api/*'],
    ['/api.*', '/api*'],
    ['/index\\.html', '/index.html'],
    ['/users/[^/]+/orders', '/users/{*}/orders'],
    ['/users/[^/]+', '/users/{*}'],
    ['/users/[^/]+/.*', '/users/{*}/{**}'],
    ['/a\\-b', '/a-b'],
  ])('%s is %s', (expression, expected) => {
    expect(istioPath(expression)).toEqual({ ok: true, path: expected });
  });

  test.each([
    ['/index.html', 'an unescaped dot is any character'],
    ['/v[0-9]+/x', 'a character class'],
    ['/a|/b', 'an alternation'],
    ['/a/.*/b', '.* in the middle'],
    ['/a/.*/.*', 'two .*'],
    ['/a\\*b', "a literal '*', which Istio reads as a wildcard"],
    ['/a/\\{x\\}', 'literal braces, which Istio reads as a template'],
    ['/a[^/]+', '[^/]+ not a whole segment'],
    ['/a/[^/]+.*', "a final .* after a segment without '/'"],
    ['/a/\\d+', 'an escape that is a class'],
    ['/a?', 'an optional character'],
  ])('%s is refused (%s)', (expression) => {
    expect(istioPath(expression).ok).toBe(false);
  });

  test('the translation means the same paths: checked on samples against the expression', () => {
    const samples = ['/', '/api', '/api/', '/api/x', '/api/x/y', '/users/1/orders', '/users//orders', '/users/1/2/orders', '/users/1', '/users/1/', '/users/1/x/y'];
    for (const expression of ['/api/.*', '/users/[^/]+/orders', '/users/[^/]+', '/users/[^/]+/.*']) {
      const translated = istioPath(expression);
      if (!translated.ok) throw new Error(expression);
      const regex = new RegExp(`^(?:${expression})$`);
      for (const sample of samples) {
        expect([expression, sample, istioMatches(translated.path, sample)]).toEqual([expression, sample, regex.test(sample)]);
      }
    }
  });
});

/** Istio's path matching as documented: exact, `prefix*`, `*suffix`, `{*}` one non-empty segment, `{**}` any run (last). */
function istioMatches(pattern: string, path: string): boolean {
  if (pattern.includes('{')) {
    const regex = pattern
      .split(/(\{\*\*\}|\{\*\})/)
      .map((part) => (part === '{**}' ? '.*' : part === '{*}' ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${regex}$`).test(path);
  }
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return path.endsWith(pattern.slice(1));
  return path === pattern;
}
