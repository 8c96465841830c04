/**
 * Sector layout (farming §4.4-§4.7): sizes, the sector contents map (which s-buckets hold an
 * encoded chunk of each record) and the checksummed sector metadata. Sizes are parameters
 * (`piecesInSector`, `numChunks`) so tests run small sectors on the same code; the defaults are the
 * network's (32 768 chunks per record, 65 536 s-buckets).
 */
import {
  BLAKE3_HASH_SIZE,
  blake3,
  COMMITMENT_SIZE,
  FULL_BYTES,
  NUM_CHUNKS,
  RECORD_METADATA_SIZE,
  WITNESS_SIZE,
} from '@autonomys/primitives';
import { abytes, aint } from '../assert.js';
import { PlotterError } from '../errors.js';

/** Sizes of a sector's records; the default is the network's. */
export interface SectorOptions {
  /**
   * Chunks per record (a power of two in [4, 32 768]); a record occupies `numChunks` of the
   * `2·numChunks` s-buckets. Default `NUM_CHUNKS` (32 768). Smaller values are for tests only.
   */
  numChunks?: number;
}

/** Where everything is in one sector (farming §4.6). All offsets in bytes from the sector start. */
export interface SectorLayout {
  readonly piecesInSector: number;
  readonly numChunks: number;
  /** `2·numChunks`. */
  readonly numSBuckets: number;
  /** Bytes of one record's bitfield: `numSBuckets / 8`. */
  readonly bitfieldSize: number;
  /** `piecesInSector · bitfieldSize + 32` (the map is at offset 0). */
  readonly contentsMapSize: number;
  /** Bytes of a record (`numChunks · 32`) and of a piece (record ‖ commitment ‖ witness). */
  readonly recordSize: number;
  readonly pieceSize: number;
  /** Start of the s-buckets (= contentsMapSize); they take `piecesInSector · recordSize` bytes. */
  readonly sBucketsOffset: number;
  /** Start of the per-piece record metadata: commitment 48 ‖ witness 48 ‖ BLAKE3(piece) 32. */
  readonly recordMetadataOffset: number;
  /** Start of the last 32 bytes: BLAKE3 of everything before them. */
  readonly checksumOffset: number;
  /** Total bytes: `pieces · (recordSize + 128 + bitfieldSize) + 64`. */
  readonly size: number;
}

/** The record size parameter, checked: a power of two in [4, 2^15] (whole bitfield bytes). */
export function anumChunks(numChunks: number | undefined): number {
  const n = numChunks ?? NUM_CHUNKS;
  aint(n, 4, NUM_CHUNKS, 'numChunks');
  if ((n & (n - 1)) !== 0)
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'numChunks',
      reason: 'not a power of two',
    });
  return n;
}

/**
 * The layout of a sector of `piecesInSector` pieces (1..65 535).
 * @example sectorLayout(1000).size // 1 056 896 064
 */
export function sectorLayout(piecesInSector: number, opts: SectorOptions = {}): SectorLayout {
  aint(piecesInSector, 1, 0xffff, 'piecesInSector');
  const numChunks = anumChunks(opts.numChunks);
  const numSBuckets = numChunks * 2;
  const bitfieldSize = numSBuckets / 8;
  const recordSize = numChunks * FULL_BYTES;
  const contentsMapSize = piecesInSector * bitfieldSize + BLAKE3_HASH_SIZE;
  const recordMetadataOffset = contentsMapSize + piecesInSector * recordSize;
  const checksumOffset = recordMetadataOffset + piecesInSector * RECORD_METADATA_SIZE;
  return {
    piecesInSector,
    numChunks,
    numSBuckets,
    bitfieldSize,
    contentsMapSize,
    recordSize,
    pieceSize: recordSize + COMMITMENT_SIZE + WITNESS_SIZE,
    sBucketsOffset: contentsMapSize,
    recordMetadataOffset,
    checksumOffset,
    size: checksumOffset + BLAKE3_HASH_SIZE,
  };
}

