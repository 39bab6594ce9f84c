import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { zt } from './run-cli';

const ROOT = path.join(__dirname, '..', '..', '..');
const DIST = path.join(ROOT, 'dist');
const CLUSTER = path.join(ROOT, 'examples', 'example-platform', 'cluster.yaml');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-check-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const OPEN = `apiVersion: v1
kind: Namespace
metadata: {name: open}
---
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: open, labels: {app: x}}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
`;
const TRAP = `apiVersion: v1
kind: Namespace
metadata: {name: web}
---
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: web, labels: {app: x}}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: web}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: trap, namespace: web}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {matchLabels: {team: a}}}, {podSelector: {matchLabels: {app: other}}}]
    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
      ports: [{port: 53, protocol: UDP}]
`;

function file(name: string, text: string): string {
  const out = path.join(dir, name);
  fs.writeFileSync(out, text);
  return out;
}

describe('zt check', () => {
  test.each(['kubernetes', 'cilium', 'calico'])('the example platform\'s %s target has no findings (exit 0)', async (target) => {
    const { code, stdout, stderr } = await zt(['check', path.join(DIST, 'platform'), path.join(DIST, target), path.join(DIST, 'zt-inventory.txt'), CLUSTER, '--cni', target]);
    expect(stdout).toBe('No findings.\n');
    expect(stderr).toContain('note: Namespaces only the inventory defines (peers, not managed here) were left out of the isolation rules: ingress-nginx, istio-system.');
    expect(code).toBe(0);
  });

  test('errors: exit 1, each with its file, document and fix', async () => {
    const { code, stdout, stderr } = await zt(['check', file('open.yaml', OPEN)]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${path.join(dir, 'open.yaml')}:0: error no-default-deny-ingress: namespace open: 1 of 1 pods are not isolated for ingress (app).`);
    expect(stdout).toContain(`${path.join(dir, 'open.yaml')}:1: warning workload-not-selected: open/app is selected by no policy, for ingress or egress.`);
    expect(stderr).toContain('zt: 2 errors found\n');
  });

  test('warnings pass unless --max-warnings is exceeded', async () => {
    const trap = file('trap.yaml', TRAP);
    const plain = await zt(['check', trap]);
    expect(plain.stdout).toContain('warning and-or-trap: spec.egress[0].to[0] (namespaceSelector) and to[1] (podSelector) are alternatives');
    expect(plain.code).toBe(0);
    const strict = await zt(['check', trap, '--max-warnings', '0']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('zt: 1 warnings, more than --max-warnings 0\n');
    expect((await zt(['check', trap, '--max-warnings', 'x'])).code).toBe(2);
  });

  test('--format sarif locates each finding at its document\'s line', async () => {
    const trap = file('trap-sarif.yaml', TRAP);
    const { stdout } = await zt(['check', trap, '--format', 'sarif']);
    type Result = { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] };
    const sarif = JSON.parse(stdout) as { runs: { results: Result[] }[] };
    const result = sarif.runs[0].results.find((r) => r.ruleId === 'and-or-trap');
    // The fourth document (index 3) starts at its `---` line.
    const separators = TRAP.split('\n').flatMap((line, index) => (line === '---' ? [index + 1] : []));
    expect(result?.locations[0].physicalLocation.region.startLine).toBe(separators[2]);
  });
});
