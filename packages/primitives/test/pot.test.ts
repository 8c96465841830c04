import { hex, loadVectors, VectorClaims } from '@autonomys/test-utils';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  blake3,
  bytesToHex,
  globalChallenge,
  globalRandomness,
  PrimitivesError,
  potCheckpoint,
  potCheckpointsOutput,
  potKeyFromSeed,
  potOutputToSeed,
  potOutputToSeedWithEntropy,
  potSeedFromGenesis,
  slotGlobalChallenge,
} from '../src/index.js';

interface PotVector {
  id: string;
  [k: string]: unknown;
}
const pot = loadVectors<{ vectors: PotVector[] }>('pot.json');
const byId = (id: string) => pot.vectors.find((v) => v.id === id)!;
// This package owns the derivations; the AES chain vectors belong to @autonomys/pot.
const claims = new VectorClaims(['pot.randomness_and_challenge', 'pot.genesis_seed']);

describe('slot challenge derivations (pot A.8, farming §5)', () => {
  it(claims.claim('pot.randomness_and_challenge'), () => {
    const v = byId('pot.randomness_and_challenge') as PotVector & {
      pot_output_hex: string;
      slot: number;
      expected_global_randomness_hex: string;
      expected_global_challenge_hex: string;
    };
    const randomness = globalRandomness(hex(v.pot_output_hex));
    expect(bytesToHex(randomness)).toBe(v.expected_global_randomness_hex);
    expect(bytesToHex(globalChallenge(randomness, BigInt(v.slot)))).toBe(v.expected_global_challenge_hex);
    expect(bytesToHex(slotGlobalChallenge(hex(v.pot_output_hex), BigInt(v.slot)))).toBe(
      v.expected_global_challenge_hex,
    );
  });

  it('the challenge hashes the slot as u64 little-endian', () =>
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        (r, slot) => {
          const input = new Uint8Array(40);
          input.set(r);
          new DataView(input.buffer).setBigUint64(32, slot, true);
          expect(globalChallenge(r, slot)).toEqual(blake3(input));
        },
      ),
      { numRuns: 50 },
    ));

  it('rejects bad sizes and slots', () => {
    expect(() => globalRandomness(new Uint8Array(15))).toThrow(PrimitivesError);
    expect(() => globalChallenge(new Uint8Array(32), -1n)).toThrow(PrimitivesError);
    expect(() => globalChallenge(new Uint8Array(32), 2n ** 64n)).toThrow(PrimitivesError);
    expect(() => globalChallenge(new Uint8Array(31), 1n)).toThrow(PrimitivesError);
  });
});

describe('PoT seeds and keys (pot A.2, A.4)', () => {
  it(claims.claim('pot.genesis_seed'), () => {
    const v = byId('pot.genesis_seed') as PotVector & {
      cases: { genesis_hash_hex: string; external_entropy_utf8: string; expected_seed_hex: string }[];
    };
    expect(v.cases.length).toBeGreaterThan(0);
    for (const c of v.cases) {
      const seed = potSeedFromGenesis(
        hex(c.genesis_hash_hex),
        new TextEncoder().encode(c.external_entropy_utf8),
      );
      expect(bytesToHex(seed)).toBe(c.expected_seed_hex);
    }
  });

  it('derives the key as the first half of BLAKE3(seed) (vector pot.prove.derived_key.160)', () => {
    const v = byId('pot.prove.derived_key.160') as PotVector & { seed_hex: string; derived_key_hex: string };
    expect(bytesToHex(potKeyFromSeed(hex(v.seed_hex)))).toBe(v.derived_key_hex);
  });

  it('chains outputs to seeds, with entropy injection hashing entropy ‖ output', () => {
    const out = Uint8Array.from({ length: 16 }, (_, i) => i);
    expect(potOutputToSeed(out)).toEqual(out);
    const entropy = new Uint8Array(32).fill(1);
    const input = new Uint8Array(48);
    input.set(entropy);
    input.set(out, 32);
    expect(potOutputToSeedWithEntropy(out, entropy)).toEqual(blake3(input).slice(0, 16));
    expect(() => potOutputToSeedWithEntropy(out, new Uint8Array(31))).toThrow(PrimitivesError);
    expect(() => potKeyFromSeed(new Uint8Array(17))).toThrow(PrimitivesError);
    expect(() => potSeedFromGenesis(new Uint8Array(31), new Uint8Array())).toThrow(PrimitivesError);
  });

  it('slices checkpoints; the output is the last one', () => {
    const cps = Uint8Array.from({ length: 128 }, (_, i) => i);
    expect(potCheckpoint(cps, 0)).toEqual(cps.subarray(0, 16));
    expect(potCheckpointsOutput(cps)).toEqual(cps.subarray(112));
    expect(() => potCheckpoint(cps, 8)).toThrow(PrimitivesError);
    expect(() => potCheckpoint(cps.subarray(1), 0)).toThrow(PrimitivesError);
  });
});

afterAll(() => {
  expect(claims.unclaimed()).toEqual([]);
});
