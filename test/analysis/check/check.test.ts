import { checkManifests, Finding } from '../../../src/analysis/check';
import { documentStartLine, formatCheckSarif, formatCheckTable } from '../../../src/analysis/report/check';
import { namespace, netpol, pod } from '../helpers';

type Obj = Record<string, unknown>;

const dns = { ...pod('kube-system/coredns', { 'k8s-app': 'kube-dns' }, [{ port: 53, protocol: 'UDP' }, { port: 53 }]) };
const denyAll = (ns: string) => netpol(`${ns}/default-deny`, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const allowDns = (ns: string) => netpol(`${ns}/allow-dns`, {
  podSelector: {},
  policyTypes: ['Egress'],
  egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }] }],
});

/** A clean namespace: default-deny, DNS, one allowed flow. */
function clean(): Obj[] {
  return [
    namespace('kube-system'),
    dns,
    namespace('web', { tenant: 'alpha' }),
    pod('web/frontend', { app: 'frontend' }, [{ port: 8080, name: 'http' }]),
    pod('web/backend', { app: 'backend' }, [{ port: 9000, name: 'api' }]),
    denyAll('web'),
    allowDns('web'),
    netpol('web/frontend-to-backend', { podSelector: { matchLabels: { app: 'frontend' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'backend' } } }], ports: [{ port: 9000 }] }] }),
    netpol('web/backend-from-frontend', { podSelector: { matchLabels: { app: 'backend' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 9000 }] }] }),
  ];
}

const rules = (findings: readonly Finding[]) => findings.map((f) => `${f.rule} ${f.object ?? ''}${f.field ? ` ${f.field}` : ''}`);

describe('zt check rules', () => {
  test('a clean namespace has no findings', () => {
    expect(checkManifests(clean()).findings).toEqual([]);
  });

  test('a namespace without default-deny: one error per direction, and each workload selected by nothing', () => {
    const report = checkManifests([...clean(), namespace('open'), pod('open/app', { app: 'x' })]);
    expect(rules(report.findings)).toEqual([
      'no-default-deny-egress Namespace open',
      'no-default-deny-ingress Namespace open',
      'workload-not-selected Pod open/app',
    ]);
    expect(report.findings[1]).toMatchObject({ severity: 'error', message: 'namespace open: 1 of 1 pods are not isolated for ingress (app).', fix: expect.stringContaining('policyTypes: [Ingress]') });
  });

  test('egress isolated without DNS: an error naming the pods; with the DNS rule, none', () => {
    const withoutDns = clean().filter((o) => (o.metadata as Obj).name !== 'allow-dns');
    expect(rules(checkManifests(withoutDns).findings)).toEqual(['default-deny-without-dns Namespace web']);
    // Without any DNS pod in the input, a stand-in is assumed and said so.
    const noDnsPod = withoutDns.filter((o) => o !== dns);
    const report = checkManifests(noDnsPod);
    expect(rules(report.findings)).toEqual(['default-deny-without-dns Namespace web']);
    expect(report.notes).toEqual([expect.stringContaining('stand-in kube-system/kube-dns')]);
  });

  test('a policy that selects no pod', () => {
    const typo = netpol('web/typo', { podSelector: { matchLabels: { app: 'frontnd' } }, ingress: [{}] });
    expect(rules(checkManifests([...clean(), typo]).findings)).toContain('policy-selects-no-pod NetworkPolicy web/typo');
  });

  test('peers that select everything: a rule without peers, namespaceSelector: {}, 0.0.0.0/0', () => {
    const wide = netpol('web/wide', {
      podSelector: { matchLabels: { app: 'backend' } },
      ingress: [{ ports: [{ port: 9000 }] }, { from: [{ namespaceSelector: {} }] }],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
      policyTypes: ['Ingress', 'Egress'],
    });
    const found = checkManifests([...clean(), wide]).findings.filter((f) => f.rule === 'peer-selects-everything');
    expect(found.map((f) => f.field)).toEqual(['spec.egress[0].to[0]', 'spec.ingress[0]', 'spec.ingress[1].from[0]']);
    expect(found[0].message).toBe('spec.egress[0].to[0]: ipBlock 0.0.0.0/0 admits every address.');
    // Declared: the inventory of a program that said Peer.anyIpv4() holds the external standing for 0.0.0.0/0.
    const declared = checkManifests([...clean(), wide], { externals: { '0.0.0.0-0': '0.0.0.1' } }).findings.filter((f) => f.rule === 'peer-selects-everything');
    expect(declared.map((f) => f.field)).toEqual(['spec.ingress[0]', 'spec.ingress[1].from[0]']);
  });

  test('the AND/OR trap: namespaceSelector and podSelector as separate peers', () => {
    const trap = netpol('web/trap', {
      podSelector: { matchLabels: { app: 'backend' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { tenant: 'beta' } } }, { podSelector: { matchLabels: { app: 'frontend' } } }] }],
    });
    const found = checkManifests([...clean(), trap]).findings.filter((f) => f.rule === 'and-or-trap');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ object: 'NetworkPolicy web/trap', field: 'spec.ingress[0].from', fix: expect.stringContaining('one element') });
    // One element with both selectors is the AND form: no finding.
    const and = netpol('web/and', {
      podSelector: { matchLabels: { app: 'backend' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { tenant: 'beta' } }, podSelector: { matchLabels: { app: 'frontend' } } }] }],
    });
    expect(checkManifests([...clean(), and]).findings.filter((f) => f.rule === 'and-or-trap')).toEqual([]);
  });

  test('a named port no container of the pods concerned declares', () => {
    const named = netpol('web/named', { podSelector: { matchLabels: { app: 'backend' } }, ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 'grpc' }, { port: 'api' }] }] });
    const found = checkManifests([...clean(), named]).findings.filter((f) => f.rule === 'unknown-named-port');
    expect(found.map((f) => f.field)).toEqual(['spec.ingress[0].ports[0].port']);
  });

  test('a rule that others already cover is shadowed; one that adds a connection is not', () => {
    const shadowed = netpol('web/again', { podSelector: { matchLabels: { app: 'backend' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 9000 }] }] });
    const report = checkManifests([...clean(), shadowed]);
    const found = report.findings.filter((f) => f.rule === 'shadowed-rule').map((f) => `${f.object} ${f.field}`);
    // Each of the two identical rules is covered by the other.
    expect(found).toEqual(['NetworkPolicy web/backend-from-frontend spec.ingress[0]', 'NetworkPolicy web/again spec.ingress[0]']);
    expect(checkManifests(clean()).findings.filter((f) => f.rule === 'shadowed-rule')).toEqual([]);
  });

  test('cross-tenant connections, unless accepted', () => {
    const beta = [
      namespace('data', { tenant: 'beta' }),
      pod('data/db', { app: 'db' }, [{ port: 5432 }]),
      denyAll('data'),
      allowDns('data'),
      netpol('data/db-from-web', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { tenant: 'alpha' } } }] }] }),
      netpol('web/to-db', { podSelector: { matchLabels: { app: 'backend' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { tenant: 'beta' } } }] }] }),
    ];
    const report = checkManifests([...clean(), ...beta], { tenantLabel: 'tenant' });
    expect(report.findings.filter((f) => f.rule === 'cross-tenant-connection').map((f) => f.message)).toEqual(['1 connection from web (tenant alpha) to data (tenant beta) are allowed.']);
    expect(checkManifests([...clean(), ...beta], { tenantLabel: 'tenant', allowCrossTenant: ['alpha->beta'] }).findings.filter((f) => f.rule === 'cross-tenant-connection')).toEqual([]);
  });

  test('ignored namespaces are left out of the isolation rules', () => {
    const report = checkManifests([...clean(), namespace('open'), pod('open/app')], { ignoreNamespaces: ['open', 'kube-system'] });
    expect(report.findings).toEqual([]);
  });

  test('Cilium and Calico: the all/world entities and 0.0.0.0/0 are wide peers', () => {
    const cnp = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'c', namespace: 'web' }, spec: { endpointSelector: {}, egress: [{ toEntities: ['world'] }, { toCIDR: ['10.0.0.0/8'] }] } };
    const found = checkManifests([...clean(), cnp], { cni: 'cilium' }).findings.filter((f) => f.rule === 'peer-selects-everything');
    expect(found.map((f) => f.field)).toEqual(['spec.egress[0].toEntities']);
  });
});

