/**
 * @autonomys/dsn benchmarks (network-size pieces, 1 048 672 bytes, over loopback):
 * - anchors measured in the same run: the same bytes through a raw loopback TCP socket, and
 *   through one libp2p stream (TCP + Noise + Yamux, no DSN code);
 * - L2 transfer: `cached-piece-by-index` requests between two DSN nodes (framing, SCALE decode);
 * - L2 transfer with validation (C.6) on a pool of worker threads, one per core;
 * - L1 latency: one `piece-by-index` request answered by reading the record from a plotted sector
 *   (small preset with the shim proof of space, as tools/demo: the record is unmasked and
 *   erasure-recovered from the plot, no table generation of the real PoS).
 *
 * Run: `node scripts/pnpm.mjs --filter @autonomys/dsn bench`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, connect as tcpConnect } from 'node:net';
import { availableParallelism } from 'node:os';
import { Archiver, kzgSegmentCommitter } from '@autonomys/archiver';
import { type BenchCase, runBench } from '@autonomys/bench';
import { Kzg, loadPublicParameters, poly } from '@autonomys/kzg';
import { createShimTableGenerator, plotSector, readPiece } from '@autonomys/plotter';
import { blake3_254, PIECE_SIZE, type SegmentHeader } from '@autonomys/primitives';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { tcp } from '@libp2p/tcp';
import { createLibp2p } from 'libp2p';
import '../src/node20.js';
import { createDsnNode, createPieceValidator, MemoryPieceCache } from '../src/index.js';

const PIECES = 16;
const BYTES = PIECES * PIECE_SIZE;
const genesisHash = new Uint8Array(32).fill(1);
const local = { listen: ['/ip4/127.0.0.1/tcp/0'], allowNonGlobalAddresses: true, genesisHash } as const;

// ---- Anchor 1: raw loopback TCP ----
const payload = randomBytes(BYTES);
const server = createServer((s) => {
  let n = 0;
  s.on('data', (d) => {
    n += d.length;
    if (n >= BYTES) {
      n -= BYTES;
      s.write(Uint8Array.of(1));
    }
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
const sock = tcpConnect({ port, host: '127.0.0.1', noDelay: true });
await new Promise<void>((r) => sock.once('connect', () => r()));
const rawTransfer = () =>
  new Promise<void>((resolve) => {
    sock.once('data', () => resolve());
    sock.write(payload);
  });

// ---- Anchor 2: the same bytes through one noise + yamux stream ----
const plainNode = () =>
  createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
  });
const [p1, p2] = await Promise.all([plainNode(), plainNode()]);
await p2.handle('/bench/sink/1', ({ stream }) => {
  void (async () => {
    let n = 0;
    for await (const c of stream.source) n += c.byteLength;
    await stream.sink([Uint8Array.of(n > 0 ? 1 : 0)]);
  })();
});
const p2Addr = p2.getMultiaddrs()[0];
if (!p2Addr) throw new Error('no address');
await p1.dial(p2Addr);
const chunk = 64 * 1024;
const noiseYamuxTransfer = async () => {
  const s = await p1.dialProtocol(p2.peerId, '/bench/sink/1');
  await s.sink(
    (function* () {
      for (let at = 0; at < BYTES; at += chunk) yield payload.subarray(at, at + chunk);
    })(),
  );
  for await (const _ of s.source) break;
};

// ---- Network-size pieces that verify: 256 equal records of one synthetic segment ----
console.log('loading the full KZG public parameters and building valid network-size pieces…');
const kzg = new Kzg(await loadPublicParameters({}));
const record = randomBytes(PIECE_SIZE - 96);
for (let at = 0; at < record.length; at += 32) {
  record[at] = 0;
  record[at + 31] = 0; // canonical whichever end is significant
}
const commitment = kzg.commit(poly(record));
const hashes = new Uint8Array(256 * 32);
for (let i = 0; i < 256; i++) hashes.set(blake3_254(commitment), i * 32);
const segmentPoly = poly(hashes);
const header: SegmentHeader = {
  segmentIndex: 0n,
  segmentCommitment: kzg.commit(segmentPoly),
  prevSegmentHeaderHash: new Uint8Array(32),
  lastArchivedBlock: { number: 0, archivedProgress: { type: 'complete' } },
};
const cache = new MemoryPieceCache();
for (let i = 0; i < PIECES; i++) {
  const piece = new Uint8Array(PIECE_SIZE);
  piece.set(record);
  piece.set(commitment, record.length);
  piece.set(kzg.createWitness(segmentPoly, 256, i), record.length + 48);
  cache.pieces.set(BigInt(i), piece);
}
const threads = availableParallelism();
const validator = createPieceValidator({ threads });
const inline = createPieceValidator({ threads: 0 });
const first = cache.pieces.get(0n);
if (
  !first ||
  !(await inline.validate(0n, first, header)) ||
  !(await validator.validate(1n, cache.pieces.get(1n) ?? first, header))
) {
  throw new Error('synthetic pieces do not verify');
}

const farmer = await createDsnNode({ ...local, pieceCache: cache });
const client = await createDsnNode(local);
const farmerAddr = farmer.addresses[0];
if (!farmerAddr) throw new Error('no address');
await client.dial(farmerAddr);
const fetchAll = async (validate: boolean) => {
  const queue = [...cache.pieces.keys()];
  const worker = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const res = await client.requestCachedPiece(farmer.peerId, i);
      if (res?.result.type !== 'piece') throw new Error('no piece');
      if (validate && !(await validator.validate(i, res.result.piece, header))) throw new Error('invalid');
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
};

// ---- L1: a small-preset farmer serving from a plotted sector ----
const SMALL = { numChunks: 32, numRawRecords: 128 };
const committer = kzgSegmentCommitter({ threads: 0, parameters: { g1Count: 256 } });
const archiver = new Archiver({ params: SMALL, committer });
const smallPieces = new Map<bigint, Uint8Array>();
for (let n = 0; smallPieces.size === 0; n++) {
  for (const s of (await archiver.addBlock(randomBytes(40_000), [], { number: n })).segments) {
    const size = s.pieces.length / 256;
    for (let i = 0; i < 256; i++) smallPieces.set(BigInt(i), s.pieces.slice(i * size, (i + 1) * size));
  }
}
await committer.close();
const publicKey = randomBytes(32);
const tableGenerator = createShimTableGenerator();
const plotted = await plotSector({
  publicKey,
  sectorIndex: 0,
  historySize: 1n,
  piecesInSector: 8,
  pieceGetter: async (i: bigint) => smallPieces.get(i),
  tableGenerator,
  numChunks: SMALL.numChunks,
});
const smallSize = (smallPieces.get(0n) ?? new Uint8Array(0)).length;
const l1Farmer = await createDsnNode({
  ...local,
  pieceSize: smallSize,
  plotReader: {
    // The sector's piece at offset 0, whatever index is asked (the bench measures the path, not lookup).
    readPiece: () =>
      readPiece({
        publicKey,
        metadata: plotted.metadata,
        sector: plotted.sector,
        tableGenerator,
        pieceOffset: 0,
        numChunks: SMALL.numChunks,
      }),
  },
});
const l1Client = await createDsnNode({ ...local, pieceSize: smallSize });
const l1Addr = l1Farmer.addresses[0];
if (!l1Addr) throw new Error('no address');
await l1Client.dial(l1Addr);

const size = `${PIECES} × 1 MiB`;
const cases: BenchCase[] = [
  { name: 'raw loopback TCP (anchor)', size, bytes: BYTES, fn: rawTransfer },
  {
    name: 'noise + yamux stream (anchor)',
    size,
    bytes: BYTES,
    fn: noiseYamuxTransfer,
    anchor: 'raw loopback TCP (anchor)',
  },
  {
    name: 'L2 cached-piece transfer (4 in flight)',
    size,
    bytes: BYTES,
    fn: () => fetchAll(false),
    anchor: 'noise + yamux stream (anchor)',
  },
  {
    name: `L2 transfer + validation (${threads} workers)`,
    size,
    bytes: BYTES,
    fn: () => fetchAll(true),
    anchor: 'L2 cached-piece transfer (4 in flight)',
    samples: 2,
    warmup: false,
  },
  {
    name: 'validate one piece (1 thread)',
    size: '1 MiB',
    fn: () => inline.validate(2n, cache.pieces.get(2n) ?? first, header),
    samples: 3,
  },
  {
    name: 'L1 piece latency (plot read, small preset)',
    size: `1 piece (${smallSize} B)`,
    fn: () => l1Client.requestPieceByIndex(l1Farmer.peerId, 0n),
  },
];

const rows = await runBench({ package: 'dsn', cases, time: 500, iterations: 5 });
const row = (n: string) => rows.find((r) => r.operation === n);
const ny = row('noise + yamux stream (anchor)');
const l2 = row('L2 cached-piece transfer (4 in flight)');
const l2v = rows.find((r) => r.operation.startsWith('L2 transfer + validation'));
if (ny && l2 && l2v) {
  const rate = (r: typeof ny) => (PIECES / r.medianMs) * 1000;
  console.log(
    `\nL2 transfer: ${rate(l2).toFixed(1)} pieces/s = ${((100 * rate(l2)) / rate(ny)).toFixed(0)}% of the noise + yamux stream rate (${rate(ny).toFixed(1)} pieces/s); with validation on ${threads} workers: ${rate(l2v).toFixed(2)} pieces/s`,
  );
}
await Promise.all([farmer.stop(), client.stop(), l1Farmer.stop(), l1Client.stop(), p1.stop(), p2.stop()]);
await Promise.all([validator.close(), inline.close(), tableGenerator.close?.()]);
sock.destroy();
server.close();
