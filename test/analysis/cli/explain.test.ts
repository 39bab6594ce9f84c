import { fixture, zt } from './run-cli';

const BASIC = fixture('basic');

describe('zt explain', () => {
  test('allowed: verdict line first, then the rule that admitted it', async () => {
    const { code, stdout, stderr } = await zt(['explain', BASIC, '--from', 'alpha-web/frontend', '--to', 'alpha-data/backend', '--port', '8080']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('ALLOWED: alpha-web/frontend -> alpha-data/backend on 8080/TCP');
    expect(stdout).toContain('Egress from alpha-web/frontend: allowed\n  selected by: none\n  isolated for egress: no (all egress is allowed)\n');
    expect(stdout).toContain('Ingress to alpha-data/backend: allowed\n  selected by: alpha-data/backend-ingress, alpha-data/default-deny\n  isolated for ingress: yes\n');
    expect(stdout).toContain('    alpha-data/backend-ingress ingress[0]: ');
  });

  test('denied: the verdict names the blocking side; still exit 0', async () => {
    const { code, stdout } = await zt(['explain', BASIC, '--from', 'alpha-data/backend', '--to', 'alpha-data/backend', '--port', '8080/tcp']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('DENIED: alpha-data/backend -> alpha-data/backend on 8080/TCP (blocked by ingress of alpha-data/backend)');
    expect(stdout).toContain('  allowed by: no rule');
  });

  test('externals can be explained', async () => {
    const { code, stdout } = await zt(['explain', BASIC, '--from', 'external:lb', '--to', 'alpha-web/frontend', '--port', '80', '--external', 'lb=192.0.2.1']);
    expect(code).toBe(0);
    expect(stdout).toContain('Egress from external:lb: not applicable');
  });

  test('an unknown endpoint is bad input (exit 1) with a suggestion', async () => {
    const { code, stdout, stderr } = await zt(['explain', BASIC, '--from', 'alpha-web/frontent', '--to', 'alpha-data/backend', '--port', '8080']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^zt: .*alpha-web\/frontent.*alpha-web\/frontend/);
  });

  test('invalid manifests: exit 1 with the issues', async () => {
    const { code, stderr } = await zt(['explain', fixture('invalid', 'bad-port.yaml'), '--from', 'alpha-web/x', '--to', 'alpha-web/x', '--port', '80']);
    expect(code).toBe(1);
    expect(stderr).toContain('bad-port.yaml:1: spec.ingress[0].ports[0].port: must be an integer between 1 and 65535, got 0 [NetworkPolicy alpha-web/broken]');
  });

  test('--port is validated like analyze\'s', async () => {
    const { code, stderr } = await zt(['explain', BASIC, '--from', 'a/b', '--to', 'a/b', '--port', '80/HTTP']);
    expect(code).toBe(2);
    expect(stderr).toContain('protocol must be TCP, UDP or SCTP, got "HTTP"');
  });
});
