/**
 * Multi-scalar multiplication on G1 in TypeScript: Pippenger with signed-digit windows and
 * **affine buckets**. Instead of adding each point into its bucket in projective coordinates
 * (~11 field multiplications), every bucket's points are summed pairwise in affine coordinates,
 * all buckets of all windows at once, one level per round, with a single field inversion per round
 * shared by Montgomery's trick (~6 multiplications per addition). Only the final running sums over
 * the buckets are projective. From {@link GLV_MIN_POINTS} points up, the GLV endomorphism halves
 * the scalars (and so the windows).
 *
 * The field arithmetic runs on Montgomery limbs in Float64Arrays (msm-fp.ts, msm-g1.ts), about twice
 * as fast as BigInt `(a * b) % p` and without a BigInt allocation per operation; the points' limbs
 * are cached in the {@link AffinePoints} table, BigInts only come in (scalars, table) and go out
 * (the result).
 *
 * The MSM of a range of points is independent of the rest: a long MSM can be split into ranges run
 * on worker threads and the partial results added (see `msmG1` in backend.ts).
 */

import { SCALAR_SIZE } from './constants.js';
import { type Affine, JACOBIAN_ZERO, type Jacobian, jAdd, jMul, P } from './g1.js';
import { fpAddAt, fpMulAt, fpSqrAt, fpSubAt } from './msm-fp.js';
import {
  fpCopy,
  fpEqAt,
  fpInvAt,
  fpIsZeroAt,
  fpNegAt,
  jAddAffineL,
  jAddL,
  jDoubleL,
  jIsZero,
  jToBigint,
  jZero,
  FP_LIMBS as L,
  MONT_ONE,
  toMont,
} from './msm-g1.js';

/** Affine points as coordinate arrays; `identity[i] = 1` marks the point at infinity. */
export interface AffinePoints {
  xs: bigint[];
  ys: bigint[];
  identity: Uint8Array;
  /**
   * A cache filled on demand by {@link msmAffineBuckets}: the Montgomery limbs of x, β·x (the GLV
   * endomorphism) and y per point (3·16 doubles), and which points are filled. A table's points
   * must not change once an MSM has used them.
   */
  mont?: Float64Array;
  montReady?: Uint8Array;
}

/**
 * The window width c for n points: the cost is about (bits/c)·(6n + 27·2^(c-1)) field
 * multiplications (bucket additions + running sums). Measured at 4096 points (8192 GLV halves,
 * 2-core VM, CPU time relative to micro-eth-signer's commitment in the same process): c = 9, 10, 11
 * gave 0.67, 0.54, 0.64, so c ≈ 0.8·log2(n).
 */
export function windowBits(n: number): number {
  if (n < 32) return 3;
  return Math.min(16, Math.max(4, Math.round(Math.log2(n) * 0.8)));
}

/** c bits of the big-endian scalar at s[so..so+32) starting at bit `bit` (bit 0 = least significant). */
function bitsAt(s: Uint8Array, so: number, bit: number, c: number): number {
  let v = 0;
  // Up to 16 + 7 bits span at most 3 bytes; read them little-end first.
  const first = bit >> 3;
  for (let k = 0; k < 3 && first + k < SCALAR_SIZE; k++) v |= s[so + SCALAR_SIZE - 1 - first - k]! << (8 * k);
  return (v >>> (bit & 7)) & ((1 << c) - 1);
}

/**
 * The GLV endomorphism of BLS12-381's G1 (used from {@link GLV_MIN_POINTS} points up):
 * φ(x, y) = (β·x, y) equals λ·(x, y) on the prime-order subgroup, where λ = z² - 1 (z the curve's
 * parameter) is a 128-bit root of λ² + λ + 1 ≡ 0 (mod r) and β a cube root of unity in Fp. Since
 * r = λ² + λ + 1 exactly, every scalar k < r splits as k = k1 + k2·λ with k1 = k mod λ and
 * k2 = ⌊k/λ⌋, both below 2^128: an MSM over n points and 255-bit scalars becomes one over 2n
 * points and 128-bit scalars, which halves the windows (the bucket running sums and the doublings)
 * for the same number of bucket additions. Both constants are checked in test/msm.test.ts.
 */
