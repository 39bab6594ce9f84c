/**
 * fast-check arbitraries for small random clusters under Cilium: namespaces, two nodes (one serving the API),
 * pods (some hostNetwork, some without a node), external addresses, Services, CiliumCIDRGroups, and valid
 * CNPs, CCNPs and NetworkPolicies covering every peer, port and L7 form the dialect reads.
 */
import * as fc from 'fast-check';

type Obj = Record<string, unknown>;

export const EXTERNAL_ADDRESSES: Readonly<Record<string, string>> = { web: '203.0.113.7', corp: '10.200.0.5', apiext: '192.0.2.10' };
const NAMESPACES = ['n1', 'n2'];

const labelSet: fc.Arbitrary<Record<string, string>> = fc.record({ app: fc.constantFrom('a', 'b'), tier: fc.constantFrom('x', 'y') }, { requiredKeys: [] });
const selectorKey = fc.constantFrom('app', 'k8s:app', 'any:tier', 'io.kubernetes.pod.namespace', 'k8s:io.kubernetes.pod.namespace', 'io.cilium.k8s.namespace.labels.team',
  'io.cilium.k8s.policy.serviceaccount', 'reserved:host', 'reserved:remote-node', 'reserved:world', 'reserved:kube-apiserver');
const selectorValue = fc.constantFrom('a', 'b', 'x', 'n1', 'n2', 'red', 'sa1', 'default', '');

const expression: fc.Arbitrary<Obj> = fc.oneof(
  fc.record({ key: selectorKey, operator: fc.constantFrom('In', 'NotIn'), values: fc.subarray(['a', 'b', 'x', 'n1', 'n2', 'red', 'sa1', ''], { minLength: 1 }) }),
  fc.record({ key: selectorKey, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const endpointSelector: fc.Arbitrary<Obj> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Obj>({}) },
  { weight: 3, arbitrary: fc.record({ matchLabels: fc.record({ app: fc.constantFrom('a', 'b') }) }) },
  { weight: 1, arbitrary: fc.record({ matchLabels: fc.record({ 'io.kubernetes.pod.namespace': fc.constantFrom('n1', 'n2') }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      matchLabels: fc.dictionary(selectorKey, selectorValue, { maxKeys: 2 }),
      matchExpressions: fc.array(expression, { maxLength: 2 }),
    }, { requiredKeys: [] }),
  },
);
const nodeSelector: fc.Arbitrary<Obj> = fc.record({ matchLabels: fc.dictionary(fc.constantFrom('role', 'zone'), fc.constantFrom('worker', 'cp', 'z1'), { maxKeys: 1 }) }, { requiredKeys: [] });

const ingressPeers: fc.Arbitrary<Obj> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ fromEndpoints: fc.array(endpointSelector, { maxLength: 2 }) }) },
  fc.record({ fromEntities: fc.subarray(['all', 'world', 'cluster', 'host', 'remote-node', 'kube-apiserver', 'health', 'none'], { maxLength: 2 }) }),
  fc.record({ fromCIDR: fc.subarray(['203.0.113.0/24', '10.0.0.0/8', '172.18.0.0/16'], { maxLength: 2 }) }),
  fc.record({ fromCIDRSet: fc.array(fc.constantFrom<Obj>({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }, { cidrGroupRef: 'partners' }, { cidrGroupSelector: { matchLabels: { kind: 'p' } } }), { maxLength: 2 }) }),
  fc.record({ fromNodes: fc.array(nodeSelector, { maxLength: 1 }) }),
  { weight: 2, arbitrary: fc.constant<Obj>({}) },
);
const egressPeers: fc.Arbitrary<Obj> = fc.oneof(
  ingressPeers.map((peers) => Object.fromEntries(Object.entries(peers).map(([key, value]) => [key.replace(/^from/, 'to'), value]))),
  fc.record({ toServices: fc.array(fc.constantFrom<Obj>({ k8sService: { serviceName: 'svc', namespace: 'n1' } }, { k8sServiceSelector: { selector: { matchLabels: { expose: 'yes' } } } }, { k8sService: { serviceName: 'kubernetes', namespace: 'default' } }), { maxLength: 2 }) }),
  fc.record({ toFQDNs: fc.array(fc.constantFrom<Obj>({ matchName: 'api.example.com' }, { matchPattern: '*' }), { minLength: 1, maxLength: 2 }) }),
);
const requires = (key: 'fromRequires' | 'toRequires'): fc.Arbitrary<Obj> => fc.oneof(
  { weight: 4, arbitrary: fc.constant<Obj>({}) },
  { weight: 1, arbitrary: fc.record({ [key]: fc.array(endpointSelector, { minLength: 1, maxLength: 1 }) }) },
);

