/** `zt probe --cni cilium` on the command line: exit codes, the JSON contract, --cni auto. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { zt } from './run-cli';
import { CLUSTER } from '../probe/cilium-fixture';

let dir: string;
let manifests: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-probe-cilium-'));
  manifests = path.join(dir, 'cluster.yaml');
  // JSON is YAML: one document per object.
  fs.writeFileSync(manifests, CLUSTER.map((object) => JSON.stringify(object)).join('\n---\n'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function probesFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const PROBES = `
- id: get-public
  from: app/web
  to: app/api
  port: 8080
  http: {method: GET, path: /public/index.html}
  expected: allow
- id: delete-public
  from: app/web
  to: app/api
  port: 8080
  http: {method: DELETE, path: /public/index.html}
  expected: deny
- id: github
  from: app/web
  to: {fqdn: api.github.com, ip: 140.82.112.3}
  port: 443
  tls: {sni: api.github.com}
  expected: allow
- id: ping
  from: app/web
  to: {node: n2}
  protocol: ICMP
  icmp: {type: 8}
  expected: allow
`;

interface Json {
  cni: string;
  mesh: string;
  probes: Record<string, unknown>[];
  summary: Record<string, number>;
}

describe('zt probe --cni cilium', () => {
  test('every expectation met: exit 0, and the JSON has the contract\'s shape and order', async () => {
    const { code, stdout, stderr } = await zt(['probe', manifests, '--probes', probesFile('ok.yaml', PROBES), '--cni', 'cilium', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Json;
    expect(Object.keys(report)).toEqual(['cni', 'mesh', 'probes', 'summary']);
    expect(report).toMatchObject({ cni: 'cilium', mesh: 'none', summary: { probes: 4, allow: 3, deny: 1, failed: 0 } });
    const egress = { layer: 'cni', direction: 'egress', policy: 'CiliumNetworkPolicy app/web', rule: 'egress[2]', effect: 'allow', detail: 'toEndpoints[0], any port (no toPorts)' };
    const ingress = {
      layer: 'cni',
      direction: 'ingress',
      policy: 'CiliumNetworkPolicy app/api',
      rule: 'ingress[0]',
      effect: 'allow',
      detail: 'fromEndpoints[0], toPorts[0].ports[0] 8080/TCP, rules.http[0] (method GET path /public/.*)',
      l7: 'rules.http[0] (method GET path /public/.*) matched GET /public/index.html',
    };
    const first = { id: 'get-public', from: 'app/web', to: 'app/api', protocol: 'TCP', port: 8080, verdict: 'allow', expected: 'allow', ok: true, reasons: [egress, ingress] };
    expect(report.probes[0]).toEqual(first);
    // The contract's field order.
    expect(Object.keys(report.probes[0])).toEqual(Object.keys(first));
    expect(Object.keys(report.probes[0].reasons as object[])).toHaveLength(2);
    expect(Object.keys((report.probes[0].reasons as object[])[1])).toEqual(Object.keys(ingress));
    expect(report.probes[1]).toMatchObject({ id: 'delete-public', verdict: 'deny', ok: true });
    expect(report.probes[1].reasons).toContainEqual(expect.objectContaining({ direction: 'ingress', policy: 'CiliumNetworkPolicy app/api', rule: 'ingress[0]', effect: 'isolated', l7: expect.stringContaining('for DELETE /public/index.html: nothing matched') }));
    expect(report.probes[2]).toMatchObject({ id: 'github', to: 'api.github.com (140.82.112.3)', port: 443, verdict: 'allow' });
    expect(report.probes[3]).toMatchObject({ id: 'ping', to: 'node:n2', protocol: 'ICMP', icmp: { type: 8, family: 'IPv4' }, verdict: 'allow' });
    expect(Object.keys(report.probes[3])).not.toContain('port');
    for (const result of report.probes) {
      for (const reason of result.reasons as Record<string, unknown>[]) expect(['allow', 'deny', 'pass', 'isolated', 'default']).toContain(reason.effect);
    }
  });

  test('a disagreement: exit 3, FAIL in the table with the reasons, the L7 rule named', async () => {
    const file = probesFile('fail.yaml', '- {id: post-orders, from: app/web, to: app/api, port: 8080, http: {method: POST, path: /orders}, expected: allow}\n');
    const { code, stdout, stderr } = await zt(['probe', manifests, '--probes', file, '--cni', 'cilium']);
    expect(code).toBe(3);
    expect(stderr).toBe('zt: 1 of 1 probes with an expected verdict disagree (FAIL above).\n');
    expect(stdout).toMatch(/^FAIL {4}post-orders {2}app\/web {2}app\/api {2}8080\/TCP {2}deny {5}allow$/m);
    expect(stdout).toContain('1 probe (--cni cilium, --mesh none): 0 allowed, 1 denied; 1 of 1 expectations FAILED');
    expect(stdout).toContain('ingress CiliumNetworkPolicy app/api ingress[0]: isolated - fromEndpoints[0], toPorts[0].ports[0] 8080/TCP');
    expect(stdout).toContain('[L7: rules.http (method GET path /public/.*; method POST path /orders host shop\\.example\\.com headers x-user) for POST /orders: nothing matched, so the request is answered HTTP 403]');
  });

  test('ICMP in the table and markdown: its type in the port column', async () => {
    const file = probesFile('ping.yaml', '- {id: ping, from: app/web, to: {node: n2}, protocol: ICMP, icmp: {type: 8, code: 0}}\n');
    const table = await zt(['probe', manifests, '--probes', file, '--cni', 'cilium']);
    expect(table.stdout).toMatch(/^ {8}ping {2}app\/web {2}node:n2 {2}ICMP 8\/0 {2}allow$/m);
    const markdown = await zt(['probe', manifests, '--probes', file, '--cni', 'cilium', '--format', 'markdown']);
    expect(markdown.stdout).toContain('|  | `ping` | `app/web` | `node:n2` | ICMP 8/0 | allow |  |');
  });

  test('a probe the input cannot answer: exit 1, one line naming the file, probe, field and fix', async () => {
    const file = probesFile('bad.yaml', '- {id: ping-svc, from: app/web, to: {service: app/api}, protocol: ICMP}\n');
    const { code, stdout, stderr } = await zt(['probe', manifests, '--probes', file, '--cni', 'cilium']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`zt: ${file}:ping-svc: to: ICMP to the cluster IP of Service app/api does not reach its backends: a Service forwards TCP, UDP and SCTP ports. probe one of its pods, e.g. {pod: "namespace/name"}\n`);
  });

  test('--cni auto picks Cilium from the input\'s kinds', async () => {
    const { code, stdout } = await zt(['probe', manifests, '--probes', probesFile('auto.yaml', PROBES), '--format', 'json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Json).cni).toBe('cilium');
  });

  test('--cni auto with Cilium and Calico kinds: usage error (exit 2)', async () => {
    const calico = probesFile('calico.yaml', 'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: p}\nspec: {}\n');
    const { code, stdout, stderr } = await zt(['probe', manifests, calico, '--probes', probesFile('mixed.yaml', PROBES)]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^zt: the input holds both Cilium objects \(.*\) and Calico objects \(1 projectcalico\.org\/v3\/GlobalNetworkPolicy\), so --cni auto cannot tell the CNI\. Give --cni cilium, --cni calico or --cni kubernetes\.\n$/);
  });

  test('--cni kubernetes on the same input: ICMP refused (exit 2), Cilium kinds noted', async () => {
    const { code, stderr } = await zt(['probe', manifests, '--probes', probesFile('k8s.yaml', PROBES), '--cni', 'kubernetes']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/k8s\.yaml:ping: protocol: ICMP has no verdict under --cni kubernetes/);
  });
});
