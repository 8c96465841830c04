/**
 * Proof-of-space table generators for the farmer role. `createPosTableGenerator` of
 * @autonomys/plotter reuses its worker threads; here a reused worker never answered its second job
 * (a hang seen with 1 and 2 threads, reported to the plotter's owner), so until that is fixed the
 * node builds each Chia table on a fresh worker, at most `threads` at once. A worker's start-up
 * (~0.1 s) is small beside a K = 20 table (several seconds).
 */
import { availableParallelism } from 'node:os';
import {
  createPosTableGenerator,
  createShimTableGenerator,
  type PosTableGenerator,
} from '@autonomys/plotter';

/**
 * Chia K = 20 tables on one-shot workers (`threads` at once; 0 builds inline on this thread).
 * @example const gen = farmerTableGenerator({ shim: false, threads: 2 }); const table = await gen.generate(seed);
 */
export function farmerTableGenerator(opts: { shim: boolean; threads?: number }): PosTableGenerator {
  if (opts.shim) return createShimTableGenerator();
  const threads = opts.threads ?? availableParallelism();
  const inline = createPosTableGenerator({ threads: 0 });
  if (threads === 0) return inline;
  let active = 0;
  const waiting: (() => void)[] = [];
  let closed = false;
  return {
    ...inline,
    async generate(seed, o = {}) {
      while (active >= threads) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      const worker = createPosTableGenerator({ threads: 1 });
      try {
        if (closed) throw new Error('table generator closed');
        return await worker.generate(seed, o);
      } finally {
        void worker.close?.();
        active--;
        waiting.shift()?.();
      }
    },
    async close() {
      closed = true;
      await inline.close?.();
    },
  };
}
