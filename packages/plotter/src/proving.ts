/**
 * Proving (farming §6): turning audit candidates into `Solution`s. For a candidate chunk of record
 * p: regenerate p's table, read and unmask the record, recover its polynomial, open it at the
 * s-bucket (domain 2·numChunks), and attach the first proof of space and the record metadata.
 *
 * Scheduling (two cores): the table is built by the generator (a worker on both cores, with the chunk
 * masks of its first proofs) while this thread reads the record's chunks and metadata and the
 * recovery's plan (the zero polynomial of the record's erasure pattern, known from the sector
 * contents map: ~3/4 of the recovery) is computed on a third thread; after the table only the
 * plan's application and the witness MSM (every core, `createWitnessAsync`) remain. The next
 * candidate's table starts once a solution is complete, before it is yielded (so it never takes a
 * core from the one being proven), and is cancelled if the caller stops early.
 */
import { availableParallelism } from 'node:os';
import { planRecoverPolyAsync, type RecoverPolyPlan, recoverPolyBytes } from '@autonomys/erasure';
import { Kzg } from '@autonomys/kzg';
import { FULL_BYTES, REWARD_ADDRESS_SIZE, type Solution, sectorEvaluationSeed } from '@autonomys/primitives';
import { abytes, aint } from './assert.js';
import type { SectorAuditResult } from './auditing.js';
import { PlotterError } from './errors.js';
import type { PosTable } from './pos/generator.js';
import {
  readRecordChunks,
  recordMetadataFrom,
  type SectorReadOptions,
  sectorContextOf,
  unmaskRecordChunksInPlace,
} from './reading.js';

/** Cores for a candidate's table and its recovery (the kernels use at most 2). */
const PROVING_CORES = Math.min(2, Math.max(1, availableParallelism()));

/** Polynomial length from which the witness MSM is split over every core. */
const PARALLEL_WITNESS_MIN = 4096;

/** Inputs of {@link proveSolutions}. */
export interface ProveSolutionsOptions extends SectorReadOptions {
  /** The 32-byte account that receives the reward. */
  rewardAddress: Uint8Array;
  /** The audit of this sector in this slot. */
  audit: SectorAuditResult;
  /** KZG with at least numChunks G1 powers loaded. */
  kzg: Kzg;
  /** Stop after this many solutions (default: every provable candidate). */
  maxSolutions?: number;
}

/**
 * The solutions of an audited sector, best distance first. Candidates whose chunk is stored
 * unencoded are skipped (they cannot be proven, §5 step 8). Each solution costs one table, one
 * polynomial recovery over 2·numChunks points and one KZG witness.
 * @example
 * for await (const solution of proveSolutions({ publicKey, rewardAddress, metadata, sector,
 *   tableGenerator, kzg, audit })) { return encodeSolution(solution); }
 */
