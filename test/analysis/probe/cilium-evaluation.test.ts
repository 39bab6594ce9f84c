/**
 * `zt probe --cni cilium`: one table of probes against one small Cilium cluster (cilium-fixture.ts), each with
 * its verdict and the reasons that decided it (policy, rule, effect, and the words that say why).
 */
import { CLUSTER } from './cilium-fixture';
import { evaluateProbes, InvalidProbesError, ProbeInput, ProbeReason, ProbeReport, ProbeResult } from '../../../src/analysis';
import { apiServerEndpoints, cnp, namespace, node, pod } from '../dialects/cilium/support';

type Expected = Partial<Record<keyof ProbeReason, unknown>>;

interface Case {
  readonly probe: ProbeInput;
  readonly verdict: 'allow' | 'deny';
  /** Reasons that must be among the probe's (each a partial match; strings in detail/l7 are substrings). */
  readonly reasons: readonly Expected[];
}

const WEB_EGRESS = { direction: 'egress', policy: 'CiliumNetworkPolicy app/web' };
const API_INGRESS = { direction: 'ingress', policy: 'CiliumNetworkPolicy app/api' };

const CASES: Readonly<Record<string, Case>> = {
  // L3/L4
  'l4-allow': {
    probe: { from: 'other/client', to: 'app/api', port: 9090 },
    verdict: 'allow',
    reasons: [{ ...API_INGRESS, rule: 'ingress[1]', effect: 'allow', detail: 'fromEndpoints[0], toPorts[0].ports[0] 9090/TCP' }],
  },
  'l4-deny: isolated, with the rule that matches the peer but not the port': {
    probe: { from: 'other/client', to: 'app/api', port: 8080 },
    verdict: 'deny',
    reasons: [{ ...API_INGRESS, effect: 'isolated', detail: 'app/api is default-deny for ingress (CiliumNetworkPolicy app/api); no rule admits other/client on 8080/TCP (CiliumNetworkPolicy app/api spec.ingress[1] matches the peer but not the port).' }],
  },
  'deny precedence: a CNP ingressDeny beats the NetworkPolicy that allows': {
    probe: { from: 'other/client', to: 'app/db', port: 5432 },
    verdict: 'deny',
    reasons: [{ direction: 'ingress', policy: 'CiliumNetworkPolicy app/db', rule: 'ingressDeny[0]', effect: 'deny', detail: 'fromEndpoints[0], any port (no toPorts)' }],
  },
  'deny precedence: a CCNP egressDeny beats the CNP allow of the world on 25': {
    probe: { from: 'app/web', to: { ip: '93.184.216.34' }, port: 25 },
    verdict: 'deny',
    reasons: [{ direction: 'egress', policy: 'CiliumClusterwideNetworkPolicy no-smtp', rule: 'egressDeny[0]', effect: 'deny', detail: 'toEntities[0] (entity world), toPorts[0].ports[0] 25/TCP' }],
  },
  'NP + CNP merged: the NetworkPolicy admits api': {
    probe: { from: 'app/api', to: 'app/db', port: 5432 },
    verdict: 'allow',
    reasons: [{ direction: 'ingress', policy: 'NetworkPolicy app/db-np', rule: 'ingress[0]', effect: 'allow', detail: 'from[0] (podSelector), ports[0] 5432/TCP' }],
  },
  'NP + CNP merged: the CiliumNetworkPolicy admits web': {
    probe: { from: 'app/web', to: 'app/db', port: 5432 },
    verdict: 'allow',
    reasons: [{ ...WEB_EGRESS, rule: 'egress[2]', effect: 'allow' }, { direction: 'ingress', policy: 'CiliumNetworkPolicy app/db', rule: 'ingress[0]', effect: 'allow' }],
  },
  'a CCNP with enableDefaultDeny false does not isolate': {
    probe: { from: 'app/api', to: 'other/client', port: 80 },
    verdict: 'allow',
    reasons: [{ direction: 'egress', effect: 'default', detail: 'app/api is selected for egress by CiliumClusterwideNetworkPolicy no-smtp, whose rules set enableDefaultDeny: false, so Cilium lets unmatched egress through.' }],
  },
  // Entities
  'kube-apiserver through Service default/kubernetes: its Endpoints address, on the targetPort': {
    probe: { from: 'app/web', to: { service: 'default/kubernetes' }, port: 443 },
    verdict: 'allow',
    reasons: [{ ...WEB_EGRESS, rule: 'egress[3]', effect: 'allow', detail: 'toEntities[0] (entity kube-apiserver), toPorts[0].ports[0] 6443/TCP', backend: 'external:kube-apiserver', targetPort: 6443 }],
  },
  'kube-apiserver by the Service\'s cluster IP': {
    probe: { from: 'app/web', to: { ip: '10.96.0.1' }, port: 443 },
    verdict: 'allow',
    reasons: [{ ...WEB_EGRESS, rule: 'egress[3]', effect: 'allow', backend: 'external:kube-apiserver' }],
  },
  'kube-apiserver by its address': {
    probe: { from: 'app/web', to: { ip: '172.18.0.2' }, port: 6443 },
    verdict: 'allow',
    reasons: [{ ...WEB_EGRESS, rule: 'egress[3]', effect: 'allow', detail: 'toEntities[0] (entity kube-apiserver), toPorts[0].ports[0] 6443/TCP' }],
  },
  'host: the own node of web (n1), and its host policy': {
    probe: { from: 'app/web', to: { node: 'n1' }, port: 10250 },
    verdict: 'allow',
    reasons: [
      { ...WEB_EGRESS, rule: 'egress[6]', effect: 'allow', detail: 'toEntities[0] (entity host), toPorts[0].ports[0] 10250/TCP' },
      { direction: 'ingress', policy: 'CiliumClusterwideNetworkPolicy gateway-host', rule: 'ingress[0]', effect: 'allow', detail: 'fromEndpoints[0], toPorts[0].ports[1] 10250/TCP' },
    ],
  },
  'host is not remote-node: another node on the same port': {
    probe: { from: 'app/web', to: { node: 'n2' }, port: 10250 },
    verdict: 'deny',
    reasons: [{ ...WEB_EGRESS, effect: 'isolated', detail: 'no rule admits node:n2 on 10250/TCP (CiliumNetworkPolicy app/web spec.egress[4] matches the peer but not the port)' }],
  },
  'host entity at ingress: the pod\'s own node, and allow-localhost': {
    probe: { from: { node: 'n2' }, to: 'app/api', port: 10250 },
    verdict: 'allow',
    reasons: [
      { direction: 'ingress', effect: 'allow', detail: 'traffic from the local node (host) to its pods is always allowed (agent option allow-localhost)' },
      { ...API_INGRESS, rule: 'ingress[2]', effect: 'allow', detail: 'fromEntities[0] (entity host), toPorts[0].ports[0] 10250/TCP' },
    ],
  },
  'remote-node: another node is not host': {
    probe: { from: { node: 'n1' }, to: 'app/api', port: 10250 },
    verdict: 'deny',
    reasons: [{ ...API_INGRESS, effect: 'isolated', detail: 'no rule admits node:n1 on 10250/TCP (CiliumNetworkPolicy app/api spec.ingress[3] matches the peer but not the port)' }],
  },
  'a hostNetwork pod has its node\'s identity (remote-node from another node)': {
    probe: { from: 'ops/agent', to: 'app/api', port: 9100 },
    verdict: 'allow',
    reasons: [
      { direction: 'egress', effect: 'default', detail: 'ops/agent uses its node\'s network (hostNetwork), so only host policies apply' },
      { ...API_INGRESS, rule: 'ingress[3]', effect: 'allow', detail: 'fromEntities[0] (entity remote-node), toPorts[0].ports[0] 9100/TCP' },
    ],
  },
  'world: an address outside the cluster': {
    probe: { from: 'app/web', to: { ip: '93.184.216.34' }, port: 80 },
    verdict: 'allow',
    reasons: [{ ...WEB_EGRESS, rule: 'egress[5]', effect: 'allow', detail: 'toEntities[0] (entity world), toPorts[0].ports[0] 80/TCP' }, { direction: 'ingress', effect: 'default' }],
  },
  // FQDN
  'fqdn with the DNS proxy rule: the lookup is seen, toFQDNs matches (the name is compared case-insensitively, without the dot)': {
    probe: { from: 'app/web', to: { fqdn: 'API.GitHub.com.', ip: '140.82.112.3' }, port: 443 },
    verdict: 'allow',
    reasons: [
      { ...WEB_EGRESS, rule: 'egress[0]', effect: 'allow', step: 'dns', backend: 'kube-system/coredns', targetPort: 53, l7: 'rules.dns[0] (matchPattern *.github.com) matched query api.github.com' },
      { ...WEB_EGRESS, rule: 'egress[1]', effect: 'allow', detail: 'toFQDNs[0] (matchName api.github.com), toPorts[0].ports[0] 443/TCP' },
    ],
  },
  'fqdn whose lookup the DNS rule refuses': {
    probe: { from: 'app/web', to: { fqdn: 'example.com', ip: '93.184.216.35' }, port: 443 },
    verdict: 'deny',
    reasons: [
      { ...WEB_EGRESS, rule: 'egress[0]', effect: 'isolated', step: 'dns', l7: 'rules.dns (matchPattern *.github.com, matchName example.org) for query example.com: nothing matched, so the query is answered REFUSED' },
      { ...WEB_EGRESS, effect: 'isolated', detail: 'toFQDNs rules learn no address for example.com: its lookup was not allowed by a DNS proxy rule' },
    ],
  },
  'fqdn without the DNS proxy rule: DNS allowed at L4 only, so toFQDNs never learns the address': {
    probe: { from: 'app/batch', to: { fqdn: 'api.github.com', ip: '140.82.112.3' }, port: 443 },
    verdict: 'deny',
    reasons: [
      { direction: 'egress', policy: 'CiliumNetworkPolicy app/batch', rule: 'egress[0]', effect: 'allow', step: 'dns', detail: 'toEndpoints[0], toPorts[0].ports[0] 53/ANY' },
      { direction: 'egress', policy: 'CiliumNetworkPolicy app/batch', effect: 'isolated', detail: 'no rule admits external:140.82.112.3 on 443/TCP. toFQDNs rules learn no address for api.github.com: its lookup was not allowed by a DNS proxy rule (toPorts rules.dns on the DNS egress) that matches the name.' },
    ],
  },
  // HTTP
  'http: method and path match': {
    probe: { from: 'app/web', to: 'app/api', port: 8080, http: { method: 'GET', path: '/public/index.html' } },
    verdict: 'allow',
    reasons: [{ ...API_INGRESS, rule: 'ingress[0]', effect: 'allow', l7: 'rules.http[0] (method GET path /public/.*) matched GET /public/index.html' }],
  },
  'http: the path must match whole (/public is not /public/.*)': {
    probe: { from: 'app/web', to: 'app/api', port: 8080, http: { method: 'GET', path: '/public' } },
    verdict: 'deny',
    reasons: [{ ...API_INGRESS, rule: 'ingress[0]', effect: 'isolated', l7: 'rules.http (method GET path /public/.*; method POST path /orders host shop\\.example\\.com headers x-user) for GET /public: nothing matched, so the request is answered HTTP 403' }],
  },
  'http: method mismatch': {
    probe: { from: 'app/web', to: 'app/api', port: 8080, http: { method: 'DELETE', path: '/public/a' } },
    verdict: 'deny',
    reasons: [{ ...API_INGRESS, rule: 'ingress[0]', effect: 'isolated', l7: 'for DELETE /public/a: nothing matched' }],
  },
  'http: host and header match (named port)': {
    probe: { from: 'app/web', to: 'app/api', port: 'http', http: { method: 'POST', path: '/orders', host: 'shop.example.com', headers: { 'X-User': 'alice' } } },
    verdict: 'allow',
    reasons: [{ ...API_INGRESS, rule: 'ingress[0]', effect: 'allow', l7: 'rules.http[1] (method POST path /orders host shop\\.example\\.com headers x-user) matched POST /orders (host shop.example.com)' }],
  },
  'http: the required header is missing': {
    probe: { from: 'app/web', to: 'app/api', port: 8080, http: { method: 'POST', path: '/orders', host: 'shop.example.com' } },
    verdict: 'deny',
    reasons: [{ ...API_INGRESS, rule: 'ingress[0]', effect: 'isolated', l7: 'for POST /orders: nothing matched' }],
  },
  'http: another host': {
    probe: { from: 'app/web', to: 'app/api', port: 8080, http: { method: 'POST', path: '/orders', host: 'evil.example.com', headers: { 'x-user': 'a' } } },
    verdict: 'deny',
    reasons: [{ ...API_INGRESS, rule: 'ingress[0]', effect: 'isolated' }],
  },
  'http through a Service: the targetPort (named) of the backend': {
    probe: { from: 'app/web', to: { service: 'app/api' }, port: 80, http: { path: '/public/a' } },
    verdict: 'allow',
    reasons: [{ ...API_INGRESS, rule: 'ingress[0]', effect: 'allow', backend: 'app/api', targetPort: 8080, l7: 'rules.http[0] (method GET path /public/.*) matched GET /public/a' }],
  },
  'http without a request: accepted at L4, the proxy filters each request': {
    probe: { from: 'app/web', to: 'app/api', port: 8080 },
    verdict: 'allow',
    reasons: [{ ...API_INGRESS, rule: 'ingress[0]', effect: 'allow', l7: 'not checked: the probe gives no http request' }],
  },
  'gRPC: an http probe to a grpc service port is a POST': {
    probe: { from: 'app/web', to: { service: 'app/api' }, port: 50051, http: { path: '/shop.Catalog/List' } },
    verdict: 'allow',
    reasons: [{ ...API_INGRESS, rule: 'ingress[4]', effect: 'allow', targetPort: 9090, l7: 'rules.http[0] (method POST path /shop\\.Catalog/.*) matched POST /shop.Catalog/List' }],
  },
  // TLS
  'tls: an encrypted payload never matches HTTP rules': {
    probe: { from: 'app/web', to: 'app/api', port: 8080, tls: { sni: 'api.app' }, http: { method: 'GET', path: '/public/a' } },
    verdict: 'deny',
    reasons: [{ ...API_INGRESS, rule: 'ingress[0]', effect: 'isolated', l7: 'rules.http (the payload is TLS, which the proxy does not terminate): nothing matched' }],
  },
  'tls to a port without L7 rules: L4 decides': {
    probe: { from: 'other/client', to: 'app/api', port: 9090, tls: {} },
    verdict: 'allow',
    reasons: [{ ...API_INGRESS, rule: 'ingress[1]', effect: 'allow' }],
  },
  // DNS
  'dns: a query the rules.dns allow, through Service kube-dns': {
    probe: { from: 'app/web', to: { service: 'kube-system/kube-dns' }, port: 53, protocol: 'UDP', dns: { query: 'example.org' } },
    verdict: 'allow',
    reasons: [{ ...WEB_EGRESS, rule: 'egress[0]', effect: 'allow', backend: 'kube-system/coredns', l7: 'rules.dns[1] (matchName example.org) matched query example.org' }],
  },
  'dns: a query the rules.dns do not allow is refused': {
    probe: { from: 'app/web', to: 'kube-system/coredns', port: 53, protocol: 'UDP', dns: { query: 'evil.example.com' } },
    verdict: 'deny',
    reasons: [{ ...WEB_EGRESS, rule: 'egress[0]', effect: 'isolated', l7: 'rules.dns (matchPattern *.github.com, matchName example.org) for query evil.example.com: nothing matched, so the query is answered REFUSED' }],
  },
  // ICMP
  'icmp: the type an icmps rule names': {
    probe: { from: 'app/web', to: { node: 'n2' }, protocol: 'ICMP', icmp: { type: 8 } },
    verdict: 'allow',
    reasons: [{ ...WEB_EGRESS, rule: 'egress[4]', effect: 'allow', detail: 'toEntities[0] (entity remote-node), icmps[0].fields[0] 8/IPv4' }],
  },
  'icmp: another type': {
    probe: { from: 'app/web', to: { node: 'n2' }, protocol: 'ICMP', icmp: { type: 0 } },
    verdict: 'deny',
    reasons: [{ ...WEB_EGRESS, effect: 'isolated', detail: 'no rule admits node:n2 on ICMP type 0 (IPv4) (CiliumNetworkPolicy app/web spec.egress[4] matches the peer but not the protocol)' }],
  },
  'icmp: another family': {
    probe: { from: 'app/web', to: { node: 'n2' }, protocol: 'ICMP', icmp: { type: 8, family: 'IPv6' } },
    verdict: 'deny',
    reasons: [{ ...WEB_EGRESS, effect: 'isolated' }],
  },
  'icmp: an L3-only rule admits every protocol': {
    probe: { from: 'app/web', to: 'app/batch', protocol: 'ICMP' },
    verdict: 'allow',
    reasons: [{ ...WEB_EGRESS, rule: 'egress[2]', effect: 'allow', detail: 'toEndpoints[0], every protocol (no toPorts)' }],
  },
  // Node endpoints
  'node: a host policy admits the app namespace': {
    probe: { from: 'app/api', to: { node: 'n1' }, port: 22 },
    verdict: 'allow',
    reasons: [{ direction: 'ingress', policy: 'CiliumClusterwideNetworkPolicy gateway-host', rule: 'ingress[0]', effect: 'allow', detail: 'fromEndpoints[0], toPorts[0].ports[0] 22/TCP' }],
  },
  'node: a host policy isolates the node from other namespaces': {
    probe: { from: 'other/client', to: { node: 'n1' }, port: 22 },
    verdict: 'deny',
    reasons: [{ direction: 'ingress', policy: 'CiliumClusterwideNetworkPolicy gateway-host', effect: 'isolated', detail: 'node:n1 is default-deny for ingress (CiliumClusterwideNetworkPolicy gateway-host); no rule admits other/client on 22/TCP.' }],
  },
  'node: no host policy selects n2': {
    probe: { from: { node: 'n2' }, to: { node: 'n1' }, port: 22 },
    verdict: 'deny',
    reasons: [{ direction: 'egress', effect: 'default', detail: 'No host policy (CiliumClusterwideNetworkPolicy nodeSelector) selects node:n2 for Egress, so Cilium does not restrict its egress.' }],
  },
};

