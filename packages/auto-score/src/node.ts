/**
 * `@autonomys/auto-score/node`: the file-backed nullifier registry (Node only: `node:fs`).
 *
 * File format (ours): an 8-byte magic `ASNULL01`, then 80-byte records
 * `nullifier (32) ‖ autoId (32) ‖ boundAt u64 LE ms (8) ‖ checksum (8)`, where the checksum is the
 * first 8 bytes of blake2b-256 of the 72 bytes before it. Records are only appended, each batch
 * with one write followed by fsync. On open, a torn tail (a partial record, or a final record
 * whose checksum fails) is cut off; any other bad record is `AUTO_SCORE_REGISTRY_CORRUPT`.
 * One writer per file (no inter-process lock).
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { bytesToHex } from '@autonomys/primitives';
import { HASH_SIZE } from './constants.js';
import { AutoScoreError } from './errors.js';
import { MemoryNullifierRegistry, planBind } from './registry.js';
import { blake2b256, equal, utf8 } from './util.js';

export * from './index.js';

/** The file's magic header. */
export const REGISTRY_MAGIC = utf8('ASNULL01');
/** Size of one record: nullifier, Auto ID, time, checksum. */
export const REGISTRY_RECORD_SIZE = HASH_SIZE + HASH_SIZE + 8 + 8;

function checksum(rec: Uint8Array): Uint8Array {
  return blake2b256(rec.subarray(0, REGISTRY_RECORD_SIZE - 8)).subarray(0, 8);
}

/** A crash-safe, append-only, file-backed {@link NullifierRegistry}. */
export class FileNullifierRegistry extends MemoryNullifierRegistry {
  private constructor(
    readonly path: string,
    private fd: number | undefined,
    /** Bytes cut from a torn tail when the file was opened (0 normally). */
    readonly recoveredBytes: number,
  ) {
    super();
  }

  /** Opens (or creates) a registry file, replaying and checking every record. */
  static open(path: string): FileNullifierRegistry {
    const created = !existsSync(path);
    const fd = openSync(path, created ? 'w+' : 'r+');
    try {
      if (created) {
        writeSync(fd, REGISTRY_MAGIC);
        fsyncSync(fd);
        syncDir(dirname(path));
      }
      const size = fstatSync(fd).size;
      const data = new Uint8Array(size);
      if (size > 0) readSync(fd, data, 0, size, 0);
      const corrupt = (offset: number, reason: string): never => {
        throw new AutoScoreError({ code: 'AUTO_SCORE_REGISTRY_CORRUPT', path, offset, reason });
      };
      if (size < REGISTRY_MAGIC.length || !equal(data.subarray(0, REGISTRY_MAGIC.length), REGISTRY_MAGIC))
        corrupt(0, 'not a nullifier registry file');
      const body = size - REGISTRY_MAGIC.length;
      let whole = Math.floor(body / REGISTRY_RECORD_SIZE);
      let keep = REGISTRY_MAGIC.length + whole * REGISTRY_RECORD_SIZE;
      const reg = new FileNullifierRegistry(path, fd, 0);
      for (let i = 0; i < whole; i++) {
        const off = REGISTRY_MAGIC.length + i * REGISTRY_RECORD_SIZE;
        const rec = data.subarray(off, off + REGISTRY_RECORD_SIZE);
        if (!equal(checksum(rec), rec.subarray(REGISTRY_RECORD_SIZE - 8))) {
          if (i === whole - 1) {
            // A torn final record (the crash hit mid-write): drop it.
            whole--;
            keep = off;
            break;
          }
          corrupt(off, 'record checksum');
        }
        const n = rec.subarray(0, HASH_SIZE);
        const id = rec.subarray(HASH_SIZE, 2 * HASH_SIZE);
        const prev = reg.map.get(bytesToHex(n));
        if (prev !== undefined && !equal(prev, id)) corrupt(off, 'nullifier bound twice');
        reg.map.set(bytesToHex(n), id.slice());
      }
      const recovered = size - keep;
      if (recovered > 0) {
        ftruncateSync(fd, keep);
        fsyncSync(fd);
      }
      (reg as { recoveredBytes: number }).recoveredBytes = recovered;
      return reg;
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  override async bind(nullifiers: readonly Uint8Array[], autoId: Uint8Array): Promise<Uint8Array[]> {
    if (this.fd === undefined)
      throw new AutoScoreError({ code: 'AUTO_SCORE_INVALID_ARGUMENT', what: 'registry', reason: 'closed' });
    const fresh = planBind(this, nullifiers, autoId);
    if (fresh.length === 0) return fresh;
    const buf = new Uint8Array(fresh.length * REGISTRY_RECORD_SIZE);
    const view = new DataView(buf.buffer);
    const now = BigInt(Date.now());
    fresh.forEach((n, i) => {
      const off = i * REGISTRY_RECORD_SIZE;
      buf.set(n, off);
      buf.set(autoId, off + HASH_SIZE);
      view.setBigUint64(off + 2 * HASH_SIZE, now, true);
      buf.set(checksum(buf.subarray(off, off + REGISTRY_RECORD_SIZE)), off + REGISTRY_RECORD_SIZE - 8);
    });
    const end = fstatSync(this.fd).size;
    try {
      writeSync(this.fd, buf, 0, buf.length, end);
      fsyncSync(this.fd);
    } catch (e) {
      // Leave the file as it was; memory is only updated after a durable write.
      try {
        ftruncateSync(this.fd, end);
      } catch {}
      throw e;
    }
    for (const n of fresh) this.map.set(bytesToHex(n), autoId.slice());
    return fresh;
  }

  /** Closes the file; later binds fail. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function syncDir(dir: string): void {
  try {
    const d = openSync(dir, 'r');
    try {
      fsyncSync(d);
    } finally {
      closeSync(d);
    }
  } catch {
    // Some platforms cannot fsync a directory; the file's own fsync still holds.
  }
}
