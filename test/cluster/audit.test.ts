import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { AUDIT_FIXTURES, clusterObjects, fakeCluster, FakeCluster } from './audit-helpers';
import { writeKubeconfig } from './fake-api-server';
import { computeConnectivity } from '../../src/analysis';
import { CLUSTER_RESOURCES, EXAMPLE_CLUSTER_ROLE } from '../../src/cluster';
import { zt } from '../analysis/cli/run-cli';

const DECLARED = path.join(AUDIT_FIXTURES, 'declared');
const PROBES = path.join(AUDIT_FIXTURES, 'probes.yaml');
const ROOT = path.join(__dirname, '..', '..');

let cluster: FakeCluster;
beforeAll(async () => {
  cluster = await fakeCluster();
});
afterAll(() => cluster.close());
beforeEach(() => cluster.server.requests.splice(0));

function audit(...args: string[]): ReturnType<typeof zt> {
  return zt(['audit', '--kubeconfig', cluster.kubeconfig, ...args]);
}

interface AuditJson {
  cluster: { server: string; context: string };
  cni: string;
  read: { resource: string; apiVersion: string; kind: string; count: number }[];
  defaultDeny: {
    without: string[];
    namespaces: { namespace: string; pods: number; hostNetworkPods: number; ingress: Record<string, unknown>; egress: Record<string, unknown> }[];
  };
  drift?: {
    compared: number;
    missing: { kind: string; namespace?: string; name: string; file: string; documentIndex: number }[];
    changed: { kind: string; namespace?: string; name: string; differences: { path: string; expected?: unknown; actual?: unknown }[] }[];
    extra: { kind: string; namespace?: string; name: string }[];
    notCompared: { kind: string; count: number }[];
  };
  summary?: unknown;
  probes?: { probes: { id: string; verdict: string; ok?: boolean }[] };
}

