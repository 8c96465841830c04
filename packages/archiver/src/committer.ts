/**
 * The network's segment cryptography (archiving §3.5): a recorded history segment becomes 256
 * pieces — 128 source records, 128 parity records from column-wise erasure coding, a KZG
 * commitment per record (parity ones derived with `extendCommitments`), the segment commitment
 * over their 254-bit hashes, and a witness per piece.
 *
 * The heavy parts (column extension, 128 record commitments, 256 witnesses) are split across
 * worker threads (`threads`, default: the machine's parallelism); `threads: 0` runs inline.
 */
import { availableParallelism } from 'node:os';
import { ErasureError, extendCommitmentsAsync } from '@autonomys/erasure';
import { Kzg, loadPublicParameters, type PublicParametersOptions, poly } from '@autonomys/kzg';
import { blake3_254, safeChunksToScalars } from '@autonomys/primitives';
import type { ArchiveOptions, SegmentCommitter } from './archiver.js';
import { type CommitJob, type CommitResult, runJob } from './commit-jobs.js';
import { ArchiverError } from './errors.js';
import type { SegmentGeometry } from './params.js';
import { WorkerPool } from './worker-pool.js';

export interface KzgCommitterOptions {
  /** Worker threads for the heavy parts; 0 runs everything on the calling thread. */
  readonly threads?: number;
  /** How to load the public parameters (in each worker too). */
  readonly parameters?: Omit<PublicParametersOptions, 'backend'>;
}

/** A {@link SegmentCommitter} with the network's KZG and erasure coding; `close()` stops its workers. */
export interface KzgSegmentCommitter extends SegmentCommitter {
  close(): Promise<void>;
}

function aborted(opts?: ArchiveOptions): void {
  if (opts?.signal?.aborted) throw new ArchiverError({ code: 'ARCHIVER_ABORTED' });
}

/** Splits `[0, n)` into at most `parts` contiguous ranges of near-equal size. */
function ranges(n: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const p = Math.max(1, Math.min(parts, n));
  for (let i = 0; i < p; i++) out.push([Math.floor((i * n) / p), Math.floor(((i + 1) * n) / p)]);
  return out.filter(([a, b]) => b > a);
}

/**
 * The committer the network uses.
 * @example
 * const committer = kzgSegmentCommitter();
 * const archiver = new Archiver({ committer });
 */
export function kzgSegmentCommitter(opts: KzgCommitterOptions = {}): KzgSegmentCommitter {
  const threads = opts.threads ?? Math.max(1, availableParallelism());
  const parameterOptions = opts.parameters ?? {};
  let kzg: Promise<Kzg> | undefined;
  const localKzg = () => {
    kzg ??= loadPublicParameters(parameterOptions).then((p) => new Kzg(p));
    return kzg;
  };
  const pool = threads > 0 ? new WorkerPool(threads, parameterOptions) : undefined;
  const run = async (job: CommitJob, signal?: AbortSignal): Promise<CommitResult> =>
    pool ? pool.run(job, signal) : runJob(await localKzg(), job);

  return {
    async close() {
      await pool?.close();
    },

    async commit(segment: Uint8Array, segmentIndex: bigint, g: SegmentGeometry, o?: ArchiveOptions) {
      const parts = Math.max(1, threads);
      const { numRawRecords: n, numPieces, pieceSize, recordSize, rawRecordSize } = g;
      const pieces = new Uint8Array(numPieces * pieceSize);
      const sources: Uint8Array[] = [];
      for (let k = 0; k < n; k++) {
        const record = pieces.subarray(2 * k * pieceSize, 2 * k * pieceSize + recordSize);
        record.set(safeChunksToScalars(segment.subarray(k * rawRecordSize, (k + 1) * rawRecordSize)));
        sources.push(record);
      }
      aborted(o);

      // Parity records: column ranges extended in parallel (§3.5 step 2).
      const columns = ranges(g.numChunks, parts);
      const parity = await Promise.all(
        columns.map(([a, b]) =>
          run({ type: 'extend', records: sources.map((r) => r.slice(a * 32, b * 32)) }, o?.signal),
        ),
      );
      for (const [i, [a]] of columns.entries()) {
        const slices = (parity[i] as { records: Uint8Array[] }).records;
        for (let k = 0; k < n; k++) pieces.set(slices[k]!, (2 * k + 1) * pieceSize + a * 32);
      }
      aborted(o);

      // Source record commitments (§3.5 step 3), records split across the workers.
      const commitments: Uint8Array[] = new Array(n);
      let committed = 0;
      await Promise.all(
        ranges(n, parts).map(async ([a, b]) => {
          for (let k = a; k < b; k++) {
            const r = (await run({ type: 'commit', records: [sources[k]!.slice()] }, o?.signal)) as {
              commitments: Uint8Array[];
            };
            commitments[k] = r.commitments[0]!;
            committed++;
            o?.onProgress?.({ type: 'archive:records-committed', segmentIndex, committed, total: n });
          }
        }),
      );
      // Parity commitments: n small MSMs, spread over libuv's threads (blst) off the event loop.
      const all = await extendCommitmentsAsync(commitments, o?.signal ? { signal: o.signal } : {}).catch(
        (e: unknown) => {
          if (e instanceof ErasureError && e.code === 'ERASURE_ABORTED')
            throw new ArchiverError({ code: 'ARCHIVER_ABORTED' });
          throw e;
        },
      );

      // Segment commitment over the 254-bit hashes of all commitments, then a witness per piece.
      const hashes = new Uint8Array(numPieces * 32);
      for (let i = 0; i < numPieces; i++) hashes.set(blake3_254(all[i]!), i * 32);
      const local = await localKzg();
      const segmentCommitment = local.commit(poly(hashes));
      const witnessParts = await Promise.all(
        ranges(numPieces, parts).map(([a, b]) =>
          run({ type: 'witness', values: hashes, from: a, to: b }, o?.signal),
        ),
      );
      let i = 0;
      for (const part of witnessParts) {
        for (const w of (part as { witnesses: Uint8Array[] }).witnesses) {
          const at = i * pieceSize + recordSize;
          pieces.set(all[i]!, at);
          pieces.set(w, at + 48);
          i++;
        }
      }
      return { pieces, segmentCommitment };
    },
  };
}
