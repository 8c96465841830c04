import { equalBytes } from '@autonomys/primitives';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ComposedPieceGetter,
  L1PieceGetter,
  L2PieceGetter,
  MemoryPieceCache,
  MemorySegmentHeaderStore,
  type PieceValidator,
} from '../src/index.js';
import { G, type History, history } from './fixture.js';
import { connect, isConnected, spawn, stopAll, validator, waitFor } from './helpers.js';

let h: History;
let v: PieceValidator;
const headerOf = (s: bigint) => h.headers[Number(s)];

beforeAll(async () => {
  h = await history();
  v = validator();
}, 60_000);
afterAll(async () => {
  await stopAll();
  await v.close();
});

const retrieval = (node: Awaited<ReturnType<typeof spawn>>) => ({
  node,
  validator: v,
  segmentHeader: headerOf,
  piecesPerSegment: G.numPieces,
});

describe('DSN nodes over real sockets', () => {
  it('identify announces /subspace/2/<genesis>; a peer of another chain is banned and dropped', async () => {
    const a = await spawn();
    const b = await spawn();
    const other = await spawn({ genesisHash: new Uint8Array(32).fill(9) });
    expect(a.protocolVersion).toBe(`/subspace/2/${'07'.repeat(32)}`);
    await connect(a, b);
    const seen = await a.libp2p.peerStore.get(b.peerId);
    expect(new TextDecoder().decode(seen.metadata.get('ProtocolVersion'))).toBe(a.protocolVersion);
    expect(seen.protocols).toContain('/ipfs/id/1.0.0');
    expect(seen.protocols).toContain('/subspace/kad/0.1.0');
    expect(seen.protocols).toContain('/subspace/piece-by-index/0.1.0');
    await other.dial(a.addresses[0]!).catch(() => undefined);
    await waitFor(() => a.bans.isBanned(other.peerId.toString()));
    await waitFor(() => !isConnected(a, other.peerId));
    // While banned, its connections are refused and we do not dial it.
    await expect(a.dial(other.addresses[0]!)).rejects.toThrow();
    expect(a.bans.banned(other.peerId.toString())?.reason).toMatch(/identify protocol version/);
  });

  it('serves piece-by-index from cache then plot, and segment headers by indexes and last N', async () => {
    const cache = new MemoryPieceCache();
    cache.pieces.set(0n, h.pieces.get(0n)!);
    cache.pieces.set(2n, h.pieces.get(2n)!);
    const store = new MemorySegmentHeaderStore();
    store.add(...h.headers);
    const farmer = await spawn({
      pieceCache: cache,
      plotReader: { readPiece: async (i) => (i === 5n ? h.pieces.get(5n) : undefined) },
      segmentHeaderStore: store,
    });
    const client = await spawn();
    await connect(client, farmer);
    const r0 = await client.requestPieceByIndex(farmer.peerId, 0n, [2n, 3n, 4n]);
    expect(equalBytes(r0!.piece!, h.pieces.get(0n)!)).toBe(true);
    expect(r0!.cachedPieces).toEqual([2n]);
    const r5 = await client.requestPieceByIndex(farmer.peerId, 5n);
    expect(equalBytes(r5!.piece!, h.pieces.get(5n)!)).toBe(true);
    expect((await client.requestPieceByIndex(farmer.peerId, 7n))!.piece).toBeUndefined();
    const last = await client.requestSegmentHeaders(farmer.peerId, { type: 'lastSegmentHeaders', limit: 2 });
    expect(last!.map((x) => x.segmentIndex)).toEqual([
      BigInt(h.headers.length - 2),
      BigInt(h.headers.length - 1),
    ]);
    const byIndex = await client.requestSegmentHeaders(farmer.peerId, {
      type: 'segmentIndexes',
      segmentIndexes: [1n, 0n],
    });
    expect(byIndex!.map((x) => x.segmentIndex)).toEqual([1n, 0n]);
    // Any unknown index: no response.
    expect(
      await client.requestSegmentHeaders(farmer.peerId, {
        type: 'segmentIndexes',
        segmentIndexes: [0n, 999n],
      }),
    ).toBeUndefined();
    // A limit above 1000 is clamped (all we have).
    expect(
      await client.requestSegmentHeaders(farmer.peerId, { type: 'lastSegmentHeaders', limit: 5000 }),
    ).toHaveLength(h.headers.length);
    // A plain node (no handlers) answers "no response".
    expect(await farmer.requestPieceByIndex(client.peerId, 0n)).toBeUndefined();
  });

  it('L2: a piece cached only by a distant peer is found through ClosestPeers answers', async () => {
    const cache = new MemoryPieceCache();
    const index = 300n;
    cache.pieces.set(index, h.pieces.get(index)!);
    const far = await spawn({ pieceCache: cache });
    const middle = await spawn({ pieceCache: new MemoryPieceCache() });
    const requester = await spawn();
    await connect(middle, far);
    await connect(requester, middle);
    const l2 = new L2PieceGetter(retrieval(requester));
    const piece = await l2.getPiece(index);
    expect(piece && equalBytes(piece, h.pieces.get(index)!)).toBe(true);
    expect(isConnected(requester, far.peerId)).toBe(true);
  });

  it('L1 when no cache has it; a corrupted piece bans its sender and comes from elsewhere; composed fallback', async () => {
    const index = 260n;
    const bad = h.pieces.get(index)!.slice();
    bad[100] = (bad[100] ?? 0) ^ 1;
    const liar = await spawn({
      plotReader: { readPiece: async () => bad },
      pieceCache: new MemoryPieceCache(),
    });
    const honest = await spawn({
      plotReader: { readPiece: async (i) => h.pieces.get(i) },
      pieceCache: new MemoryPieceCache(),
    });
    const client = await spawn();
    // Only the liar is known at first; the honest farmer is found by re-discovery after a failed round.
    await connect(client, liar);
    const o = retrieval(client);
    let rediscoveries = 0;
    const getter = new ComposedPieceGetter({
      getters: [new L2PieceGetter(o), new L1PieceGetter({ ...o, rounds: 0 })],
      retries: 3,
      backoffMs: 10,
      rediscover: async () => {
        rediscoveries++;
        await connect(client, honest);
      },
    });
    const piece = await getter.getPiece(index);
    expect(piece && equalBytes(piece, h.pieces.get(index)!)).toBe(true);
    expect(rediscoveries).toBe(1);
    expect(client.bans.isBanned(liar.peerId.toString())).toBe(true);
    expect(isConnected(client, liar.peerId)).toBe(false);
    // Piece indexes past the history are refused at once.
    const bounded = new ComposedPieceGetter({
      getters: [new L1PieceGetter(o)],
      historyPieces: () => BigInt(h.pieces.size),
    });
    await expect(bounded.getPiece(BigInt(h.pieces.size))).rejects.toMatchObject({
      code: 'DSN_INVALID_ARGUMENT',
    });
  });
});

