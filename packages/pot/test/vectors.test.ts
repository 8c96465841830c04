import { loadVectors, VectorClaims } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import {
  genesisSlotInput,
  globalChallenge,
  globalRandomness,
  nextSlotInput,
  PotVerifier,
  potCheckpointsOutput,
  potKeyFromSeed,
  prove,
  proveWithKey,
  slotGlobalChallenge,
  verify,
  verifyWithKey,
} from '../src/index.js';
import { cat, engines, expectPotError, hex, toHex } from './helpers.js';

interface Slot {
  slot: number;
  seed_hex: string;
  key_hex?: string;
  slot_iterations: number;
  expected_checkpoints_hex?: string[];
  expected_output_hex?: string;
}
type Vector = { id: string } & Record<string, any>;
const file = loadVectors<{ vectors: Vector[] }>('pot.json');
const byId = new Map(file.vectors.map((v) => [v.id, v]));
const claims = new VectorClaims(file.vectors.map((v) => v.id));
const vector = (id: string): Vector => {
  claims.claim(id);
  const v = byId.get(id);
  if (v === undefined) throw new Error(`no vector ${id}`);
  return v;
};

describe('pot.json', () => {
  it('pot.aes.create_verify', () => {
    const v = vector('pot.aes.create_verify');
    const seed = hex(v.seed_hex);
    const key = hex(v.key_hex);
    const k = v.checkpoint_iterations as number;
    expect(k * 8).toBe(v.total_iterations);
    for (const engine of engines) {
      const checkpoints = proveWithKey(seed, key, k, { engine });
      expect(toHex(checkpoints)).toBe(v.expected_checkpoints_hex.join(''));
      expect(toHex(checkpoints.subarray(112))).toBe(v.expected_output_hex);
      expect(verifyWithKey(seed, key, k, checkpoints, { engine })).toBe(true);
      for (const neg of v.negative_cases as Vector[]) {
        const cp = checkpoints.slice();
        if (neg.checkpoints_hex_override)
          cp.set(hex(neg.checkpoints_hex_override.value), neg.checkpoints_hex_override.index * 16);
        const ok = verifyWithKey(
          neg.seed_hex ? hex(neg.seed_hex) : seed,
          neg.key_hex ? hex(neg.key_hex) : key,
          neg.checkpoint_iterations ?? k,
          cp,
          { engine },
        );
        expect(ok, neg.what).toBe(neg.expect_verify);
      }
    }
  });

  it('pot.prove.derived_key.160', () => {
    const v = vector('pot.prove.derived_key.160');
    const seed = hex(v.seed_hex);
    expect(toHex(potKeyFromSeed(seed))).toBe(v.derived_key_hex);
    for (const engine of engines) {
      const checkpoints = prove(seed, v.slot_iterations, { engine });
      expect(toHex(checkpoints)).toBe(v.expected_checkpoints_hex.join(''));
      expect(verify(seed, v.slot_iterations, checkpoints, { engine })).toBe(true);
    }
  });

  it('pot.chain.512', async () => {
    const v = vector('pot.chain.512');
    const s1 = v.slot1 as Slot;
    const s2 = v.slot2 as Slot;
    expect(toHex(potKeyFromSeed(hex(s1.seed_hex)))).toBe(s1.key_hex);
    const cp1 = prove(hex(s1.seed_hex), s1.slot_iterations);
    expect(toHex(cp1)).toBe(s1.expected_checkpoints_hex!.join(''));
    const next = nextSlotInput(BigInt(s1.slot), s1.slot_iterations, potCheckpointsOutput(cp1));
    expect(next).toEqual({
      slot: BigInt(s2.slot),
      slotIterations: s2.slot_iterations,
      seed: hex(s2.seed_hex),
    });
    const cp2 = prove(next.seed, next.slotIterations);
    expect(toHex(cp2)).toBe(s2.expected_checkpoints_hex!.join(''));
    // verifier/tests.rs test_basic: 1 and 2 slots from slot 1 end at these outputs.
    const verifier = new PotVerifier();
    const input = { slot: 1n, slotIterations: 512, seed: hex(s1.seed_hex) };
    expect(await verifier.isOutputValid(input, 1, potCheckpointsOutput(cp1))).toBe(true);
    expect(await verifier.isOutputValid(input, 2, potCheckpointsOutput(cp2))).toBe(true);
    expect(await verifier.isOutputValid(input, 2, potCheckpointsOutput(cp1))).toBe(false);
    expect(
      await verifier.isOutputValid({ ...input, slotIterations: 1024 }, 1, potCheckpointsOutput(cp1)),
    ).toBe(false);
  });

  it('pot.chain.parameters_change', async () => {
    const v = vector('pot.chain.parameters_change');
    const s1 = v.slot1 as Slot;
    const s2 = v.slot2 as Slot;
    const s3 = v.slot3 as Slot;
    const change = { slot: BigInt(s2.slot), slotIterations: s2.slot_iterations, entropy: hex(v.entropy_hex) };
    const out1 = potCheckpointsOutput(prove(hex(s1.seed_hex), s1.slot_iterations));
    expect(toHex(out1)).toBe(s1.expected_output_hex);
    const in2 = nextSlotInput(1n, s1.slot_iterations, out1, change);
    expect(in2).toEqual({ slot: 2n, slotIterations: 1024, seed: hex(s2.seed_hex) });
    expect(toHex(potKeyFromSeed(in2.seed))).toBe(s2.key_hex);
    const cp2 = prove(in2.seed, in2.slotIterations);
    expect(toHex(cp2)).toBe(s2.expected_checkpoints_hex!.join(''));
    const in3 = nextSlotInput(2n, in2.slotIterations, potCheckpointsOutput(cp2), change);
    expect(in3).toEqual({ slot: 3n, slotIterations: s3.slot_iterations, seed: hex(s3.seed_hex) });
    const cp3 = prove(in3.seed, in3.slotIterations);
    expect(toHex(cp3)).toBe(s3.expected_checkpoints_hex!.join(''));
    // Without the change the chain differs from slot 2 on; with it, 3 slots re-derive exactly.
    const verifier = new PotVerifier();
    const input = { slot: 1n, slotIterations: 512, seed: hex(s1.seed_hex) };
    expect(await verifier.isOutputValid(input, 3, potCheckpointsOutput(cp3), change)).toBe(true);
    expect(await verifier.isOutputValid(input, 3, potCheckpointsOutput(cp3))).toBe(false);
  });

  it('pot.randomness_and_challenge', () => {
    const v = vector('pot.randomness_and_challenge');
    const output = hex(v.pot_output_hex);
    const randomness = globalRandomness(output);
    expect(toHex(randomness)).toBe(v.expected_global_randomness_hex);
    expect(toHex(globalChallenge(randomness, BigInt(v.slot)))).toBe(v.expected_global_challenge_hex);
    expect(toHex(slotGlobalChallenge(output, BigInt(v.slot)))).toBe(v.expected_global_challenge_hex);
  });

  it('pot.genesis_seed', () => {
    const v = vector('pot.genesis_seed');
    for (const c of v.cases as Vector[]) {
      const input = genesisSlotInput(hex(c.genesis_hash_hex), c.external_entropy_utf8, 512);
      expect(input.slot).toBe(1n);
      expect(toHex(input.seed)).toBe(c.expected_seed_hex);
    }
  });

  it('pot.errors', () => {
    const v = vector('pot.errors');
    const seed = cat(['d666ccd8d593c23da8db6b5b1413b13a']);
    for (const c of (v.cases as Vector[]).filter((c) => typeof c.slot_iterations === 'number')) {
      const e = expectPotError(() => prove(seed, c.slot_iterations), 'POT_NOT_MULTIPLE_OF_CHECKPOINTS');
      expect(e.type).toEqual({ code: 'POT_NOT_MULTIPLE_OF_CHECKPOINTS', slotIterations: c.slot_iterations });
      expectPotError(
        () => verify(seed, c.slot_iterations, new Uint8Array(128)),
        'POT_NOT_MULTIPLE_OF_CHECKPOINTS',
      );
    }
    // The third case (set_pot_slot_iterations must strictly increase; one scheduled update at a
    // time) is a runtime rule of pallet-subspace, checked in @autonomys/node, not a PoT function.
    expect((v.cases as Vector[]).some((c) => typeof c.note === 'string')).toBe(true);
  });

  it('claims every vector id of pot.json', () => {
    expect(claims.unclaimed()).toEqual([]);
  });
});
