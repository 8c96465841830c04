import { bytesToHex } from '@autonomys/primitives';
import { hex, loadVectors } from '@autonomys/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChaCha8Rng, genIndex, shuffleInPlace } from '../src/chacha.js';

interface ShuffleCase {
  seed: string;
  n?: number;
  shuffled?: number[];
  fill_bytes_128?: string;
}
const { cases } = loadVectors<{ cases: ShuffleCase[] }>('decex-shuffle.json');

describe('ChaCha8Rng + SliceRandom::shuffle (decex-shuffle.json, real rand/rand_chacha outputs)', () => {
  it.each(cases.map((c, i) => ({ ...c, id: `${i}:${c.seed.slice(0, 8)}:${c.n ?? 'fill'}` })))('$id', (c) => {
    const rng = new ChaCha8Rng(hex(c.seed));
    if (c.fill_bytes_128 !== undefined) {
      expect(bytesToHex(rng.fillBytes(new Uint8Array(128)))).toBe(c.fill_bytes_128);
    } else {
      const items = Array.from({ length: c.n! }, (_, i) => i);
      expect(shuffleInPlace(items, rng)).toEqual(c.shuffled);
    }
  });

  it('every vector case is one of the two kinds', () => {
    expect(cases.every((c) => c.fill_bytes_128 !== undefined || c.shuffled !== undefined)).toBe(true);
    expect(cases.length).toBe(18);
  });

  it('genIndex stays in range for any bound (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 0xffffffff }),
        (s, ub) => {
          const r = new ChaCha8Rng(s);
          const j = genIndex(r, ub);
          expect(j).toBeGreaterThanOrEqual(0);
          expect(j).toBeLessThan(ub);
        },
      ),
    );
  });

  it('shuffle is a permutation (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 300 }),
        (s, n) => {
          const out = shuffleInPlace(
            Array.from({ length: n }, (_, i) => i),
            new ChaCha8Rng(s),
          );
          expect([...out].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        },
      ),
    );
  });
});