const portProtocol: fc.Arbitrary<Obj> = fc.oneof(
  fc.record({ port: fc.constantFrom('53', '80', '8080', '0', 'http', 'dns'), protocol: fc.constantFrom('TCP', 'UDP', 'SCTP', 'ANY') }, { requiredKeys: ['port'] }),
  fc.record({ port: fc.constant('80'), endPort: fc.constantFrom(80, 90, 8080), protocol: fc.constantFrom('TCP', 'UDP') }, { requiredKeys: ['port'] }),
);
/** A port rule: plain ports, HTTP rules on TCP ports, or (egress) DNS rules on port 53. */
const portRule = (egress: boolean): fc.Arbitrary<Obj> => fc.oneof(
  { weight: 4, arbitrary: fc.record({ ports: fc.array(portProtocol, { minLength: 1, maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ ports: fc.constant([{ port: '80', protocol: 'TCP' }]), rules: fc.constant({ http: [{ method: 'GET' }] }) }) },
  ...(egress ? [{ weight: 1, arbitrary: fc.record({ ports: fc.constant([{ port: '53', protocol: 'ANY' }]), rules: fc.constant({ dns: [{ matchPattern: '*' }] }) }) }] : []),
);
const l4 = (egress: boolean, deny: boolean): fc.Arbitrary<Obj> => fc.oneof(
  fc.constant<Obj>({}),
  fc.record({ toPorts: fc.array(deny ? portRule(false).map((rule) => ({ ports: rule.ports })) : portRule(egress), { maxLength: 2 }) }),
  fc.record({ icmps: fc.constant([{ fields: [{ type: 8 }] }]) }),
);

function element(direction: 'ingress' | 'egress', deny: boolean): fc.Arbitrary<Obj> {
  const peers = direction === 'ingress' ? ingressPeers : egressPeers.filter((peer) => !(deny && 'toFQDNs' in peer));
  return fc.tuple(peers, l4(direction === 'egress', deny), requires(direction === 'ingress' ? 'fromRequires' : 'toRequires'))
    .map(([peer, ports, required]) => ({ ...peer, ...ports, ...required }))
    // toFQDNs takes ports but not icmps in these tests; an element with HTTP rules keeps TCP ports only (by construction).
    .filter((entry) => !('toFQDNs' in entry && 'icmps' in entry));
}

const ruleBody = (host: boolean): fc.Arbitrary<Obj> => fc.record({
  ingress: fc.array(element('ingress', false), { minLength: 1, maxLength: 2 }),
  ingressDeny: fc.array(element('ingress', true), { maxLength: 1 }),
  egress: fc.array(element('egress', false), { minLength: 1, maxLength: 2 }),
  egressDeny: fc.array(element('egress', true), { maxLength: 1 }),
  enableDefaultDeny: fc.record({ ingress: fc.boolean(), egress: fc.boolean() }, { requiredKeys: [] }),
}, { requiredKeys: [] })
  .filter((body) => (['ingress', 'ingressDeny', 'egress', 'egressDeny'] as const).some((key) => (body[key] ?? []).length > 0))
  // Host policies take no HTTP rules.
  .filter((body) => !host || !JSON.stringify(body).includes('"http"'));

const cnp: fc.Arbitrary<Obj> = fc.record({ ns: fc.constantFrom(...NAMESPACES), selector: endpointSelector, body: ruleBody(false) })
  .map(({ ns, selector, body }) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { namespace: ns }, spec: { endpointSelector: selector, ...body } }));
