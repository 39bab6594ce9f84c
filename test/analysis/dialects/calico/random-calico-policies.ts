/**
 * fast-check arbitraries for small random clusters under Calico: two namespaces, pods (some hostNetwork on a node
 * address, some without an address, with or without named ports and service accounts), external addresses,
 * Services (numbered and named targetPorts, UDP, without selector), network sets, tiers, and valid Calico
 * NetworkPolicies, GlobalNetworkPolicies, staged policies and Kubernetes NetworkPolicies covering every rule field
 * the dialect evaluates: actions, protocols, ipVersion, nets, selectors, namespace selectors (`all()`, `global()`),
 * notSelector, ports, named ports, notPorts, service accounts and services.
 */
import * as fc from 'fast-check';

type Obj = Record<string, unknown>;

export const CALICO_EXTERNALS: Readonly<Record<string, string>> = { web: '203.0.113.7', corp: '10.200.0.5', v6: 'fd00::7' };
const NAMESPACES = ['n1', 'n2'];

const selector = fc.constantFrom(
  'all()', "app == 'a'", "app != 'a'", "app in {'a', 'b'}", "app not in {'b'}", 'has(tier)', '!has(tier)', "tier == 'x' || app == 'b'",
  "app starts with 'a' && !has(tier)", "projectcalico.org/namespace == 'n1'", "projectcalico.org/serviceaccount == 'sa1'",
  "projectcalico.org/orchestrator == 'k8s'", "kind == 'partner'", "kind ends with 'p'",
);
const namespaceSelector = fc.constantFrom('all()', 'global()', "team == 'red'", '!has(team)', "projectcalico.org/name == 'n2'");
const ports = fc.subarray<number | string>([80, 53, '50:90', 'http', 'dns', 8080], { minLength: 1, maxLength: 2 });

/** One side of a rule; `services` only where `serviceSide` allows it, alone (ingress: with ports). */
function entity(withPorts: boolean, serviceSide: 'none' | 'destination' | 'source', global: boolean): fc.Arbitrary<Obj> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {
    nets: fc.subarray(['10.0.0.0/24', '203.0.113.0/24', '172.18.0.0/16', '10.0.0.2'], { minLength: 1, maxLength: 2 }),
    notNets: fc.subarray(['10.0.0.1/32', '203.0.113.7'], { minLength: 1, maxLength: 1 }),
    selector,
    notSelector: selector,
    namespaceSelector,
    serviceAccounts: fc.oneof(fc.record({ names: fc.subarray(['sa1', 'default'], { minLength: 1 }) }), fc.record({ selector: fc.constantFrom("role == 'x'", '!has(role)', "projectcalico.org/name == 'sa1'") })),
    ...(withPorts ? { ports, notPorts: ports } : {}),
  };
  // Mostly none, one or two criteria, so that rules match often enough for their order to matter.
  const plain: fc.Arbitrary<Obj> = fc.oneof(
    { weight: 2, arbitrary: fc.constant<Obj>({}) },
    {
      weight: 3,
      arbitrary: fc.subarray(Object.keys(fields), { minLength: 1, maxLength: 2 })
        .chain((keys) => fc.record(Object.fromEntries(keys.map((key) => [key, fields[key]])))),
    },
  );
  const services = fc.record({
    name: fc.constantFrom('svc', 'named', 'dns', 'manual', 'ghost'),
    namespace: global ? fc.constantFrom('n1', 'n2') : fc.constantFrom('n1', 'n2', undefined),
  }).map(({ name, namespace }) => ({ name, ...(namespace ? { namespace } : {}) }));
  if (serviceSide === 'none') return plain;
  const withService = serviceSide === 'destination'
    ? services.map((value) => ({ services: value }))
    : fc.record({ services, ...(withPorts ? { ports } : {}) }, { requiredKeys: ['services'] }).map((value) => value as Obj);
  return fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: withService });
}

function rule(direction: 'ingress' | 'egress', global: boolean): fc.Arbitrary<Obj> {
  return fc.record({
    action: fc.constantFrom('Allow', 'Allow', 'Deny', 'Pass', 'Log'),
    protocol: fc.constantFrom<string | number | undefined>(undefined, undefined, 'TCP', 'UDP', 6, 'ICMP'),
    notProtocol: fc.constantFrom<string | undefined>(undefined, undefined, undefined, 'UDP'),
    ipVersion: fc.constantFrom<number | undefined>(undefined, undefined, undefined, 4, 6),
  }).chain(({ action, protocol, notProtocol, ipVersion }) => {
    const withPorts = protocol === 'TCP' || protocol === 'UDP' || protocol === 6;
    return fc.record({
      source: entity(withPorts, direction === 'ingress' ? 'source' : 'none', global),
      destination: entity(withPorts, direction === 'egress' ? 'destination' : 'none', global),
    }, { requiredKeys: [] }).map(({ source, destination }) => ({
      action,
      ...(protocol !== undefined ? { protocol } : {}),
      ...(notProtocol !== undefined ? { notProtocol } : {}),
      ...(protocol === 'ICMP' ? { icmp: { type: 8 } } : {}),
      // ipVersion must agree with the rule's CIDRs (all IPv4 here) and with ICMP (IPv4).
      ...(ipVersion !== undefined && (ipVersion === 4 || (protocol !== 'ICMP' && !/nets/i.test(JSON.stringify([source, destination])))) ? { ipVersion } : {}),
      ...(source && Object.keys(source).length > 0 ? { source } : {}),
      ...(destination && Object.keys(destination).length > 0 ? { destination } : {}),
    }));
  }).filter((value) => {
    // In an ingress rule, a source with services takes no other criteria but ports; an egress destination none.
    const source = value.source as Obj | undefined;
    const destination = value.destination as Obj | undefined;
    if (direction === 'ingress' && source?.services) return Object.keys(source).every((key) => key === 'services' || key === 'ports');
    if (direction === 'egress' && destination?.services) return Object.keys(destination).length === 1;
    return true;
  });
}

