/**
 * The node's embedded database: an append-only journal of checksummed records in one file, with
 * an in-memory index rebuilt at open. Each record is `type u8 ‖ length u32 LE ‖ crc32 u32 LE ‖
 * payload`; appends are written with one `write` and made durable with `fdatasync` before the call
 * returns. A record cut short at the end of the file (a crash during the append) is dropped at the
 * next open; a complete record whose checksum fails, an unknown type or a bad file header is
 * corruption (`NODE_CORRUPT_DATA`).
 */
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { NodeError } from '../errors.js';

/** File magic and format version. */
export const JOURNAL_MAGIC = 'ATNYJRN1';
const HEADER_SIZE = 8;
const RECORD_HEADER_SIZE = 9;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A record as found at open: its type, payload position and length. */
export interface JournalRecord {
  readonly type: number;
  readonly offset: number;
  readonly length: number;
}

/** An append-only journal file. */
export class Journal {
  private size: number;
  private constructor(
    private readonly fd: number,
    readonly path: string,
    size: number,
  ) {
    this.size = size;
  }

  /**
   * Opens (or creates) a journal and scans it. `knownTypes` are the record types the caller
   * understands; anything else is corruption.
   */
  static open(
    path: string,
    knownTypes: ReadonlySet<number>,
  ): { journal: Journal; records: JournalRecord[]; truncatedTail: number } {
    const fd = openSync(path, 'a+');
    try {
      let size = fstatSync(fd).size;
      const records: JournalRecord[] = [];
      let truncatedTail = 0;
      if (size === 0) {
        writeSync(fd, Buffer.from(JOURNAL_MAGIC, 'latin1'));
        fdatasyncSync(fd);
        size = HEADER_SIZE;
      } else {
        const magic = Buffer.alloc(HEADER_SIZE);
        if (
          size < HEADER_SIZE ||
          readSync(fd, magic, 0, HEADER_SIZE, 0) !== HEADER_SIZE ||
          magic.toString('latin1') !== JOURNAL_MAGIC
        )
          throw corrupt(path, 0, 'not a node journal (bad magic)');
        let at = HEADER_SIZE;
        const head = Buffer.alloc(RECORD_HEADER_SIZE);
        while (at < size) {
          if (at + RECORD_HEADER_SIZE > size) break;
          readSync(fd, head, 0, RECORD_HEADER_SIZE, at);
          const type = head[0]!;
          const length = head.readUInt32LE(1);
          const crc = head.readUInt32LE(5);
          if (at + RECORD_HEADER_SIZE + length > size) break; // cut short by a crash
          if (!knownTypes.has(type)) throw corrupt(path, at, `unknown record type ${type}`);
          const payload = Buffer.alloc(length);
          readSync(fd, payload, 0, length, at + RECORD_HEADER_SIZE);
          if (crc32(payload) !== crc) throw corrupt(path, at, 'checksum mismatch');
          records.push({ type, offset: at + RECORD_HEADER_SIZE, length });
          at += RECORD_HEADER_SIZE + length;
        }
        if (at < size) {
          truncatedTail = size - at;
          ftruncateSync(fd, at);
          fdatasyncSync(fd);
          size = at;
        }
      }
      return { journal: new Journal(fd, path, size), records, truncatedTail };
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Appends records durably (one write, then `fdatasync`); returns their payload offsets. */
  append(records: readonly { type: number; payload: Uint8Array }[]): number[] {
    let total = 0;
    for (const r of records) total += RECORD_HEADER_SIZE + r.payload.length;
    const buf = Buffer.alloc(total);
    const offsets: number[] = [];
    let at = 0;
    for (const r of records) {
      buf[at] = r.type;
      buf.writeUInt32LE(r.payload.length, at + 1);
      buf.writeUInt32LE(crc32(r.payload), at + 5);
      buf.set(r.payload, at + RECORD_HEADER_SIZE);
      offsets.push(this.size + at + RECORD_HEADER_SIZE);
      at += RECORD_HEADER_SIZE + r.payload.length;
    }
    let written = 0;
    while (written < total) written += writeSync(this.fd, buf, written, total - written, this.size + written);
    fdatasyncSync(this.fd);
    this.size += total;
    return offsets;
  }

  /** Reads `length` bytes at `offset`. */
  read(offset: number, length: number): Uint8Array {
    const out = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, out, got, length - got, offset + got);
      if (n === 0) throw corrupt(this.path, offset, 'record beyond the end of the file');
      got += n;
    }
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function corrupt(path: string, offset: number, reason: string): NodeError {
  return new NodeError({ code: 'NODE_CORRUPT_DATA', path, offset, reason });
}
