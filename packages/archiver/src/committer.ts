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
import { blake3_254 } from '@autonomys/primitives';
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
      const { numRawRecords: n, numPieces, pieceSize, recordSize } = g;
      const geometry = {
        numRawRecords: n,
        numChunks: g.numChunks,
        pieceSize,
        recordSize,
        rawRecordSize: g.rawRecordSize,
      };
      // Workers write their parts of the pieces in place: shared memory when they run.
      const shared = (bytes: number) =>
        new Uint8Array(pool ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
      const pieces = shared(numPieces * pieceSize);
      let source = segment;
      if (pool) {
        source = shared(segment.length);
        source.set(segment);
      }

      // Source records as scalars (§3.5 step 1), record ranges in parallel.
      await Promise.all(
        ranges(n, parts).map(([from, to]) =>
          run({ type: 'layout', segment: source, pieces, g: geometry, from, to }, o?.signal),
        ),
      );
      aborted(o);

      // Parity records: column ranges extended in parallel (§3.5 step 2).
      await Promise.all(
        ranges(g.numChunks, parts).map(([from, to]) =>
          run({ type: 'extend', pieces, g: geometry, from, to }, o?.signal),
        ),
      );
      aborted(o);

      // Source record commitments (§3.5 step 3), one job per record for steady progress.
      const commitments: Uint8Array[] = new Array(n);
      let committed = 0;
      await Promise.all(
        ranges(n, parts).map(async ([a, b]) => {
          for (let k = a; k < b; k++) {
            const r = (await run({ type: 'commit', pieces, g: geometry, record: k }, o?.signal)) as {
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
      // Callers get ordinary memory (some APIs refuse views of a SharedArrayBuffer).
      return { pieces: pool ? pieces.slice() : pieces, segmentCommitment };
    },
  };
}
