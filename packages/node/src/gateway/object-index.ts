/**
 * The object-mapping indexer the gateway needs (ai3.md §1.2): object hash → where it lies in the
 * archived history. In memory, or persisted as an append-only log of fixed 48-byte entries
 * (hash 32 ‖ piece index u64 LE ‖ offset u32 LE ‖ CRC-32 u32 LE) that is replayed at open: a
 * crash can only lose the newest entries or tear the last one, and a torn tail is cut off on open.
 *
 * It also keeps which archived objects are provenance remarks for which CID (see provenance.ts):
 * CID digest → object hashes, persisted by the file index next to its log (`<path>.provenance`,
 * 68-byte entries: CID digest 32 ‖ object hash 32 ‖ CRC-32 u32 LE, replayed the same way).
 */
import { closeSync, fsync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import type { GlobalObject } from '@autonomys/primitives';
import { NodeError } from '../errors.js';
import { crc32 } from '../storage/crc32.js';

export interface ObjectIndex {
  /** Records mappings (the first mapping of a hash wins, as the reference indexer keeps it). */
  put(objects: readonly GlobalObject[]): void;
  get(hash: Uint8Array): GlobalObject | undefined;
  readonly size: number;
  /** Records that the archived object `objectHash` is a provenance remark for the CID `cidDigest`. */
  putProvenance(cidDigest: Uint8Array, objectHash: Uint8Array): void;
  /** The provenance remark objects of a CID digest, in indexing order. */
  provenanceOf(cidDigest: Uint8Array): readonly Uint8Array[];
  close(): void;
}

const ENTRY = 48;
const PROVENANCE_ENTRY = 68;
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export class MemoryObjectIndex implements ObjectIndex {
  protected readonly map = new Map<string, GlobalObject>();
  put(objects: readonly GlobalObject[]): void {
    for (const o of objects) {
      const k = hex(o.hash);
      if (!this.map.has(k))
        this.map.set(k, { hash: o.hash.slice(), pieceIndex: o.pieceIndex, offset: o.offset });
    }
  }
  get(hash: Uint8Array): GlobalObject | undefined {
    return this.map.get(hex(hash));
  }
  get size(): number {
    return this.map.size;
  }
  protected readonly provenance = new Map<string, Uint8Array[]>();
  /** Returns false when the pair was known. */
  putProvenance(cidDigest: Uint8Array, objectHash: Uint8Array): boolean {
    const k = hex(cidDigest);
    const list = this.provenance.get(k) ?? [];
    if (list.some((h) => hex(h) === hex(objectHash))) return false;
    list.push(Uint8Array.from(objectHash));
    this.provenance.set(k, list);
    return true;
  }
  provenanceOf(cidDigest: Uint8Array): readonly Uint8Array[] {
    return this.provenance.get(hex(cidDigest)) ?? [];
  }
  close(): void {}
}

/** Replays a log of fixed entries ending in a CRC-32; cuts a torn tail; returns the good length. */
function replay(path: string, size: number, apply: (entry: Uint8Array) => void): void {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return;
  }
  let good = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + size <= bytes.length; at += size) {
    if (view.getUint32(at + size - 4, true) !== crc32(bytes.subarray(at, at + size - 4))) break;
    apply(bytes.subarray(at, at + size));
    good = at + size;
  }
  if (good !== bytes.length) {
    // Only the last entry can be torn by a crash; a bad entry with whole entries after it is damage.
    if (bytes.length - good > size)
      throw new NodeError({
        code: 'NODE_CORRUPT_DATA',
        path,
        offset: good,
        reason: 'an index entry fails its checksum and more entries follow',
      });
    truncateSync(path, good);
  }
}

/**
 * The persisted index (see the file comment). Each batch is written at once and `fsync`ed on libuv's
 * thread pool (never blocking the event loop); fsyncs that pile up while one runs become one.
 * `close` syncs what is left.
 */
export class FileObjectIndex extends MemoryObjectIndex {
  private fd: number;
  private provenanceFd: number;
  /** Per descriptor: an fsync is running, and whether another is wanted after it. */
  private readonly syncing = new Map<number, { again: boolean }>();
  private closed = false;

  constructor(readonly path: string) {
    super();
    replay(path, ENTRY, (e) => {
      const view = new DataView(e.buffer, e.byteOffset, e.byteLength);
      super.put([
        { hash: e.slice(0, 32), pieceIndex: view.getBigUint64(32, true), offset: view.getUint32(40, true) },
      ]);
    });
    replay(`${path}.provenance`, PROVENANCE_ENTRY, (e) => {
      super.putProvenance(e.subarray(0, 32), e.subarray(32, 64));
    });
    this.fd = openSync(path, 'a');
    this.provenanceFd = openSync(`${path}.provenance`, 'a');
  }

  override putProvenance(cidDigest: Uint8Array, objectHash: Uint8Array): boolean {
    if (!super.putProvenance(cidDigest, objectHash)) return false;
    const buf = new Uint8Array(PROVENANCE_ENTRY);
    buf.set(cidDigest, 0);
    buf.set(objectHash, 32);
    new DataView(buf.buffer).setUint32(64, crc32(buf.subarray(0, 64)), true);
    writeSync(this.provenanceFd, buf);
    this.syncLater(this.provenanceFd);
    return true;
  }

  override put(objects: readonly GlobalObject[]): void {
    const fresh = objects.filter((o) => this.get(o.hash) === undefined);
    if (fresh.length === 0) return;
    const buf = new Uint8Array(fresh.length * ENTRY);
    const view = new DataView(buf.buffer);
    fresh.forEach((o, i) => {
      const at = i * ENTRY;
      buf.set(o.hash, at);
      view.setBigUint64(at + 32, o.pieceIndex, true);
      view.setUint32(at + 40, o.offset, true);
      view.setUint32(at + 44, crc32(buf.subarray(at, at + 44)), true);
    });
    writeSync(this.fd, buf);
    this.syncLater(this.fd);
    super.put(fresh);
  }

  private syncLater(fd: number): void {
    const running = this.syncing.get(fd);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.syncing.set(fd, state);
    const done = (): void => {
      if (this.closed) return;
      if (state.again) {
        state.again = false;
        fsync(fd, done);
      } else this.syncing.delete(fd);
    };
    fsync(fd, done);
  }

  override close(): void {
    if (this.closed) return;
    this.closed = true;
    // A pending asynchronous fsync may still run on the closed descriptor and fail harmlessly;
    // these synchronous ones are what makes the data durable.
    fsyncSync(this.fd);
    fsyncSync(this.provenanceFd);
    closeSync(this.fd);
    closeSync(this.provenanceFd);
  }
}
