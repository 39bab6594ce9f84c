/* eslint-disable no-bitwise -- this module is the one place where endpoint sets are packed into 32-bit words. */

/**
 * Fixed-size sets of endpoint indices packed into 32-bit words.
 *
 * With 10,000 endpoints a set is 313 words, so unions, intersections and counts over 10^8 ordered pairs
 * stay in the millions of word operations instead of 10^8 object lookups.
 */
export type Bitset = Uint32Array;

export function wordCount(size: number): number {
  return (size + 31) >>> 5;
}

export function emptyBitset(size: number): Bitset {
  return new Uint32Array(wordCount(size));
}

/** A set holding every index below `size` (the padding bits of the last word stay clear so counts stay exact). */
export function fullBitset(size: number): Bitset {
  const bits = new Uint32Array(wordCount(size));
  bits.fill(0xffffffff);
  const tail = size & 31;
  if (tail !== 0) {
    bits[bits.length - 1] = (1 << tail) - 1;
  }
  return bits;
}

export function setBit(bits: Bitset, index: number): void {
  bits[index >>> 5] |= 1 << (index & 31);
}

export function hasBit(bits: Bitset, index: number): boolean {
  return (bits[index >>> 5] & (1 << (index & 31))) !== 0;
}

/** The indices in exactly one of `a` and `b` (same size), or undefined when the sets are equal. */
export function differingBits(a: Bitset, b: Bitset): Bitset | undefined {
  if (a === b) return undefined;
  let out: Bitset | undefined;
  for (let w = 0; w < a.length; w++) {
    const x = a[w] ^ b[w];
    if (x === 0) continue;
    out ??= new Uint32Array(a.length);
    out[w] = x;
  }
  return out;
}

/** Sets every index in [start, end). */
export function setRange(bits: Bitset, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    bits[i >>> 5] |= 1 << (i & 31);
  }
}

export function orInto(target: Bitset, source: Bitset): void {
  for (let i = 0; i < target.length; i++) {
    target[i] |= source[i];
  }
}

export function andInto(target: Bitset, source: Bitset): void {
  for (let i = 0; i < target.length; i++) {
    target[i] &= source[i];
  }
}

/** Adds to `target` the members of both `a` and `b`, without building their intersection. */
export function orIntersectionInto(target: Bitset, a: Bitset, b: Bitset): void {
  for (let i = 0; i < target.length; i++) {
    target[i] |= a[i] & b[i];
  }
}

export function andNotInto(target: Bitset, source: Bitset): void {
  for (let i = 0; i < target.length; i++) {
    target[i] &= ~source[i];
  }
}

export function popcount32(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

export function forEachBit(bits: Bitset, visit: (index: number) => void): void {
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w];
    while (word !== 0) {
      const low = word & -word;
      visit((w << 5) + 31 - Math.clz32(low));
      word ^= low;
    }
  }
}

/**
 * Transposes a 32×32 bit block in place: afterwards bit r of `block[c]` is what bit c of `block[r]` was.
 * Classic recursive block swap: exchange the off-diagonal 16×16 halves, then 8×8 inside them, and so on.
 */
export function transpose32(block: Uint32Array): void {
  let mask = 0x0000ffff;
  for (let width = 16; width !== 0; width >>>= 1, mask ^= mask << width) {
    for (let k = 0; k < 32; k = ((k | width) + 1) & ~width) {
      const swap = ((block[k] >>> width) ^ block[k | width]) & mask;
      block[k] ^= swap << width;
      block[k | width] ^= swap;
    }
  }
}

/**
 * Reads column block `blockColumn` (endpoints 32·blockColumn … +31) of a square bit matrix given by rows,
 * transposed: afterwards `out[b * rowWords + w]` holds, for column 32·blockColumn+b, the bits of rows
 * 32·w … 32·w+31. Rows past `rows.length` read as zero.
 */
export function transposeBlockColumn(rows: readonly Bitset[], blockColumn: number, rowWords: number, out: Uint32Array): void {
  const block = new Uint32Array(32);
  for (let blockRow = 0; blockRow < rowWords; blockRow++) {
    const base = blockRow << 5;
    for (let k = 0; k < 32; k++) {
      const row = rows[base + k];
      block[k] = row === undefined ? 0 : row[blockColumn];
    }
    transpose32(block);
    for (let b = 0; b < 32; b++) out[b * rowWords + blockRow] = block[b];
  }
}

/**
 * The pieces of contiguous index ranges ("groups") that fall in each word, so per-group counts of a set
 * touch only its non-zero words: segments of word w are [wordStart[w], wordStart[w + 1]).
 */
export interface WordSegments {
  readonly wordStart: Int32Array;
  readonly mask: Uint32Array;
  readonly group: Int32Array;
}

/** @param groups disjoint, sorted [start, end) ranges */
export function wordSegments(groups: readonly { readonly start: number; readonly end: number }[], size: number): WordSegments {
  const words = wordCount(size);
  const perWord: { mask: number; group: number }[][] = Array.from({ length: words }, () => []);
  groups.forEach((range, group) => {
    if (range.end <= range.start) return;
    for (let w = range.start >>> 5; w <= (range.end - 1) >>> 5; w++) {
      const from = Math.max(range.start, w << 5) & 31;
      const to = Math.min(range.end, (w + 1) << 5) - (w << 5);
      const high = to === 32 ? 0xffffffff : (1 << to) - 1;
      perWord[w].push({ mask: (high & ~((1 << from) - 1)) >>> 0, group });
    }
  });
  const wordStart = new Int32Array(words + 1);
  const total = perWord.reduce((sum, list) => sum + list.length, 0);
  const mask = new Uint32Array(total);
  const group = new Int32Array(total);
  let next = 0;
  perWord.forEach((list, w) => {
    wordStart[w] = next;
    for (const segment of list) {
      mask[next] = segment.mask;
      group[next] = segment.group;
      next++;
    }
  });
  wordStart[words] = next;
  return { wordStart, mask, group };
}

/** Adds to `counts[group]` the members of `bits` in each group; returns the total added. */
export function countBySegments(bits: Bitset, segments: WordSegments, counts: Float64Array): number {
  let total = 0;
  for (let w = 0; w < bits.length; w++) {
    const word = bits[w];
    if (word === 0) continue;
    for (let s = segments.wordStart[w]; s < segments.wordStart[w + 1]; s++) {
      const count = popcount32(word & segments.mask[s]);
      counts[segments.group[s]] += count;
      total += count;
    }
  }
  return total;
}
