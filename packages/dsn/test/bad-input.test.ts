import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrame } from '../src/framing.js';
import {
  CACHED_PIECE_BY_INDEX_PROTOCOL,
  encodeVarint,
  FarmerPieceCache,
  frame,
  L1PieceGetter,
  L2PieceGetter,
  MemoryPieceCache,
  PIECE_BY_INDEX_PROTOCOL,
  type PieceValidator,
  pieceFetcherFrom,
} from '../src/index.js';
import { G, type History, history } from './fixture.js';
import { connect, spawn, stopAll, validator } from './helpers.js';

let h: History;
let v: PieceValidator;
beforeAll(async () => {
  h = await history();
  v = validator();
}, 60_000);
afterAll(async () => {
  await stopAll();
  await v.close();
});

/** Sends raw bytes on a protocol and returns what came back (undefined: nothing). */
async function raw(
  from: Awaited<ReturnType<typeof spawn>>,
  to: Awaited<ReturnType<typeof spawn>>,
  protocol: string,
  bytes: Uint8Array,
) {
  const stream = await from.libp2p.dialProtocol(to.peerId, protocol);
  await stream.sink([bytes]).catch(() => undefined);
  return readFrame(stream.source, 1 << 24, 'raw').catch(() => undefined);
}

describe('bad input never crashes a node nor stores an unvalidated piece', () => {
  it('oversized and malformed requests get no response; the node keeps serving', async () => {
    const cache = new MemoryPieceCache();
    cache.pieces.set(1n, h.pieces.get(1n)!);
    const farmer = await spawn({ pieceCache: cache });
    const client = await spawn();
    await connect(client, farmer);
    // A length above 1 MiB is refused before reading the body.
    const big = new Uint8Array([...encodeVarint(2 * 1024 * 1024), 1, 2, 3]);
    expect(await raw(client, farmer, PIECE_BY_INDEX_PROTOCOL, big)).toBeUndefined();
    // Random bytes, a truncated frame, a request that does not decode.
    expect(await raw(client, farmer, PIECE_BY_INDEX_PROTOCOL, Uint8Array.of(0xff, 0xff))).toBeUndefined();
    expect(await raw(client, farmer, PIECE_BY_INDEX_PROTOCOL, frame(Uint8Array.of(1, 2, 3)))).toBeUndefined();
    expect(
      await raw(client, farmer, CACHED_PIECE_BY_INDEX_PROTOCOL, frame(new Uint8Array(9).fill(0xff))),
    ).toBeUndefined();
    const ok = await client.requestPieceByIndex(farmer.peerId, 1n);
    expect(ok?.piece?.length).toBe(G.pieceSize);
  });

  it('malformed, oversized and forged responses are typed errors; getters move on', async () => {
    const evil = await spawn();
    const client = await spawn();
    // Replace the protocols with handlers that answer nonsense.
    const answers: Uint8Array[] = [
      frame(Uint8Array.of(7, 7, 7)), // does not decode
      new Uint8Array([...encodeVarint(17 * 1024 * 1024), 0]), // above 16 MiB
      frame(Uint8Array.of(1, 0, 0)), // ClosestPeers with an empty list
    ];
    let k = 0;
    for (const p of [PIECE_BY_INDEX_PROTOCOL, CACHED_PIECE_BY_INDEX_PROTOCOL]) {
      await evil.libp2p.unhandle(p);
      await evil.libp2p.handle(p, ({ stream }) => {
        void (async () => {
          await readFrame(stream.source, 1 << 20, 'req').catch(() => undefined);
          await stream.sink([answers[k++ % answers.length]!]).catch(() => undefined);
        })();
      });
    }
    await connect(client, evil);
    await expect(client.requestPieceByIndex(evil.peerId, 0n)).rejects.toMatchObject({
      code: 'DSN_INVALID_MESSAGE',
    });
    await expect(client.requestPieceByIndex(evil.peerId, 0n)).rejects.toMatchObject({
      code: 'DSN_MESSAGE_TOO_LARGE',
    });
    await expect(client.requestCachedPiece(evil.peerId, 0n)).rejects.toMatchObject({
      code: 'DSN_INVALID_MESSAGE',
    });
    const o = {
      node: client,
      validator: v,
      segmentHeader: (s: bigint) => h.headers[Number(s)],
      piecesPerSegment: G.numPieces,
    };
    expect(await new L2PieceGetter(o).getPiece(0n)).toBeUndefined();
    expect(await new L1PieceGetter({ ...o, rounds: 0 }).getPiece(0n)).toBeUndefined();
  });

  it('a flood of requests from one peer is rate limited (clean refusals)', async () => {
    const cache = new MemoryPieceCache();
    cache.pieces.set(1n, h.pieces.get(1n)!);
    const farmer = await spawn({ pieceCache: cache, rateLimit: { perSecond: 1, burst: 5 } });
    const client = await spawn();
    await connect(client, farmer);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => client.requestPieceByIndex(farmer.peerId, 1n).catch(() => undefined)),
    );
    const served = results.filter((r) => r?.piece !== undefined).length;
    expect(served).toBeLessThanOrEqual(6);
    expect(served).toBeGreaterThanOrEqual(1);
    // Others are unaffected.
    const other = await spawn();
    await connect(other, farmer);
    expect((await other.requestPieceByIndex(farmer.peerId, 1n))?.piece?.length).toBe(G.pieceSize);
  });

  it('a cache fed from a lying peer stores nothing unvalidated', async () => {
    const bad = new Map(
      [...h.pieces].map(([i, p]) => {
        const q = p.slice();
        q[40] = (q[40] ?? 0) ^ 4;
        return [i, q] as const;
      }),
    );
    const liar = await spawn({ plotReader: { readPiece: async (i) => bad.get(i) } });
    const client = await spawn();
    await connect(client, liar);
    const o = {
      node: client,
      validator: v,
      segmentHeader: (s: bigint) => h.headers[Number(s)],
      piecesPerSegment: G.numPieces,
    };
    const dir = await mkdtemp(join(tmpdir(), 'dsn-bad-'));
    try {
      const cache = await FarmerPieceCache.open({
        directory: dir,
        capacity: 4,
        peerId: client.peerId,
        pieceSize: G.pieceSize,
      });
      await cache.initialSync(1n, pieceFetcherFrom(new L1PieceGetter({ ...o, rounds: 0 })));
      expect(cache.size).toBe(0);
      expect(client.bans.isBanned(liar.peerId.toString())).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