const ccnp: fc.Arbitrary<Obj> = fc.oneof(
  fc.record({ selector: endpointSelector, body: ruleBody(false) }).map(({ selector, body }) => ({ endpointSelector: selector, ...body })),
  fc.record({ selector: nodeSelector, body: ruleBody(true) }).map(({ selector, body }) => ({ nodeSelector: selector, ...body })),
).map((spec) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: {}, spec }));
const netpol: fc.Arbitrary<Obj> = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  podSelector: fc.record({ matchLabels: labelSet }, { requiredKeys: [] }),
  ingress: fc.array(fc.record({
    from: fc.array(fc.oneof(fc.record({ podSelector: fc.record({ matchLabels: labelSet }) }), fc.constant({ ipBlock: { cidr: '0.0.0.0/0' } })), { maxLength: 1 }),
    ports: fc.array(fc.record({ port: fc.constantFrom(80, 53, 'http') }), { maxLength: 1 }),
  }, { requiredKeys: [] }), { maxLength: 2 }),
}).map(({ ns, podSelector, ingress }) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: ns }, spec: { podSelector, ingress } }));

const pod = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  labels: labelSet,
  node: fc.constantFrom('w1', 'w2', undefined),
  hostNetwork: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  serviceAccount: fc.constantFrom('sa1', undefined),
  named: fc.boolean(),
});

export interface CiliumCase {
  readonly objects: Obj[];
}

export const ciliumCase: fc.Arbitrary<CiliumCase> = fc.record({
  pods: fc.array(pod, { minLength: 1, maxLength: 5 }),
  policies: fc.array(fc.oneof(cnp, cnp, ccnp, netpol), { minLength: 1, maxLength: 4 }),
  apiOutside: fc.boolean(),
  teams: fc.tuple(fc.constantFrom('red', 'blue'), fc.constantFrom('red', 'blue')),
}).map(({ pods, policies, apiOutside, teams }) => {
  const objects: Obj[] = [
    ...NAMESPACES.map((name, index) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team: teams[index] } } })),
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'w1', labels: { role: 'worker', zone: 'z1' } }, status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }] } },
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'w2', labels: { role: 'cp' } }, status: { addresses: [{ type: 'InternalIP', address: '172.18.0.3' }] } },
    { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default' }, subsets: [{ addresses: [{ ip: apiOutside ? EXTERNAL_ADDRESSES.apiext : '172.18.0.3' }] }] },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { ports: [{ port: 443 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'n1', labels: { expose: 'yes' } }, spec: { selector: { app: 'a' }, ports: [{ port: 80 }] } },
    { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumCIDRGroup', metadata: { name: 'partners', labels: { kind: 'p' } }, spec: { externalCIDRs: ['203.0.113.0/24'] } },
  ];
  pods.forEach((spec, index) => objects.push({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${index}`, namespace: spec.ns, labels: spec.labels },
    spec: {
      ...(spec.node ? { nodeName: spec.node } : {}),
      ...(spec.hostNetwork ? { hostNetwork: true } : {}),
      ...(spec.serviceAccount ? { serviceAccountName: spec.serviceAccount } : {}),
      containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, ...(spec.named ? { name: 'http' } : {}) }, { containerPort: 53, protocol: 'UDP', name: 'dns' }] }],
    },
    status: { podIP: `10.0.0.${index + 1}` },
  }));
  policies.forEach((policy, index) => {
    const metadata = { ...(policy.metadata as Obj), name: `p${index}` };
    objects.push({ ...policy, metadata });
  });
  return { objects };
});