/** Bytes of a sector: `pieces · (1 048 576 + 128 + 8192) + 64` at the network's record size. */
export function sectorSize(piecesInSector: number, opts: SectorOptions = {}): number {
  return sectorLayout(piecesInSector, opts).size;
}

/** Bytes of a sector contents map: `pieces · 8192 + 32` at the network's record size. */
export function sectorContentsMapSize(piecesInSector: number, opts: SectorOptions = {}): number {
  return sectorLayout(piecesInSector, opts).contentsMapSize;
}

/** The bytes [i, end) (fewer than 4) as the low bytes of a word. */
function partialWord(bits: Uint8Array, i: number, end: number): number {
  let w = 0;
  for (let k = 0; i + k < end; k++) w |= bits[i + k]! << (8 * k);
  return w;
}

// Set bits per byte value.
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >>> 1]!;

/**
 * Which s-buckets hold a chunk of each record (farming §4.3, §4.5). Per piece offset a bitfield of
 * `numSBuckets` bits, bit s in byte s/8 at position s%8 from the least significant bit (bitvec
 * `Lsb0`): set = the record's chunk in s-bucket s is encoded (masked). A record with E < numChunks
 * encoded chunks also stores unencoded chunks in the first `numChunks − E` s-buckets whose bit is 0.
 */
export class SectorContentsMap {
  readonly piecesInSector: number;
  readonly numChunks: number;
  readonly numSBuckets: number;
  /** The bitfields, `piecesInSector · numSBuckets / 8` bytes, record after record. */
  readonly bitfields: Uint8Array;
  /** E per record: the number of encoded chunks (popcount of its bitfield). */
  readonly encodedChunks: Uint32Array;
  // Per record: unencoded chunks sit in the s-buckets below this whose bit is 0 (0 when E = numChunks).
  readonly #unencodedEnd: Uint32Array;
  #sizes: Uint16Array | undefined;
  #positions: { p: number; out: Int32Array } | undefined;

  /**
   * Wraps bitfields (kept, not copied). Throws `PLOTTER_INVALID_CONTENTS_MAP` when a record has more
   * than `numChunks` bits set.
   * @example new SectorContentsMap(2, new Uint8Array(2 * 8192))
   */
  constructor(piecesInSector: number, bitfields: Uint8Array, opts: SectorOptions = {}) {
    const layout = sectorLayout(piecesInSector, opts);
    abytes(bitfields, piecesInSector * layout.bitfieldSize, 'bitfields');
    this.piecesInSector = piecesInSector;
    this.numChunks = layout.numChunks;
    this.numSBuckets = layout.numSBuckets;
    this.bitfields = bitfields;
    this.encodedChunks = new Uint32Array(piecesInSector);
    this.#unencodedEnd = new Uint32Array(piecesInSector);
    const bf = layout.bitfieldSize;
    for (let p = 0; p < piecesInSector; p++) {
      let e = 0;
      for (let i = p * bf, end = i + bf; i < end; i++) e += POPCOUNT[bitfields[i]!]!;
      if (e > this.numChunks)
        throw new PlotterError({
          code: 'PLOTTER_INVALID_CONTENTS_MAP',
          pieceOffset: p,
          encodedChunks: e,
          max: this.numChunks,
        });
      this.encodedChunks[p] = e;
      let missing = this.numChunks - e;
      if (missing === 0) continue;
      // Total zero bits = 2·numChunks − E > numChunks − E, so this always stops inside the record.
      let s = 0;
      for (; missing > 0; s++) if (!this.isEncoded(p, s)) missing--;
      this.#unencodedEnd[p] = s;
    }
  }

  /** Whether record `pieceOffset` has an encoded (masked) chunk in s-bucket `sBucket`. */
  isEncoded(pieceOffset: number, sBucket: number): boolean {
    return (
      ((this.bitfields[pieceOffset * (this.numSBuckets >>> 3) + (sBucket >>> 3)]! >>> (sBucket & 7)) & 1) ===
      1
    );
  }

