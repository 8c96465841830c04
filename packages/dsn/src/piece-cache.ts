/**
 * The farmer's L2 piece cache (C.4): `capacity` plain pieces, the ones closest by Kademlia
 * distance to the farmer's peer id. Initial fill sorts all history pieces by distance, keeps the
 * nearest `capacity`, frees the others and downloads the missing (batches of 256, 4 at a time);
 * each new segment's pieces enter when there is room or when closer than the farthest stored one
 * (which is evicted).
 *
 * Persistence is one file per piece, `<index>.piece` = piece ‖ BLAKE3(index LE ‖ piece), written
 * to a temporary name and renamed, so a crash leaves either the old state or the new one; files
 * that fail their checksum are removed and count as missing. Pieces cached before a restart are
 * served as soon as `open` returns.
 */
import { mkdir, open as openFile, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { blake3, equalBytes, PIECE_SIZE, uintToLe } from '@autonomys/primitives';
import type { PeerId } from '@libp2p/interface';
import { CACHE_SYNC_BATCH, CACHE_SYNC_CONCURRENCY, NUM_PIECES } from './constants.js';
import { DsnError } from './errors.js';
import type { PieceCache } from './handlers.js';
import { pieceDistanceFrom } from './keys.js';

export interface PieceCacheOptions {
  /** Directory of the cache files (created if absent). */
  readonly directory: string;
  /** Piece slots. */
  readonly capacity: number;
  /** The farmer's peer id (the proximity target). */
  readonly peerId: PeerId;
  readonly pieceSize?: number;
  readonly piecesPerSegment?: number;
}

/** Downloads pieces (validated), calling `onPiece` as each arrives. */
export type PieceFetcher = (
  pieceIndexes: readonly bigint[],
  onPiece: (pieceIndex: bigint, piece: Uint8Array) => Promise<void>,
) => Promise<void>;

export interface CacheProgress {
  readonly phase: 'initial' | 'segment';
  readonly done: number;
  readonly total: number;
}

const SUFFIX = '.piece';

function checksum(index: bigint, piece: Uint8Array): Uint8Array {
  const b = new Uint8Array(8 + piece.length);
  b.set(uintToLe(index, 8));
  b.set(piece, 8);
  return blake3(b);
}

export class FarmerPieceCache implements PieceCache {
  private readonly stored = new Map<bigint, bigint>(); // index -> distance
  private readonly distance: (i: bigint) => bigint;
  readonly pieceSize: number;
  readonly piecesPerSegment: number;
  private writes: Promise<void> = Promise.resolve();

  private constructor(private readonly o: PieceCacheOptions) {
    if (!Number.isInteger(o.capacity) || o.capacity < 0) {
      throw new DsnError({ code: 'DSN_INVALID_ARGUMENT', what: 'capacity', reason: `got ${o.capacity}` });
    }
    this.distance = pieceDistanceFrom(o.peerId);
    this.pieceSize = o.pieceSize ?? PIECE_SIZE;
    this.piecesPerSegment = o.piecesPerSegment ?? NUM_PIECES;
  }

  /** Opens (or creates) a cache; damaged and temporary files are removed. */
  static async open(o: PieceCacheOptions): Promise<FarmerPieceCache> {
    const c = new FarmerPieceCache(o);
    await mkdir(o.directory, { recursive: true });
    for (const name of await readdir(o.directory)) {
      const m = /^(\d+)\.piece$/.exec(name);
      if (!m?.[1]) {
        if (name.endsWith('.tmp')) await rm(join(o.directory, name), { force: true });
        continue;
      }
      const index = BigInt(m[1]);
      const size = await fileSize(join(o.directory, name));
      if (size !== c.pieceSize + 32) {
        await rm(join(o.directory, name), { force: true });
        continue;
      }
      c.stored.set(index, c.distance(index));
    }
    // More than capacity (capacity lowered between runs): keep the nearest.
    c.trimTo(o.capacity);
    return c;
  }

  get size(): number {
    return this.stored.size;
  }

  get capacity(): number {
    return this.o.capacity;
  }

  hasPiece(pieceIndex: bigint): boolean {
    return this.stored.has(pieceIndex);
  }

  /** Indexes currently cached. */
  indexes(): bigint[] {
    return [...this.stored.keys()];
  }

  private path(index: bigint): string {
    return join(this.o.directory, `${index}${SUFFIX}`);
  }

  /** The cached piece; a file failing its checksum is removed and reported missing. */
  async getPiece(pieceIndex: bigint): Promise<Uint8Array | undefined> {
    if (!this.stored.has(pieceIndex)) return undefined;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(this.path(pieceIndex)));
    } catch {
      this.stored.delete(pieceIndex);
      return undefined;
    }
    const piece = bytes.subarray(0, this.pieceSize);
    if (
      bytes.length !== this.pieceSize + 32 ||
      !equalBytes(bytes.subarray(this.pieceSize), checksum(pieceIndex, piece))
    ) {
      this.stored.delete(pieceIndex);
      await rm(this.path(pieceIndex), { force: true });
      return undefined;
    }
    return piece;
  }

  private async write(index: bigint, piece: Uint8Array): Promise<void> {
    if (piece.length !== this.pieceSize) {
      throw new DsnError({
        code: 'DSN_INVALID_ARGUMENT',
        what: 'piece',
        reason: `expected ${this.pieceSize} bytes`,
      });
    }
    const tmp = `${this.path(index)}.tmp`;
    const f = await openFile(tmp, 'w');
    try {
      await f.write(piece);
      await f.write(checksum(index, piece));
      await f.sync();
    } finally {
      await f.close();
    }
    await rename(tmp, this.path(index));
  }

  private evict(index: bigint): void {
    this.stored.delete(index);
    this.writes = this.writes.then(() => rm(this.path(index), { force: true }));
  }

  private trimTo(n: number): void {
    if (this.stored.size <= n) return;
    const sorted = [...this.stored].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    for (const [i] of sorted.slice(n)) this.evict(i);
  }

  private farthest(): [bigint, bigint] | undefined {
    let f: [bigint, bigint] | undefined;
    for (const e of this.stored) if (!f || e[1] > f[1]) f = e;
    return f;
  }

  /** Whether piece `index` belongs in the cache now (room, or closer than the farthest stored). */
  wants(index: bigint): boolean {
    if (this.stored.has(index) || this.o.capacity === 0) return false;
    if (this.stored.size < this.o.capacity) return true;
    const far = this.farthest();
    return far !== undefined && this.distance(index) < far[1];
  }

  private adding: Promise<unknown> = Promise.resolve();

  /** Stores a (validated) piece if it still belongs; evicts the farthest when full. Serialized. */
  add(index: bigint, piece: Uint8Array): Promise<boolean> {
    const r = this.adding.then(() => this.addNow(index, piece));
    this.adding = r.catch(() => {});
    return r;
  }

  private async addNow(index: bigint, piece: Uint8Array): Promise<boolean> {
    if (!this.wants(index)) return false;
    if (this.stored.size >= this.o.capacity) {
      const far = this.farthest();
      if (far) this.evict(far[0]);
    }
    await this.writes;
    await this.write(index, piece);
    this.stored.set(index, this.distance(index));
    return true;
  }

  /** The target content for a history of `segmentCount` segments: the `capacity` nearest pieces. */
  targetPieces(segmentCount: bigint): bigint[] {
    const total = segmentCount * BigInt(this.piecesPerSegment);
    const all: Array<[bigint, bigint]> = [];
    for (let i = 0n; i < total; i++) all.push([i, this.distance(i)]);
    all.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    return all.slice(0, this.o.capacity).map(([i]) => i);
  }

  /**
   * Initial fill for a history of `segmentCount` segments: frees pieces no longer wanted, then
   * downloads the missing ones in batches of 256, 4 batches at a time, reporting progress.
   */
  async initialSync(
    segmentCount: bigint,
    fetch: PieceFetcher,
    onProgress?: (p: CacheProgress) => void,
  ): Promise<void> {
    const target = this.targetPieces(segmentCount);
    const targetSet = new Set(target);
    for (const i of [...this.stored.keys()]) if (!targetSet.has(i)) this.evict(i);
    await this.writes;
    const missing = target.filter((i) => !this.stored.has(i));
    const batches: bigint[][] = [];
    for (let at = 0; at < missing.length; at += CACHE_SYNC_BATCH)
      batches.push(missing.slice(at, at + CACHE_SYNC_BATCH));
    let done = 0;
    onProgress?.({ phase: 'initial', done, total: missing.length });
    const worker = async () => {
      for (let b = batches.shift(); b !== undefined; b = batches.shift()) {
        await fetch(b, async (i, piece) => {
          if (targetSet.has(i) && !this.stored.has(i)) {
            await this.write(i, piece);
            this.stored.set(i, this.distance(i));
          }
          done++;
          onProgress?.({ phase: 'initial', done, total: missing.length });
        });
      }
    };
    await Promise.all(Array.from({ length: CACHE_SYNC_CONCURRENCY }, worker));
  }

  /**
   * A newly archived segment: determines which of its pieces belong, downloads them, and stores
   * each that still belongs once it arrives. Returns the indexes stored.
   */
  async onNewSegment(
    segmentIndex: bigint,
    fetch: PieceFetcher,
    onProgress?: (p: CacheProgress) => void,
  ): Promise<bigint[]> {
    const first = segmentIndex * BigInt(this.piecesPerSegment);
    const candidates: bigint[] = [];
    for (let k = 0; k < this.piecesPerSegment; k++) {
      const i = first + BigInt(k);
      if (this.wants(i)) candidates.push(i);
    }
    const storedNow: bigint[] = [];
    let done = 0;
    await fetch(candidates, async (i, piece) => {
      if (await this.add(i, piece)) storedNow.push(i);
      done++;
      onProgress?.({ phase: 'segment', done, total: candidates.length });
    });
    return storedNow;
  }

  /** Waits for pending file removals. */
  async flush(): Promise<void> {
    await this.writes;
  }
}

async function fileSize(path: string): Promise<number> {
  const f = await openFile(path, 'r');
  try {
    return (await f.stat()).size;
  } finally {
    await f.close();
  }
}

/**
 * A {@link PieceFetcher} over a validating getter (e.g. a composed L2/L1 getter, optionally
 * preceded by the farmer's own node over RPC), `concurrency` pieces at a time.
 */
export function pieceFetcherFrom(
  getter: { getPiece(i: bigint): Promise<Uint8Array | undefined> },
  concurrency = 16,
): PieceFetcher {
  return async (indexes, onPiece) => {
    const queue = [...indexes];
    const worker = async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const piece = await getter.getPiece(i).catch(() => undefined);
        if (piece) await onPiece(i, piece);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  };
}
