// `pnpm bench` in this package: DAG encoding throughput of a 1 GiB file (`BENCH_DAG_MIB` sets the
// size in MiB) next to raw BLAKE3 of the same bytes (the floor: every byte is hashed once inside a
// node) and the SDK's encoder, in one run.

import { processFileToIPLDFormat } from '@autonomys/auto-dag-data';
import { type BenchCase, runBench } from '@autonomys/bench';
import { blake3, initBlake3 } from '@autonomys/primitives';
import { encodeFile, readFile } from '../src/index.js';

await initBlake3();
const MIB = Number(process.env.BENCH_DAG_MIB ?? 1024);
const SIZE = MIB * 1024 * 1024;
const size = MIB >= 1024 && MIB % 1024 === 0 ? `${MIB / 1024} GiB` : `${MIB} MiB`;
const file = new Uint8Array(SIZE);
for (let i = 0, x = 1; i < SIZE; i++) {
  x = (x * 1103515245 + 12345) >>> 0;
  file[i] = x >>> 24;
}
// Fed as a stream of 1 MiB pieces, as a file reader would.
const pieces = Array.from({ length: SIZE / 1048576 }, (_, i) =>
  file.subarray(i * 1048576, (i + 1) * 1048576),
);

const store = new Map<string, Uint8Array>();
let head = '';
for await (const b of encodeFile(pieces)) {
  store.set(b.cid, b.bytes);
  head = b.cid;
}

const sdkBlockstore = {
  put: async (cid: unknown) => cid,
  get: async () => new Uint8Array(),
  delete: async () => {},
};
async function* sdkPieces() {
  for (const p of pieces) yield Buffer.from(p.buffer, p.byteOffset, p.length);
}

const cases: BenchCase[] = [
  {
    name: 'blake3 (primitives, wasm engine)',
    size,
    bytes: SIZE,
    samples: 3,
    fn: () => blake3(file),
  },
  {
    name: 'encodeFile (ours)',
    size,
    bytes: SIZE,
    samples: 3,
    anchor: 'blake3 (primitives, wasm engine)',
    fn: async () => {
      for await (const _ of encodeFile(pieces));
    },
  },
  {
    name: 'processFileToIPLDFormat (@autonomys/auto-dag-data 1.6.10)',
    size,
    bytes: SIZE,
    samples: 3,
    anchor: 'encodeFile (ours)',
    fn: () => processFileToIPLDFormat(sdkBlockstore as never, sdkPieces(), BigInt(SIZE), undefined),
  },
  {
    name: 'readFile, every node re-hashed (ours)',
    size,
    bytes: SIZE,
    samples: 3,
    anchor: 'blake3 (primitives, wasm engine)',
    fn: async () => {
      for await (const _ of readFile(store, head));
    },
  },
];

await runBench({ package: 'dag', iterations: 3, time: 300, cases });
