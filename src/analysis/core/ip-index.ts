import { Bitset, emptyBitset, setBit } from './bitset';
import { CidrBlock, cidrContainsAddress, IpAddress } from './ip-address';

interface IndexedAddress {
  readonly value: bigint;
  readonly endpoint: number;
}

/** Endpoint addresses sorted per family, so an ipBlock is a binary search plus a scan of the matching addresses. */
export class IpIndex {
  private readonly byFamily: Record<4 | 6, IndexedAddress[]> = { 4: [], 6: [] };

  constructor(private readonly size: number, endpoints: readonly { readonly index: number; readonly ips: readonly IpAddress[] }[]) {
    for (const endpoint of endpoints) {
      for (const ip of endpoint.ips) this.byFamily[ip.family].push({ value: ip.value, endpoint: endpoint.index });
    }
    for (const list of Object.values(this.byFamily)) list.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  }

  /** Endpoints having at least one address inside `cidr` and outside every `except`. */
  select(block: CidrBlock): Bitset {
    const bits = emptyBitset(this.size);
    const list = this.byFamily[block.cidr.family];
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (list[middle].value < block.cidr.first) low = middle + 1; else high = middle;
    }
    for (let i = low; i < list.length && list[i].value <= block.cidr.last; i++) {
      const address: IpAddress = { family: block.cidr.family, value: list[i].value };
      if (!block.except.some((except) => cidrContainsAddress(except, address))) setBit(bits, list[i].endpoint);
    }
    return bits;
  }
}
