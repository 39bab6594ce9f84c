/**
 * `zt probe --cni calico`: one table of probes against one small Calico cluster, each with its verdict and the
 * reasons that decided it (policy, tier, rule, effect), and the staged verdict beside the enforced one.
 */
import { evaluateProbes, ProbeInput, ProbeReason, ProbeReport, ProbeResult } from '../../../src/analysis';
import { formatProbeJson, formatProbeMarkdown, formatProbeTable } from '../../../src/analysis/report';
import { BASE, Manifest, netpol, pod } from '../dialects/cilium/support';

const V3 = 'projectcalico.org/v3';
const WEB = "app == 'web'";

function np(id: string, spec: Manifest, kind = 'NetworkPolicy'): Manifest {
  const [ns, name] = id.split('/');
  return { apiVersion: V3, kind, metadata: { name, namespace: ns }, spec };
}
function gnp(name: string, spec: Manifest, kind = 'GlobalNetworkPolicy'): Manifest {
  return { apiVersion: V3, kind, metadata: { name }, spec };
}

const KUBE_DNS_SERVICE: Manifest = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'kube-dns', namespace: 'kube-system' },
  spec: { selector: { 'k8s-app': 'kube-dns' }, clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] },
};

/**
 * BASE (prod: web, api with service account api-sa, db; dev: client; kube-system: coredns; prod/agent on the host
 * network of n1) plus prod/cache, and:
 * - tier `platform` (order 100, defaultAction Pass): GNP `guard` denies dev's pods on 5432 to prod, passes the rest;
 * - tier `default`: web admits dev/client on its named port `http` and ICMP echo from 10.0.2.0/24; web sends to
 *   the network set of GitHub, to api on 8080 and to the cluster DNS; db admits the service account api-sa; a
 *   Kubernetes NetworkPolicy admits web to api on 8080;
 * - staged: a GNP that would deny web at api's ingress.
 */
const CLUSTER: readonly Manifest[] = [
  ...BASE,
  pod('prod/cache', { labels: { app: 'cache' }, node: 'n2', ip: '10.0.2.12', ports: [{ port: 6379 }] }),
  KUBE_DNS_SERVICE,
  { apiVersion: V3, kind: 'Tier', metadata: { name: 'platform' }, spec: { order: 100, defaultAction: 'Pass' } },
  { apiVersion: V3, kind: 'GlobalNetworkSet', metadata: { name: 'github', labels: { role: 'github' } }, spec: { nets: ['140.82.112.0/24'] } },
  gnp('guard', {
    tier: 'platform',
    order: 10,
    selector: "projectcalico.org/namespace == 'prod'",
    types: ['Ingress'],
    ingress: [
      { action: 'Deny', protocol: 'TCP', source: { namespaceSelector: "team == 'b'" }, destination: { ports: [5432] } },
      { action: 'Pass' },
    ],
  }),
  np('prod/web-ingress', {
    selector: WEB,
    ingress: [
      { action: 'Allow', protocol: 'TCP', source: { selector: "app == 'client'", namespaceSelector: "team == 'b'" }, destination: { ports: ['http'] } },
      { action: 'Allow', protocol: 'ICMP', icmp: { type: 8 }, source: { nets: ['10.0.2.0/24'] } },
    ],
  }),
  np('prod/web-egress', {
    selector: WEB,
    types: ['Egress'],
    egress: [
      { action: 'Allow', destination: { selector: "role == 'github'", namespaceSelector: 'global()' } },
      { action: 'Allow', protocol: 'TCP', destination: { selector: "app == 'api'", ports: [8080] } },
      { action: 'Allow', protocol: 'UDP', destination: { selector: "k8s-app == 'kube-dns'", namespaceSelector: "projectcalico.org/name == 'kube-system'", ports: [53] } },
    ],
  }),
  np('prod/db-ingress', {
    selector: "app == 'db'",
    ingress: [{ action: 'Allow', protocol: 'TCP', source: { serviceAccounts: { names: ['api-sa'] } }, destination: { ports: [5432] } }],
  }),
  netpol('prod/api', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }] }),
  gnp('lockdown', { selector: "app == 'api'", order: 1, ingress: [{ action: 'Deny', source: { selector: WEB } }] }, 'StagedGlobalNetworkPolicy'),
];

