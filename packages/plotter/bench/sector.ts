/**
 * Real-size farming benchmarks (slow: ~15 s on two idle Zen 4 cores, more under load): plotting a
 * K = 20 sector of AUTONOMYS_BENCH_SECTOR_PIECES pieces (default 40) with the default table
 * generator (one worker per core, a record per worker at once), projected linearly to 1000 pieces
 * (records are independent: the per-record cost is one table, one 2^15 extension and the masking),
 * and proving the first solution
 * of that sector (one table, unmasking, a 2^16 `recoverPoly`, the 2^15-point witness MSM). Skipped
 * with AUTONOMYS_BENCH_SKIP_SLOW=1.
 */
import { type BenchCase, runBench } from '@autonomys/bench';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { NUM_CHUNKS, slotGlobalChallenge } from '@autonomys/primitives';
import {
  auditSector,
  createPosTableGenerator,
  type PlottedSector,
  plotSector,
  proveSolutions,
} from '../src/index.js';
import { scalars } from '../test/farm.js';

const PIECES = Number(process.env.AUTONOMYS_BENCH_SECTOR_PIECES ?? 40);
const PK = new Uint8Array(32).fill(7);
const U64_MAX = 2n ** 64n - 1n;

// Pieces: canonical random records; commitment and witness bytes are carried, not checked, by plotting.
const pieces = Array.from({ length: 4 }, (_, i) => {
  const piece = new Uint8Array(32 * NUM_CHUNKS + 96);
  piece.set(scalars(NUM_CHUNKS, 100 + i));
  return piece;
});
const gen = createPosTableGenerator();
const kzg = new Kzg(await loadPublicParameters());
// as a farmer does at start-up (node's `farm`): the chunk witness's fixed-base table, before the first proof
await kzg.prepareFixedBase();
let plotted: PlottedSector | undefined;
let slot = 0n;

const plot = async () => {
  plotted = await plotSector({
    publicKey: PK,
    sectorIndex: 0,
    historySize: 1n,
    piecesInSector: PIECES,
    pieceGetter: async (index) => pieces[Number(index % 4n)]!,
    tableGenerator: gen,
  });
};

const prove = async () => {
  const p = plotted!;
  for (;;) {
    slot++;
    const audit = await auditSector({
      publicKey: PK,
      metadata: p.metadata,
      sector: p.sector,
      globalChallenge: slotGlobalChallenge(new Uint8Array(16), slot),
      solutionRange: U64_MAX,
    });
    if (audit === undefined) continue;
    const o = { publicKey: PK, metadata: p.metadata, sector: p.sector, tableGenerator: gen };
    for await (const _ of proveSolutions({ ...o, rewardAddress: PK, kzg, audit, maxSolutions: 1 })) return;
  }
};

const cases: BenchCase[] = [
  { name: 'plotSector (K=20, real size)', size: `${PIECES} pieces`, samples: 1, warmup: false, fn: plot },
  {
    name: 'proveSolutions, first solution (K=20)',
    size: '2^15 chunks',
    samples: 3,
    warmup: false,
    fn: prove,
  },
];

if (process.env.AUTONOMYS_BENCH_SKIP_SLOW !== '1') {
  const rows = await runBench({ package: 'plotter-sector', cases, time: 0, iterations: 1 });
  const ms = rows[0]!.medianMs;
  console.log(
    `plotSector projected to a 1000-piece sector: ${((ms * 1000) / PIECES / 60_000).toFixed(1)} min ` +
      `(${(ms / PIECES / 1000).toFixed(2)} s per record, ${PIECES} measured)`,
  );
}
await gen.close();
