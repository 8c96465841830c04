/**
 * The node's embedded database: LMDB (the `lmdb` package) in one file, `<dataDir>/chain.mdb`
 * (with LMDB's `chain.mdb-lock`). Tables (LMDB named databases), all keys and values raw bytes:
 *
 * | table | key | value |
 * |---|---|---|
 * | `meta` | `format`, `genesis`, `archiver` | format tag, genesis hash, index of the last stored segment (u64 LE) |
 * | `blocks` | block hash (32) | the block's `SignedBlock` bytes as imported |
 * | `order` | import sequence (u32 BE) | block hash: the replay order at open (parents first, forks included) |
 * | `canon` | block number (u32 BE) | hash of the best chain's block at that number |
 * | `segments` | segment index (u64 BE) | the `SegmentHeader` SCALE bytes |
 * | `pieces` | piece index (u64 BE) | the piece |
 *
 * LMDB does not checksum values, so every value is stored as `crc32(key ‖ payload) u32 LE ‖
 * payload` and checked when read (a value under the wrong key fails too): a mismatch is
 * `NODE_CORRUPT_DATA`. Writes go through lmdb's write thread in one transaction per call and the
 * returned promise resolves once the commit is flushed to disk (fsync off the event loop); LMDB's
 * copy-on-write pages and double meta page make a commit all-or-nothing across a crash.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Database, RootDatabase } from 'lmdb';
import { NodeError } from '../errors.js';
import { crc32 } from './crc32.js';

/** The store's file inside a data directory. */
export const STORE_FILE = 'chain.mdb';
/** The layout version written in `meta/format`; any other value is refused at open. */
export const STORE_FORMAT = 'autonomys-node-store/1';
/** The checksum in front of every value. */
const CHECKSUM_SIZE = 4;

const META_FORMAT = Buffer.from('format');
const META_GENESIS = Buffer.from('genesis');
const META_ARCHIVER = Buffer.from('archiver');

type Table = Database<Buffer, Buffer>;

/** The best-chain change a block import makes (see {@link ChainStore.putBlock}). */
export interface CanonicalUpdate {
  /** First block number whose best-chain hash changes. */
  readonly from: number;
  /** The new best-chain hashes from `from` on (the last one is the new best block). */
  readonly hashes: readonly Uint8Array[];
  /** The old best number: entries after the new best, up to this, are removed (a reorg to a shorter chain). */
  readonly oldBest: number;
}

/** Options of {@link ChainStore.open} (tuning; the defaults are what the node uses). */
export interface ChainStoreOptions {
  /**
   * lmdb's overlapping sync (the flush after the commit, outside the write lock; writes then also
   * wait for `flushed`). Default `false`: each commit is flushed before it resolves, which measured
   * as fast or faster for one commit per block (see the README).
   */
  readonly overlappingSync?: boolean;
}

const u32Key = (n: number) => {
  const k = Buffer.allocUnsafe(4);
  k.writeUInt32BE(n);
  return k;
};
const u64Key = (n: bigint) => {
  const k = Buffer.allocUnsafe(8);
  k.writeBigUInt64BE(n);
  return k;
};

/** `crc32(key ‖ payload) ‖ payload`. */
function seal(key: Uint8Array, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(CHECKSUM_SIZE + payload.length);
  out.writeUInt32LE(crc32(payload, crc32(key)), 0);
  out.set(payload, CHECKSUM_SIZE);
  return out;
}

/** The chain's LMDB store. Open with {@link ChainStore.open}; one per data directory. */
export class ChainStore {
  private nextSeq: number;
  private closed = false;
  private readonly overlappingSync: boolean;

  private constructor(
    overlappingSync: boolean,
    /** The database file. */
    readonly path: string,
    private readonly root: RootDatabase<Buffer, Buffer>,
    private readonly meta: Table,
    private readonly blocks: Table,
    private readonly order: Table,
    private readonly canon: Table,
    private readonly segments: Table,
    private readonly pieces: Table,
  ) {
    let last = -1;
    for (const key of order.getKeys({ reverse: true, limit: 1 }))
      last = key.length === 4 ? key.readUInt32BE(0) : -1;
    this.nextSeq = last + 1;
    this.overlappingSync = overlappingSync;
  }

