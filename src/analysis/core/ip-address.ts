/**
 * IPv4/IPv6 addresses and CIDRs as integers, for CIDR peers such as NetworkPolicy `ipBlock`
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource).
 *
 * Parsing follows the API server's legacy ("sloppy") rules, which accept leading zeros in IPv4 octets as
 * decimal and mask host bits off a CIDR (10.0.0.1/24 acts as 10.0.0.0/24).
 *
 * IPv4-mapped IPv6 addresses and blocks (inside `::ffff:0:0/96`, RFC 4291 section 2.5.5.2) are read as the
 * IPv4 address or block they map, as Go's net package does: `IPNet.Contains` converts both the network
 * and the address with `To4()` (https://pkg.go.dev/net#IPNet.Contains), and the CNIs that enforce ipBlock
 * (Calico, Cilium) are written in Go. So `::ffff:a00:0/104` matches 10.1.2.3, as it does on those CNIs.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

export interface Cidr {
  readonly family: IpFamily;
  readonly prefix: number;
  /** Lowest address of the block. */
  readonly first: bigint;
  /** Highest address of the block. */
  readonly last: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return undefined;
    const octet = Number.parseInt(part, 10);
    if (octet > 255) return undefined;
    value = value * 256n + BigInt(octet);
  }
  return value;
}

function parseHexGroups(text: string): bigint[] | undefined {
  if (text === '') return [];
  const groups: bigint[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push(v4 / 65536n, v4 % 65536n);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(BigInt(`0x${part}`));
    } else {
      return undefined;
    }
  }
  return groups;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseHexGroups(halves[0]);
  const tail = halves.length === 2 ? parseHexGroups(halves[1]) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<bigint>(halves.length === 2 ? missing : 0).fill(0n), ...tail];
  return groups.reduce((acc, group) => acc * 65536n + group, 0n);
}

const IPV4_SPACE = 2n ** 32n;
/** `::ffff:0:0`, the first IPv4-mapped IPv6 value. */
const MAPPED_BASE = 0xffffn * IPV4_SPACE;

/** The IPv4 value of an IPv4-mapped IPv6 value, or undefined. */
function mappedIpv4(value: bigint): bigint | undefined {
  return value >= MAPPED_BASE && value < MAPPED_BASE + IPV4_SPACE ? value - MAPPED_BASE : undefined;
}

export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    if (value === undefined) return undefined;
    const v4 = mappedIpv4(value);
    return v4 === undefined ? { family: 6, value } : { family: 4, value: v4 };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

export function familyBits(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  let address = parseIpAddress(addressText);
  let prefix = Number.parseInt(prefixText, 10);
  // A mapped address with a prefix inside the mapped range is an IPv4 block; a shorter prefix stays IPv6
  // (Go's To4() of the masked network is nil then).
  if (address?.family === 4 && addressText.includes(':')) {
    if (prefix >= 96) prefix -= 96;
    else address = { family: 6, value: MAPPED_BASE + address.value };
  }
  if (address === undefined) return undefined;
  const bits = familyBits(address.family);
  if (prefix > bits) return undefined;
  const blockSize = 2n ** BigInt(bits - prefix);
  const first = address.value - (address.value % blockSize);
  return { family: address.family, prefix, first, last: first + blockSize - 1n };
}

export function cidrContainsAddress(cidr: Cidr, address: IpAddress): boolean {
  return cidr.family === address.family && address.value >= cidr.first && address.value <= cidr.last;
}

/** True when `inner` lies inside `outer` with a strictly longer prefix, as `except` entries must. */
export function isStrictSubnet(inner: Cidr, outer: Cidr): boolean {
  return inner.family === outer.family && inner.prefix > outer.prefix && inner.first >= outer.first && inner.last <= outer.last;
}

/** A CIDR minus some exceptions (NetworkPolicy `ipBlock`, and the CIDR peers of other dialects). */
export interface CidrBlock {
  readonly cidr: Cidr;
  readonly except: readonly Cidr[];
}

/** Equal for blocks that cover the same addresses by construction (the order of `except` does not matter); a cache key. */
export function cidrBlockKey(block: CidrBlock): string {
  return `${block.cidr.family}|${block.cidr.first}/${block.cidr.prefix}|${block.except.map((cidr) => `${cidr.first}/${cidr.prefix}`).sort().join(',')}`;
}

/** The text of an address: dotted IPv4, or IPv6 in the RFC 5952 form (lowercase, the longest run of zero groups as `::`). */
export function formatIpAddress(address: IpAddress): string {
  if (address.family === 4) {
    return [16777216n, 65536n, 256n, 1n].map((unit) => String((address.value / unit) % 256n)).join('.');
  }
  const groups = Array.from({ length: 8 }, (_unused, index) => Number((address.value / 65536n ** BigInt(7 - index)) % 65536n));
  let best = { start: -1, length: 0 };
  for (let start = 0; start < 8;) {
    if (groups[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > best.length && end - start > 1) best = { start, length: end - start };
    start = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}
