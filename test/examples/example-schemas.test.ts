import { Testing } from 'cdk8s';
import { buildExamplePlatform } from '../../examples/example-platform';
import { Backend } from '../../src/backends/registry';
import { ExternalNamespace } from '../../src/constructs/external-namespace';
import { ZeroTrustPlatform } from '../../src/constructs/platform';
import { TenantBoundary } from '../../src/constructs/tenant-boundary';
import { ZeroTrustNamespace } from '../../src/constructs/zero-trust-namespace';
import { Peer } from '../../src/model/peer';
import { Port, Protocol } from '../../src/model/port';
import { SelectorOperator } from '../../src/model/selector';
import { describeWithSchemas } from '../support/schemas';

/** A platform that uses every kind of peer, port and option, so every rendered shape is schema-checked. */
function everyShape(): ZeroTrustPlatform {
  const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backends: [Backend.KUBERNETES] });
  const external = new ExternalNamespace(platform, 'ingress-nginx');
  const tenant = new TenantBoundary(platform, 'alpha', { namespaces: ['alpha-web', 'alpha-data'], allowIntraTenant: true });
  const web = tenant.namespace('alpha-web');
  const shared = new ZeroTrustNamespace(platform, 'shared', { name: 'shared', allowSameNamespace: true, allowDns: false, labels: { team: 'platform' } });
  const a = web.workload('a', { selector: { matchLabels: { app: 'a' }, matchExpressions: [{ key: 'tier', operator: SelectorOperator.IN, values: ['x', 'y'] }, { key: 'canary', operator: SelectorOperator.DOES_NOT_EXIST }] } });
  const b = tenant.namespace('alpha-data').workload('b', { labels: { app: 'b' } });
  const c = shared.workload('c', { labels: { app: 'c' } });
  a.allowTo(b, Port.tcp(5432), Port.udpRange(6000, 6010), Port.sctp(9999), Port.named('metrics'), Port.named('dns', Protocol.UDP));
  a.allowTo(c, Port.all());
  a.allowTo(shared, Port.allTcp());
  a.allowTo(Peer.cidr('10.0.0.0/8', { except: ['10.1.0.0/16'] }), Port.tcp(443));
  a.allowTo(Peer.anyIpv6(), Port.tcp(443));
  b.allowFrom(external.pods({ labels: { 'app.kubernetes.io/name': 'ingress-nginx' } }), Port.tcp(80));
  c.allowFrom(external, Port.tcp(80));
  return platform;
}

describeWithSchemas('emitted objects match the upstream schemas', (validator) => {
  test.each([
    ['the example platform', () => buildExamplePlatform(Testing.app()), ['AuthorizationPolicy', 'CiliumClusterwideNetworkPolicy', 'CiliumNetworkPolicy', 'GlobalNetworkPolicy', 'Namespace', 'NetworkPolicy', 'PeerAuthentication', 'Tier']],
    ['a platform using every option', everyShape, ['Namespace', 'NetworkPolicy']],
  ])('%s', (_name, build, expectedKinds) => {
    const manifests = build().manifests();
    expect(manifests.length).toBeGreaterThan(5);
    const kinds = new Set(manifests.map((m) => m.kind));
    expect([...kinds].sort()).toEqual(expectedKinds);
    expect(manifests.flatMap((m) => validator.validate(m))).toEqual([]);
  });

  test('the validator does reject a malformed NetworkPolicy (the check is live)', () => {
    const [policy] = buildExamplePlatform(Testing.app()).manifests().filter((m) => m.kind === 'NetworkPolicy');
    expect(validator.validate({ ...policy, spec: { podSelector: {}, policyTypes: ['Ingress'], ingres: [] } })).not.toEqual([]);
  });
});
