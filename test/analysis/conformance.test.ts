/**
 * Reachability tables in the style of the upstream Kubernetes e2e network policy tests
 * (test/e2e/network/netpol): namespaces x, y, z labelled ns=<name>; pods a, b, c in each labelled
 * pod=<name>, each serving 80 and 81 over TCP, UDP and SCTP (named serve-<port>-<proto>).
 *
 * Rows are sources, columns destinations, both in the order x/a x/b x/c y/a … z/c; `.` = allowed,
 * `X` = denied. Every table was derived by hand from semantics.md section 2, not from the analyzer.
 */
import { Manifest, netpol } from './helpers';
import { computeConnectivity, ProbePort, Protocol } from '../../src/analysis';

const NAMESPACES = ['x', 'y', 'z'];
const PODS = ['a', 'b', 'c'];
const IDS = NAMESPACES.flatMap((ns) => PODS.map((name) => `${ns}/${name}`));
const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];
const PROBES: ProbePort[] = [80, 81].flatMap((port) => PROTOCOLS.map((protocol) => ({ port, protocol })));

/** x/a = 10.0.1.1 … z/c = 10.0.3.3. */
function ipOf(ns: string, name: string): string {
  return `10.0.${NAMESPACES.indexOf(ns) + 1}.${PODS.indexOf(name) + 1}`;
}

function cluster(): Manifest[] {
  return NAMESPACES.flatMap((ns) => [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ns } } },
    ...PODS.map((name) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns, labels: { pod: name } },
      spec: {
        containers: PROBES.map((probe) => ({
          name: `cont-${probe.port}-${probe.protocol.toLowerCase()}`,
          image: 'agnhost',
          ports: [{ containerPort: probe.port, protocol: probe.protocol, name: `serve-${probe.port}-${probe.protocol.toLowerCase()}` }],
        })),
      },
      status: { podIP: ipOf(ns, name) },
    })),
  ]);
}

function render(rows: readonly string[]): string {
  return rows.map((row, index) => `${IDS[index]} ${row.replace(/\s/g, '').replace(/(...)(?=.)/g, '$1 ')}`).join('\n');
}

function same(row: string): string[] {
  return IDS.map(() => row);
}

/** Rows by source namespace: three identical rows each. */
function byNamespace(x: string, y: string, z: string): string[] {
  return [x, x, x, y, y, y, z, z, z];
}

interface Scenario {
  readonly name: string;
  readonly policies: Manifest[];
  /** Expected table per probe (`80/TCP`); `default` for every probe not listed. */
  readonly expected: { readonly default: string[] } & Readonly<Record<string, string[]>>;
}

const ALL = same('... ... ...');

