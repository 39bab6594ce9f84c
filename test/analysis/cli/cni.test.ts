/** `zt analyze --cni` and `zt explain --cni`: the Cilium evaluator from the command line, on the example's Cilium output. */
import * as path from 'path';
import { zt } from './run-cli';

const DIST = path.join(__dirname, '..', '..', '..', 'dist');
const CILIUM = [path.join(DIST, 'platform'), path.join(DIST, 'cilium'), path.join(DIST, 'zt-inventory.txt')];
const KUBERNETES = [path.join(DIST, 'platform'), path.join(DIST, 'kubernetes'), path.join(DIST, 'zt-inventory.txt')];

interface Report { connections: { from: string; to: string; port: number; allowed: boolean }[] }

function allowed(report: Report, from: string, to: string, port: number): boolean | undefined {
  return report.connections.find((c) => c.from === from && c.to === to && c.port === port)?.allowed;
}

describe('zt analyze --cni', () => {
  test('cilium evaluates the Cilium output: port 80 with HTTP rules is open at L3/L4; the Kubernetes output leaves it closed', async () => {
    const cilium = await zt(['analyze', ...CILIUM, '--cni', 'cilium', '--format', 'json']);
    expect(cilium.code).toBe(0);
    expect(cilium.stderr).toBe('');
    expect(allowed(JSON.parse(cilium.stdout) as Report, 'ingress-nginx/ingress-nginx', 'alpha-web/frontend', 80)).toBe(true);
    expect(allowed(JSON.parse(cilium.stdout) as Report, 'beta-web/frontend', 'alpha-web/backend', 8080)).toBe(false);
    const kubernetes = await zt(['analyze', ...KUBERNETES, '--format', 'json']);
    expect(kubernetes.code).toBe(0);
    expect(allowed(JSON.parse(kubernetes.stdout) as Report, 'ingress-nginx/ingress-nginx', 'alpha-web/frontend', 80)).toBe(false);
  });

  test('the default is auto: Cilium kinds in the input are evaluated, as zt probe does; --cni kubernetes lists them as ignored', async () => {
    const auto = await zt(['analyze', ...CILIUM, '--format', 'json']);
    expect(auto.code).toBe(0);
    expect(allowed(JSON.parse(auto.stdout) as Report, 'ingress-nginx/ingress-nginx', 'alpha-web/frontend', 80)).toBe(true);
    expect(allowed(JSON.parse(auto.stdout) as Report, 'beta-web/frontend', 'alpha-web/backend', 8080)).toBe(false);
    const { stderr } = await zt(['analyze', ...CILIUM, '--summary', '--cni', 'kubernetes']);
    expect(stderr).toMatch(/ignored \d+ objects of kind cilium\.io\/v2\/CiliumNetworkPolicy/);
  });

  test('an unknown CNI is a usage error', async () => {
    const { code, stderr } = await zt(['analyze', ...CILIUM, '--cni', 'flannel']);
    expect(code).toBe(2);
    expect(stderr).toContain('flannel');
  });
});

describe('zt explain --cni cilium', () => {
  test('names the Cilium rule and its HTTP rules', async () => {
    const args = ['explain', ...CILIUM, '--cni', 'cilium', '--from', 'ingress-nginx/ingress-nginx', '--to', 'alpha-web/frontend', '--port', '80', '--expect', 'allow'];
    const { code, stdout } = await zt(args);
    expect(code).toBe(0);
    expect(stdout).toContain('alpha-web/frontend-ingress ingress[0]');
    expect(stdout).toContain('rules.http (method GET; method HEAD)');
  });
});
