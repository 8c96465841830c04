/**
 * Proof-of-time verification on WebCrypto inside Web Workers, so the page's thread only posts and
 * receives messages, and a slot's 8 checkpoint chains run on several cores at once: WebCrypto runs
 * the AES on the calling thread (measured in Chromium 150), so one worker is one core. The worker
 * script is the application's (bundlers build workers themselves):
 *
 * ```ts
 * // pot-worker.ts, bundled as a module worker
 * import { servePotWorker } from "@autonomys/pot"; // the browser entry
 * servePotWorker(self);
 * // page: one worker per core (at most 8: a slot has 8 chains)
 * const verifier = PotWorkerVerifier.spawn(() => new Worker(new URL('./pot-worker.js', import.meta.url), { type: 'module' }));
 * await verifier.verify(seed, slotIterations, checkpoints); // true / false
 * ```
 *
 * No node: imports.
 */
import { potKeyFromSeed } from '@autonomys/primitives';
import { abytes, aslotIterations } from './assert.js';
import { POT_CHECKPOINTS_SIZE, POT_NUM_CHECKPOINTS, POT_SEED_SIZE } from './constants.js';
import { PotError, type PotErrorType } from './errors.js';
import {
  aesChainsWebCrypto,
  findCheckpointMismatchWebCrypto,
  firstMismatch,
  importAesKeyWebCrypto,
  segmentStarts,
  type WebCryptoOptions,
} from './webcrypto.js';

/** A whole slot to verify in one worker: the answer is the first wrong checkpoint (-1: valid). */
export interface PotWorkerRequest {
  id: number;
  seed: Uint8Array;
  slotIterations: number;
  checkpoints: Uint8Array;
  sliceBlocks?: number;
}

/**
 * A share of a slot's chains: `iterations` AES steps under `key` from each 16-byte block of
 * `starts`; the answer is their ends (as `aesChainsWebCrypto`).
 */
export interface PotWorkerChainsRequest {
  id: number;
  key: Uint8Array;
  starts: Uint8Array;
  iterations: number;
  sliceBlocks?: number;
}

/** The worker's answer: the first wrong checkpoint or the chains' ends, or the error. */
export type PotWorkerReply =
  | { id: number; mismatch: number; ms: number }
  | { id: number; ends: Uint8Array; ms: number }
  | { id: number; error: { name: string; message: string; code?: string; type?: PotErrorType } };

/** The side of a worker (or a MessagePort) this module talks to. */
export interface PotWorkerEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** A worker as {@link PotWorkerVerifier} uses it (a DOM `Worker` is one; a MessagePort too). */
export interface PotWorkerLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
  terminate?(): void;
}

const now = (): number => globalThis.performance?.now() ?? Date.now();

/**
 * Answers {@link PotWorkerRequest}s and {@link PotWorkerChainsRequest}s on `scope` (a worker's global
 * scope, or a MessagePort) until it is closed.
 * @example servePotWorker(self);
 */
export function servePotWorker(scope: PotWorkerEndpoint): void {
  scope.addEventListener('message', (event) => {
    const req = event.data as Partial<PotWorkerRequest & PotWorkerChainsRequest>;
    const id = typeof req?.id === 'number' ? req.id : -1;
    const t0 = now();
    const opts: WebCryptoOptions = req?.sliceBlocks === undefined ? {} : { sliceBlocks: req.sliceBlocks };
    const work: Promise<{ mismatch: number } | { ends: Uint8Array }> =
      req !== null && typeof req === 'object' && 'starts' in req
        ? (async () => {
            const key = await importAesKeyWebCrypto(req.key as Uint8Array);
            return {
              ends: await aesChainsWebCrypto(key, req.starts as Uint8Array, req.iterations as number, opts),
            };
          })()
        : (async () => ({
            mismatch: await findCheckpointMismatchWebCrypto(
              req?.seed as Uint8Array,
              req?.slotIterations as number,
              req?.checkpoints as Uint8Array,
              opts,
            ),
          }))();
    work.then(
      (r) => scope.postMessage({ id, ...r, ms: now() - t0 } satisfies PotWorkerReply),
      (e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        scope.postMessage({
          id,
          error: {
            name: err.name,
            message: err.message,
            ...(e instanceof PotError ? { code: e.code, type: e.type } : {}),
          },
        } satisfies PotWorkerReply);
      },
    );
  });
}

