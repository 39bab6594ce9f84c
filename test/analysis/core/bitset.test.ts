import * as fc from 'fast-check';
import {
  countBySegments, emptyBitset, orIntersectionInto, forEachBit, fullBitset, hasBit, popcount32, setBit, setRange,
  transpose32, transposeBlockColumn, wordCount, wordSegments,
} from '../../../src/analysis/core/bitset';

const bitOf = (word: number, bit: number): number => Math.floor(word / 2 ** bit) % 2;

describe('bitset', () => {
  test('fullBitset leaves padding bits clear so counts are exact', () => {
    for (const size of [0, 1, 31, 32, 33, 100]) {
      const bits = fullBitset(size);
      expect(bits.length).toBe(wordCount(size));
      const counts = new Float64Array(1);
      expect(countBySegments(bits, wordSegments([{ start: 0, end: bits.length * 32 }], bits.length * 32), counts)).toBe(size);
    }
  });

  test('setRange and forEachBit agree with a plain array', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 200 }).chain((size) => fc.tuple(
      fc.constant(size),
      fc.uniqueArray(fc.integer({ min: 0, max: size - 1 })),
      fc.integer({ min: 0, max: size }),
      fc.integer({ min: 0, max: size }),
    )), ([size, members, a, b]) => {
      const bits = emptyBitset(size);
      members.forEach((index) => setBit(bits, index));
      const [start, end] = a <= b ? [a, b] : [b, a];
      const visited: number[] = [];
      forEachBit(bits, (index) => visited.push(index));
      expect(visited).toEqual([...members].sort((x, y) => x - y));
      const range = emptyBitset(size);
      setRange(range, start, end);
      for (let index = 0; index < size; index++) expect(hasBit(range, index)).toBe(index >= start && index < end);
    }));
  });

  test('popcount32 counts bits of unsigned 32-bit words', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (word) => {
      expect(popcount32(word)).toBe(word.toString(2).split('').filter((digit) => digit === '1').length);
    }));
  });

  test('transpose32 transposes a 32x32 bit block', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 32, maxLength: 32 }), (rows) => {
      const block = Uint32Array.from(rows);
      transpose32(block);
      const mismatches: string[] = [];
      for (let r = 0; r < 32; r++) {
        for (let c = 0; c < 32; c++) {
          if (bitOf(block[c], r) !== bitOf(rows[r], c)) mismatches.push(`${r},${c}`);
        }
      }
      expect(mismatches).toEqual([]);
    }), { numRuns: 50 });
  });

  test('transposeBlockColumn yields each column of a bit matrix', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100 }).chain((size) => fc.tuple(
      fc.constant(size),
      fc.array(fc.uniqueArray(fc.integer({ min: 0, max: size - 1 })), { minLength: size, maxLength: size }),
    )), ([size, matrix]) => {
      const words = wordCount(size);
      const rows = matrix.map((members) => {
        const bits = emptyBitset(size);
        members.forEach((index) => setBit(bits, index));
        return bits;
      });
      const out = new Uint32Array(32 * words);
      for (let blockColumn = 0; blockColumn < words; blockColumn++) {
        transposeBlockColumn(rows, blockColumn, words, out);
        const mismatches: string[] = [];
        for (let b = 0; b < 32 && blockColumn * 32 + b < size; b++) {
          const column = out.subarray(b * words, (b + 1) * words);
          for (let row = 0; row < size; row++) {
            if (hasBit(column, row) !== matrix[row].includes(blockColumn * 32 + b)) mismatches.push(`${row},${blockColumn * 32 + b}`);
          }
        }
        expect(mismatches).toEqual([]);
      }
    }), { numRuns: 30 });
  });

  test('countBySegments counts the members of each contiguous group', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 150 }).chain((size) => fc.tuple(
      fc.constant(size),
      fc.uniqueArray(fc.integer({ min: 1, max: size - 1 }), { maxLength: 20 }),
      fc.uniqueArray(fc.integer({ min: 0, max: size - 1 })),
    )), ([size, cuts, members]) => {
      const bounds = [0, ...[...cuts].sort((a, b) => a - b), size];
      const groups = bounds.slice(1).map((end, index) => ({ start: bounds[index], end }));
      const bits = emptyBitset(size);
      members.forEach((index) => setBit(bits, index));
      const counts = new Float64Array(groups.length);
      const total = countBySegments(bits, wordSegments(groups, size), counts);
      expect(total).toBe(members.length);
      expect([...counts]).toEqual(groups.map((group) => members.filter((index) => index >= group.start && index < group.end).length));
    }));
  });

  test('orIntersectionInto adds the members of both sets only', () => {
    const target = emptyBitset(40);
    const a = emptyBitset(40);
    const b = emptyBitset(40);
    [1, 2, 35].forEach((index) => setBit(a, index));
    [2, 35, 36].forEach((index) => setBit(b, index));
    setBit(target, 7);
    orIntersectionInto(target, a, b);
    const members: number[] = [];
    forEachBit(target, (index) => members.push(index));
    expect(members).toEqual([2, 7, 35]);
  });
});