describe('zt check reports', () => {
  const report = checkManifests([...clean(), namespace('open'), pod('open/app')]);

  test('table: one line per finding with its fix, and the counts', () => {
    const text = formatCheckTable(report);
    expect(text).toContain('error no-default-deny-ingress: namespace open: 1 of 1 pods are not isolated for ingress (app). [Namespace open]\n    fix: ');
    expect(text.trimEnd().split('\n').pop()).toBe('2 errors, 1 warning, 0 notes.');
  });

  test('SARIF 2.1.0: the rules, one result per finding, located at the document\'s first line', () => {
    const located = { ...report, findings: report.findings.map((f) => ({ ...f, file: 'policies.yaml', documentIndex: 1 })) };
    interface Location { physicalLocation: { region: { startLine: number }; artifactLocation: { uri: string } } }
    interface Sarif {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: Location[] }[] }[];
    }
    const sarif = JSON.parse(formatCheckSarif(located, () => 'a: 1\n---\n# comment\nkind: Namespace\n')) as Sarif;
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules.map((r) => r.id)).toContain('and-or-trap');
    expect(sarif.runs[0].results.map((r) => `${r.ruleId}:${r.level}`)).toEqual(['no-default-deny-egress:error', 'no-default-deny-ingress:error', 'workload-not-selected:warning']);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'policies.yaml' }, region: { startLine: 2 } });
  });

  test.each([
    [['kind: A', '---', 'kind: B'], 0, 1],
    [['kind: A', '---', 'kind: B'], 1, 2],
    [['# header', '---', 'kind: A', '---', 'kind: B'], 0, 2],
    [['# header', '---', 'kind: A', '---', 'kind: B'], 1, 4],
    [['kind: A'], 3, 1],
  ])('documentStartLine(%j, %d) = %d', (lines, index, line) => {
    expect(documentStartLine(lines, index)).toBe(line);
  });
});