type Expected = Partial<Record<keyof ProbeReason, unknown>>;

interface Case {
  readonly probe: ProbeInput;
  readonly verdict: 'allow' | 'deny';
  /** Reasons that must be among the probe's (partial matches; `detail` and `l7` strings are substrings). */
  readonly reasons: readonly Expected[];
  /** The verdict with the staged policies enforced. */
  readonly staged: 'allow' | 'deny';
}

const GUARD_PASS = { direction: 'ingress', policy: 'GlobalNetworkPolicy guard', rule: 'ingress[1]', effect: 'pass', detail: 'tier platform, order 10: Pass' };

const CASES: Readonly<Record<string, Case>> = {
  'a Pass in the platform tier, then an Allow in the default tier on a named port': {
    probe: { from: 'dev/client', to: 'prod/web', port: 'http' },
    verdict: 'allow',
    staged: 'allow',
    reasons: [
      { direction: 'egress', effect: 'default', detail: 'no enforced policy selects dev/client for egress' },
      GUARD_PASS,
      { direction: 'ingress', policy: 'NetworkPolicy prod/web-ingress', rule: 'ingress[0]', effect: 'allow', detail: "tier default, no order (projectcalico.org/v3): action Allow, protocol TCP, selector app == 'client', namespaceSelector team == 'b'" },
    ],
  },
  'a Deny in an earlier tier beats every later Allow': {
    probe: { from: 'dev/client', to: 'prod/db', port: 5432 },
    verdict: 'deny',
    staged: 'deny',
    reasons: [{ direction: 'ingress', policy: 'GlobalNetworkPolicy guard', rule: 'ingress[0]', effect: 'deny', detail: 'tier platform, order 10: action Deny, protocol TCP' }],
  },
  'service accounts: db admits the pods of api-sa': {
    probe: { from: 'prod/api', to: 'prod/db', port: 5432 },
    verdict: 'allow',
    staged: 'allow',
    reasons: [GUARD_PASS, { direction: 'ingress', policy: 'NetworkPolicy prod/db-ingress', rule: 'ingress[0]', effect: 'allow' }],
  },
  'the end-of-tier deny: every default-tier policy selecting web for egress isolates it': {
    probe: { from: 'prod/web', to: 'prod/db', port: 5432 },
    verdict: 'deny',
    staged: 'deny',
    reasons: [{ direction: 'egress', policy: 'NetworkPolicy prod/web-egress', effect: 'isolated', detail: 'no policy of tier default that selects prod/web for egress took an action on 5432/TCP; the tier\'s end-of-tier deny drops it' }],
  },
  'network sets: a GlobalNetworkSet\'s address matches its labels': {
    probe: { from: 'prod/web', to: { ip: '140.82.112.3' }, port: 443 },
    verdict: 'allow',
    staged: 'allow',
    reasons: [{ direction: 'egress', policy: 'NetworkPolicy prod/web-egress', rule: 'egress[0]', effect: 'allow', detail: "selector role == 'github', namespaceSelector global()" }],
  },
  'an fqdn: the lookup is a leg, and the name is judged by its address': {
    probe: { from: 'prod/web', to: { fqdn: 'api.github.com', ip: '140.82.112.3' }, port: 443, tls: { sni: 'api.github.com' } },
    verdict: 'allow',
    staged: 'allow',
    reasons: [
      { step: 'dns', backend: 'kube-system/coredns', direction: 'egress', policy: 'NetworkPolicy prod/web-egress', rule: 'egress[2]', effect: 'allow' },
      { direction: 'egress', rule: 'egress[0]', effect: 'allow', detail: 'api.github.com is judged by its address 140.82.112.3: Calico Open Source rules match addresses, not DNS names' },
    ],
  },
  'ICMP: an icmp rule with its type': {
    probe: { from: 'dev/client', to: 'prod/web', protocol: 'ICMP', icmp: { type: 8 } },
    verdict: 'allow',
    staged: 'allow',
    reasons: [{ direction: 'ingress', policy: 'NetworkPolicy prod/web-ingress', rule: 'ingress[1]', effect: 'allow', detail: 'protocol ICMP, nets' }],
  },
  'ICMP: another type is not admitted': {
    probe: { from: 'dev/client', to: 'prod/web', protocol: 'ICMP', icmp: { type: 13 } },
    verdict: 'deny',
    staged: 'deny',
    reasons: [{ direction: 'ingress', policy: 'NetworkPolicy prod/web-ingress', effect: 'isolated' }],
  },
  'SCTP on an admitted port number: the rule is TCP': {
    probe: { from: 'dev/client', to: 'prod/web', protocol: 'SCTP', port: 80 },
    verdict: 'deny',
    staged: 'deny',
    reasons: [{ direction: 'ingress', policy: 'NetworkPolicy prod/web-ingress', effect: 'isolated' }],
  },
  'UDP DNS: the query is not checked (no DNS rules in Calico Open Source)': {
    probe: { from: 'prod/web', to: 'kube-system/coredns', protocol: 'UDP', port: 53, dns: { query: 'example.org' } },
    verdict: 'allow',
    staged: 'allow',
    reasons: [{ direction: 'egress', rule: 'egress[2]', effect: 'allow', l7: 'dns not checked: Calico Open Source has no DNS rules' }],
  },
  'http: judged at L4, and said so': {
    probe: { from: 'dev/client', to: 'prod/web', port: 80, http: { method: 'POST', path: '/admin' } },
    verdict: 'allow',
    staged: 'allow',
    reasons: [{ direction: 'ingress', rule: 'ingress[0]', effect: 'allow', l7: 'http not checked: Calico Open Source filters connections, not HTTP requests, so the request is judged at L4' }],
  },
  'a tier that only passes: the namespace profile allows': {
    probe: { from: 'dev/client', to: 'prod/cache', port: 6379 },
    verdict: 'allow',
    staged: 'allow',
    reasons: [GUARD_PASS, { direction: 'ingress', policy: 'Profile kns.prod', effect: 'allow', detail: 'every applying tier (platform) passed' }],
  },
  'a Kubernetes NetworkPolicy in the default tier; a staged GNP would deny it': {
    probe: { from: 'prod/web', to: 'prod/api', port: 8080 },
    verdict: 'allow',
    staged: 'deny',
    reasons: [
      { direction: 'egress', policy: 'NetworkPolicy prod/web-egress', rule: 'egress[1]', effect: 'allow' },
      { direction: 'ingress', policy: 'NetworkPolicy prod/api', rule: 'ingress[0]', effect: 'allow', detail: 'tier default, order 1000 (a Kubernetes NetworkPolicy)' },
    ],
  },
  'a node is a host, no workload endpoint: nothing restricts it': {
    probe: { from: { node: 'n1' }, to: 'dev/client', port: 80 },
    verdict: 'allow',
    staged: 'allow',
    reasons: [{ direction: 'egress', effect: 'default', detail: 'node:n1 is a host (a node\'s network), not a Calico workload endpoint' }],
  },
};

