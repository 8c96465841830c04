/**
 * Proof-of-space parameters (farming §1). The mainnet space parameter `POS_K` (20), the seed size and
 * the proof size come from `@autonomys/primitives`; the Chia matching parameters live here.
 */
import { POS_K, POS_PROOF_SIZE, POS_SEED_SIZE } from '@autonomys/primitives';

export { POS_K, POS_PROOF_SIZE, POS_SEED_SIZE };

/** Extra low bits of every y: y has `K + PARAM_EXT` bits (chiapos `PARAM_EXT`). */
export const PARAM_EXT = 6;
/** Match targets per left entry (2^PARAM_EXT). */
export const PARAM_M = 1 << PARAM_EXT;
/** Chia's B: the number of "column" groups of a bucket. */
export const PARAM_B = 119;
/** Chia's C: the number of residues per group. */
export const PARAM_C = 127;
/** Bucket width in y-space: B·C = 15 113. */
export const PARAM_BC = PARAM_B * PARAM_C;
/** Number of x values (and so of 64-leaf pairs) in a proof. */
export const POS_PROOF_X_COUNT = 64;
/** Number of tables (table 1 = f1, tables 2..7 = fn). */
export const POS_NUM_TABLES = 7;
/** Smallest space parameter this package accepts (f1 takes the 6 top bits of x). */
export const POS_K_MIN = PARAM_EXT;
/** Largest space parameter: y (K+6 bits) must fit a u32, and table sizes a typed array. */
export const POS_K_MAX = 25;

/** Metadata width in bits of table t (1..7) for space parameter k: k·[1, 2, 4, 4, 3, 2, 0]. */
export function metadataBits(k: number, table: number): number {
  return k * ([0, 1, 2, 4, 4, 3, 2, 0][table] ?? 0);
}

/** Number of y buckets: ceil(2^(k+6) / BC) (4441 at K=20). */
export function numBuckets(k: number): number {
  return Math.ceil(2 ** (k + PARAM_EXT) / PARAM_BC);
}

/** Bytes of a proof for space parameter k: 64 x values of k bits (160 at K=20). */
export function proofSize(k: number): number {
  return (POS_PROOF_X_COUNT * k) / 8;
}
