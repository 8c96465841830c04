/**
 * Where proving's time goes (K = 20, 2^15-chunk records): plots a one-piece sector, then times each
 * step of proving one candidate: table (in this thread and in a worker, alone and beside the
 * recovery's plan as proving runs them), reading, unmasking, `recoverPoly` (in one call, and as its
 * plan and the plan's application), the witness (one core and all cores). Wall and CPU time per step.
 * `node_modules/.bin/tsx --conditions=autonomys-source bench/prove-profile.ts`
 */
import { planRecoverPoly, planRecoverPolyAsync, recoverPoly, recoverPolyBytes } from '@autonomys/erasure';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { NUM_CHUNKS, sectorEvaluationSeed, slotGlobalChallenge } from '@autonomys/primitives';
import { auditSector, createPosTableGenerator, plotSector, proveSolutions } from '../src/index.js';
import {
  readRecordChunks,
  sectorContextOf,
  unmaskRecordChunks,
  unmaskRecordChunksInPlace,
} from '../src/reading.js';
import { scalars } from '../test/farm.js';

const PK = new Uint8Array(32).fill(7);
const piece = new Uint8Array(32 * NUM_CHUNKS + 96);
piece.set(scalars(NUM_CHUNKS, 100));
const inline = createPosTableGenerator({ threads: 0 });
const workers = createPosTableGenerator();
const kzg = new Kzg(await loadPublicParameters());
// as a farmer does at start-up (node's `farm`): the witness's fixed-base table, before the first proof
console.log(`fixed-base table: ${(await kzg.prepareFixedBase()) ? 'ready' : 'unavailable'}`);
const plotted = await plotSector({
  publicKey: PK,
  sectorIndex: 0,
  historySize: 1n,
  piecesInSector: 1,
  pieceGetter: async () => piece,
  tableGenerator: workers,
});
const o = { publicKey: PK, metadata: plotted.metadata, sector: plotted.sector, tableGenerator: inline };
const ctx = await sectorContextOf(o);
const seed = sectorEvaluationSeed(ctx.sectorId, 0);

async function time<T>(name: string, f: () => Promise<T> | T): Promise<T> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  console.log(
    `${name.padEnd(34)} wall ${wall.toFixed(0).padStart(6)} ms  cpu(process) ${((c.user + c.system) / 1000).toFixed(0).padStart(6)} ms`,
  );
  return r;
}

for (let round = 0; round < Number(process.env.ROUNDS ?? 2); round++) {
  console.log(`-- round ${round}`);
  const table = await time('table (inline, 1 core)', () => inline.generate(seed));
  await time('table (inline, 2 cores)', () => inline.generate(seed, { cores: 2 }));
  await time('table (worker, 2 cores)', () => workers.generate(seed, { cores: 2 }));
  const present = ctx.map.recordChunkPositions(0).map((j) => (j >= 0 ? 1 : 0));
  await time('table (worker, 2 cores) + async plan', async () => {
    const plan = planRecoverPolyAsync(present);
    await workers.generate(seed, { cores: 2 });
    return plan;
  });
  const chunks = await time('readRecordChunks', () => readRecordChunks(ctx, plotted.sector, 0));
  const shards = await time('unmask', () => unmaskRecordChunks(ctx, chunks, 0, table, 0));
  const poly = await time('recoverPoly (1 thread)', () => recoverPoly(shards));
  await time('recoverPoly (2 threads)', () => recoverPoly(shards, { threads: 2 }));
  const plan = await time('planRecoverPoly (1 thread)', () => planRecoverPoly(present));
  await time('recoverPoly with the plan (2 threads)', () => recoverPoly(shards, { threads: 2, plan }));
  // what proveSolutions does: unmask in place, recover from the buffer
  for (const run of ['', ' again']) {
    const flat = await readRecordChunks(ctx, plotted.sector, 0);
    await time(`unmask in place${run}`, () => unmaskRecordChunksInPlace(ctx, flat, 0, table, 0));
    await time(`recoverPolyBytes with the plan (2 threads)${run}`, () =>
      recoverPolyBytes(flat, plan, { threads: 2 }),
    );
  }
  await time('recoverPoly (TypeScript)', () => recoverPoly(shards, { backend: 'typescript' }));
  const s = 12345;
  await time('createWitness (1 core)', () => kzg.createWitness(poly, 65536, s));
  await time('createWitnessAsync', () => kzg.createWitnessAsync(poly, 65536, s));
  await time('proveSolutions, first solution', async () => {
    for (let slot = BigInt(round * 100 + 1); ; slot++) {
      const audit = await auditSector({
        publicKey: PK,
        metadata: plotted.metadata,
        sector: plotted.sector,
        globalChallenge: slotGlobalChallenge(new Uint8Array(16), slot),
        solutionRange: 2n ** 64n - 1n,
      });
      if (audit === undefined) continue;
      const w = { ...o, tableGenerator: workers, rewardAddress: PK, kzg, audit, maxSolutions: 1 };
      for await (const _ of proveSolutions(w)) return;
    }
  });
}
await inline.close();
await workers.close();