function run(probes: readonly ProbeInput[], objects: readonly Manifest[] = CLUSTER): ProbeReport {
  return evaluateProbes([...objects], [...probes], { cni: 'calico' });
}

function matches(reason: ProbeReason, expected: Expected): boolean {
  return Object.entries(expected).every(([key, value]) => {
    const actual = reason[key as keyof ProbeReason];
    return (key === 'detail' || key === 'l7') && typeof value === 'string' ? typeof actual === 'string' && actual.includes(value) : actual === value;
  });
}

describe('zt probe --cni calico', () => {
  const names = Object.keys(CASES);
  let results: Map<string, ProbeResult>;
  beforeAll(() => {
    const report = run(names.map((name, index) => ({ ...CASES[name].probe, id: `case-${index}` })));
    expect(report.cni).toBe('calico');
    results = new Map(report.probes.map((result, index) => [names[index], result]));
  });

  test.each(names)('%s', (name) => {
    const { verdict, reasons, staged } = CASES[name];
    const result = results.get(name)!;
    expect(result.verdict).toBe(verdict);
    for (const expected of reasons) {
      if (!result.reasons.some((reason) => matches(reason, expected))) {
        throw new Error(`no reason matches ${JSON.stringify(expected)}; reasons: ${JSON.stringify(result.reasons, null, 2)}`);
      }
    }
    expect(result.staged?.verdict).toBe(staged);
    expect(result).not.toHaveProperty('implementationDefined');
  });

  test('the staged verdict comes with the staged policy that would decide, and never changes the verdict or ok', () => {
    const report = run([{ id: 'x', from: 'prod/web', to: 'prod/api', port: 8080, expected: 'allow' }]);
    expect(report.probes[0]).toMatchObject({ verdict: 'allow', ok: true, staged: { verdict: 'deny' } });
    expect(report.probes[0].staged!.reasons).toContainEqual(expect.objectContaining({
      direction: 'ingress', policy: 'StagedGlobalNetworkPolicy lockdown', rule: 'ingress[0]', effect: 'deny',
    }));
    expect(report.summary).toEqual({ probes: 1, allow: 1, deny: 0, failed: 0 });
  });

  test('what Calico Open Source does not judge is noted once, naming the probes; L3/L4 probes bring no note', () => {
    const report = run([
      { id: 'page', from: 'dev/client', to: 'prod/web', port: 80, http: { method: 'GET' } },
      { id: 'plain', from: 'dev/client', to: 'prod/web', port: 80 },
      { id: 'named', from: 'prod/web', to: { fqdn: 'api.github.com', ip: '140.82.112.3' }, port: 443 },
    ]);
    expect(report.notes.filter((note) => note.includes('not checked'))).toEqual([
      'note: under --cni calico, http and dns are not checked and names are judged by their address (Calico Open Source filters connections, not requests; ' +
        'see each reason\'s l7 and detail): page, named',
    ]);
    expect(run([{ from: 'dev/client', to: 'prod/web', port: 80 }]).notes.some((note) => note.includes('not checked'))).toBe(false);
  });

  test('without staged policies, no record has staged', () => {
    const report = run([{ from: 'prod/web', to: 'prod/api', port: 8080 }], CLUSTER.filter((object) => object.kind !== 'StagedGlobalNetworkPolicy'));
    expect(report.probes[0]).not.toHaveProperty('staged');
    expect(JSON.parse(formatProbeJson(report)).probes[0]).not.toHaveProperty('staged');
    expect(formatProbeTable(report)).not.toContain('STAGED');
  });

  test('through a Service: every backend must allow it', () => {
    const api = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'prod' }, spec: { selector: { app: 'api' }, clusterIP: '10.96.1.1', ports: [{ port: 80, targetPort: 8080 }] } };
    const report = run([{ from: 'prod/web', to: { service: 'prod/api' }, port: 80 }, { from: 'dev/client', to: { service: 'prod/api' }, port: 80 }], [...CLUSTER, api]);
    expect(report.probes.map((result) => result.verdict)).toEqual(['allow', 'deny']);
    expect(report.probes[0].reasons).toContainEqual(expect.objectContaining({ backend: 'prod/api', targetPort: 8080, policy: 'NetworkPolicy prod/api', effect: 'allow' }));
  });

  test('a Log rule goes on; a Pass out of the last applying tier reaches the profile', () => {
    const objects = [
      ...BASE,
      np('prod/log-then-pass', { selector: WEB, ingress: [{ action: 'Log' }, { action: 'Pass', source: { selector: "app == 'client'" }, protocol: 'TCP' }] }),
    ];
    const report = run([{ from: 'dev/client', to: 'prod/web', port: 80 }, { from: 'prod/api', to: 'prod/web', port: 80 }], objects);
    // dev/client is not in the policy's namespace: the NP's rule selector is scoped to prod, so only the end-of-tier deny is left.
    expect(report.probes[0]).toMatchObject({ verdict: 'deny' });
    expect(report.probes[1].verdict).toBe('deny');
    const passing = run([{ from: 'dev/client', to: 'prod/web', port: 80 }], [
      ...BASE, np('prod/pass', { selector: WEB, ingress: [{ action: 'Log' }, { action: 'Pass', protocol: 'TCP', source: { namespaceSelector: 'all()' } }] }),
    ]);
    expect(passing.probes[0].verdict).toBe('allow');
    expect(passing.probes[0].reasons).toEqual([
      expect.objectContaining({ direction: 'egress', effect: 'default' }),
      expect.objectContaining({ direction: 'ingress', policy: 'NetworkPolicy prod/pass', rule: 'ingress[1]', effect: 'pass' }),
      expect.objectContaining({ direction: 'ingress', policy: 'Profile kns.prod', effect: 'allow' }),
    ]);
  });

  test('staged in the table and Markdown: a STAGED column, and the probes it would change explained', () => {
    const report = run([
      { id: 'web-api', from: 'prod/web', to: 'prod/api', port: 8080, expected: 'allow' },
      { id: 'client-web', from: 'dev/client', to: 'prod/web', port: 80, expected: 'allow' },
    ]);
    const table = formatProbeTable(report);
    expect(table.split('\n').slice(0, 3)).toEqual([
      'RESULT  ID          FROM        TO            PORT  VERDICT  EXPECTED  STAGED',
      'ok      web-api     prod/web    prod/api  8080/TCP  allow    allow     would deny',
      'ok      client-web  dev/client  prod/web    80/TCP  allow    allow     would allow',
    ]);
    expect(table).toContain('STAGED: the verdict if the staged policies were enforced; they are not, and never change VERDICT (they would change 1: see below)');
    expect(table).toContain('NOTE web-api: prod/web -> prod/api 8080/TCP: expected allow, verdict allow\n');
    expect(table).toContain('  staged policies would deny it (not enforced):\n    egress NetworkPolicy prod/web-egress egress[1]: allow');
    expect(table).toContain('    ingress StagedGlobalNetworkPolicy lockdown ingress[0]: deny - tier default, order 1: action Deny');
    expect(table).not.toContain('NOTE client-web');
    const markdown = formatProbeMarkdown(report);
    expect(markdown).toContain('| result | id | from | to | port | verdict | expected | staged |');
    expect(markdown).toContain('| ok | `web-api` | `prod/web` | `prod/api` | 8080/TCP | allow | allow | **would deny** |');
    expect(markdown).toContain('- staged policies would deny it (not enforced):\n  - egress NetworkPolicy prod/web-egress egress[1]: allow');
    const json = JSON.parse(formatProbeJson(report)) as { probes: Record<string, unknown>[] };
    expect(Object.keys(json.probes[0])).toEqual(['id', 'from', 'to', 'protocol', 'port', 'verdict', 'expected', 'ok', 'reasons', 'staged']);
    expect(json.probes[0].staged).toMatchObject({ verdict: 'deny' });
  });
});

