/**
 * Piece validation (C.6): a piece is used only after its record commits to the embedded commitment
 * and the witness opens the segment commitment at its position. One check is a 2^15-point
 * commitment on the network's sizes (about 0.1-0.3 s on one core), so the validator runs checks
 * on a pool of worker threads, one per core by default; `threads: 0` checks inline.
 */

import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ArchivingParams, isPieceValid, segmentGeometry } from '@autonomys/archiver';
import { Kzg, loadPublicParameters, type PublicParametersOptions } from '@autonomys/kzg';
import type { SegmentHeader } from '@autonomys/primitives';
import { DsnError } from './errors.js';

/** Checks a piece against the segment header of its segment. */
export interface PieceValidator {
  /** True when `piece` is piece `pieceIndex` of the archived history. */
  validate(pieceIndex: bigint, piece: Uint8Array, header: SegmentHeader): Promise<boolean>;
  close(): Promise<void>;
}

export interface PieceValidatorOptions {
  /** Archiving geometry (default the network's). */
  readonly params?: ArchivingParams;
  /** How to load the KZG public parameters (in each worker too). */
  readonly parameters?: Omit<PublicParametersOptions, 'backend'>;
  /** Worker threads (default: available parallelism); 0 validates on the calling thread. */
  readonly threads?: number;
}

function startWorker(workerData: unknown): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./validate-worker.js', self), { workerData });
  // From sources (tests, `tsx bench`): Node 20 cannot run .ts in a worker, so register tsx first.
  const tsx = createRequire(self)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const boot = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./validate-worker.ts', self).href)}); })`;
  return new Worker(boot, {
    eval: true,
    workerData,
    execArgv: [...process.execArgv, '--conditions=autonomys-source'],
  });
}

/**
 * A validator for pieces of the given geometry.
 * @example const v = createPieceValidator({ threads: 4 }); await v.validate(index, piece, header)
 */
export function createPieceValidator(opts: PieceValidatorOptions = {}): PieceValidator {
  const g = segmentGeometry(opts.params);
  const threads = opts.threads ?? availableParallelism();
  const checkShape = (pieceIndex: bigint, piece: Uint8Array, header: SegmentHeader) => {
    if (!(piece instanceof Uint8Array) || piece.length !== g.pieceSize) return false;
    return pieceIndex / BigInt(g.numPieces) === header.segmentIndex;
  };
  if (threads <= 0) {
    let kzg: Promise<Kzg> | undefined;
    return {
      async validate(pieceIndex, piece, header) {
        if (!checkShape(pieceIndex, piece, header)) return false;
        kzg ??= loadPublicParameters(opts.parameters ?? {}).then((p) => new Kzg(p));
        const position = Number(pieceIndex % BigInt(g.numPieces));
        return isPieceValid(await kzg, piece, header.segmentCommitment, position, opts.params);
      },
      async close() {},
    };
  }
  const workers: Array<{ w: Worker; busy: number }> = [];
  // A crashed or closed pool rejects (never "invalid": that would ban an honest peer).
  const pending = new Map<number, { resolve: (valid: boolean) => void; reject: (e: unknown) => void }>();
  const failAll = (reason: string) => {
    for (const p of pending.values())
      p.reject(new DsnError({ code: 'DSN_ABORTED' }, `piece validator: ${reason}`));
    pending.clear();
  };
  let nextId = 0;
  let closed = false;
  const workerData = { parameters: opts.parameters ?? {}, params: opts.params };
  const pick = () => {
    if (workers.length < threads) {
      const w = startWorker(workerData);
      w.unref();
      w.on('message', (m: { id: number; valid: boolean; error?: string }) => {
        const slot = workers.find((s) => s.w === w);
        if (slot) slot.busy--;
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error !== undefined)
          p?.reject(new DsnError({ code: 'DSN_ABORTED' }, `piece validator: ${m.error}`));
        else p?.resolve(m.valid === true);
      });
      w.on('error', (e) => {
        // A crashed worker: fail what is pending (the pieces stay unvalidated, unused) and replace it.
        failAll(e instanceof Error ? e.message : String(e));
        const i = workers.findIndex((s) => s.w === w);
        if (i >= 0) workers.splice(i, 1);
      });
      workers.push({ w, busy: 0 });
    }
    return workers.reduce((a, b) => (b.busy < a.busy ? b : a));
  };
  return {
    async validate(pieceIndex, piece, header) {
      if (closed) throw new DsnError({ code: 'DSN_ABORTED' });
      if (!checkShape(pieceIndex, piece, header)) return false;
      const slot = pick();
      slot.busy++;
      const id = nextId++;
      return new Promise<boolean>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        slot.w.postMessage({
          id,
          piece,
          segmentCommitment: header.segmentCommitment,
          position: Number(pieceIndex % BigInt(g.numPieces)),
        });
      });
    },
    async close() {
      closed = true;
      failAll('closed');
      await Promise.all(workers.map((s) => s.w.terminate()));
      workers.length = 0;
    },
  };
}
