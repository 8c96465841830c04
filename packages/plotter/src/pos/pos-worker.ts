/** Worker entry of the Chia table generator: builds one table per message and transfers it back. */
import { parentPort, workerData } from 'node:worker_threads';
import type { PosTablesData } from './table.js';
import { buildTables } from './tables.js';

const { k, native } = workerData as { k: number; native: boolean | undefined };

parentPort!.on('message', (seed: Uint8Array) => {
  let data: PosTablesData;
  try {
    data = buildTables(seed, k, native);
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
    return;
  }
  const transfer = [data.x.buffer, data.y7.buffer, ...data.positions.map((p) => p.buffer)] as ArrayBuffer[];
  parentPort!.postMessage({ ok: true, data }, transfer);
});