let report: ProbeReport;
beforeAll(() => {
  report = evaluateProbes(CLUSTER, Object.values(CASES).map(({ probe }, index) => ({ ...probe, id: `case-${index}` })), { cni: 'cilium' });
});

function matcher(expected: Expected): unknown {
  return expect.objectContaining(Object.fromEntries(Object.entries(expected).map(([key, value]) => [key, (key === 'detail' || key === 'l7') && typeof value === 'string' ? expect.stringContaining(value) : value])));
}

describe('zt probe --cni cilium: verdicts and reasons', () => {
  test('the report is cilium, mesh none', () => {
    expect(report).toMatchObject({ cni: 'cilium', mesh: 'none' });
    expect(report.summary.probes).toBe(Object.keys(CASES).length);
  });

  test.each(Object.entries(CASES).map(([name, entry], index) => [name, entry, index] as const))('%s', (_name, { verdict, reasons }, index) => {
    const result: ProbeResult = report.probes[index];
    expect(result.verdict).toBe(verdict);
    expect(result.implementationDefined).toBeUndefined();
    expect(result.reasons).toEqual(expect.arrayContaining(reasons.map(matcher)));
  });
});

describe('zt probe --cni cilium: records', () => {
  test('an ICMP probe has no port, and names its message', () => {
    const result = evaluateProbes(CLUSTER, [{ id: 'ping', from: 'app/web', to: { node: 'n2' }, protocol: 'ICMP', icmp: { type: 8, code: 0 }, expected: 'allow' }], { cni: 'cilium' }).probes[0];
    expect(result).toEqual(expect.objectContaining({ id: 'ping', from: 'app/web', to: 'node:n2', protocol: 'ICMP', icmp: { type: 8, code: 0, family: 'IPv4' }, verdict: 'allow', ok: true }));
    expect(result.port).toBeUndefined();
  });

  test('a pod whose node is not given, probed from a node: both placements, implementation-defined when they disagree', () => {
    const result = evaluateProbes(CLUSTER, [{ from: { node: 'n2' }, to: 'app/job', port: 80, expected: 'allow' }], { cni: 'cilium' }).probes[0];
    expect(result).toMatchObject({ verdict: 'allow', ok: false });
    expect(result.implementationDefined).toBe('allowed if app/job runs on node:n2; denied if app/job runs on another node than node:n2. the input does not say where the pod runs: give its spec.nodeName.');
    expect(result.reasons).toContainEqual(expect.objectContaining({ direction: 'ingress', effect: 'allow', detail: expect.stringContaining('allow-localhost') }));
  });

  test('placements that agree give a defined verdict', () => {
    const result = evaluateProbes(CLUSTER, [{ from: 'app/job', to: { node: 'n2' }, port: 22, expected: 'allow' }], { cni: 'cilium' }).probes[0];
    expect(result).toMatchObject({ verdict: 'allow', ok: true });
    expect(result.implementationDefined).toBeUndefined();
  });

  test('every DNS backend must allow the lookup, or toFQDNs learns nothing', () => {
    const twoResolvers = [
      ...CLUSTER,
      pod('kube-system/coredns-2', { labels: { 'k8s-app': 'kube-dns', 'instance': 'b' }, node: 'n1', ports: [{ port: 53, protocol: 'UDP', name: 'dns' }, { port: 53, protocol: 'TCP', name: 'dns-tcp' }] }),
      cnp('kube-system/resolver-b', { endpointSelector: { matchLabels: { instance: 'b' } }, ingress: [{ fromEndpoints: [{}] }] }),
    ];
    const result = evaluateProbes(twoResolvers, [{ from: 'app/web', to: { fqdn: 'api.github.com', ip: '140.82.112.3' }, port: 443 }], { cni: 'cilium' }).probes[0];
    expect(result.verdict).toBe('deny');
    expect(result.reasons).toEqual(expect.arrayContaining([
      expect.objectContaining({ step: 'dns', backend: 'kube-system/coredns', direction: 'egress', effect: 'allow' }),
      expect.objectContaining({ step: 'dns', backend: 'kube-system/coredns-2', direction: 'ingress', effect: 'isolated', policy: 'CiliumNetworkPolicy kube-system/resolver-b' }),
      expect.objectContaining({ direction: 'egress', effect: 'isolated', detail: expect.stringContaining('toFQDNs rules learn no address for api.github.com') }),
    ]));
  });

  test('an address of the API server that a node holds is that node (remote-node and kube-apiserver)', () => {
    const objects = [namespace('app'), pod('app/web', { labels: { app: 'web' }, node: 'w1' }), node('w1', '10.0.0.1'), node('cp', '10.0.0.9'), apiServerEndpoints('10.0.0.9'),
      cnp('app/web', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '6443', protocol: 'TCP' }] }] }] })];
    const run = evaluateProbes(objects, [{ from: 'app/web', to: { ip: '10.0.0.9' }, port: 6443 }, { from: 'app/web', to: { node: 'cp' }, port: 22 }], { cni: 'cilium' });
    expect(run.probes.map((result) => [result.to, result.verdict])).toEqual([['10.0.0.9', 'allow'], ['node:cp', 'deny']]);
  });
});

