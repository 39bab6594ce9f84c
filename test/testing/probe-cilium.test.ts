/** `probe()` and `toSatisfyProbes` on a platform built with `Backend.cilium()`, probed from its intent. */
import '../../src/testing/setup';
import { App, Testing } from 'cdk8s';
import { failureOf } from './failure-of';
import { Backend, Feature, HttpMethod, Peer, Port, UnsupportedProbeError, ZeroTrustNamespace, ZeroTrustPlatform } from '../../src';
import { probe } from '../../src/testing';

/** web: frontend may GET /api/.* on backend, and reach api.github.com by name. */
function shop(app: App, backends: readonly Backend[]): ZeroTrustPlatform {
  const platform = new ZeroTrustPlatform(app, 'platform', { backends });
  const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
  const frontend = web.workload('frontend', { labels: { app: 'frontend' } });
  const backend = web.workload('backend', { labels: { app: 'backend' } });
  frontend.allowTo(backend, Port.tcp(8080).http({ methods: [HttpMethod.GET], path: '/api/.*' }));
  frontend.allowTo(Peer.fqdn('api.github.com'), Port.tcp(443));
  return platform;
}

const PROBES = [
  { id: 'get-api', from: 'web/frontend', to: 'web/backend', port: 8080, http: { method: 'GET', path: '/api/items' }, expected: 'allow' },
  { id: 'delete-api', from: 'web/frontend', to: 'web/backend', port: 8080, http: { method: 'DELETE', path: '/api/items' }, expected: 'deny' },
  { id: 'get-admin', from: 'web/frontend', to: 'web/backend', port: 8080, http: { path: '/admin' }, expected: 'deny' },
  { id: 'github', from: 'web/frontend', to: { fqdn: 'api.github.com', ip: '140.82.112.3' }, port: 443, expected: 'allow' },
  { id: 'gitlab', from: 'web/frontend', to: { fqdn: 'gitlab.com', ip: '172.65.251.78' }, port: 443, expected: 'deny' },
  { id: 'reverse', from: 'web/backend', to: 'web/frontend', port: 8080, expected: 'deny' },
] as const;

describe('a Cilium platform, probed from its intent', () => {
  test('toSatisfyProbes: HTTP rules and names hold as declared (cni auto picks Cilium from the output)', () => {
    const platform = shop(Testing.app(), [Backend.cilium()]);
    expect(platform).toSatisfyProbes([...PROBES]);
    expect(platform).toSatisfyProbes([...PROBES], { cni: 'cilium' });
  });

  test('probe(): the records name the CiliumNetworkPolicy rule and the HTTP rule', () => {
    const report = probe(shop(Testing.app(), [Backend.cilium()]), [PROBES[0], PROBES[1]]);
    expect(report.cni).toBe('cilium');
    expect(report.probes[0].reasons).toContainEqual(expect.objectContaining({
      direction: 'ingress', policy: expect.stringMatching(/^CiliumNetworkPolicy web\//), effect: 'allow', l7: expect.stringMatching(/^rules\.http\[0\] \(method GET path \/api\/\.\*\) matched GET \/api\/items$/),
    }));
    expect(report.probes[1].reasons).toContainEqual(expect.objectContaining({ effect: 'isolated', l7: expect.stringContaining('for DELETE /api/items: nothing matched') }));
  });

  test('a disagreement fails with the table, naming the L7 rule', () => {
    const message = failureOf(() => expect(shop(Testing.app(), [Backend.cilium()])).toSatisfyProbes([{ ...PROBES[1], expected: 'allow' }]));
    expect(message).toContain('1 of 1 probes disagree with their expected verdict:');
    expect(message).toContain('FAIL delete-api: web/frontend -> web/backend 8080/TCP: expected allow, verdict deny');
    expect(message).toContain('nothing matched, so the request is answered HTTP 403');
  });

  test('an App holding the platform is probed the same way', () => {
    const app = Testing.app();
    shop(app, [Backend.cilium()]);
    expect(app).toSatisfyProbes([...PROBES]);
  });

  describe('a platform with two backends: the output to probe is chosen', () => {
    const both = (app: App = Testing.app()): ZeroTrustPlatform =>
      shop(app, [Backend.kubernetes({ omit: [Feature.HTTP, Feature.FQDN] }), Backend.cilium()]);

    test('without a choice: an error naming the backends and the option', () => {
      expect(() => probe(both(), [PROBES[0]])).toThrow(UnsupportedProbeError);
      expect(() => probe(both(), [PROBES[0]])).toThrow(
        "platform platform emits the backends 'kubernetes', 'cilium', which are alternative outputs. Choose the one to probe with the backend option, e.g. { backend: 'cilium' } (or cni: 'kubernetes' / 'cilium' / 'calico' picks the backend of that name).");
      expect(() => expect(both()).toSatisfyProbes([PROBES[0]])).toThrow(/^toSatisfyProbes:\nplatform platform emits the backends/);
    });

    test('backend: cilium probes the CiliumNetworkPolicies only', () => {
      expect(both()).toSatisfyProbes([...PROBES], { backend: 'cilium' });
      const app = Testing.app();
      both(app);
      expect(app).toSatisfyProbes([...PROBES], { backend: 'cilium' });
    });

    test('cni: cilium picks the backend of that name', () => {
      expect(probe(both(), [...PROBES], { cni: 'cilium' }).summary.failed).toBe(0);
    });

    test('backend: kubernetes probes the NetworkPolicies, which omit HTTP and names (the port and the name are not allowed at all)', () => {
      const report = probe(both(), [...PROBES], { backend: 'kubernetes' });
      expect(report.cni).toBe('kubernetes');
      expect(report.probes.map((result) => [result.id, result.verdict])).toEqual([
        ['get-api', 'deny'], ['delete-api', 'deny'], ['get-admin', 'deny'], ['github', 'deny'], ['gitlab', 'deny'], ['reverse', 'deny'],
      ]);
      // The NetworkPolicy output on a Cilium cluster: NetworkPolicy as Cilium enforces it.
      expect(probe(both(), [...PROBES], { backend: 'kubernetes', cni: 'cilium' }).cni).toBe('cilium');
    });

    test('an unknown backend is an error naming the platform\'s', () => {
      expect(() => probe(both(), [PROBES[0]], { backend: 'calico' })).toThrow(
        "backend: 'calico' is not a backend of platform platform (its backends: 'kubernetes', 'cilium'). Give one of them.");
    });
  });
});
