/**
 * Proof-of-time values (pot-consensus-dsn A.1, A.2, A.4) and the slot challenge derivations that
 * both farming and proof of time use (A.8, farming §5): one implementation for the workspace.
 */
import { abigint, abytes } from './assert.js';
import { blake3 } from './blake3.js';
import {
  BLAKE3_HASH_SIZE,
  POT_KEY_SIZE,
  POT_NUM_CHECKPOINTS,
  POT_OUTPUT_SIZE,
  POT_SEED_SIZE,
} from './constants.js';
import { PrimitivesError } from './errors.js';
import { U64_MAX } from './scale.js';

/** The 16-byte input of a slot's AES chain. */
export type PotSeed = Uint8Array;
/** The AES-128 key of a slot, derived from its seed. */
export type PotKey = Uint8Array;
/** A slot's proof-of-time output: its last checkpoint. */
export type PotOutput = Uint8Array;
/** A slot's 8 checkpoints, concatenated (128 bytes). */
export type PotCheckpoints = Uint8Array;

/** Byte size of a slot's checkpoints. */
export const POT_CHECKPOINTS_SIZE = POT_OUTPUT_SIZE * POT_NUM_CHECKPOINTS;

/**
 * The AES key of a slot: the first 16 bytes of BLAKE3(seed). pot A.2
 * @example potKeyFromSeed(seed).length // 16
 */
export function potKeyFromSeed(seed: PotSeed): PotKey {
  abytes(seed, POT_SEED_SIZE, 'PoT seed');
  return blake3(seed).slice(0, POT_KEY_SIZE);
}

/**
 * The seed of slot 1: `BLAKE3(genesis_hash ‖ external_entropy)[0..16]`. The external entropy is the
 * UTF-8 bytes of the chain spec's string (not hex-decoded even when it looks like hex). pot A.4
 * @example potSeedFromGenesis(genesisHash, new TextEncoder().encode(''))
 */
export function potSeedFromGenesis(genesisHash: Uint8Array, externalEntropy: Uint8Array): PotSeed {
  abytes(genesisHash, BLAKE3_HASH_SIZE, 'genesis hash');
  abytes(externalEntropy, undefined, 'external entropy');
  const input = new Uint8Array(genesisHash.length + externalEntropy.length);
  input.set(genesisHash);
  input.set(externalEntropy, genesisHash.length);
  return blake3(input).slice(0, POT_SEED_SIZE);
}

/** The next slot's seed without entropy injection: the output bytes themselves. pot A.4 */
export function potOutputToSeed(output: PotOutput): PotSeed {
  abytes(output, POT_OUTPUT_SIZE, 'PoT output');
  return output.slice();
}

/** The next slot's seed on an entropy injection: `BLAKE3(entropy ‖ output)[0..16]`. pot A.4 */
export function potOutputToSeedWithEntropy(output: PotOutput, entropy: Uint8Array): PotSeed {
  abytes(output, POT_OUTPUT_SIZE, 'PoT output');
  abytes(entropy, BLAKE3_HASH_SIZE, 'entropy');
  const input = new Uint8Array(BLAKE3_HASH_SIZE + POT_OUTPUT_SIZE);
  input.set(entropy);
  input.set(output, BLAKE3_HASH_SIZE);
  return blake3(input).slice(0, POT_SEED_SIZE);
}

/** Checkpoint `i` (0..7) of a slot's checkpoints, as a view. */
export function potCheckpoint(checkpoints: PotCheckpoints, i: number): Uint8Array {
  abytes(checkpoints, POT_CHECKPOINTS_SIZE, 'PoT checkpoints');
  if (!Number.isInteger(i) || i < 0 || i >= POT_NUM_CHECKPOINTS) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_OUT_OF_RANGE',
      what: 'checkpoint index',
      value: String(i),
      min: '0',
      max: String(POT_NUM_CHECKPOINTS - 1),
    });
  }
  return checkpoints.subarray(i * POT_OUTPUT_SIZE, (i + 1) * POT_OUTPUT_SIZE);
}

/** A slot's output: its last checkpoint (copied). */
export function potCheckpointsOutput(checkpoints: PotCheckpoints): PotOutput {
  return potCheckpoint(checkpoints, POT_NUM_CHECKPOINTS - 1).slice();
}

// ---- Slot challenges (pot A.8, farming §5 steps 1-2) ----

/**
 * A slot's global randomness: `BLAKE3(pot_output)`.
 * @example globalRandomness(hexToBytes('fe632b851f2a9ab6167b8393a99b4e22'))
 */
export function globalRandomness(potOutput: PotOutput): Uint8Array {
  abytes(potOutput, POT_OUTPUT_SIZE, 'PoT output');
  return blake3(potOutput);
}

/**
 * A slot's global challenge: `BLAKE3(global_randomness ‖ LE_u64(slot))`.
 * @example globalChallenge(globalRandomness(output), 1n)
 */
export function globalChallenge(randomness: Uint8Array, slot: bigint): Uint8Array {
  abytes(randomness, BLAKE3_HASH_SIZE, 'global randomness');
  abigint(slot, 'slot', U64_MAX);
  const input = new Uint8Array(BLAKE3_HASH_SIZE + 8);
  input.set(randomness);
  new DataView(input.buffer).setBigUint64(BLAKE3_HASH_SIZE, slot, true);
  return blake3(input);
}

/** `globalChallenge(globalRandomness(potOutput), slot)` in one call. */
export function slotGlobalChallenge(potOutput: PotOutput, slot: bigint): Uint8Array {
  return globalChallenge(globalRandomness(potOutput), slot);
}
