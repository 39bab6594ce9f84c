/** The words of explanations under Cilium: one sentence per path of the decision, and which parts matched. */
import { egressOf, web } from './cases';
import { BASE, cnp, EXTERNALS, icmp, Manifest, netpol, tcp } from './support';
import { buildConnectivity } from '../../../../src/analysis/connectivity';
import { ApplicationRequest, ConnectionProbe, DecisionWords, Direction } from '../../../../src/analysis/dialect';

/** The words of each dialect's decision for one side of one connection. */
function words(
  objects: readonly Manifest[],
  from: string,
  to: string,
  side: Direction,
  probe: ConnectionProbe = tcp(80),
  request?: ApplicationRequest,
): DecisionWords[] {
  const connectivity = buildConnectivity([...BASE, ...objects], { cni: 'cilium', externals: EXTERNALS });
  const evaluation = connectivity.evaluateEndpoints(connectivity.endpoint(from), connectivity.endpoint(to), probe, request);
  const outcome = side === 'Egress' ? evaluation.egress : evaluation.ingress;
  return outcome.layers.flatMap((layer) => layer.decisions.map((decision) => decision.describe()));
}

const ingress = (rules: unknown[], extra: Manifest = {}): Manifest => cnp('prod/ingress', { endpointSelector: web, ingress: rules, ...extra });

describe('Cilium explanation words', () => {
  test('no policy selects the endpoint', () => {
    expect(words([], 'prod/web', 'dev/client', 'Ingress')[1].reason)
      .toBe('No CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy selects dev/client for Ingress, so Cilium does not restrict its ingress.');
  });

  test('selected without default-deny', () => {
    expect(words([ingress([{ fromEntities: ['world'] }], { enableDefaultDeny: { ingress: false } })], 'prod/db', 'prod/web', 'Ingress')[1].reason)
      .toBe('prod/web is selected for ingress by CiliumNetworkPolicy prod/ingress, whose rules set enableDefaultDeny: false, so Cilium lets unmatched ingress through.');
  });

  test('a hostNetwork pod: only host policies apply, and NetworkPolicy does not select it', () => {
    const [kubernetes, cilium] = words([], 'dev/client', 'prod/agent', 'Ingress');
    expect(kubernetes.reason).toBe("prod/agent uses its node's network (hostNetwork): Cilium gives it its node's identity, which no NetworkPolicy selects.");
    expect(cilium.reason).toBe("prod/agent uses its node's network (hostNetwork), so only host policies apply; no host policy (CiliumClusterwideNetworkPolicy nodeSelector) selects node n1 for Ingress.");
  });

  test('isolated, with the rule that matched the peer but not the port', () => {
    const [, cilium] = words([ingress([{ fromEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '443' }] }] }])], 'prod/api', 'prod/web', 'Ingress');
    expect(cilium.reason).toBe('prod/web is default-deny for ingress (CiliumNetworkPolicy prod/ingress); no rule admits prod/api on 80/TCP (CiliumNetworkPolicy prod/ingress spec.ingress[0] matches the peer but not the port).');
  });

  test('an HTTP request the rules refuse', () => {
    const policy = ingress([{ fromEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/public' }] } }] }]);
    const [, cilium] = words([policy], 'prod/api', 'prod/web', 'Ingress', tcp(80), { http: { method: 'POST', path: '/admin', headers: {} } });
    expect(cilium.reason).toBe('CiliumNetworkPolicy prod/ingress spec.ingress[0] admits prod/api on 80/TCP only for some requests, and this one matches none of them (Cilium answers HTTP 403 or DNS REFUSED).');
  });

  test('an HTTP request the rules admit names the HTTP rule', () => {
    const policy = ingress([{ fromEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/public' }] } }] }]);
    const [, cilium] = words([policy], 'prod/api', 'prod/web', 'Ingress', tcp(80), { http: { method: 'GET', path: '/public', headers: {} } });
    expect(cilium.matchDetails).toEqual(['fromEndpoints[0], toPorts[0].ports[0] 80/TCP, rules.http[0] (method GET path /public)']);
  });

  test('ICMP, entities, CIDRs and names in match details', () => {
    expect(words([ingress([{ fromEntities: ['cluster'], icmps: [{ fields: [{ type: 'EchoRequest' }] }] }])], 'prod/api', 'prod/web', 'Ingress', icmp(8))[1].matchDetails)
      .toEqual(['fromEntities[0] (entity cluster), icmps[0].fields[0] EchoRequest/IPv4']);
    expect(words([egressOf([{ toCIDRSet: [{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }] }])], 'prod/web', 'external:internet', 'Egress')[1].matchDetails)
      .toEqual(['toCIDRSet[0] (0.0.0.0/0 except 10.0.0.0/8), any port (no toPorts)']);
    expect(words([egressOf([{ toFQDNs: [{ matchPattern: '*.github.com' }] }])], 'prod/web', 'external:github', 'Egress', tcp(443), { fqdn: { name: 'api.github.com', lookupAllowed: true } })[1].matchDetails)
      .toEqual(['toFQDNs[0] (matchPattern *.github.com), any port (no toPorts)']);
  });

  test('a named port shows the number it resolved to', () => {
    expect(words([egressOf([{ toPorts: [{ ports: [{ port: 'http' }] }] }])], 'prod/web', 'prod/api', 'Egress', tcp(8080))[1].matchDetails)
      .toEqual(['any peer (no peer field), toPorts[0].ports[0] http/ANY (8080/TCP)']);
  });

  test('allow-localhost', () => {
    const [, cilium] = words([netpol('prod/np', { podSelector: {}, policyTypes: ['Ingress'] })], 'node:n1', 'prod/web', 'Ingress');
    expect(cilium.reason).toBe('allowed by allow-localhost.');
    expect(cilium.matchDetails).toEqual(['traffic from the local node (host) to its pods is always allowed (agent option allow-localhost)']);
  });

  test('ICMP is named as such in NetworkPolicy words too', () => {
    const [kubernetes] = words([netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 80 }] }] })], 'prod/api', 'prod/web', 'Ingress', icmp(8));
    expect(kubernetes.reason).toContain('none of its ingress rules admits prod/api on ICMP type 8 (IPv4)');
  });
});
