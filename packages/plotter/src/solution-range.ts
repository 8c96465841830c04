/**
 * Solution ranges (farming §9): the pure u64 arithmetic of the runtime. Every function evaluates
 * its integer divisions left to right, exactly as the reference, so rounding matches.
 */
import { NUM_CHUNKS, NUM_S_BUCKETS, SLOT_PROBABILITY } from '@autonomys/primitives';
import { au64 } from './assert.js';
import { PlotterError } from './errors.js';

const U64_MAX = 0xffffffffffffffffn;

/** `(numerator, denominator)`, e.g. the slot probability (1, 6). */
export type Fraction = readonly [bigint, bigint];

const DEFAULT_SLOT_PROBABILITY: Fraction = [BigInt(SLOT_PROBABILITY[0]), BigInt(SLOT_PROBABILITY[1])];

function afraction(f: unknown, what: string): asserts f is Fraction {
  if (!Array.isArray(f) || f.length !== 2)
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what,
      reason: 'expected [numerator, denominator]',
    });
  au64(f[0], `${what} numerator`);
  au64(f[1], `${what} denominator`);
  if (f[1] === 0n)
    throw new PlotterError({
      code: 'PLOTTER_OUT_OF_RANGE',
      what: `${what} denominator`,
      value: '0',
      min: '1',
      max: String(U64_MAX),
    });
}

function apositive(v: unknown, what: string): asserts v is bigint {
  au64(v, what);
  if (v === 0n)
    throw new PlotterError({
      code: 'PLOTTER_OUT_OF_RANGE',
      what,
      value: '0',
      min: '1',
      max: String(U64_MAX),
    });
}

function checked(v: bigint, what: string): bigint {
  if (v > U64_MAX)
    throw new PlotterError({
      code: 'PLOTTER_OUT_OF_RANGE',
      what,
      value: String(v),
      min: '0',
      max: String(U64_MAX),
    });
  return v;
}

/** `(u64::MAX / den) · num / NUM_CHUNKS · NUM_S_BUCKETS`: the common prefix of both conversions. */
function prefix(slotProbability: Fraction): bigint {
  const [num, den] = slotProbability;
  const a = checked((U64_MAX / den) * num, 'solution range prefix');
  return checked((a / BigInt(NUM_CHUNKS)) * BigInt(NUM_S_BUCKETS), 'solution range prefix');
}

/**
 * The solution range at which `pieces` pledged pieces win a slot with probability `slotProbability`:
 * `u64::MAX / den · num / 32768 · 65536 / pieces`.
 * @example piecesToSolutionRange(1000n) // 6148914691236495n, the network's initial solution range
 */
export function piecesToSolutionRange(
  pieces: bigint,
  slotProbability: Fraction = DEFAULT_SLOT_PROBABILITY,
): bigint {
  apositive(pieces, 'pieces');
  afraction(slotProbability, 'slotProbability');
  return prefix(slotProbability) / pieces;
}

/**
 * The pieces pledged that a solution range corresponds to (the inverse, with the same prefix).
 * @example solutionRangeToPieces(piecesToSolutionRange(5n)) // 5n
 */
export function solutionRangeToPieces(
  solutionRange: bigint,
  slotProbability: Fraction = DEFAULT_SLOT_PROBABILITY,
): bigint {
  apositive(solutionRange, 'solutionRange');
  afraction(slotProbability, 'slotProbability');
  return prefix(slotProbability) / solutionRange;
}

/** Inputs of {@link deriveNextSolutionRange}. */
export interface NextSolutionRangeParams {
  /** The first slot of the era ending now (0 for the first era). */
  eraStartSlot: bigint;
  /** The slot of the block that ends the era. */
  currentSlot: bigint;
  currentSolutionRange: bigint;
  /** Blocks per era (the runtime: 2016). */
  eraDuration: bigint;
  slotProbability?: Fraction;
}

/**
 * The era adjustment, used while solution-range adjustment is enabled:
 * `clamp(cur · eraSlots · num / eraDuration / den, cur / 4, cur · 4)`, the product in u128
 * saturating, the quotient saturated to u64, the upper bound saturating. With eraSlots equal to the
 * expected `eraDuration · den / num` the range is unchanged; faster blocks shrink it.
 * @example deriveNextSolutionRange({ eraStartSlot: 0n, currentSlot: 12096n, currentSolutionRange: r, eraDuration: 2016n }) // r
 */
export function deriveNextSolutionRange(p: NextSolutionRangeParams): bigint {
  au64(p.eraStartSlot, 'eraStartSlot');
  au64(p.currentSlot, 'currentSlot');
  au64(p.currentSolutionRange, 'currentSolutionRange');
  apositive(p.eraDuration, 'eraDuration');
  const sp = p.slotProbability ?? DEFAULT_SLOT_PROBABILITY;
  afraction(sp, 'slotProbability');
  if (p.currentSlot < p.eraStartSlot)
    throw new PlotterError({
      code: 'PLOTTER_OUT_OF_RANGE',
      what: 'currentSlot',
      value: String(p.currentSlot),
      min: String(p.eraStartSlot),
      max: String(U64_MAX),
    });
  const U128_MAX = (1n << 128n) - 1n;
  const sat = (v: bigint) => (v > U128_MAX ? U128_MAX : v);
  const cur = p.currentSolutionRange;
  const eraSlots = p.currentSlot - p.eraStartSlot;
  const q = sat(sat(cur * eraSlots) * sp[0]) / p.eraDuration / sp[1];
  const next = q > U64_MAX ? U64_MAX : q;
  const lo = cur / 4n;
  const hi = cur * 4n > U64_MAX ? U64_MAX : cur * 4n;
  return next < lo ? lo : next > hi ? hi : next;
}

/**
 * The voting range once adjustment is enabled: `solutionRange · (expectedVotesPerBlock + 1)`,
 * saturating (×10 on the network). While adjustment is disabled the runtime keeps it equal to the
 * block range; read it from the runtime rather than deriving it.
 */
export function votingSolutionRange(solutionRange: bigint, expectedVotesPerBlock = 9n): bigint {
  au64(solutionRange, 'solutionRange');
  au64(expectedVotesPerBlock, 'expectedVotesPerBlock');
  const v = solutionRange * (expectedVotesPerBlock + 1n);
  return v > U64_MAX ? U64_MAX : v;
}

/**
 * The fork-choice weight a block adds: `u64::MAX − solution_range` (a u128 sum over the chain).
 * @example blockForkWeight(piecesToSolutionRange(1000n))
 */
export function blockForkWeight(solutionRange: bigint): bigint {
  au64(solutionRange, 'solutionRange');
  return U64_MAX - solutionRange;
}
