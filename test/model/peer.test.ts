/** Peer factories: values of the wrong shape from JavaScript callers fail at once, with the fix. */
import { Peer } from '../../src';

describe('Peer factories refuse values of the wrong shape', () => {
  const untyped = Peer as unknown as { pods(o: unknown): Peer; cidr(c: string, o?: unknown): Peer };

  test.each([undefined, null, 'ingress-nginx', []])('Peer.pods(%p)', (value) => {
    expect(() => untyped.pods(value)).toThrow(/^Peer\.pods\(options\): .* is not an options object\. Fix: pass \{ namespace:/);
  });

  test('Peer.cidr with except that is not a list', () => {
    expect(() => untyped.cidr('203.0.113.0/24', { except: '203.0.113.128/25' })).toThrow(
      "Peer.cidr(cidr, { except }): '203.0.113.128/25' is not a list of CIDRs. Fix: wrap it in a list",
    );
    expect(() => untyped.cidr('203.0.113.0/24', null)).toThrow('is not an options object');
  });

  test('a null selector beside labels selects by the labels, never by nothing', () => {
    const peer = Peer.pods({ namespace: 'ext', labels: { app: 'a' }, selector: null as never });
    expect(peer.toPeerSpec()).toEqual({ kind: 'pods', namespace: 'ext', selector: { matchLabels: { app: 'a' } } });
  });
});
