/**
 * The anchor: the published SDK encoder (@autonomys/auto-dag-data 1.6.10) run in the same process
 * on random inputs and options; every block and every head CID must match.
 */
import {
  CompressionAlgorithm,
  compressFile,
  processFileToIPLDFormat,
  processFolderToIPLDFormat,
  processMetadataToIPLDFormat,
  cidToString as sdkCidToString,
  stringToCid,
} from '@autonomys/auto-dag-data';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeFile,
  encodeFileSync,
  encodeFolder,
  encodeMetadata,
  fileMetadata,
  folderMetadata,
} from '../src/index.js';

class MapBlockstore {
  readonly blocks = new Map<string, Uint8Array>();
  put(cid: { toString(): string }, bytes: Uint8Array) {
    this.blocks.set(cid.toString(), Uint8Array.from(bytes));
    return cid;
  }
  get(cid: { toString(): string }) {
    return this.blocks.get(cid.toString())!;
  }
  delete(cid: { toString(): string }) {
    this.blocks.delete(cid.toString());
  }
}

async function* iter(bytes: Uint8Array, piece: number) {
  for (let i = 0; i < bytes.length; i += piece) yield Buffer.from(bytes.subarray(i, i + piece));
}

function random(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, x = seed >>> 0 || 1; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function ours(bytes: Uint8Array, opts: Parameters<typeof encodeFile>[1]) {
  const m = new Map<string, Uint8Array>();
  let head = '';
  for await (const b of encodeFile(bytes, opts)) {
    m.set(b.cid, b.bytes);
    head = b.cid;
  }
  return { head, blocks: m };
}

describe('same CIDs as @autonomys/auto-dag-data', () => {
  it('files of random sizes around chunk and fan-out boundaries, small limits (3-level trees)', async () => {
    // maxNodeSize 569 → 100-byte chunks; 3 links per node: 28 chunks make a 4-level tree.
    const sizes = [0, 1, 99, 100, 101, 299, 300, 301, 900, 901, 2700, 2701, 5000];
    for (const [k, size] of sizes.entries()) {
      const bytes = random(size, k + 1);
      const limits = { maxNodeSize: 569, maxLinkPerNode: 3 };
      const bs = new MapBlockstore();
      const cid = await processFileToIPLDFormat(
        bs as never,
        iter(bytes, 37),
        BigInt(size),
        `f${k}.bin`,
        limits,
      );
      const mine = await ours(bytes, { ...limits, name: `f${k}.bin` });
      expect(mine.head, `size ${size}`).toBe(sdkCidToString(cid));
      expect([...mine.blocks.keys()].sort()).toEqual([...bs.blocks.keys()].sort());
    }
  });

  it('default limits: multi-chunk files, with and without a name', async () => {
    for (const size of [65067, 3 * 65066, 200_000]) {
      const bytes = random(size, size);
      const bs = new MapBlockstore();
      const cid = await processFileToIPLDFormat(bs as never, iter(bytes, 10_000), BigInt(size), undefined);
      expect((await ours(bytes, {})).head).toBe(sdkCidToString(cid));
    }
  });

  it('ZLIB level 9 (Auto Drive) and other levels, compressible and incompressible, over 1 MiB pushes', async () => {
    const cases: [Uint8Array, number][] = [
      [new TextEncoder().encode('abc '.repeat(400_000)), 9], // 1.6 MB → several 1 MiB pushes
      [random(300_000, 7), 9],
      [random(70_000, 8), 1],
    ];
    for (const [bytes, level] of cases) {
      const compression = { algorithm: CompressionAlgorithm.ZLIB, level };
      const bs = new MapBlockstore();
      const stream = compressFile(iter(bytes, 50_000), compression as never);
      const cid = await processFileToIPLDFormat(bs as never, stream, BigInt(bytes.length), 'z.bin', {
        compression,
      } as never);
      const mine = await ours(bytes, { name: 'z.bin', compression: { algorithm: 'ZLIB', level } });
      expect(mine.head).toBe(sdkCidToString(cid));
      expect([...mine.blocks.keys()].sort()).toEqual([...bs.blocks.keys()].sort());
    }
  });

  it('folders with FolderInlink levels (random children, small fan-out)', async () => {
    const children = Array.from({ length: 11 }, (_, i) => encodeFileSync(random(i + 1, i + 50)).at(-1)!.cid);
    for (const maxLinkPerNode of [2, 3, 11, 1626]) {
      const bs = new MapBlockstore();
      const cid = await processFolderToIPLDFormat(bs as never, children.map(stringToCid), 'dir', 66n, {
        maxLinkPerNode,
      } as never);
      const mine = encodeFolder(children, { name: 'dir', size: 66n, maxLinkPerNode });
      expect(mine.at(-1)!.cid).toBe(sdkCidToString(cid));
      expect(mine.map((b) => b.cid).sort()).toEqual([...bs.blocks.keys()].sort());
    }
  });

  it('chunked off-chain metadata (a 3000-chunk file list) and folder metadata', async () => {
    const head = encodeFileSync(random(10, 1)).at(-1)!.cid;
    const chunks = Array.from({ length: 3000 }, (_, i) => ({ cid: head, size: BigInt(i) }));
    const metas = [
      fileMetadata(head, chunks, 123456789n, 'big.bin', 'application/octet-stream'),
      folderMetadata(head, [{ type: 'file' as const, cid: head, totalSize: 5n, name: 'x' }], 'dir'),
    ];
    for (const meta of metas) {
      const bs = new MapBlockstore();
      const cid = await processMetadataToIPLDFormat(bs as never, meta as never);
      const mine = encodeMetadata(meta);
      expect(mine.at(-1)!.cid).toBe(sdkCidToString(cid));
      expect(mine.map((b) => b.cid).sort()).toEqual([...bs.blocks.keys()].sort());
    }
  });

  it('random files, names and limits (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 1, max: 1 << 30 }),
        fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
        fc.integer({ min: 470, max: 700 }),
        fc.integer({ min: 2, max: 6 }),
        async (size, seed, name, maxNodeSize, maxLinkPerNode) => {
          const bytes = random(size, seed);
          const bs = new MapBlockstore();
          const limits = { maxNodeSize, maxLinkPerNode };
          const cid = await processFileToIPLDFormat(bs as never, iter(bytes, 97), BigInt(size), name, limits);
          const mine = await ours(bytes, name === undefined ? limits : { ...limits, name });
          expect(mine.head).toBe(sdkCidToString(cid));
        },
      ),
      { numRuns: 40 },
    );
  });
});
