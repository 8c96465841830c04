import { BLS12_381_R as R } from '@autonomys/primitives';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  G1_GENERATOR,
  type Jacobian,
  jAdd,
  jAddAffine,
  jDouble,
  jMul,
  P,
  readUncompressedG1,
  toAffine,
} from '../src/g1.js';
import { GLV_BETA, GLV_LAMBDA, GLV_MIN_POINTS, msmAffineBuckets, windowBits } from '../src/msm.js';
import { fpAddAt, fpMulAt, fpSqrAt, fpSubAt, FP_LIMBS as L } from '../src/msm-fp.js';
import { fpInvAt, fromMont, jAddAffineL, jAddL, jDoubleL, jToBigint, jZero, toMont } from '../src/msm-g1.js';
import { params, s } from './helpers.js';

const G1 = bls12_381.G1.Point;
const JACOBIAN_IDENTITY: Jacobian = { x: 1n, y: 1n, z: 0n };

/** Reference: Σ k_i·P_i with noble's scalar multiplication, as affine BigInts (null = identity). */
function reference(xs: bigint[], ys: bigint[], identity: Uint8Array, ks: bigint[]) {
  let acc = G1.ZERO;
  ks.forEach((k, i) => {
    if (identity[i] === 1 || k === 0n) return;
    acc = acc.add(G1.fromAffine({ x: xs[i]!, y: ys[i]! }).multiply(k));
  });
  return acc.is0() ? null : acc.toAffine();
}

function table(n: number) {
  const g1 = params(512).g1;
  const xs: bigint[] = [];
  const ys: bigint[] = [];
  for (let i = 0; i < n; i++) {
    const p = readUncompressedG1(g1, (i % 512) * 96)!;
    xs.push(p.x);
    ys.push(p.y);
  }
  return { xs, ys, identity: new Uint8Array(n) };
}

function scalarBytes(ks: bigint[]): Uint8Array {
  const out = new Uint8Array(ks.length * 32);
  ks.forEach((k, i) => {
    out.set(s(k), i * 32);
  });
  return out;
}

const EDGES = [
  0n,
  1n,
  R - 1n,
  GLV_LAMBDA - 1n,
  GLV_LAMBDA,
  GLV_LAMBDA + 1n,
  1n << 128n,
  (1n << 128n) - 1n,
  R - GLV_LAMBDA,
];

describe('TypeScript MSM (affine buckets, GLV)', () => {
  it('the GLV constants: λ² + λ + 1 = r, β a non-trivial cube root of unity, φ(G) = λ·G', () => {
    expect(GLV_LAMBDA * GLV_LAMBDA + GLV_LAMBDA + 1n).toBe(R);
    expect(GLV_BETA).not.toBe(1n);
    expect((((GLV_BETA * GLV_BETA) % P) * GLV_BETA) % P).toBe(1n);
    const lg = toAffine(jMul(G1_GENERATOR, GLV_LAMBDA))!;
    expect(lg.x).toBe((GLV_BETA * G1_GENERATOR.x) % P);
    expect(lg.y).toBe(G1_GENERATOR.y);
  });

  it.each([5, GLV_MIN_POINTS - 1, GLV_MIN_POINTS, 200])(
    'equals Σ k·P at %i points, edge scalars and identities',
    (n) => {
      const t = table(n);
      t.identity[3] = 1; // an identity point whose scalar must be ignored
      const ks = Array.from({ length: n }, (_, i) => EDGES[i % EDGES.length]! ^ BigInt(i >> 4));
      const ksOk = ks.map((k) => (k >= R ? k - R : k));
      const got = toAffine(msmAffineBuckets(t, 0, scalarBytes(ksOk), 0, n));
      const want = reference(t.xs, t.ys, t.identity, ksOk);
      expect(got).toEqual(want === null ? null : { x: want.x, y: want.y });
    },
  );

  it('equals Σ k·P for random scalars, offsets and ranges (property)', () => {
    const t = table(160);
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: R - 1n }), { minLength: 1, maxLength: 100 }),
        fc.nat({ max: 60 }),
        (ks, start) => {
          const got = toAffine(msmAffineBuckets(t, start, scalarBytes([0n, ...ks]), 1, ks.length));
          const want = reference(t.xs.slice(start), t.ys.slice(start), t.identity.subarray(start), ks);
          expect(got).toEqual(want === null ? null : { x: want.x, y: want.y });
        },
      ),
      { numRuns: 12, seed: 7 },
    );
  });

  // (kzg.test.ts also compares a 4096 commitment with the native backend when it loads.)
  it('at 2048 points (4096 GLV halves: the window width of a 4096 commitment) equals the sum over four ranges', () => {
    const n = 2048;
    expect(windowBits(2 * n)).toBe(windowBits(2 * 4096));
    expect(windowBits(2 * 512)).not.toBe(windowBits(2 * n));
    const t = table(n);
    const ks = Array.from(
      { length: n },
      (_, i) => (BigInt(i + 1) * 0x9e3779b97f4a7c15f39cc0605cedc835n) ** 3n % R,
    );
    const sb = scalarBytes(ks);
    let parts: Jacobian = JACOBIAN_IDENTITY;
    for (let q = 0; q < 4; q++) parts = jAdd(parts, msmAffineBuckets(t, q * 512, sb, q * 512, 512));
    expect(toAffine(msmAffineBuckets(t, 0, sb, 0, n))).toEqual(toAffine(parts));
  });

  it('bucket doublings: many copies of one point with equal digits', () => {
    const n = GLV_MIN_POINTS + 6;
    const t = table(n);
    for (let i = 0; i < n; i++) {
      t.xs[i] = t.xs[1]!;
      t.ys[i] = t.ys[1]!;
    }
    const ks = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 77n : (R - 1n) / BigInt(i + 1)));
    const got = toAffine(msmAffineBuckets(t, 0, scalarBytes(ks), 0, n));
    const want = reference(t.xs, t.ys, t.identity, ks);
    expect(got).toEqual(want === null ? null : { x: want.x, y: want.y });
  });

  it('a sum that cancels to the identity (k·P + (r-k)·P)', () => {
    const t = table(GLV_MIN_POINTS);
    for (let i = 0; i < GLV_MIN_POINTS; i++) {
      t.xs[i] = t.xs[0]!;
      t.ys[i] = t.ys[0]!;
    }
    const ks = Array.from({ length: GLV_MIN_POINTS }, (_, i) =>
      i % 2 === 0 ? 12345n + BigInt(i) : R - 12345n - BigInt(i - 1),
    );
    expect(toAffine(msmAffineBuckets(t, 0, scalarBytes(ks), 0, GLV_MIN_POINTS))).toBeNull();
  });
});