const policySpec = (global: boolean): fc.Arbitrary<Obj> => fc.record({
  tier: fc.constantFrom<string | undefined>(undefined, undefined, 'security', 'kube-baseline', 'late'),
  order: fc.constantFrom<number | undefined>(undefined, 10, 20, 1000),
  selector: fc.oneof(selector, fc.constant(undefined)),
  serviceAccountSelector: fc.constantFrom<string | undefined>(undefined, undefined, "role == 'x'", '!has(role)'),
  namespaceSelector: global ? fc.constantFrom<string | undefined>(undefined, "team == 'red'") : fc.constant(undefined),
  ingress: fc.array(rule('ingress', global), { maxLength: 3 }),
  egress: fc.array(rule('egress', global), { maxLength: 3 }),
  types: fc.constantFrom<string[] | undefined>(undefined, ['Ingress', 'Egress'], ['Egress']),
}).map((spec) => {
  const out: Obj = {};
  for (const [key, value] of Object.entries(spec)) if (value !== undefined && !(Array.isArray(value) && value.length === 0)) out[key] = value;
  // Explicit types must cover the rules given.
  if (out.types && (out.ingress && !(out.types as string[]).includes('Ingress'))) out.types = ['Ingress', 'Egress'];
  return out;
});

const calicoPolicy: fc.Arbitrary<Obj> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ ns: fc.constantFrom(...NAMESPACES), spec: policySpec(false), staged: fc.constantFrom(false, false, false, true) })
      .map(({ ns, spec, staged }) => ({ apiVersion: 'projectcalico.org/v3', kind: staged ? 'StagedNetworkPolicy' : 'NetworkPolicy', metadata: { namespace: ns }, spec })),
  },
  { weight: 2, arbitrary: policySpec(true).map((spec) => ({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: {}, spec })) },
  {
    weight: 1,
    arbitrary: fc.record({
      ns: fc.constantFrom(...NAMESPACES),
      app: fc.constantFrom('a', 'b'),
      from: fc.constantFrom<Obj[]>([], [{ podSelector: {} }], [{ namespaceSelector: {} }], [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/24'] } }]),
      port: fc.constantFrom<Obj[]>([], [{ port: 80 }], [{ port: 'http' }], [{ port: 53, protocol: 'UDP' }]),
    }).map(({ ns, app, from, port }) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { namespace: ns },
      spec: {
        podSelector: { matchLabels: { app } },
        ingress: [{ ...(from.length > 0 ? { from } : {}), ...(port.length > 0 ? { ports: port } : {}) }],
      },
    })),
  },
);

const pod = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  labels: fc.record({ app: fc.constantFrom('a', 'b'), tier: fc.constantFrom('x', 'y') }, { requiredKeys: [] }),
  hostNetwork: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  serviceAccount: fc.constantFrom('sa1', undefined),
  named: fc.boolean(),
  address: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});

export interface CalicoCase {
  readonly objects: Obj[];
}

export const calicoCase: fc.Arbitrary<CalicoCase> = fc.record({
  pods: fc.array(pod, { minLength: 1, maxLength: 5 }),
  policies: fc.array(calicoPolicy, { minLength: 1, maxLength: 4 }),
  teams: fc.tuple(fc.constantFrom('red', 'blue'), fc.constantFrom('red', 'blue')),
  securityDefault: fc.constantFrom('Deny', 'Pass'),
}).map(({ pods, policies, teams, securityDefault }) => {
  const objects: Obj[] = [
    ...NAMESPACES.map((name, index) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team: teams[index] } } })),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa1', namespace: 'n1', labels: { role: 'x' } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'n1' }, spec: { selector: { app: 'a' }, ports: [{ port: 8080, targetPort: 80 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'named', namespace: 'n2' }, spec: { selector: { app: 'b' }, ports: [{ port: 80, targetPort: 'http' }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns', namespace: 'n1' }, spec: { selector: { tier: 'x' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }, { name: 'web', port: 80 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: 'n1' }, spec: { ports: [{ port: 80 }] } },
    { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100, defaultAction: securityDefault } },
    { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'late' }, spec: { defaultAction: 'Pass' } },
    { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkSet', metadata: { name: 'partners', labels: { kind: 'partner' } }, spec: { nets: ['203.0.113.0/24'] } },
    { apiVersion: 'projectcalico.org/v3', kind: 'NetworkSet', metadata: { name: 'corp', namespace: 'n1', labels: { kind: 'corp' } }, spec: { nets: ['10.200.0.0/16', '10.0.0.1/32'] } },
  ];
  pods.forEach((spec, index) => objects.push({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${index}`, namespace: spec.ns, labels: spec.labels },
    spec: {
      nodeName: 'w1',
      ...(spec.hostNetwork ? { hostNetwork: true } : {}),
      ...(spec.serviceAccount ? { serviceAccountName: spec.serviceAccount } : {}),
      containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, ...(spec.named ? { name: 'http' } : {}) }, { containerPort: 53, protocol: 'UDP', name: 'dns' }] }],
    },
    ...(spec.address ? { status: { podIP: spec.hostNetwork ? '172.18.0.2' : `10.0.0.${index + 1}` } } : {}),
  }));
  policies.forEach((policy, index) => objects.push({ ...policy, metadata: { ...(policy.metadata as Obj), name: `p${index}` } }));
  return { objects };
});
