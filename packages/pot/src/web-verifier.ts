/**
 * Proof-of-time verification on WebCrypto inside a Web Worker, so the page's thread only posts and
 * receives messages. The worker script is the application's (bundlers build workers themselves):
 *
 * ```ts
 * // pot-worker.ts, bundled as a module worker
 * import { servePotWorker } from "@autonomys/pot"; // the browser entry
 * servePotWorker(self);
 * // page
 * const verifier = new PotWorkerVerifier(new Worker(new URL('./pot-worker.js', import.meta.url), { type: 'module' }));
 * await verifier.verify(seed, slotIterations, checkpoints); // true / false
 * ```
 *
 * No node: imports.
 */
import { PotError } from './errors.js';
import { findCheckpointMismatchWebCrypto } from './webcrypto.js';

/** A verification request to the worker. */
export interface PotWorkerRequest {
  id: number;
  seed: Uint8Array;
  slotIterations: number;
  checkpoints: Uint8Array;
}

/** The worker's answer: the first wrong checkpoint (-1: valid), or the error. */
export type PotWorkerReply =
  | { id: number; mismatch: number; ms: number }
  | { id: number; error: { name: string; message: string; code?: string } };

/** The side of a worker (or a MessagePort) this module talks to. */
export interface PotWorkerEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/**
 * Answers {@link PotWorkerRequest}s on `scope` (a worker's global scope) until it is closed.
 * @example servePotWorker(self);
 */
export function servePotWorker(scope: PotWorkerEndpoint): void {
  scope.addEventListener('message', (event) => {
    const req = event.data as PotWorkerRequest;
    const t0 = performance.now();
    findCheckpointMismatchWebCrypto(req.seed, req.slotIterations, req.checkpoints).then(
      (mismatch) =>
        scope.postMessage({ id: req.id, mismatch, ms: performance.now() - t0 } satisfies PotWorkerReply),
      (e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        const code = e instanceof PotError ? e.code : undefined;
        scope.postMessage({
          id: req.id,
          error: { name: err.name, message: err.message, ...(code === undefined ? {} : { code }) },
        } satisfies PotWorkerReply);
      },
    );
  });
}

/** The page's side: sends verifications to a worker running {@link servePotWorker}. */
export class PotWorkerVerifier {
  readonly #worker: PotWorkerEndpoint & { terminate?(): void };
  readonly #pending = new Map<number, { resolve(v: number): void; reject(e: Error): void }>();
  #next = 0;
  /** Milliseconds the worker spent on the last answered request. */
  lastMs = 0;

  /** @example new PotWorkerVerifier(new Worker(url, { type: 'module' })) */
  constructor(worker: PotWorkerEndpoint & { terminate?(): void }) {
    this.#worker = worker;
    worker.addEventListener('message', (event) => {
      const reply = event.data as PotWorkerReply;
      const p = this.#pending.get(reply.id);
      if (p === undefined) return;
      this.#pending.delete(reply.id);
      if ('error' in reply) {
        const e = new Error(reply.error.message);
        e.name = reply.error.name;
        p.reject(e);
      } else {
        this.lastMs = reply.ms;
        p.resolve(reply.mismatch);
      }
    });
  }

  /** Index of the first wrong checkpoint, or -1 (as `findCheckpointMismatch`). */
  findCheckpointMismatch(seed: Uint8Array, slotIterations: number, checkpoints: Uint8Array): Promise<number> {
    const id = this.#next++;
    return new Promise<number>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, seed, slotIterations, checkpoints } satisfies PotWorkerRequest);
    });
  }

  /** Whether the checkpoints are the slot's proof of time (as `verify`). */
  async verify(seed: Uint8Array, slotIterations: number, checkpoints: Uint8Array): Promise<boolean> {
    return (await this.findCheckpointMismatch(seed, slotIterations, checkpoints)) === -1;
  }

  /** Stops the worker; pending verifications reject. */
  terminate(): void {
    this.#worker.terminate?.();
    for (const p of this.#pending.values()) p.reject(new PotError({ code: 'POT_ABORTED' }));
    this.#pending.clear();
  }
}
