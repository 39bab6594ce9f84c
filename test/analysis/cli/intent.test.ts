/**
 * `zt analyze DIR` and `zt explain DIR` on what a ZeroTrustApp synthesizes, with no pod manifest: the
 * inventory file stands for the declared workloads. An input without pods, or whose policies select none
 * of its pods, is an error; a partial one is a warning. `zt explain --expect` turns the verdict into an
 * exit code.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { zt } from './run-cli';
import { buildExamplePlatform, exampleKubernetesBackend } from '../../../examples/example-platform';
import { ZeroTrustApp } from '../../../src';
import { INVENTORY_FILE } from '../../../src/intent/inventory-file';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-intent-cli-'));
  dirs.push(dir);
  return dir;
}

let synthesized: string | undefined;
/** The example platform as ZeroTrustApp writes it (synthesized once). */
function exampleOutput(): string {
  if (!synthesized) {
    synthesized = path.join(tempDir(), 'dist');
    const app = new ZeroTrustApp({ outdir: synthesized });
    buildExamplePlatform(app, { backends: [exampleKubernetesBackend()] });
    app.synth();
  }
  return synthesized;
}

function writeYaml(dir: string, name: string, objects: unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, objects.map((object) => stringify(object)).join('---\n'));
  return file;
}

const podOf = (namespace: string, name: string, labels: Record<string, string>, ports: { name?: string; containerPort: number }[] = []) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'main', image: 'x', ports }] },
});
const denyAllIn = (namespace: string, name = 'deny-all', podSelector: Record<string, unknown> = {}) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { podSelector, policyTypes: ['Ingress'] },
});

