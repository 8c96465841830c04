/**
 * Proof-of-space tables behind one interface (the reference's `Table` / `TableGenerator`): the Chia
 * table (inline, or one table per worker thread) and the shim table of test networks.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { blake3, NUM_CHUNKS } from '@autonomys/primitives';
import { abytes, aindex, aint, ak } from '../assert.js';
import { POS_K, POS_SEED_SIZE } from '../constants.js';
import { PlotterError } from '../errors.js';
import { isProofValid } from './functions.js';
import { CHALLENGE_INDEXES, findProofXs, lookupProofMask, packXs } from './proof.js';
import { isShimProofValid, shimProof } from './shim.js';
import type { PosTablesData } from './table.js';
import { buildTables } from './tables.js';

/** Cancellation, as everywhere in the Autonomys packages. */
export interface AbortOptions {
  signal?: AbortSignal;
}

/** Options of {@link PosTableGenerator.generate}. */
export interface GenerateOptions extends AbortOptions {
  /**
   * Cores this one table may use (1 or 2, default 1; the native kernel only, the tables are the
   * same): proving asks for 2, since its table is on the critical path; plotting keeps one table per
   * core.
   */
  cores?: number;
}

/** The tables of one seed: proofs by challenge index (an s-bucket in farming). */
export interface PosTable {
  /** `'chia'` (consensus) or `'shim'` (test networks only). */
  readonly kind: 'chia' | 'shim';
  /** The first proof of a challenge index, or undefined when it has none. */
  findProof(sBucket: number): Uint8Array | undefined;
  /**
   * BLAKE3 of that proof (the chunk mask, farming §2.3), or undefined without a proof. Optional: see
   * {@link proofMaskOf}. The Chia tables of a generator answer it from masks precomputed with the
   * table (in its worker), which is what plotting, reading and proving spend most calls on.
   */
  proofMask?(sBucket: number): Uint8Array | undefined;
  /**
   * Optional: hands the table's memory back to its generator, which builds a later table into it
   * (no fresh ~56 MB to clear and fault in at K = 20, and no external-memory growth, which costs the
   * receiving thread a garbage collection per table). The table must not be used afterwards: its
   * methods throw PLOTTER_CLOSED. Masks already returned by `proofMask` stay valid. Proving and
   * plotting release each table once its record is unmasked or encoded.
   */
  release?(): void;
}

/**
 * The chunk mask of an s-bucket (BLAKE3 of its first proof), or undefined when it has no proof:
 * `table.proofMask` when the table has it, else hashed from `findProof`. A fresh array or a view the
 * caller must not modify.
 * @example const mask = proofMaskOf(table, sBucket); if (mask) for (let i = 0; i < 32; i++) chunk[i] ^= mask[i];
 */
export function proofMaskOf(table: PosTable, sBucket: number): Uint8Array | undefined {
  if (table.proofMask !== undefined) return table.proofMask(sBucket);
  const proof = table.findProof(sBucket);
  return proof === undefined ? undefined : blake3(proof);
}

/** Builds {@link PosTable}s; `isProofValid` is the matching (static) verifier. */
export interface PosTableGenerator {
  readonly kind: 'chia' | 'shim';
  /**
   * How many tables it builds at once (its worker threads; 1 when it builds inline): `plotSector`
   * encodes this many records at a time unless told otherwise. Absent counts as 1.
   */
  readonly threads?: number;
  /** Builds the table of a 32-byte seed (off the main thread when the generator has workers). */
  generate(seed: Uint8Array, opts?: GenerateOptions): Promise<PosTable>;
  /** The verifier of this table kind (no table needed). */
  isProofValid(seed: Uint8Array, sBucket: number, proof: Uint8Array): boolean;
  /** Terminates the workers; pending jobs reject with PLOTTER_CLOSED. */
  close(): Promise<void>;
}

