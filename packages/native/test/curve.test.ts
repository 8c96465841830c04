import { pippenger } from '@noble/curves/abstract/curve.js';
import { describe, expect, it } from 'vitest';
import {
  frExtendColumns,
  frFft,
  g1Add,
  g1Compress,
  g1Decompress,
  g1IsInSubgroup,
  g1Msm,
  g1MsmAsync,
  g1MsmParallel,
  g1PrepareAffine,
  g1PrepareAffineAsync,
  NativeError,
  pairingCheck,
} from '../src/index.js';
import {
  bigintToBe,
  concat,
  encodeG1Raw,
  Fp,
  Fr,
  G1,
  type G1Point,
  G2,
  hex,
  nonSubgroupPoint,
  offCurveX,
  scalarBytes,
  scalars,
  skipNative,
} from './helpers.js';

function thrown(f: () => unknown): NativeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NativeError);
    return e as NativeError;
  }
  throw new Error('expected a throw');
}

const IDENTITY = new Uint8Array(48);
IDENTITY[0] = 0xc0;

/** noble's toBytes() throws on some representations of the identity. */
const enc = (p: G1Point): Uint8Array => (p.is0() ? IDENTITY : p.toBytes(true));

/** n distinct points k·G (k = 3, 3+7, ...) with every `zeroEvery`-th one the identity. */
function points(n: number, zeroEvery = 0): G1Point[] {
  const step = G1.BASE.multiply(7n);
  const out: G1Point[] = [];
  let p = G1.BASE.multiply(3n);
  for (let i = 0; i < n; i++) {
    out.push(zeroEvery > 0 && i % zeroEvery === zeroEvery - 1 ? G1.ZERO : p);
    p = p.add(step);
  }
  return out;
}

describe.skipIf(skipNative)('G1 codecs', () => {
  const ps = [G1.BASE, G1.BASE.multiply(123456789n), G1.ZERO, ...points(5)];

  it('decompress/compress round-trip and agree with noble', () => {
    for (const p of ps) {
      const c = p.toBytes(true);
      const u = g1Decompress(c);
      expect(hex(u)).toBe(hex(p.toBytes(false)));
      expect(hex(g1Compress(u))).toBe(hex(c));
      expect(G1.fromBytes(u).equals(p)).toBe(true);
    }
    expect(hex(g1Decompress(IDENTITY))).toBe(`40${'00'.repeat(95)}`);
  });

  it('g1PrepareAffine (sync and split async) equals point-by-point decompression', async () => {
    const c = concat(ps.map((p) => p.toBytes(true)));
    const expected = concat(ps.map((p) => p.toBytes(false)));
    const before = c.slice();
    expect(hex(g1PrepareAffine(c))).toBe(hex(expected));
    for (const threads of [1, 2, 3, 16])
      expect(hex(await g1PrepareAffineAsync(c, { threads }))).toBe(hex(expected));
    expect(await g1PrepareAffineAsync(new Uint8Array(0))).toEqual(new Uint8Array(0));
    expect(c).toEqual(before);
  });

  it('rejects bad encodings', () => {
    const g = G1.BASE.toBytes(true);
    const noFlag = g.slice();
    noFlag[0]! &= 0x7f;
    const badInfinity = IDENTITY.slice();
    badInfinity[47] = 1;
    const xTooBig = bigintToBe(Fp.ORDER, 48);
    xTooBig[0]! |= 0x80;
    for (const b of [noFlag, badInfinity, xTooBig]) {
      expect(thrown(() => g1Decompress(b)).type).toEqual({
        code: 'NATIVE_BAD_ENCODING',
        what: 'g1PrepareAffine',
        index: 0,
        group: 'G1',
      });
    }
  });

  it('rejects an off-curve point (compressed and uncompressed) with NATIVE_NOT_ON_CURVE', () => {
    const x = offCurveX();
    const c = encodeG1Raw(x, 1n, true);
    expect(thrown(() => g1Decompress(c)).code).toBe('NATIVE_NOT_ON_CURVE');
    expect(thrown(() => g1IsInSubgroup(c)).code).toBe('NATIVE_NOT_ON_CURVE');
    const u = encodeG1Raw(G1.BASE.x, G1.BASE.y + 1n, false);
    expect(thrown(() => g1Compress(u)).code).toBe('NATIVE_NOT_ON_CURVE');
    expect(thrown(() => g1Msm(u, scalarBytes([1n]))).type).toMatchObject({
      code: 'NATIVE_NOT_ON_CURVE',
      index: 0,
    });
  });

  it('rejects a point outside the subgroup with NATIVE_NOT_IN_SUBGROUP, unless asked not to check', async () => {
    const p = nonSubgroupPoint();
    const c = encodeG1Raw(p.x, p.y, true);
    const u = encodeG1Raw(p.x, p.y, false);
    const batch = concat([G1.BASE.toBytes(true), G1.BASE.toBytes(true), c]);
    expect(thrown(() => g1PrepareAffine(batch)).type).toEqual({
      code: 'NATIVE_NOT_IN_SUBGROUP',
      what: 'g1PrepareAffine',
      index: 2,
      group: 'G1',
    });
    await expect(g1PrepareAffineAsync(batch, { threads: 3 })).rejects.toMatchObject({
      type: { code: 'NATIVE_NOT_IN_SUBGROUP', index: 2 },
    });
    // The reference decodes commitments with the on-curve check only (archiving §1.2).
    expect(hex(g1Decompress(c, { subgroupCheck: false }))).toBe(hex(u));
    expect(g1IsInSubgroup(c)).toBe(false);
    expect(g1IsInSubgroup(u)).toBe(false);
    expect(g1IsInSubgroup(G1.BASE.toBytes(true))).toBe(true);
    expect(g1IsInSubgroup(G1.BASE.toBytes(false))).toBe(true);
    expect(g1IsInSubgroup(IDENTITY)).toBe(true);
  });

  it('g1Add equals noble addition, including identity and doubling', () => {
    const [a, b] = [G1.BASE.multiply(11n), G1.BASE.multiply(13n)];
    const cases: Array<[G1Point, G1Point]> = [
      [a, b],
      [a, a],
      [a, a.negate()],
      [G1.ZERO, b],
      [a, G1.ZERO],
      [G1.ZERO, G1.ZERO],
    ];
    for (const [x, y] of cases) expect(hex(g1Add(enc(x), enc(y)))).toBe(hex(enc(x.add(y))));
  });
});

