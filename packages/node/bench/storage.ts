/**
 * The node's LMDB store (`src/storage/store.ts`) at dev-preset sizes: a durable block write (the
 * commit `importBlock` waits for), reopening a store of 1 000 blocks and reading them all (what a
 * restart does before the replay), a durable segment write (header + 256 pieces of 1 120 B), random
 * piece reads; and a chain data directory with `BENCH_NODE_STORAGE_BLOCKS` (default 200) blocks
 * reopened (`Chain.open`: store open + replay of every block through the runtime).
 *
 * Run alone: `node --conditions autonomys-source --import tsx bench/storage.ts` (from packages/node);
 * wired into `bench/index.ts` as a group (`BENCH_NODE_STORAGE=0` skips it there).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { segmentGeometry } from '@autonomys/archiver';
import { type BenchCase, runBench } from '@autonomys/bench';
import { Chain, ChainStore, STORE_FILE, testChainSpec } from '../src/index.js';
import { makeFarmer, produce } from '../test/helpers/farm.js';

const BLOCK_SIZE = 2048;
const STORED_BLOCKS = 1000;
const SEGMENTS = 10;
const CHAIN_BLOCKS = Number(process.env.BENCH_NODE_STORAGE_BLOCKS ?? 200);

/** The storage cases; `close` removes their directories. */
export async function storageCases(): Promise<BenchCase[] & { close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'autonomys-bench-store-'));
  const spec = testChainSpec();
  const g = segmentGeometry(spec.archiving);
  // A store of 1 000 blocks and 10 segments, written up front.
  const fullPath = join(dir, `full-${STORE_FILE}`);
  const full = await ChainStore.open(fullPath);
  await full.initialize(new Uint8Array(32));
  for (let n = 1; n <= STORED_BLOCKS; n++) {
    const hash = randomBytes(32);
    await full.putBlock(hash, randomBytes(BLOCK_SIZE), { from: n, hashes: [hash], oldBest: n - 1 });
  }
  for (let i = 0; i < SEGMENTS; i++)
    await full.putSegment(
      BigInt(i),
      randomBytes(150),
      randomBytes(g.pieceSize * g.numPieces),
      g.pieceSize,
      BigInt(i * g.numPieces),
    );
  await full.close();
  let reader = await ChainStore.open(fullPath);
  // The store the write cases append to.
  const writer = await ChainStore.open(join(dir, `writes-${STORE_FILE}`));
  await writer.initialize(new Uint8Array(32));
  let n = 0;
  let segment = 0n;
  const pieces = randomBytes(g.pieceSize * g.numPieces);
  // A chain data directory with CHAIN_BLOCKS real blocks.
  const chainDir = join(dir, 'chain');
  {
    const chain = await Chain.open({ spec, dataDir: chainDir });
    const farmer = await makeFarmer(chain);
    for (let i = 0; i < CHAIN_BLOCKS; i++) await produce(chain, farmer);
    await chain.archivingIdle();
    await chain.close();
  }
  const cases: BenchCase[] = [
    {
      name: 'store: durable block write (block + import order + best-chain index, one commit)',
      size: `${BLOCK_SIZE} B block`,
      samples: 200,
      fn: async () => {
        n++;
        const hash = randomBytes(32);
        await writer.putBlock(hash, randomBytes(BLOCK_SIZE), { from: n, hashes: [hash], oldBest: n - 1 });
      },
    },
    {
      name: 'store: durable segment write (header + pieces + resume point, one commit)',
      size: `${g.numPieces} × ${g.pieceSize} B pieces`,
      samples: 20,
      fn: async () => {
        const i = segment++;
        await writer.putSegment(i, randomBytes(150), pieces, g.pieceSize, i * BigInt(g.numPieces));
      },
    },
    {
      name: 'store: reopen and read every block (checksums checked)',
      size: `${STORED_BLOCKS} blocks of ${BLOCK_SIZE} B`,
      samples: 10,
      fn: async () => {
        await reader.close();
        reader = await ChainStore.open(fullPath);
        for (const h of reader.blockHashesInOrder()) reader.blockBytes(h);
        reader.segmentHeaders();
      },
    },
    {
      name: 'store: random piece read (checksum checked)',
      size: `${g.pieceSize} B, ${SEGMENTS} segments`,
      batch: 100,
      fn: () => reader.getPiece(BigInt(Math.floor(Math.random() * SEGMENTS * g.numPieces))),
    },
    {
      name: 'chain: reopen a data directory (store open + replay through the runtime)',
      size: `${CHAIN_BLOCKS} blocks`,
      samples: 3,
      warmup: false,
      fn: async () => {
        const chain = await Chain.open({ spec, dataDir: chainDir });
        if (chain.head().number !== CHAIN_BLOCKS) throw new Error(`reopened at ${chain.head().number}`);
        await chain.close();
      },
    },
  ];
  return Object.assign(cases, {
    close: async () => {
      await reader.close();
      await writer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cases = await storageCases();
  await runBench({ package: 'node-storage', cases, time: 1 });
  await cases.close();
  process.exit();
}
