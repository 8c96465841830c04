import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { g1MsmWithKernel } from '../src/curve.js';
import { g1Add, g1Msm, g1MsmAsync, g1MsmParallel, NativeError } from '../src/index.js';
import {
  bigintToBe,
  concat,
  encodeAll,
  Fr,
  G1,
  type G1Point,
  hex,
  IDENTITY96,
  kzgParameterPoints,
  scalarBytes,
  scalars,
  skipNative,
} from './helpers.js';

const IDENTITY = new Uint8Array(48);
IDENTITY[0] = 0xc0;

/** n distinct points G·(5 + 11·i). */
function distinctPoints(n: number): G1Point[] {
  const step = G1.BASE.multiply(11n);
  const out: G1Point[] = [];
  for (let i = 0, p = G1.BASE.multiply(5n); i < n; i++, p = p.add(step)) out.push(p);
  return out;
}

const pool = distinctPoints(4097);
const poolTable = encodeAll(pool);

/** Every kernel, every entry point: the same 48 bytes as blst's Pippenger (the previous path). */
async function expectAllEqual(table: Uint8Array, sb: Uint8Array): Promise<string> {
  const reference = hex(g1MsmWithKernel('blst', table, sb));
  expect(hex(g1MsmWithKernel('affine', table, sb))).toBe(reference);
  expect(hex(g1Msm(table, sb))).toBe(reference);
  expect(hex(await g1MsmAsync(table, sb))).toBe(reference);
  return reference;
}

describe.skipIf(skipNative)('g1Msm kernels at the real size: 2^15 points of the KZG parameters', () => {
  it('random scalars, one job and two', async () => {
    const n = 1 << 15;
    const table = kzgParameterPoints(n);
    const sb = scalarBytes(scalars('kernels-2^15', n));
    const reference = await expectAllEqual(table, sb);
    expect(hex(await g1MsmParallel(table, sb, { threads: 2 }))).toBe(reference);
  }, 120_000);
});