describe.skipIf(skipNative)('g1Msm', () => {
  it.each([1, 2, 7, 64, 300])(
    'equals noble pippenger for n = %i (with identity points and zero scalars)',
    (n) => {
      const ps = points(n, 5);
      const ss = scalars(`msm-${n}`, n);
      for (let i = 2; i < n; i += 3) ss[i] = 0n;
      if (n >= 7) ss[6] = Fr.ORDER - 1n;
      if (n >= 7) {
        ps[3] = ps[1]!; // repeated and opposite points take the doubling / cancelling branches
        ps[4] = ps[1]!.negate();
        ss[4] = ss[1]!;
      }
      const expected = enc(pippenger(G1, ps, ss));
      const table = g1PrepareAffine(concat(ps.map((p) => p.toBytes(true))));
      const sb = scalarBytes(ss);
      const before = [table.slice(), sb.slice()];
      expect(hex(g1Msm(table, sb))).toBe(hex(expected));
      expect([table, sb]).toEqual(before);
    },
  );

  it('sub-ranges, a longer point table, async and parallel runs give the same result', async () => {
    const n = 100;
    const ps = points(n, 9);
    const ss = scalars('msm-range', n);
    const table = g1PrepareAffine(concat(ps.map((p) => p.toBytes(true))));
    const sb = scalarBytes(ss);
    const full = hex(enc(pippenger(G1, ps, ss)));
    const first = g1Msm(table, sb, 40);
    expect(hex(first)).toBe(hex(enc(pippenger(G1, ps.slice(0, 40), ss.slice(0, 40)))));
    expect(hex(g1Add(first, g1Msm(table, sb, 60, 40)))).toBe(full);
    expect(hex(g1Msm(table, sb.subarray(0, 32 * 10)))).toBe(
      hex(enc(pippenger(G1, ps.slice(0, 10), ss.slice(0, 10)))),
    );
    expect(hex(await g1MsmAsync(table, sb))).toBe(full);
    for (const threads of [1, 2, 3, 7]) expect(hex(await g1MsmParallel(table, sb, { threads }))).toBe(full);
    expect(hex(await g1MsmParallel(table, sb, { threads: 2, start: 40, count: 60 }))).toBe(
      hex(g1Msm(table, sb, 60, 40)),
    );
  });

  it('returns the identity for no points, all-zero scalars and all-identity points', async () => {
    expect(g1Msm(new Uint8Array(0), new Uint8Array(0))).toEqual(IDENTITY);
    expect(await g1MsmAsync(new Uint8Array(0), new Uint8Array(0))).toEqual(IDENTITY);
    const table = g1PrepareAffine(concat(points(40).map((p) => p.toBytes(true))));
    expect(g1Msm(table, new Uint8Array(32 * 40))).toEqual(IDENTITY);
    const zeros = g1PrepareAffine(concat(Array.from({ length: 40 }, () => IDENTITY)));
    expect(g1Msm(zeros, scalarBytes(scalars('z', 40)))).toEqual(IDENTITY);
  });

  it('rejects a non-canonical scalar (>= r) with its index', async () => {
    const table = g1PrepareAffine(concat(points(10).map((p) => p.toBytes(true))));
    const ss = scalars('bad', 10);
    ss[7] = Fr.ORDER;
    const sb = scalarBytes(ss);
    expect(thrown(() => g1Msm(table, sb)).type).toEqual({
      code: 'NATIVE_INVALID_SCALAR',
      what: 'g1Msm',
      index: 7,
    });
    expect(thrown(() => g1Msm(table, sb, 5, 5)).type).toMatchObject({ index: 7 });
    await expect(g1MsmAsync(table, sb)).rejects.toMatchObject({
      type: { code: 'NATIVE_INVALID_SCALAR', index: 7 },
    });
    await expect(g1MsmParallel(table, sb, { threads: 3 })).rejects.toMatchObject({ type: { index: 7 } });
  });
});

