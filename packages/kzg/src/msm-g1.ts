/**
 * G1 arithmetic for the TypeScript MSM on Montgomery limbs (see msm-fp.ts): conversions from and to
 * BigInt coordinates, and Jacobian doubling / additions for the bucket running sums. A Jacobian
 * point is 3·FP_LIMBS doubles (X, Y, Z) in a Float64Array; Z = 0 is the identity.
 */
import { fpInv, JACOBIAN_ZERO, type Jacobian, P } from './g1.js';
import { fpAddAt, fpMulAt, fpSqrAt, fpSubAt, FP_LIMBS as L } from './msm-fp.js';

export { L as FP_LIMBS };

const R_MOD_P = (1n << 384n) % P;
const R2_MOD_P = (R_MOD_P * R_MOD_P) % P;

/** Writes x·R mod p (the Montgomery form of x ∈ [0, p)) at out[oo..oo+L). */
export function toMont(out: Float64Array, oo: number, x: bigint): void {
  writeLimbs(out, oo, (x * R_MOD_P) % P);
}

/** Writes v ∈ [0, p) as L little-endian 24-bit limbs, two per 48-bit chunk. */
function writeLimbs(out: Float64Array, oo: number, value: bigint): void {
  let v = value;
  for (let i = 0; i < L; i += 2, v >>= 48n) {
    const w = Number(v & 0xffffffffffffn);
    const lo = w % 16777216;
    out[oo + i] = lo;
    out[oo + i + 1] = (w - lo) / 16777216;
  }
}

/** The limbs at a[o..o+L) as a BigInt (no conversion out of the Montgomery form). */
function limbsToBigint(a: Float64Array, o: number): bigint {
  let v = 0n;
  for (let i = L - 2; i >= 0; i -= 2) v = (v << 48n) | BigInt(a[o + i + 1]! * 16777216 + a[o + i]!);
  return v;
}

const R_INV_MOD_P = fpInv(R_MOD_P);

/** The BigInt value of the Montgomery element at a[o..o+L). */
export function fromMont(a: Float64Array, o: number): bigint {
  return (limbsToBigint(a, o) * R_INV_MOD_P) % P;
}

/** out[oo] = 1 / a[ao] in Montgomery form (a ≠ 0; one extended Euclid on BigInts). */
export function fpInvAt(out: Float64Array, oo: number, a: Float64Array, ao: number): void {
  // a holds x·R, and (x·R)^-1·R² = x^-1·R.
  writeLimbs(out, oo, (fpInv(limbsToBigint(a, ao)) * R2_MOD_P) % P);
}

/** The Montgomery form of 1. */
export const MONT_ONE = new Float64Array(L);
toMont(MONT_ONE, 0, 1n);
const ZERO = new Float64Array(L);

