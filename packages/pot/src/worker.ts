/**
 * The worker-thread side of {@link PotWorkerPool}: runs `multi` jobs (independent AES chains) with
 * the requested engine and transfers the result back.
 */
import { parentPort } from 'node:worker_threads';
import { getEngine, type PotEngineName } from './engine.js';
import { registerNodeEngines } from './engine-node.js';

registerNodeEngines();

/** A job for a pool worker. */
export interface PotWorkerJob {
  id: number;
  key: Uint8Array;
  blocks: Uint8Array;
  iterations: number;
  engine: PotEngineName | undefined;
}

/** A worker's answer. */
export type PotWorkerResult = { id: number; out: Uint8Array } | { id: number; error: string };

const port = parentPort;
if (port !== null) {
  port.on('message', (job: PotWorkerJob) => {
    let reply: PotWorkerResult;
    try {
      reply = { id: job.id, out: getEngine(job.engine).multi(job.key, job.blocks, job.iterations) };
    } catch (e) {
      reply = { id: job.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
    port.postMessage(reply, 'out' in reply ? [reply.out.buffer as ArrayBuffer] : []);
  });
}
