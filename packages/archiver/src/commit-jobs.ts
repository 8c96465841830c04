/**
 * The units of segment work, run inline or in a worker thread (see worker-pool.ts). The segment
 * and the pieces being built live in shared memory (SharedArrayBuffer when workers run), so a job
 * names a range and writes its part in place: nothing of the 128 MiB is copied between threads.
 */
import { extendColumns } from '@autonomys/erasure';
import { type Kzg, poly } from '@autonomys/kzg';
import { COMMITMENT_SIZE, SAFE_BYTES, SCALAR_SIZE, WITNESS_SIZE } from '@autonomys/primitives';

/** The layout numbers a job needs (from SegmentGeometry). */
export interface JobGeometry {
  readonly numRawRecords: number;
  readonly numChunks: number;
  readonly pieceSize: number;
  readonly recordSize: number;
  readonly rawRecordSize: number;
}

export type CommitJob =
  /** Records [from, to) of `segment` as scalars into the source pieces (§3.5 step 1). */
  | { type: 'layout'; segment: Uint8Array; pieces: Uint8Array; g: JobGeometry; from: number; to: number }
  /** Extend the columns [from, to) of the source records into the parity pieces (§3.5 step 2). */
  | { type: 'extend'; pieces: Uint8Array; g: JobGeometry; from: number; to: number }
  /** Commit to the polynomial of source record `record` (§3.5 step 3). */
  | { type: 'commit'; pieces: Uint8Array; g: JobGeometry; record: number }
  /**
   * Witnesses for positions [from, to) of the polynomial through `values` (§3.5 step 6), written
   * into their pieces after the record commitment.
   */
  | { type: 'witness'; values: Uint8Array; pieces: Uint8Array; g: JobGeometry; from: number; to: number };

export type CommitResult = { done: true } | { commitments: Uint8Array[] };

/** The source record k of the pieces buffer (piece 2k). */
const sourceRecord = (pieces: Uint8Array, g: JobGeometry, k: number) =>
  pieces.subarray(2 * k * g.pieceSize, 2 * k * g.pieceSize + g.recordSize);

export function runJob(kzg: Kzg, job: CommitJob): CommitResult {
  switch (job.type) {
    case 'layout': {
      // Each 31-byte chunk becomes a 32-byte big-endian scalar with a zero top byte.
      const { segment, pieces, g } = job;
      for (let k = job.from; k < job.to; k++) {
        const out = sourceRecord(pieces, g, k);
        let src = k * g.rawRecordSize;
        for (let o = 0; o < g.recordSize; o += SCALAR_SIZE, src += SAFE_BYTES) {
          out[o] = 0;
          for (let b = 0; b < SAFE_BYTES; b++) out[o + 1 + b] = segment[src + b]!;
        }
      }
      return { done: true };
    }
    case 'extend': {
      const { pieces, g, from, to } = job;
      const records = Array.from({ length: g.numRawRecords }, (_, k) =>
        sourceRecord(pieces, g, k).slice(from * SCALAR_SIZE, to * SCALAR_SIZE),
      );
      const parity = extendColumns(records);
      for (let k = 0; k < g.numRawRecords; k++)
        pieces.set(parity[k]!, (2 * k + 1) * g.pieceSize + from * SCALAR_SIZE);
      return { done: true };
    }
    case 'commit':
      return { commitments: [kzg.commit(poly(sourceRecord(job.pieces, job.g, job.record).slice()))] };
    case 'witness': {
      const { pieces, g } = job;
      const p = poly(job.values.slice());
      const n = job.values.length / SCALAR_SIZE;
      if (job.from === 0 && job.to === n && kzg.hasFastWitnesses) {
        // All of them at once (FK20 on the backend's G1 transform): ~6x fewer group operations.
        const all = kzg.createWitnesses(p, n);
        for (let i = 0; i < n; i++)
          pieces.set(
            all.subarray(i * WITNESS_SIZE, (i + 1) * WITNESS_SIZE),
            i * g.pieceSize + g.recordSize + COMMITMENT_SIZE,
          );
        return { done: true };
      }
      for (let i = job.from; i < job.to; i++)
        pieces.set(kzg.createWitness(p, n, i), i * g.pieceSize + g.recordSize + COMMITMENT_SIZE);
      return { done: true };
    }
  }
}

/** The buffers of a result, to transfer rather than copy. */
export function transferables(r: CommitResult): ArrayBuffer[] {
  const list = 'commitments' in r ? r.commitments : [];
  return list.map((b) => b.buffer as ArrayBuffer);
}
