/**
 * G1 of BLS12-381 in TypeScript: the ZCash/IETF compressed codec (archiving §1.2), blst's 96-byte
 * uncompressed affine form, and Jacobian arithmetic on BigInt coordinates for the MSM. Coordinates
 * are plain BigInts mod p; @noble/curves supplies the square root and the subgroup check.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { G1_SIZE, G1_UNCOMPRESSED_SIZE } from './constants.js';
import { KzgError } from './errors.js';

const Fp = bls12_381.fields.Fp;
/** The base field modulus p (381 bits). */
export const P = Fp.ORDER;
const HALF_P = (P - 1n) / 2n;

/** An affine point; `null` is the identity. */
export type Affine = { x: bigint; y: bigint } | null;
/** A Jacobian point (X/Z², Y/Z³); Z = 0 is the identity. */
export type Jacobian = { x: bigint; y: bigint; z: bigint };

export const JACOBIAN_ZERO: Jacobian = { x: 1n, y: 1n, z: 0n };
/** The standard generator G1 = G1[0] of the parameters. */
export const G1_GENERATOR: { x: bigint; y: bigint } = (() => {
  const { x, y } = bls12_381.G1.Point.BASE.toAffine();
  return { x, y };
})();

const mod = (a: bigint): bigint => {
  const r = a % P;
  return r < 0n ? r + P : r;
};

/** x^-1 mod p (extended Euclid; callers never pass zero). */
export function fpInv(x: bigint): bigint {
  let a = mod(x);
  let b = P;
  let u = 1n;
  let v = 0n;
  while (a !== 0n) {
    const q = b / a;
    [a, b] = [b - q * a, a];
    [u, v] = [v - q * u, u];
  }
  return mod(v);
}

const bytesToBigint = (b: Uint8Array, start: number, end: number): bigint => {
  let hex = '';
  for (let i = start; i < end; i++) hex += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return BigInt(`0x${hex}`);
};

const writeBigint = (out: Uint8Array, offset: number, size: number, v: bigint): void => {
  let x = v;
  for (let i = offset + size - 1; i >= offset; i--, x >>= 8n) out[i] = Number(x & 0xffn);
};

function invalid(what: string, reason: string, index: number | undefined): KzgError {
  return new KzgError(
    index === undefined
      ? { code: 'KZG_INVALID_POINT', what, reason }
      : { code: 'KZG_INVALID_POINT', what, reason, index },
  );
}

/**
 * Decodes the compressed G1 point at bytes[offset..offset+48): the encoding and the curve equation
 * are checked (as blst_p1_uncompress); the subgroup only when `subgroupCheck`.
 */
export function decodeG1At(
  bytes: Uint8Array,
  offset: number,
  what: string,
  subgroupCheck: boolean,
  index?: number,
): Affine {
  const b0 = bytes[offset]!;
  if ((b0 & 0x80) === 0) throw invalid(what, 'the compression flag (0x80) is not set', index);
  if ((b0 & 0x40) !== 0) {
    // Infinity: exactly c0 00…00 (no sign bit, no coordinate bits).
    let zero = b0 === 0xc0;
    for (let i = 1; i < G1_SIZE && zero; i++) zero = bytes[offset + i] === 0;
    if (!zero) throw invalid(what, 'a non-canonical encoding of infinity', index);
    return null;
  }
  let hex = (b0 & 0x1f).toString(16).padStart(2, '0');
  for (let i = 1; i < G1_SIZE; i++) hex += bytes[offset + i]!.toString(16).padStart(2, '0');
  const x = BigInt(`0x${hex}`);
  if (x >= P) throw invalid(what, 'x is not below p', index);
  const rhs = mod(x * x * x + 4n);
  let y: bigint;
  try {
    y = Fp.sqrt(rhs);
  } catch {
    throw invalid(what, 'not on the curve (x^3 + 4 has no square root)', index);
  }
  const largest = (b0 & 0x20) !== 0;
  if (y > HALF_P !== largest) y = P - y;
  // blst (the reference's decoder) rejects (0, ±2), a point of order 3, even without the subgroup
  // check: blst_p1_uncompress returns BLST_POINT_NOT_IN_GROUP for x = 0. Kept for byte-compatibility.
  if ((subgroupCheck || x === 0n) && (x === 0n || !isTorsionFree(x, y))) {
    throw new KzgError(
      index === undefined
        ? { code: 'KZG_NOT_IN_SUBGROUP', what }
        : { code: 'KZG_NOT_IN_SUBGROUP', what, index },
    );
  }
  return { x, y };
}

/** Whether an on-curve affine point lies in the prime-order subgroup (noble's endomorphism check). */
export function isTorsionFree(x: bigint, y: bigint): boolean {
  return bls12_381.G1.Point.fromAffine({ x, y }).isTorsionFree();
}

