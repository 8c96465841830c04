/**
 * Proof-of-space table generators for the farmer role: the shim for development presets, else
 * @autonomys/plotter's Chia K = 20 generator on persistent worker threads (tables are handed back
 * with `table.release()` by the plotter's plotting and proving, so each worker builds the next
 * table into the buffers of the last one).
 */
import { availableParallelism } from 'node:os';
import {
  createPosTableGenerator,
  createShimTableGenerator,
  type PosTableGenerator,
} from '@autonomys/plotter';

/**
 * Chia K = 20 tables on `threads` persistent workers (0 builds inline on this thread), or the shim.
 * @example const gen = farmerTableGenerator({ shim: false, threads: 2 }); const table = await gen.generate(seed);
 */
export function farmerTableGenerator(opts: { shim: boolean; threads?: number }): PosTableGenerator {
  if (opts.shim) return createShimTableGenerator();
  return createPosTableGenerator({ threads: opts.threads ?? availableParallelism() });
}
