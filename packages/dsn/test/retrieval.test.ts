import { Reconstructor } from '@autonomys/archiver';
import { equalBytes } from '@autonomys/primitives';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ComposedPieceGetter,
  DsnSync,
  downloadSegment,
  fetchObjectFromDsn,
  L1PieceGetter,
  L2PieceGetter,
  Limiter,
  localPieceGetter,
  MemoryPieceCache,
  MemorySegmentHeaderStore,
  majorityHeader,
  type PieceValidator,
  ProgressWatchdog,
} from '../src/index.js';
import { G, type History, history, PARAMS } from './fixture.js';
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

/** A farmer serving `pieces` from its cache and its plot, and all headers. */
async function farmer(pieces: Map<bigint, Uint8Array>) {
  const cache = new MemoryPieceCache();
  for (const [i, p] of pieces) cache.pieces.set(i, p);
  const store = new MemorySegmentHeaderStore();
  store.add(...h.headers);
  return spawn({ pieceCache: cache, segmentHeaderStore: store });
}

function getterFor(
  node: Awaited<ReturnType<typeof spawn>>,
  headers: (s: bigint) => ReturnType<MemorySegmentHeaderStore['getSegmentHeader']>,
) {
  const o = { node, validator: v, segmentHeader: headers, piecesPerSegment: G.numPieces };
  return new ComposedPieceGetter({
    getters: [new L2PieceGetter({ ...o, maxQueries: 4 }), new L1PieceGetter({ ...o, rounds: 0 })],
    retries: 1,
  });
}

