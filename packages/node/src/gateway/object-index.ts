/**
 * The object-mapping indexer the gateway needs (ai3.md §1.2): object hash → where it lies in the
 * archived history. In memory, or persisted as an append-only log of fixed 48-byte entries
 * (hash 32 ‖ piece index u64 LE ‖ offset u32 LE ‖ CRC-32 u32 LE) that is replayed at open: a
 * crash can only lose or tear the last entry, and a torn or corrupt tail is cut off on open.
 */
import { closeSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import type { GlobalObject } from '@autonomys/primitives';
import { NodeError } from '../errors.js';
import { crc32 } from '../storage/journal.js';

export interface ObjectIndex {
  /** Records mappings (the first mapping of a hash wins, as the reference indexer keeps it). */
  put(objects: readonly GlobalObject[]): void;
  get(hash: Uint8Array): GlobalObject | undefined;
  readonly size: number;
  close(): void;
}

const ENTRY = 48;
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
  close(): void {}
}

/** The persisted index (see the file comment). `fsync` after each batch. */
export class FileObjectIndex extends MemoryObjectIndex {
  private fd: number;

  constructor(readonly path: string) {
    super();
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      bytes = new Uint8Array(0);
    }
    let good = 0;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at + ENTRY <= bytes.length; at += ENTRY) {
      if (view.getUint32(at + 44, true) !== crc32(bytes.subarray(at, at + 44))) break;
      super.put([
        {
          hash: bytes.slice(at, at + 32),
          pieceIndex: view.getBigUint64(at + 32, true),
          offset: view.getUint32(at + 40, true),
        },
      ]);
      good = at + ENTRY;
    }
    if (good !== bytes.length) {
      // Only the last entry can be torn by a crash; a bad entry with whole entries after it is damage.
      if (bytes.length - good > ENTRY)
        throw new NodeError({
          code: 'NODE_CORRUPT_DATA',
          path,
          offset: good,
          reason: 'an object index entry fails its checksum and more entries follow',
        });
      truncateSync(path, good);
    }
    this.fd = openSync(path, 'a');
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
    fsyncSync(this.fd);
    super.put(fresh);
  }

  override close(): void {
    closeSync(this.fd);
  }
}
