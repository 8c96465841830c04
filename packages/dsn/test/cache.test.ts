import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { equalBytes } from '@autonomys/primitives';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FarmerPieceCache,
  type PieceFetcher,
  pieceDistanceFrom,
  sortPiecesByDistance,
} from '../src/index.js';
import { G, type History, history } from './fixture.js';

let h: History;
let dir: string;
beforeAll(async () => {
  h = await history();
  dir = await mkdtemp(join(tmpdir(), 'dsn-cache-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fetcher =
  (log: bigint[] = []): PieceFetcher =>
  async (indexes, onPiece) => {
    for (const i of indexes) {
      log.push(i);
      const p = h.pieces.get(i);
      if (p) await onPiece(i, p);
    }
  };

describe('farmer L2 piece cache (C.4)', () => {
  it('initial fill keeps exactly the C nearest pieces, with progress; new segments evict the farthest', async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'));
    const cache = await FarmerPieceCache.open({
      directory: join(dir, 'a'),
      capacity: 40,
      peerId: peer,
      pieceSize: G.pieceSize,
    });
    const progress: number[] = [];
    await cache.initialSync(1n, fetcher(), (p) => progress.push(p.done));
    const nearest = sortPiecesByDistance(
      peer,
      Array.from({ length: 256 }, (_, i) => BigInt(i)),
    ).slice(0, 40);
    expect(new Set(cache.indexes())).toEqual(new Set(nearest));
    expect(progress.at(-1)).toBe(40);
    expect(progress.length).toBe(41);
    // Segment 1 arrives: the 40 nearest over both segments, evicting the farthest.
    const asked: bigint[] = [];
    await cache.onNewSegment(1n, fetcher(asked));
    const nearest2 = sortPiecesByDistance(
      peer,
      Array.from({ length: 512 }, (_, i) => BigInt(i)),
    ).slice(0, 40);
    expect(new Set(cache.indexes())).toEqual(new Set(nearest2));
    expect(asked.every((i) => i >= 256n && i < 512n)).toBe(true);
    const d = pieceDistanceFrom(peer);
    const far = cache.indexes().reduce((a, b) => (d(a) > d(b) ? a : b));
    // Every piece not cached is farther than the farthest cached.
    for (let i = 0n; i < 512n; i++) if (!cache.hasPiece(i)) expect(d(i) > d(far)).toBe(true);
    const p = await cache.getPiece(nearest2[0]!);
    expect(p && equalBytes(p, h.pieces.get(nearest2[0]!)!)).toBe(true);
    await cache.flush();
    expect((await readdir(join(dir, 'a'))).length).toBe(40);
  });

  it('survives a restart: pieces are served at once; damaged and half-written files are dropped', async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'));
    const d = join(dir, 'b');
    const c1 = await FarmerPieceCache.open({
      directory: d,
      capacity: 10,
      peerId: peer,
      pieceSize: G.pieceSize,
    });
    await c1.initialSync(2n, fetcher());
    await c1.flush();
    const [first, second, third] = c1.indexes();
    // A crash mid-write leaves a .tmp file; a bit flip and a truncation damage two pieces.
    await writeFile(join(d, '12345.piece.tmp'), new Uint8Array(10));
    const f2 = join(d, `${second}.piece`);
    const bytes = await readFile(f2);
    bytes[5] = (bytes[5] ?? 0) ^ 0xff;
    await writeFile(f2, bytes);
    await writeFile(join(d, `${third}.piece`), bytes.subarray(0, 100));
    const c2 = await FarmerPieceCache.open({
      directory: d,
      capacity: 10,
      peerId: peer,
      pieceSize: G.pieceSize,
    });
    expect(c2.hasPiece(first!)).toBe(true);
    expect(c2.hasPiece(third!)).toBe(false); // wrong size: removed at open
    expect(equalBytes((await c2.getPiece(first!))!, h.pieces.get(first!)!)).toBe(true);
    expect(await c2.getPiece(second!)).toBeUndefined(); // checksum mismatch: removed, reported missing
    expect(c2.hasPiece(second!)).toBe(false);
    expect((await readdir(d)).some((n) => n.endsWith('.tmp'))).toBe(false);
    // A fill repairs what was lost.
    await c2.initialSync(2n, fetcher());
    expect(c2.size).toBe(10);
    // A lower capacity on restart keeps the nearest.
    const c3 = await FarmerPieceCache.open({
      directory: d,
      capacity: 3,
      peerId: peer,
      pieceSize: G.pieceSize,
    });
    await c3.flush();
    expect(new Set(c3.indexes())).toEqual(new Set(sortPiecesByDistance(peer, c2.indexes()).slice(0, 3)));
  });
});