export const GLV_LAMBDA = 0xac45a4010001a40200000000ffffffffn;
export const GLV_BETA =
  0x1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaacn;
/** Below this many points the plain 255-bit windows are as fast (measured; see windowBits). */
export const GLV_MIN_POINTS = 64;
const MASK64 = 0xffffffffffffffffn;

/**
 * Σ scalars[i]·points[start + i] for i in [0, count) as a Jacobian point. Scalars are n·32 bytes,
 * big-endian and canonical (callers check); points[start..start+count) must exist and lie in the
 * prime-order subgroup (the GLV split relies on it; every table comes from checked parameters).
 */
export function msmAffineBuckets(
  points: AffinePoints,
  start: number,
  scalars: Uint8Array,
  scalarOffset: number,
  count: number,
): Jacobian {
  if (count <= 4) {
    let acc = JACOBIAN_ZERO;
    for (let i = 0; i < count; i++) {
      if (points.identity[start + i] === 1) continue;
      let k = 0n;
      const so = (scalarOffset + i) * SCALAR_SIZE;
      for (let j = 0; j < SCALAR_SIZE; j++) k = (k << 8n) | BigInt(scalars[so + j]!);
      const p: Affine = { x: points.xs[start + i]!, y: points.ys[start + i]! };
      acc = jAdd(acc, jMul(p, k));
    }
    return acc;
  }
  const mont = montTable(points, start, count);
  const skip = points.identity.subarray(start, start + count);
  if (count < GLV_MIN_POINTS) {
    const xo = new Int32Array(count);
    for (let i = 0; i < count; i++) xo[i] = (start + i) * 3 * L;
    return jToBigint(
      bucketMsm(
        mont,
        xo,
        skip,
        scalars.subarray(scalarOffset * SCALAR_SIZE, (scalarOffset + count) * SCALAR_SIZE),
        255,
      ),
    );
  }
  // GLV: virtual points [P_0..P_{n-1}, φ(P_0)..φ(P_{n-1})] with scalars [k1_i..., k2_i...].
  const xo = new Int32Array(2 * count);
  const vskip = new Uint8Array(2 * count);
  const split = new Uint8Array(2 * count * SCALAR_SIZE);
  const view = new DataView(split.buffer);
  const input = new DataView(scalars.buffer, scalars.byteOffset, scalars.byteLength);
  for (let i = 0; i < count; i++) {
    if (skip[i] === 1) {
      vskip[i] = 1;
      vskip[count + i] = 1;
      continue;
    }
    xo[i] = (start + i) * 3 * L;
    xo[count + i] = (start + i) * 3 * L + L;
    const so = (scalarOffset + i) * SCALAR_SIZE;
    const k =
      (input.getBigUint64(so) << 192n) |
      (input.getBigUint64(so + 8) << 128n) |
      (input.getBigUint64(so + 16) << 64n) |
      input.getBigUint64(so + 24);
    const k2 = k / GLV_LAMBDA;
    const k1 = k - k2 * GLV_LAMBDA;
    // Both halves are below 2^128: the low 16 bytes of each 32-byte big-endian slot.
    view.setBigUint64(i * SCALAR_SIZE + 16, k1 >> 64n);
    view.setBigUint64(i * SCALAR_SIZE + 24, k1 & MASK64);
    view.setBigUint64((count + i) * SCALAR_SIZE + 16, k2 >> 64n);
    view.setBigUint64((count + i) * SCALAR_SIZE + 24, k2 & MASK64);
  }
  return jToBigint(bucketMsm(mont, xo, vskip, split, 128));
}

