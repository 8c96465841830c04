/**
 * Where the time of `createWitnessAsync` (2^15 coefficients at a 2^16-domain point) goes: CPU time
 * (process.cpuUsage, all threads) and wall time of each step, interleaved, best of `ROUNDS`.
 * `tsx --conditions=autonomys-source bench/profile-witness.ts`
 */
import { readFileSync } from 'node:fs';
import * as native from '@autonomys/native';
import { BLS12_381_R, scalarFromBigint } from '@autonomys/primitives';
import { vectorPath } from '@autonomys/test-utils';
import { decodePublicParameters, Kzg, nativeKzgBackend, Polynomial } from '../src/index.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const R = BLS12_381_R;
const bytes = new Uint8Array(readFileSync(vectorPath('kzg/eth-public-parameters.bin')));
const params = decodePublicParameters(bytes, { g1Count: 32_768 });
if (nativeKzgBackend === null) throw new Error('native backend needed');
// `kzg` is the generic path (before); `fixed` holds the fixed-base table (after).
const kzg = new Kzg(params, { backend: nativeKzgBackend, fixedBase: 'off' });
const fixed = new Kzg(params, { backend: nativeKzgBackend, fixedBase: 'off' });
{
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fixed.prepareFixedBase({ threads: 2 });
  const c = process.cpuUsage(c0);
  console.log(
    `prepareFixedBase (2 threads): wall ${(performance.now() - t0).toFixed(0)} ms, cpu ${((c.user + c.system) / 1000).toFixed(0)} ms, ${(fixed.fixedBaseBytes / 2 ** 20).toFixed(1)} MiB`,
  );
}
const rand = (i: number) => (BigInt(i + 1) * 0x9e3779b97f4a7c15f39cc0605cedc835n) ** 3n % R;
const s15 = new Uint8Array(32_768 * 32);
for (let i = 0; i < 32_768; i++) s15.set(scalarFromBigint(rand(i)), i * 32);
const p15 = Polynomial.fromCanonicalBytes(s15);
// Proving's record polynomial comes out of the erasure recovery as a Montgomery vector.
const p15v = Polynomial.fromCoefficients(p15.coefficients());
if (p15v.hasBytes()) throw new Error('expected the vector form');
const { quotient: _nativeQuotient, ...withoutQuotient } = nativeKzgBackend;
const tsQuotientKzg = new Kzg(params, { backend: withoutQuotient, fixedBase: 'off' });
const tsQuotient = (tsQuotientKzg as any).quotient.bind(tsQuotientKzg) as typeof quotient;
const quotient = (kzg as any).quotient.bind(kzg) as (p: Polynomial, n: number, i: number) => Uint8Array;
const q = quotient(p15, 65_536, 12_345);
if (Buffer.from(tsQuotient(p15v, 65_536, 12_345)).compare(quotient(p15v, 65_536, 12_345)) !== 0)
  throw new Error('quotients differ');

type Step = [string, () => unknown];
const steps: Step[] = [
  ['quotient, bytes form, TypeScript', () => tsQuotient(p15, 65_536, 12_345)],
  ['quotient, bytes form, native', () => quotient(p15, 65_536, 12_345)],
  ['quotient, vector form, TypeScript', () => tsQuotient(p15v, 65_536, 12_345)],
  ['quotient, vector form, native', () => quotient(p15v, 65_536, 12_345)],
  ['g1Msm 1 core (sync)', () => native.g1Msm(params.g1, q, 32_767, 0)],
  ['g1MsmParallel threads 1', () => native.g1MsmParallel(params.g1, q, { count: 32_767, threads: 1 })],
  ['g1MsmParallel threads 2', () => native.g1MsmParallel(params.g1, q, { count: 32_767, threads: 2 })],
  ['createWitness (sync)', () => kzg.createWitness(p15, 65_536, 12_345)],
  ['createWitnessAsync threads 1', () => kzg.createWitnessAsync(p15, 65_536, 12_345, { threads: 1 })],
  ['createWitnessAsync threads 2', () => kzg.createWitnessAsync(p15, 65_536, 12_345, { threads: 2 })],
  ['fixed-base createWitness (sync)', () => fixed.createWitness(p15, 65_536, 12_345)],
  [
    'fixed-base createWitnessAsync threads 1',
    () => fixed.createWitnessAsync(p15, 65_536, 12_345, { threads: 1 }),
  ],
  [
    'fixed-base createWitnessAsync threads 2',
    () => fixed.createWitnessAsync(p15, 65_536, 12_345, { threads: 2 }),
  ],
  [
    'fixed-base createWitnessAsync threads 2, vector form',
    () => fixed.createWitnessAsync(p15v, 65_536, 12_345, { threads: 2 }),
  ],
];
if (Buffer.from(kzg.createWitness(p15, 65_536, 1)).compare(fixed.createWitness(p15, 65_536, 1)) !== 0)
  throw new Error('fixed-base and generic witnesses differ');
const best = new Map<string, { cpu: number; wall: number }>();
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, fn] of steps) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1000;
    const b = best.get(name);
    best.set(name, { cpu: Math.min(cpu, b?.cpu ?? Infinity), wall: Math.min(wall, b?.wall ?? Infinity) });
  }
}
for (const [name, { cpu, wall }] of best)
  console.log(
    `${name.padEnd(42)} cpu ${cpu.toFixed(1).padStart(7)} ms   wall ${wall.toFixed(1).padStart(7)} ms`,
  );
