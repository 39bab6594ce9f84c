import { fqdnCovers, fqdnNameProblem, fqdnOverlaps, fqdnPatternProblem } from '../../src/model/fqdn';

describe('DNS names of Peer.fqdn', () => {
  test.each(['api.github.com', 'a.b', 'xn--bcher-kva.example', '1password.com', 'a-b.c-d.example'])('%s is a name', (name) => {
    expect(fqdnNameProblem(name)).toBeUndefined();
  });

  test.each<[unknown, RegExp, RegExp]>([
    ['*.github.com', /contains '\*'/, /Peer\.fqdnPattern\('\*\.github\.com'\)/],
    ['API.github.com', /upper-case/, /Peer\.fqdn\('api\.github\.com'\)/],
    ['api.github.com.', /ends with '\.'/, /Peer\.fqdn\('api\.github\.com'\)/],
    ['localhost', /single label/, /fully qualified/],
    ['10.0.0.1', /IP address/, /Peer\.cidr\('10\.0\.0\.1\/32'\)/],
    ['-a.example.com', /label '-a'/, /exactly as DNS serves it/],
    ['a_b.example.com', /label 'a_b'/, /RFC 1123|exactly/],
    ['a..example.com', /label ''/, /exactly/],
    ['', /empty/, /fully qualified/],
    [`${'a'.repeat(64)}.com`, /64 characters/, /exactly/],
    [`${'a.'.repeat(127)}com`, /257 characters long; at most 253/, /shorter/],
    [42, /not a DNS name/, /string/],
  ])('%p is refused', (name, message, fix) => {
    const problem = fqdnNameProblem(name);
    expect(problem?.message).toMatch(message);
    expect(problem?.fix).toMatch(fix);
  });
});

describe('patterns of Peer.fqdnPattern', () => {
  test.each(['*.s3.amazonaws.com', '*.example.com'])('%s is a pattern', (pattern) => {
    expect(fqdnPatternProblem(pattern)).toBeUndefined();
  });

  test.each<[string, RegExp, RegExp]>([
    ['**.example.com', /any number of labels/, /'\*\.example\.com'/],
    ['api.*.example.com', /not a leading/, /only a leading/],
    ['*api.example.com', /not a leading/, /only a leading/],
    ['*.*.example.com', /not a leading/, /only a leading/],
    ['api.example.com', /no leading/, /Peer\.fqdn\('api\.example\.com'\)/],
    ['*.com', /top-level domain/, /example\.com/],
    ['*.Example.com', /upper-case/, /'\*\.example\.com'/],
    ['*.', /empty/, /example\.com/],
  ])('%s is refused', (pattern, message, fix) => {
    const problem = fqdnPatternProblem(pattern);
    expect(problem?.message).toMatch(message);
    expect(problem?.fix).toMatch(fix);
  });
});

describe('coverage', () => {
  const name = (value: string) => ({ match: 'name' as const, value });
  const pattern = (value: string) => ({ match: 'pattern' as const, value });

  test('a pattern covers the names one label below its domain, and nothing else', () => {
    expect(fqdnCovers(pattern('*.example.com'), name('a.example.com'))).toBe(true);
    expect(fqdnCovers(pattern('*.example.com'), name('example.com'))).toBe(false);
    expect(fqdnCovers(pattern('*.example.com'), name('a.b.example.com'))).toBe(false);
    expect(fqdnCovers(pattern('*.example.com'), pattern('*.a.example.com'))).toBe(false);
    expect(fqdnCovers(name('a.example.com'), pattern('*.example.com'))).toBe(false);
    expect(fqdnCovers(name('a.example.com'), name('a.example.com'))).toBe(true);
  });

  test('overlap is coverage either way', () => {
    expect(fqdnOverlaps(name('a.example.com'), pattern('*.example.com'))).toBe(true);
    expect(fqdnOverlaps(name('a.example.org'), pattern('*.example.com'))).toBe(false);
  });
});
