/**
 * The on-disk cache of decoded G1 tables. An entry is written once, after the points were decoded
 * and checked, with write-then-rename (a reader never sees a partial file), and is trusted only
 * when its magic, key and SHA-256 checksum all match; anything else is ignored and rebuilt.
 *
 * Layout: magic `AKZGG1\x01\x00` (8) ‖ parameters SHA-256 (32) ‖ count u32 LE ‖ flags u32 LE
 * (bit 0: subgroup-checked) ‖ count × 96-byte uncompressed points ‖ SHA-256 of all the above (32).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { G1_UNCOMPRESSED_SIZE } from './constants.js';

export interface CacheOptions {
  /** The cache directory (default: $AUTONOMYS_KZG_CACHE_DIR, else `node_modules/.cache/@autonomys/kzg`
   * beside this package, else `<os tmpdir>/autonomys-kzg`). */
  dir?: string;
}

const MAGIC = new TextEncoder().encode('AKZGG1\x01\x00');
const HEADER = MAGIC.length + 32 + 4 + 4;

/** The directories tried, in order. */
export function cacheDirs(opts: CacheOptions = {}): string[] {
  if (opts.dir !== undefined) return [opts.dir];
  const env = process.env.AUTONOMYS_KZG_CACHE_DIR;
  if (env) return [env];
  return [
    fileURLToPath(new URL('../node_modules/.cache/@autonomys/kzg', import.meta.url)),
    join(tmpdir(), 'autonomys-kzg'),
  ];
}

const fileName = (sha256: string, count: number) => `g1-${sha256.slice(0, 32)}-${count}.bin`;

/** The cached table for these parameters, or null when there is no valid entry. */
export function readCache(
  sha256: string,
  count: number,
  subgroupChecked: boolean,
  opts: CacheOptions = {},
): Uint8Array | null {
  for (const dir of cacheDirs(opts)) {
    let data: Uint8Array;
    try {
      data = new Uint8Array(readFileSync(join(dir, fileName(sha256, count))));
    } catch {
      continue;
    }
    const body = HEADER + count * G1_UNCOMPRESSED_SIZE;
    if (data.length !== body + 32) continue;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (!MAGIC.every((b, i) => data[i] === b)) continue;
    if (Buffer.from(data.subarray(MAGIC.length, MAGIC.length + 32)).toString('hex') !== sha256) continue;
    if (view.getUint32(MAGIC.length + 32, true) !== count) continue;
    if (subgroupChecked && (view.getUint32(MAGIC.length + 36, true) & 1) === 0) continue;
    const digest = createHash('sha256').update(data.subarray(0, body)).digest();
    if (!digest.equals(data.subarray(body))) continue;
    return data.slice(HEADER, body);
  }
  return null;
}

/** Writes an entry into the first usable directory; failures are ignored (the cache is optional). */
export function writeCache(
  sha256: string,
  count: number,
  subgroupChecked: boolean,
  table: Uint8Array,
  opts: CacheOptions = {},
): string | null {
  const body = HEADER + count * G1_UNCOMPRESSED_SIZE;
  const data = new Uint8Array(body + 32);
  data.set(MAGIC, 0);
  data.set(Buffer.from(sha256, 'hex'), MAGIC.length);
  const view = new DataView(data.buffer);
  view.setUint32(MAGIC.length + 32, count, true);
  view.setUint32(MAGIC.length + 36, subgroupChecked ? 1 : 0, true);
  data.set(table.subarray(0, count * G1_UNCOMPRESSED_SIZE), HEADER);
  data.set(createHash('sha256').update(data.subarray(0, body)).digest(), body);
  for (const dir of cacheDirs(opts)) {
    const target = join(dir, fileName(sha256, count));
    const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, data);
      renameSync(tmp, target);
      return target;
    } catch {
      rmSync(tmp, { force: true });
    }
  }
  return null;
}