/**
 * The Montgomery limbs of points[start..start+count) (x, β·x, y per point, 3·L doubles), cached in
 * `points` and filled on demand.
 */
function montTable(points: AffinePoints, start: number, count: number): Float64Array {
  const n = points.xs.length;
  if (points.mont === undefined || points.montReady === undefined) {
    points.mont = new Float64Array(n * 3 * L);
    points.montReady = new Uint8Array(n);
  }
  const mont = points.mont;
  const ready = points.montReady;
  for (let i = start; i < start + count; i++) {
    if (ready[i] === 1 || points.identity[i] === 1) continue;
    const x = points.xs[i]!;
    toMont(mont, i * 3 * L, x);
    toMont(mont, i * 3 * L + L, (x * GLV_BETA) % P);
    toMont(mont, i * 3 * L + 2 * L, points.ys[i]!);
    ready[i] = 1;
  }
  return mont;
}

/**
 * Pippenger with signed c-bit digits and affine buckets over m points of the Montgomery table
 * (x, or β·x, at mont[xo[i]]; y at the point's third slot; skip[i] = 1 marks the identity) and m
 * 32-byte big-endian scalars below 2^bits. Returns a Jacobian point in limbs.
 */
function bucketMsm(
  mont: Float64Array,
  xo: Int32Array,
  skip: Uint8Array,
  scalars: Uint8Array,
  bits: number,
): Float64Array {
  const count = xo.length;
  const c = windowBits(count);
  // floor(bits/c) + 1 windows leave the top window room for the last carry (bits mod c < c).
  const windows = Math.floor(bits / c) + 1;
  const nb = 1 << (c - 1); // buckets per window: |digit| in 1..2^(c-1)
  const keys = windows * nb;
  // Signed digits: d = raw + carry, moved into (-2^(c-1), 2^(c-1)].
  const digits = new Int32Array(windows * count);
  const segLen = new Int32Array(keys);
  for (let i = 0; i < count; i++) {
    if (skip[i] === 1) continue;
    const so = i * SCALAR_SIZE;
    let carry = 0;
    for (let w = 0; w < windows; w++) {
      let d = bitsAt(scalars, so, w * c, c) + carry;
      carry = 0;
      if (d > nb) {
        d -= 1 << c;
        carry = 1;
      }
      digits[w * count + i] = d;
      if (d !== 0) segLen[w * nb + Math.abs(d) - 1]!++;
    }
  }
  const segStart = new Int32Array(keys);
  let total = 0;
  for (let k = 0; k < keys; k++) {
    segStart[k] = total;
    total += segLen[k]!;
  }
  const X = new Float64Array(total * L);
  const Y = new Float64Array(total * L);
  const fill = new Int32Array(keys);
  for (let w = 0; w < windows; w++) {
    for (let i = 0; i < count; i++) {
      const d = digits[w * count + i]!;
      if (d === 0) continue;
      const k = w * nb + Math.abs(d) - 1;
      const pos = (segStart[k]! + fill[k]!++) * L;
      const x = xo[i]!;
      const y = x - (x % (3 * L)) + 2 * L; // y follows x and β·x in the point's slot
      fpCopy(X, pos, mont, x);
      if (d > 0) fpCopy(Y, pos, mont, y);
      else fpNegAt(Y, pos, mont, y);
    }
  }
  reduceBuckets(X, Y, segStart, segLen);
  // Per window: Σ_b (b+1)·bucket_b by running sums, then Horner over the windows from the top.
  const acc = jZero();
  const running = jZero();
  const sum = jZero();
  for (let w = windows - 1; w >= 0; w--) {
    for (let k = 0; k < c; k++) jDoubleL(acc);
    running.fill(0);
    sum.fill(0);
    for (let b = nb - 1; b >= 0; b--) {
      const k = w * nb + b;
      if (segLen[k] === 1) jAddAffineL(running, X, segStart[k]! * L, Y, segStart[k]! * L);
      if (!jIsZero(running)) jAddL(sum, running);
    }
    jAddL(acc, sum);
  }
  return acc;
}

