/**
 * A reusable pool of worker threads for the AES chains of verification (lodestar's BLS pool manner):
 * created once, workers started on first use and kept, closed once. A slot's 8 checkpoint segments
 * are independent chains; the pool splits them over its threads (with the native engine each thread
 * still interleaves its share in one AES-NI loop). An aborted signal drops the job's queued parts and
 * terminates the workers running it (they are replaced on demand).
 *
 * Cost model: a slot is 8 chains of k = slot_iterations / 8 steps. With AES-NI one thread runs 8
 * interleaved chains in about the time of one (the aesenc pipeline is latency-bound: 4+4 chains on
 * two threads take as long as 8 on one, measured), so a slot stays on one thread and threads pay off
 * for several slots at once (gossip candidates, sync). The node:crypto and TypeScript engines run
 * chains one after another, so their 8 chains are split over the threads (2 threads: ~2x).
 */

import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { abytes, acheckpointIterations, throwIfAborted } from './assert.js';
import { POT_KEY_SIZE } from './constants.js';
import { defaultEngineName, type EngineOptions, type PotEngineName } from './engine.js';
import { PotError } from './errors.js';
import type { AbortOptions, PotChainRunner } from './prove.js';
import type { PotWorkerJob, PotWorkerResult } from './worker.js';

/** Options of {@link createPotWorkerPool}. */
export interface PotWorkerPoolOptions {
  /** Worker threads (default: `availableParallelism()`, at most 8: a slot has 8 chains). */
  threads?: number;
  /** The engine the workers use (default: the fastest available in the worker). */
  engine?: PotEngineName;
}

interface Task {
  job: PotWorkerJob;
  resolve: (out: Uint8Array) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  slot: number;
}

interface Slot {
  worker: Worker | undefined;
  task: Task | undefined;
}

/** Starts one worker: dist/worker.js when built, src/worker.ts through tsx in the workspace. */
function spawn(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./worker.js', self));
  // Sources (tests, `tsx bench`): Node 20 cannot run .ts in a worker, so a tiny bootstrap registers
  // tsx's ESM hooks first. tsx/esm/api's `import` export is the .mjs beside the resolved .cjs.
  const tsx = createRequire(self)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const boot = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./worker.ts', self).href)}); })`;
  return new Worker(boot, { eval: true, execArgv: [...process.execArgv, '--conditions=autonomys-source'] });
}

/**
 * A pool of worker threads running AES chains; pass it as `pool` to {@link verifyAsync} or to a
 * {@link PotVerifier}. Close it when done ({@link PotWorkerPool.close}).
 * @example
 * const pool = createPotWorkerPool({ threads: 2 });
 * const ok = await verifyAsync(seed, slotIterations, checkpoints, { pool });
 * await pool.close();
 */
export class PotWorkerPool implements PotChainRunner {
  /** Number of worker threads. */
  readonly threads: number;
  private readonly engine: PotEngineName | undefined;
  private readonly slots: Slot[];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(opts: PotWorkerPoolOptions = {}) {
    const threads = opts.threads ?? Math.min(8, availableParallelism());
    if (!Number.isInteger(threads) || threads < 1 || threads > 64)
      throw new PotError({
        code: 'POT_INVALID_ARGUMENT',
        what: 'threads',
        reason: 'expected an integer in 1..64',
      });
    this.threads = threads;
    this.engine = opts.engine;
    this.slots = Array.from({ length: threads }, () => ({ worker: undefined, task: undefined }));
  }

  /**
   * `iterations` steps of each 16-byte block of `blocks` under `key`. Resolves with the N×16 end
   * blocks. Native: jobs of up to 8 chains (one slot per thread); cbc/ts: split over all threads.
   * @example await pool.multi(key, starts, slotIterations / 8, { signal })
   */
  async multi(
    key: Uint8Array,
    blocks: Uint8Array,
    iterations: number,
    opts: AbortOptions & EngineOptions = {},
  ): Promise<Uint8Array> {
    abytes(key, 'key', POT_KEY_SIZE);
    abytes(blocks, 'blocks');
    if (blocks.length === 0 || blocks.length % 16 !== 0)
      throw new PotError({ code: 'POT_INVALID_LENGTH', what: 'blocks', expected: 16, actual: blocks.length });
    acheckpointIterations(iterations);
    if (this.closed) throw new PotError({ code: 'POT_POOL_CLOSED' });
    throwIfAborted(opts.signal);
    const n = blocks.length / 16;
    const engine = opts.engine ?? this.engine ?? defaultEngineName();
    // AES-NI: up to 8 chains interleave in one loop at the cost of one, so a slot stays on one
    // thread and concurrent slots use the other threads. Other engines run chains one after the
    // other, so one slot's chains are spread over all threads.
    const per = engine === 'native' ? 8 : Math.ceil(n / Math.min(this.threads, n));
    const parts: Promise<Uint8Array>[] = [];
    // One controller per call: the first failing part aborts its siblings.
    const ac = new AbortController();
    const signal = opts.signal === undefined ? ac.signal : AbortSignal.any([opts.signal, ac.signal]);
    for (let i = 0; i < n; i += per) {
      const part = blocks.slice(i * 16, Math.min(n, i + per) * 16);
      const p = this.submit(key.slice(), part, iterations, engine, signal);
      p.catch(() => ac.abort());
      parts.push(p);
    }
    const outs = await Promise.all(parts);
    const out = new Uint8Array(blocks.length);
    let off = 0;
    for (const o of outs) {
      out.set(o, off);
      off += o.length;
    }
    return out;
  }

