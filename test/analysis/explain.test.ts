import { namespace, netpol, pod } from './helpers';
import { computeConnectivity, explain, explainConnection } from '../../src/analysis';

const objects = [
  namespace('shop', { team: 'shop' }),
  namespace('pay'),
  pod('shop/web', { app: 'web' }, [{ port: 8080, name: 'http' }]),
  pod('pay/api', { app: 'api' }, [{ port: 9000, name: 'grpc' }, { port: 9100, name: 'metrics' }]),
  netpol('pay/default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  netpol('pay/api-from-shop', {
    podSelector: { matchLabels: { app: 'api' } },
    ingress: [
      { from: [{ ipBlock: { cidr: '192.0.2.0/24', except: ['192.0.2.128/25'] } }, { namespaceSelector: { matchLabels: { team: 'shop' } }, podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'grpc' }] },
      { ports: [{ port: 9100, endPort: 9101, protocol: 'TCP' }] },
    ],
  }),
];

describe('explain', () => {
  test('an allowed connection names the rule, peer and port on each side', () => {
    const explanation = explain(objects, { from: 'shop/web', to: 'pay/api', port: 9000 });
    expect(explanation).toEqual({
      from: 'shop/web',
      to: 'pay/api',
      port: 9000,
      protocol: 'TCP',
      allowed: true,
      egress: {
        direction: 'Egress',
        endpoint: 'shop/web',
        applicable: true,
        selectingPolicies: [],
        isolated: false,
        allowed: true,
        allowedBy: [],
        reason: 'No NetworkPolicy in namespace shop selects shop/web for Egress, so its egress is not restricted.',
      },
      ingress: {
        direction: 'Ingress',
        endpoint: 'pay/api',
        applicable: true,
        selectingPolicies: ['pay/api-from-shop', 'pay/default-deny'],
        isolated: true,
        allowed: true,
        allowedBy: [{ policy: 'pay/api-from-shop', kind: 'NetworkPolicy', namespace: 'pay', name: 'api-from-shop', ruleIndex: 0, detail: 'from[1] (namespaceSelector+podSelector), ports[0] grpc (9000/TCP)' }],
        reason: 'pay/api is isolated for ingress by pay/api-from-shop, pay/default-deny; allowed by pay/api-from-shop ingress[0].',
      },
    });
  });

  test('a denied connection says which side denied and notes rules that matched the peer but not the port', () => {
    const explanation = explain(objects, { from: 'shop/web', to: 'pay/api', port: 9001 });
    expect(explanation.allowed).toBe(false);
    expect(explanation.egress.allowed).toBe(true);
    expect(explanation.ingress.allowedBy).toEqual([]);
    expect(explanation.ingress.reason).toBe(
      'pay/api is isolated for ingress by pay/api-from-shop, pay/default-deny; none of their ingress rules admits shop/web on 9001/TCP '
      + '(pay/api-from-shop ingress[0], pay/api-from-shop ingress[1] match the peer but not the port).',
    );
  });

  test('egress of an isolated pod with no rules denies everything', () => {
    const explanation = explain(objects, { from: 'pay/api', to: 'shop/web', port: 8080 });
    expect(explanation.allowed).toBe(false);
    expect(explanation.egress).toEqual(expect.objectContaining({ isolated: true, allowed: false, selectingPolicies: ['pay/default-deny'] }));
    expect(explanation.egress.reason).toBe('pay/api is isolated for egress by pay/default-deny; none of its egress rules admits shop/web on 8080/TCP.');
  });

  test('externals: policies are not applicable on their side; ipBlock and any-peer rules are described', () => {
    const connectivity = computeConnectivity(objects, { externals: { partner: '192.0.2.10' } });
    const explanation = explainConnection(connectivity, { from: 'external:partner', to: 'pay/api', port: 9100, protocol: 'TCP' });
    expect(explanation.allowed).toBe(true);
    expect(explanation.egress).toEqual(expect.objectContaining({ applicable: false, isolated: false, allowed: true, reason: 'external:partner is outside the cluster; no policy restricts its egress.' }));
    expect(explanation.ingress.allowedBy).toEqual([{ policy: 'pay/api-from-shop', kind: 'NetworkPolicy', namespace: 'pay', name: 'api-from-shop', ruleIndex: 1, detail: 'any peer (no from), ports[0] 9100-9101/TCP' }]);
    const grpc = explainConnection(connectivity, { from: 'external:partner', to: 'pay/api', port: 9000 });
    expect(grpc.ingress.allowedBy).toEqual([{ policy: 'pay/api-from-shop', kind: 'NetworkPolicy', namespace: 'pay', name: 'api-from-shop', ruleIndex: 0, detail: 'from[0] (ipBlock 192.0.2.0/24 except 192.0.2.128/25), ports[0] grpc (9000/TCP)' }]);
  });

  test('an unknown endpoint throws, naming it and listing close matches', () => {
    expect(() => explain(objects, { from: 'shop/wbe', to: 'pay/api', port: 80 })).toThrow('Unknown endpoint "shop/wbe". Did you mean: shop/web?');
    expect(() => explain(objects, { from: 'web', to: 'pay/api', port: 80 })).toThrow('Unknown endpoint "web". Did you mean: shop/web?');
    expect(() => explain(objects, { from: 'shop/web', to: 'zzzzzzzz/qqqqqqq', port: 80 })).toThrow(/Unknown endpoint "zzzzzzzz\/qqqqqqq"\. Endpoints are/);
  });

  test('an invalid port throws', () => {
    expect(() => explain(objects, { from: 'shop/web', to: 'pay/api', port: 0 })).toThrow(/not a port 1-65535/);
  });
});
