/**
 * Gateway throughput (issue #12): a 100 MiB file served over loopback by `GET /files/{cid}`,
 * every DAG node fetched from the archived history's pieces (`fetchObject`: the object's bytes
 * gathered across records and segments, BLAKE3-checked against its mapping) and re-hashed against
 * its CID by the DAG reader, then streamed over HTTP; and `GET /data/{hash}` of one 64 KiB chunk
 * node (the reference gateway's endpoint). Anchor: the same 100 MiB read from memory by the DAG
 * reader alone (no pieces, no HTTP).
 *
 * Set-up, not timed: the file's DAG nodes go as `system.remark` extrinsics into block-shaped byte
 * strings (60 nodes a block) fed to the archiver with the network's archiving parameters (a
 * segment holds about 127 MiB). The pieces come from a bench committer that lays the source records
 * out exactly as the archiver's KZG committer does (31-byte chunks, each behind a zero byte) but
 * skips the KZG commitments, witnesses and erasure-coded parity pieces, which the gateway's read
 * path never looks at (a network piece getter validates them before the gateway sees a piece).
 *
 * Run on its own: `node --conditions=autonomys-source --import tsx packages/node/bench/gateway.ts`;
 * `gatewayCases()` is the group for bench/index.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  Archiver,
  NETWORK_ARCHIVING_PARAMS,
  type SegmentCommitter,
  segmentGeometry,
} from '@autonomys/archiver';
import { type BenchCase, runBench } from '@autonomys/bench';
import { blake3HashFromCid, cidToString, type DagBlock, encodeFile, readFile } from '@autonomys/dag';
import { encodeCompact, type GlobalObject, initBlake3 } from '@autonomys/primitives';
import { blockObjects, OBJECT_CALLS } from '../src/gateway/block-objects.js';
import { createGateway } from '../src/gateway/gateway.js';
import { MemoryObjectIndex } from '../src/gateway/object-index.js';

const MiB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_GATEWAY_MIB ?? 100) * MiB;
const NODES_PER_BLOCK = 60;

/** Source records laid out as the archiver's pieces; no commitments, no parity (see above). */
const layoutCommitter: SegmentCommitter = {
  async commit(segment, _segmentIndex, g) {
    const pieces = new Uint8Array(g.numPieces * g.pieceSize);
    for (let k = 0; k < g.numRawRecords; k++) {
      const piece = pieces.subarray(2 * k * g.pieceSize, (2 * k + 1) * g.pieceSize);
      const raw = segment.subarray(k * g.rawRecordSize, (k + 1) * g.rawRecordSize);
      for (let j = 0; j < g.numChunks; j++) piece.set(raw.subarray(j * 31, j * 31 + 31), j * 32 + 1);
    }
    return { pieces, segmentCommitment: new Uint8Array(48) };
  },
};

/** A block-shaped byte string of remark extrinsics (header-sized filler ‖ Vec<extrinsic>). */
function remarkBlock(contents: readonly Uint8Array[], seed: number) {
  const header = new Uint8Array(120).fill(seed & 0xff);
  const parts: Uint8Array[] = [header, encodeCompact(contents.length)];
  const callStarts: number[] = [];
  let at = header.length + parts[1]!.length;
  for (const c of contents) {
    const lenPrefix = encodeCompact(c.length);
    const x = new Uint8Array(3 + lenPrefix.length + c.length);
    x.set([0x04, OBJECT_CALLS.system, OBJECT_CALLS.remark]);
    x.set(lenPrefix, 3);
    x.set(c, 3 + lenPrefix.length);
    const prefix = encodeCompact(x.length);
    callStarts.push(at + prefix.length + 1);
    parts.push(prefix, x);
    at += prefix.length + x.length;
  }
  const block = new Uint8Array(at);
  let o = 0;
  for (const p of parts) {
    block.set(p, o);
    o += p.length;
  }
  return { block, callStarts };
}

