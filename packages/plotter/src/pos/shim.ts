/**
 * The shim table (farming §3.9), for tests and development networks only, never valid on mainnet:
 * quality = BLAKE3(LE_4(index)); a proof exists iff quality (a little-endian u256) is not divisible
 * by 3, and it is seed ‖ quality ×4 (160 bytes). Building it costs nothing.
 */
import { blake3, POS_PROOF_SIZE } from '@autonomys/primitives';
import { abytes, aindex } from '../assert.js';
import { POS_SEED_SIZE } from '../constants.js';

function quality(index: number): Uint8Array {
  const le = new Uint8Array(4);
  new DataView(le.buffer).setUint32(0, index, true);
  return blake3(le);
}

/** A little-endian u256 mod 3: 256 ≡ 1 (mod 3), so it is the byte sum mod 3. */
function divisibleBy3(q: Uint8Array): boolean {
  let s = 0;
  for (const b of q) s += b;
  return s % 3 === 0;
}

/** The shim proof of a challenge index, or undefined (inputs checked by the callers). */
export function shimProof(seed: Uint8Array, index: number): Uint8Array | undefined {
  const q = quality(index);
  if (divisibleBy3(q)) return undefined;
  const proof = new Uint8Array(POS_PROOF_SIZE);
  proof.set(seed);
  for (let i = 0; i < 4; i++) proof.set(q, POS_SEED_SIZE + 32 * i);
  return proof;
}

/**
 * Verifies a shim proof: recomputes it and compares byte for byte (no proof → invalid).
 * @example isShimProofValid(seed, 1, shimTable(seed).findProof(1)!) // true
 */
export function isShimProofValid(seed: Uint8Array, sBucket: number, proof: Uint8Array): boolean {
  abytes(seed, POS_SEED_SIZE, 'seed');
  aindex(sBucket);
  abytes(proof, POS_PROOF_SIZE, 'proof');
  const expected = shimProof(seed, sBucket);
  if (expected === undefined) return false;
  let diff = 0;
  for (let i = 0; i < POS_PROOF_SIZE; i++) diff |= expected[i]! ^ proof[i]!;
  return diff === 0;
}
