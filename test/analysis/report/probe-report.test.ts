import { evaluateProbes, ProbeReport } from '../../../src/analysis';
import { formatProbeJson, formatProbeMarkdown, formatProbeTable } from '../../../src/analysis/report';
import { denyAll, namespace, netpol, node, pod, service } from '../probe/fixtures';

/** One probe of each kind of record: allowed, failed, through a Service, by name, implementation-defined. */
function report(): ProbeReport {
  const objects = [
    namespace('shop'),
    namespace('kube-system'),
    node('node-1', '10.1.0.1'),
    pod('kube-system/coredns', { 'k8s-app': 'kube-dns' }, [{ port: 53, protocol: 'UDP' }]),
    pod('shop/web', { app: 'web' }),
    pod('shop/api', { app: 'api' }, [{ port: 8080, name: 'http' }]),
    service('shop/api', { app: 'api' }, [{ port: 80, targetPort: 'http' }]),
    denyAll('shop'),
    netpol('shop/web-egress', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] },
        { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }] },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] },
      ],
    }),
    netpol('shop/api-ingress', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] }] }),
  ];
  return evaluateProbes(objects, [
    { id: 'web-to-api', from: 'shop/web', to: 'shop/api', port: 8080, expected: 'allow' },
    { id: 'api-to-web', from: 'shop/api', to: 'shop/web', port: 80, expected: 'allow' },
    { id: 'web-to-api-service', from: 'shop/web', to: { service: 'shop/api' }, port: 80 },
    { id: 'web-to-github', from: 'shop/web', to: { fqdn: 'api.github.com', ip: '140.82.112.3' }, port: 443, tls: { sni: 'api.github.com' }, expected: 'allow' },
    { id: 'web-to-kubelet', from: 'shop/web', to: { node: 'node-1' }, port: 10250, expected: 'deny' },
  ], { cni: 'kubernetes', file: 'probes.yaml' });
}

describe('probe report formats', () => {
  test('JSON: the contract\'s fields, in its order', () => {
    const json = formatProbeJson(report());
    const value = JSON.parse(json) as { probes: Record<string, unknown>[]; summary: unknown };
    expect(Object.keys(value)).toEqual(['cni', 'mesh', 'probes', 'summary']);
    expect(Object.keys(value.probes[0])).toEqual(['id', 'from', 'to', 'protocol', 'port', 'verdict', 'expected', 'ok', 'reasons']);
    expect(Object.keys(value.probes[2])).toEqual(['id', 'from', 'to', 'protocol', 'port', 'verdict', 'reasons']);
    expect(value.summary).toEqual({ probes: 5, allow: 4, deny: 1, failed: 2 });
    expect(json).toMatchSnapshot();
  });

  test('table: FAIL on each disagreement, * on implementation-defined verdicts, then their reasons', () => {
    const table = formatProbeTable(report());
    expect(table.split('\n').slice(0, 6)).toEqual([
      'RESULT  ID                  FROM      TO                                  PORT  VERDICT  EXPECTED',
      'ok      web-to-api          shop/web  shop/api                        8080/TCP  allow    allow',
      'FAIL    api-to-web          shop/api  shop/web                          80/TCP  deny     allow',
      '        web-to-api-service  shop/web  svc:shop/api                      80/TCP  allow',
      'ok      web-to-github       shop/web  api.github.com (140.82.112.3)    443/TCP  allow    allow',
      'FAIL    web-to-kubelet      shop/web  node:node-1                    10250/TCP  allow*   deny',
    ]);
    expect(table).toContain('5 probes (--cni kubernetes, --mesh none): 4 allowed, 1 denied; 2 of 4 expectations FAILED');
    expect(table).toContain('FAIL api-to-web: shop/api -> shop/web 80/TCP: expected allow, verdict deny\n  egress NetworkPolicy shop/deny-all: isolated - shop/api is isolated for egress');
    expect(table).toContain('  implementation-defined: allowed if shop/web runs on node:node-1; denied if shop/web runs on another node than node:node-1.');
  });

  test('markdown: a table with **FAIL**, then the reasons of each', () => {
    const markdown = formatProbeMarkdown(report());
    expect(markdown).toContain('| **FAIL** | `api-to-web` | `shop/api` | `shop/web` | 80/TCP | deny | allow |');
    expect(markdown).toContain('|  | `web-to-api-service` | `shop/web` | `svc:shop/api` | 80/TCP | allow |  |');
    expect(markdown).toContain('2 of 4 expectations **FAILED**');
    expect(markdown).toContain('#### FAIL web-to-kubelet: shop/web -> node:node-1 10250/TCP: expected deny, verdict allow');
  });
});
