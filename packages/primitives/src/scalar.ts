/**
 * BLS12-381 scalars as the network encodes them (archiving §1.1): 32 bytes, BIG-endian, canonical
 * (value < r). A 31-byte raw chunk is the low 31 bytes of a scalar whose top byte is zero — the
 * integer BE(chunk), neither little-endian nor reduced.
 */
import { abigint, abytes } from './assert.js';
import { hexToBytes } from './bytes.js';
import { BLS12_381_R, FULL_BYTES, SAFE_BYTES } from './constants.js';
import { PrimitivesError } from './errors.js';

/** r as 32 big-endian bytes, for comparisons without BigInt. */
const R_BE = hexToBytes('73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001');

/** True when `bytes[offset..offset+32)` is a canonical scalar (< r). No allocation. */
export function isCanonicalScalarAt(bytes: Uint8Array, offset: number): boolean {
  for (let i = 0; i < FULL_BYTES; i++) {
    const a = bytes[offset + i]!;
    const b = R_BE[i]!;
    if (a !== b) return a < b;
  }
  return false; // equal to r
}

/**
 * True for 32 bytes that encode a canonical scalar.
 * @example isCanonicalScalar(new Uint8Array(32)) // true (zero)
 */
export function isCanonicalScalar(bytes: Uint8Array): boolean {
  abytes(bytes, FULL_BYTES, 'scalar');
  return isCanonicalScalarAt(bytes, 0);
}

/** Throws `PRIMITIVES_NON_CANONICAL_SCALAR` (or a length error) unless `bytes` is a canonical scalar. */
export function assertCanonicalScalar(bytes: Uint8Array, what = 'scalar'): void {
  abytes(bytes, FULL_BYTES, what);
  if (!isCanonicalScalarAt(bytes, 0))
    throw new PrimitivesError({ code: 'PRIMITIVES_NON_CANONICAL_SCALAR', what });
}

/**
 * The integer value of a canonical scalar.
 * @example scalarToBigint(scalarFromBigint(7n)) // 7n
 */
export function scalarToBigint(bytes: Uint8Array): bigint {
  assertCanonicalScalar(bytes);
  let v = 0n;
  for (let i = 0; i < FULL_BYTES; i++) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

/** The canonical encoding of `value` (0 <= value < r). */
export function scalarFromBigint(value: bigint): Uint8Array {
  abigint(value, 'scalar value', BLS12_381_R - 1n);
  const out = new Uint8Array(FULL_BYTES);
  let v = value;
  for (let i = FULL_BYTES - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/**
 * A scalar from a 31-byte raw chunk: `0x00 ‖ chunk` (never fails: 2^248 < r).
 * @example scalarFromSafeBytes(raw31).subarray(1) // equals raw31
 */
export function scalarFromSafeBytes(chunk: Uint8Array): Uint8Array {
  abytes(chunk, SAFE_BYTES, 'safe chunk');
  const out = new Uint8Array(FULL_BYTES);
  out.set(chunk, 1);
  return out;
}

/**
 * The 31-byte raw chunk of a scalar whose top byte is zero, or `undefined` when it is not (as
 * the reference's `try_to_safe_bytes`). The scalar must be canonical.
 */
export function tryScalarToSafeBytes(scalar: Uint8Array): Uint8Array | undefined {
  assertCanonicalScalar(scalar);
  return scalar[0] === 0 ? scalar.slice(1) : undefined;
}

/**
 * Raw bytes (a multiple of 31) to the scalars of their 31-byte chunks, concatenated
 * (`n·31` bytes in, `n·32` out). This is how archiving turns a raw record into a record.
 */
export function safeChunksToScalars(raw: Uint8Array): Uint8Array {
  abytes(raw, undefined, 'raw chunks');
  if (raw.length % SAFE_BYTES !== 0) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_INVALID_LENGTH',
      what: 'raw chunks',
      expected: `a multiple of ${SAFE_BYTES}`,
      actual: raw.length,
    });
  }
  const n = raw.length / SAFE_BYTES;
  const out = new Uint8Array(n * FULL_BYTES);
  for (let i = 0; i < n; i++) out.set(raw.subarray(i * SAFE_BYTES, (i + 1) * SAFE_BYTES), i * FULL_BYTES + 1);
  return out;
}

/**
 * Concatenated scalars (a multiple of 32 bytes) back to their 31-byte chunks. Every scalar must
 * be canonical with a zero top byte, else `PRIMITIVES_OUT_OF_RANGE` names the first offender.
 */
export function scalarsToSafeChunks(scalars: Uint8Array): Uint8Array {
  abytes(scalars, undefined, 'scalars');
  if (scalars.length % FULL_BYTES !== 0) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_INVALID_LENGTH',
      what: 'scalars',
      expected: `a multiple of ${FULL_BYTES}`,
      actual: scalars.length,
    });
  }
  const n = scalars.length / FULL_BYTES;
  const out = new Uint8Array(n * SAFE_BYTES);
  for (let i = 0; i < n; i++) {
    if (scalars[i * FULL_BYTES] !== 0) {
      throw new PrimitivesError({
        code: 'PRIMITIVES_OUT_OF_RANGE',
        what: `scalar ${i}`,
        value: 'top byte not zero',
        max: '2^248 - 1',
      });
    }
    out.set(scalars.subarray(i * FULL_BYTES + 1, (i + 1) * FULL_BYTES), i * SAFE_BYTES);
  }
  return out;
}
