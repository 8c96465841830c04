/**
 * @autonomys/native benchmarks: the MSM (blst's Pippenger and our affine-bucket kernel) vs @noble/curves'
 * pippenger, the AES-NI chain vs the node:crypto CBC construction (the package's own fallback), pairing
 * check vs noble, and the
 * proof-of-space table kernel (one K = 20 table with the chunk masks of its first 2^15 proofs, on one
 * and on two threads).
 * Run: `node scripts/pnpm.mjs --filter @autonomys/native bench` (BENCH_FILTER=<text> for a subset).
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { runBench } from '@autonomys/bench';
import { normalizeZ, pippenger } from '@noble/curves/abstract/curve.js';
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';
import { g1MsmWithKernel } from '../src/curve.js';
import {
  aesChain,
  aesChainMulti,
  frFft,
  g1Compress,
  g1FixedBasePrepare,
  g1Msm,
  g1MsmParallel,
  g1PrepareAffine,
  g1PrepareAffineAsync,
  hasAesNi,
  isNative,
  pairingCheck,
  posTables,
} from '../src/index.js';

if (!isNative || !hasAesNi)
  throw new Error('the native addon (with AES-NI) is required for these benchmarks');

const G1 = bls.G1.Point;
const G2 = bls.G2.Point;
const Fr = bls.fields.Fr;
type G1Point = InstanceType<typeof G1>;

const be = (x: bigint, size: number) =>
  Uint8Array.from(Buffer.from(x.toString(16).padStart(2 * size, '0'), 'hex'));

// 2^15 distinct valid points without 2^15 scalar multiplications: P_{i+1} = P_i + Q in noble's
// projective form, one batch inversion (normalizeZ), then x ‖ y is the 96-byte uncompressed form.
const N_MAX = 1 << 15;
const t0 = performance.now();
const projective: G1Point[] = [];
for (let i = 0, p = G1.BASE.multiply(3n), q = G1.BASE.multiply(0x1234567n); i < N_MAX; i++, p = p.add(q)) {
  projective.push(p);
}
const affine = normalizeZ(G1, projective);
const table = new Uint8Array(96 * N_MAX);
affine.forEach((p, i) => {
  table.set(be(p.X, 48), 96 * i);
  table.set(be(p.Y, 48), 96 * i + 48);
});
const compressed = new Uint8Array(48 * N_MAX);
for (let i = 0; i < N_MAX; i++) compressed.set(g1Compress(table.subarray(96 * i, 96 * i + 96)), 48 * i);
if (!g1PrepareAffine(compressed.subarray(0, 48 * 64)).every((b, i) => b === table[i]))
  throw new Error('bad table');

// Random full-size canonical scalars (top two bits cleared: < 2^254 < r).
const scalarBytes = randomBytes(32 * N_MAX);
for (let i = 0; i < N_MAX; i++) scalarBytes[32 * i]! &= 0x3f;
const n4k = 1 << 12;
const noblePoints = affine.slice(0, n4k);
const nobleScalars = Array.from({ length: n4k }, (_, i) =>
  BigInt(`0x${Buffer.from(scalarBytes.subarray(32 * i, 32 * i + 32)).toString('hex')}`),
);
const expected4k = pippenger(G1, noblePoints, nobleScalars).toBytes(true);
if (Buffer.compare(g1Msm(table, scalarBytes, n4k), expected4k) !== 0)
  throw new Error('MSM mismatch with noble');
process.stderr.write(`  setup (2^15 points, checks) ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

// Pairing: e(aP, Q)·e(-P, aQ) = 1.
const a = 0x1234567890abcdefn;
const P = G1.BASE.multiply(5n);
const Q = G2.BASE.multiply(9n);
const pairs = [
  [P.multiply(a).toBytes(true), Q.toBytes(true)],
  [P.negate().toBytes(true), Q.multiply(a).toBytes(true)],
] as const;
const noblePairs = [
  { g1: P.multiply(a), g2: Q },
  { g1: P.negate(), g2: Q.multiply(a) },
];

// AES: 2·10^7 steps, the node:crypto CBC-over-zeros chain as the anchor (the package's fallback).
const AES_N = 20_000_000;
const key = randomBytes(16);
const block = randomBytes(16);
const blocks8 = randomBytes(16 * 8);
const zeros = new Uint8Array(64 * 1024);
function cbcChain(): Uint8Array {
  const c = createCipheriv('aes-128-cbc', key, block).setAutoPadding(false);
  let last: Uint8Array = block;
  for (let left = AES_N * 16; left > 0; left -= zeros.length)
    last = c.update(zeros.subarray(0, Math.min(left, zeros.length)));
  return last.subarray(last.length - 16);
}
if (Buffer.compare(cbcChain(), aesChain(key, block, AES_N)) !== 0) throw new Error('AES mismatch');

const posSeed = new Uint8Array(32).fill(0x23);
// posTables as plotting and proving call it: each table built into the buffers of the previous one
// (`spare`, what `release()` hands over). Without them every call gets ~56 MB of fresh zero-filled
// ArrayBuffers: their page faults and clearing, and the garbage collections their external memory
// triggers, cost ~0.1-0.25 s a table (the "fresh buffers" case shows it).
let posSpare: ArrayBuffer[] | undefined;
const posBuild = (threads: number, reuse = true) => {
  const t = posTables(posSeed, 20, {
    proofMasks: 32_768,
    threads,
    ...(reuse && posSpare ? { spare: posSpare } : {}),
  });
  if (reuse) posSpare = [t.x, ...t.positions, t.y7].map((a) => a.buffer as ArrayBuffer);
  return t;
};

// The fixed-base table of the 2^15 points (built once, ~4 s of CPU; not a bench row).
const tFixed = performance.now();
const fixed = await g1FixedBasePrepare(table, { threads: 2 });
if (Buffer.compare(fixed.msm(scalarBytes), g1Msm(table, scalarBytes)) !== 0)
  throw new Error('fixed-base mismatch');
process.stderr.write(
  `  fixed-base table (2^15 points, c = ${fixed.windowBits}, ${(fixed.bytes / 2 ** 20).toFixed(1)} MiB) ${((performance.now() - tFixed) / 1000).toFixed(1)} s\n`,
);

const omega = (n: number) => be(Fr.pow(7n, (Fr.ORDER - 1n) / BigInt(n)), 32);
const omega15 = omega(N_MAX);

await runBench({
  package: 'native',
  time: 500,
  iterations: 3, // the noble anchors take seconds per call (plus the harness's warm-up runs)
  cases: [
    { name: 'noble pippenger', size: '2^12', fn: () => pippenger(G1, noblePoints, nobleScalars) },
    {
      name: 'g1Msm',
      size: '2^12',
      anchor: 'noble pippenger',
      fn: () => g1Msm(table, scalarBytes, n4k),
    },
    // The MSM kernels in one run: blst's Pippenger (the previous path) and the affine-bucket MSM of
    // csrc/msm.c (what g1Msm uses from 32 terms), each row's ratio against blst's.
    { name: 'g1Msm blst kernel', size: '255', fn: () => g1MsmWithKernel('blst', table, scalarBytes, 255) },
    {
      name: 'g1Msm affine kernel',
      size: '255',
      anchor: 'g1Msm blst kernel',
      fn: () => g1MsmWithKernel('affine', table, scalarBytes, 255),
    },
    {
      name: 'g1Msm blst kernel 2^15',
      size: '2^15',
      fn: () => g1MsmWithKernel('blst', table, scalarBytes),
    },
    {
      name: 'g1Msm affine kernel 2^15',
      size: '2^15',
      anchor: 'g1Msm blst kernel 2^15',
      fn: () => g1MsmWithKernel('affine', table, scalarBytes),
    },
    {
      name: 'g1MsmParallel blst, 2 threads',
      size: '2^15',
      anchor: 'g1Msm blst kernel 2^15',
      fn: () => g1MsmParallel(table, scalarBytes, { threads: 2, kernel: 'blst' }),
    },
    {
      name: 'g1MsmParallel 2 threads',
      size: '2^15',
      anchor: 'g1MsmParallel blst, 2 threads',
      fn: () => g1MsmParallel(table, scalarBytes, { threads: 2 }),
    },
    // The fixed-base MSM over a precomputed table of the same points (G1FixedBase).
    {
      name: 'G1FixedBase.msm, 1 core',
      size: '2^15',
      anchor: 'g1Msm affine kernel 2^15',
      fn: () => fixed.msm(scalarBytes),
    },
    {
      name: 'G1FixedBase.msmAsync, 2 threads',
      size: '2^15',
      anchor: 'g1MsmParallel 2 threads',
      fn: () => fixed.msmAsync(scalarBytes, { threads: 2 }),
    },
    {
      name: 'g1PrepareAffine, on-curve only',
      size: '2^15',
      fn: () => g1PrepareAffine(compressed, { subgroupCheck: false }),
    },
    {
      name: 'g1PrepareAffineAsync +subgroup, 2 threads',
      size: '2^15',
      fn: () => g1PrepareAffineAsync(compressed, { threads: 2 }),
    },
    { name: 'noble pairingBatch', size: '2 pairs', fn: () => bls.pairingBatch(noblePairs) },
    {
      name: 'pairingCheck (blst)',
      size: '2 pairs',
      anchor: 'noble pairingBatch',
      fn: () => pairingCheck(pairs),
    },
    { name: 'frFft (blst Fr)', size: '2^15', fn: () => frFft(scalarBytes, false, omega15) },
    {
      name: 'posTables + 2^15 masks, fresh buffers',
      size: 'K=20',
      fn: () => posBuild(1, false),
    },
    {
      name: 'posTables + 2^15 masks',
      size: 'K=20',
      anchor: 'posTables + 2^15 masks, fresh buffers',
      fn: () => posBuild(1),
    },
    {
      name: 'posTables + 2^15 masks, 2 threads',
      size: 'K=20',
      anchor: 'posTables + 2^15 masks',
      fn: () => posBuild(2),
    },
    { name: 'node:crypto CBC chain', size: '2e7 it', fn: cbcChain },
    {
      name: 'aesChain (AES-NI)',
      size: '2e7 it',
      anchor: 'node:crypto CBC chain',
      fn: () => aesChain(key, block, AES_N),
    },
    {
      name: 'aesChainMulti 8 chains',
      size: '8 × 2e7 it',
      anchor: 'aesChain (AES-NI)',
      fn: () => aesChainMulti(key, blocks8, AES_N),
    },
  ],
});
