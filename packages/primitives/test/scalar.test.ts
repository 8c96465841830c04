import { thrownCode } from '@autonomys/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertCanonicalScalar,
  BLS12_381_R,
  hexToBytes,
  isCanonicalScalar,
  PrimitivesError,
  safeChunksToScalars,
  scalarFromBigint,
  scalarFromSafeBytes,
  scalarsToSafeChunks,
  scalarToBigint,
  tryScalarToSafeBytes,
} from '../src/index.js';

const errCode = (fn: () => unknown) => thrownCode(fn, PrimitivesError);

describe('canonical scalars (archiving §1.1)', () => {
  it('accepts r - 1 and rejects r, r + 1 and 2^256 - 1', () => {
    expect(isCanonicalScalar(scalarFromBigint(BLS12_381_R - 1n))).toBe(true);
    const r = hexToBytes('73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001');
    expect(isCanonicalScalar(r)).toBe(false);
    const r1 = r.slice();
    r1[31] = 2;
    expect(isCanonicalScalar(r1)).toBe(false);
    expect(errCode(() => assertCanonicalScalar(new Uint8Array(32).fill(255)))).toBe(
      'PRIMITIVES_NON_CANONICAL_SCALAR',
    );
    expect(errCode(() => scalarToBigint(r))).toBe('PRIMITIVES_NON_CANONICAL_SCALAR');
    expect(errCode(() => scalarFromBigint(BLS12_381_R))).toBe('PRIMITIVES_OUT_OF_RANGE');
    expect(errCode(() => isCanonicalScalar(new Uint8Array(31)))).toBe('PRIMITIVES_INVALID_LENGTH');
  });
  it('agrees with BigInt comparison on random and near-r values', () =>
    fc.assert(
      fc.property(
        fc.oneof(
          fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
          fc.bigInt({ min: BLS12_381_R - 1000n, max: BLS12_381_R + 1000n }),
        ),
        (v) => {
          const b = hexToBytes(v.toString(16).padStart(64, '0'));
          expect(isCanonicalScalar(b)).toBe(v < BLS12_381_R);
          if (v < BLS12_381_R) expect(scalarToBigint(b)).toBe(v);
        },
      ),
    ));
  it('is big-endian', () => {
    expect(scalarFromBigint(1n)[31]).toBe(1);
    expect(scalarToBigint(hexToBytes(`01${'00'.repeat(31)}`))).toBe(1n << 248n);
  });
});

describe('31-byte safe chunks (vector kzg.scalar_bytes_roundtrip)', () => {
  it('Scalar::from(31 bytes).to_bytes()[1..] == input', () =>
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 31, maxLength: 31 }), (raw) => {
        const s = scalarFromSafeBytes(raw);
        expect(s[0]).toBe(0);
        expect(s.subarray(1)).toEqual(raw);
        expect(isCanonicalScalar(s)).toBe(true);
        expect(tryScalarToSafeBytes(s)).toEqual(raw);
      }),
    ));
  it('Scalar::try_from(0x00 ‖ 31 bytes).to_bytes() == input, and no safe bytes when the top byte is set', () => {
    const s = scalarFromBigint(BLS12_381_R - 1n);
    expect(tryScalarToSafeBytes(s)).toBeUndefined();
    const z = new Uint8Array(32);
    z[5] = 9;
    expect(scalarFromSafeBytes(tryScalarToSafeBytes(z)!)).toEqual(z);
  });
  it('converts whole raw records and back', () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.uint8Array({ minLength: 31 * 20, maxLength: 31 * 20 }),
        (n, pool) => {
          const raw = pool.subarray(0, 31 * n);
          const scalars = safeChunksToScalars(raw);
          expect(scalars.length).toBe(32 * n);
          expect(scalarsToSafeChunks(scalars)).toEqual(raw);
        },
      ),
    ));
  it('rejects ragged input and scalars with a top byte', () => {
    expect(errCode(() => safeChunksToScalars(new Uint8Array(30)))).toBe('PRIMITIVES_INVALID_LENGTH');
    expect(errCode(() => scalarsToSafeChunks(new Uint8Array(33)))).toBe('PRIMITIVES_INVALID_LENGTH');
    const bad = new Uint8Array(64);
    bad[32] = 1;
    expect(errCode(() => scalarsToSafeChunks(bad))).toBe('PRIMITIVES_OUT_OF_RANGE');
    expect(errCode(() => scalarFromSafeBytes(new Uint8Array(32)))).toBe('PRIMITIVES_INVALID_LENGTH');
  });
});
