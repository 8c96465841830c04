import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { g1MsmWithKernel } from '../src/curve.js';
import {
  frQuotient,
  type G1FixedBase,
  g1FixedBasePrepare,
  hasFrQuotient,
  hasG1FixedBase,
  NativeError,
} from '../src/index.js';
import {
  bigintToBe,
  concat,
  encodeAll,
  encodeG1Raw,
  Fr,
  G1,
  type G1Point,
  hex,
  IDENTITY96,
  offCurveX,
  scalarBytes,
  scalars,
  skipNative,
} from './helpers.js';

const IDENTITY = new Uint8Array(48);
IDENTITY[0] = 0xc0;

/** n distinct points G·(3 + 7·i). */
function distinctPoints(n: number): G1Point[] {
  const step = G1.BASE.multiply(7n);
  const out: G1Point[] = [];
  for (let i = 0, p = G1.BASE.multiply(3n); i < n; i++, p = p.add(step)) out.push(p);
  return out;
}

const N = 4097;

describe.skipIf(skipNative)('G1FixedBase: the fixed-base MSM (csrc/msm.c k_msm_fixed)', () => {
  let pool: G1Point[];
  let poolTable: Uint8Array;
  let fixed: G1FixedBase;
  beforeAll(async () => {
    pool = distinctPoints(N);
    poolTable = encodeAll(pool);
    fixed = await g1FixedBasePrepare(poolTable, { threads: 2 });
  });

  it('is available with the addon, and sizes its table', () => {
    expect(hasG1FixedBase).toBe(true);
    expect(fixed.count).toBe(N);
    expect(fixed.windowBits).toBeGreaterThanOrEqual(8);
    expect(fixed.bytes).toBeGreaterThanOrEqual(N * 96 * Math.floor(255 / fixed.windowBits + 1));
  });

  it.each([1, 2, 3, 4, 5, 31, 32, 33, 255, 256, 1000, 2049, 4096, 4097])(
    'random scalars, n = %i: the bytes of blst, whole and in parts',
    async (n) => {
      const sb = scalarBytes(scalars(`fixed-${n}`, n));
      const reference = hex(g1MsmWithKernel('blst', poolTable, sb, n));
      expect(hex(fixed.msm(sb))).toBe(reference);
      for (const threads of n >= 1000 ? [1, 2, 3, 7] : [2])
        expect(hex(await fixed.msmAsync(sb, { threads }))).toBe(reference);
    },
  );

  it('edge scalars: zero, 1, r - 1, all equal (one bucket per window), all zero', async () => {
    const n = 3000;
    const ss = scalars('fixed-edges', n);
    for (let i = 0; i < n; i += 7) ss[i] = 0n;
    for (let i = 3; i < n; i += 11) ss[i] = Fr.ORDER - 1n;
    for (let i = 5; i < n; i += 13) ss[i] = 1n;
    const cases = [
      ss,
      Array.from({ length: n }, () => 1n), // every digit in bucket 0 of window 0: one 3000-point bucket
      Array.from({ length: n }, () => Fr.ORDER - 1n),
      Array.from({ length: n }, () => 0n),
    ];
    for (const c of cases) {
      const sb = scalarBytes(c);
      const reference = hex(g1MsmWithKernel('blst', poolTable, sb, n));
      expect(hex(fixed.msm(sb))).toBe(reference);
      expect(hex(await fixed.msmAsync(sb, { threads: 2 }))).toBe(reference);
    }
    expect(fixed.msm(new Uint8Array(32 * n))).toEqual(IDENTITY);
    expect(fixed.msm(new Uint8Array(0))).toEqual(IDENTITY);
    expect(await fixed.msmAsync(new Uint8Array(0), { threads: 3 })).toEqual(IDENTITY);
  });

  it('edge points: identity points, repeated points, P and -P, every window size', async () => {
    const n = 400;
    const ps = pool.slice(0, n);
    for (let i = 5; i < n; i += 13) ps[i] = G1.ZERO;
    for (let i = 20; i < n; i += 17) {
      ps[i] = ps[i - 1]!; // a repeated point with the same scalar: doublings in the buckets
      ps[i + 1] = ps[i - 1]!.negate(); // its negation: P + (-P) in a bucket
    }
    const table = encodeAll(ps);
    const ss = scalars('fixed-points', n);
    for (let i = 20; i < n; i += 17) {
      ss[i] = ss[i - 1]!;
      ss[i + 1] = ss[i - 1]!;
    }
    const sb = scalarBytes(ss);
    const reference = hex(g1MsmWithKernel('blst', table, sb));
    for (const windowBits of [2, 3, 7, 11, 16]) {
      const f = await g1FixedBasePrepare(table, { windowBits, threads: 3 });
      expect(f.windowBits).toBe(windowBits);
      expect(hex(f.msm(sb))).toBe(reference);
      expect(hex(await f.msmAsync(sb, { threads: 2 }))).toBe(reference);
    }
    const ids = await g1FixedBasePrepare(concat(Array.from({ length: 50 }, () => IDENTITY96)), {
      threads: 1,
    });
    expect(ids.msm(scalarBytes(scalars('ids', 50)))).toEqual(IDENTITY);
  });

  it('property: the same point as blst for random terms over a small pool (repeats, negations, identity)', async () => {
    const small = pool.slice(0, 6);
    const choices = [...small, ...small.map((p) => p.negate()), G1.ZERO];
    const terms = Array.from({ length: 64 }, (_, i) => choices[(i * 5) % choices.length]!);
    const table = encodeAll(terms);
    const f = await g1FixedBasePrepare(table, { windowBits: 5, threads: 1 });
    const edge = [0n, 1n, 2n, Fr.ORDER - 1n, Fr.ORDER - 2n, (Fr.ORDER - 1n) / 2n, 1n << 254n];
    const scalar = fc.oneof(fc.constantFrom(...edge), fc.bigInt({ min: 0n, max: Fr.ORDER - 1n }));
    fc.assert(
      fc.property(fc.array(scalar, { minLength: 0, maxLength: 64 }), (ss) => {
        const sb = concat(ss.map((s) => bigintToBe(s, 32)));
        expect(hex(f.msm(sb))).toBe(hex(g1MsmWithKernel('blst', table, sb, ss.length)));
      }),
      { numRuns: 60 },
    );
  });

  it('rejects bad scalars, bad points and bad shapes with typed errors', async () => {
    const sb = scalarBytes(scalars('fixed-bad', 300));
    sb.set(bigintToBe(Fr.ORDER, 32), 32 * 211);
    expect(() => fixed.msm(sb)).toThrow(
      expect.objectContaining({
        type: expect.objectContaining({ code: 'NATIVE_INVALID_SCALAR', index: 211 }),
      }),
    );
    await expect(fixed.msmAsync(sb, { threads: 2 })).rejects.toMatchObject({
      type: { code: 'NATIVE_INVALID_SCALAR', index: 211 },
    });
    const tooMany = new Uint8Array(32 * (N + 1));
    expect(() => fixed.msm(tooMany)).toThrow(NativeError);
    expect(() => fixed.msm(new Uint8Array(33))).toThrow(NativeError);
    // a point off the curve, in the second build job's range
    const bad = poolTable.slice(0, 96 * 100);
    bad.set(encodeG1Raw(offCurveX(), 1n, false), 96 * 77);
    await expect(g1FixedBasePrepare(bad, { threads: 2 })).rejects.toMatchObject({
      type: { code: 'NATIVE_NOT_ON_CURVE', index: 77 },
    });
    await expect(g1FixedBasePrepare(poolTable, { windowBits: 17 })).rejects.toBeInstanceOf(NativeError);
    await expect(g1FixedBasePrepare(poolTable, { windowBits: 1 })).rejects.toBeInstanceOf(NativeError);
    await expect(g1FixedBasePrepare(poolTable, { count: N + 1 })).rejects.toBeInstanceOf(NativeError);
    await expect(g1FixedBasePrepare(new Uint8Array(0))).rejects.toBeInstanceOf(NativeError);
    await expect(g1FixedBasePrepare(new Uint8Array(95))).rejects.toBeInstanceOf(NativeError);
  });

  it('a table over the first points of a longer list serves MSMs of up to that many terms', async () => {
    const f = await g1FixedBasePrepare(poolTable, { count: 600, threads: 2 });
    expect(f.count).toBe(600);
    const sb = scalarBytes(scalars('fixed-count', 600));
    expect(hex(f.msm(sb))).toBe(hex(g1MsmWithKernel('blst', poolTable, sb, 600)));
    expect(() => f.msm(new Uint8Array(32 * 601))).toThrow(NativeError);
  });
});

