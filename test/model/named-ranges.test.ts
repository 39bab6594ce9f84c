/** Named CIDR ranges (`Peer.cidr(cidr, { name })`): one name, one CIDR; the name never changes the addresses. */
import { Testing } from 'cdk8s';
import { Backend, Peer, Port, ZeroTrustNamespace, ZeroTrustPlatform } from '../../src';

function platformWith(backend: Backend = Backend.kubernetes()) {
  const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend });
  const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
  return { platform, api: web.workload('api', { labels: { app: 'api' } }), db: web.workload('db', { labels: { app: 'db' } }) };
}

describe('named ranges', () => {
  test('a name that is not a DNS-1123 label is refused where it is given', () => {
    const { platform, api } = platformWith();
    api.allowTo(Peer.cidr('203.0.113.0/24', { name: 'Partner API' }), Port.tcp(443));
    expect(platform.validateIntent()).toEqual([expect.objectContaining({ path: 'platform/web/api', field: 'allowTo(#1).peer.name', message: expect.stringContaining('range name') })]);
  });

  test('one name for two CIDRs is refused at the second declaration, naming the first', () => {
    const { platform, api, db } = platformWith();
    api.allowTo(Peer.cidr('203.0.113.0/24', { name: 'partner' }), Port.tcp(443));
    db.allowTo(Peer.cidr('198.51.100.0/24', { name: 'partner' }), Port.tcp(443));
    expect(platform.validateIntent()).toEqual([{
      path: 'platform/web/db',
      field: 'allowTo(#1).peer.name',
      message: "the range name 'partner' already names 203.0.113.0/24 (allowTo(#1).peer of platform/web/api), not 198.51.100.0/24",
      fix: 'give each range a name of its own; the same name must always come with the same CIDR (excepts may differ)',
    }]);
  });

  test('the same name with the same CIDR and other excepts is one range; other backends ignore the name', () => {
    const { platform, api, db } = platformWith();
    api.allowTo(Peer.cidr('203.0.113.0/24', { name: 'partner' }), Port.tcp(443));
    db.allowTo(Peer.cidr('203.0.113.0/24', { name: 'partner', except: ['203.0.113.0/25'] }), Port.tcp(443));
    expect(platform.validateIntent()).toEqual([]);
    const output = JSON.stringify(platform.manifests());
    expect(output).not.toContain('partner');
    expect(output).toContain('{"ipBlock":{"cidr":"203.0.113.0/24","except":["203.0.113.0/25"]}}');
  });

  test('Calico: one GlobalNetworkSet for the name, however many rules select it', () => {
    const { platform, api, db } = platformWith(Backend.calico());
    api.allowTo(Peer.cidr('203.0.113.0/24', { name: 'partner' }), Port.tcp(443));
    db.allowTo(Peer.cidr('203.0.113.0/24', { name: 'partner', except: ['203.0.113.0/25'] }), Port.tcp(443));
    expect(platform.manifests().filter((m) => m.kind === 'GlobalNetworkSet').map((m) => m.metadata.name)).toEqual(['partner']);
  });
});