  /**
   * Opens (or creates) the store at `path` (a file). A file that is not an LMDB environment, or
   * one of another layout version, is `NODE_CORRUPT_DATA`. (`lmdb` and its native binary are loaded
   * here, on first use: a chain in memory does not need them.)
   * @example const store = await ChainStore.open(join(dataDir, STORE_FILE));
   */
  static async open(path: string, opts: ChainStoreOptions = {}): Promise<ChainStore> {
    checkMetaPages(path);
    const { open } = await import('lmdb');
    let root: RootDatabase<Buffer, Buffer>;
    try {
      root = open<Buffer, Buffer>({
        path,
        noSubdir: true,
        maxDbs: 8,
        encoding: 'binary',
        keyEncoding: 'binary',
        overlappingSync: opts.overlappingSync ?? false,
      });
    } catch (e) {
      throw corrupt(path, `cannot open the database: ${(e as Error).message}`);
    }
    try {
      const table = (name: string): Table =>
        root.openDB<Buffer, Buffer>({ name, encoding: 'binary', keyEncoding: 'binary' });
      const store = new ChainStore(
        opts.overlappingSync ?? false,
        path,
        root,
        table('meta'),
        table('blocks'),
        table('order'),
        table('canon'),
        table('segments'),
        table('pieces'),
      );
      const format = store.read(store.meta, 'meta', META_FORMAT);
      if (format !== undefined && Buffer.from(format).toString('utf8') !== STORE_FORMAT)
        throw corrupt(path, `unknown store format ${JSON.stringify(Buffer.from(format).toString('utf8'))}`);
      if (format === undefined && store.nextSeq > 0)
        throw corrupt(path, 'blocks stored without a format tag');
      return store;
    } catch (e) {
      void root.close();
      if (e instanceof NodeError) throw e;
      throw corrupt(path, `cannot read the database: ${(e as Error).message}`);
    }
  }

  /** Reads and checks a value; `undefined` when the key is absent. */
  private read(table: Table, name: string, key: Buffer): Uint8Array | undefined {
    this.assertOpen();
    const v = table.getBinaryFast(key);
    if (v === undefined) return undefined;
    if (v.length < CHECKSUM_SIZE) throw corrupt(this.path, `${name}/${key.toString('hex')}: value too short`);
    const payload = v.subarray(CHECKSUM_SIZE);
    if (v.readUInt32LE(0) !== crc32(payload, crc32(key)))
      throw corrupt(this.path, `${name}/${key.toString('hex')}: checksum mismatch`);
    return new Uint8Array(payload); // a copy: the fast buffer is reused by the next read
  }

  private assertOpen(): void {
    if (this.closed) throw new NodeError({ code: 'NODE_CLOSED' });
  }

  /**
   * Runs `writes` in one write transaction; resolves once it is committed and flushed to disk (the
   * commit and its fsync run on lmdb's write thread, not on the event loop).
   */
  private async durable(writes: () => void): Promise<void> {
    this.assertOpen();
    await this.root.transaction(writes);
    if (this.overlappingSync) await this.root.flushed;
  }

  // ---- identity ----

  /** The genesis hash the store was created for (`undefined`: a new store). */
  genesisHash(): Uint8Array | undefined {
    return this.read(this.meta, 'meta', META_GENESIS);
  }

  /** Marks a new store as this chain's: format, genesis hash, block 0 of the best chain. */
  async initialize(genesisHash: Uint8Array): Promise<void> {
    const zero = u32Key(0);
    await this.durable(() => {
      void this.meta.put(META_FORMAT, seal(META_FORMAT, Buffer.from(STORE_FORMAT)));
      void this.meta.put(META_GENESIS, seal(META_GENESIS, genesisHash));
      void this.canon.put(zero, seal(zero, genesisHash));
    });
  }

  // ---- blocks ----

