/** CIDR parsing for peers: IPv4 and IPv6, canonical (masked) form, strict containment. */
/* eslint-disable no-bitwise -- addresses are bigints; masking is what this module does */

export interface ParsedCidr {
  readonly family: 4 | 6;
  /** The network address as an unsigned integer. */
  readonly address: bigint;
  readonly prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // Leading zeros are rejected: Kubernetes' strict CIDR validation treats them as ambiguous (octal).
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.includes(':::')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : halves[1].split(':')) : [];
  if (halves.length === 2 && head.length + tail.length > 7) return undefined;
  const groups = halves.length === 2 ? [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (groups.length !== 8) return undefined;
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

/** Parses `a.b.c.d/n` or `x:y::z/n`; undefined when it is not a CIDR. */
export function parseCidr(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0 || slash !== text.lastIndexOf('/')) return undefined;
  const ip = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const v4 = parseIpv4(ip);
  if (v4 !== undefined) return prefix <= 32 ? { family: 4, address: v4, prefix } : undefined;
  const v6 = parseIpv6(ip);
  if (v6 !== undefined) return prefix <= 128 ? { family: 6, address: v6, prefix } : undefined;
  return undefined;
}

function bits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

function mask(family: 4 | 6, prefix: number): bigint {
  const width = BigInt(bits(family));
  return ((1n << width) - 1n) ^ ((1n << (width - BigInt(prefix))) - 1n);
}

/** The same network with host bits cleared. */
export function maskCidr(cidr: ParsedCidr): ParsedCidr {
  return { ...cidr, address: cidr.address & mask(cidr.family, cidr.prefix) };
}

export function isCanonical(cidr: ParsedCidr): boolean {
  return maskCidr(cidr).address === cidr.address;
}

/** Text form: dotted quad, or RFC 5952 IPv6 (lowercase, longest zero run compressed). */
export function formatCidr(cidr: ParsedCidr): string {
  return `${formatAddress(cidr.family, cidr.address)}/${cidr.prefix}`;
}

function formatAddress(family: 4 | 6, address: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((address >> shift) & 255n)).join('.');
  }
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((address >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** True when `inner` lies inside `outer` with a strictly longer prefix (Kubernetes `except` rule). */
export function strictlyContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.family !== inner.family || inner.prefix <= outer.prefix) return false;
  const m = mask(outer.family, outer.prefix);
  return (inner.address & m) === (outer.address & m);
}

const MAPPED_PREFIX = 0xffffn << 32n;

/**
 * The IPv4 network an IPv4-mapped IPv6 network (inside `::ffff:0:0/96`, RFC 4291 section 2.5.5.2)
 * stands for, or undefined. CNIs built on Go's net package match such a block against IPv4
 * addresses (`net.IPNet.Contains` converts a mapped network to its 4-byte form), so it reaches
 * the same addresses as the IPv4 network.
 */
export function ipv4Mapped(cidr: ParsedCidr): ParsedCidr | undefined {
  if (cidr.family !== 6 || cidr.prefix < 96 || cidr.address >> 32n !== 0xffffn) return undefined;
  return { family: 4, address: cidr.address & 0xffffffffn, prefix: cidr.prefix - 96 };
}

/** The IPv4-mapped IPv6 form of an IPv4 network. */
export function mappedIpv6(cidr: ParsedCidr): ParsedCidr {
  return { family: 6, address: MAPPED_PREFIX | cidr.address, prefix: cidr.prefix + 96 };
}
