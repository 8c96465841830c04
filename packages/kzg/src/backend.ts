/**
 * The TypeScript backend for Node: ./backend-ts.ts (no node: imports) plus `msmG1Async` on the
 * worker-thread pool (./pool.ts).
 */
import { type KzgBackend, msmRangeTs, typescriptCoreBackend } from './backend-ts.js';
import { msmPool } from './pool.js';

export {
  assertMultiple,
  type FixedBaseMsm,
  type KzgAsyncOptions,
  type KzgBackend,
  msmRangeTs,
  type PairingPair,
  typescriptCoreBackend,
} from './backend-ts.js';

/** The TypeScript backend: always available. */
export const typescriptBackend: KzgBackend = {
  ...typescriptCoreBackend,
  msmG1Async(table, scalars, count, start, opts = {}) {
    return msmPool().msm(table, scalars, count, start, opts, (t, sc, n, st) => msmRangeTs(t, sc, st, n, st));
  },
};
