/**
 * Proving (farming §6): turning audit candidates into `Solution`s. For a candidate chunk of record
 * p: regenerate p's table, read and unmask the record, recover its polynomial, open it at the
 * s-bucket (domain 2·numChunks), and attach the first proof of space and the record metadata.
 */
import { recoverPoly } from '@autonomys/erasure';
import { Kzg } from '@autonomys/kzg';
import { REWARD_ADDRESS_SIZE, type Solution, sectorEvaluationSeed } from '@autonomys/primitives';
import { abytes, aint } from './assert.js';
import type { SectorAuditResult } from './auditing.js';
import { PlotterError } from './errors.js';
import {
  readRecordShardsFrom,
  recordMetadataFrom,
  type SectorReadOptions,
  sectorContextOf,
} from './reading.js';

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
  let emitted = 0;
  for (const candidate of audit.candidates) {
    if (emitted >= max) return;
    if (o.signal?.aborted)
      throw new PlotterError({
        code: 'PLOTTER_ABORTED',
        what: 'proveSolutions',
        reason: String(o.signal.reason ?? 'aborted'),
      });
    const rec = records[candidate.chunkOffset];
    if (rec === undefined)
      throw new PlotterError({
        code: 'PLOTTER_OUT_OF_RANGE',
        what: 'chunkOffset',
        value: String(candidate.chunkOffset),
        min: '0',
        max: String(records.length - 1),
      });
    if (!rec.encoded) continue;
    const p = rec.pieceOffset;
    const table = await o.tableGenerator.generate(
      sectorEvaluationSeed(ctx.sectorId, p),
      o.signal === undefined ? {} : { signal: o.signal },
    );
    const proofOfSpace = table.findProof(s);
    if (proofOfSpace === undefined)
      throw new PlotterError({
        code: 'PLOTTER_CORRUPT_SECTOR',
        sectorIndex: o.metadata.sectorIndex,
        pieceOffset: p,
        reason: `no proof of space for encoded s-bucket ${s}`,
      });
    const shards = await readRecordShardsFrom(ctx, o.sector, p, table, o.metadata.sectorIndex);
    const chunk = shards[s]!;
    let poly: ReturnType<typeof recoverPoly>;
    try {
      poly = recoverPoly(shards);
    } catch (e) {
      throw new PlotterError({
        code: 'PLOTTER_CORRUPT_SECTOR',
        sectorIndex: o.metadata.sectorIndex,
        pieceOffset: p,
        reason: e instanceof Error ? e.message : String(e),
      });
    }
    const chunkWitness = o.kzg.createWitness(poly, ctx.map.numSBuckets, s);
    const meta = await recordMetadataFrom(ctx, o.sector, p);
    emitted++;
    yield {
      publicKey: o.publicKey.slice(),
      rewardAddress: o.rewardAddress.slice(),
      sectorIndex: o.metadata.sectorIndex,
      historySize: o.metadata.historySize,
      pieceOffset: p,
      recordCommitment: meta.commitment,
      recordWitness: meta.witness,
      chunk,
      chunkWitness,
      proofOfSpace,
    };
  }
}