/** A built Chia table: the typed arrays of {@link PosTablesData} and the proof lookup. */
export class ChiaPosTable implements PosTable {
  readonly kind = 'chia' as const;
  #released = false;
  /** @param onRelease receives the table arrays' buffers on {@link release} (none: release only marks it). */
  constructor(
    readonly data: PosTablesData,
    private readonly onRelease?: (buffers: ArrayBuffer[]) => void,
  ) {}
  /** See {@link PosTable.release}. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    const d = this.data;
    this.onRelease?.([d.x, ...d.positions, d.y7].map((a) => a.buffer as ArrayBuffer));
  }
  #check(): void {
    if (this.#released) throw new PlotterError({ code: 'PLOTTER_CLOSED', what: 'table (released)' });
  }
  findProof(sBucket: number): Uint8Array | undefined {
    this.#check();
    aindex(sBucket);
    const xs = findProofXs(this.data, sBucket);
    return xs === undefined ? undefined : packXs(xs, this.data.k);
  }
  proofMask(sBucket: number): Uint8Array | undefined {
    this.#check();
    aindex(sBucket);
    const masks = this.data.proofMasks;
    const hit = masks === undefined ? undefined : lookupProofMask(masks, sBucket);
    if (hit !== undefined) return hit ?? undefined;
    const xs = findProofXs(this.data, sBucket);
    return xs === undefined ? undefined : blake3(packXs(xs, this.data.k));
  }
}

/** Options of {@link createPosTableGenerator}. */
export interface PosTableGeneratorOptions {
  /** Worker threads (one table per worker); 0 builds inline. Default: availableParallelism(). */
  threads?: number;
  /** Space parameter (default 20). */
  k?: number;
  /** Force (`true`) or forbid (`false`) the native kernel; default: native when available. */
  native?: boolean;
  /**
   * Chunk masks of the first this many proofs computed with each table, in its worker (0..65536;
   * default NUM_CHUNKS = 32 768 at K = 20, what a record needs; else 0).
   */
  proofMasks?: number;
}

interface Job {
  seed: Uint8Array;
  cores: number;
  resolve: (t: PosTable) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  worker: Worker | undefined;
}

function aborted(signal: AbortSignal): PlotterError {
  return new PlotterError({
    code: 'PLOTTER_ABORTED',
    what: 'generate',
    reason: String(signal.reason ?? 'aborted'),
  });
}

function coresOf(o: GenerateOptions): number {
  const cores = o.cores ?? 1;
  aint(cores, 1, 2, 'cores');
  return cores;
}

function assertSeed(seed: unknown): asserts seed is Uint8Array {
  abytes(seed, POS_SEED_SIZE, 'seed');
}

/** How to start a table worker: the bundled `pos-worker.js` (dist), else the TypeScript source via tsx. */
function workerSpec(): { url: URL | string; options: { eval?: boolean; execArgv?: string[] } } {
  const js = new URL('./pos-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { url: js, options: {} };
  // Running from sources (tests, tsx): bootstrap tsx in the worker, then import the .ts entry.
  const entry = new URL('./pos-worker.ts', import.meta.url).href;
  // require.resolve gives tsx's CommonJS build of the API; its ESM build sits beside it.
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const tsx = pathToFileURL(cjs.replace(/index\.cjs$/, 'index.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return { url: code, options: { eval: true, execArgv: ['--conditions=autonomys-source'] } };
}

/**
 * The Chia table generator: `threads` workers (default: one per core), each building one table at a
 * time natively or in TypeScript; `threads: 0` builds inline on the calling thread (browsers, tests).
 * Finished tables are transferred back (no copy). An aborted signal drops a queued job and
 * terminates the worker of a running one.
 * @example
 * const gen = createPosTableGenerator({ threads: 2 });
 * const table = await gen.generate(seed);
 * const proof = table.findProof(sBucket);
 * await gen.close();
 */
export function createPosTableGenerator(opts: PosTableGeneratorOptions = {}): PosTableGenerator {
  const k = ak(opts.k, POS_K);
  const threads = opts.threads ?? availableParallelism();
  aint(threads, 0, 1024, 'threads');
  const native = opts.native;
  const proofMasks = opts.proofMasks ?? (k === POS_K ? NUM_CHUNKS : 0);
  aint(proofMasks, 0, CHALLENGE_INDEXES, 'proofMasks');
  const verify = (seed: Uint8Array, sBucket: number, proof: Uint8Array) =>
    isProofValid(seed, sBucket, proof, { k });
  let closed = false;

  if (threads === 0) {
    // Buffers of released tables, built into by the next table (one table's worth kept).
    let spare: ArrayBuffer[] = [];
    const keep = (buffers: ArrayBuffer[]) => {
      spare = buffers;
    };
    return {
      kind: 'chia',
      threads: 1,
      async generate(seed, o = {}) {
        assertSeed(seed);
        if (closed) throw new PlotterError({ code: 'PLOTTER_CLOSED', what: 'generate' });
        const signal = o.signal;
        const check = () => {
          if (signal?.aborted) throw aborted(signal);
        };
        const cores = coresOf(o);
        check();
        await Promise.resolve();
        const reuse = spare;
        spare = [];
        return new ChiaPosTable(buildTables(seed, k, native, check, proofMasks, cores, reuse), keep);
      },
      isProofValid: verify,
      async close() {
        closed = true;
      },
    };
  }

  const idle: Worker[] = [];
  const busy = new Set<Worker>();
  const queue: Job[] = [];

  const spawn = (): Worker => {
    const spec = workerSpec();
    return new Worker(spec.url, { ...spec.options, workerData: { k, native, proofMasks } });
  };

  // A released table's buffers go (transferred, so this thread no longer holds them) to a worker,
  // idle if possible, which builds its next table into them.
  const giveBack = (buffers: ArrayBuffer[]) => {
    if (closed) return;
    const w = idle[idle.length - 1] ?? busy.values().next().value;
    if (w === undefined) return;
    const live = buffers.filter((b) => b.byteLength > 0);
    w.postMessage({ spare: live }, live);
  };

  const finish = (job: Job) => {
    if (job.onAbort !== undefined) job.signal?.removeEventListener('abort', job.onAbort);
  };

  // Only our own listeners: removeAllListeners() would also drop the Worker's internal
  // newListener/removeListener hooks, and a reused worker's replies would then never arrive.
  const detach = (w: Worker) => {
    for (const event of ['message', 'error', 'exit'] as const) w.removeAllListeners(event);
  };

  const release = (w: Worker, keep: boolean) => {
    busy.delete(w);
    detach(w);
    if (keep && !closed) idle.push(w);
    else void w.terminate();
    pump();
  };

  const pump = () => {
    while (queue.length > 0 && busy.size < threads) {
      const job = queue.shift()!;
      const w = idle.pop() ?? spawn();
      busy.add(w);
      job.worker = w;
      w.once('message', (msg: { ok: true; data: PosTablesData } | { ok: false; error: string }) => {
        job.worker = undefined;
        finish(job);
        release(w, true);
        if (msg.ok) job.resolve(new ChiaPosTable(msg.data, giveBack));
        else
          job.reject(
            new PlotterError({ code: 'PLOTTER_WORKER_FAILED', what: 'generate', reason: msg.error }),
          );
      });
      const fail = (reason: string) => {
        if (job.worker !== w) return;
        job.worker = undefined;
        finish(job);
        release(w, false);
        job.reject(new PlotterError({ code: 'PLOTTER_WORKER_FAILED', what: 'generate', reason }));
      };
      w.once('error', (e) => fail(e instanceof Error ? e.message : String(e)));
      w.once('exit', (code) => fail(`worker exited with code ${code}`));
      // The seed is copied (32 bytes); the caller keeps its array.
      w.postMessage({ seed: job.seed.slice(), cores: job.cores });
    }
  };

  return {
    kind: 'chia',
    threads,
    generate(seed, o = {}) {
      assertSeed(seed);
      if (closed) return Promise.reject(new PlotterError({ code: 'PLOTTER_CLOSED', what: 'generate' }));
      const signal = o.signal;
      const cores = coresOf(o);
      if (signal?.aborted) return Promise.reject(aborted(signal));
      return new Promise<PosTable>((resolve, reject) => {
        const job: Job = { seed, cores, resolve, reject, signal, onAbort: undefined, worker: undefined };
        if (signal !== undefined) {
          job.onAbort = () => {
            finish(job);
            const i = queue.indexOf(job);
            if (i >= 0) queue.splice(i, 1);
            const w = job.worker;
            if (w !== undefined) {
              // Running: terminate its worker (a table cannot be interrupted midway any other way).
              job.worker = undefined;
              release(w, false);
            }
            reject(aborted(signal));
          };
          signal.addEventListener('abort', job.onAbort, { once: true });
        }
        queue.push(job);
        pump();
      });
    },
    isProofValid: verify,
    async close() {
      closed = true;
      for (const job of queue.splice(0)) {
        finish(job);
        job.reject(new PlotterError({ code: 'PLOTTER_CLOSED', what: 'generate' }));
      }
      const all = [...idle.splice(0), ...busy];
      busy.clear();
      await Promise.all(
        all.map((w) => {
          detach(w);
          return w.terminate();
        }),
      );
    },
  };
}

/** A shim table: proofs computed on demand from the seed (farming §3.9). */
class ShimPosTable implements PosTable {
  readonly kind = 'shim' as const;
  constructor(private readonly seed: Uint8Array) {}
  findProof(sBucket: number): Uint8Array | undefined {
    aindex(sBucket);
    return shimProof(this.seed, sBucket);
  }
  proofMask(sBucket: number): Uint8Array | undefined {
    const proof = this.findProof(sBucket);
    return proof === undefined ? undefined : blake3(proof);
  }
}

/**
 * The shim table of the reference's test networks (farming §3.9): free to build, not secure, never
 * valid on mainnet. Same interface as the Chia generator.
 * @example const table = await createShimTableGenerator().generate(seed); table.findProof(1);
 */
export function createShimTableGenerator(): PosTableGenerator {
  return {
    kind: 'shim',
    threads: 1,
    async generate(seed, o = {}) {
      assertSeed(seed);
      if (o.signal?.aborted) throw aborted(o.signal);
      return new ShimPosTable(seed.slice());
    },
    isProofValid: isShimProofValid,
    async close() {},
  };
}
