/**
 * Proof-of-space benchmarks: one K=20 table on one core (native kernel and TypeScript), findProof,
 * isProofValid, and the shim table. The anchor row is the reference's published per-core figure
 * (farming §12: ~540 ms per K=20 table on an efficiency core), reproduced as a fixed-duration case
 * so that the harness prints ratio = ours / 540 ms.
 */
import { type BenchCase, runBench } from '@autonomys/bench';
import { hexToBytes } from '@autonomys/primitives';
import {
  createPosTables,
  createShimTableGenerator,
  defaultBackend,
  findProof,
  isProofValid,
} from '../src/index.js';

const seed = hexToBytes('23023404333717545b0a6f0c0dde9710e4d3fe2d5cc6cc0a090a0b818bab0f17');
const REFERENCE_MS = 540;
const tables = createPosTables(seed);
const proof = findProof(tables, 1011)!;
const shim = await createShimTableGenerator().generate(seed);
let s = 0;

const anchor = 'reference K=20 table, 1 core (published)';
const cases: BenchCase[] = [
  {
    name: anchor,
    size: 'K=20',
    samples: 3,
    fn: () => new Promise((resolve) => setTimeout(resolve, REFERENCE_MS)),
  },
];
if (defaultBackend() === 'native') {
  cases.push({
    name: 'createPosTables (native)',
    size: 'K=20',
    anchor,
    samples: 5,
    fn: () => createPosTables(seed, { native: true }),
  });
}
cases.push(
  {
    name: 'createPosTables (TypeScript)',
    size: 'K=20',
    anchor,
    samples: 3,
    fn: () => createPosTables(seed, { native: false }),
  },
  { name: 'findProof', size: 'K=20', batch: 1000, fn: () => findProof(tables, s++ & 0xffff) },
  { name: 'isProofValid', size: '160 B', batch: 100, fn: () => isProofValid(seed, 1011, proof) },
  { name: 'shim findProof', size: '160 B', batch: 1000, fn: () => shim.findProof(s++ & 0xffff) },
);

await runBench({ package: 'plotter', cases, time: 300, iterations: 5 });

// Auditing and verification (bench/farming.ts, also alone as `pnpm bench:farming`).
await import('./farming.js');

// The real-size sector cases (slow; AUTONOMYS_BENCH_SKIP_SLOW=1 skips them).
await import('./sector.js');
