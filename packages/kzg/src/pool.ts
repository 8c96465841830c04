/**
 * Worker threads for the TypeScript MSM, so `Kzg.commitAsync` and `createWitnessAsync` use every
 * core without the native addon. One pool per process, started on first use: a job is split into
 * contiguous ranges of the point table, each range runs the affine-bucket MSM in a worker, and the
 * partial sums are added on the calling thread (one G1 addition per range).
 *
 * Cost model: at 2^12-2^15 points the MSM costs ~0.25 ms per point in TypeScript, while a job costs
 * the copy of its scalars (32 bytes per point) plus, once per worker and table, parsing its range
 * of the table into BigInt coordinates (~2 µs per point). The table itself is copied once into a
 * SharedArrayBuffer that every worker reads. Idle workers are unref'd: a process that forgets the
 * pool still exits. An aborted signal drops the job's queued ranges and terminates the workers
 * running it (they are replaced on demand).
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { G1_UNCOMPRESSED_SIZE, SCALAR_SIZE } from './constants.js';
import { KzgError } from './errors.js';
import { decodeG1At, encodeG1, type Jacobian, jAdd, toAffine } from './g1.js';
import { throwIfAborted } from './utils.js';

/** A range job for a worker; `table` is sent the first time a worker meets `tableId`. */
export interface MsmJob {
  id: number;
  tableId: number;
  table?: Uint8Array;
  /** The scalars of the range only (count·32 bytes). */
  scalars: Uint8Array;
  count: number;
  start: number;
}

/** A worker's answer: the 48-byte compressed partial sum, or an error message. */
export type MsmReply = { id: number; out: Uint8Array } | { id: number; error: string };

interface Task {
  job: MsmJob;
  table: Uint8Array;
  resolve: (out: Uint8Array) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
  slot: Slot | undefined;
}

interface Slot {
  worker: Worker | undefined;
  tables: Set<number>;
  task: Task | undefined;
}

/** Below this many points per range a worker is not worth its messages: the MSM runs inline. */
const MIN_POINTS_PER_RANGE = 64;

/** Starts one worker: dist/msm-worker.js when built, src/msm-worker.ts through tsx in the workspace. */
function spawn(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./msm-worker.js', self));
  // Sources (tests, `tsx bench`): Node 20 cannot run .ts in a worker, so a tiny bootstrap
  // registers tsx's ESM hooks first (tsx/esm/api's ESM build is the .mjs beside the .cjs).
  const tsx = createRequire(self)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const boot = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./msm-worker.ts', self).href)}); })`;
  return new Worker(boot, { eval: true, execArgv: [...process.execArgv, '--conditions=autonomys-source'] });
}

/** `parts` contiguous ranges covering [start, start + n), the first ones one longer. */
function split(start: number, n: number, parts: number): Array<[number, number]> {
  const k = Math.max(1, Math.min(parts, n));
  const out: Array<[number, number]> = [];
  for (let i = 0, s = start; i < k; i++) {
    const len = Math.floor(n / k) + (i < n % k ? 1 : 0);
    out.push([s, len]);
    s += len;
  }
  return out;
}

function addCompressed(a: Uint8Array, b: Uint8Array): Uint8Array {
  const j = (bytes: Uint8Array): Jacobian => {
    const p = decodeG1At(bytes, 0, 'partial sum', false);
    return p === null ? { x: 1n, y: 1n, z: 0n } : { x: p.x, y: p.y, z: 1n };
  };
  return encodeG1(toAffine(jAdd(j(a), j(b))));
}

/** The TypeScript MSM's worker pool (internal: `typescriptBackend.msmG1Async` uses it). */
export class MsmPool {
  readonly threads: number;
  private readonly slots: Slot[];
  private readonly queue: Task[] = [];
  private readonly tables = new WeakMap<Uint8Array, { id: number; shared: Uint8Array }>();
  private nextTable = 1;
  private nextJob = 1;

  constructor(threads: number) {
    this.threads = threads;
    this.slots = Array.from({ length: threads }, () => ({
      worker: undefined,
      tables: new Set<number>(),
      task: undefined,
    }));
  }

