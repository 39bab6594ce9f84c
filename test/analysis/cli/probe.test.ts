import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fixture, zt } from './run-cli';

const ROOT = path.join(__dirname, '..', '..', '..');
const DIST = path.join(ROOT, 'dist');
const EXAMPLE_PROBES = path.join(ROOT, 'examples', 'example-platform', 'probes.yaml');
const EXAMPLE_MESH_PROBES = path.join(ROOT, 'examples', 'example-platform', 'mesh-probes.yaml');
const BASIC = fixture('basic');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-probe-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes a probes file into the test's directory and returns its path. */
function probesFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const ALLOWED = '- id: web-to-api\n  from: alpha-web/frontend\n  to: alpha-data/backend\n  port: 8080\n  expected: allow\n';
const DENIED = '- id: api-to-web\n  from: alpha-data/backend\n  to: alpha-data/backend\n  port: 8080\n  expected: allow\n';

describe('zt probe', () => {
  test.each(['kubernetes', 'cilium', 'calico'])('the example platform\'s probes pass against the synthesized dist/%s/ (exit 0)', async (target) => {
    const cluster = path.join(ROOT, 'examples', 'example-platform', 'cluster.yaml');
    const inputs = [path.join(DIST, 'platform'), path.join(DIST, target), path.join(DIST, 'zt-inventory.txt'), cluster];
    const { code, stdout, stderr } = await zt(['probe', ...inputs, '--probes', EXAMPLE_PROBES, '--cni', target, '--format', 'json']);
    // Calico Open Source judges no request and no name: said once, on stderr, naming the probes.
    expect(stderr).toBe(target === 'calico'
      ? 'note: under --cni calico, http and dns are not checked and names are judged by their address (Calico Open Source filters connections, not requests; ' +
        'see each reason\'s l7 and detail): ingress-gets-alpha-frontend-over-http, ingress-posts-to-alpha-frontend-over-http, alpha-frontend-dns, ' +
        'alpha-backend-to-payment-api, alpha-backend-to-github, alpha-backend-to-another-name-at-githubs-address, beta-backend-to-github, internet-to-alpha-frontend\n'
      : '');
    expect(code).toBe(0);
    type Report = { cni: string; probes: { id: string; verdict: string; ok?: boolean }[]; summary: { probes: number; failed: number } };
    const report = JSON.parse(stdout) as Report;
    expect(report.cni).toBe(target);
    expect(report.summary.failed).toBe(0);
    expect(report.probes.every((probe) => probe.ok === true)).toBe(true);
    // The targets differ where the program declares the Kubernetes and Calico ones leave intent out.
    const verdict = (id: string) => report.probes.find((probe) => probe.id === id)?.verdict;
    expect(verdict('alpha-backend-to-github')).toBe(target === 'cilium' ? 'allow' : 'deny');
    expect(verdict('ingress-gets-alpha-frontend-over-http')).toBe(target === 'cilium' ? 'allow' : 'deny');
    expect(verdict('ingress-posts-to-alpha-frontend-over-http')).toBe('deny');
    // The cluster-wide deny of the cloud metadata address: Cilium and Calico express it, NetworkPolicy cannot.
    expect(verdict('ingress-controller-to-cloud-metadata')).toBe(target === 'kubernetes' ? 'allow' : 'deny');
  });

  const withMesh = 'with the mesh: dist/%s/ and dist/istio/ under --mesh istio pass probes.yaml and mesh-probes.yaml; without the mesh, mesh-probes.yaml does not';
  test.each(['kubernetes', 'cilium', 'calico'])(withMesh, async (target) => {
    const cluster = path.join(ROOT, 'examples', 'example-platform', 'cluster.yaml');
    const inputs = [path.join(DIST, 'platform'), path.join(DIST, target), path.join(DIST, 'istio'), path.join(DIST, 'zt-inventory.txt'), cluster];
    type Result = { id: string; verdict: string; ok?: boolean; reasons: Record<string, unknown>[] };
    type Report = { cni: string; mesh: string; probes: Result[]; summary: { failed: number } };
    const shared = await zt(['probe', ...inputs, '--probes', EXAMPLE_PROBES, '--cni', target, '--mesh', 'istio', '--format', 'json']);
    expect(shared.code).toBe(0);
    expect(JSON.parse(shared.stdout)).toMatchObject({ cni: target, mesh: 'istio', summary: { failed: 0 } });
    const { code, stdout } = await zt(['probe', ...inputs, '--probes', EXAMPLE_MESH_PROBES, '--cni', target, '--mesh', 'istio', '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report).toMatchObject({ cni: target, mesh: 'istio', summary: { failed: 0 } });
    const result = (id: string) => report.probes.find((probe) => probe.id === id)!;
    // Plaintext under STRICT: the network layer allows the declared flow, the mesh layer refuses it, and says why.
    expect(result('plaintext-alpha-frontend-to-backend').verdict).toBe('deny');
    expect(result('plaintext-alpha-frontend-to-backend').reasons).toContainEqual(expect.objectContaining({
      layer: 'mesh', direction: 'ingress', policy: 'PeerAuthentication istio-system/default', rule: 'mtls', effect: 'deny',
    }));
    const network = result('plaintext-alpha-frontend-to-backend').reasons.filter((reason) => reason.layer === 'cni' && reason.direction === 'ingress');
    expect(network.map((reason) => reason.effect)).toContain('allow');
    // Over mTLS, the frontend's principal is admitted by the backend's ALLOW policy.
    expect(result('mtls-alpha-frontend-to-backend').reasons).toContainEqual(expect.objectContaining({
      layer: 'mesh', direction: 'ingress', policy: 'AuthorizationPolicy alpha-web/backend-ingress', rule: 'rules[0]', effect: 'allow',
    }));
    expect(result('plaintext-ingress-to-alpha-frontend').verdict).toBe('deny');
    expect(result('mtls-ingress-to-alpha-frontend').verdict).toBe('allow');
    // Without the mesh layer the plaintext probes are allowed: a per-mesh expectation, hence a file of its own.
    const withoutMesh = inputs.filter((input) => !input.endsWith('istio'));
    const none = await zt(['probe', ...withoutMesh, '--probes', EXAMPLE_MESH_PROBES, '--cni', target, '--mesh', 'none', '--format', 'json']);
    expect(none.code).toBe(3);
    const failed = (JSON.parse(none.stdout) as Report).probes.filter((probe) => probe.ok === false).map((probe) => probe.id);
    expect(failed).toEqual(['plaintext-alpha-frontend-to-backend', 'plaintext-ingress-to-alpha-frontend', 'plaintext-prometheus-scrapes-beta-database']);
  });

  test('the mesh\'s own ports: every meshed pod reaches istiod on 15012 only, Prometheus the sidecars\' metrics, under each CNI with and without the mesh', async () => {
    const cluster = path.join(ROOT, 'examples', 'example-platform', 'cluster.yaml');
    for (const target of ['kubernetes', 'cilium', 'calico']) {
      for (const mesh of ['none', 'istio']) {
        const layers = [path.join(DIST, target), ...(mesh === 'istio' ? [path.join(DIST, 'istio')] : [])];
        const inputs = [path.join(DIST, 'platform'), ...layers, path.join(DIST, 'zt-inventory.txt'), cluster];
        const { code, stdout } = await zt(['probe', ...inputs, '--probes', EXAMPLE_PROBES, '--cni', target, '--mesh', mesh, '--format', 'json']);
        expect(code).toBe(0);
        const report = JSON.parse(stdout) as { probes: { id: string; verdict: string }[] };
        const verdicts = Object.fromEntries(report.probes.map((probe) => [probe.id, probe.verdict]));
        const ids = ['alpha-frontend-to-istiod-xds', 'beta-database-to-istiod-webhook-port', 'prometheus-scrapes-alpha-frontend-sidecar', 'alpha-frontend-no-sidecar-metrics-of-backend'];
        expect(ids.map((id) => verdicts[id])).toEqual(['allow', 'deny', 'allow', 'deny']);
      }
    }
  });

  test('dist/calico/ under --cni auto is Calico; its reasons name the tier, the policy and the rule', async () => {
    const cluster = path.join(ROOT, 'examples', 'example-platform', 'cluster.yaml');
    const inputs = [path.join(DIST, 'platform'), path.join(DIST, 'calico'), path.join(DIST, 'zt-inventory.txt'), cluster];
    const { code, stdout } = await zt(['probe', ...inputs, '--probes', EXAMPLE_PROBES, '--format', 'json']);
    expect(code).toBe(0);
    type Report = { cni: string; probes: { id: string; reasons: Record<string, unknown>[] }[] };
    const report = JSON.parse(stdout) as Report;
    expect(report.cni).toBe('calico');
    const reasons = (id: string) => report.probes.find((probe) => probe.id === id)!.reasons;
    expect(reasons('beta-frontend-to-alpha-backend')).toContainEqual(expect.objectContaining({
      direction: 'ingress', policy: 'GlobalNetworkPolicy isolate-alpha', rule: 'ingress[4]', effect: 'deny', detail: expect.stringMatching(/^tier zero-trust-platform, order 200: action Deny/),
    }));
    expect(reasons('alpha-frontend-to-backend')).toEqual([
      expect.objectContaining({ direction: 'egress', policy: 'GlobalNetworkPolicy isolate-alpha', rule: 'egress[0]', effect: 'pass' }),
      expect.objectContaining({ direction: 'egress', policy: 'NetworkPolicy alpha-web/frontend-egress', rule: 'egress[0]', effect: 'allow' }),
      expect.objectContaining({ direction: 'ingress', policy: 'GlobalNetworkPolicy isolate-alpha', rule: 'ingress[0]', effect: 'pass' }),
      expect.objectContaining({ direction: 'ingress', policy: 'NetworkPolicy alpha-web/backend-ingress', rule: 'ingress[0]', effect: 'allow' }),
    ]);
    expect(reasons('ingress-gets-alpha-frontend-over-http')).toContainEqual(expect.objectContaining({
      direction: 'ingress', effect: 'isolated', l7: expect.stringContaining('http not checked: Calico Open Source filters connections, not HTTP requests'),
    }));
  });

  test('the whole dist/ holds Cilium and Calico objects: --cni auto is a usage error; --cni cilium or calico evaluates one target beside the others', async () => {
    const cluster = path.join(ROOT, 'examples', 'example-platform', 'cluster.yaml');
    const auto = await zt(['probe', DIST, cluster, '--probes', EXAMPLE_PROBES]);
    expect(auto.code).toBe(2);
    expect(auto.stderr).toMatch(/^zt: the input holds both Cilium objects \(.*\) and Calico objects \(.*\), so --cni auto cannot tell the CNI\. Give --cni cilium, --cni calico or --cni kubernetes\.\n$/);
    // dist/istio/ is in the whole dist/ too: --mesh auto (the default) enforces it.
    const cilium = await zt(['probe', DIST, cluster, '--probes', EXAMPLE_PROBES, '--cni', 'cilium']);
    expect(cilium.code).toBe(0);
    expect(cilium.stdout).toMatch(/\d+ probes \(--cni cilium, --mesh istio\): \d+ allowed, \d+ denied; all \d+ expectations met\n$/);
    expect(cilium.stderr).toMatch(/^note: not enforced under --cni cilium: .* \(Calico objects; enforced with --cni calico\)\n/);
    // dist/delivery/ holds the Argo CD ApplicationSet: not a policy.
    expect(cilium.stderr).toContain('note: ignored 1 object of kind argoproj.io/v1alpha1/ApplicationSet (not evaluated by the analyzer)');
    // Under Calico the NetworkPolicies of dist/kubernetes/ and the Calico ones of dist/calico/ share names: two
    // resources of two API groups, both enforced.
    const calico = await zt(['probe', DIST, cluster, '--probes', EXAMPLE_PROBES, '--cni', 'calico']);
    expect(calico.code).toBe(0);
    expect(calico.stdout).toMatch(/\d+ probes \(--cni calico, --mesh istio\): \d+ allowed, \d+ denied; all \d+ expectations met\n$/);
    expect(calico.stderr).toMatch(/^note: not enforced under --cni calico: .* \(Cilium objects; enforced with --cni cilium\)\nnote: under --cni calico, http and dns are not checked/);
  });

  test('the example probes expect both verdicts, and some per CNI', () => {
    const text = fs.readFileSync(EXAMPLE_PROBES, 'utf8');
    expect(text).toContain('expected: allow');
    expect(text).toContain('expected: deny');
    expect(text).toContain('expected: { kubernetes: deny, cilium: allow, calico: deny }');
  });

  test('an expectation per CNI: the run\'s CNI picks it; a CNI it does not name only reports the verdict', async () => {
    const perCni = '- id: web-to-api\n  from: alpha-web/frontend\n  to: alpha-data/backend\n  port: 8080\n  expected: { cilium: deny, kubernetes: allow }\n';
    const file = probesFile('per-cni.yaml', perCni);
    const kubernetes = await zt(['probe', BASIC, '--probes', file, '--cni', 'kubernetes', '--format', 'json']);
    expect(kubernetes.code).toBe(0);
    expect(JSON.parse(kubernetes.stdout).probes[0]).toMatchObject({ verdict: 'allow', expected: 'allow', ok: true });
    const calicoOnly = probesFile('calico-only.yaml', perCni.replace('{ cilium: deny, kubernetes: allow }', '{ calico: deny }'));
    const reported = await zt(['probe', BASIC, '--probes', calicoOnly, '--cni', 'kubernetes', '--format', 'json']);
    expect(reported.code).toBe(0);
    expect(JSON.parse(reported.stdout).probes[0]).not.toHaveProperty('expected');
    const bad = await zt(['probe', BASIC, '--probes', probesFile('bad-cni.yaml', perCni.replace('cilium: deny', 'flannel: deny'))]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('expected.flannel: is not a CNI');
  });

  test('every expectation met: exit 0; one not met: exit 3, with the output still printed', async () => {
    expect((await zt(['probe', BASIC, '--probes', probesFile('ok.yaml', ALLOWED)])).code).toBe(0);
    const failed = await zt(['probe', BASIC, '--probes', probesFile('fail.yaml', ALLOWED + DENIED), '--format', 'json']);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toBe('zt: 1 of 2 probes with an expected verdict disagree (FAIL above).\n');
    const report = JSON.parse(failed.stdout) as { cni: string; mesh: string; probes: { id: string; ok: boolean }[]; summary: unknown };
    expect(report).toMatchObject({ cni: 'kubernetes', mesh: 'none', summary: { probes: 2, allow: 1, deny: 1, failed: 1 } });
    expect(report.probes.map((probe) => [probe.id, probe.ok])).toEqual([['web-to-api', true], ['api-to-web', false]]);
  });

  test('without expectations the verdicts are reported and the exit code is 0', async () => {
    const { code, stdout } = await zt(['probe', BASIC, '--probes', probesFile('none.yaml', '- {from: alpha-data/backend, to: alpha-data/backend, port: 8080}\n'), '--format', 'markdown']);
    expect(code).toBe(0);
    expect(stdout).toContain('|  | `0` | `alpha-data/backend` | `alpha-data/backend` | 8080/TCP | deny |  |');
    expect(stdout).toContain('1 probe (--cni kubernetes, --mesh none): 0 allowed, 1 denied; no expectations');
  });

  test('a bad probes file: exit 1, one line per problem, naming the file and the probe', async () => {
    const file = probesFile('bad.yaml', '- id: a\n  from: alpha-web/frontend\n  to: alpha-data/backend\n  port: 0\n- {from: x, to: alpha-data/backend, port: 80}\n');
    const { code, stdout, stderr } = await zt(['probe', BASIC, '--probes', file]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe([
      `zt: ${file}:a: port: must be an integer between 1 and 65535, got 0. give a port the destination listens on`,
      `zt: ${file}:1: from: "x" is not "namespace/name". give the pod or workload's namespace and name, e.g. "alpha-web/frontend"`,
      '',
    ].join('\n'));
  });

  test('an endpoint the input does not hold: exit 1, naming the probe', async () => {
    const { code, stderr } = await zt(['probe', BASIC, '--probes', probesFile('typo.yaml', '- {id: t, from: alpha-web/frontent, to: alpha-data/backend, port: 80}\n')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^zt: .*typo\.yaml:t: from: no pod or workload alpha-web\/frontent in the input\. did you mean alpha-web\/frontend\?\n$/);
  });

  test('invalid manifests: exit 1 with the issues', async () => {
    const { code, stderr } = await zt(['probe', fixture('invalid', 'bad-port.yaml'), '--probes', probesFile('any.yaml', ALLOWED)]);
    expect(code).toBe(1);
    expect(stderr).toContain('bad-port.yaml:1: spec.ingress[0].ports[0].port: must be an integer between 1 and 65535, got 0');
  });

  test.each([
    ['an unknown --mesh', ['--mesh', 'linkerd'], /argument 'linkerd' is invalid\. Allowed choices are auto, none, istio/],
    ['an unknown --cni', ['--cni', 'flannel'], /argument 'flannel' is invalid\. Allowed choices are auto, kubernetes, cilium, calico/],
    ['a repeated --probes', ['--probes', 'other.yaml'], /--probes may be given only once/],
  ])('%s: usage error (exit 2), before reading anything', async (_name, args, message) => {
    const { code, stdout, stderr } = await zt(['probe', path.join(dir, 'missing-dir'), '--probes', path.join(dir, 'missing.yaml'), ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  test('--probes is required', async () => {
    const { code, stderr } = await zt(['probe', BASIC]);
    expect(code).toBe(2);
    expect(stderr).toContain("required option '--probes <file>' not specified");
  });

  test('--cni auto with Cilium kinds in the input enforces them; --cni kubernetes notes them as not enforced', async () => {
    // alpha-web's frontend may not send to alpha-data at all: under Cilium the egress deny decides.
    const cnp = probesFile('cnp.yaml', 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: no-data, namespace: alpha-web}\n' +
      'spec:\n  endpointSelector: {}\n  enableDefaultDeny: {egress: false}\n  egressDeny:\n  - toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: alpha-data}}]\n');
    const probes = probesFile('cilium-probes.yaml', ALLOWED);
    const auto = await zt(['probe', BASIC, cnp, '--probes', probes, '--format', 'json']);
    expect(auto.code).toBe(3);
    expect(auto.stderr).toBe('zt: 1 of 1 probes with an expected verdict disagree (FAIL above).\n');
    const report = JSON.parse(auto.stdout) as { cni: string; probes: { verdict: string; reasons: unknown[] }[] };
    expect(report.cni).toBe('cilium');
    expect(report.probes[0].verdict).toBe('deny');
    expect(report.probes[0].reasons).toContainEqual({
      layer: 'cni', direction: 'egress', policy: 'CiliumNetworkPolicy alpha-web/no-data', rule: 'egressDeny[0]', effect: 'deny', detail: 'toEndpoints[0], any port (no toPorts)',
    });
    const kubernetes = await zt(['probe', BASIC, cnp, '--probes', probes, '--cni', 'kubernetes']);
    expect(kubernetes.code).toBe(0);
    expect(kubernetes.stderr).toBe('note: not enforced under --cni kubernetes: 1 cilium.io/v2/CiliumNetworkPolicy (Cilium objects; enforced with --cni cilium)\n');
  });

  test('ICMP under --cni kubernetes: exit 2, naming the probe', async () => {
    const { code, stderr } = await zt(['probe', BASIC, '--probes', probesFile('icmp.yaml', '- {id: ping, from: alpha-web/frontend, to: alpha-data/backend, protocol: ICMP}\n')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^zt: .*icmp\.yaml:ping: protocol: ICMP has no verdict under --cni kubernetes/);
  });

  test('zt --help lists the probe command', async () => {
    const { stdout } = await zt(['--help']);
    expect(stdout).toMatch(/^ {2}probe \[options\] <paths\.\.\.>/m);
    expect(stdout).toContain('3 a verdict is not the expected one');
  });

  test('--help describes the probes file, the options, the error format and the exit codes', async () => {
    const { code, stdout } = await zt(['probe', '--help']);
    expect(code).toBe(0);
    for (const text of ['--probes <file>', '--cni <cni>', '--mesh <mesh>', '--format <format>', '--max-input-size <size>', 'Examples:',
      'Endpoint objects:', 'zt: <file>:<probe id or index>: <field>: <problem>. <fix>', 'Exit codes: 0 every probe with expected agrees, 3 one does not',
      '70 internal error']) {
      expect(stdout).toContain(text);
    }
  });
});
