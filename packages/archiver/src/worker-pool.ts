/**
 * A small pool of worker threads for segment work (commit-worker.ts). Jobs go to the least busy
 * worker; an aborted signal rejects its job and terminates the worker running it (a fresh one
 * replaces it on the next job); `close()` ends them all.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PublicParametersOptions } from '@autonomys/kzg';
import type { CommitJob, CommitResult } from './commit-jobs.js';
import { ArchiverError } from './errors.js';

interface Slot {
  worker: Worker | undefined;
  busy: number;
}

interface Pending {
  resolve: (r: CommitResult) => void;
  reject: (e: unknown) => void;
  slot: Slot;
}

function startWorker(parameters: Omit<PublicParametersOptions, 'backend'>): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts'))
    return new Worker(new URL('./commit-worker.js', self), { workerData: parameters });
  // From sources (tests, `tsx bench`): Node 20 cannot run .ts in a worker, so register tsx first.
  const tsx = createRequire(self)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const boot = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./commit-worker.ts', self).href)}); })`;
  return new Worker(boot, {
    eval: true,
    workerData: parameters,
    execArgv: [...process.execArgv, '--conditions=autonomys-source'],
  });
}

export class WorkerPool {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(
    size: number,
    private readonly parameters: Omit<PublicParametersOptions, 'backend'>,
  ) {
    this.slots = Array.from({ length: size }, () => ({ worker: undefined, busy: 0 }));
  }

  private worker(slot: Slot): Worker {
    if (slot.worker) return slot.worker;
    const w = startWorker(this.parameters);
    w.on('message', (m: { id: number; result?: CommitResult; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      p.slot.busy--;
      if (p.slot.busy === 0) w.unref(); // an idle pool does not keep the process alive
      if (m.error !== undefined) p.reject(new Error(`segment worker: ${m.error}`));
      else p.resolve(m.result!);
    });
    w.on('error', (e) => this.failSlot(slot, e));
    w.on('exit', () => {
      if (slot.worker === w) slot.worker = undefined;
      this.failSlot(slot, new Error('segment worker exited'));
    });
    w.unref();
    slot.worker = w;
    return w;
  }

  private failSlot(slot: Slot, error: unknown): void {
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(id);
      slot.busy--;
      p.reject(error);
    }
  }

  run(job: CommitJob, signal?: AbortSignal): Promise<CommitResult> {
    if (this.closed)
      return Promise.reject(
        new ArchiverError({ code: 'ARCHIVER_INVALID_ARGUMENT', what: 'committer', reason: 'closed' }),
      );
    if (signal?.aborted) return Promise.reject(new ArchiverError({ code: 'ARCHIVER_ABORTED' }));
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const w = this.worker(slot);
    const id = this.nextId++;
    slot.busy++;
    return new Promise<CommitResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot });
      w.ref();
      signal?.addEventListener(
        'abort',
        () => {
          if (!this.pending.has(id)) return;
          this.pending.delete(id);
          slot.busy--;
          reject(new ArchiverError({ code: 'ARCHIVER_ABORTED' }));
          // The job cannot be interrupted inside the worker: end the worker (its other jobs fail too).
          slot.worker = undefined;
          void w.terminate();
        },
        { once: true },
      );
      w.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
    for (const s of this.slots) s.worker = undefined;
  }
}
