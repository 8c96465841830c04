import { BLS12_381_R } from '@autonomys/primitives';
import { describe, expect, it } from 'vitest';
import { G1_SIZE, Kzg, nativeKzgBackend, Polynomial, typescriptBackend } from '../src/index.js';
import { params, s, toHex } from './helpers.js';

const R = BLS12_381_R;
const coefficients = (m: number, seed: bigint) =>
  Polynomial.fromCoefficients(
    Array.from({ length: m }, (_, i) => s((BigInt(i) * 0x9e3779b97n + seed) ** 5n % R)),
  );
const each = (all: Uint8Array) =>
  Array.from({ length: all.length / G1_SIZE }, (_, i) => toHex(all.subarray(i * G1_SIZE, (i + 1) * G1_SIZE)));

describe('Kzg.createWitnesses', () => {
  it('opens point by point on a backend without a G1 transform (TypeScript)', () => {
    const kzg = new Kzg(params(), { backend: typescriptBackend });
    expect(kzg.hasFastWitnesses).toBe(false);
    const p = coefficients(5, 3n);
    expect(each(kzg.createWitnesses(p, 8))).toEqual(
      Array.from({ length: 8 }, (_, i) => toHex(kzg.createWitness(p, 8, i))),
    );
  });

  describe.skipIf(nativeKzgBackend === null)('on blst (FK20 through the G1 transform)', () => {
    const kzg = new Kzg(params(), { backend: nativeKzgBackend! });
    it('has the transform', () => expect(kzg.hasFastWitnesses).toBe(true));
    // m coefficients over the n-domain: m - 1 < n, = n, > n (falls back), tiny and zero polynomials.
    it.each([
      [3, 4],
      [4, 4],
      [5, 4],
      [6, 16],
      [16, 16],
      [17, 16],
      [31, 64],
      [64, 64],
      [1, 8],
      [0, 4],
    ])('m = %i coefficients on the %i-domain: the same bytes as createWitness at every point', (m, n) => {
      const p = coefficients(m, BigInt(m * 1000 + n));
      expect(each(kzg.createWitnesses(p, n))).toEqual(
        Array.from({ length: n }, (_, i) => toHex(kzg.createWitness(p, n, i))),
      );
    });

    it('the real segment size: 256 coefficients on the 256-domain (a sample of the points checked)', () => {
      const p = coefficients(256, 77n);
      const all = kzg.createWitnesses(p, 256);
      for (const i of [0, 1, 2, 77, 128, 200, 255])
        expect(each(all)[i]).toBe(toHex(kzg.createWitness(p, 256, i)));
      // The second call reuses the cached transform of the powers: same bytes.
      expect(kzg.createWitnesses(p, 256)).toEqual(all);
    });

    it('createWitnessesAsync gives the same bytes with the transforms off the thread', async () => {
      for (const [m, n] of [
        [16, 16],
        [31, 64],
        [5, 4],
      ] as const) {
        const p = coefficients(m, BigInt(m * 7 + n));
        expect(await kzg.createWitnessesAsync(p, n)).toEqual(kzg.createWitnesses(p, n));
      }
      const ac = new AbortController();
      ac.abort();
      await expect(
        kzg.createWitnessesAsync(coefficients(8, 1n), 8, { signal: ac.signal }),
      ).rejects.toMatchObject({
        code: 'KZG_ABORTED',
      });
    });

    it('rejects what createWitness rejects', () => {
      expect(() => kzg.createWitnesses(coefficients(8, 1n), 3)).toThrow(/KZG_INVALID_DOMAIN_SIZE/);
      expect(() =>
        new Kzg(params(16), { backend: nativeKzgBackend! }).createWitnesses(coefficients(64, 1n), 64),
      ).toThrow(/KZG_POLYNOMIAL_TOO_LARGE/);
    });
  });
});
