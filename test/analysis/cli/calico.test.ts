/** `zt analyze --cni calico` and `zt explain --cni calico`: the Calico evaluator from the command line. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { zt } from './run-cli';

const DIST = path.join(__dirname, '..', '..', '..', 'dist');
const KUBERNETES = [path.join(DIST, 'platform'), path.join(DIST, 'kubernetes'), path.join(DIST, 'zt-inventory.txt')];

const CALICO_INPUT = `apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod, labels: {app: web}}
spec: {containers: [{name: main, image: x, ports: [{containerPort: 80}]}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: prod, labels: {app: client}}
spec: {containers: [{name: main, image: x, ports: [{containerPort: 80}]}]}
status: {podIP: 10.0.0.2}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-client}
spec:
  tier: security
  selector: app == 'web'
  ingress:
  - action: Deny
    source: {selector: app == 'client'}
  - action: Pass
`;

describe('zt analyze --cni calico', () => {
  test('Kubernetes NetworkPolicy alone: the same verdicts as --cni kubernetes on the example', async () => {
    const calico = await zt(['analyze', ...KUBERNETES, '--cni', 'calico', '--format', 'json']);
    const kubernetes = await zt(['analyze', ...KUBERNETES, '--cni', 'kubernetes', '--format', 'json']);
    expect(calico.code).toBe(0);
    expect(kubernetes.code).toBe(0);
    type Report = { connections: { from: string; to: string; port: number; protocol: string; allowed: boolean }[] };
    const verdicts = (report: Report): string[] => report.connections.map((c) => `${c.from} ${c.to} ${c.port}/${c.protocol} ${c.allowed}`);
    expect(verdicts(JSON.parse(calico.stdout) as Report)).toEqual(verdicts(JSON.parse(kubernetes.stdout) as Report));
  });

  test('Calico kinds: auto picks calico; a tiered Deny refuses, and explain names the policy', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-calico-'));
    const file = path.join(dir, 'calico.yaml');
    fs.writeFileSync(file, CALICO_INPUT);
    const auto = await zt(['analyze', file, '--format', 'json']);
    expect(auto.code).toBe(0);
    const report = JSON.parse(auto.stdout) as { connections: { from: string; to: string; allowed: boolean }[] };
    expect(report.connections.find((c) => c.from === 'prod/client' && c.to === 'prod/web')?.allowed).toBe(false);
    expect(report.connections.find((c) => c.from === 'prod/web' && c.to === 'prod/client')?.allowed).toBe(true);
    const explain = await zt(['explain', file, '--cni', 'calico', '--from', 'prod/client', '--to', 'prod/web', '--port', '80', '--expect', 'deny']);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('Deny by GlobalNetworkPolicy deny-client (tier security, no order) spec.ingress[0]');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
