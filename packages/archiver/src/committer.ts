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
import { blake3_254, COMMITMENT_SIZE, WITNESS_SIZE } from '@autonomys/primitives';
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
  /**
   * @internal Called after each stage of a segment with its wall time and the process's CPU time
   * (all threads) in milliseconds: the bench's split. Stages run one after another.
   */
  readonly onStage?: (stage: string, wallMs: number, cpuMs: number) => void;
}

/** A {@link SegmentCommitter} with the network's KZG and erasure coding; `close()` stops its workers. */
export interface KzgSegmentCommitter extends SegmentCommitter {
  close(): Promise<void>;
}

function aborted(opts?: ArchiveOptions): void {
  if (opts?.signal?.aborted) throw new ArchiverError({ code: 'ARCHIVER_ABORTED' });
}

/** Column range of one extension job (~50 ms on one core): small, so the lanes end together. */
const EXTEND_COLUMNS_PER_JOB = 1024;
/** Witnesses per job (each one MSM of 255 points). */
const WITNESSES_PER_JOB = 16;

/**
 * Async tasks run by `lanes` concurrent loops in queue order; tasks may be added while it runs, at
 * either end. `run()` ends when the queue is closed and empty; the first failure stops the lanes.
 */
class TaskQueue {
  private readonly tasks: Array<() => Promise<void>> = [];
  private waiting: Array<() => void> = [];
  private open = true;
  private failed = false;
  /** Lane time (ms) spent without a job between the start of `run()` and its end. */
  idleMs = 0;

  constructor(private readonly lanes: number) {}

  push(task: () => Promise<void>): void {
    this.tasks.push(task);
    this.wake();
  }

  pushFront(tasks: Array<() => Promise<void>>): void {
    this.tasks.unshift(...tasks);
    this.wake();
  }

  close(): void {
    this.open = false;
    this.wake();
  }

  run(): Promise<void> {
    let ended = 0;
    const lane = async () => {
      while (!this.failed) {
        const task = this.tasks.shift();
        if (task) {
          try {
            await task();
          } catch (e) {
            this.failed = true;
            this.wake();
            throw e;
          }
        } else if (this.open) {
          const t = performance.now();
          await new Promise<void>((resolve) => this.waiting.push(resolve));
          this.idleMs += performance.now() - t;
        } else break;
      }
      ended -= performance.now(); // minus the time this lane ended at
    };
    return Promise.all(Array.from({ length: this.lanes }, lane)).then(() => {
      // Lanes that ended early waited for the last one: lanes·end - Σ lane ends.
      this.idleMs += this.lanes * performance.now() + ended;
    });
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
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
      const profiling = opts.onStage !== undefined;
      let wall = profiling ? performance.now() : 0;
      let cpu = profiling ? process.cpuUsage() : undefined;
      const stage = (name: string) => {
        if (!opts.onStage) return;
        const now = performance.now();
        const c = process.cpuUsage(cpu);
        opts.onStage(name, now - wall, (c.user + c.system) / 1000);
        wall = now;
        cpu = process.cpuUsage();
      };
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
      if (pool && !(segment.buffer instanceof SharedArrayBuffer)) {
        source = shared(segment.length);
        source.set(segment);
      }
      stage('copy in');

      // Source records as scalars (§3.5 step 1), record ranges in parallel.
      await Promise.all(
        ranges(n, parts).map(([from, to]) =>
          run({ type: 'layout', segment: source, pieces, g: geometry, from, to }, o?.signal),
        ),
      );
      aborted(o);
      stage('layout');

      // Everything else runs as one queue of jobs pulled by `parts` lanes (one job per worker at a
      // time), so both cores stay busy to the end: the 128 record commitments (§3.5 step 3) first,
      // then the column extension (step 2) in small column ranges. When the last commitment is in,
      // the tail (parity commitments, segment commitment, witnesses; steps 4-6) starts alongside
      // the extension, and its witness jobs go to the front of the queue.
      const queue = new TaskQueue(parts);
      const commitments: Uint8Array[] = new Array(n);
      let committed = 0;
      let allCommitted!: () => void;
      const commitmentsDone = new Promise<void>((resolve) => {
        allCommitted = resolve;
      });
      for (let k = 0; k < n; k++) {
        queue.push(async () => {
          const r = (await run({ type: 'commit', pieces, g: geometry, record: k }, o?.signal)) as {
            commitments: Uint8Array[];
          };
          commitments[k] = r.commitments[0]!;
          committed++;
          o?.onProgress?.({ type: 'archive:records-committed', segmentIndex, committed, total: n });
          if (committed === n) allCommitted();
        });
      }
      const columnJobs = ranges(
        g.numChunks,
        Math.max(parts, Math.ceil(g.numChunks / EXTEND_COLUMNS_PER_JOB)),
      );
      for (const [from, to] of columnJobs)
        queue.push(async () => {
          await run({ type: 'extend', pieces, g: geometry, from, to }, o?.signal);
        });

      let segmentCommitment: Uint8Array | undefined;
      const tail = (async () => {
        await commitmentsDone;
        stage('record commitments');
        // Parity commitments: n small MSMs, spread over libuv's threads (blst) off the event loop.
        const all = await extendCommitmentsAsync(commitments, o?.signal ? { signal: o.signal } : {}).catch(
          (e: unknown) => {
            if (e instanceof ErasureError && e.code === 'ERASURE_ABORTED')
              throw new ArchiverError({ code: 'ARCHIVER_ABORTED' });
            throw e;
          },
        );
        // Segment commitment over the 254-bit hashes of all commitments, then a witness per piece
        // (written in place by the jobs).
        const hashes = new Uint8Array(numPieces * 32);
        for (let i = 0; i < numPieces; i++) {
          hashes.set(blake3_254(all[i]!), i * 32);
          pieces.set(all[i]!, i * pieceSize + recordSize);
        }
        const local = await localKzg();
        segmentCommitment = local.commit(poly(hashes));
        stage('parity and segment commitments');
        const values = pool ? shared(hashes.length) : hashes;
        if (values !== hashes) values.set(hashes);
        // One job computes every witness when the backend can (Kzg.createWitnesses), else ranges.
        const witnessJobs = local.hasFastWitnesses
          ? [[0, numPieces] as [number, number]]
          : ranges(numPieces, Math.max(parts, numPieces / WITNESSES_PER_JOB));
        queue.pushFront(
          witnessJobs.map(([from, to]) => async () => {
            if (pool || !local.hasFastWitnesses) {
              await run({ type: 'witness', values, pieces, g: geometry, from, to }, o?.signal);
              return;
            }
            // Inline: the transforms run on libuv's pool, so the calling thread stays free.
            // (an abort is checked after the queue, as for the inline jobs)
            const all = await local.createWitnessesAsync(poly(values.slice()), numPieces);
            for (let i = 0; i < numPieces; i++)
              pieces.set(
                all.subarray(i * WITNESS_SIZE, (i + 1) * WITNESS_SIZE),
                i * pieceSize + recordSize + COMMITMENT_SIZE,
              );
          }),
        );
      })().finally(() => queue.close());
      await Promise.all([queue.run(), tail]);
      aborted(o);
      stage('witnesses and extension');
      opts.onStage?.('(idle lane time in the queue)', queue.idleMs, 0);
      // Callers get ordinary memory (some APIs refuse views of a SharedArrayBuffer).
      const out = pool ? pieces.slice() : pieces;
      stage('assemble');
      return { pieces: out, segmentCommitment: segmentCommitment! };
    },
  };
}
