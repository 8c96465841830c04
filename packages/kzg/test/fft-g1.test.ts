import { BLS12_381_R, scalarToBigint } from '@autonomys/primitives';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { describe, expect, it } from 'vitest';
import { fft, fftG1, ifft } from '../src/index.js';
import { s, toHex } from './helpers.js';

const G = bls12_381.G1.Point.BASE;
const IDENTITY = Uint8Array.from([0xc0, ...new Array(47).fill(0)]);
const times = (k: bigint) => (k === 0n ? IDENTITY : G.multiply(k).toBytes(true));

describe('fftG1', () => {
  it('is the group image of the scalar FFT: fftG1(v_j·G) = fft(v)_k·G, and inverse likewise', () => {
    const n = 8;
    const v = Array.from({ length: n }, (_, i) => (BigInt(i) * 977n + 5n) ** 5n % BLS12_381_R);
    v[3] = 0n; // an identity input
    const flat = new Uint8Array(n * 32);
    v.forEach((x, i) => {
      flat.set(s(x), i * 32);
    });
    const points = v.map(times);
    for (const [out, inverse] of [
      [fft(flat), false],
      [ifft(flat), true],
    ] as const) {
      const expected = Array.from({ length: n }, (_, k) =>
        toHex(times(scalarToBigint(out.subarray(32 * k, 32 * k + 32)))),
      );
      expect(fftG1(points, { inverse }).map(toHex)).toEqual(expected);
    }
    expect(fftG1(fftG1(points), { inverse: true }).map(toHex)).toEqual(points.map(toHex));
  });

  it('rejects a count that is not a power of two and bad points', () => {
    expect(() => fftG1([times(1n), times(2n), times(3n)])).toThrow(
      expect.objectContaining({ code: 'KZG_INVALID_DOMAIN_SIZE' }),
    );
    expect(() => fftG1([new Uint8Array(48)])).toThrow(expect.objectContaining({ code: 'KZG_INVALID_POINT' }));
    expect(() => fftG1([new Uint8Array(47)])).toThrow(
      expect.objectContaining({ code: 'KZG_INVALID_LENGTH' }),
    );
  });
});