describe.skipIf(skipNative)('pairingCheck', () => {
  const a = 0x1234567890abcdefn;
  const P = G1.BASE.multiply(5n);
  const Q = G2.BASE.multiply(9n);
  const g1 = (p: G1Point) => p.toBytes(true);
  const g2 = (q: InstanceType<typeof G2>) => q.toBytes(true);

  it('e(aP, Q)·e(-P, aQ) = 1, and fails for a wrong exponent', () => {
    expect(
      pairingCheck([
        [g1(P.multiply(a)), g2(Q)],
        [g1(P.negate()), g2(Q.multiply(a))],
      ]),
    ).toBe(true);
    expect(
      pairingCheck([
        [g1(P.multiply(a)), g2(Q)],
        [g1(P.negate()), g2(Q.multiply(a + 1n))],
      ]),
    ).toBe(false);
    expect(pairingCheck([[g1(P), g2(Q)]])).toBe(false);
  });

  it('treats pairs with an identity point as 1', () => {
    expect(pairingCheck([])).toBe(true);
    expect(pairingCheck([[g1(G1.ZERO), g2(Q)]])).toBe(true);
    expect(pairingCheck([[g1(P), g2(G2.ZERO)]])).toBe(true);
    expect(
      pairingCheck([
        [g1(G1.ZERO), g2(Q)],
        [g1(P.multiply(a)), g2(Q)],
        [g1(P), g2(G2.ZERO)],
        [g1(P.negate()), g2(Q.multiply(a))],
      ]),
    ).toBe(true);
  });

  it('checks many pairs in one product (more than blst batches per Miller loop)', () => {
    const pairs: Array<[Uint8Array, Uint8Array]> = [];
    for (let i = 1n; i <= 10n; i++) {
      pairs.push([g1(P.multiply(i)), g2(Q)], [g1(P.negate()), g2(Q.multiply(i))]);
    }
    expect(pairingCheck(pairs)).toBe(true);
    pairs[13] = [g1(P), g2(Q)];
    expect(pairingCheck(pairs)).toBe(false);
  });

  it('rejects invalid points with their pair index and group', () => {
    const bad = nonSubgroupPoint();
    const badBytes = encodeG1Raw(bad.x, bad.y, true);
    expect(
      thrown(() =>
        pairingCheck([
          [g1(P), g2(Q)],
          [badBytes, g2(Q)],
        ]),
      ).type,
    ).toEqual({
      code: 'NATIVE_NOT_IN_SUBGROUP',
      what: 'pairingCheck',
      index: 1,
      group: 'G1',
    });
    expect(typeof pairingCheck([[badBytes, g2(Q)]], { subgroupCheck: false })).toBe('boolean');
    const badG2 = g2(Q);
    badG2[0]! &= 0x7f;
    expect(thrown(() => pairingCheck([[g1(P), badG2]])).type).toMatchObject({
      code: 'NATIVE_BAD_ENCODING',
      index: 0,
      group: 'G2',
    });
  });
});