describe.skipIf(skipNative)('frQuotient: the synthetic division of a KZG witness', () => {
  it('matches a BigInt reference', () => {
    expect(hasFrQuotient).toBe(true);
    for (const n of [2, 3, 4, 100, 1025]) {
      const cs = scalars(`quotient-${n}`, n);
      cs[n - 1] = Fr.ORDER - 1n;
      const x = scalars(`quotient-x-${n}`, 1)[0]!;
      const q: bigint[] = new Array(n - 1);
      q[n - 2] = cs[n - 1]!;
      for (let k = n - 2; k >= 1; k--) q[k - 1] = Fr.add(cs[k]!, Fr.mul(x, q[k]!));
      expect(hex(frQuotient(scalarBytes(cs), bigintToBe(x, 32)))).toBe(hex(scalarBytes(q)));
    }
    expect(frQuotient(scalarBytes([5n]), bigintToBe(3n, 32))).toEqual(new Uint8Array(0));
    expect(frQuotient(new Uint8Array(0), bigintToBe(3n, 32))).toEqual(new Uint8Array(0));
  });

  it('takes @autonomys/kzg FrVector limbs (a·2^264 mod r, 11 × 24 bits) with the same result', () => {
    const toLimbs = (xs: bigint[]) => {
      const out = new Float64Array(11 * xs.length);
      xs.forEach((x, i) => {
        let v = (x << 264n) % Fr.ORDER;
        for (let j = 0; j < 11; j++, v >>= 24n) out[11 * i + j] = Number(v & 0xffffffn);
      });
      return out;
    };
    for (const n of [2, 3, 257]) {
      const cs = scalars(`quotient-limbs-${n}`, n);
      cs[0] = Fr.ORDER - 1n;
      const x = bigintToBe(scalars(`quotient-limbs-x-${n}`, 1)[0]!, 32);
      expect(hex(frQuotient(toLimbs(cs), x))).toBe(hex(frQuotient(scalarBytes(cs), x)));
    }
    const cs = scalars('quotient-limbs-bad', 5);
    for (const [limb, value] of [
      [0, 0.5],
      [3, -1],
      [7, 2 ** 24],
      [10, Number.NaN],
    ] as const) {
      const l = toLimbs(cs);
      l[11 * 2 + limb] = value;
      expect(() => frQuotient(l, bigintToBe(3n, 32))).toThrow(
        expect.objectContaining({
          type: expect.objectContaining({ code: 'NATIVE_INVALID_SCALAR', index: 2 }),
        }),
      );
    }
    const tooBig = toLimbs(cs);
    let r = Fr.ORDER; // r itself, not canonical
    for (let j = 0; j < 11; j++, r >>= 24n) tooBig[11 * 4 + j] = Number(r & 0xffffffn);
    expect(() => frQuotient(tooBig, bigintToBe(3n, 32))).toThrow(
      expect.objectContaining({ type: expect.objectContaining({ code: 'NATIVE_INVALID_SCALAR', index: 4 }) }),
    );
    expect(() => frQuotient(new Float64Array(12), bigintToBe(3n, 32))).toThrow(NativeError);
    expect(frQuotient(new Float64Array(11), bigintToBe(3n, 32))).toEqual(new Uint8Array(0));
  });

  it('rejects non-canonical coefficients (with their index) and x (index n)', () => {
    const cs = scalars('quotient-bad', 10);
    for (const bad of [0, 4, 9]) {
      const c = cs.slice();
      c[bad] = Fr.ORDER;
      expect(() => frQuotient(scalarBytes(c), bigintToBe(3n, 32))).toThrow(
        expect.objectContaining({
          type: expect.objectContaining({ code: 'NATIVE_INVALID_SCALAR', index: bad }),
        }),
      );
    }
    expect(() => frQuotient(scalarBytes(cs), bigintToBe(Fr.ORDER, 32))).toThrow(
      expect.objectContaining({
        type: expect.objectContaining({ code: 'NATIVE_INVALID_SCALAR', index: 10 }),
      }),
    );
    expect(() => frQuotient(new Uint8Array(33), new Uint8Array(32))).toThrow(NativeError);
    expect(() => frQuotient(new Uint8Array(64), new Uint8Array(31))).toThrow(NativeError);
  });
});

describe('G1FixedBase without the addon', () => {
  it('hasG1FixedBase is false and g1FixedBasePrepare rejects with NATIVE_UNAVAILABLE', async () => {
    vi.resetModules();
    vi.stubEnv('AUTONOMYS_NATIVE_DISABLE', '1');
    try {
      const m = await import('../src/index.js');
      expect(m.hasG1FixedBase).toBe(false);
      await expect(m.g1FixedBasePrepare(new Uint8Array(96))).rejects.toMatchObject({
        type: { code: 'NATIVE_UNAVAILABLE', what: 'g1FixedBasePrepare' },
      });
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