describe('L1 random walks', () => {
  it('finds a piece on a farmer the requester is not connected to, through Kademlia', async () => {
    const holder = await spawn({ plotReader: { readPiece: async (i) => h.pieces.get(i) } });
    const relay = await spawn();
    const requester = await spawn();
    await connect(relay, holder);
    await connect(requester, relay);
    await waitFor(
      async () => (await relay.getClosestPeers(holder.peerId.toMultihash().bytes)).length > 0,
      10_000,
    );
    if (isConnected(requester, holder.peerId)) await requester.libp2p.hangUp(holder.peerId);
    const piece = await new L1PieceGetter({ ...retrieval(requester), rounds: 3 }).getPiece(7n);
    expect(piece && equalBytes(piece, h.pieces.get(7n)!)).toBe(true);
  });
});

describe('network-size pieces', () => {
  it('a 1 048 672-byte piece crosses the wire byte-exact (prefix 82 01 40 00)', async () => {
    const { PIECE_SIZE } = await import('@autonomys/primitives');
    const piece = new Uint8Array(PIECE_SIZE);
    for (let i = 0; i < piece.length; i += 4096) piece[i] = i & 0xff;
    const cache = new MemoryPieceCache();
    cache.pieces.set(42n, piece);
    const farmer = await spawn({ pieceCache: cache, pieceSize: PIECE_SIZE });
    const client = await spawn({ pieceSize: PIECE_SIZE });
    await connect(client, farmer);
    const res = await client.requestCachedPiece(farmer.peerId, 42n);
    expect(res?.result.type).toBe('piece');
    expect(res?.result.type === 'piece' && equalBytes(res.result.piece, piece)).toBe(true);
  });
});
