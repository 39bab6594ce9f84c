/**
 * fast-check arbitraries for small random clusters under Calico: two labelled namespaces, pods (one
 * hostNetwork, one with a named port and a service account), external addresses, a GlobalNetworkSet and a
 * NetworkSet, up to two Tiers (Deny or Pass default), and valid NetworkPolicies, GlobalNetworkPolicies, their
 * staged kinds and Kubernetes NetworkPolicies, with every action (Allow, Deny, Pass, Log) and the rule
 * criteria the dialect reads (selectors, namespace selectors, notSelector, nets/notNets, ports/notPorts,
 * named ports, protocol/notProtocol, service accounts).
 */
import * as fc from 'fast-check';
import { Manifest, namespace, netpol, pod } from '../cilium/support';

export const V3 = 'projectcalico.org/v3';

export const EXTERNAL_ADDRESSES: Readonly<Record<string, string>> = { web: '203.0.113.7', corp: '10.200.0.5', other: '192.0.2.10' };

/** The fixed part of every case: namespaces, pods, network sets. */
export const CLUSTER: readonly Manifest[] = [
  namespace('n1', { team: 'red' }),
  namespace('n2', { team: 'blue' }),
  pod('n1/a', { labels: { app: 'a', tier: 'x' }, ip: '10.0.1.1', ports: [{ port: 80 }, { port: 8080, name: 'http' }] }),
  pod('n1/b', { labels: { app: 'b' }, ip: '10.0.1.2', serviceAccount: 'sa1' }),
  pod('n2/a', { labels: { app: 'a', tier: 'y' }, ip: '10.0.2.1', ports: [{ port: 80 }, { port: 9090, name: 'http' }] }),
  pod('n2/c', { labels: { app: 'c' }, ip: '10.0.2.3' }),
  pod('n2/h', { labels: { app: 'a' }, hostNetwork: true, ip: '172.18.0.5' }),
  { apiVersion: V3, kind: 'GlobalNetworkSet', metadata: { name: 'internet', labels: { kind: 'internet' } }, spec: { nets: ['203.0.113.0/24'] } },
  { apiVersion: V3, kind: 'NetworkSet', metadata: { name: 'corp', namespace: 'n1', labels: { kind: 'corp' } }, spec: { nets: ['10.200.0.0/16'] } },
];

export const TIERS = ['t1', 't2'] as const;

const selector = fc.constantFrom(
  'all()', "app == 'a'", "app == 'b'", "app != 'a'", "app in {'a', 'c'}", 'has(tier)', '!has(tier)',
  "tier == 'x' || app == 'c'", "kind == 'internet'", "kind == 'corp'", "projectcalico.org/namespace == 'n2'",
  "projectcalico.org/orchestrator == 'k8s'", "app starts with 'a'",
);
const namespaceSelector = fc.constantFrom("team == 'red'", "projectcalico.org/name == 'n2'", 'all()', 'global()', '!has(team)');
const nets = fc.subarray(['10.0.1.0/24', '203.0.113.0/24', '10.0.0.0/8', '0.0.0.0/0', '192.0.2.10/32'], { minLength: 1, maxLength: 2 });
const ports = fc.array(fc.constantFrom<number | string>(80, 8080, 9090, '53:90', 'http'), { minLength: 1, maxLength: 2 });

/** One side of a rule; `withPorts` when the rule has a port protocol. */
const entityRule = (withPorts: boolean): fc.Arbitrary<Manifest> => fc.record({
  selector,
  notSelector: selector,
  namespaceSelector,
  nets,
  notNets: nets,
  serviceAccounts: fc.constantFrom<Manifest>({ names: ['sa1'] }, { selector: "projectcalico.org/name == 'sa1'" }),
  ...(withPorts ? { ports, notPorts: ports } : {}),
}, { requiredKeys: [] }).map((side) => {
  // Calico refuses `global()` with a selector-less side only in combinations we keep simple: drop it without a selector.
  if (side.namespaceSelector === 'global()' && side.selector === undefined) delete side.namespaceSelector;
  return side;
});

/** A rule with `actions`. Ports need TCP, UDP or SCTP. */
export const rule = (actions: readonly string[]): fc.Arbitrary<Manifest> => fc.record({
  action: fc.constantFrom(...actions),
  protocol: fc.option(fc.constantFrom('TCP', 'UDP', 'SCTP', 'ICMP', 6), { nil: undefined }),
  notProtocol: fc.option(fc.constantFrom('UDP', 17), { nil: undefined, freq: 6 }),
  source: fc.option(entityRule(false), { nil: undefined }),
  destinationSeed: fc.option(fc.constant(true), { nil: undefined }),
}).chain(({ action, protocol, notProtocol, source, destinationSeed }) => {
  const portsAllowed = protocol === 'TCP' || protocol === 'UDP' || protocol === 'SCTP' || protocol === 6;
  return fc.option(entityRule(portsAllowed), { nil: undefined }).map((destination) => {
    const out: Manifest = { action };
    if (protocol !== undefined) out.protocol = protocol;
    if (notProtocol !== undefined && notProtocol !== protocol) out.notProtocol = notProtocol;
    if (source) out.source = source;
    if (destination && destinationSeed) out.destination = destination;
    return out;
  });
});