/** The default number of workers: one per logical core, at most 8 (a slot has 8 chains). */
export function defaultPotWorkerCount(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? Math.min(n, POT_NUM_CHECKPOINTS) : 2;
}

interface Pending {
  resolve(reply: PotWorkerReply): void;
  reject(e: Error): void;
}

/** The error a worker reported, as the PotError it was (its `type` crosses the message boundary). */
function replyError(e: { name: string; message: string; code?: string; type?: PotErrorType }): Error {
  if (e.type !== undefined && typeof e.type.code === 'string' && e.type.code.startsWith('POT_'))
    return new PotError(e.type);
  return new PotError({ code: 'POT_WORKER_FAILED', reason: `${e.name}: ${e.message}` });
}

/**
 * The page's side: verifies slots on workers running {@link servePotWorker}. With several workers a
 * slot's 8 chains are split among them (2 workers: 4 chains each), and the page compares the ends
 * with the checkpoints.
 * @example
 * const verifier = PotWorkerVerifier.spawn(() => new Worker(url, { type: 'module' }));
 * await verifier.verify(seed, slotIterations, checkpoints);
 */
export class PotWorkerVerifier {
  readonly #workers: readonly PotWorkerLike[];
  readonly #pending = new Map<number, Pending>();
  readonly #sliceBlocks: number | undefined;
  #next = 0;
  #closed = false;
  /** Milliseconds of the last answered verification (from the request to the last worker's answer). */
  lastMs = 0;
  /**
   * Milliseconds each worker spent on its share of the last verification: when their sum exceeds
   * {@link lastMs}, the workers ran at the same time.
   */
  lastWorkerMs: readonly number[] = [];

  /**
   * Starts `count` workers (default {@link defaultPotWorkerCount}) with `create`.
   * @example PotWorkerVerifier.spawn(() => new Worker(url, { type: 'module' }), 2)
   */
  static spawn(
    create: () => PotWorkerLike,
    count = defaultPotWorkerCount(),
    opts: Pick<WebCryptoOptions, 'sliceBlocks'> = {},
  ): PotWorkerVerifier {
    if (!Number.isInteger(count) || count < 1 || count > 64)
      throw new PotError({
        code: 'POT_INVALID_ARGUMENT',
        what: 'count',
        reason: 'expected an integer in [1, 64]',
      });
    return new PotWorkerVerifier(
      Array.from({ length: count }, () => create()),
      opts,
    );
  }