describe('a Kubernetes NetworkPolicy and a Calico NetworkPolicy of the same name', () => {
  // Two resources of different API groups (networking.k8s.io and projectcalico.org): a cluster holds both.
  const kubernetes = netpol('prod/p', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }], ports: [{ port: 80 }] }],
  });
  const calico = np('prod/p', { selector: WEB, order: 2000, ingress: [{ action: 'Log' }] });
  const probes: ProbeInput[] = [{ from: 'dev/client', to: 'prod/web', port: 80 }];

  test('both are read and both apply, in their order', () => {
    const report = run(probes, [...BASE, kubernetes, calico]);
    expect(report.probes[0]).toMatchObject({ verdict: 'allow' });
    expect(report.probes[0].reasons).toContainEqual(expect.objectContaining({ policy: 'NetworkPolicy prod/p', rule: 'ingress[0]', effect: 'allow', detail: expect.stringContaining('(a Kubernetes NetworkPolicy)') }));
  });

  test('a StagedNetworkPolicy replaces the Calico one in the preview, never the Kubernetes one', () => {
    const staged = np('prod/p', { selector: WEB, order: 2000, types: ['Ingress'] }, 'StagedNetworkPolicy');
    const report = run(probes, [...BASE, kubernetes, calico, staged]);
    expect(report.probes[0]).toMatchObject({ verdict: 'allow', staged: { verdict: 'allow' } });
  });

  test('a StagedKubernetesNetworkPolicy replaces the Kubernetes one in the preview, never the Calico one', () => {
    const staged = np('prod/p', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] }, 'StagedKubernetesNetworkPolicy');
    const report = run(probes, [...BASE, kubernetes, calico, staged]);
    expect(report.probes[0]).toMatchObject({ verdict: 'allow', staged: { verdict: 'deny' } });
  });
});
