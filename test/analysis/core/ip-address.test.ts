import { cidrContainsAddress, formatIpAddress, isStrictSubnet, parseCidr, parseIpAddress } from '../../../src/analysis/core/ip-address';

describe('ip-address', () => {
  test.each([
    ['10.1.2.3', 4, 0x0a010203n],
    ['010.001.002.003', 4, 0x0a010203n],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['2001:db8::ff00:42:8329', 6, 0x20010db8000000000000ff0000428329n],
    // IPv4-mapped IPv6 is the IPv4 address it maps, as Go's net.IP.To4() reads it.
    ['::ffff:10.0.0.1', 4, 0x0a000001n],
    ['::ffff:a00:1', 4, 0x0a000001n],
    ['fe80::', 6, 0xfe800000000000000000000000000000n],
  ])('parses %s', (text, family, value) => {
    expect(parseIpAddress(text)).toEqual({ family, value });
  });

  test.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1.2.3.-1', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1:2:3:4:5:6:7::8'])(
    'rejects %s', (text) => {
      expect(parseIpAddress(text)).toBeUndefined();
    },
  );

  test('parses CIDRs, masking host bits', () => {
    expect(parseCidr('10.0.0.1/24')).toEqual({ family: 4, prefix: 24, first: 0x0a000000n, last: 0x0a0000ffn });
    expect(parseCidr('0.0.0.0/0')).toEqual({ family: 4, prefix: 0, first: 0n, last: 0xffffffffn });
    expect(parseCidr('2001:db8::/32')?.last).toBe(0x20010db8ffffffffffffffffffffffffn);
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('::/129')).toBeUndefined();
    expect(parseCidr('10.0.0.0')).toBeUndefined();
    expect(parseCidr('10.0.0.0/')).toBeUndefined();
  });

  test('IPv4-mapped blocks are the IPv4 blocks they map, as on Go-based CNIs', () => {
    expect(parseCidr('::ffff:a00:0/104')).toEqual(parseCidr('10.0.0.0/8'));
    expect(parseCidr('::ffff:0:0/96')).toEqual(parseCidr('0.0.0.0/0'));
    expect(cidrContainsAddress(parseCidr('::ffff:a00:0/104')!, parseIpAddress('10.1.2.3')!)).toBe(true);
    expect(cidrContainsAddress(parseCidr('10.0.0.0/8')!, parseIpAddress('::ffff:10.1.2.3')!)).toBe(true);
    // A prefix shorter than the mapped range masks the mapping away: an IPv6 block that holds no IPv4 address.
    expect(parseCidr('::ffff:0:0/80')).toEqual(parseCidr('::/80'));
    expect(cidrContainsAddress(parseCidr('::ffff:0:0/80')!, parseIpAddress('10.1.2.3')!)).toBe(false);
    expect(parseCidr('::ffff:a00:0/129')).toBeUndefined();
  });

  test('containment checks family and range', () => {
    const block = parseCidr('10.0.0.0/8')!;
    expect(cidrContainsAddress(block, parseIpAddress('10.255.255.255')!)).toBe(true);
    expect(cidrContainsAddress(block, parseIpAddress('11.0.0.0')!)).toBe(false);
    expect(cidrContainsAddress(block, parseIpAddress('::a00:1')!)).toBe(false);
  });

  test('except entries must be strict subnets', () => {
    const outer = parseCidr('10.0.0.0/16')!;
    expect(isStrictSubnet(parseCidr('10.0.1.0/24')!, outer)).toBe(true);
    expect(isStrictSubnet(parseCidr('10.0.0.0/16')!, outer)).toBe(false);
    expect(isStrictSubnet(parseCidr('10.1.0.0/24')!, outer)).toBe(false);
    expect(isStrictSubnet(parseCidr('10.0.0.0/8')!, outer)).toBe(false);
    expect(isStrictSubnet(parseCidr('::/120')!, parseCidr('::/0')!)).toBe(true);
  });
});

describe('formatIpAddress', () => {
  test.each([
    ['10.96.0.1', '10.96.0.1'],
    ['010.001.000.255', '10.1.0.255'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fd00::2', 'fd00::2'],
    ['::', '::'],
    ['::1', '::1'],
    ['1:0:2:0:3:0:4:0', '1:0:2:0:3:0:4:0'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
  ])('%s -> %s (RFC 5952)', (text, formatted) => {
    expect(formatIpAddress(parseIpAddress(text)!)).toBe(formatted);
  });
});