describe.skipIf(skipNative)('g1Msm kernels: affine buckets (csrc/msm.c) against blst', () => {
  it.each([1, 2, 3, 63, 64, 65, 127, 128, 129, 255, 256, 1000, 4097])(
    'random points and scalars, n = %i',
    async (n) => {
      const sb = scalarBytes(scalars(`kernels-${n}`, n));
      const table = poolTable.subarray(0, 96 * n);
      const reference = await expectAllEqual(table, sb);
      if (n === 4097) {
        for (const threads of [2, 3]) {
          expect(hex(await g1MsmParallel(table, sb, { threads, kernel: 'affine' }))).toBe(reference);
          expect(hex(await g1MsmParallel(table, sb, { threads }))).toBe(reference);
        }
      }
    },
  );

  it('edge terms: zero scalars, r - 1, identity points, repeated points, P and -P', async () => {
    const n = 700;
    const ps = pool.slice(0, n);
    const ss = scalars('edges', n);
    for (let i = 0; i < n; i += 7) ss[i] = 0n;
    for (let i = 3; i < n; i += 11) ss[i] = Fr.ORDER - 1n;
    for (let i = 5; i < n; i += 13) ps[i] = G1.ZERO;
    for (let i = 20; i < n; i += 17) {
      ps[i] = ps[i - 1]!; // a repeated point with the same scalar: doublings in the buckets
      ss[i] = ss[i - 1]!;
      ps[i + 1] = ps[i - 1]!.negate(); // its negation with the same scalar: P + (-P) in a bucket
      ss[i + 1] = ss[i - 1]!;
    }
    const table = encodeAll(ps);
    const sb = scalarBytes(ss);
    await expectAllEqual(table, sb);
  });

  it('one point many times: every bucket doubles, cancels and re-adds', async () => {
    const p = pool[7]!;
    for (const [n, pattern] of [
      [300, (i: number) => (i % 2 === 0 ? p : p.negate())],
      [301, () => p],
      [2100, () => p], // one bucket larger than the kernel's block of 2048 points
      [257, (i: number) => (i % 3 === 2 ? G1.ZERO : i % 3 === 1 ? p.negate() : p)],
    ] as const) {
      const ps = Array.from({ length: n }, (_, i) => pattern(i));
      const s = scalars(`same-${n}`, 1)[0]!;
      const table = encodeAll(ps);
      const sb = scalarBytes(ps.map(() => s));
      const got = await expectAllEqual(table, sb);
      const sum = ps.reduce((a, b) => a.add(b), G1.ZERO).multiply(s);
      expect(got).toBe(hex(sum.is0() ? IDENTITY : sum.toBytes(true)));
    }
  });

  it('only zero scalars or only identity points give the identity with every kernel', () => {
    const n = 300;
    const zeros = new Uint8Array(32 * n);
    const sb = scalarBytes(scalars('id', n));
    const ids = concat(Array.from({ length: n }, () => IDENTITY96));
    for (const kernel of ['auto', 'blst', 'affine'] as const) {
      expect(g1MsmWithKernel(kernel, poolTable.subarray(0, 96 * n), zeros)).toEqual(IDENTITY);
      expect(g1MsmWithKernel(kernel, ids, sb)).toEqual(IDENTITY);
      expect(g1MsmWithKernel(kernel, new Uint8Array(0), new Uint8Array(0))).toEqual(IDENTITY);
    }
  });

  it('the same errors, with the same index, from every kernel', async () => {
    const n = 300;
    const ss = scalars('bad-kernels', n);
    ss[211] = Fr.ORDER;
    const sb = scalarBytes(ss);
    const table = poolTable.slice(0, 96 * n);
    for (const kernel of ['blst', 'affine'] as const) {
      expect(() => g1MsmWithKernel(kernel, table, sb)).toThrow(
        expect.objectContaining({ type: { code: 'NATIVE_INVALID_SCALAR', what: 'g1Msm', index: 211 } }),
      );
      await expect(g1MsmParallel(table, sb, { threads: 2, kernel })).rejects.toMatchObject({
        type: { code: 'NATIVE_INVALID_SCALAR', index: 211 },
      });
    }
    const badPoint = table.slice();
    badPoint[96 * 150 + 95]! ^= 1; // off the curve
    for (const kernel of ['blst', 'affine'] as const) {
      expect(() => g1MsmWithKernel(kernel, badPoint, sb.subarray(0, 32 * 200))).toThrow(
        expect.objectContaining({
          type: expect.objectContaining({ code: 'NATIVE_NOT_ON_CURVE', index: 150 }),
        }),
      );
    }
    let err: unknown;
    try {
      g1MsmWithKernel('fast' as 'auto', table, sb);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NativeError);
    expect((err as NativeError).type.code).toBe('NATIVE_INVALID_ARGUMENT');
  });

  it('property: affine and blst agree on random terms drawn from a small pool (repeats, negations, identity)', () => {
    const small = pool.slice(0, 6);
    const choices = [...small, ...small.map((p) => p.negate()), G1.ZERO];
    const encoded = choices.map((p) => encodeAll([p]));
    const edge = [0n, 1n, 2n, Fr.ORDER - 1n, Fr.ORDER - 2n, (Fr.ORDER - 1n) / 2n, 1n << 254n];
    const scalar = fc.oneof(fc.constantFrom(...edge), fc.bigInt({ min: 0n, max: Fr.ORDER - 1n }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: choices.length - 1 }), scalar), { minLength: 1, maxLength: 400 }),
        (terms) => {
          const table = concat(terms.map(([i]) => encoded[i]!));
          const sb = concat(terms.map(([, s]) => bigintToBe(s, 32)));
          expect(hex(g1MsmWithKernel('affine', table, sb))).toBe(hex(g1MsmWithKernel('blst', table, sb)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('parallel parts (windows shared out, more parts than windows too) add up to the whole', async () => {
    const n = 1200;
    const sb = scalarBytes(scalars('parts', n));
    const whole = hex(g1MsmWithKernel('blst', poolTable, sb, 700, 300));
    for (const threads of [1, 2, 3, 5, 40])
      for (const kernel of ['auto', 'affine', 'blst'] as const)
        expect(hex(await g1MsmParallel(poolTable, sb, { threads, kernel, start: 300, count: 700 }))).toBe(
          whole,
        );
    // below the affine kernel's threshold, part 0 is blst's whole MSM and the other parts the identity
    const few = hex(g1MsmWithKernel('blst', poolTable, sb, 9));
    expect(hex(await g1MsmParallel(poolTable, sb, { threads: 3, count: 9 }))).toBe(few);
    // every part checks every term: errors keep the index of the whole call
    const bad = scalarBytes(scalars('parts-bad', n));
    bad.set(bigintToBe(Fr.ORDER, 32), 32 * 1000);
    await expect(g1MsmParallel(poolTable, bad, { threads: 2, start: 300, count: 900 })).rejects.toMatchObject(
      { type: { code: 'NATIVE_INVALID_SCALAR', index: 1000 } },
    );
  });

  it('sub-ranges of a longer table add up to the whole', () => {
    const n = 1500;
    const sb = scalarBytes(scalars('ranges', n));
    const whole = g1MsmWithKernel('affine', poolTable, sb, n);
    const parts = g1Add(
      g1MsmWithKernel('affine', poolTable, sb, 600),
      g1MsmWithKernel('affine', poolTable, sb, 900, 600),
    );
    expect(hex(parts)).toBe(hex(whole));
    expect(hex(whole)).toBe(hex(g1MsmWithKernel('blst', poolTable, sb, n)));
  });
});
