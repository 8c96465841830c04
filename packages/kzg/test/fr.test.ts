import { BLS12_381_R, scalarFromBigint, scalarToBigint } from '@autonomys/primitives';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FR_LIMBS,
  frAddAt,
  frFromBigint,
  frMulAt,
  frSubAt,
  frToBigint,
  frVectorFromBytes,
  frVectorToBytes,
} from '../src/fr.js';
import { fft, getDomain, ifft, KzgError, Polynomial, poly, rootOfUnity } from '../src/index.js';
import { s, toHex } from './helpers.js';

const R = BLS12_381_R;
const scalar = fc.bigInt({ min: 0n, max: R - 1n });
const edge = fc.constantFrom(0n, 1n, 2n, R - 1n, R - 2n, (R - 1n) / 2n, 1n << 254n);
const element = fc.oneof(scalar, edge);

describe('Fr (11 × 24-bit Montgomery limbs)', () => {
  it('the 32-byte big-endian codec round-trips canonical scalars', () =>
    fc.assert(
      fc.property(fc.array(element, { maxLength: 8 }), (xs) => {
        const bytes = new Uint8Array(xs.length * 32);
        xs.forEach((x, i) => {
          bytes.set(scalarFromBigint(x), i * 32);
        });
        const copy = bytes.slice();
        const v = frVectorFromBytes(bytes, 'x');
        expect(toHex(frVectorToBytes(v))).toBe(toHex(bytes));
        expect(bytes).toEqual(copy); // input not mutated
        xs.forEach((x, i) => {
          expect(frToBigint(v, i)).toBe(x);
        });
      }),
    ));

  it('rejects non-canonical scalars (>= r) with KZG_INVALID_SCALAR and the index', () => {
    for (const bad of [R, R + 1n, (1n << 256n) - 1n]) {
      const bytes = new Uint8Array(64);
      bytes.set(Buffer.from(bad.toString(16).padStart(64, '0'), 'hex'), 32);
      try {
        frVectorFromBytes(bytes, 'values');
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(KzgError);
        expect((e as KzgError).type).toEqual({ code: 'KZG_INVALID_SCALAR', what: 'values', index: 1 });
      }
    }
  });

  it('mul, add, sub agree with BigInt arithmetic mod r', () =>
    fc.assert(
      fc.property(element, element, (a, b) => {
        const va = frFromBigint(a);
        const vb = frFromBigint(b);
        const out = new Float64Array(FR_LIMBS);
        frMulAt(out, 0, va, 0, vb, 0);
        expect(frToBigint(out)).toBe((a * b) % R);
        frAddAt(out, 0, va, 0, vb, 0);
        expect(frToBigint(out)).toBe((a + b) % R);
        frSubAt(out, 0, va, 0, vb, 0);
        expect(frToBigint(out)).toBe((a - b + R) % R);
      }),
      { numRuns: 2000 },
    ));
});

describe('domains and FFTs', () => {
  it('ω_n = 7^((r-1)/n) has order exactly n and domains nest (ω_2n^2 = ω_n)', () => {
    for (let log = 0; log <= 16; log++) {
      const n = 2 ** log;
      const w = scalarToBigint(rootOfUnity(n));
      let x = w;
      for (let i = 0; i < log; i++) x = (x * x) % R;
      expect(x).toBe(1n);
      if (n > 1) expect(w ** BigInt(n / 2) % R).toBe(R - 1n);
      if (log > 0) expect((w * w) % R).toBe(scalarToBigint(rootOfUnity(n / 2)));
    }
  });

  it('rejects domain sizes that are not a power of two or above 2^16', () => {
    for (const n of [0, 3, 6, 100, 2 ** 17, -4, 1.5]) {
      expect(() => getDomain(n)).toThrow(expect.objectContaining({ code: 'KZG_INVALID_DOMAIN_SIZE' }));
    }
  });

  it('fft equals the naive DFT, natural order (n = 8)', () => {
    const n = 8;
    const c = Array.from({ length: n }, (_, i) => BigInt(i * 31 + 7) ** 9n % R);
    const w = scalarToBigint(rootOfUnity(n));
    const bytes = new Uint8Array(n * 32);
    c.forEach((x, i) => {
      bytes.set(s(x), i * 32);
    });
    const out = fft(bytes);
    for (let k = 0; k < n; k++) {
      let acc = 0n;
      for (let j = 0; j < n; j++) acc = (acc + c[j]! * (w ** BigInt(j * k) % R)) % R;
      expect(toHex(out.subarray(32 * k, 32 * k + 32))).toBe(toHex(s(acc)));
    }
  });

  it('ifft ∘ fft = identity and fft ∘ ifft = identity', () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }),
        fc.array(element, { minLength: 512, maxLength: 512 }),
        (log, xs) => {
          const n = 2 ** log;
          const bytes = new Uint8Array(n * 32);
          for (let i = 0; i < n; i++) bytes.set(s(xs[i]!), i * 32);
          expect(toHex(ifft(fft(bytes)))).toBe(toHex(bytes));
          expect(toHex(fft(ifft(bytes)))).toBe(toHex(bytes));
        },
      ),
      { numRuns: 30 },
    ));

  it('ifft ∘ fft = identity at 2^16', () => {
    const n = 2 ** 16;
    const bytes = new Uint8Array(n * 32);
    for (let i = 0; i < n; i++) bytes.set(s((BigInt(i) * 0x9e3779b97f4a7c15n) ** 3n % R), i * 32);
    expect(Buffer.from(ifft(fft(bytes))).equals(Buffer.from(bytes))).toBe(true);
  });

  it('poly(values) evaluates back to the values on its domain', () => {
    const n = 64;
    const values = Array.from({ length: n }, (_, i) => s(BigInt(i) ** 20n % R));
    const p = poly(values);
    expect(p.length).toBe(n);
    for (const i of [0, 1, 17, 63]) {
      expect(toHex(p.evaluateAt(n, i))).toBe(toHex(values[i]!));
      expect(toHex(p.evaluate(s(scalarToBigint(rootOfUnity(n)) ** BigInt(i) % R)))).toBe(toHex(values[i]!));
    }
    // the same from concatenated bytes
    const flat = new Uint8Array(n * 32);
    values.forEach((v, i) => {
      flat.set(v, i * 32);
    });
    expect(toHex(poly(flat).coefficients())).toBe(toHex(p.coefficients()));
  });

  it('poly rejects counts that are not a power of two', () => {
    expect(() => poly([s(1), s(2), s(3)])).toThrow(
      expect.objectContaining({ code: 'KZG_INVALID_DOMAIN_SIZE' }),
    );
    expect(() => poly(new Uint8Array(33))).toThrow(expect.objectContaining({ code: 'KZG_INVALID_LENGTH' }));
    expect(() => Polynomial.fromCoefficients([new Uint8Array(31)])).toThrow(
      expect.objectContaining({ code: 'KZG_INVALID_LENGTH' }),
    );
  });
});