  private submit(
    key: Uint8Array,
    blocks: Uint8Array,
    iterations: number,
    engine: PotEngineName | undefined,
    signal: AbortSignal,
  ): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const task: Task = {
        job: { id: this.nextId++, key, blocks, iterations, engine },
        resolve,
        reject,
        signal,
        onAbort: undefined,
        slot: -1,
      };
      task.onAbort = () => this.abortTask(task);
      signal.addEventListener('abort', task.onAbort, { once: true });
      this.queue.push(task);
      this.pump();
    });
  }

  private abortTask(task: Task): void {
    const q = this.queue.indexOf(task);
    if (q !== -1) this.queue.splice(q, 1);
    else if (task.slot !== -1) {
      // Running: a chain cannot be interrupted, so the worker goes (a new one starts on demand).
      const slot = this.slots[task.slot]!;
      void slot.worker?.terminate();
      slot.worker = undefined;
      slot.task = undefined;
    }
    task.reject(new PotError({ code: 'POT_ABORTED' }));
    this.pump();
  }

  private finish(task: Task): void {
    if (task.onAbort !== undefined) task.signal?.removeEventListener('abort', task.onAbort);
    const slot = this.slots[task.slot];
    if (slot !== undefined && slot.task === task) slot.task = undefined;
    slot?.worker?.unref();
  }

  private pump(): void {
    for (let i = 0; i < this.slots.length && this.queue.length > 0; i++) {
      const slot = this.slots[i]!;
      if (slot.task !== undefined) continue;
      const task = this.queue.shift()!;
      task.slot = i;
      slot.task = task;
      const worker = slot.worker ?? this.start(i);
      worker.ref(); // a busy worker keeps the process alive until it answers
      worker.postMessage(task.job, [
        task.job.blocks.buffer as ArrayBuffer,
        task.job.key.buffer as ArrayBuffer,
      ]);
    }
  }

  private start(i: number): Worker {
    const slot = this.slots[i]!;
    const worker = spawn();
    slot.worker = worker;
    worker.on('message', (r: PotWorkerResult) => {
      const task = slot.task;
      if (task === undefined || task.job.id !== r.id) return;
      this.finish(task);
      if ('out' in r) task.resolve(new Uint8Array(r.out.buffer, r.out.byteOffset, r.out.length));
      else task.reject(new PotError({ code: 'POT_WORKER_FAILED', reason: r.error }));
      this.pump();
    });
    const fail = (reason: string) => {
      if (slot.worker !== worker) return; // terminated on purpose
      slot.worker = undefined;
      const task = slot.task;
      if (task !== undefined) {
        this.finish(task);
        task.reject(new PotError({ code: 'POT_WORKER_FAILED', reason }));
      }
      this.pump();
    };
    worker.on('error', (e) => fail(e instanceof Error ? e.message : String(e)));
    worker.on('exit', (code) => fail(`worker exited with code ${code}`));
    return worker;
  }

  /**
   * Rejects queued and running jobs with POT_POOL_CLOSED and terminates the workers.
   * @example await pool.close()
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new PotError({ code: 'POT_POOL_CLOSED' });
    for (const t of this.queue.splice(0)) {
      if (t.onAbort !== undefined) t.signal?.removeEventListener('abort', t.onAbort);
      t.reject(err);
    }
    const exits: Promise<number>[] = [];
    for (const slot of this.slots) {
      const { worker, task } = slot;
      slot.worker = undefined;
      slot.task = undefined;
      if (task !== undefined) {
        if (task.onAbort !== undefined) task.signal?.removeEventListener('abort', task.onAbort);
        task.reject(err);
      }
      if (worker !== undefined) exits.push(worker.terminate());
    }
    await Promise.all(exits);
  }
}

/**
 * A worker pool for verification ({@link PotWorkerPool}).
 * @example const pool = createPotWorkerPool(); // availableParallelism() threads
 */
export function createPotWorkerPool(opts: PotWorkerPoolOptions = {}): PotWorkerPool {
  return new PotWorkerPool(opts);
}