  /** Whether record `pieceOffset` has a chunk (encoded or not) in s-bucket `sBucket`. */
  hasChunk(pieceOffset: number, sBucket: number): boolean {
    return this.isEncoded(pieceOffset, sBucket) || sBucket < this.#unencodedEnd[pieceOffset]!;
  }

  /** Chunks per s-bucket (Σ = piecesInSector · numChunks); computed once. */
  sBucketSizes(): Uint16Array {
    if (this.#sizes !== undefined) return this.#sizes;
    const sizes = new Uint16Array(this.numSBuckets);
    const bf = this.numSBuckets >>> 3;
    for (let p = 0; p < this.piecesInSector; p++) {
      const base = p * bf;
      for (let i = 0; i < bf; i++) {
        const b = this.bitfields[base + i]!;
        if (b === 0) continue;
        for (let j = 0; j < 8; j++) if ((b >>> j) & 1) sizes[i * 8 + j]!++;
      }
      const end = this.#unencodedEnd[p]!;
      for (let s = 0; s < end; s++) if (!this.isEncoded(p, s)) sizes[s]!++;
    }
    this.#sizes = sizes;
    return sizes;
  }

  /** The records with a chunk in s-bucket `sBucket`, in s-bucket order (= piece-offset order). */
  sBucketRecords(sBucket: number): { pieceOffset: number; encoded: boolean }[] {
    const out: { pieceOffset: number; encoded: boolean }[] = [];
    for (let p = 0; p < this.piecesInSector; p++) {
      if (this.isEncoded(p, sBucket)) out.push({ pieceOffset: p, encoded: true });
      else if (sBucket < this.#unencodedEnd[p]!) out.push({ pieceOffset: p, encoded: false });
    }
    return out;
  }

  /**
   * Position of record `pieceOffset`'s chunk inside every s-bucket (the number of earlier records with
   * a chunk there), -1 where it has none: `numSBuckets` entries. The earlier records' chunk bits are
   * summed 32 s-buckets at a time in bit-sliced counters (a few ms for the last record of a
   * 1000-piece sector, where a count per bit took ~0.3 s); the last result is kept, since reading and
   * unmasking a record both ask for it.
   */
  recordChunkPositions(pieceOffset: number): Int32Array {
    const last = this.#positions;
    if (last !== undefined && last.p === pieceOffset) return last.out.slice();
    const nS = this.numSBuckets;
    const bf = nS >>> 3;
    const words = (nS + 31) >>> 5;
    const planes = Math.max(1, 32 - Math.clz32(pieceOffset)); // bits of the largest count, pieceOffset
    const count = new Uint32Array(planes * words); // plane k of word j at k·words + j
    const bits = this.bitfields;
    for (let p = 0; p < pieceOffset; p++) {
      const end = this.#unencodedEnd[p]!;
      const base = p * bf;
      for (let j = 0, i = base, s0 = 0; j < words; j++, i += 4, s0 += 32) {
        // The record's chunk bits of s-buckets s0..s0+31: encoded, or unencoded below `end`.
        let w =
          bf - (i - base) >= 4
            ? bits[i]! | (bits[i + 1]! << 8) | (bits[i + 2]! << 16) | (bits[i + 3]! << 24)
            : partialWord(bits, i, base + bf);
        if (end > s0) w |= end - s0 >= 32 ? -1 : (1 << (end - s0)) - 1;
        // Ripple-carry add of the 32 one-bit numbers in w to the 32 counters of this word.
        for (let k = j; w !== 0; k += words) {
          const c = count[k]!;
          count[k] = c ^ w;
          w &= c;
        }
      }
    }
    const out = new Int32Array(nS);
    for (let s = 0; s < nS; s++) {
      if (!this.hasChunk(pieceOffset, s)) {
        out[s] = -1;
        continue;
      }
      let v = 0;
      for (let k = 0, at = s >>> 5, b = s & 31; k < planes; k++, at += words)
        v |= ((count[at]! >>> b) & 1) << k;
      out[s] = v;
    }
    this.#positions = { p: pieceOffset, out };
    return out.slice();
  }
}

/**
 * The on-disk form of a contents map: the bitfields then BLAKE3 of them (farming §4.5).
 * @example encodeSectorContentsMap(map).length // pieces · 8192 + 32
 */
export function encodeSectorContentsMap(map: SectorContentsMap): Uint8Array {
  const out = new Uint8Array(map.bitfields.length + BLAKE3_HASH_SIZE);
  out.set(map.bitfields);
  out.set(blake3(map.bitfields), map.bitfields.length);
  return out;
}

/**
 * Decodes a contents map (copying it): rejects a wrong length (`PLOTTER_INVALID_LENGTH`), a bad
 * checksum (`PLOTTER_CHECKSUM_MISMATCH`) and a record with too many encoded chunks
 * (`PLOTTER_INVALID_CONTENTS_MAP`).
 * @example decodeSectorContentsMap(sector.subarray(0, sectorContentsMapSize(pieces)), pieces)
 */
export function decodeSectorContentsMap(
  bytes: Uint8Array,
  piecesInSector: number,
  opts: SectorOptions & { sectorIndex?: number } = {},
): SectorContentsMap {
  const layout = sectorLayout(piecesInSector, opts);
  abytes(bytes, layout.contentsMapSize, 'sector contents map');
  const bitfields = bytes.slice(0, layout.contentsMapSize - BLAKE3_HASH_SIZE);
  if (!equal(blake3(bitfields), bytes, bitfields.length))
    throw new PlotterError({
      code: 'PLOTTER_CHECKSUM_MISMATCH',
      what: 'sector contents map',
      ...(opts.sectorIndex === undefined ? {} : { sectorIndex: opts.sectorIndex }),
    });
  return new SectorContentsMap(piecesInSector, bitfields, opts);
}

/** Whether `hash` equals the 32 bytes of `bytes` at `offset`. */
export function equal(hash: Uint8Array, bytes: Uint8Array, offset: number): boolean {
  let d = 0;
  for (let i = 0; i < hash.length; i++) d |= hash[i]! ^ bytes[offset + i]!;
  return d === 0;
}

/** What the farm keeps about each sector beside the sector itself (farming §4.7). */
export interface SectorMetadata {
  /** u16. */
  readonly sectorIndex: number;
  /** u16: records in the sector. */
  readonly piecesInSector: number;
  /** Chunks per s-bucket, `numSBuckets` entries. */
  readonly sBucketSizes: Uint16Array;
  /** The history size the sector was plotted at (≥ 1). */
  readonly historySize: bigint;
}

/** Bytes of encoded `SectorMetadataChecksummed`: 131 116 at the network's record size. */
export function sectorMetadataChecksummedSize(opts: SectorOptions = {}): number {
  return 2 + 2 + 2 * 2 * anumChunks(opts.numChunks) + 8 + BLAKE3_HASH_SIZE;
}

function checkMetadata(m: SectorMetadata, numSBuckets: number, numChunks: number): void {
  const bad = (reason: string): never => {
    throw new PlotterError({ code: 'PLOTTER_INVALID_SECTOR_METADATA', reason, sectorIndex: m.sectorIndex });
  };
  if (m.historySize < 1n || m.historySize > 0xffffffffffffffffn) bad('history size outside [1, 2^64)');
  let sum = 0;
  for (let s = 0; s < numSBuckets; s++) {
    const v = m.sBucketSizes[s]!;
    if (v > m.piecesInSector) bad(`s-bucket ${s} holds ${v} chunks, more than ${m.piecesInSector} records`);
    sum += v;
  }
  if (sum !== m.piecesInSector * numChunks)
    bad(`s-bucket sizes add up to ${sum}, not ${m.piecesInSector * numChunks}`);
}

/**
 * SCALE `(sector_index u16, pieces_in_sector u16, s_bucket_sizes [u16; numSBuckets], history_size
 * u64)` followed by BLAKE3 of those bytes: the `SectorMetadataChecksummed` of farming §4.7.
 * @example encodeSectorMetadataChecksummed(metadata).length // 131 116
 */
export function encodeSectorMetadataChecksummed(m: SectorMetadata, opts: SectorOptions = {}): Uint8Array {
  const numChunks = anumChunks(opts.numChunks);
  const numSBuckets = numChunks * 2;
  aint(m.sectorIndex, 0, 0xffff, 'sectorIndex');
  aint(m.piecesInSector, 1, 0xffff, 'piecesInSector');
  if (!(m.sBucketSizes instanceof Uint16Array) || m.sBucketSizes.length !== numSBuckets)
    throw new PlotterError({
      code: 'PLOTTER_INVALID_LENGTH',
      what: 'sBucketSizes',
      expected: numSBuckets,
      actual: (m.sBucketSizes as { length?: number } | undefined)?.length ?? 0,
    });
  if (typeof m.historySize !== 'bigint')
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'historySize',
      reason: 'expected a bigint',
    });
  checkMetadata(m, numSBuckets, numChunks);
  const size = sectorMetadataChecksummedSize(opts);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint16(0, m.sectorIndex, true);
  v.setUint16(2, m.piecesInSector, true);
  for (let s = 0; s < numSBuckets; s++) v.setUint16(4 + 2 * s, m.sBucketSizes[s]!, true);
  v.setBigUint64(4 + 2 * numSBuckets, m.historySize, true);
  const body = size - BLAKE3_HASH_SIZE;
  out.set(blake3(out.subarray(0, body)), body);
  return out;
}