  /** Hashes of the stored blocks in import order (a failed commit may leave a gap in the sequence). */
  blockHashesInOrder(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const key of this.order.getKeys()) {
      if (key.length !== 4)
        throw corrupt(this.path, `order: key ${key.toString('hex')} is not a sequence number`);
      const hash = this.read(this.order, 'order', key)!;
      if (hash.length !== 32) throw corrupt(this.path, `order/${key.toString('hex')}: not a block hash`);
      out.push(hash);
    }
    return out;
  }

  /** A stored block's bytes by hash. */
  blockBytes(hash: Uint8Array): Uint8Array | undefined {
    return this.read(this.blocks, 'blocks', Buffer.from(hash));
  }

  /** The best chain's hash at `number`, as stored. */
  canonicalHash(number: number): Uint8Array | undefined {
    return this.read(this.canon, 'canon', u32Key(number));
  }

  /** Number of entries of the best-chain index (best number + 1). */
  canonicalLength(): number {
    return this.canon.getCount();
  }

  /**
   * Stores an imported block (bytes, import order, best-chain index update) in one transaction;
   * resolves when it is durable.
   */
  async putBlock(hash: Uint8Array, bytes: Uint8Array, canonical: CanonicalUpdate | undefined): Promise<void> {
    this.assertOpen();
    const key = Buffer.from(hash);
    const seq = u32Key(this.nextSeq++);
    const value = seal(key, bytes);
    await this.durable(() => {
      void this.blocks.put(key, value);
      void this.order.put(seq, seal(seq, hash));
      if (canonical !== undefined) this.writeCanonical(canonical);
    });
  }

  private writeCanonical(c: CanonicalUpdate): void {
    c.hashes.forEach((h, i) => {
      const k = u32Key(c.from + i);
      void this.canon.put(k, seal(k, h));
    });
    for (let n = c.from + c.hashes.length; n <= c.oldBest; n++) void this.canon.remove(u32Key(n));
  }

  /** Rewrites the best-chain index (a repair at open when it differs from the replayed chain). */
  async rewriteCanonical(c: CanonicalUpdate): Promise<void> {
    await this.durable(() => this.writeCanonical(c));
  }

  // ---- segments and pieces ----

  /** The stored segment headers' bytes in index order (checked to be 0, 1, 2, ...). */
  segmentHeaders(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const key of this.segments.getKeys()) {
      const index = key.length === 8 ? key.readBigUInt64BE(0) : -1n;
      if (index !== BigInt(out.length))
        throw corrupt(this.path, `segments: entry ${key.toString('hex')} out of sequence`);
      out.push(this.read(this.segments, 'segments', key)!);
    }
    const resume = this.read(this.meta, 'meta', META_ARCHIVER);
    const last = resume === undefined || resume.length !== 8 ? -1n : Buffer.from(resume).readBigInt64LE(0);
    if (last !== BigInt(out.length - 1))
      throw corrupt(this.path, `archiver resume point ${last} does not match ${out.length} stored segments`);
    return out;
  }

  /**
   * Stores a segment: its header, its pieces (`pieces` = the concatenated pieces, the first being
   * piece `firstPiece`) and the archiver's resume point, in one transaction; pieces of the segment
   * `prune` (when given) are removed in the same transaction. Resolves when durable.
   */
  async putSegment(
    index: bigint,
    header: Uint8Array,
    pieces: Uint8Array,
    pieceSize: number,
    firstPiece: bigint,
    prune?: { firstPiece: bigint; count: number },
  ): Promise<void> {
    const key = u64Key(index);
    const resume = Buffer.allocUnsafe(8);
    resume.writeBigInt64LE(index);
    await this.durable(() => {
      void this.segments.put(key, seal(key, header));
      for (let i = 0; i * pieceSize < pieces.length; i++) {
        const k = u64Key(firstPiece + BigInt(i));
        void this.pieces.put(k, seal(k, pieces.subarray(i * pieceSize, (i + 1) * pieceSize)));
      }
      if (prune !== undefined)
        for (let i = 0; i < prune.count; i++) void this.pieces.remove(u64Key(prune.firstPiece + BigInt(i)));
      void this.meta.put(META_ARCHIVER, seal(META_ARCHIVER, resume));
    });
  }

  /** A stored piece (checked), or `undefined` when absent or pruned. */
  getPiece(pieceIndex: bigint): Uint8Array | undefined {
    if (pieceIndex < 0n || pieceIndex >= 1n << 64n) return undefined;
    return this.read(this.pieces, 'pieces', u64Key(pieceIndex));
  }

  /** Closes the database after pending writes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.root.flushed;
    await this.root.close();
  }
}

// LMDB's two meta pages (pages 0 and 1) carry the magic 0xBEEFC0DE after the page header (16
// bytes in LMDB 0.9, 24 in the 1.0 format lmdb-js builds) and the page size in the free-list
// database record. LMDB trusts its file: a file that is not LMDB's can crash the process inside
// the native open, so the meta pages are checked here first.
const LMDB_MAGIC = 0xbeefc0de;
const META_PAGE_HEADERS = [16, 24];
const META_PAGE_SIZE_OFFSET = 0x30;

/** Refuses (`NODE_CORRUPT_DATA`) a non-empty file without LMDB's two meta pages. */
function checkMetaPages(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return; // a new store
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    const head = Buffer.alloc(64);
    const got = readSync(fd, head, 0, head.length, 0);
    const at = META_PAGE_HEADERS.find((o) => got >= o + 8 && head.readUInt32LE(o) === LMDB_MAGIC);
    const pageSize = got >= META_PAGE_SIZE_OFFSET + 4 ? head.readUInt32LE(META_PAGE_SIZE_OFFSET) : 0;
    const pageSizeOk = pageSize >= 512 && pageSize <= 65536 && (pageSize & (pageSize - 1)) === 0;
    if (at === undefined || !pageSizeOk || size < 2 * pageSize)
      throw corrupt(path, 'not an LMDB database (bad first meta page)');
    const second = Buffer.alloc(at + 4);
    readSync(fd, second, 0, second.length, pageSize);
    if (second.readUInt32LE(at) !== LMDB_MAGIC)
      throw corrupt(path, 'not an LMDB database (bad second meta page)');
  } finally {
    closeSync(fd);
  }
}

function corrupt(path: string, reason: string): NodeError {
  return new NodeError({ code: 'NODE_CORRUPT_DATA', path, offset: 0, reason });
}
