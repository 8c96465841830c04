/**
 * Record encoding (farming §4.3) and the column-major s-bucket layout (§4.4). Internal: inputs are
 * checked by `plotSector`.
 */
import { extend } from '@autonomys/erasure';
import { FULL_BYTES } from '@autonomys/primitives';
import { type PosTable, proofMaskOf } from '../pos/generator.js';
import type { SectorContentsMap } from './layout.js';

/** One record as stored: its bitfield and its numChunks slots (encoded chunks first, in s order). */
export interface EncodedRecord {
  /** numSBuckets bits, Lsb0. */
  readonly bitfield: Uint8Array;
  /** numChunks·32 bytes: the E masked chunks, then the numChunks − E unencoded ones (s order). */
  readonly chunks: Uint8Array;
  /** E. */
  readonly encodedChunks: number;
}

/** ext[s] of the interleaved extended record: source at even s, parity at odd s. */
function extAt(record: Uint8Array, parity: Uint8Array, s: number): Uint8Array {
  const i = (s >>> 1) * FULL_BYTES;
  return (s & 1) === 0 ? record.subarray(i, i + FULL_BYTES) : parity.subarray(i, i + FULL_BYTES);
}

/**
 * Encodes one record (numChunks canonical scalars) with the tables of its evaluation seed: walks the
 * s-buckets in order, masking ext[s] with BLAKE3(first proof of s) while fewer than numChunks have
 * been taken, then fills the remaining slots with the unmasked chunks of the first s-buckets left
 * out. Throws the erasure package's error on a non-canonical scalar (the caller wraps it).
 */
export function encodeRecord(record: Uint8Array, table: PosTable, numChunks: number): EncodedRecord {
  const numSBuckets = numChunks * 2;
  const parity = extend(record);
  const bitfield = new Uint8Array(numSBuckets >>> 3);
  const chunks = new Uint8Array(numChunks * FULL_BYTES);
  let e = 0;
  for (let s = 0; s < numSBuckets && e < numChunks; s++) {
    const mask = proofMaskOf(table, s);
    if (mask === undefined) continue;
    const src = extAt(record, parity, s);
    const o = e * FULL_BYTES;
    let any = 0;
    for (let i = 0; i < FULL_BYTES; i++) any |= chunks[o + i] = src[i]! ^ mask[i]!;
    // farming §4.3 step 3 quirk: an all-zero masked chunk counts as "no proof" (probability 2^-256).
    if (any === 0) continue;
    bitfield[s >>> 3]! |= 1 << (s & 7);
    e++;
  }
  // Unencoded tail: the first numChunks − E s-buckets whose bit is clear, unmasked.
  for (let s = 0, slot = e; slot < numChunks; s++) {
    if ((bitfield[s >>> 3]! >>> (s & 7)) & 1) continue;
    chunks.set(extAt(record, parity, s), slot * FULL_BYTES);
    slot++;
  }
  return { bitfield, chunks, encodedChunks: e };
}

/**
 * Writes the s-buckets of a sector column-major (§4.4) into `out` at `offset`: for each s-bucket,
 * for each record that has a chunk there, that chunk. Each record's encoded and unencoded chunks
 * are consumed in s order from their two runs of its stored slots.
 */
export function writeSBuckets(
  records: readonly EncodedRecord[],
  map: SectorContentsMap,
  out: Uint8Array,
  offset: number,
): void {
  const pieces = records.length;
  const enc = new Uint32Array(pieces); // next encoded slot per record
  const unenc = new Uint32Array(pieces); // next unencoded slot per record (from E)
  for (let p = 0; p < pieces; p++) unenc[p] = records[p]!.encodedChunks;
  let o = offset;
  for (let s = 0; s < map.numSBuckets; s++) {
    for (let p = 0; p < pieces; p++) {
      let slot: number;
      if (map.isEncoded(p, s)) slot = enc[p]!++;
      else if (map.hasChunk(p, s)) slot = unenc[p]!++;
      else continue;
      const c = records[p]!.chunks;
      // A 32-byte copy by hand: no subarray per chunk (a full sector has 32 M of them).
      for (let i = 0, j = slot * FULL_BYTES; i < FULL_BYTES; i++) out[o + i] = c[j + i]!;
      o += FULL_BYTES;
    }
  }
}
