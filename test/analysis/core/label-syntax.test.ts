import { labelKeyProblem, labelValueProblem, portNameProblem } from '../../../src/analysis/core/label-syntax';

describe('label-syntax', () => {
  test.each(['app', 'app.kubernetes.io/name', 'a', 'A_b-c.d', 'example.com/X', 'x'.repeat(63), `${'a'.repeat(253)}/n`])('valid key %s', (key) => {
    expect(labelKeyProblem(key)).toBeUndefined();
  });

  test.each(['', '/app', 'app/', 'a/b/c', '-app', 'app-', 'x'.repeat(64), 'Example.com/app', 'ex_ample.com/app', 'app name'])('invalid key %s', (key) => {
    expect(labelKeyProblem(key)).toBeDefined();
  });

  test.each(['', 'v1', 'a.b_c-d', 'x'.repeat(63)])('valid value %s', (value) => {
    expect(labelValueProblem(value)).toBeUndefined();
  });

  test.each(['-a', 'a-', 'a b', 'x'.repeat(64), 'a/b'])('invalid value %s', (value) => {
    expect(labelValueProblem(value)).toBeDefined();
  });

  test.each(['http', 'h2c', 'dns-tcp', 'a', 'x'.repeat(15), '80a'])('valid port name %s', (name) => {
    expect(portNameProblem(name)).toBeUndefined();
  });

  test.each(['', '80', 'HTTP', 'my--port', '-http', 'http-', 'x'.repeat(16), 'my_port'])('invalid port name %s', (name) => {
    expect(portNameProblem(name)).toBeDefined();
  });
});
