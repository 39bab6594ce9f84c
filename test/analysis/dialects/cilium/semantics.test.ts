/**
 * One row per rule of the Cilium semantics (research notes section 3, checked against docs.cilium.io and
 * github.com/cilium/cilium): a small manifest set on top of BASE, one connection, the expected verdict.
 */
import { CASES, Case, egressOf, web, withoutApiServer } from './cases';
import { BASE, cnp, EXTERNALS, Manifest, namespace, node, pod, tcp, udp, verdict } from './support';
import { buildConnectivity, lookupSeenByDnsProxy } from '../../../../src/analysis/connectivity';

describe('Cilium semantics, rule by rule', () => {
  test.each(CASES.map((c) => [`${c.rule} ${c.name}`, c] as const))('%s', (_, c) => {
    const base = (c as Case & { base?: readonly Manifest[] }).base ?? BASE;
    expect(verdict(c.objects, c.from, c.to, c.probe ?? tcp(80), c.request, c.options ?? {}, base)).toBe(c.expected);
  });

  test('every section of the rules has cases', () => {
    const rules = new Set(CASES.map((c) => c.rule));
    for (const rule of ['3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14', '3.15']) expect(rules).toContain(rule);
  });
});

describe('the DNS proxy requirement of toFQDNs (3.10)', () => {
  const fqdnPolicy = (dnsRules: boolean): Manifest => cnp('prod/fqdn', {
    endpointSelector: web,
    egress: [
      {
        toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }],
        toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], ...(dnsRules ? { rules: { dns: [{ matchPattern: '*' }] } } : {}) }],
      },
      { toFQDNs: [{ matchName: 'api.github.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
    ],
  });

  /** The probe's two steps: the lookup to the resolver, then the connection with what the lookup taught. */
  function reachByName(dnsRules: boolean): { lookup: boolean; seen: boolean; connection: boolean } {
    const connectivity = buildConnectivity([...BASE, fqdnPolicy(dnsRules)], { cni: 'cilium', externals: EXTERNALS });
    const source = connectivity.endpoint('prod/web');
    const lookup = connectivity.evaluateEndpoints(source, connectivity.endpoint('kube-system/coredns'), udp(53), { dns: { query: 'api.github.com' } });
    const seen = lookupSeenByDnsProxy(lookup);
    const connection = connectivity.evaluateEndpoints(source, connectivity.endpoint('external:github'), tcp(443), { fqdn: { name: 'api.github.com', lookupAllowed: seen } });
    return { lookup: lookup.allowed, seen, connection: connection.allowed };
  }

  test('with rules.dns on the DNS rule, the proxy sees the lookup and toFQDNs allows the address', () => {
    expect(reachByName(true)).toEqual({ lookup: true, seen: true, connection: true });
  });

  test('with a plain L4 DNS rule, the lookup passes but no address is learned', () => {
    expect(reachByName(false)).toEqual({ lookup: true, seen: false, connection: false });
  });

  test('a DNS proxy sees the lookup even where an L4 rule also allows port 53', () => {
    const both = cnp('prod/l4-dns', { endpointSelector: web, egress: [{ toEntities: ['cluster'], toPorts: [{ ports: [{ port: '53' }] }] }] });
    const connectivity = buildConnectivity([...BASE, fqdnPolicy(true), both], { cni: 'cilium' });
    const lookup = connectivity.evaluateEndpoints(connectivity.endpoint('prod/web'), connectivity.endpoint('kube-system/coredns'), udp(53), { dns: { query: 'anything.example' } });
    expect(lookup.allowed).toBe(true);
    expect(lookupSeenByDnsProxy(lookup)).toBe(true);
  });
});

describe('nodes and the API server from the inventory', () => {
  test('a pod without a node sees every node as remote-node', () => {
    const objects = [namespace('x'), node('n1', '172.18.0.2'), pod('x/p', { labels: { app: 'p' } }), cnp('x/e', { endpointSelector: {}, egress: [{ toEntities: ['remote-node'] }] })];
    expect(verdict([], 'x/p', 'node:n1', tcp(22), undefined, {}, objects)).toBe('allow');
  });

  test('an EndpointSlice of default/kubernetes names the API server', () => {
    const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } }, addressType: 'IPv4', endpoints: [{ addresses: ['172.18.0.2'] }] };
    const objects = [...withoutApiServer(), slice, egressOf([{ toEntities: ['kube-apiserver'] }])];
    expect(verdict([], 'prod/web', 'node:n1', tcp(6443), undefined, {}, objects)).toBe('allow');
    expect(verdict([], 'prod/web', 'node:n2', tcp(6443), undefined, {}, objects)).toBe('deny');
  });
});
