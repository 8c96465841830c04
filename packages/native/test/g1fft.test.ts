import { describe, expect, it } from 'vitest';
import { g1Fft, g1FftAsync, hasG1Fft } from '../src/index.js';
import {
  bigintToBe,
  concat,
  encodeG1Raw,
  Fr,
  G1,
  type G1Point,
  hex,
  offCurveX,
  scalarBytes,
  scalars,
  skipNative,
  thrown,
} from './helpers.js';

const root = (n: number) => Fr.pow(7n, (Fr.ORDER - 1n) / BigInt(n));
const rootBytes = (n: number) => bigintToBe(root(n), 32);
const uncompressed = (p: G1Point) => (p.is0() ? identity() : p.toBytes(false));
const identity = () => {
  const b = new Uint8Array(96);
  b[0] = 0x40;
  return b;
};
const points = (label: string, n: number) =>
  scalars(label, n).map((s) => G1.BASE.multiply(s === 0n ? 1n : s));
const decode = (bytes: Uint8Array, size: number) =>
  Array.from({ length: bytes.length / size }, (_, i) => hex(bytes.subarray(size * i, size * i + size)));
/** out_k = Σ_j s_j·P_j·w^(jk), the definition. */
const naive = (ps: G1Point[], w: bigint, s?: bigint[]) =>
  ps.map((_, k) =>
    ps.reduce((acc, p, j) => {
      const e = Fr.mul(s?.[j] ?? 1n, Fr.pow(w, BigInt(j * k)));
      return e === 0n ? acc : acc.add(p.multiply(e));
    }, G1.ZERO),
  );
describe.skipIf(skipNative)('g1Fft', () => {
  it('is present in this build', () => expect(hasG1Fft).toBe(true));

  it.each([1, 2, 4, 8])('equals the definition for n = %i, forward, inverse and with scalars', (n) => {
    const ps = points(`g1fft-${n}`, n);
    if (n > 2) ps[1] = G1.ZERO; // the identity is a valid input
    const input = concat(ps.map(uncompressed));
    const w = root(n);
    const fwd = g1Fft(input, rootBytes(n));
    expect(decode(fwd, 96)).toEqual(naive(ps, w).map((p) => hex(uncompressed(p))));
    const nInv = Fr.inv(BigInt(n));
    const inv = g1Fft(input, rootBytes(n), { inverse: true, compress: true });
    expect(decode(inv, 48)).toEqual(naive(ps, Fr.inv(w)).map((p) => hex(p.multiply(nInv).toBytes(true))));
    expect(g1Fft(fwd, rootBytes(n), { inverse: true })).toEqual(input);
    const s = scalars(`g1fft-s-${n}`, n);
    s[0] = 0n;
    const scaled = g1Fft(input, rootBytes(n), { scalars: scalarBytes(s), compress: true });
    expect(decode(scaled, 48)).toEqual(naive(ps, w, s).map((p) => hex(p.toBytes(true))));
  });

  it('g1FftAsync gives the same bytes off the thread, and rejects like g1Fft', async () => {
    const ps = concat(points('g1fft-async', 8).map(uncompressed));
    const s = scalarBytes(scalars('g1fft-async-s', 8));
    const opts = { scalars: s, inverse: true, compress: true };
    expect(await g1FftAsync(ps, rootBytes(8), opts)).toEqual(g1Fft(ps, rootBytes(8), opts));
    await expect(g1FftAsync(ps, rootBytes(4))).rejects.toMatchObject({ code: 'NATIVE_INVALID_ROOT' });
  });

  it('rejects a wrong root, bad points and non-canonical scalars with typed errors', () => {
    const ps = concat(points('g1fft-bad', 4).map(uncompressed));
    expect(thrown(() => g1Fft(ps, rootBytes(8))).type).toMatchObject({ code: 'NATIVE_INVALID_ROOT' });
    expect(thrown(() => g1Fft(ps, rootBytes(2))).type).toMatchObject({ code: 'NATIVE_INVALID_ROOT' });
    expect(thrown(() => g1Fft(ps.subarray(0, 3 * 96), rootBytes(4))).code).toBe('NATIVE_INVALID_ARGUMENT');
    const off = ps.slice();
    off.set(encodeG1Raw(offCurveX(), 1n, false), 2 * 96);
    expect(thrown(() => g1Fft(off, rootBytes(4))).type).toMatchObject({
      code: 'NATIVE_NOT_ON_CURVE',
      index: 2,
    });
    const bad = scalarBytes([1n, 2n, Fr.ORDER - 1n, 0n]);
    bad.set(bigintToBe(Fr.ORDER, 32), 3 * 32);
    expect(thrown(() => g1Fft(ps, rootBytes(4), { scalars: bad })).type).toMatchObject({
      code: 'NATIVE_INVALID_SCALAR',
      index: 3,
    });
    expect(thrown(() => g1Fft(ps, rootBytes(4), { scalars: new Uint8Array(32) })).code).toBe(
      'NATIVE_INVALID_ARGUMENT',
    );
  });
});
