/**
 * The LMDB store on its own: round trips of blocks, the best-chain index (extensions and reorgs),
 * segments and pieces with pruning, reopen; every value checksummed with its key (random or
 * misplaced values are NODE_CORRUPT_DATA, never another error); CRC-32 native = table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { thrownCode } from '@autonomys/test-utils';
import fc from 'fast-check';
import { open } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import { ChainStore, crc32, NodeError, STORE_FILE } from '../src/index.js';
import { crc32Table } from '../src/storage/crc32.js';

const dir = mkdtempSync(join(tmpdir(), 'autonomys-node-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const fresh = () => join(dir, `${files++}-${STORE_FILE}`);
const h = (n: number) => new Uint8Array(32).fill(n);
const hex = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('hex'));

describe('ChainStore', () => {
  it('blocks, the best-chain index through a reorg to a shorter chain, and reopen', async () => {
    const path = fresh();
    let s = await ChainStore.open(path);
    expect(s.genesisHash()).toBeUndefined();
    await s.initialize(h(0));
    // 0 <- 1 <- 2 <- 3 (best), then a fork 1 <- 4 heavier than 3: best 0, 1, 4.
    await s.putBlock(h(1), Uint8Array.of(1), { from: 1, hashes: [h(1)], oldBest: 0 });
    await s.putBlock(h(2), Uint8Array.of(2), { from: 2, hashes: [h(2)], oldBest: 1 });
    await s.putBlock(h(3), Uint8Array.of(3, 3), { from: 3, hashes: [h(3)], oldBest: 2 });
    await s.putBlock(h(4), new Uint8Array(5000).fill(4), { from: 2, hashes: [h(4)], oldBest: 3 });
    await s.putBlock(h(5), Uint8Array.of(5), undefined);
    await s.close();
    s = await ChainStore.open(path);
    try {
      expect(hex(s.genesisHash())).toBe(hex(h(0)));
      expect(s.blockHashesInOrder().map(hex)).toEqual([1, 2, 3, 4, 5].map((n) => hex(h(n))));
      expect(s.blockBytes(h(3))).toEqual(Uint8Array.of(3, 3));
      expect(s.blockBytes(h(4))).toEqual(new Uint8Array(5000).fill(4));
      expect(s.blockBytes(h(9))).toBeUndefined();
      expect(s.canonicalLength()).toBe(3);
      expect([0, 1, 2].map((n) => hex(s.canonicalHash(n)))).toEqual([0, 1, 4].map((n) => hex(h(n))));
      expect(s.canonicalHash(3)).toBeUndefined();
      // New writes continue the import order after a reopen.
      await s.putBlock(h(6), Uint8Array.of(6), undefined);
      expect(s.blockHashesInOrder().map(hex).at(-1)).toBe(hex(h(6)));
    } finally {
      await s.close();
    }
    await expect(s.putBlock(h(7), Uint8Array.of(7), undefined)).rejects.toMatchObject({
      code: 'NODE_CLOSED',
    });
  });

  it('segments with their pieces; old pieces pruned in the same commit; the resume point checked', async () => {
    const path = fresh();
    const s = await ChainStore.open(path);
    try {
      await s.initialize(h(0));
      expect(s.segmentHeaders()).toEqual([]);
      const pieces = (seg: number) => new Uint8Array(4 * 10).map((_, i) => seg * 40 + i);
      await s.putSegment(0n, Uint8Array.of(0xa0), pieces(0), 10, 0n);
      await s.putSegment(1n, Uint8Array.of(0xa1), pieces(1), 10, 4n);
      await s.putSegment(2n, Uint8Array.of(0xa2), pieces(2), 10, 8n, { firstPiece: 0n, count: 4 });
      expect(s.segmentHeaders()).toEqual([Uint8Array.of(0xa0), Uint8Array.of(0xa1), Uint8Array.of(0xa2)]);
      expect(s.getPiece(3n)).toBeUndefined();
      expect(s.getPiece(5n)).toEqual(pieces(1).subarray(10, 20));
      expect(s.getPiece(11n)).toEqual(pieces(2).subarray(30, 40));
      expect(s.getPiece(12n)).toBeUndefined();
      expect(s.getPiece(-1n)).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('a value under another key, a random value, an unknown format: NODE_CORRUPT_DATA', async () => {
    const path = fresh();
    let s = await ChainStore.open(path);
    await s.initialize(h(0));
    await s.putBlock(h(1), Uint8Array.of(1, 2, 3), undefined);
    await s.putBlock(h(2), Uint8Array.of(4, 5, 6), undefined);
    await s.close();
    const raw = open<Buffer, Buffer>({
      path,
      noSubdir: true,
      maxDbs: 8,
      encoding: 'binary',
      keyEncoding: 'binary',
    });
    const blocks = raw.openDB<Buffer, Buffer>({ name: 'blocks', encoding: 'binary', keyEncoding: 'binary' });
    const meta = raw.openDB<Buffer, Buffer>({ name: 'meta', encoding: 'binary', keyEncoding: 'binary' });
    // Block 1's (valid) value stored under block 2's hash.
    await blocks.put(Buffer.from(h(2)), blocks.getBinary(Buffer.from(h(1)))!);
    await raw.close();
    s = await ChainStore.open(path);
    try {
      expect(s.blockBytes(h(1))).toEqual(Uint8Array.of(1, 2, 3));
      expect(thrownCode(() => s.blockBytes(h(2)), NodeError)).toBe('NODE_CORRUPT_DATA');
    } finally {
      await s.close();
    }
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), async (value) => {
        const r = open<Buffer, Buffer>({
          path,
          noSubdir: true,
          maxDbs: 8,
          encoding: 'binary',
          keyEncoding: 'binary',
        });
        await r
          .openDB<Buffer, Buffer>({ name: 'blocks', encoding: 'binary', keyEncoding: 'binary' })
          .put(Buffer.from(h(3)), Buffer.from(value));
        await r.close();
        const t = await ChainStore.open(path);
        try {
          expect(thrownCode(() => t.blockBytes(h(3)), NodeError)).toBe('NODE_CORRUPT_DATA');
        } finally {
          await t.close();
        }
      }),
      { numRuns: 20 },
    );
    const r = open<Buffer, Buffer>({
      path,
      noSubdir: true,
      maxDbs: 8,
      encoding: 'binary',
      keyEncoding: 'binary',
    });
    const format = Buffer.from('format');
    const v = Buffer.from('....autonomys-node-store/999');
    v.writeUInt32LE(crc32(v.subarray(4), crc32(format)));
    await r
      .openDB<Buffer, Buffer>({ name: 'meta', encoding: 'binary', keyEncoding: 'binary' })
      .put(format, v);
    void meta;
    await r.close();
    await expect(ChainStore.open(path)).rejects.toMatchObject({ code: 'NODE_CORRUPT_DATA' });
  });

  it('crc32: the check value, chaining, native = table', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), (a, b) => {
        const ab = new Uint8Array([...a, ...b]);
        expect(crc32(ab)).toBe(crc32Table(ab));
        expect(crc32(b, crc32(a))).toBe(crc32(ab));
        expect(crc32Table(b, crc32Table(a))).toBe(crc32(ab));
      }),
    );
  });
});