describe('zt audit: reading the cluster', () => {
  test('only GETs; lists are paginated with limit and continue, and the result does not depend on the page size', async () => {
    const small = await audit('--page-size', '2', '--format', 'json');
    const smallRequests = [...cluster.server.requests];
    cluster.server.requests.splice(0);
    const large = await audit('--format', 'json');
    expect(small.code).toBe(0);
    expect(large.code).toBe(0);
    expect(smallRequests.every((request) => request.startsWith('GET '))).toBe(true);
    // 7 pods listed (the terminated one included): pages of 2 take 4 requests, chained by continue tokens.
    const podPages = smallRequests.filter((request) => request.startsWith('GET /api/v1/pods?'));
    expect(podPages).toHaveLength(4);
    expect(podPages[0]).toContain('limit=2');
    expect(podPages[0]).not.toContain('continue=');
    expect(podPages.slice(1).every((request) => /continue=/.test(request))).toBe(true);
    expect(cluster.server.requests.filter((request) => request.startsWith('GET /api/v1/pods?'))).toEqual(['GET /api/v1/pods?limit=500']);
    expect(JSON.parse(small.stdout)).toEqual(JSON.parse(large.stdout));
  });

  test('what was read, per kind; a terminated pod is left out with a note; unserved API groups are skipped with a note', async () => {
    const { code, stdout, stderr } = await audit('--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as AuditJson;
    expect(report.cluster).toEqual({ server: cluster.server.url, context: 'test' });
    expect(report.cni).toBe('kubernetes');
    const counts = Object.fromEntries(report.read.map((entry) => [`${entry.kind} ${entry.apiVersion}`, entry.count]));
    expect(counts).toMatchObject({
      'Namespace v1': 4,
      'Node v1': 1,
      'Pod v1': 6,
      'Service v1': 1,
      'ServiceAccount v1': 1,
      'EndpointSlice discovery.k8s.io/v1': 1,
      'NetworkPolicy networking.k8s.io/v1': 6,
      'AuthorizationPolicy security.istio.io/v1': 1,
      'PeerAuthentication security.istio.io/v1': 0,
    });
    // Only the kube-apiserver's EndpointSlice is asked for, by label, in default.
    expect(cluster.server.requests).toContain('GET /apis/discovery.k8s.io/v1/namespaces/default/endpointslices?limit=500&labelSelector=kubernetes.io%2Fservice-name%3Dkubernetes');
    // cilium-config is read only where cilium.io is served.
    expect(cluster.server.requests.some((request) => request.includes('configmaps'))).toBe(false);
    expect(stderr).toContain('note: 1 terminated pod (phase Succeeded or Failed) left out: they have no address');
    expect(stderr).toMatch(/note: the API group cilium\.io is not served by this cluster, so it has no CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, CiliumCIDRGroup objects; skipped/);
    expect(stderr).toMatch(/note: the API group projectcalico\.org is not served/);
  });

  test('a kind of a served group whose version is not served is skipped with a note; the next known version is tried', async () => {
    const other = await fakeCluster({ groups: { 'networking.k8s.io': ['v1'], 'discovery.k8s.io': ['v1'], 'security.istio.io': ['v1beta1'] } });
    try {
      const { code, stderr } = await zt(['audit', '--kubeconfig', other.kubeconfig]);
      expect(code).toBe(0);
      // v1 is not served: only v1beta1 is asked for, and the fixture has no v1beta1 objects (404 on the list).
      expect(other.server.requests.some((request) => request.startsWith('GET /apis/security.istio.io/v1/'))).toBe(false);
      expect(other.server.requests).toContain('GET /apis/security.istio.io/v1beta1/authorizationpolicies?limit=500');
      expect(stderr).toContain('note: AuthorizationPolicy (authorizationpolicies.security.istio.io v1 or v1beta1) is not served by this cluster; skipped');
    } finally {
      await other.close();
    }
  });

  test('a continue token that expired (410 Gone) restarts the list once', async () => {
    const other = await fakeCluster({ expireContinueOnce: '/api/v1/pods' });
    try {
      const { code, stdout } = await zt(['audit', '--kubeconfig', other.kubeconfig, '--page-size', '2', '--format', 'json']);
      expect(code).toBe(0);
      const podRequests = other.server.requests.filter((request) => request.startsWith('GET /api/v1/pods?'));
      expect(podRequests).toHaveLength(6); // 1 page, 410, then 4 pages
      expect(podRequests[2]).toBe('GET /api/v1/pods?limit=2');
      expect((JSON.parse(stdout) as AuditJson).read.find((entry) => entry.kind === 'Pod')?.count).toBe(6);
    } finally {
      await other.close();
    }
  });

  test('Cilium served: --cni auto evaluates as Cilium, reads the Cilium kinds (v2alpha1 CiliumCIDRGroup) and cilium-config', async () => {
    const objects = [
      ...clusterObjects(),
      { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumCIDRGroup', metadata: { name: 'partners' }, spec: { externalCIDRs: ['203.0.113.0/24'] } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'kube-system' }, data: { 'cluster-name': 'prod' } },
    ];
    const other = await fakeCluster({ objects, groups: { 'networking.k8s.io': ['v1'], 'discovery.k8s.io': ['v1'], 'cilium.io': ['v2', 'v2alpha1'] } });
    try {
      const { code, stdout, stderr } = await zt(['audit', '--kubeconfig', other.kubeconfig, '--format', 'json']);
      expect(stderr).not.toMatch(/cilium\.io is not served/);
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as AuditJson;
      expect(report.cni).toBe('cilium');
      expect(report.read).toEqual(expect.arrayContaining([
        { resource: 'ciliumcidrgroups.cilium.io', apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumCIDRGroup', count: 1 },
        { resource: 'configmaps', apiVersion: 'v1', kind: 'ConfigMap', count: 1 },
        { resource: 'ciliumnetworkpolicies.cilium.io', apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', count: 0 },
      ]));
      expect(other.server.requests).toContain('GET /api/v1/namespaces/kube-system/configmaps/cilium-config');
      // CiliumCIDRGroup: v2 is tried first and answers 404, then v2alpha1.
      expect(other.server.requests).toContain('GET /apis/cilium.io/v2/ciliumcidrgroups?limit=500');
    } finally {
      await other.close();
    }
  });
});

describe('zt audit: default deny', () => {
  test('judged by isolation: every pod and a new pod isolated, and the new pod not allowed everything', async () => {
    const { code, stdout } = await audit('--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as AuditJson;
    const byName = Object.fromEntries(report.defaultDeny.namespaces.map((entry) => [entry.namespace, entry]));
    // alpha: default-deny both ways.
    expect(byName.alpha).toEqual({
      namespace: 'alpha',
      pods: 2,
      hostNetworkPods: 0,
      ingress: { defaultDeny: true, newPodIsolated: true, newPodAdmitsAll: false, openPods: [] },
      egress: { defaultDeny: true, newPodIsolated: true, newPodAdmitsAll: false, openPods: [] },
    });
    // beta: api is isolated for ingress by its labels, worker and new pods are not; egress isolates everything but allows everything.
    expect(byName.beta.ingress).toEqual({ defaultDeny: false, newPodIsolated: false, newPodAdmitsAll: true, openPods: ['beta/worker-2f4a'] });
    expect(byName.beta.egress).toEqual({ defaultDeny: false, newPodIsolated: true, newPodAdmitsAll: true, openPods: [] });
    // gamma has no pod: the new pod decides.
    expect(byName.gamma.pods).toBe(0);
    expect(byName.gamma.ingress.defaultDeny).toBe(true);
    expect(byName.gamma.egress.defaultDeny).toBe(false);
    // kube-proxy on the host network is not counted.
    expect(byName['kube-system']).toMatchObject({ pods: 1, hostNetworkPods: 1 });
    expect(report.defaultDeny.without).toEqual(['beta', 'gamma', 'kube-system']);
  });

  test('table: a row per namespace, the open pods, and the count', async () => {
    const { code, stdout } = await audit();
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`Cluster ${cluster.server.url} (context test): read 4 Namespace, 1 Node, 6 Pod, 1 Service, 1 ServiceAccount, 1 EndpointSlice, 6 NetworkPolicy, 1 AuthorizationPolicy.`);
    expect(lines).toContain('alpha           2  yes                         yes');
    expect(lines).toContain('beta            2  NO (new pods open, 1 open)  NO (new pods allowed everything)');
    expect(lines).toContain('gamma           0  yes                         NO (new pods open)');
    expect(lines).toContain('  beta: not isolated for ingress: beta/worker-2f4a');
    expect(lines).toContain('3 namespaces of 4 without a default deny for ingress or egress: beta, gamma, kube-system.');
  });

  test('--skip-namespace leaves namespaces out (with * patterns); --fail-on default-deny exits 3 only with findings', async () => {
    const failing = await audit('--skip-namespace', 'kube-*', '--fail-on', 'default-deny');
    expect(failing.code).toBe(3);
    expect(failing.stdout).not.toContain('kube-system');
    expect(failing.stdout).toContain('2 namespaces of 3 without a default deny');
    expect(failing.stderr).toMatch(/zt: --fail-on default-deny: 2 findings \(see above\)\.\n$/);
    const clean = await audit('--skip-namespace', 'kube-*', '--skip-namespace', 'beta', '--skip-namespace', 'g*a', '--fail-on', 'default-deny');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('Every namespace (1) has a default deny for ingress and egress.');
    // Without --fail-on, findings do not change the exit code.
    expect((await audit()).code).toBe(0);
  });
});

describe('zt audit: drift', () => {
  test('missing, changed and extra objects; server fields and API defaults are not drift', async () => {
    const { code, stdout } = await audit('--against', DECLARED, '--format', 'json');
    expect(code).toBe(0);
    const drift = (JSON.parse(stdout) as AuditJson).drift!;
    // 3 Namespaces, 6 NetworkPolicies, 1 AuthorizationPolicy; the Deployment is not compared.
    expect(drift.compared).toBe(10);
    expect(drift.notCompared).toEqual([{ kind: 'apps/v1/Deployment', count: 1 }]);
    expect(drift.missing).toEqual([
      { kind: 'NetworkPolicy', group: 'networking.k8s.io', namespace: 'beta', name: 'default-deny', file: path.join(DECLARED, 'policies.yaml'), documentIndex: 4 },
    ]);
    expect(drift.changed.map((object) => [`${object.kind} ${object.namespace ?? ''}/${object.name}`, object.differences])).toEqual([
      ['Namespace /gamma', [{ path: 'metadata.labels.added-by-hand', actual: 'yes' }]],
      ['NetworkPolicy beta/api-ingress', [{ path: 'spec.ingress[0].ports[0].port', expected: 9090, actual: 9091 }]],
    ]);
    expect(drift.extra).toEqual([expect.objectContaining({ kind: 'NetworkPolicy', namespace: 'beta', name: 'allow-all-egress', file: 'cluster:networkpolicies.networking.k8s.io' })]);
  });

  test('table, --skip-namespace, and --fail-on drift', async () => {
    const { code, stdout, stderr } = await audit('--against', DECLARED, '--fail-on', 'drift');
    expect(code).toBe(3);
    expect(stderr).toMatch(/zt: --fail-on drift: 4 findings/);
    expect(stdout).toContain(`Drift against ${DECLARED}: 10 objects declared and compared; 1 missing, 2 changed, 1 extra.`);
    expect(stdout).toMatch(/ {2}missing {2}NetworkPolicy\.networking\.k8s\.io beta\/default-deny +declared in .*policies\.yaml#4/);
    expect(stdout).toMatch(/ {2}extra {4}NetworkPolicy\.networking\.k8s\.io beta\/allow-all-egress +declared nowhere/);
    expect(stdout).toContain('    spec.ingress[0].ports[0].port: declared 9090, live 9091');
    expect(stdout).toContain('    metadata.labels.added-by-hand: declared (absent), live "yes"');
    expect(stdout).toContain('Not compared (kinds zt audit does not check): 1 apps/v1/Deployment.');
    const skipped = await audit('--against', DECLARED, '--skip-namespace', 'beta', '--skip-namespace', 'gamma', '--fail-on', 'drift', '--format', 'json');
    expect(skipped.code).toBe(0);
    expect((JSON.parse(skipped.stdout) as AuditJson).drift).toMatchObject({ missing: [], changed: [], extra: [] });
  });

  test('invalid --against input is refused before the cluster is read', async () => {
    const bad = path.join(cluster.dir, 'bad.yaml');
    fs.writeFileSync(bad, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: [}\n');
    const { code, stderr } = await audit('--against', bad);
    expect(code).toBe(1);
    expect(stderr).toContain(`zt: ${bad}:0:`);
    expect(cluster.server.requests).toEqual([]);
  });
});

describe('zt audit: live connectivity', () => {
  test('--summary is the analysis of the live objects, as zt analyze --summary gives it', async () => {
    const { code, stdout } = await audit('--summary', '--format', 'json');
    expect(code).toBe(0);
    const running = clusterObjects().filter((object) => (object.status as { phase?: string } | undefined)?.phase !== 'Succeeded');
    const expected = computeConnectivity(running, { cni: 'kubernetes' }).summary();
    expect((JSON.parse(stdout) as AuditJson).summary).toEqual(JSON.parse(JSON.stringify(expected)));
    // Something is allowed and something is not: the comparison is not vacuous.
    expect(expected.allowed).toBeGreaterThan(0);
    expect(expected.allowed).toBeLessThan(expected.evaluated);
    const table = await audit('--summary');
    expect(table.stdout).toContain('Live connectivity:');
    expect(table.stdout).toMatch(/beta +alpha +2 +4/);
  });

  test('--probes runs zt probe on the live inventory: a disagreeing probe exits 3', async () => {
    const { code, stdout, stderr } = await audit('--probes', PROBES, '--mesh', 'none', '--format', 'json');
    expect(code).toBe(3);
    expect(stderr).toMatch(/zt: 1 probe with an expected verdict disagrees with the live cluster/);
    const probes = (JSON.parse(stdout) as AuditJson).probes!.probes;
    expect(probes.map(({ id, verdict, ok }) => ({ id, verdict, ok }))).toEqual([
      { id: 'beta-to-web', verdict: 'allow', ok: true },
      { id: 'worker-to-db', verdict: 'deny', ok: false },
    ]);
    const table = await audit('--probes', PROBES, '--mesh', 'none');
    expect(table.stdout).toMatch(/Probes \(kubernetes\):\nRESULT +ID/);
    expect(table.stdout).toMatch(/FAIL +worker-to-db +beta\/worker-2f4a +alpha\/db-0 +5432\/TCP +deny +allow/);
  });

  test('a probes file that does not parse is refused before the cluster is read', async () => {
    const bad = path.join(cluster.dir, 'probes.yaml');
    fs.writeFileSync(bad, '- from: a/b\n  to: c/d\n  port: 80\n  expected: maybe\n');
    const { code, stderr } = await audit('--probes', bad);
    expect(stderr).toContain(`zt: ${bad}:0: expected:`);
    expect(code).toBe(1);
    expect(cluster.server.requests).toEqual([]);
  });
});

describe('zt audit: errors', () => {
  test('RBAC denial (403): every denied request is named with its verb, and the rules to add', async () => {
    const denied = await fakeCluster({ forbidden: ['/api/v1/pods', '/apis/networking.k8s.io/v1/networkpolicies'] });
    try {
      const { code, stdout, stderr } = await zt(['audit', '--kubeconfig', denied.kubeconfig]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain('zt: RBAC denied 2 requests of user "test-user" (403 Forbidden):');
      expect(stderr).toContain('  list pods at the cluster scope: pods is forbidden: User "tester" cannot list resource "pods" in API group "" at the cluster scope');
      expect(stderr).toContain('  list networkpolicies.networking.k8s.io at the cluster scope:');
      expect(stderr).toContain(`Bind the read-only ClusterRole of ${EXAMPLE_CLUSTER_ROLE}`);
      expect(stderr).toContain('    - {apiGroups: [""], resources: ["pods"], verbs: [list]}');
      expect(stderr).toContain('    - {apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: [list]}');
      expect(stderr).toContain('kubectl auth can-i list pods --all-namespaces');
    } finally {
      await denied.close();
    }
  });

  test('expired or invalid credentials (401)', async () => {
    const other = await fakeCluster({}, 'expired-token');
    try {
      const { code, stderr } = await zt(['audit', '--kubeconfig', other.kubeconfig]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^zt: http:\/\/127\.0\.0\.1:\d+ rejected the credentials of user "test-user" of context "test" \(401 Unauthorized\): they are expired or invalid\./);
      expect(stderr).toContain('kubectl --context test auth whoami');
      expect(other.server.requests).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  test('an unreachable server', async () => {
    const other = await fakeCluster();
    const url = other.server.url;
    await other.server.close();
    try {
      const { code, stderr } = await zt(['audit', '--kubeconfig', other.kubeconfig]);
      expect(code).toBe(1);
      expect(stderr).toMatch(new RegExp(`^zt: cannot reach the API server ${url.replace(/[.]/g, '\\.')} \\(context "test"\\): .*ECONNREFUSED.*kubectl --context test cluster-info`));
    } finally {
      fs.rmSync(other.dir, { recursive: true, force: true });
    }
  });

  test('a server that does not answer in time', async () => {
    const slow = await fakeCluster({ delayMs: 2000 });
    try {
      const { code, stderr } = await zt(['audit', '--kubeconfig', slow.kubeconfig, '--request-timeout', '200ms']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^zt: no answer from http:\/\/127\.0\.0\.1:\d+ \(context "test"\) to GET \/apis\/discovery\.k8s\.io within 0\.2s: .*raise --request-timeout\.\n$/);
    } finally {
      await slow.close();
    }
  });

  test('a required API group that is not served: not a Kubernetes API server', async () => {
    const other = await fakeCluster({ groups: { 'discovery.k8s.io': ['v1'] } });
    try {
      const { code, stderr } = await zt(['audit', '--kubeconfig', other.kubeconfig]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/does not serve the API group networking\.k8s\.io, which every Kubernetes API server serves/);
    } finally {
      await other.close();
    }
  });

  test('kubeconfig: --context picks a context, an unknown one is a usage error, plain HTTP needs insecure-skip-tls-verify', async () => {
    const file = writeKubeconfig(cluster.dir, 'two-contexts', [
      { name: 'broken', server: 'http://127.0.0.1:1', token: 'x' },
      { name: 'good', server: cluster.server.url },
    ]);
    const good = await zt(['audit', '--kubeconfig', file, '--context', 'good', '--format', 'json']);
    expect(good.code).toBe(0);
    expect((JSON.parse(good.stdout) as AuditJson).cluster.context).toBe('good');
    const unknown = await zt(['audit', '--kubeconfig', file, '--context', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`zt: context "nope" is not in the kubeconfig (${file}); its contexts are broken, good. Pick one with --context.\n`);
    const plain = writeKubeconfig(cluster.dir, 'plain-http', [{ name: 'plain', server: cluster.server.url, skipTls: false }]);
    const refused = await zt(['audit', '--kubeconfig', plain]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/plain HTTP, and its cluster entry does not set insecure-skip-tls-verify/);
    const missing = await zt(['audit', '--kubeconfig', path.join(cluster.dir, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/the kubeconfig .*nope does not exist/);
  });

  test('KUBECONFIG: the files are merged, the first one\'s current context wins; none existing is an error', async () => {
    const first = writeKubeconfig(cluster.dir, 'first', [{ name: 'from-first', server: cluster.server.url }]);
    const second = writeKubeconfig(cluster.dir, 'second', [{ name: 'from-second', server: 'http://127.0.0.1:1' }]);
    const saved = process.env.KUBECONFIG;
    try {
      process.env.KUBECONFIG = [path.join(cluster.dir, 'absent'), first, second].join(path.delimiter);
      const merged = await zt(['audit', '--format', 'json']);
      expect(merged.code).toBe(0);
      expect((JSON.parse(merged.stdout) as AuditJson).cluster.context).toBe('from-first');
      const other = await zt(['audit', '--context', 'from-second']);
      expect(other.code).toBe(1);
      expect(other.stderr).toMatch(/cannot reach the API server http:\/\/127\.0\.0\.1:1 \(context "from-second"\)/);
      process.env.KUBECONFIG = path.join(cluster.dir, 'absent');
      const none = await zt(['audit']);
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/none of the files of KUBECONFIG exists/);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });

  test('usage errors: bad --page-size, --request-timeout, --fail-on', async () => {
    for (const args of [['--page-size', '0'], ['--request-timeout', 'soon'], ['--fail-on', 'everything']]) {
      const { code, stderr } = await audit(...args);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^zt: option '--/);
    }
    expect(cluster.server.requests).toEqual([]);
  });
});

describe('the example ClusterRole', () => {
  test('allows every request zt audit makes, and nothing but get and list', () => {
    const role = parse(fs.readFileSync(path.join(ROOT, EXAMPLE_CLUSTER_ROLE), 'utf8')) as {
      kind: string;
      rules: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[];
    };
    expect(role.kind).toBe('ClusterRole');
    for (const rule of role.rules) expect(rule.verbs.every((verb) => verb === 'get' || verb === 'list')).toBe(true);
    for (const resource of CLUSTER_RESOURCES) {
      const verb = resource.only?.name !== undefined ? 'get' : 'list';
      const allowed = role.rules.some((rule) => rule.apiGroups.includes(resource.group) && rule.resources.includes(resource.resource)
        && rule.verbs.includes(verb)
        && (rule.resourceNames === undefined || (resource.only?.name !== undefined && rule.resourceNames.includes(resource.only.name))));
      expect([`${resource.group}/${resource.resource} ${verb}`, allowed]).toEqual([`${resource.group}/${resource.resource} ${verb}`, true]);
    }
  });
});