describe('Fp on Montgomery limbs (msm-fp.ts)', () => {
  const fp = fc.oneof(
    fc.bigInt({ min: 0n, max: P - 1n }),
    fc.constantFrom(0n, 1n, 2n, P - 1n, P - 2n, (P - 1n) / 2n, (1n << 380n) - 1n, (1n << 24n) - 1n),
  );
  const limbs = (...xs: bigint[]) => {
    const out = new Float64Array(xs.length * L);
    xs.forEach((x, i) => {
      toMont(out, i * L, x);
    });
    return out;
  };

  it('mul, sqr, add, sub and inv equal BigInt arithmetic mod p, outputs reduced (property)', () => {
    fc.assert(
      fc.property(fp, fp, (a, b) => {
        const v = limbs(a, b, 0n);
        const check = (want: bigint) => {
          for (let i = 2 * L; i < 3 * L; i++) expect(v[i]! >= 0 && v[i]! < 2 ** 24).toBe(true);
          expect(fromMont(v, 2 * L)).toBe(want);
        };
        fpMulAt(v, 2 * L, v, 0, v, L);
        check((a * b) % P);
        fpSqrAt(v, 2 * L, v, 0);
        check((a * a) % P);
        fpAddAt(v, 2 * L, v, 0, v, L);
        check((a + b) % P);
        fpSubAt(v, 2 * L, v, 0, v, L);
        check((a - b + P) % P);
        if (a !== 0n) {
          fpInvAt(v, 2 * L, v, 0);
          expect((a * fromMont(v, 2 * L)) % P).toBe(1n);
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('Jacobian doubling and additions on limbs equal the BigInt formulas, special cases included', () => {
    const t = table(4);
    const pts = [0, 1, 2].map((i) => ({ x: t.xs[i]!, y: t.ys[i]! }));
    const jl = (a: Jacobian) => {
      const out = jZero();
      if (a.z === 0n) return out;
      toMont(out, 0, a.x);
      toMont(out, L, a.y);
      toMont(out, 2 * L, a.z);
      return out;
    };
    const same = (got: Float64Array, want: Jacobian) =>
      expect(toAffine(jToBigint(got))).toEqual(toAffine(want));
    const a = jAdd(jMul(pts[0]!, 5n), jMul(pts[1]!, 7n)); // z ≠ 1
    const b = jMul(pts[2]!, 3n);
    const ys = limbs(pts[0]!.x, pts[0]!.y, pts[0]!.x, P - pts[0]!.y);
    // doubling
    let v = jl(a);
    jDoubleL(v);
    same(v, jDouble(a));
    v = jZero();
    jDoubleL(v);
    same(v, JACOBIAN_IDENTITY);
    // mixed addition: generic, into the identity, P + P, P + (-P)
    v = jl(a);
    jAddAffineL(v, ys, 0, ys, L);
    same(v, jAddAffine(a, pts[0]!.x, pts[0]!.y));
    v = jZero();
    jAddAffineL(v, ys, 0, ys, L);
    same(v, jMul(pts[0]!, 1n));
    const p0 = jMul(pts[0]!, 1n);
    v = jl(p0);
    jAddAffineL(v, ys, 0, ys, L);
    same(v, jDouble(p0));
    v = jl(p0);
    jAddAffineL(v, ys, 2 * L, ys, 3 * L);
    same(v, JACOBIAN_IDENTITY);
    // full addition: generic, identities, A + A, A + (-A)
    v = jl(a);
    jAddL(v, jl(b));
    same(v, jAdd(a, b));
    v = jZero();
    jAddL(v, jl(b));
    same(v, b);
    v = jl(b);
    jAddL(v, jZero());
    same(v, b);
    v = jl(a);
    jAddL(v, jl(a));
    same(v, jDouble(a));
    v = jl(a);
    jAddL(v, jl({ x: a.x, y: P - a.y, z: a.z }));
    same(v, JACOBIAN_IDENTITY);
  });
});
