/** The public API under Cilium: `analyze` and `explain` with the `cni` option (`auto` picks Cilium on Cilium kinds). */
import { BASE, ccnp, cnp, EXTERNALS, netpol, tcp } from './dialects/cilium/support';
import { analyze, computeConnectivity, explain } from '../../src/analysis';

const POLICIES = [
  cnp('prod/web', {
    endpointSelector: { matchLabels: { app: 'web' } },
    ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dev', 'app': 'client' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }],
  }),
  netpol('prod/np-web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] }),
  ccnp('no-world-to-db', { endpointSelector: { matchLabels: { app: 'db' } }, ingressDeny: [{ fromEntities: ['world'] }], ingress: [{ fromEntities: ['all'] }] }),
];
const INPUT = [...BASE, ...POLICIES];
const OPTIONS = { externals: EXTERNALS, ports: [tcp(80), tcp(5432)] };

function allowed(report: ReturnType<typeof analyze>, from: string, to: string, port: number): boolean | undefined {
  return report.connections.find((verdict) => verdict.from === from && verdict.to === to && verdict.port === port)?.allowed;
}

describe('analyze() with cni', () => {
  test('cilium: NetworkPolicy and CiliumNetworkPolicy allows are unioned; the CCNP deny wins', () => {
    const report = analyze(INPUT, { ...OPTIONS, cni: 'cilium' });
    expect(allowed(report, 'dev/client', 'prod/web', 80)).toBe(true);
    expect(allowed(report, 'prod/api', 'prod/web', 80)).toBe(true);
    expect(allowed(report, 'prod/db', 'prod/web', 80)).toBe(false);
    expect(allowed(report, 'external:internet', 'prod/db', 5432)).toBe(false);
    expect(allowed(report, 'external:corp', 'prod/db', 5432)).toBe(false);
    expect(allowed(report, 'dev/client', 'prod/db', 5432)).toBe(true);
    expect(report.pods).toEqual(expect.arrayContaining(['node:n1', 'node:n2']));
    const verdict = report.connections.find((v) => v.from === 'dev/client' && v.to === 'prod/web' && v.port === 80);
    expect(verdict?.ingressPolicies).toEqual(['prod/web']);
  });

  test('auto picks Cilium when Cilium kinds are present', () => {
    expect(analyze(INPUT, { ...OPTIONS, cni: 'auto' })).toEqual(analyze(INPUT, { ...OPTIONS, cni: 'cilium' }));
  });

  test('auto stays with Kubernetes NetworkPolicy without Cilium kinds', () => {
    const plain = [...BASE, POLICIES[1]];
    expect(analyze(plain, { ...OPTIONS, cni: 'auto' })).toEqual(analyze(plain, OPTIONS));
  });

  test('the default is kubernetes: Cilium kinds are noted as ignored and change nothing', () => {
    const report = analyze(INPUT, OPTIONS);
    expect(allowed(report, 'dev/client', 'prod/web', 80)).toBe(false);
    expect(allowed(report, 'external:internet', 'prod/db', 5432)).toBe(true);
    expect(computeConnectivity(INPUT, OPTIONS).notes.ignoredKinds).toEqual([
      { kind: 'cilium.io/v2/CiliumClusterwideNetworkPolicy', count: 1 },
      { kind: 'cilium.io/v2/CiliumNetworkPolicy', count: 1 },
      // NetworkPolicy never selects a node's host network: under kubernetes, nodes are not endpoints.
      { kind: 'v1/Node', count: 2 },
    ]);
  });

  test('NetworkPolicy semantics differ under Cilium: ipBlock never matches pods', () => {
    const objects = [...BASE, netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })];
    expect(allowed(analyze(objects, { ...OPTIONS, cni: 'kubernetes' }), 'dev/client', 'prod/web', 80)).toBe(true);
    expect(allowed(analyze(objects, { ...OPTIONS, cni: 'cilium' }), 'dev/client', 'prod/web', 80)).toBe(false);
  });

  test('summary under Cilium counts what the report lists', () => {
    const connectivity = computeConnectivity(INPUT, { ...OPTIONS, cni: 'cilium' });
    const report = connectivity.report();
    expect(connectivity.summary().allowed).toBe(report.connections.filter((verdict) => verdict.allowed).length);
  });

  test('an unknown cni is an error', () => {
    expect(() => analyze(INPUT, { cni: 'weave' as 'cilium' })).toThrow('cni must be auto, kubernetes, cilium or calico');
  });
});

describe('explain() with cni cilium', () => {
  test('names the CiliumNetworkPolicy rule that allowed the connection', () => {
    const explanation = explain(INPUT, { from: 'dev/client', to: 'prod/web', port: 80 }, { ...OPTIONS, cni: 'cilium' });
    expect(explanation.allowed).toBe(true);
    expect(explanation.ingress.allowedBy).toEqual([{
      policy: 'prod/web',
      kind: 'CiliumNetworkPolicy',
      namespace: 'prod',
      name: 'web',
      ruleIndex: 0,
      detail: 'fromEndpoints[0], toPorts[0].ports[0] 80/TCP',
    }]);
    expect(explanation.ingress.selectingPolicies).toEqual(['prod/np-web', 'prod/web']);
    expect(explanation.ingress.reason).toContain('allowed by CiliumNetworkPolicy prod/web spec.ingress[0]');
  });

  test('a cluster-wide policy has no namespace in rule references', () => {
    const explanation = explain(INPUT, { from: 'dev/client', to: 'prod/db', port: 5432 }, { ...OPTIONS, cni: 'cilium' });
    expect(explanation.ingress.allowedBy).toEqual([expect.objectContaining({ policy: 'no-world-to-db', kind: 'CiliumClusterwideNetworkPolicy', name: 'no-world-to-db' })]);
    expect(explanation.ingress.allowedBy[0]).not.toHaveProperty('namespace');
  });

  test('a deny explains itself and its precedence', () => {
    const explanation = explain(INPUT, { from: 'external:internet', to: 'prod/db', port: 5432 }, { ...OPTIONS, cni: 'cilium' });
    expect(explanation.allowed).toBe(false);
    expect(explanation.ingress.reason).toBe('CiliumClusterwideNetworkPolicy no-world-to-db spec.ingressDeny[0] denies external:internet on 5432/TCP; Cilium deny rules take precedence over every allow.');
  });

  test('an isolated endpoint with no matching rule says which policies isolate it', () => {
    const explanation = explain(INPUT, { from: 'prod/db', to: 'prod/web', port: 80 }, { ...OPTIONS, cni: 'cilium' });
    expect(explanation.allowed).toBe(false);
    expect(explanation.ingress.reason).toContain('prod/web is isolated for ingress by prod/np-web');
    expect(explanation.ingress.reason).toContain('prod/web is default-deny for ingress (CiliumNetworkPolicy prod/web); no rule admits prod/db on 80/TCP');
  });
});
