import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  decodeSolution,
  encodeSolution,
  genesisSolution,
  PrimitivesError,
  SOLUTION_SIZE,
  type Solution,
} from '../src/index.js';
import { polkadotEncodeSolution } from './polkadot-oracle.js';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const arbSolution: fc.Arbitrary<Solution> = fc.record({
  publicKey: bytes(32),
  rewardAddress: bytes(32),
  sectorIndex: fc.integer({ min: 0, max: 65535 }),
  historySize: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
  pieceOffset: fc.integer({ min: 0, max: 65535 }),
  recordCommitment: bytes(48),
  recordWitness: bytes(48),
  chunk: bytes(32),
  chunkWitness: bytes(48),
  proofOfSpace: bytes(160),
});

describe('Solution (farming §6)', () => {
  it('is 412 bytes and encodes exactly as @polkadot/types does', () =>
    fc.assert(
      fc.property(arbSolution, (s) => {
        const enc = encodeSolution(s);
        expect(enc.length).toBe(SOLUTION_SIZE);
        expect(SOLUTION_SIZE).toBe(412);
        expect(bytesToHex(enc)).toBe(polkadotEncodeSolution(s));
        expect(decodeSolution(enc)).toEqual(s);
      }),
      { numRuns: 100 },
    ));
  it('genesis solution: history size 1, everything else zero', () => {
    const pk = new Uint8Array(32).fill(1);
    const ra = new Uint8Array(32).fill(2);
    const enc = encodeSolution(genesisSolution(pk, ra));
    expect(enc.subarray(0, 32)).toEqual(pk);
    expect(enc.subarray(32, 64)).toEqual(ra);
    expect(bytesToHex(enc.subarray(64, 76))).toBe('0000' + '0100000000000000' + '0000');
    expect(enc.subarray(76).every((b) => b === 0)).toBe(true);
  });
  it('rejects wrong sizes and a zero history size', () => {
    expect(() => decodeSolution(new Uint8Array(411))).toThrow(PrimitivesError);
    expect(() => decodeSolution(new Uint8Array(412))).toThrow(/history size/);
    const s = genesisSolution(new Uint8Array(32), new Uint8Array(32));
    expect(() => encodeSolution({ ...s, chunk: new Uint8Array(31) })).toThrow(PrimitivesError);
    expect(() => encodeSolution({ ...s, sectorIndex: 70000 })).toThrow(PrimitivesError);
  });
  it('fuzz: random bytes only ever throw PrimitivesError', () =>
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 500 }), bytes(412)), (b) => {
        try {
          expect(encodeSolution(decodeSolution(b))).toEqual(b);
        } catch (e) {
          expect(e).toBeInstanceOf(PrimitivesError);
        }
      }),
    ));
});