/** The 48-byte compressed encoding (identity = c0 00…00). */
export function encodeG1(p: Affine): Uint8Array {
  const out = new Uint8Array(G1_SIZE);
  if (p === null) {
    out[0] = 0xc0;
    return out;
  }
  writeBigint(out, 0, G1_SIZE, p.x);
  out[0]! |= 0x80 | (p.y > HALF_P ? 0x20 : 0);
  return out;
}

/** Writes the 96-byte uncompressed form (x ‖ y; identity = 40 00…00) at out[offset]. */
export function writeUncompressedG1(out: Uint8Array, offset: number, p: Affine): void {
  if (p === null) {
    out.fill(0, offset, offset + G1_UNCOMPRESSED_SIZE);
    out[offset] = 0x40;
    return;
  }
  writeBigint(out, offset, G1_SIZE, p.x);
  writeBigint(out, offset + G1_SIZE, G1_SIZE, p.y);
}

/** Reads a 96-byte uncompressed point written by us or by blst (no checks: trusted tables only). */
export function readUncompressedG1(bytes: Uint8Array, offset: number): Affine {
  if ((bytes[offset]! & 0x40) !== 0) return null;
  return {
    x: bytesToBigint(bytes, offset, offset + G1_SIZE),
    y: bytesToBigint(bytes, offset + G1_SIZE, offset + G1_UNCOMPRESSED_SIZE),
  };
}

/** -P */
export function negate(p: Affine): Affine {
  return p === null || p.y === 0n ? p : { x: p.x, y: P - p.y };
}

/** 2·A in Jacobian coordinates (dbl-2009-l, a = 0). */
export function jDouble(a: Jacobian): Jacobian {
  if (a.z === 0n || a.y === 0n) return JACOBIAN_ZERO;
  const A = (a.x * a.x) % P;
  const B = (a.y * a.y) % P;
  const C = (B * B) % P;
  const xb = a.x + B;
  const D = mod(2n * (xb * xb - A - C));
  const E = 3n * A;
  const F = (E * E) % P;
  const x = mod(F - 2n * D);
  const y = mod(E * (D - x) - 8n * C);
  const z = (2n * a.y * a.z) % P;
  return { x, y, z };
}

/** A + B with B affine (madd-2007-bl). */
export function jAddAffine(a: Jacobian, bx: bigint, by: bigint): Jacobian {
  if (a.z === 0n) return { x: bx, y: by, z: 1n };
  const z1z1 = (a.z * a.z) % P;
  const u2 = (bx * z1z1) % P;
  const s2 = (((by * a.z) % P) * z1z1) % P;
  const h = mod(u2 - a.x);
  const r = mod(2n * (s2 - a.y));
  if (h === 0n) return r === 0n ? jDouble({ x: bx, y: by, z: 1n }) : JACOBIAN_ZERO;
  const hh = (h * h) % P;
  const i = 4n * hh;
  const j = (h * i) % P;
  const v = (a.x * i) % P;
  const x = mod(r * r - j - 2n * v);
  const y = mod(r * (v - x) - 2n * ((a.y * j) % P));
  const zh = a.z + h;
  const z = mod(zh * zh - z1z1 - hh);
  return { x, y, z };
}

/** A + B (add-2007-bl). */
export function jAdd(a: Jacobian, b: Jacobian): Jacobian {
  if (a.z === 0n) return b;
  if (b.z === 0n) return a;
  const z1z1 = (a.z * a.z) % P;
  const z2z2 = (b.z * b.z) % P;
  const u1 = (a.x * z2z2) % P;
  const u2 = (b.x * z1z1) % P;
  const s1 = (((a.y * b.z) % P) * z2z2) % P;
  const s2 = (((b.y * a.z) % P) * z1z1) % P;
  const h = mod(u2 - u1);
  const r = mod(2n * (s2 - s1));
  if (h === 0n) return r === 0n ? jDouble(a) : JACOBIAN_ZERO;
  const i = (4n * h * h) % P;
  const j = (h * i) % P;
  const v = (u1 * i) % P;
  const x = mod(r * r - j - 2n * v);
  const y = mod(r * (v - x) - 2n * ((s1 * j) % P));
  const zz = a.z + b.z;
  const z = (mod(zz * zz - z1z1 - z2z2) * h) % P;
  return { x, y, z };
}

/** The affine form of a Jacobian point. */
export function toAffine(a: Jacobian): Affine {
  if (a.z === 0n) return null;
  const zi = fpInv(a.z);
  const zi2 = (zi * zi) % P;
  return { x: (a.x * zi2) % P, y: (((a.y * zi2) % P) * zi) % P };
}

/** k·A for a non-negative k (double-and-add; few calls only). */
export function jMul(a: Affine, k: bigint): Jacobian {
  let acc = JACOBIAN_ZERO;
  if (a === null || k === 0n) return acc;
  for (let i = k.toString(2).length - 1; i >= 0; i--) {
    acc = jDouble(acc);
    if ((k >> BigInt(i)) & 1n) acc = jAddAffine(acc, a.x, a.y);
  }
  return acc;
}
