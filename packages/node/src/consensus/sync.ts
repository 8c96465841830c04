/**
 * PoT verification during sync (pot-consensus-dsn B.9, verifier `full_pot_verification`): far
 * behind the sync target only a sample of blocks gets its justification checkpoints verified; the
 * others go into the verifier cache as known-good.
 */

/**
 * How many of the `diff + 1` blocks at this distance from the sync target are verified, or
 * `'all'` (`diff = syncTarget - number`; negative also verifies all).
 * @example potVerificationSampleSize(10_000) // 2162
 */
export function potVerificationSampleSize(diff: number): number | 'all' {
  if (diff <= 1581) return 'all';
  if (diff <= 6234) return 1581;
  if (diff <= 63240) return Math.floor((3162 * (diff - 3162)) / (diff - 1));
  if (diff <= 3_162_000) return 3162;
  return Math.floor(diff / 1000);
}

/**
 * Whether to verify a block's PoT fully: draws `n` uniform in `0..=diff`, verifies iff `n < sample`.
 * @example shouldVerifyPotFully(100_000_000, 50_000_000) // false
 */
export function shouldVerifyPotFully(
  syncTarget: number,
  number: number,
  random: () => number = Math.random,
): boolean {
  const diff = syncTarget - number;
  const sample = potVerificationSampleSize(diff);
  if (sample === 'all') return true;
  const n = Math.floor(random() * (diff + 1));
  return n < sample;
}