/**
 * Sums every segment of (X, Y) (L limbs per coordinate) to at most one affine point, in place: each
 * round adds disjoint pairs within every segment, with one shared inversion (Montgomery's trick) per
 * round.
 */
function reduceBuckets(X: Float64Array, Y: Float64Array, segStart: Int32Array, segLen: Int32Array): void {
  const keys = segLen.length;
  let maxPairs = 0;
  for (let k = 0; k < keys; k++) maxPairs += segLen[k]! >> 1;
  // den[t]: the pair's denominator; acc[t]: den[0]·…·den[t], then 1/den[t].
  const den = new Float64Array(maxPairs * L);
  const acc = new Float64Array(maxPairs * L);
  // kind: 0 = distinct x, 1 = doubling, 2 = P + (-P) (the sum is the identity and is dropped).
  const kind = new Uint8Array(maxPairs);
  const T = new Float64Array(4 * L); // inv, λ, scratch
  const INV = 0;
  const LAM = L;
  const U = 2 * L;
  const V = 3 * L;
  for (;;) {
    let pairs = 0;
    for (let k = 0; k < keys; k++) pairs += segLen[k]! >> 1;
    if (pairs === 0) return;
    let t = 0;
    for (let k = 0; k < keys; k++) {
      const half = segLen[k]! >> 1;
      for (let j = 0, p = segStart[k]! * L; j < half; j++, p += 2 * L, t++) {
        const q = p + L;
        const to = t * L;
        if (!fpEqAt(X, p, X, q)) {
          fpSubAt(den, to, X, q, X, p);
          kind[t] = 0;
        } else if (fpEqAt(Y, p, Y, q) && !fpIsZeroAt(Y, p)) {
          fpAddAt(den, to, Y, p, Y, p);
          kind[t] = 1;
        } else {
          fpCopy(den, to, MONT_ONE, 0);
          kind[t] = 2;
        }
        if (t === 0) fpCopy(acc, 0, den, 0);
        else fpMulAt(acc, to, acc, to - L, den, to);
      }
    }
    fpInvAt(T, INV, acc, (pairs - 1) * L);
    // acc[i] becomes 1/den[i] (acc[i] itself was last read for 1/den[i + 1]).
    for (let i = pairs - 1; i > 0; i--) {
      const io = i * L;
      fpMulAt(acc, io, T, INV, acc, io - L);
      fpMulAt(T, INV, T, INV, den, io);
    }
    fpCopy(acc, 0, T, INV);
    t = 0;
    for (let k = 0; k < keys; k++) {
      const len = segLen[k]!;
      const half = len >> 1;
      const s = segStart[k]!;
      let write = s * L;
      for (let j = 0, p = s * L; j < half; j++, p += 2 * L, t++) {
        const kd = kind[t];
        if (kd === 2) continue;
        const q = p + L;
        if (kd === 0) fpSubAt(T, U, Y, q, Y, p);
        else {
          fpSqrAt(T, V, X, p);
          fpAddAt(T, U, T, V, T, V);
          fpAddAt(T, U, T, U, T, V);
        }
        fpMulAt(T, LAM, T, U, acc, t * L); // λ
        fpSqrAt(T, U, T, LAM);
        fpSubAt(T, U, T, U, X, p);
        fpSubAt(T, U, T, U, X, q); // x3 = λ² - x1 - x2
        fpSubAt(T, V, X, p, T, U);
        fpMulAt(T, V, T, LAM, T, V);
        fpSubAt(Y, write, T, V, Y, p); // y3 = λ(x1 - x3) - y1
        fpCopy(X, write, T, U);
        write += L;
      }
      if ((len & 1) === 1) {
        const last = (s + len - 1) * L;
        fpCopy(X, write, X, last);
        fpCopy(Y, write, Y, last);
        write += L;
      }
      segLen[k] = write / L - s;
    }
  }
}
