/**
 * Offline-operator detection at epoch end (decex §3, `sp-domains/offline_operators.rs`): an
 * operator is "throughput-relevant" when its expected bundles per epoch reach `E_relevance`, and
 * then must produce at least the Chernoff lower bound `r = floor(μ − sqrt(2 μ ln(1/τ)))`.
 * Fixed-point values are FixedU128 inner integers (10^18 = 1.0). Products and the square root
 * round down here; the runtime's FixedU128 rounds products to nearest, so `r` can differ by one
 * in rare edge cases (the ledger does not deactivate operators automatically).
 */
import { E_BASE, LN_1_OVER_TAU_0_5_PERCENT } from './constants.js';
import { calculateThreshold } from './vrf.js';

const ONE = 10n ** 18n;

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

/** `E_relevance = max(e_base, ceil(2 · ln(1/τ)))`. */
export function computeERelevance(lnOneOverTau: bigint, eBase: number = E_BASE): number {
  const twoLn = (2n * lnOneOverTau + ONE - 1n) / ONE;
  return Math.max(eBase, Number(twoLn));
}

/** Per-slot probability `threshold / 2^128` as a FixedU128 inner value. */
export function pFromThreshold(threshold: bigint): bigint {
  return (threshold * ONE) >> 128n;
}

/** `chernoff_threshold_fp`: 0 for p = 0 or S = 0, S for p ≥ 1, else `floor(μ − t)` clamped. */
export function chernoffThreshold(slotsInEpoch: number, pSlot: bigint, lnOneOverTau: bigint): number {
  if (slotsInEpoch === 0 || pSlot === 0n) return 0;
  if (pSlot >= ONE) return slotsInEpoch;
  const mu = pSlot * BigInt(slotsInEpoch);
  const inner = ((2n * mu * lnOneOverTau) / ONE) * ONE; // 2·μ·ln as inner, times ONE for the sqrt
  const t = isqrt(inner);
  const r = mu > t ? (mu - t) / ONE : 0n;
  return Math.min(slotsInEpoch, Number(r));
}

/** Expected bundles and the minimum required, or `undefined` when the operator is not relevant. */
export function operatorExpectedBundlesInEpoch(
  slotsInEpoch: number,
  operatorStake: bigint,
  totalDomainStake: bigint,
  bundleSlotProbability: readonly [bigint, bigint],
  lnOneOverTau: bigint = LN_1_OVER_TAU_0_5_PERCENT,
  eBase: number = E_BASE,
): { expectedBundles: number; minRequiredBundles: number } | undefined {
  if (slotsInEpoch === 0) return undefined;
  const threshold = calculateThreshold(operatorStake, totalDomainStake, bundleSlotProbability);
  if (threshold === undefined) return undefined;
  const p = pFromThreshold(threshold);
  if (p === 0n) return undefined;
  const expected = Number((p * BigInt(slotsInEpoch)) / ONE);
  if (expected < computeERelevance(lnOneOverTau, eBase)) return undefined;
  return { expectedBundles: expected, minRequiredBundles: chernoffThreshold(slotsInEpoch, p, lnOneOverTau) };
}