describe('segments, objects and DSN sync over the network', () => {
  it('reconstructs a segment whose 128 source pieces are gone everywhere (over the network)', async () => {
    const partial = new Map([...h.pieces].filter(([i]) => i >= 256n || i % 2n === 1n));
    const f = await spawn({ plotReader: { readPiece: async (i) => partial.get(i) } });
    const client = await spawn();
    await connect(client, f);
    const o = {
      node: client,
      validator: v,
      segmentHeader: (s: bigint) => h.headers[Number(s)],
      piecesPerSegment: G.numPieces,
    };
    const getter = new L1PieceGetter({ ...o, rounds: 0 });
    const progress: number[] = [];
    const seg0 = await downloadSegment(0n, getter, {
      params: PARAMS,
      onProgress: (e) => progress.push(e.pieces),
    });
    expect(seg0.reconstructed).toBe(true);
    expect(progress.at(-1)).toBe(128);
    const blocks = new Reconstructor().addSegment(seg0.segment).blocks;
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    for (const [n, b] of blocks) expect(equalBytes(b, h.blocks[n]!)).toBe(true);
  });

  it('reconstructions run one at a time however many segments miss pieces; too few pieces is a typed error', async () => {
    const sourcesGone = localPieceGetter((i) => (i % 2n === 1n ? h.pieces.get(i) : undefined));
    const limiter = new Limiter(1);
    const results = await Promise.all(
      [0n, 1n, 0n, 1n].map((s) =>
        downloadSegment(s, sourcesGone, { params: PARAMS, reconstructionLimiter: limiter }),
      ),
    );
    expect(results.every((r) => r.reconstructed)).toBe(true);
    expect(limiter.peak).toBe(1);
    const tooFew = localPieceGetter((i) => (i % 4n === 1n ? h.pieces.get(i) : undefined));
    await expect(downloadSegment(0n, tooFew, { params: PARAMS })).rejects.toMatchObject({
      code: 'DSN_NOT_FOUND',
    });
  });

  it('fetches objects exactly: inside one piece, and across two segments', async () => {
    const f = await farmer(h.pieces);
    const client = await spawn();
    await connect(client, f);
    const getter = getterFor(client, (s) => h.headers[Number(s)]);
    expect(h.objects).toHaveLength(2);
    expect(h.objects[1]!.pieceIndex / 256n).toBe(0n);
    for (const [i, o] of h.objects.entries()) {
      expect(equalBytes(await fetchObjectFromDsn(o, getter, { params: PARAMS }), h.objectData[i]!)).toBe(
        true,
      );
    }
  });

  it('DSN sync: majority header, header chain backwards, segments forward, blocks to the importer', async () => {
    const a = await farmer(h.pieces);
    const b = await farmer(h.pieces);
    const fresh = await spawn();
    await connect(fresh, a);
    await connect(fresh, b);
    const store = new MemorySegmentHeaderStore();
    const imported: Array<readonly [number, Uint8Array]> = [];
    const sync = new DsnSync({
      node: fresh,
      getter: getterFor(fresh, (s) => store.getSegmentHeader(s)),
      store,
      params: PARAMS,
      importer: (blocks) => {
        imported.push(...blocks);
      },
    });
    const [r1, r2] = await Promise.all([sync.run(), sync.run()]); // one sync at a time
    expect(r1).toBe(r2);
    expect(r1.segmentsImported).toBe(h.headers.length);
    expect(store.count).toBe(h.headers.length);
    expect(imported.map(([n]) => n)).toEqual(imported.map((_, i) => i));
    for (const [n, bytes] of imported) expect(equalBytes(bytes, h.blocks[n]!)).toBe(true);
    // Nothing new: a second run imports nothing.
    expect((await sync.run()).segmentsImported).toBe(0);
  });

  it('auto-run triggers: at start, after idle time without imports, and when back online', async () => {
    let runs = 0;
    const sync = new DsnSync({
      node: undefined as never,
      getter: { getPiece: async () => undefined },
      store: new MemorySegmentHeaderStore(),
      importer: () => {},
    });
    (sync as unknown as { run: () => Promise<unknown> }).run = async () => {
      runs++;
      return {};
    };
    let online = true;
    let lastImport = Date.now();
    const stop = sync.autoRun({
      lastImportMs: () => lastImport,
      online: () => online,
      idleMs: 200,
      checkMs: 20,
    });
    expect(runs).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    lastImport = Date.now();
    expect(runs).toBe(1); // imports happening: no run
    await new Promise((r) => setTimeout(r, 700));
    expect(runs).toBeGreaterThanOrEqual(2); // idle
    const before = runs;
    lastImport = Date.now() + 10_000;
    online = false;
    await new Promise((r) => setTimeout(r, 100));
    online = true;
    await new Promise((r) => setTimeout(r, 300));
    expect(runs).toBe(before + 1); // back online
    stop();
  });

  it('majority choice ignores a minority lying about the newest header', () => {
    const good = h.headers.slice(-2);
    const lie = [{ ...h.headers[1]!, segmentCommitment: new Uint8Array(48).fill(1) }];
    expect(majorityHeader([good, good, lie])).toEqual(h.headers[1]);
    expect(majorityHeader([])).toBeUndefined();
  });

  it('watchdog: a retrieval without progress is reported and triggers re-discovery', async () => {
    const stalls: number[] = [];
    let rediscovered = 0;
    const slow = { getPiece: () => new Promise<undefined>((r) => setTimeout(() => r(undefined), 300)) };
    const getter = new ComposedPieceGetter({
      getters: [slow],
      retries: 1,
      watchdogMs: 50,
      rediscover: async () => {
        rediscovered++;
      },
      log: (m) => stalls.push(m.length),
    });
    await getter.getPiece(1n);
    expect(getter.watchdog.stalls).toBeGreaterThan(0);
    expect(rediscovered).toBeGreaterThan(0);
    const w = new ProgressWatchdog(() => {}, 10);
    w.begin();
    w.progress();
    w.check();
    expect(w.stalls).toBe(0);
    w.end();
  });

  it('retries with backoff across rounds and re-discovers between them', async () => {
    let calls = 0;
    let rediscovered = 0;
    const flaky = { getPiece: async () => (++calls < 3 ? undefined : h.pieces.get(0n)) };
    const t0 = Date.now();
    const getter = new ComposedPieceGetter({
      getters: [flaky],
      retries: 4,
      backoffMs: 20,
      rediscover: async () => {
        rediscovered++;
      },
    });
    expect(await getter.getPiece(0n)).toBe(h.pieces.get(0n));
    expect(calls).toBe(3);
    expect(rediscovered).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55); // 20 + 40 ms of backoff
  });
});
