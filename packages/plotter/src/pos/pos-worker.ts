/** Worker entry of the Chia table generator: builds one table per message and transfers it back. */
import { parentPort, workerData } from 'node:worker_threads';
import type { PosTablesData } from './table.js';
import { buildTables } from './tables.js';

const { k, native, proofMasks } = workerData as {
  k: number;
  native: boolean | undefined;
  proofMasks: number;
};

// Buffers of tables released on the main thread: the next table is built into them.
let spare: ArrayBuffer[] = [];

parentPort!.on('message', (msg: { seed: Uint8Array; cores: number } | { spare: ArrayBuffer[] }) => {
  if ('spare' in msg) {
    spare = msg.spare; // one table's worth
    return;
  }
  let data: PosTablesData;
  try {
    const reuse = spare;
    spare = [];
    data = buildTables(msg.seed, k, native, undefined, proofMasks, msg.cores, reuse);
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
    return;
  }
  const transfer = [data.x.buffer, data.y7.buffer, ...data.positions.map((p) => p.buffer)] as ArrayBuffer[];
  if (data.proofMasks !== undefined)
    transfer.push(
      data.proofMasks.sBuckets.buffer as ArrayBuffer,
      data.proofMasks.masks.buffer as ArrayBuffer,
    );
  parentPort!.postMessage({ ok: true, data }, transfer);
});