describe('zt probe --cni cilium: probes the input cannot answer', () => {
  const run = (probe: ProbeInput) => (): unknown => evaluateProbes(CLUSTER, [{ id: 'p', ...probe }], { cni: 'cilium', file: 'probes.yaml' });

  test.each([
    ['ICMP to a Service', { from: 'app/web', to: { service: 'app/api' }, protocol: 'ICMP' },
      'probes.yaml:p: to: ICMP to the cluster IP of Service app/api does not reach its backends: a Service forwards TCP, UDP and SCTP ports. probe one of its pods, e.g. {pod: "namespace/name"}'],
    ['a gRPC call that is not a POST', { from: 'app/web', to: { service: 'app/api' }, port: 50051, http: { method: 'GET', path: '/shop.Catalog/List' } },
      'probes.yaml:p: http.method: the port carries gRPC (its Service port\'s appProtocol or name says so), and a gRPC call is a POST, not GET. remove method, or write POST'],
    ['a gRPC call without /package.Service/Method', { from: 'app/web', to: { service: 'app/api' }, port: 50051, http: { path: '/' } },
      'probes.yaml:p: http.path: the port carries gRPC, and a gRPC call\'s path is /package.Service/Method, got "/". give the method called, e.g. path: /shop.Catalog/ListItems'],
    ['default/kubernetes without its Endpoints', { from: 'app/web', to: { service: 'default/kubernetes' }, port: 443 }, undefined],
  ] as const)('%s: one line naming the file, probe, field and fix', (_name, probe, message) => {
    if (message === undefined) {
      const objects = CLUSTER.filter((object) => object.kind !== 'Endpoints');
      expect(() => evaluateProbes(objects, [{ id: 'p', ...probe }], { cni: 'cilium', file: 'probes.yaml' })).toThrow(
        'probes.yaml:p: to: Service default/kubernetes leads to the kube-apiserver, and the input has no Endpoints or EndpointSlice of default/kubernetes giving its addresses. add them to the input (kubectl get endpoints kubernetes -n default -o yaml)');
      return;
    }
    expect(run(probe as ProbeInput)).toThrow(InvalidProbesError);
    expect(run(probe as ProbeInput)).toThrow(message);
  });
});