/** Cases of the gateway group; `close` stops the server. */
export async function gatewayCases(): Promise<BenchCase[] & { close?: () => Promise<void> }> {
  await initBlake3();
  const file = new Uint8Array(SIZE);
  for (let i = 0, x = 7; i < SIZE; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    file[i] = x >>> 24;
  }
  const params = NETWORK_ARCHIVING_PARAMS;
  const g = segmentGeometry(params);
  const pieces = new Map<bigint, Uint8Array>();
  const index = new MemoryObjectIndex();
  const memory = new Map<string, Uint8Array>();
  const archiver = new Archiver({ params, committer: layoutCommitter });
  let number = 0;
  const archive = async (layout: ReturnType<typeof remarkBlock>) => {
    const r = await archiver.addBlock(
      layout.block,
      blockObjects(layout, () => -1),
      { number: number++ },
    );
    for (const s of r.segments)
      for (let i = 0; i < g.numPieces; i++)
        if (i % 2 === 0)
          pieces.set(
            s.header.segmentIndex * BigInt(g.numPieces) + BigInt(i),
            s.pieces.subarray(i * g.pieceSize, (i + 1) * g.pieceSize),
          );
    index.put(r.objects as GlobalObject[]);
  };
  let batch: DagBlock[] = [];
  let head: DagBlock | undefined;
  const chunks = Array.from({ length: SIZE / MiB }, (_, i) => file.subarray(i * MiB, (i + 1) * MiB));
  for await (const b of encodeFile(chunks, { name: 'bench.bin' })) {
    memory.set(b.cid, b.bytes);
    batch.push(b);
    head = b;
    if (batch.length === NODES_PER_BLOCK) {
      await archive(
        remarkBlock(
          batch.map((x) => x.bytes),
          number,
        ),
      );
      batch = [];
    }
  }
  if (batch.length > 0)
    await archive(
      remarkBlock(
        batch.map((x) => x.bytes),
        number,
      ),
    );
  // Filler until every node is mapped (the segment it starts in formed), then until one more
  // segment formed (an object's tail may run into the next one).
  const filler = new Uint8Array(4 * MiB).fill(1);
  while (index.size < memory.size) await archive(remarkBlock([filler], number));
  const formed = pieces.size;
  while (pieces.size === formed) await archive(remarkBlock([filler], number));
  const cid = cidToString(head!.cid);
  const [chunkCid, chunkNode] = [...memory.entries()][1]!;
  const chunkHash = Buffer.from(blake3HashFromCid(chunkCid)).toString('hex');

  const gateway = createGateway({ index, params, getPiece: async (i) => pieces.get(i) });
  const server = createServer((req, res) => {
    void gateway(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pull = async (path: string, expected: number) => {
    const res = await fetch(`${base}${path}`);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    let n = 0;
    for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) n += c.length;
    if (n !== expected) throw new Error(`${path}: ${res.status} ${n} bytes, expected ${expected}`);
  };
  const size = `${SIZE / MiB} MiB`;
  const cases: BenchCase[] & { close?: () => Promise<void> } = [
    {
      name: 'readFile from memory, nodes re-hashed (dag)',
      size,
      bytes: SIZE,
      samples: 3,
      warmup: false,
      fn: async () => {
        for await (const _ of readFile(memory, cid));
      },
    },
    {
      name: 'GET /files/{cid} over loopback, from pieces',
      size,
      bytes: SIZE,
      samples: 3,
      warmup: false,
      anchor: 'readFile from memory, nodes re-hashed (dag)',
      fn: () => pull(`/files/${cid}`, SIZE),
    },
    {
      name: 'GET /data/{hash} over loopback, one chunk node',
      size: `${chunkNode.length} B`,
      bytes: chunkNode.length,
      samples: 20,
      fn: () => pull(`/data/${chunkHash}`, chunkNode.length),
    },
  ];
  // CPU time per call (client and server are this process): the figure that holds on a busy machine.
  const cpu = new Map<string, { us: number; calls: number; bytes: number }>();
  for (const c of cases) {
    const fn = c.fn;
    const acc = { us: 0, calls: 0, bytes: c.bytes ?? 0 };
    cpu.set(c.name, acc);
    c.fn = async () => {
      const t = process.cpuUsage();
      await fn();
      const d = process.cpuUsage(t);
      acc.us += d.user + d.system;
      acc.calls++;
    };
  }
  cases.close = async () => {
    for (const [name, { us, calls, bytes }] of cpu)
      if (calls > 0)
        console.log(
          `${name}: ${(us / calls / 1000).toFixed(1)} ms CPU per call, ${(bytes / MiB / (us / calls / 1e6)).toFixed(1)} MiB/s of CPU time`,
        );
    await new Promise<void>((r) => server.close(() => r()));
  };
  return cases;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const cases = await gatewayCases();
  try {
    await runBench({ package: 'node-gateway', cases, time: 0, iterations: 3 });
  } finally {
    await cases.close?.();
  }
  process.exit(0);
}