const scenarios: Scenario[] = [
  { name: 'no policies: everything is reachable', policies: [], expected: { default: ALL } },
  {
    name: 'deny all ingress in x',
    policies: [netpol('x/deny-all', { podSelector: {}, policyTypes: ['Ingress'] })],
    expected: { default: same('XXX ... ...') },
  },
  {
    name: 'allow ingress from the same namespace in x',
    policies: [
      netpol('x/deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
      netpol('x/allow-same-ns', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }),
    ],
    expected: { default: byNamespace('... ... ...', 'XXX ... ...', 'XXX ... ...') },
  },
  {
    name: 'allow x/a from namespace y by namespaceSelector',
    policies: [netpol('x/a-from-y', {
      podSelector: { matchLabels: { pod: 'a' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }],
    })],
    expected: { default: byNamespace('X.. ... ...', '... ... ...', 'X.. ... ...') },
  },
  {
    name: 'namespaceSelector AND podSelector in one peer: only y/b reaches x/a',
    policies: [netpol('x/a-from-yb', {
      podSelector: { matchLabels: { pod: 'a' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } }, podSelector: { matchLabels: { pod: 'b' } } }] }],
    })],
    expected: { default: ['X.. ... ...', 'X.. ... ...', 'X.. ... ...', 'X.. ... ...', '... ... ...', 'X.. ... ...', 'X.. ... ...', 'X.. ... ...', 'X.. ... ...'] },
  },
  {
    name: 'namespaceSelector OR podSelector as two peers: namespace y, or x/b',
    policies: [netpol('x/a-from-y-or-b', {
      podSelector: { matchLabels: { pod: 'a' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }, { podSelector: { matchLabels: { pod: 'b' } } }] }],
    })],
    expected: { default: ['X.. ... ...', '... ... ...', 'X.. ... ...', '... ... ...', '... ... ...', '... ... ...', 'X.. ... ...', 'X.. ... ...', 'X.. ... ...'] },
  },
  {
    name: 'egress from x denied to z (NotIn namespace selector)',
    policies: [netpol('x/egress-not-z', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['z'] }] } }] }],
    })],
    expected: { default: byNamespace('... ... XXX', '... ... ...', '... ... ...') },
  },
  {
    name: 'x/a allows port 81 only (protocol defaults to TCP)',
    policies: [netpol('x/a-81', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ ports: [{ port: 81 }] }] })],
    expected: { 'default': same('X.. ... ...'), '81/TCP': ALL },
  },
  {
    name: 'named port serve-81-udp with protocol UDP',
    policies: [netpol('x/a-named', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ ports: [{ port: 'serve-81-udp', protocol: 'UDP' }] }] })],
    expected: { 'default': same('X.. ... ...'), '81/UDP': ALL },
  },
  {
    name: 'named port serve-81-udp with the default protocol TCP matches nothing',
    policies: [netpol('x/a-named-tcp', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ ports: [{ port: 'serve-81-udp' }] }] })],
    expected: { default: same('X.. ... ...') },
  },
  {
    name: 'endPort 79-80 admits 80 but not 81',
    policies: [netpol('x/a-range', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ ports: [{ port: 79, endPort: 80, protocol: 'TCP' }] }] })],
    expected: { 'default': same('X.. ... ...'), '80/TCP': ALL },
  },
  {
    name: 'endPort 80-81 over SCTP',
    policies: [netpol('x/a-sctp', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ ports: [{ port: 80, endPort: 81, protocol: 'SCTP' }] }] })],
    expected: { 'default': same('X.. ... ...'), '80/SCTP': ALL, '81/SCTP': ALL },
  },
  {
    name: 'protocol UDP without port admits every UDP port',
    policies: [netpol('x/a-udp', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ ports: [{ protocol: 'UDP' }] }] })],
    expected: { 'default': same('X.. ... ...'), '80/UDP': ALL, '81/UDP': ALL },
  },
  {
    name: 'x/a egress to namespace y by pod IPs, except y/b',
    policies: [netpol('x/a-egress-ipblock', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.2.0/24', except: ['10.0.2.2/32'] } }] }],
    })],
    expected: { default: ['XXX .X. XXX', ...same('... ... ...').slice(1)] },
  },
  {
    name: 'y/c ingress from x pod IPs, except x/a',
    policies: [netpol('y/c-from-x-ips', {
      podSelector: { matchLabels: { pod: 'c' } },
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.1.0/24', except: ['10.0.1.1/32'] } }] }],
    })],
    expected: { default: ['... ..X ...', '... ... ...', '... ... ...', '... ..X ...', '... ..X ...', '... ..X ...', '... ..X ...', '... ..X ...', '... ..X ...'] },
  },
  {
    name: 'pods of y reachable from every pod except those labelled pod=a (NotIn)',
    policies: [netpol('y/not-a', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'pod', operator: 'NotIn', values: ['a'] }] } }] }],
    })],
    expected: { default: ['... XXX ...', '... ... ...', '... ... ...', '... XXX ...', '... ... ...', '... ... ...', '... XXX ...', '... ... ...', '... ... ...'] },
  },
  {
    name: 'namespaceSelector {} with podSelector pod=c: z reachable from every c',
    policies: [netpol('z/from-c', {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { pod: 'c' } } }] }],
    })],
    expected: { default: ['... ... XXX', '... ... XXX', '... ... ...', '... ... XXX', '... ... XXX', '... ... ...', '... ... XXX', '... ... XXX', '... ... ...'] },
  },
  {
    name: 'DoesNotExist on namespaces and pods: every b reaches x/a',
    policies: [netpol('x/a-from-b', {
      podSelector: { matchLabels: { pod: 'a' } },
      ingress: [{
        from: [{
          namespaceSelector: { matchExpressions: [{ key: 'pod', operator: 'DoesNotExist' }] },
          podSelector: { matchExpressions: [{ key: 'ns', operator: 'DoesNotExist' }, { key: 'pod', operator: 'In', values: ['b'] }] },
        }],
      }],
    })],
    expected: { default: ['X.. ... ...', '... ... ...', 'X.. ... ...', 'X.. ... ...', '... ... ...', 'X.. ... ...', 'X.. ... ...', '... ... ...', 'X.. ... ...'] },
  },
  {
    name: 'policyTypes [Egress] with egress: [] denies x/a egress; its ingress rules are ignored',
    policies: [netpol('x/a-egress-only', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'nobody' } } }] }],
      egress: [],
    })],
    expected: { default: ['XXX XXX XXX', ...same('... ... ...').slice(1)] },
  },
  {
    name: 'egress rules without policyTypes isolate ingress too',
    policies: [netpol('x/a-egress-rules', {
      podSelector: { matchLabels: { pod: 'a' } },
      egress: [{ to: [{ podSelector: {} }] }],
    })],
    expected: { default: ['X.. XXX XXX', ...same('X.. ... ...').slice(1)] },
  },
  {
    name: 'egress: [] without policyTypes is an ingress deny only',
    policies: [netpol('y/empty-egress', { podSelector: {}, egress: [] })],
    expected: { default: same('... XXX ...') },
  },
  {
    name: 'two policies on x/a are a union: x/b and namespace z',
    policies: [
      netpol('x/a-from-b', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] }),
      netpol('x/a-from-z', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'z' } } }] }] }),
    ],
    expected: { default: ['X.. ... ...', '... ... ...', 'X.. ... ...', 'X.. ... ...', 'X.. ... ...', 'X.. ... ...', '... ... ...', '... ... ...', '... ... ...'] },
  },
  {
    name: 'deny-all plus ingress: [{}] allows everything',
    policies: [
      netpol('x/deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
      netpol('x/allow-all', { podSelector: {}, ingress: [{}] }),
    ],
    expected: { default: ALL },
  },
  {
    name: 'source egress and destination ingress must both allow: x egress only to y, y ingress only from x',
    policies: [
      netpol('x/egress-to-y', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }] }),
      netpol('y/ingress-from-x', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'x' } } }] }] }),
    ],
    expected: { default: byNamespace('XXX ... XXX', '... XXX ...', '... XXX ...') },
  },
  {
    name: 'a podSelector-only peer in y does not reach into x or z',
    policies: [netpol('y/a-from-b', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] })],
    expected: { default: ['... X.. ...', '... X.. ...', '... X.. ...', '... X.. ...', '... ... ...', '... X.. ...', '... X.. ...', '... X.. ...', '... X.. ...'] },
  },
  {
    name: 'a policy in x selecting pod=a does not isolate y/a or z/a',
    policies: [netpol('x/deny-a', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Ingress', 'Egress'] })],
    expected: { default: ['XXX XXX XXX', ...same('X.. ... ...').slice(1)] },
  },
];

describe('conformance reachability tables', () => {
  test.each(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
    const connectivity = computeConnectivity([...cluster(), ...scenario.policies]);
    expect(connectivity.endpoints).toEqual(IDS);
    for (const probe of PROBES) {
      const key = `${probe.port}/${probe.protocol}`;
      const actual = IDS.map((from) => IDS.map((to) => (connectivity.isAllowed(from, to, probe) ? '.' : 'X')).join(''));
      expect(`${key}\n${render(actual)}`).toEqual(`${key}\n${render(scenario.expected[key] ?? scenario.expected.default)}`);
    }
  });

  test('the full report and the summary agree with the tables', () => {
    const scenario = scenarios.find((candidate) => candidate.name.startsWith('source egress and destination ingress'))!;
    const connectivity = computeConnectivity([...cluster(), ...scenario.policies]);
    const report = connectivity.report();
    expect(report.connections).toHaveLength(81 * PROBES.length);
    const allowedCount = report.connections.filter((verdict) => verdict.allowed).length;
    // x→y (9) + y→x, y→z, z→x, z→z (36) per probe.
    expect(allowedCount).toBe(45 * PROBES.length);
    const summary = connectivity.summary();
    expect(summary.allowed).toBe(allowedCount);
    expect(summary.evaluated).toBe(report.connections.length);
    expect(summary.namespacePairs.map((pair) => `${pair.from}->${pair.to}:${pair.allowed}/${pair.evaluated}`)).toEqual([
      'x->y:54/54', 'y->x:54/54', 'y->z:54/54', 'z->x:54/54', 'z->z:54/54',
    ]);
  });
});