const ALL_ACTIONS = ['Allow', 'Deny', 'Pass', 'Log'];

const policySpec = (actions: readonly string[], global: boolean): fc.Arbitrary<Manifest> => fc.record({
  tier: fc.option(fc.constantFrom('default', ...TIERS), { nil: undefined }),
  order: fc.option(fc.constantFrom(10, 100, 1000), { nil: undefined }),
  selector: fc.option(selector, { nil: undefined }),
  types: fc.option(fc.constantFrom<string[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']), { nil: undefined }),
  ingress: fc.array(rule(actions), { maxLength: 3 }),
  egress: fc.array(rule(actions), { maxLength: 3 }),
  ...(global ? { namespaceSelector: fc.option(fc.constantFrom("team == 'red'", "projectcalico.org/name == 'n2'"), { nil: undefined }) } : {}),
}).map((spec) => {
  // Rules of a direction need it in `types` when `types` is given.
  if (spec.types && !spec.types.includes('Ingress')) spec.ingress = [];
  if (spec.types && !spec.types.includes('Egress')) spec.egress = [];
  return Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)));
});

/** A NetworkPolicy (or its staged kind) in n1 or n2, or a GlobalNetworkPolicy (or its staged kind). */
export const calicoPolicy = (actions: readonly string[] = ALL_ACTIONS, staged = false): fc.Arbitrary<Manifest> => fc.oneof(
  fc.tuple(fc.constantFrom('n1', 'n2'), policySpec(actions, false)).map(([ns, spec]) => ({
    apiVersion: V3, kind: staged ? 'StagedNetworkPolicy' : 'NetworkPolicy', metadata: { name: '', namespace: ns }, spec,
  })),
  policySpec(actions, true).map((spec) => ({ apiVersion: V3, kind: staged ? 'StagedGlobalNetworkPolicy' : 'GlobalNetworkPolicy', metadata: { name: '' }, spec })),
);

/** A Kubernetes NetworkPolicy (Calico runs it in the default tier at order 1000). */
const kubernetesPolicy: fc.Arbitrary<Manifest> = fc.record({
  ns: fc.constantFrom('n1', 'n2'),
  podSelector: fc.constantFrom<Manifest>({}, { matchLabels: { app: 'a' } }),
  peer: fc.constantFrom<Manifest>({ podSelector: {} }, { namespaceSelector: {} }, { ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.7/32'] } }, { namespaceSelector: { matchLabels: { team: 'blue' } }, podSelector: { matchLabels: { app: 'c' } } }),
  ports: fc.option(fc.constantFrom<Manifest[]>([{ port: 80 }], [{ protocol: 'UDP', port: 53, endPort: 90 }], [{ port: 'http' }]), { nil: undefined }),
  egress: fc.boolean(),
}).map(({ ns, podSelector, peer, ports: kubernetesPorts, egress }) => {
  const ruleBody = { [egress ? 'to' : 'from']: [peer], ...(kubernetesPorts ? { ports: kubernetesPorts } : {}) };
  return netpol(`${ns}/-`, { podSelector, policyTypes: [egress ? 'Egress' : 'Ingress'], [egress ? 'egress' : 'ingress']: [ruleBody] });
});

const tiers: fc.Arbitrary<Manifest[]> = fc.tuple(fc.constantFrom('Deny', 'Pass'), fc.constantFrom('Deny', 'Pass'), fc.boolean()).map(([first, second, swap]) => [
  { apiVersion: V3, kind: 'Tier', metadata: { name: 't1' }, spec: { order: swap ? 2_000_000 : 100, defaultAction: first } },
  { apiVersion: V3, kind: 'Tier', metadata: { name: 't2' }, spec: { order: 200, defaultAction: second } },
]);

export interface CalicoCase {
  readonly tiers: readonly Manifest[];
  readonly policies: readonly Manifest[];
  readonly staged: readonly Manifest[];
}

/** A random case: tiers, enforced policies (Calico and Kubernetes), and staged ones. */
export const calicoCase = (actions: readonly string[] = ALL_ACTIONS): fc.Arbitrary<CalicoCase> => fc.record({
  tiers,
  policies: fc.array(fc.oneof({ weight: 4, arbitrary: calicoPolicy(actions) }, { weight: 1, arbitrary: kubernetesPolicy }), { maxLength: 5 }),
  staged: fc.array(calicoPolicy(actions, true), { maxLength: 2 }),
});

/** Each policy named by its place (`p0`, `p1`, ...; staged ones `s0`, ...), so that a case prints and replays the same. */
export function named(policies: readonly Manifest[], prefix: string): Manifest[] {
  return policies.map((policy, i) => ({ ...policy, metadata: { ...(policy.metadata as Manifest), name: `${prefix}${i}` } }));
}

export const objectsOf = (c: CalicoCase, withStaged = true): Manifest[] =>
  [...CLUSTER, ...c.tiers, ...named(c.policies, 'p'), ...(withStaged ? named(c.staged, 's') : [])];