  /**
   * Σ scalars[i]·table[i] for i in [start, start + count), split into `opts.threads` ranges
   * (default: the pool's size) run by the workers, compressed.
   */
  async msm(
    table: Uint8Array,
    scalars: Uint8Array,
    count: number,
    start: number,
    opts: { threads?: number; signal?: AbortSignal },
    inline: (table: Uint8Array, scalars: Uint8Array, count: number, start: number) => Uint8Array,
  ): Promise<Uint8Array> {
    throwIfAborted(opts.signal);
    const parts = Math.min(opts.threads ?? this.threads, Math.floor(count / MIN_POINTS_PER_RANGE));
    if (parts < 1) return inline(table, scalars, count, start);
    const shared = this.shared(table);
    // One controller per call: the caller's abort or the first failing range stops the others.
    const ac = new AbortController();
    const signal = opts.signal === undefined ? ac.signal : AbortSignal.any([opts.signal, ac.signal]);
    const results = split(start, count, parts).map(([s, n]) =>
      this.submit(
        {
          id: this.nextJob++,
          tableId: shared.id,
          scalars: scalars.slice(s * SCALAR_SIZE, (s + n) * SCALAR_SIZE),
          count: n,
          start: s,
        },
        shared.shared,
        signal,
      ).catch((e: unknown) => {
        ac.abort();
        throw e;
      }),
    );
    const outs = await Promise.all(results);
    return outs.reduce(addCompressed);
  }

  /** The table copied once into shared memory that every worker reads without a copy. */
  private shared(table: Uint8Array): { id: number; shared: Uint8Array } {
    let t = this.tables.get(table);
    if (t === undefined) {
      const shared = new Uint8Array(
        new SharedArrayBuffer(table.length - (table.length % G1_UNCOMPRESSED_SIZE)),
      );
      shared.set(table.subarray(0, shared.length));
      t = { id: this.nextTable++, shared };
      this.tables.set(table, t);
    }
    return t;
  }

  private submit(job: MsmJob, table: Uint8Array, signal: AbortSignal): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      if (signal.aborted) {
        reject(new KzgError({ code: 'KZG_ABORTED' }));
        return;
      }
      const task: Task = { job, table, resolve, reject, signal, onAbort: () => {}, slot: undefined };
      task.onAbort = () => this.abort(task);
      signal.addEventListener('abort', task.onAbort, { once: true });
      this.queue.push(task);
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.task !== undefined) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      task.slot = slot;
      if (slot.worker === undefined) this.start(slot);
      const worker = slot.worker!;
      worker.ref();
      const first = !slot.tables.has(task.job.tableId);
      slot.tables.add(task.job.tableId);
      worker.postMessage(first ? { ...task.job, table: task.table } : task.job, [
        task.job.scalars.buffer as ArrayBuffer,
      ]);
    }
  }

  private start(slot: Slot): void {
    const worker = spawn();
    slot.worker = worker;
    slot.tables = new Set();
    worker.on('message', (reply: MsmReply) => {
      const task = slot.task;
      if (task === undefined || task.job.id !== reply.id) return;
      this.finish(slot, task);
      if ('out' in reply) task.resolve(reply.out);
      else
        task.reject(new KzgError({ code: 'KZG_INVALID_ARGUMENT', what: 'msm worker', reason: reply.error }));
    });
    worker.on('error', (e) => {
      const task = slot.task;
      this.drop(slot, worker);
      if (task !== undefined) {
        this.finish(slot, task);
        task.reject(e);
      }
    });
    worker.on('exit', (code) => {
      const task = slot.worker === worker ? slot.task : undefined;
      this.drop(slot, worker);
      if (task !== undefined) {
        this.finish(slot, task);
        task.reject(
          new KzgError({
            code: 'KZG_INVALID_ARGUMENT',
            what: 'msm worker',
            reason: `exited with code ${code}`,
          }),
        );
      }
    });
  }

  private finish(slot: Slot, task: Task): void {
    task.signal.removeEventListener('abort', task.onAbort);
    slot.task = undefined;
    slot.worker?.unref();
    this.dispatch();
  }

  private drop(slot: Slot, worker: Worker): void {
    if (slot.worker === worker) {
      slot.worker = undefined;
      slot.tables = new Set();
    }
  }

  private abort(task: Task): void {
    const q = this.queue.indexOf(task);
    if (q >= 0) this.queue.splice(q, 1);
    const slot = task.slot;
    if (slot !== undefined && slot.task === task) {
      const worker = slot.worker;
      if (worker !== undefined) {
        this.drop(slot, worker);
        void worker.terminate();
      }
      slot.task = undefined;
      this.dispatch();
    }
    task.reject(new KzgError({ code: 'KZG_ABORTED' }));
  }
}

let pool: MsmPool | undefined;

/** The process-wide pool, `availableParallelism()` workers, created on first use. */
export function msmPool(): MsmPool {
  pool ??= new MsmPool(availableParallelism());
  return pool;
}
