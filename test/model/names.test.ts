import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  labelKeyProblem,
  labelValueProblem,
  portNameProblem,
} from '../../src/model/names';

describe('dns1123LabelProblem (namespace names)', () => {
  test.each(['a', '0', 'web', 'alpha-web', 'a1-b2-c3', '123', 'a'.repeat(63)])('accepts %j', (name) => {
    expect(dns1123LabelProblem(name)).toBeUndefined();
  });

  test('rejects the empty name', () => {
    expect(dns1123LabelProblem('')).toBe('must not be empty');
  });

  test('rejects 64 characters and names the length', () => {
    expect(dns1123LabelProblem('a'.repeat(64))).toBe(`'${'a'.repeat(64)}' is 64 characters long; at most 63 are allowed`);
  });

  test.each(['Web', 'web_1', 'web.prod', '-web', 'web-', 'a b', 'wéb', 'a/b', ' web'])('rejects %j and quotes it', (name) => {
    const problem = dns1123LabelProblem(name);
    expect(problem).toContain(`'${name}' is not a DNS-1123 label`);
  });
});

describe('dns1123SubdomainProblem (object names, label prefixes)', () => {
  test.each(['a', 'example.com', 'app.kubernetes.io', 'a-b.c-d.e', 'x'.repeat(63) + '.' + 'y'.repeat(63)])('accepts %j', (name) => {
    expect(dns1123SubdomainProblem(name)).toBeUndefined();
  });

  test('accepts exactly 253 characters and rejects 254', () => {
    const label = 'a'.repeat(50);
    const of253 = [label, label, label, label, 'b'.repeat(49)].join('.');
    expect(of253).toHaveLength(253);
    expect(dns1123SubdomainProblem(of253)).toBeUndefined();
    expect(dns1123SubdomainProblem(of253 + 'c')).toContain('is 254 characters long; at most 253 are allowed');
  });

  test.each(['', 'Example.com', '.a', 'a.', 'a..b', '-a.b', 'a-.b', 'a_b.c'])('rejects %j', (name) => {
    expect(dns1123SubdomainProblem(name)).toBeDefined();
  });
});

describe('labelKeyProblem', () => {
  test.each([
    'app',
    'App',
    'a',
    'a_b.c-d',
    'app.kubernetes.io/name',
    'example.com/Tier',
    'k8s-app',
    'x'.repeat(63),
    `${'p'.repeat(253)}/n`,
    'zero-trust.cdk8s.io/tenant',
  ])('accepts %j', (key) => {
    expect(labelKeyProblem(key)).toBeUndefined();
  });

  test('rejects more than one slash', () => {
    expect(labelKeyProblem('a/b/c')).toBe("label key 'a/b/c' has more than one '/'");
  });

  test('rejects an empty prefix', () => {
    expect(labelKeyProblem('/app')).toBe("label key '/app' has an empty prefix before '/'");
  });

  test('rejects a prefix that is not a DNS-1123 subdomain (uppercase, underscore, too long)', () => {
    expect(labelKeyProblem('Example.com/app')).toMatch(/^label key prefix of 'Example.com\/app' is invalid: .*not a DNS-1123 subdomain/);
    expect(labelKeyProblem('my_org/app')).toMatch(/prefix of 'my_org\/app' is invalid/);
    expect(labelKeyProblem(`${'p'.repeat(254)}/n`)).toMatch(/is 254 characters long; at most 253 are allowed/);
  });

  test('rejects an empty name, with or without prefix', () => {
    expect(labelKeyProblem('')).toBe("label key '' has an empty name");
    expect(labelKeyProblem('example.com/')).toBe("label key 'example.com/' has an empty name");
  });

  test('limits the name (not the prefix) to 63 characters', () => {
    expect(labelKeyProblem(`example.com/${'n'.repeat(63)}`)).toBeUndefined();
    expect(labelKeyProblem(`example.com/${'n'.repeat(64)}`)).toBe(`label key name '${'n'.repeat(64)}' is 64 characters long; at most 63 are allowed`);
    expect(labelKeyProblem('n'.repeat(64))).toContain('is 64 characters long');
  });

  test.each(['-app', 'app-', '.app', 'app_', 'a b', 'app!', 'ä', 'example.com/-x'])('rejects the name of %j', (key) => {
    expect(labelKeyProblem(key)).toMatch(/is invalid \(alphanumerics, '-', '_' and '\.', starting and ending with an alphanumeric\)$/);
  });
});

describe('labelValueProblem', () => {
  test.each(['', 'a', 'frontend', 'A_b.c-1', 'x'.repeat(63), '0'])('accepts %j', (value) => {
    expect(labelValueProblem(value)).toBeUndefined();
  });

  test('rejects 64 characters', () => {
    expect(labelValueProblem('v'.repeat(64))).toBe(`label value '${'v'.repeat(64)}' is 64 characters long; at most 63 are allowed`);
  });

  test.each(['-a', 'a-', '_a', 'a.', 'a/b', 'a b', 'a:b', 'é'])('rejects %j and quotes it', (value) => {
    expect(labelValueProblem(value)).toBe(
      `label value '${value}' is invalid (alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric)`,
    );
  });
});

describe('portNameProblem (IANA service names)', () => {
  test.each(['http', 'h', 'metrics', 'grpc-web', 'h2c', 'a1', '1a', 'abcdefghijklmno', 'x-1-y'])('accepts %j', (name) => {
    expect(portNameProblem(name)).toBeUndefined();
  });

  test('length 1 to 15', () => {
    expect(portNameProblem('')).toBe("port name '' must be 1 to 15 characters long");
    expect(portNameProblem('abcdefghijklmnop')).toBe("port name 'abcdefghijklmnop' must be 1 to 15 characters long");
  });

  test('only lowercase letters, digits and -', () => {
    expect(portNameProblem('HTTP')).toBe("port name 'HTTP' may contain only lowercase letters, digits and '-'");
    expect(portNameProblem('http_alt')).toContain('may contain only lowercase letters');
    expect(portNameProblem('http.alt')).toContain('may contain only lowercase letters');
  });

  test('at least one letter', () => {
    expect(portNameProblem('8080')).toBe("port name '8080' must contain at least one letter");
    expect(portNameProblem('1-2')).toBe("port name '1-2' must contain at least one letter");
  });

  test('no leading or trailing hyphen, no double hyphen', () => {
    expect(portNameProblem('-http')).toBe("port name '-http' must not start or end with '-'");
    expect(portNameProblem('http-')).toBe("port name 'http-' must not start or end with '-'");
    expect(portNameProblem('http--alt')).toBe("port name 'http--alt' must not contain '--'");
  });
});

describe('values that are not strings (JavaScript callers, untyped data)', () => {
  test.each([
    [undefined, 'must be a string, got undefined'],
    [null, 'must be a string, got null'],
    [5, 'must be a string, got number 5'],
    [['web'], 'must be a string, got an array'],
    [{ name: 'web' }, 'must be a string, got object'],
  ])('%p is reported by every check, never thrown', (value, problem) => {
    expect(dns1123LabelProblem(value)).toBe(problem);
    expect(dns1123SubdomainProblem(value)).toBe(problem);
    expect(labelKeyProblem(value)).toBe(`label key ${problem}`);
    expect(labelValueProblem(value)).toBe(`label value ${problem}`);
    expect(portNameProblem(value)).toBe(`port name ${problem}`);
  });
});