/**
 * Decodes `SectorMetadataChecksummed`: a wrong length, a bad checksum, or sizes that cannot describe
 * a sector (an s-bucket with more chunks than records, a total other than pieces · numChunks, a zero
 * history size) are `PlotterError`s.
 * @example decodeSectorMetadataChecksummed(bytes).sBucketSizes.length // 65 536
 */
export function decodeSectorMetadataChecksummed(bytes: Uint8Array, opts: SectorOptions = {}): SectorMetadata {
  const numChunks = anumChunks(opts.numChunks);
  const numSBuckets = numChunks * 2;
  const size = sectorMetadataChecksummedSize(opts);
  abytes(bytes, size, 'sector metadata');
  const body = size - BLAKE3_HASH_SIZE;
  if (!equal(blake3(bytes.subarray(0, body)), bytes, body))
    throw new PlotterError({ code: 'PLOTTER_CHECKSUM_MISMATCH', what: 'sector metadata' });
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sBucketSizes = new Uint16Array(numSBuckets);
  for (let s = 0; s < numSBuckets; s++) sBucketSizes[s] = v.getUint16(4 + 2 * s, true);
  const m: SectorMetadata = {
    sectorIndex: v.getUint16(0, true),
    piecesInSector: v.getUint16(2, true),
    sBucketSizes,
    historySize: v.getBigUint64(4 + 2 * numSBuckets, true),
  };
  if (m.piecesInSector === 0)
    throw new PlotterError({
      code: 'PLOTTER_INVALID_SECTOR_METADATA',
      reason: 'zero pieces in sector',
      sectorIndex: m.sectorIndex,
    });
  checkMetadata(m, numSBuckets, numChunks);
  return m;
}

/** Byte offsets of every s-bucket in a sector (prefix sums of the sizes), cached per sizes array. */
const offsetsCache = new WeakMap<Uint16Array, Float64Array>();
export function sBucketOffsets(sBucketSizes: Uint16Array, contentsMapSize: number): Float64Array {
  let o = offsetsCache.get(sBucketSizes);
  if (o !== undefined && o[0] === contentsMapSize) return o;
  o = new Float64Array(sBucketSizes.length + 1);
  o[0] = contentsMapSize;
  for (let s = 0; s < sBucketSizes.length; s++) o[s + 1] = o[s]! + FULL_BYTES * sBucketSizes[s]!;
  offsetsCache.set(sBucketSizes, o);
  return o;
}
