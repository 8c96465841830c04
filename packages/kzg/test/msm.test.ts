import { BLS12_381_R as R } from '@autonomys/primitives';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { G1_GENERATOR, jMul, P, readUncompressedG1, toAffine } from '../src/g1.js';
import { GLV_BETA, GLV_LAMBDA, GLV_MIN_POINTS, msmAffineBuckets } from '../src/msm.js';
import { params, s } from './helpers.js';

const G1 = bls12_381.G1.Point;

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
