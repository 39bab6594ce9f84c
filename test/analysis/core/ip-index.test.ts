import { forEachBit } from '../../../src/analysis/core/bitset';
import { parseCidr, parseIpAddress } from '../../../src/analysis/core/ip-address';
import { IpIndex } from '../../../src/analysis/core/ip-index';

describe('IpIndex', () => {
  const endpoints = [
    { index: 0, ips: [parseIpAddress('10.0.0.1')!] },
    { index: 1, ips: [parseIpAddress('10.0.0.200')!, parseIpAddress('fd00::1')!] },
    { index: 2, ips: [] },
    { index: 3, ips: [parseIpAddress('10.0.1.1')!] },
  ];
  const index = new IpIndex(5, endpoints);
  const select = (cidr: string, except: string[] = []): number[] => {
    const found: number[] = [];
    forEachBit(index.select({ cidr: parseCidr(cidr)!, except: except.map((text) => parseCidr(text)!) }), (bit) => found.push(bit));
    return found;
  };

  test('selects endpoints with an address in the block, per family', () => {
    expect(select('10.0.0.0/24')).toEqual([0, 1]);
    expect(select('10.0.0.0/16')).toEqual([0, 1, 3]);
    expect(select('fd00::/64')).toEqual([1]);
    expect(select('0.0.0.0/0', ['10.0.0.128/25'])).toEqual([0, 3]);
    expect(select('192.0.2.0/24')).toEqual([]);
  });
});
