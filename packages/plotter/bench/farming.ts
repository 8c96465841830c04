/**
 * Farming benchmarks: auditing one full-size sector (1000 pieces, ~500 chunks in the audited
 * s-bucket, read through a reader so no 1 GB buffer is needed), against the bare keyed-BLAKE3 floor
 * of the same chunks; and verifySolution against one KZG opening check (the pairing dominates).
 * Solutions come from the small test preset with the shim table: the verifier's work is the same as
 * at full size except the Chia proof check (~17 µs). Plotting and proving at full size are the slow cases
 * of bench/sector.ts (run by `pnpm bench` after bench/index.ts) and the slow test
 * (`test/farming.slow.test.ts`).
 */
import { type BenchCase, runBench } from '@autonomys/bench';
import { createBlake3Keyed32, type Solution, slotGlobalChallenge } from '@autonomys/primitives';
import {
  auditSector,
  createShimTableGenerator,
  isShimProofValid,
  plotSector,
  proveSolutions,
  type SectorMetadata,
  verifySolution,
} from '../src/index.js';
import { makeSegment, NUM_CHUNKS_SMALL as N, scalars, testKzg } from '../test/farm.js';

const PK = new Uint8Array(32).fill(9);
const U64_MAX = 2n ** 64n - 1n;

// A 1000-piece sector's metadata: 500 chunks in every s-bucket (Σ = 1000 · 32 768).
const metadata: SectorMetadata = {
  sectorIndex: 0,
  piecesInSector: 1000,
  sBucketSizes: new Uint16Array(65_536).fill(500),
  historySize: 1n,
};
const bucket = scalars(500, 1);
const reader = async (_offset: number, length: number) => bucket.subarray(0, length);
let slot = 0n;
const pot = new Uint8Array(16);

// A valid solution at the small preset.
const kzg = await testKzg();
const segment = await makeSegment(N);
const gen = createShimTableGenerator();
const plotted = await plotSector({
  publicKey: PK,
  sectorIndex: 0,
  historySize: 1n,
  piecesInSector: 4,
  pieceGetter: segment.pieceGetter,
  tableGenerator: gen,
  numChunks: N,
});
let solution: Solution | undefined;
let vslot = 0n;
while (solution === undefined) {
  vslot++;
  const audit = await auditSector({
    publicKey: PK,
    metadata: plotted.metadata,
    sector: plotted.sector,
    globalChallenge: slotGlobalChallenge(pot, vslot),
    solutionRange: U64_MAX,
    numChunks: N,
  });
  if (audit === undefined) continue;
  for await (const s of proveSolutions({
    publicKey: PK,
    rewardAddress: PK,
    metadata: plotted.metadata,
    sector: plotted.sector,
    tableGenerator: gen,
    kzg,
    audit,
    numChunks: N,
  }))
    solution ??= s;
}
const sol = solution;
const params = { slot: vslot, potOutput: pot, solutionRange: U64_MAX };
const pieceCheck = {
  maxPiecesInSector: 1000,
  segmentCommitment: segment.segmentCommitment,
  currentHistorySize: 1n,
};
const vopts = { kzg, isProofValid: isShimProofValid, numChunks: N };
const hash = createBlake3Keyed32(new Uint8Array(32).fill(1));
const out = new Uint8Array(32);

const cases: BenchCase[] = [
  {
    name: 'keyed BLAKE3 of 500 chunks (floor)',
    size: '500 × 32 B',
    fn: () => {
      for (let j = 0; j < 500; j++) hash(out, 0, bucket, 32 * j);
    },
  },
  {
    name: 'auditSector',
    size: '1000 pieces',
    anchor: 'keyed BLAKE3 of 500 chunks (floor)',
    fn: () =>
      auditSector({
        publicKey: PK,
        metadata,
        sector: reader,
        globalChallenge: slotGlobalChallenge(pot, ++slot),
        solutionRange: U64_MAX / 1000n,
      }),
  },
  {
    name: 'kzg.verify (one opening)',
    size: '1 pairing check',
    samples: 20,
    fn: () => kzg.verify(sol.recordCommitment, 2 * N, 0, sol.chunk, sol.chunkWitness),
  },
  {
    name: 'verifySolution',
    size: 'no piece checks',
    anchor: 'kzg.verify (one opening)',
    samples: 20,
    fn: () => verifySolution(sol, params, vopts),
  },
  {
    name: 'verifySolution + piece checks',
    size: 'with piece checks',
    anchor: 'kzg.verify (one opening)',
    samples: 20,
    fn: () => verifySolution(sol, { ...params, pieceCheck }, vopts),
  },
];

await runBench({ package: 'plotter-farming', cases, time: 300, iterations: 10 });
