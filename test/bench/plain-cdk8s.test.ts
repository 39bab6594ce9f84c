import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatTable, measureInChild } from '../../bench/measure';
import { buildPlainCdk8sApp, PlainCdk8sRun, runPlainCdk8s } from '../../bench/plain-cdk8s';
import { describeWithSchemas } from '../support/schemas';

interface Policy {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  spec: {
    podSelector: { matchLabels?: Record<string, string> };
    policyTypes: string[];
    ingress?: { from: unknown[]; ports: { port: number; protocol: string }[] }[];
    egress?: { to: unknown[]; ports: { port: number; protocol: string }[] }[];
  };
}

const WORKLOADS = ['frontend', 'backend', 'auth', 'search', 'cache', 'worker', 'database', 'queue', 'objectstore', 'analytics'];

function synthesize(tenants: number): Policy[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-plain-cdk8s-test-'));
  try {
    const app = buildPlainCdk8sApp(tenants, outdir);
    expect(app.charts).toHaveLength(tenants);
    return app.charts.flatMap(chart => chart.toJson() as Policy[]);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function find(policies: Policy[], namespace: string, name: string): Policy {
  const policy = policies.find(p => p.metadata.namespace === namespace && p.metadata.name === name);
  if (!policy) throw new Error(`no policy ${namespace}/${name}`);
  return policy;
}

describe('plain cdk8s baseline', () => {
  const policies = synthesize(2);

  test('two tenants: a baseline per namespace and a policy per workload, all explicitly named and placed', () => {
    expect(policies).toHaveLength(24);
    expect(policies.every(p => p.apiVersion === 'networking.k8s.io/v1' && p.kind === 'NetworkPolicy')).toBe(true);
    const names = policies.map(p => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
    for (const tenant of ['t0001', 't0002']) {
      expect(names).toEqual(expect.arrayContaining([`${tenant}-web/baseline`, `${tenant}-data/baseline`]));
      for (const workload of WORKLOADS) expect(names.filter(n => n.startsWith(tenant) && n.endsWith(`/${workload}`))).toHaveLength(1);
    }
  });

  test('every port is explicit: no port 0 ("all ports" in cdk8s-plus), no rule without ports', () => {
    for (const policy of policies) {
      for (const rule of [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])]) {
        expect(rule.ports.length).toBeGreaterThan(0);
        for (const port of rule.ports) expect(port.port).toBeGreaterThan(0);
      }
    }
    expect(JSON.stringify(policies)).not.toMatch(/"port":0\b/);
  });

  test('baseline: default deny both ways, DNS egress, Prometheus scraping', () => {
    const baseline = find(policies, 't0001-web', 'baseline');
    expect(baseline.spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress', 'Ingress'],
      ingress: [{
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
        }],
        ports: [{ port: 9090, protocol: 'TCP' }],
      }],
      egress: [{
        to: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      }],
    });
  });

  test('the example flows: ingress-nginx → frontend, backend → database across namespaces, backend → external CIDR', () => {
    const frontend = find(policies, 't0002-web', 'frontend');
    expect(frontend.spec.podSelector).toEqual({ matchLabels: { app: 'frontend' } });
    expect(frontend.spec.ingress![0].ports).toEqual([{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }]);
    const backend = find(policies, 't0002-web', 'backend');
    expect(backend.spec.egress).toEqual(expect.arrayContaining([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 't0002-data' } }, podSelector: { matchLabels: { app: 'database' } } }],
        ports: [{ port: 5432, protocol: 'TCP' }],
      },
      { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443, protocol: 'TCP' }] },
    ]));
    const database = find(policies, 't0002-data', 'database');
    expect(database.spec.policyTypes).toEqual(['Ingress']);
    expect(database.spec.ingress).toHaveLength(3);
  });

  describeWithSchemas('schemas', validator => {
    test('every synthesized policy is a valid NetworkPolicy', () => {
      expect(policies.flatMap(p => validator.validate(p))).toEqual([]);
    });
  });

  test('runPlainCdk8s counts files and objects and cleans up', async () => {
    const before = fs.readdirSync(os.tmpdir()).filter(f => f.startsWith('zt-bench-plain-cdk8s-')).length;
    const run: PlainCdk8sRun = await runPlainCdk8s(2);
    expect(run).toEqual(expect.objectContaining({ objects: 24, files: 2 }));
    expect(run.seconds).toBeGreaterThan(0);
    expect(run.peakRssMb).toBeGreaterThan(10);
    expect(fs.readdirSync(os.tmpdir()).filter(f => f.startsWith('zt-bench-plain-cdk8s-'))).toHaveLength(before);
  });

  test('measureInChild runs the measurement in a fresh process', async () => {
    const measured = await measureInChild<PlainCdk8sRun>(path.join(__dirname, '../../bench/plain-cdk8s.ts'), 'runPlainCdk8s', [1]);
    expect(measured.result).toEqual(expect.objectContaining({ objects: 12, files: 1 }));
    expect(measured.seconds).toBeGreaterThanOrEqual(measured.result.seconds);
    expect(measured.peakRssMb).toBeGreaterThan(10);
    await expect(measureInChild(path.join(__dirname, '../../bench/plain-cdk8s.ts'), 'nope', [])).rejects.toThrow(/has no exported function nope/);
  }, 60_000);
});

test('formatTable aligns columns, numbers to the right', () => {
  expect(formatTable([
    { 'tenants': 10, 'tool': 'plain cdk8s', 'seconds': 0.123, 'peak RSS (MiB)': 120.5 },
    { 'tenants': 1000, 'tool': 'ours', 'seconds': '12.3', 'peak RSS (MiB)': 1024 },
  ])).toBe([
    'tenants  tool         seconds  peak RSS (MiB)',
    '-------  -----------  -------  --------------',
    '     10  plain cdk8s     0.12          120.50',
    '  1,000  ours            12.3           1,024',
  ].join('\n'));
});