export async function* proveSolutions(o: ProveSolutionsOptions): AsyncGenerator<Solution> {
  const ctx = await sectorContextOf(o);
  abytes(o.rewardAddress, REWARD_ADDRESS_SIZE, 'rewardAddress');
  if (!(o.kzg instanceof Kzg))
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'kzg',
      reason: 'expected a Kzg instance',
    });
  const audit = o.audit;
  if (audit === null || typeof audit !== 'object' || audit.sectorIndex !== o.metadata.sectorIndex)
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'audit',
      reason: 'not an audit of this sector',
    });
  aint(audit.sBucket, 0, ctx.map.numSBuckets - 1, 'audit.sBucket');
  const max = o.maxSolutions ?? Number.MAX_SAFE_INTEGER;
  aint(max, 0, Number.MAX_SAFE_INTEGER, 'maxSolutions');
  const s = audit.sBucket;
  const records = ctx.map.sBucketRecords(s);
  // The provable candidates in order (unencoded chunks cannot be proven, §5 step 8).
  const pieceOffsets: number[] = [];
  for (const candidate of audit.candidates) {
    const rec = records[candidate.chunkOffset];
    if (rec === undefined)
      throw new PlotterError({
        code: 'PLOTTER_OUT_OF_RANGE',
        what: 'chunkOffset',
        value: String(candidate.chunkOffset),
        min: '0',
        max: String(records.length - 1),
      });
    if (rec.encoded) pieceOffsets.push(rec.pieceOffset);
  }
  const wanted = Math.min(max, pieceOffsets.length);
  const sectorIndex = o.metadata.sectorIndex;

  // One candidate's inputs, started together: the table (a worker) and the reads (I/O).
  interface Pending {
    p: number;
    abort: AbortController;
    table: Promise<PosTable>;
    chunks: Promise<Uint8Array>;
    meta: ReturnType<typeof recordMetadataFrom>;
    /** The recovery's plan from the record's erasure pattern (beside the table, on one thread). */
    plan: Promise<RecoverPolyPlan>;
  }
  // Each table is on the critical path (the next one starts when the previous solution is done): it
  // gets both cores.
  const start = (i: number): Pending => {
    const p = pieceOffsets[i]!;
    const abort = new AbortController();
    const outer = o.signal;
    if (outer !== undefined) {
      if (outer.aborted) abort.abort(outer.reason);
      else
        outer.addEventListener('abort', () => abort.abort(outer.reason), {
          once: true,
          signal: abort.signal,
        });
    }
    const signal = abort.signal;
    const pending: Pending = {
      p,
      abort,
      table: o.tableGenerator.generate(sectorEvaluationSeed(ctx.sectorId, p), {
        signal,
        cores: PROVING_CORES,
      }),
      chunks: readRecordChunks(ctx, o.sector, p),
      meta: recordMetadataFrom(ctx, o.sector, p),
      plan: planRecoverPolyAsync(ctx.map.recordChunkPositions(p).map((j) => (j >= 0 ? 1 : 0))),
    };
    // Settled here too, so that an abandoned prefetch never surfaces as an unhandled rejection.
    for (const x of [pending.table, pending.chunks, pending.meta, pending.plan]) x.catch(() => {});
    return pending;
  };

  let next: Pending | undefined = wanted > 0 ? start(0) : undefined;
  try {
    for (let i = 0; i < wanted; i++) {
      if (o.signal?.aborted)
        throw new PlotterError({
          code: 'PLOTTER_ABORTED',
          what: 'proveSolutions',
          reason: String(o.signal.reason ?? 'aborted'),
        });
      const cur = next!;
      const p = cur.p;
      const table = await cur.table;
      cur.abort.abort(); // the table is built: this only detaches the caller's signal listener
      next = undefined;
      const proofOfSpace = table.findProof(s);
      if (proofOfSpace === undefined)
        throw new PlotterError({
          code: 'PLOTTER_CORRUPT_SECTOR',
          sectorIndex,
          pieceOffset: p,
          reason: `no proof of space for encoded s-bucket ${s}`,
        });
      // Unmasked in place (s-bucket s at 32·s of the read buffer) and recovered from that buffer.
      const chunks = await cur.chunks;
      unmaskRecordChunksInPlace(ctx, chunks, p, table, sectorIndex);
      table.release?.(); // its memory goes back to the generator for the next table
      if (!ctx.map.hasChunk(p, s))
        throw new PlotterError({
          code: 'PLOTTER_CORRUPT_SECTOR',
          sectorIndex,
          pieceOffset: p,
          reason: `the record has no chunk in the audited s-bucket ${s}`,
        });
      const chunk = chunks.slice(s * FULL_BYTES, (s + 1) * FULL_BYTES);
      let poly: ReturnType<typeof recoverPolyBytes>;
      try {
        poly = recoverPolyBytes(chunks, await cur.plan, { threads: PROVING_CORES });
      } catch (e) {
        throw new PlotterError({
          code: 'PLOTTER_CORRUPT_SECTOR',
          sectorIndex,
          pieceOffset: p,
          reason: e instanceof Error ? e.message : String(e),
        });
      }
      // Large openings use every core; small ones (test presets) stay on this thread.
      const chunkWitness =
        poly.length >= PARALLEL_WITNESS_MIN
          ? await o.kzg.createWitnessAsync(poly, ctx.map.numSBuckets, s)
          : o.kzg.createWitness(poly, ctx.map.numSBuckets, s);
      const meta = await cur.meta;
      // The next candidate's table builds while the caller handles this solution.
      next = i + 1 < wanted ? start(i + 1) : undefined;
      yield {
        publicKey: o.publicKey.slice(),
        rewardAddress: o.rewardAddress.slice(),
        sectorIndex,
        historySize: o.metadata.historySize,
        pieceOffset: p,
        recordCommitment: meta.commitment,
        recordWitness: meta.witness,
        chunk,
        chunkWitness,
        proofOfSpace,
      };
    }
  } finally {
    // The caller stopped (or something failed): drop the prefetched table.
    next?.abort.abort();
  }
}