/** Whether a[ao..] and b[bo..] hold the same element (both reduced). */
export function fpEqAt(a: Float64Array, ao: number, b: Float64Array, bo: number): boolean {
  for (let i = 0; i < L; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

/** Whether a[ao..] is zero. */
export function fpIsZeroAt(a: Float64Array, ao: number): boolean {
  for (let i = 0; i < L; i++) if (a[ao + i] !== 0) return false;
  return true;
}

/** Copies L limbs. */
export function fpCopy(out: Float64Array, oo: number, a: Float64Array, ao: number): void {
  for (let i = 0; i < L; i++) out[oo + i] = a[ao + i]!;
}

/** out[oo] = -a[ao] mod p. */
export function fpNegAt(out: Float64Array, oo: number, a: Float64Array, ao: number): void {
  fpSubAt(out, oo, ZERO, 0, a, ao);
}

// Scratch slots for the point formulas (never live across calls).
const S = new Float64Array(16 * L);
const A = 0;
const Bq = L;
const C = 2 * L;
const D = 3 * L;
const E = 4 * L;
const F = 5 * L;
const G = 6 * L;
const H = 7 * L;
const I = 8 * L;
const J = 9 * L;
const K = 10 * L;
const M = 11 * L;
const N = 12 * L;
const X = 0;
const Y = L;
const Z = 2 * L;

/** A new identity Jacobian point. */
export function jZero(): Float64Array {
  return new Float64Array(3 * L);
}

export function jIsZero(a: Float64Array): boolean {
  return fpIsZeroAt(a, Z);
}

/** a = 2·a in place (dbl-2009-l, curve a = 0). */
export function jDoubleL(a: Float64Array): void {
  if (fpIsZeroAt(a, Z)) return;
  fpSqrAt(S, A, a, X); // A = X²
  fpSqrAt(S, Bq, a, Y); // B = Y²
  fpSqrAt(S, C, S, Bq); // C = B²
  fpAddAt(S, D, a, X, S, Bq);
  fpSqrAt(S, D, S, D);
  fpSubAt(S, D, S, D, S, A);
  fpSubAt(S, D, S, D, S, C);
  fpAddAt(S, D, S, D, S, D); // D = 2((X + B)² - A - C)
  fpAddAt(S, E, S, A, S, A);
  fpAddAt(S, E, S, E, S, A); // E = 3A
  fpSqrAt(S, F, S, E); // F = E²
  fpMulAt(a, Z, a, Z, a, Y);
  fpAddAt(a, Z, a, Z, a, Z); // Z3 = 2·Y·Z
  fpSubAt(a, X, S, F, S, D);
  fpSubAt(a, X, a, X, S, D); // X3 = F - 2D
  fpSubAt(S, D, S, D, a, X);
  fpMulAt(S, D, S, E, S, D);
  fpAddAt(S, C, S, C, S, C);
  fpAddAt(S, C, S, C, S, C);
  fpAddAt(S, C, S, C, S, C); // 8C
  fpSubAt(a, Y, S, D, S, C); // Y3 = E(D - X3) - 8C
}

/** a = a + (bx, by) in place, (bx, by) affine at bx[bxo], by[byo] (madd-2007-bl). */
export function jAddAffineL(
  a: Float64Array,
  bx: Float64Array,
  bxo: number,
  by: Float64Array,
  byo: number,
): void {
  if (fpIsZeroAt(a, Z)) {
    fpCopy(a, X, bx, bxo);
    fpCopy(a, Y, by, byo);
    fpCopy(a, Z, MONT_ONE, 0);
    return;
  }
  fpSqrAt(S, A, a, Z); // Z1Z1
  fpMulAt(S, Bq, bx, bxo, S, A); // U2
  fpMulAt(S, C, by, byo, a, Z);
  fpMulAt(S, C, S, C, S, A); // S2
  fpSubAt(S, D, S, Bq, a, X); // H = U2 - X1
  fpSubAt(S, E, S, C, a, Y);
  fpAddAt(S, E, S, E, S, E); // r = 2(S2 - Y1)
  if (fpIsZeroAt(S, D)) {
    if (fpIsZeroAt(S, E)) {
      fpCopy(a, X, bx, bxo);
      fpCopy(a, Y, by, byo);
      fpCopy(a, Z, MONT_ONE, 0);
      jDoubleL(a);
    } else a.fill(0);
    return;
  }
  fpSqrAt(S, F, S, D); // HH
  fpAddAt(S, G, S, F, S, F);
  fpAddAt(S, G, S, G, S, G); // I = 4HH
  fpMulAt(S, H, S, D, S, G); // J = H·I
  fpMulAt(S, I, a, X, S, G); // V = X1·I
  fpMulAt(S, J, a, Y, S, H);
  fpAddAt(S, J, S, J, S, J); // 2·Y1·J
  fpAddAt(S, K, a, Z, S, D);
  fpSqrAt(S, K, S, K);
  fpSubAt(S, K, S, K, S, A);
  fpSubAt(a, Z, S, K, S, F); // Z3 = (Z1 + H)² - Z1Z1 - HH
  fpSqrAt(S, M, S, E);
  fpSubAt(S, M, S, M, S, H);
  fpSubAt(S, M, S, M, S, I);
  fpSubAt(a, X, S, M, S, I); // X3 = r² - J - 2V
  fpSubAt(S, N, S, I, a, X);
  fpMulAt(S, N, S, E, S, N);
  fpSubAt(a, Y, S, N, S, J); // Y3 = r(V - X3) - 2·Y1·J
}

/** a = a + b in place (add-2007-bl); b is not modified (may not alias a). */
export function jAddL(a: Float64Array, b: Float64Array): void {
  if (fpIsZeroAt(b, Z)) return;
  if (fpIsZeroAt(a, Z)) {
    a.set(b);
    return;
  }
  fpSqrAt(S, A, a, Z); // Z1Z1
  fpSqrAt(S, Bq, b, Z); // Z2Z2
  fpMulAt(S, C, a, X, S, Bq); // U1
  fpMulAt(S, D, b, X, S, A); // U2
  fpMulAt(S, E, a, Y, b, Z);
  fpMulAt(S, E, S, E, S, Bq); // S1
  fpMulAt(S, F, b, Y, a, Z);
  fpMulAt(S, F, S, F, S, A); // S2
  fpSubAt(S, G, S, D, S, C); // H
  fpSubAt(S, H, S, F, S, E);
  fpAddAt(S, H, S, H, S, H); // r = 2(S2 - S1)
  if (fpIsZeroAt(S, G)) {
    if (fpIsZeroAt(S, H)) jDoubleL(a);
    else a.fill(0);
    return;
  }
  fpAddAt(S, I, S, G, S, G);
  fpSqrAt(S, I, S, I); // I = (2H)²
  fpMulAt(S, J, S, G, S, I); // J = H·I
  fpMulAt(S, K, S, C, S, I); // V = U1·I
  fpAddAt(S, M, a, Z, b, Z);
  fpSqrAt(S, M, S, M);
  fpSubAt(S, M, S, M, S, A);
  fpSubAt(S, M, S, M, S, Bq);
  fpMulAt(a, Z, S, M, S, G); // Z3 = ((Z1 + Z2)² - Z1Z1 - Z2Z2)·H
  fpSqrAt(S, N, S, H);
  fpSubAt(S, N, S, N, S, J);
  fpSubAt(S, N, S, N, S, K);
  fpSubAt(a, X, S, N, S, K); // X3 = r² - J - 2V
  fpSubAt(S, N, S, K, a, X);
  fpMulAt(S, N, S, H, S, N);
  fpMulAt(S, E, S, E, S, J);
  fpAddAt(S, E, S, E, S, E);
  fpSubAt(a, Y, S, N, S, E); // Y3 = r(V - X3) - 2·S1·J
}

/** The BigInt Jacobian point of a limb one. */
export function jToBigint(a: Float64Array): Jacobian {
  if (fpIsZeroAt(a, Z)) return JACOBIAN_ZERO;
  return { x: fromMont(a, X), y: fromMont(a, Y), z: fromMont(a, Z) };
}