  /**
   * @param workers one worker, or several to split each slot's chains among
   * @example new PotWorkerVerifier([new Worker(url, { type: 'module' }), new Worker(url, { type: 'module' })])
   */
  constructor(
    workers: PotWorkerLike | readonly PotWorkerLike[],
    opts: Pick<WebCryptoOptions, 'sliceBlocks'> = {},
  ) {
    const list = Array.isArray(workers)
      ? [...(workers as readonly PotWorkerLike[])]
      : [workers as PotWorkerLike];
    if (list.length === 0)
      throw new PotError({
        code: 'POT_INVALID_ARGUMENT',
        what: 'workers',
        reason: 'expected at least one worker',
      });
    this.#workers = list;
    this.#sliceBlocks = opts.sliceBlocks;
    for (const w of list) {
      w.addEventListener('message', (event) => {
        const reply = event.data as PotWorkerReply;
        const p = this.#pending.get(reply?.id);
        if (p === undefined) return;
        this.#pending.delete(reply.id);
        if ('error' in reply) p.reject(replyError(reply.error));
        else p.resolve(reply);
      });
      // A worker that fails to load or crashes fails what is pending (the page cannot tell whose).
      w.addEventListener('error', (event) => this.#failAll(`worker error: ${event.message ?? 'unknown'}`));
    }
  }

  /** Number of workers. */
  get workers(): number {
    return this.#workers.length;
  }

  #failAll(reason: string): void {
    for (const p of this.#pending.values()) p.reject(new PotError({ code: 'POT_WORKER_FAILED', reason }));
    this.#pending.clear();
  }

  #send(worker: PotWorkerLike, message: Omit<PotWorkerChainsRequest, 'id'> | Omit<PotWorkerRequest, 'id'>) {
    if (this.#closed) return Promise.reject(new PotError({ code: 'POT_POOL_CLOSED' }));
    const id = this.#next++;
    return new Promise<PotWorkerReply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({
        id,
        ...message,
        ...(this.#sliceBlocks === undefined ? {} : { sliceBlocks: this.#sliceBlocks }),
      });
    });
  }

  /** Index of the first wrong checkpoint, or -1 (as `findCheckpointMismatch`). */
  async findCheckpointMismatch(
    seed: Uint8Array,
    slotIterations: number,
    checkpoints: Uint8Array,
  ): Promise<number> {
    abytes(seed, 'seed', POT_SEED_SIZE);
    aslotIterations(slotIterations);
    abytes(checkpoints, 'checkpoints', POT_CHECKPOINTS_SIZE);
    const t0 = now();
    const starts = segmentStarts(seed, checkpoints);
    const key = potKeyFromSeed(seed);
    const k = slotIterations / POT_NUM_CHECKPOINTS;
    // Chains as evenly as possible over the workers, every share sent before any answer is awaited.
    const w = Math.min(this.#workers.length, POT_NUM_CHECKPOINTS);
    const shares = Array.from({ length: w }, (_, i) => {
      const from = Math.floor((i * POT_NUM_CHECKPOINTS) / w);
      const to = Math.floor(((i + 1) * POT_NUM_CHECKPOINTS) / w);
      return this.#send(this.#workers[i]!, { key, starts: starts.slice(from * 16, to * 16), iterations: k });
    });
    const ends = new Uint8Array(POT_CHECKPOINTS_SIZE);
    let at = 0;
    const replies = await Promise.all(shares);
    for (let i = 0; i < w; i++) {
      const reply = replies[i]!;
      const size =
        (Math.floor(((i + 1) * POT_NUM_CHECKPOINTS) / w) - Math.floor((i * POT_NUM_CHECKPOINTS) / w)) * 16;
      if (!('ends' in reply) || !(reply.ends instanceof Uint8Array) || reply.ends.length !== size)
        throw new PotError({
          code: 'POT_WORKER_FAILED',
          reason: `worker ${i} answered something else than ${size} bytes of chain ends`,
        });
      ends.set(reply.ends, at);
      at += size;
    }
    this.lastMs = now() - t0;
    this.lastWorkerMs = replies.map((r) => ('ms' in r ? r.ms : 0));
    return firstMismatch(ends, checkpoints);
  }

  /** Whether the checkpoints are the slot's proof of time (as `verify`). */
  async verify(seed: Uint8Array, slotIterations: number, checkpoints: Uint8Array): Promise<boolean> {
    return (await this.findCheckpointMismatch(seed, slotIterations, checkpoints)) === -1;
  }

  /** Stops the workers; pending verifications reject with POT_ABORTED, later ones with POT_POOL_CLOSED. */
  terminate(): void {
    this.#closed = true;
    for (const w of this.#workers) w.terminate?.();
    for (const p of this.#pending.values()) p.reject(new PotError({ code: 'POT_ABORTED' }));
    this.#pending.clear();
  }
}