describe.skipIf(skipNative)('frFft', () => {
  const root = (n: number) => Fr.pow(7n, (Fr.ORDER - 1n) / BigInt(n));
  const rootBytes = (n: number) => bigintToBe(root(n), 32);
  const naive = (vs: bigint[], w: bigint) =>
    vs.map((_, k) => vs.reduce((acc, v, j) => Fr.add(acc, Fr.mul(v, Fr.pow(w, BigInt(j * k)))), 0n));
  const toBig = (b: Uint8Array) =>
    Array.from({ length: b.length / 32 }, (_, i) => BigInt(`0x${hex(b.subarray(32 * i, 32 * i + 32))}`));

  it('uses the reference roots of unity (archiving §1.3)', () => {
    expect(hex(rootBytes(256))).toBe('4f9b4098e2e9f12e6b368121ac0cf4ad0a0865a899e8deff4935bd2f817f694b');
    expect(hex(rootBytes(32768))).toBe('3291357ee558b50d483405417a0cbe39c8d5f51db3f32699fbd047e11279bb6e');
  });

  it.each([1, 2, 4, 8, 32])('equals the naive DFT for n = %i, forward and inverse, natural order', (n) => {
    const vs = scalars(`fft-${n}`, n);
    const w = root(n);
    const fwd = frFft(scalarBytes(vs), false, rootBytes(n));
    expect(toBig(fwd)).toEqual(naive(vs, w));
    const inv = frFft(scalarBytes(vs), true, rootBytes(n));
    const nInv = Fr.inv(BigInt(n));
    expect(toBig(inv)).toEqual(naive(vs, Fr.inv(w)).map((x) => Fr.mul(x, nInv)));
    expect(toBig(frFft(fwd, true, rootBytes(n)))).toEqual(vs);
  });

  it('round-trips 2^15 values', () => {
    const n = 1 << 15;
    const vs = scalarBytes(scalars('fft-big', n));
    expect(frFft(frFft(vs, true, rootBytes(n)), false, rootBytes(n))).toEqual(vs);
  });

  it('rejects a root of the wrong order and non-canonical values', () => {
    expect(thrown(() => frFft(scalarBytes([1n, 2n, 3n, 4n]), false, rootBytes(8))).type).toEqual({
      code: 'NATIVE_INVALID_ROOT',
      what: 'frFft',
      size: 4,
    });
    expect(thrown(() => frFft(scalarBytes([1n, 2n]), false, rootBytes(1))).code).toBe('NATIVE_INVALID_ROOT');
    expect(thrown(() => frFft(scalarBytes([1n, Fr.ORDER]), false, rootBytes(2))).type).toMatchObject({
      code: 'NATIVE_INVALID_SCALAR',
      index: 1,
    });
  });
});

describe.skipIf(skipNative)('frExtendColumns', () => {
  const rootBytes = (n: number) => bigintToBe(Fr.pow(7n, (Fr.ORDER - 1n) / BigInt(n)), 32);

  it.each([
    [2, 1],
    [4, 3],
    [128, 5],
    [4, 37], // columns run in blocks of 16: two whole blocks and a partial one
  ])('n = %i records of %i scalars: parity = the odd points of each column polynomial', (n, cols) => {
    // Column j is the polynomial with coefficients cs[j]: its 2n-point FFT holds the sources at
    // the even positions and the expected parity at the odd ones.
    const records = new Uint8Array(n * cols * 32);
    const want = new Uint8Array(n * cols * 32);
    for (let j = 0; j < cols; j++) {
      const coefficients = scalars(`ext-${n}-${j}`, n);
      const padded = scalarBytes([...coefficients, ...new Array<bigint>(n).fill(0n)]);
      const all = frFft(padded, false, rootBytes(2 * n));
      for (let i = 0; i < n; i++) {
        records.set(all.subarray(64 * i, 64 * i + 32), 32 * (i * cols + j));
        want.set(all.subarray(64 * i + 32, 64 * i + 64), 32 * (i * cols + j));
      }
    }
    expect(hex(frExtendColumns(records, n, rootBytes(2 * n)))).toBe(hex(want));
  });

  it('rejects bad arguments, a root of the wrong order and non-canonical scalars', () => {
    const ok = scalarBytes([1n, 2n, 3n, 4n]);
    expect(thrown(() => frExtendColumns(ok, 3, rootBytes(8))).code).toBe('NATIVE_INVALID_ARGUMENT');
    expect(thrown(() => frExtendColumns(ok, 8, rootBytes(16))).code).toBe('NATIVE_INVALID_ARGUMENT');
    expect(thrown(() => frExtendColumns(ok, 2, rootBytes(8))).code).toBe('NATIVE_INVALID_ROOT');
    expect(
      thrown(() => frExtendColumns(scalarBytes([1n, 2n, Fr.ORDER, 4n]), 2, rootBytes(4))).type,
    ).toMatchObject({
      code: 'NATIVE_INVALID_SCALAR',
      index: 2,
    });
    // Two bad scalars in one block of columns: the first in column order is reported (column 3
    // of record 2 before column 5 of record 0), as if the columns ran one by one.
    const n = 4;
    const cols = 20;
    const values = new Array<bigint>(n * cols).fill(1n);
    values[2 * cols + 3] = Fr.ORDER;
    values[0 * cols + 5] = Fr.ORDER + 1n;
    expect(thrown(() => frExtendColumns(scalarBytes(values), n, rootBytes(2 * n))).type).toMatchObject({
      code: 'NATIVE_INVALID_SCALAR',
      index: 2 * cols + 3,
    });
  });
});
