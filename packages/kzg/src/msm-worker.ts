/**
 * The worker-thread side of the TypeScript MSM pool (pool.ts): keeps the shared tables it was sent,
 * runs range jobs and transfers the 48-byte partial sums back.
 */
import { parentPort } from 'node:worker_threads';
import { msmRangeTs } from './backend.js';
import type { MsmJob, MsmReply } from './pool.js';

const tables = new Map<number, Uint8Array>();
const port = parentPort;
if (port !== null) {
  port.on('message', (job: MsmJob) => {
    let reply: MsmReply;
    try {
      if (job.table !== undefined) tables.set(job.tableId, job.table);
      const table = tables.get(job.tableId);
      if (table === undefined) throw new Error(`unknown table ${job.tableId}`);
      reply = { id: job.id, out: msmRangeTs(table, job.scalars, 0, job.count, job.start) };
    } catch (e) {
      reply = { id: job.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
    port.postMessage(reply, 'out' in reply ? [reply.out.buffer as ArrayBuffer] : []);
  });
}