describe('zt analyze on a synthesized directory', () => {
  test('shows the declared workloads from the inventory file alone, without warnings', async () => {
    const { code, stdout, stderr } = await zt(['analyze', exampleOutput(), '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { pods: string[]; connections: { from: string; to: string; port: number; allowed: boolean }[] };
    expect(report.pods).toContain('alpha-web/frontend');
    expect(report.pods).toContain('external:203.0.113.0-24');
    const allowed = report.connections.filter((c) => c.allowed).map((c) => `${c.from} -> ${c.to} ${c.port}`);
    expect(allowed).toEqual(expect.arrayContaining([
      'alpha-web/frontend -> alpha-web/backend 8080',
      'alpha-web/backend -> alpha-data/database 5432',
      'alpha-web/backend -> external:203.0.113.0-24 443',
      'ingress-nginx/ingress-nginx -> beta-web/frontend 443',
    ]));
    expect(allowed).not.toContain('beta-web/backend -> external:203.0.113.0-24 443');
    expect(allowed).not.toContain('alpha-web/frontend -> alpha-data/database 5432');
  });

  test('the inventory file given by name is read as an inventory, like the directory', async () => {
    const dir = exampleOutput();
    const files = fs.readdirSync(dir).filter((file) => !file.startsWith('.')).sort().map((file) => path.join(dir, file));
    const byName = await zt(['analyze', ...files, '--format', 'json']);
    const byDirectory = await zt(['analyze', dir, '--format', 'json']);
    expect(byName.code).toBe(0);
    expect(byName.stdout).toBe(byDirectory.stdout);
  });

  test('without the inventory file, the manifests alone have no pods: exit 1, saying how to supply them', async () => {
    const dir = tempDir();
    for (const file of fs.readdirSync(exampleOutput()).filter((f) => f.endsWith('.yaml'))) fs.copyFileSync(path.join(exampleOutput(), file), path.join(dir, file));
    const { code, stdout, stderr } = await zt(['analyze', dir]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('zt: the input has no pods, so no policy selects anything');
    expect(stderr).toContain(INVENTORY_FILE);
    expect(stderr).toContain('kubectl get pods -A -o yaml | zt analyze - dist/');
    expect(stderr).toContain('--external NAME=IP');
  });

  test('an empty input is an error too, and so is one with externals only', async () => {
    expect((await zt(['analyze', tempDir()])).code).toBe(1);
    const externalsOnly = await zt(['analyze', tempDir(), '--external', 'dns=8.8.8.8', '--summary']);
    expect(externalsOnly.code).toBe(1);
    expect(externalsOnly.stderr).toContain('no pods (only 1 external address)');
  });

  test('pods that no policy selects: exit 1, naming the policies', async () => {
    const dir = tempDir();
    writeYaml(dir, 'all.yaml', [podOf('web', 'a', { app: 'a' }), denyAllIn('db')]);
    const { code, stderr } = await zt(['analyze', dir]);
    expect(code).toBe(1);
    expect(stderr).toContain('zt: none of the 1 policy in the input selects any of its 1 pod (NetworkPolicy db/deny-all)');
  });

  test('some policies selecting no pod is a partial inventory: a warning on stderr, exit 0', async () => {
    const dir = tempDir();
    writeYaml(dir, 'all.yaml', [podOf('web', 'a', { app: 'a' }, [{ containerPort: 80 }]), denyAllIn('web'), denyAllIn('db'), denyAllIn('web', 'only-b', { matchLabels: { app: 'b' } })]);
    const { code, stdout, stderr } = await zt(['analyze', dir]);
    expect(code).toBe(0);
    expect(stdout).toContain('web/a');
    expect(stderr.split('\n').filter((line) => !line.startsWith('note: namespace')).join('\n')).toBe(
      'warning: 2 of 3 policies select no pod of the input, so their rules were not exercised: NetworkPolicy db/deny-all, NetworkPolicy web/only-b. ' +
        'For a complete analysis, supply the pods they govern (the inventory file zt-inventory.txt, or Pod or workload manifests).\n',
    );
  });

  test('real pods given beside the directory replace the representative pods they match', async () => {
    const dir = tempDir();
    const pods = writeYaml(dir, 'pods.yaml', [podOf('alpha-web', 'frontend-5d8f', { app: 'frontend' }, [{ containerPort: 80 }])]);
    const { code, stdout } = await zt(['analyze', exampleOutput(), pods, '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { pods: string[] };
    expect(report.pods).toContain('alpha-web/frontend-5d8f');
    expect(report.pods).not.toContain('alpha-web/frontend');
  });

  test('--external replaces an address of the inventory, with a note', async () => {
    const { code, stderr } = await zt(['analyze', exampleOutput(), '--summary', '--external', '203.0.113.0-24=203.0.113.77']);
    expect(code).toBe(0);
    expect(stderr).toBe('note: --external 203.0.113.0-24=203.0.113.77 replaces the inventory\'s address 203.0.113.1 for external:203.0.113.0-24\n');
  });
});

describe('zt explain --expect', () => {
  const explain = (...args: string[]) => zt(['explain', exampleOutput(), ...args]);

  test('exit 0 when the verdict is the expected one, 3 when it is not; without --expect, 0 either way', async () => {
    const allowed = ['--from', 'alpha-web/frontend', '--to', 'alpha-web/backend', '--port', '8080'];
    const denied = ['--from', 'alpha-web/frontend', '--to', 'alpha-data/database', '--port', '5432'];
    expect((await explain(...allowed, '--expect', 'allow')).code).toBe(0);
    expect((await explain(...denied, '--expect', 'deny')).code).toBe(0);
    expect((await explain(...denied)).code).toBe(0);
    const wrong = await explain(...allowed, '--expect', 'deny');
    expect(wrong.code).toBe(3);
    expect(wrong.stdout.split('\n')[0]).toBe('ALLOWED: alpha-web/frontend -> alpha-web/backend on 8080/TCP');
    expect(wrong.stderr).toBe('zt: expected the connection to be denied, but it is allowed.\n');
    expect((await explain(...denied, '--expect', 'allow')).code).toBe(3);
    expect((await explain(...allowed, '--expect', 'maybe')).code).toBe(2);
  });

  test('reaches the CIDR peers of the intent under their external names', async () => {
    const result = await explain('--from', 'alpha-web/backend', '--to', 'external:203.0.113.0-24', '--port', '443', '--expect', 'allow');
    expect(result.code).toBe(0);
  });

  test('the help documents the exit codes', async () => {
    const { stdout } = await zt(['explain', '--help']);
    expect(stdout).toContain('Exit codes: 0 explained (allowed or denied; with --expect, the verdict is the expected one), 1 invalid input,');
    expect(stdout).toContain('3 the verdict is not the one --expect');
  });

  test('an input without pods says how to supply them', async () => {
    const dir = tempDir();
    writeYaml(dir, 'policy.yaml', [denyAllIn('web')]);
    const { code, stderr } = await zt(['explain', dir, '--from', 'web/a', '--to', 'web/b', '--port', '80']);
    expect(code).toBe(1);
    expect(stderr).toContain('Unknown endpoint "web/a"');
    expect(stderr).toContain('The input has no pods. Supply the endpoints:');
  });
});

describe('zt explain through a Service', () => {
  function serviceInput(): string {
    const dir = tempDir();
    writeYaml(dir, 'all.yaml', [
      podOf('web', 'frontend', { app: 'frontend' }),
      podOf('web', 'backend-1', { app: 'backend' }, [{ name: 'http', containerPort: 8080 }]),
      podOf('web', 'backend-2', { app: 'backend' }, [{ name: 'http', containerPort: 9090 }]),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend', namespace: 'web' }, spec: { selector: { app: 'backend' }, clusterIP: '10.96.0.20', ports: [{ port: 80, targetPort: 'http' }] } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'backend', namespace: 'web' },
        spec: { podSelector: { matchLabels: { app: 'backend' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080 }] }] },
      },
    ]);
    return dir;
  }

  test('the service port maps to each backend\'s targetPort; only some backends allowing it matches no --expect', async () => {
    const dir = serviceInput();
    for (const to of ['backend', 'web/backend', 'svc:web/backend', '10.96.0.20']) {
      const result = await zt(['explain', dir, '--from', 'web/frontend', '--to', to, '--port', '80', '--expect', 'allow']);
      expect([to, result.code]).toEqual([to, 3]);
      expect(result.stdout.split('\n')[0]).toBe('PARTLY ALLOWED: web/frontend -> Service web/backend on 80/TCP (1 of 2 backend pods allow it)');
      expect(result.stderr).toBe('zt: expected the connection to be allowed, but it is allowed by some backends of the Service and denied by others.\n');
    }
    expect((await zt(['explain', dir, '--from', 'web/frontend', '--to', 'backend', '--port', '80', '--expect', 'deny'])).code).toBe(3);
  });

  test('a port the Service does not have is bad input', async () => {
    const { code, stderr } = await zt(['explain', serviceInput(), '--from', 'web/frontend', '--to', 'backend', '--port', '8080']);
    expect(code).toBe(1);
    expect(stderr).toBe('zt: Service web/backend has no port 8080/TCP; its ports: 80/TCP -> http. Give the service port, not the container port.\n');
  });
});
