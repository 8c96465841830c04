/**
 * Multi-scalar multiplication on G1 in TypeScript: Pippenger with signed-digit windows and
 * **affine buckets**. Instead of adding each point into its bucket in projective coordinates
 * (~11 field multiplications), every bucket's points are summed pairwise in affine coordinates,
 * all buckets of all windows at once, one level per round, with a single field inversion per round
 * shared by Montgomery's trick (~6 multiplications per addition). Only the final running sums over
 * the buckets are projective.
 *
 * The MSM of a range of points is independent of the rest: a long MSM can be split into ranges run
 * on worker threads and the partial results added (see `msmG1` in backend.ts).
 */

import { SCALAR_SIZE } from './constants.js';
import {
  type Affine,
  fpInv,
  JACOBIAN_ZERO,
  type Jacobian,
  jAdd,
  jAddAffine,
  jDouble,
  jMul,
  P,
} from './g1.js';

/** Affine points as coordinate arrays; `identity[i] = 1` marks the point at infinity. */
export interface AffinePoints {
  xs: bigint[];
  ys: bigint[];
  identity: Uint8Array;
  /** β·x for the GLV endomorphism, filled on demand by {@link msmAffineBuckets} (a cache). */
  betaXs?: bigint[];
}

/**
 * The window width c for n points: the cost is about (255/c)·(6n + 27·2^(c-1)) field
 * multiplications (bucket additions + running sums). Measured at 4096 points (2-core VM): c = 9, 10,
 * 11, 12 took 0.81-1.05, 0.80-0.89, 0.86-1.1, 1.0-1.5 s, so c ≈ 0.8·log2(n).
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
  const skip = points.identity.subarray(start, start + count);
  if (count < GLV_MIN_POINTS) {
    return bucketMsm(
      points.xs.slice(start, start + count),
      points.ys.slice(start, start + count),
      skip,
      scalars.subarray(scalarOffset * SCALAR_SIZE, (scalarOffset + count) * SCALAR_SIZE),
      255,
    );
  }
  // GLV: virtual points [P_0..P_{n-1}, φ(P_0)..φ(P_{n-1})] with scalars [k1_i..., k2_i...].
  if (points.betaXs === undefined) points.betaXs = new Array(points.xs.length);
  const bxs = points.betaXs;
  const vx: bigint[] = new Array(2 * count);
  const vy: bigint[] = new Array(2 * count);
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
    const x = points.xs[start + i]!;
    let bx = bxs[start + i];
    if (bx === undefined) {
      bx = (x * GLV_BETA) % P;
      bxs[start + i] = bx;
    }
    vx[i] = x;
    vx[count + i] = bx;
    vy[i] = points.ys[start + i]!;
    vy[count + i] = points.ys[start + i]!;
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
  return bucketMsm(vx, vy, vskip, split, 128);
}

/**
 * Pippenger with signed c-bit digits and affine buckets over m points (vx, vy; skip[i] = 1 marks
 * the identity) and m 32-byte big-endian scalars below 2^bits.
 */
function bucketMsm(
  vx: bigint[],
  vy: bigint[],
  skip: Uint8Array,
  scalars: Uint8Array,
  bits: number,
): Jacobian {
  const count = vx.length;
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
  const X: bigint[] = new Array(total);
  const Y: bigint[] = new Array(total);
  const fill = new Int32Array(keys);
  for (let w = 0; w < windows; w++) {
    for (let i = 0; i < count; i++) {
      const d = digits[w * count + i]!;
      if (d === 0) continue;
      const k = w * nb + Math.abs(d) - 1;
      const pos = segStart[k]! + fill[k]!++;
      const y = vy[i]!;
      X[pos] = vx[i]!;
      Y[pos] = d > 0 || y === 0n ? y : P - y;
    }
  }
  reduceBuckets(X, Y, segStart, segLen);
  // Per window: Σ_b (b+1)·bucket_b by running sums, then Horner over the windows from the top.
  let acc = JACOBIAN_ZERO;
  for (let w = windows - 1; w >= 0; w--) {
    for (let k = 0; k < c; k++) acc = jDouble(acc);
    let running = JACOBIAN_ZERO;
    let sum = JACOBIAN_ZERO;
    for (let b = nb - 1; b >= 0; b--) {
      const k = w * nb + b;
      if (segLen[k] === 1) running = jAddAffine(running, X[segStart[k]!]!, Y[segStart[k]!]!);
      if (running.z !== 0n) sum = jAdd(sum, running);
    }
    acc = jAdd(acc, sum);
  }
  return acc;
}

/**
 * Sums every segment of (X, Y) to at most one affine point, in place: each round adds disjoint
 * pairs within every segment, with one shared inversion (Montgomery's trick) per round.
 */
function reduceBuckets(X: bigint[], Y: bigint[], segStart: Int32Array, segLen: Int32Array): void {
  const keys = segLen.length;
  for (;;) {
    let pairs = 0;
    for (let k = 0; k < keys; k++) pairs += segLen[k]! >> 1;
    if (pairs === 0) return;
    const den: bigint[] = new Array(pairs);
    const prefix: bigint[] = new Array(pairs);
    // kind: 0 = distinct x, 1 = doubling, 2 = P + (-P) (the sum is the identity and is dropped).
    const kind = new Uint8Array(pairs);
    let prod = 1n;
    let t = 0;
    for (let k = 0; k < keys; k++) {
      const half = segLen[k]! >> 1;
      for (let j = 0, p = segStart[k]!; j < half; j++, p += 2, t++) {
        const x1 = X[p]!;
        const x2 = X[p + 1]!;
        let d: bigint;
        if (x1 !== x2) {
          d = x2 - x1;
          if (d < 0n) d += P;
        } else if (Y[p] === Y[p + 1] && Y[p] !== 0n) {
          d = (2n * Y[p]!) % P;
          kind[t] = 1;
        } else {
          d = 1n;
          kind[t] = 2;
        }
        den[t] = d;
        prefix[t] = prod;
        prod = (prod * d) % P;
      }
    }
    let inv = fpInv(prod);
    for (let i = pairs - 1; i >= 0; i--) {
      const d = den[i]!;
      den[i] = (inv * prefix[i]!) % P; // 1/d_i
      inv = (inv * d) % P;
    }
    t = 0;
    for (let k = 0; k < keys; k++) {
      const len = segLen[k]!;
      const half = len >> 1;
      const s = segStart[k]!;
      let write = s;
      for (let j = 0, p = s; j < half; j++, p += 2, t++) {
        if (kind[t] === 2) continue;
        const x1 = X[p]!;
        const y1 = Y[p]!;
        const x2 = X[p + 1]!;
        // Coordinates stay in [0, p): fix signs with additions instead of a second `%`.
        let num = kind[t] === 0 ? Y[p + 1]! - y1 : (3n * x1 * x1) % P;
        if (num < 0n) num += P;
        const l = (num * den[t]!) % P;
        let x3 = ((l * l) % P) - x1 - x2;
        while (x3 < 0n) x3 += P;
        let dx = x1 - x3;
        if (dx < 0n) dx += P;
        let y3 = ((l * dx) % P) - y1;
        if (y3 < 0n) y3 += P;
        X[write] = x3;
        Y[write] = y3;
        write++;
      }
      if ((len & 1) === 1) {
        X[write] = X[s + len - 1]!;
        Y[write] = Y[s + len - 1]!;
        write++;
      }
      segLen[k] = write - s;
    }
  }
}
