import { bls12_381 } from '@noble/curves/bls12-381.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeG1At, encodeG1, readUncompressedG1, writeUncompressedG1 } from '../src/g1.js';
import { decodePublicParameters, KzgError, Polynomial, PUBLIC_PARAMETERS_SIZE } from '../src/index.js';
import { backends, parametersBytes, toHex } from './helpers.js';

const G1 = bls12_381.G1.Point;
const N = G1.Fn.ORDER;
const point = fc
  .bigInt({ min: 0n, max: N - 1n })
  .map((k) => (k === 0n ? G1.ZERO : G1.BASE.multiplyUnsafe(k)));

/** Runs `f`; anything thrown must be a KzgError. */
function onlyKzgErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof KzgError)) throw e;
  }
}

describe('G1 codecs', () => {
  it('compressed and uncompressed encodings round-trip (and match noble)', () =>
    fc.assert(
      fc.property(point, (pt) => {
        const compressed = pt.toBytes(true);
        const a = decodeG1At(compressed, 0, 'p', true);
        expect(toHex(encodeG1(a))).toBe(toHex(compressed));
        const table = new Uint8Array(96);
        writeUncompressedG1(table, 0, a);
        expect(readUncompressedG1(table, 0)).toEqual(a);
        for (const b of backends) expect(toHex(b.decompressG1(compressed, true))).toBe(toHex(table));
      }),
      { numRuns: 40 },
    ));

  it('the identity is c0 00…00 and decodes to the 40 00…00 table entry', () => {
    const id = new Uint8Array(48);
    id[0] = 0xc0;
    for (const b of backends) expect(toHex(b.decompressG1(id, true))).toBe(`40${'00'.repeat(95)}`);
  });

  it('decompressG1 rejects bad encodings with KZG_INVALID_POINT and points outside the subgroup with KZG_NOT_IN_SUBGROUP', () => {
    const good = G1.BASE.toBytes(true);
    const cases: Array<[Uint8Array, string]> = [];
    const noFlag = good.slice();
    noFlag[0]! &= 0x7f;
    cases.push([noFlag, 'KZG_INVALID_POINT']);
    const xTooBig = new Uint8Array(48).fill(0xff);
    xTooBig[0] = 0x9f;
    cases.push([xTooBig, 'KZG_INVALID_POINT']);
    const infSign = new Uint8Array(48);
    infSign[0] = 0xe0;
    cases.push([infSign, 'KZG_INVALID_POINT']);
    // x = 0: y^2 = 4 has roots ±2, so (0, 2) is on the curve; it is not in the prime-order subgroup.
    const x0 = new Uint8Array(48);
    x0[0] = 0x80;
    cases.push([x0, 'KZG_NOT_IN_SUBGROUP']);
    // x = 1: 1 + 4 = 5 is not a square mod p, so no point has x = 1.
    const x1 = new Uint8Array(48);
    x1[0] = 0x80;
    x1[47] = 1;
    cases.push([x1, 'KZG_INVALID_POINT']);
    for (const b of backends) {
      for (const [bytes, code] of cases) {
        const two = new Uint8Array(96);
        two.set(good, 0);
        two.set(bytes, 48);
        try {
          b.decompressG1(two, true);
          expect.unreachable(`${b.name} accepted ${toHex(bytes)}`);
        } catch (e) {
          expect(e).toBeInstanceOf(KzgError);
          expect((e as KzgError).code).toBe(code);
          expect((e as KzgError).type).toMatchObject({ index: 1 });
        }
      }
      // On-curve only, a point outside the subgroup is accepted (x = 4: 68 is a square mod p)...
      const x4 = x1.slice();
      x4[47] = 4;
      expect(() => b.decompressG1(x4, false)).not.toThrow();
      expect(() => b.decompressG1(x4, true)).toThrow(
        expect.objectContaining({ code: 'KZG_NOT_IN_SUBGROUP' }),
      );
      // ...except (0, ±2), which blst rejects at decoding whatever the option.
      expect(() => b.decompressG1(x0, false)).toThrow(
        expect.objectContaining({ code: 'KZG_NOT_IN_SUBGROUP' }),
      );
    }
  });

  it('fuzz: decompressG1 on random bytes only ever throws KzgError', () =>
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 48, maxLength: 48 }), fc.boolean(), (bytes, flag) => {
        if (flag) bytes[0]! |= 0x80;
        for (const b of backends) onlyKzgErrors(() => b.decompressG1(bytes, true));
      }),
      { numRuns: 200 },
    ));

  it('fuzz: the scalar decoders only ever throw KzgError', () =>
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        onlyKzgErrors(() => Polynomial.fromCoefficients(bytes));
        onlyKzgErrors(() => Polynomial.fromCoefficients([bytes]));
      }),
    ));
});

describe('public parameters decoder', () => {
  it('fuzz: random bytes only ever throw KzgError (KZG_PARAMETERS_CORRUPT for a wrong length)', () =>
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        expect(() => decodePublicParameters(bytes, { cache: false })).toThrow(
          expect.objectContaining({ code: 'KZG_PARAMETERS_CORRUPT' }),
        );
      }),
      { numRuns: 50 },
    ));

  it('fuzz: a corrupted point in a full-size file throws KzgError', () => {
    const good = parametersBytes();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 255 }), (i, byte) => {
        const bytes = good.slice();
        bytes[i * 48] = byte;
        onlyKzgErrors(() => decodePublicParameters(bytes, { g1Count: 16, cache: false }));
      }),
      { numRuns: 5 }, // each run re-checks the 65 G2 points (~0.3 s in noble)
    );
    expect(good.length).toBe(PUBLIC_PARAMETERS_SIZE);
  });
});
