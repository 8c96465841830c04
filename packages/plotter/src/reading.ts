/**
 * Reading a plotted sector back (farming §4.9): a record's chunks unmasked with regenerated tables,
 * erasure recovery of the record, pieces checked against their stored checksum, and whole-sector
 * checks (contents map and sector checksums, s-bucket sizes against the metadata).
 */
import { recoverSource } from '@autonomys/erasure';
import {
  blake3,
  COMMITMENT_SIZE,
  FULL_BYTES,
  isCanonicalScalarAt,
  PUBLIC_KEY_SIZE,
  publicKeyHash,
  RECORD_METADATA_SIZE,
  sectorEvaluationSeed,
  sectorId,
  WITNESS_SIZE,
} from '@autonomys/primitives';
import { abytes, aint } from './assert.js';
import type { SectorSource } from './auditing.js';
import { PlotterError } from './errors.js';
import {
  type AbortOptions,
  ChiaPosTable,
  type PosTable,
  type PosTableGenerator,
  proofMaskOf,
} from './pos/generator.js';
import {
  decodeSectorContentsMap,
  equal,
  type SectorContentsMap,
  type SectorLayout,
  type SectorMetadata,
  type SectorOptions,
  sBucketOffsets,
  sectorLayout,
} from './sector/layout.js';

/** A sector to read: its bytes, its metadata and the farmer's key. */
export interface SectorReadOptions extends SectorOptions, AbortOptions {
  /** The farmer's 32-byte public key (with the metadata it gives the sector id). */
  publicKey: Uint8Array;
  metadata: SectorMetadata;
  /**
   * The whole sector (`sectorSize(metadata.piecesInSector)` bytes), or a reader of its byte ranges
   * (a file region: reading a record then costs one contents-map read and one read per chunk).
   */
  sector: SectorSource;
  /** Regenerates each record's proof-of-space table (the same kind the sector was plotted with). */
  tableGenerator: PosTableGenerator;
  /** The sector's contents map if already decoded (else it is decoded and its checksum checked). */
  contentsMap?: SectorContentsMap;
}

/** Checked inputs and derived values of one sector. */
export interface SectorContext {
  readonly layout: SectorLayout;
  readonly map: SectorContentsMap;
  readonly sectorId: Uint8Array;
  readonly offsets: Float64Array;
}

function checkReadOptions(o: SectorReadOptions): SectorLayout {
  abytes(o.publicKey, PUBLIC_KEY_SIZE, 'publicKey');
  const m = o.metadata;
  if (m === null || typeof m !== 'object')
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'metadata',
      reason: 'expected sector metadata',
    });
  return sectorLayout(m.piecesInSector, o);
}

function contextOf(
  o: SectorReadOptions,
  layout: SectorLayout,
  mapBytes: Uint8Array | undefined,
): SectorContext {
  const m = o.metadata;
  const map =
    o.contentsMap ??
    decodeSectorContentsMap(mapBytes!, m.piecesInSector, {
      numChunks: layout.numChunks,
      sectorIndex: m.sectorIndex,
    });
  if (map.piecesInSector !== m.piecesInSector || map.numChunks !== layout.numChunks)
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'contentsMap',
      reason: 'another sector size',
    });
  return {
    layout,
    map,
    sectorId: sectorId(publicKeyHash(o.publicKey), m.sectorIndex, m.historySize),
    offsets: sBucketOffsets(map.sBucketSizes(), layout.contentsMapSize),
  };
}

/** The context of an in-memory sector (its bytes checked and its contents map decoded). */
export function sectorContext(o: SectorReadOptions): SectorContext {
  const layout = checkReadOptions(o);
  abytes(o.sector, layout.size, 'sector');
  return contextOf(o, layout, o.sector.subarray(0, layout.contentsMapSize));
}

/** {@link sectorContext} for any {@link SectorSource}: a reader is asked for the contents map. */
export async function sectorContextOf(o: SectorReadOptions): Promise<SectorContext> {
  if (o.sector instanceof Uint8Array) return sectorContext(o);
  const layout = checkReadOptions(o);
  const mapBytes =
    o.contentsMap === undefined ? await readRegion(o.sector, 0, layout.contentsMapSize) : undefined;
  return contextOf(o, layout, mapBytes);
}

/** `length` bytes at `offset` of a sector, from its bytes (a view) or its reader (checked). */
export async function readRegion(sector: SectorSource, offset: number, length: number): Promise<Uint8Array> {
  if (sector instanceof Uint8Array) return sector.subarray(offset, offset + length);
  if (typeof sector !== 'function')
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'sector',
      reason: 'expected bytes or a reader',
    });
  const bytes = await sector(offset, length);
  abytes(bytes, length, 'sector read');
  return bytes;
}

/**
 * The 2·numChunks optional chunks of record `p`, unmasked (null where the record has no chunk):
 * internal, inputs checked by the callers.
 */
export function readRecordShards(
  ctx: SectorContext,
  sector: Uint8Array,
  p: number,
  table: PosTable,
  sectorIndex: number,
): (Uint8Array | null)[] {
  return unmaskRecordChunks(ctx, copyRecordChunks(ctx, sector, p), p, table, sectorIndex);
}

// Chunk reads in flight for a reader source (the libuv pool has 4 threads by default).
const READ_CONCURRENCY = 16;

/** {@link readRecordShards} over any {@link SectorSource}: a reader is asked for each chunk. */
export async function readRecordShardsFrom(
  ctx: SectorContext,
  sector: SectorSource,
  p: number,
  table: PosTable,
  sectorIndex: number,
): Promise<(Uint8Array | null)[]> {
  if (sector instanceof Uint8Array) return readRecordShards(ctx, sector, p, table, sectorIndex);
  return unmaskRecordChunks(ctx, await readRecordChunks(ctx, sector, p), p, table, sectorIndex);
}

/** {@link readRecordChunks} from a sector in memory (synchronous). */
function copyRecordChunks(ctx: SectorContext, sector: Uint8Array, p: number): Uint8Array {
  const { map, offsets } = ctx;
  const positions = map.recordChunkPositions(p);
  const chunks = new Uint8Array(map.numSBuckets * FULL_BYTES);
  // Word copies when the sector is 4-byte aligned (chunk offsets are multiples of 4): no 2^15
  // subarrays to allocate (and collect) while the table is being built beside this.
  const src32 = words(sector.subarray(0, sector.length & ~3));
  const dst32 = words(chunks)!;
  for (let s = 0; s < map.numSBuckets; s++) {
    const j = positions[s]!;
    if (j < 0) continue;
    const at = offsets[s]! + j * FULL_BYTES;
    if (src32 !== undefined && (at & 3) === 0 && at + FULL_BYTES <= sector.length) {
      for (let i = 0, a = at >>> 2, d = s * 8; i < 8; i++) dst32[d + i] = src32[a + i]!;
    } else {
      chunks.set(sector.subarray(at, at + FULL_BYTES), s * FULL_BYTES);
    }
  }
  return chunks;
}

/**
 * The stored (still masked) chunks of record `p`, at `32·s` for each s-bucket s it has a chunk in
 * (zeros elsewhere). Needs no table, so proving reads while the table is being built.
 */
export async function readRecordChunks(
  ctx: SectorContext,
  sector: SectorSource,
  p: number,
): Promise<Uint8Array> {
  if (sector instanceof Uint8Array) return copyRecordChunks(ctx, sector, p);
  const { map, offsets } = ctx;
  const positions = map.recordChunkPositions(p);
  const chunks = new Uint8Array(map.numSBuckets * FULL_BYTES);
  const wanted: number[] = [];
  for (let s = 0; s < map.numSBuckets; s++) if (positions[s]! >= 0) wanted.push(s);
  let next = 0;
  const lane = async () => {
    while (next < wanted.length) {
      const s = wanted[next++]!;
      const at = offsets[s]! + positions[s]! * FULL_BYTES;
      chunks.set(await readRegion(sector, at, FULL_BYTES), s * FULL_BYTES);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, wanted.length) }, lane));
  return chunks;
}

/**
 * Unmasks what {@link readRecordChunks} read, with the record's table (checked as in
 * readRecordShards), in place: the shards are views into `chunks` (a fresh buffer of that function),
 * not 2^15 copies.
 */
export function unmaskRecordChunks(
  ctx: SectorContext,
  chunks: Uint8Array,
  p: number,
  table: PosTable,
  sectorIndex: number,
): (Uint8Array | null)[] {
  unmaskRecordChunksInPlace(ctx, chunks, p, table, sectorIndex);
  const positions = ctx.map.recordChunkPositions(p);
  const shards: (Uint8Array | null)[] = new Array(ctx.map.numSBuckets).fill(null);
  for (let s = 0; s < shards.length; s++)
    if (positions[s]! >= 0) shards[s] = chunks.subarray(s * FULL_BYTES, (s + 1) * FULL_BYTES);
  return shards;
}

/**
 * {@link unmaskRecordChunks} without the array of shards: the record's chunks are unmasked in place in
 * `chunks` (the buffer of readRecordChunks: s-bucket s at 32·s) and checked the same way (a missing
 * proof or a non-canonical chunk is `PLOTTER_CORRUPT_SECTOR`). Proving recovers straight from the
 * buffer (erasure's recoverPolyBytes), so no 2^15 views are made.
 */
export function unmaskRecordChunksInPlace(
  ctx: SectorContext,
  chunks: Uint8Array,
  p: number,
  table: PosTable,
  sectorIndex: number,
): void {
  const { map } = ctx;
  const positions = map.recordChunkPositions(p);
  const corrupt = (reason: string) =>
    new PlotterError({ code: 'PLOTTER_CORRUPT_SECTOR', sectorIndex, pieceOffset: p, reason });
  const pre = table instanceof ChiaPosTable ? table.data.proofMasks : undefined;
  const sBuckets = pre?.sBuckets;
  const flat32 = words(chunks);
  const masks32 = pre === undefined ? undefined : words(pre.masks);
  let mi = 0;
  for (let s = 0; s < map.numSBuckets; s++) {
    if (positions[s]! < 0) continue;
    const at = s * FULL_BYTES;
    if (map.isEncoded(p, s)) {
      if (pre !== undefined && sBuckets !== undefined && s < pre.scanned) {
        while (mi < sBuckets.length && sBuckets[mi]! < s) mi++;
        if (sBuckets[mi] !== s) throw corrupt(`no proof of space for encoded s-bucket ${s}`);
        if (flat32 !== undefined && masks32 !== undefined) {
          for (let i = 0, c = 8 * s, m = 8 * mi; i < 8; i++) flat32[c + i]! ^= masks32[m + i]!;
        } else {
          const masks = pre.masks;
          for (let i = 0, m = 32 * mi; i < FULL_BYTES; i++) chunks[at + i]! ^= masks[m + i]!;
        }
      } else {
        const mask = proofMaskOf(table, s);
        if (mask === undefined) throw corrupt(`no proof of space for encoded s-bucket ${s}`);
        for (let i = 0; i < FULL_BYTES; i++) chunks[at + i]! ^= mask[i]!;
      }
    }
    // Most chunks start below 0x73 (r's top byte): the full comparison only for the others.
    if (chunks[at]! >= 0x73 && !isCanonicalScalarAt(chunks, at))
      throw corrupt(`chunk of s-bucket ${s} is not a canonical scalar`);
  }
}

/** `bytes` as 32-bit words when it is 4-byte aligned (else undefined). */
function words(bytes: Uint8Array | undefined): Uint32Array | undefined {
  if (bytes === undefined || bytes.byteOffset % 4 !== 0 || bytes.length % 4 !== 0) return undefined;
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

/** Commitment, witness and piece checksum of record `p`. */
export function recordMetadata(
  ctx: SectorContext,
  sector: Uint8Array,
  p: number,
): { commitment: Uint8Array; witness: Uint8Array; checksum: Uint8Array } {
  const at = ctx.layout.recordMetadataOffset + p * RECORD_METADATA_SIZE;
  return splitRecordMetadata(sector.subarray(at, at + RECORD_METADATA_SIZE));
}

/** {@link recordMetadata} over any {@link SectorSource}. */
export async function recordMetadataFrom(
  ctx: SectorContext,
  sector: SectorSource,
  p: number,
): Promise<{ commitment: Uint8Array; witness: Uint8Array; checksum: Uint8Array }> {
  const at = ctx.layout.recordMetadataOffset + p * RECORD_METADATA_SIZE;
  return splitRecordMetadata(await readRegion(sector, at, RECORD_METADATA_SIZE));
}

function splitRecordMetadata(m: Uint8Array): {
  commitment: Uint8Array;
  witness: Uint8Array;
  checksum: Uint8Array;
} {
  return {
    commitment: m.slice(0, COMMITMENT_SIZE),
    witness: m.slice(COMMITMENT_SIZE, COMMITMENT_SIZE + WITNESS_SIZE),
    checksum: m.slice(COMMITMENT_SIZE + WITNESS_SIZE, RECORD_METADATA_SIZE),
  };
}

async function tableOf(o: SectorReadOptions, ctx: SectorContext, p: number): Promise<PosTable> {
  return o.tableGenerator.generate(
    sectorEvaluationSeed(ctx.sectorId, p),
    o.signal === undefined ? {} : { signal: o.signal },
  );
}

/**
 * Recovers the record at `pieceOffset` (numChunks·32 bytes of source scalars): its chunks are read
 * and unmasked with the regenerated table, then erasure-recovered. A masked chunk whose s-bucket has
 * no proof, or a chunk that is not a scalar, is `PLOTTER_CORRUPT_SECTOR`.
 * @example const record = await readRecord({ publicKey, metadata, sector, tableGenerator, pieceOffset: 0 });
 */
export async function readRecord(o: SectorReadOptions & { pieceOffset: number }): Promise<Uint8Array> {
  const ctx = await sectorContextOf(o);
  aint(o.pieceOffset, 0, o.metadata.piecesInSector - 1, 'pieceOffset');
  const table = await tableOf(o, ctx, o.pieceOffset);
  const shards = await readRecordShardsFrom(ctx, o.sector, o.pieceOffset, table, o.metadata.sectorIndex);
  return recoverSourceValues(shards, o.metadata.sectorIndex, o.pieceOffset);
}

function recoverSourceValues(
  shards: (Uint8Array | null)[],
  sectorIndex: number,
  pieceOffset: number,
): Uint8Array {
  try {
    return recoverSource(shards);
  } catch (e) {
    throw new PlotterError({
      code: 'PLOTTER_CORRUPT_SECTOR',
      sectorIndex,
      pieceOffset,
      reason: e instanceof Error ? e.message : String(e),
    });
  }
}

/**
 * Serves the piece at `pieceOffset`: the recovered record ‖ commitment ‖ witness, checked against
 * the BLAKE3 checksum stored with it (`PLOTTER_CHECKSUM_MISMATCH`, what 'piece', on a mismatch).
 * @example const piece = await readPiece({ publicKey, metadata, sector, tableGenerator, pieceOffset: 3 });
 */
export async function readPiece(o: SectorReadOptions & { pieceOffset: number }): Promise<Uint8Array> {
  const ctx = await sectorContextOf(o);
  aint(o.pieceOffset, 0, o.metadata.piecesInSector - 1, 'pieceOffset');
  const table = await tableOf(o, ctx, o.pieceOffset);
  const shards = await readRecordShardsFrom(ctx, o.sector, o.pieceOffset, table, o.metadata.sectorIndex);
  const record = recoverSourceValues(shards, o.metadata.sectorIndex, o.pieceOffset);
  const meta = await recordMetadataFrom(ctx, o.sector, o.pieceOffset);
  const piece = new Uint8Array(ctx.layout.pieceSize);
  piece.set(record);
  piece.set(meta.commitment, record.length);
  piece.set(meta.witness, record.length + COMMITMENT_SIZE);
  if (!equal(blake3(piece), meta.checksum, 0))
    throw new PlotterError({
      code: 'PLOTTER_CHECKSUM_MISMATCH',
      what: 'piece',
      sectorIndex: o.metadata.sectorIndex,
      pieceOffset: o.pieceOffset,
    });
  return piece;
}

/**
 * Checks a sector without reading any record back (a scrub): the contents map checksum, the
 * whole-sector checksum, and that the s-bucket sizes the map implies are the metadata's. Throws a
 * `PlotterError` carrying the sector index (`PLOTTER_CHECKSUM_MISMATCH` or
 * `PLOTTER_INVALID_SECTOR_METADATA`).
 * @example checkSector(sector, metadata) // throws on a flipped byte
 */
export function checkSector(sector: Uint8Array, metadata: SectorMetadata, opts: SectorOptions = {}): void {
  const layout = sectorLayout(metadata.piecesInSector, opts);
  abytes(sector, layout.size, 'sector');
  const sectorIndex = metadata.sectorIndex;
  const map = decodeSectorContentsMap(sector.subarray(0, layout.contentsMapSize), metadata.piecesInSector, {
    numChunks: layout.numChunks,
    sectorIndex,
  });
  if (!equal(blake3(sector.subarray(0, layout.checksumOffset)), sector, layout.checksumOffset))
    throw new PlotterError({ code: 'PLOTTER_CHECKSUM_MISMATCH', what: 'sector', sectorIndex });
  const sizes = map.sBucketSizes();
  if (metadata.sBucketSizes.length !== sizes.length || sizes.some((v, s) => v !== metadata.sBucketSizes[s]))
    throw new PlotterError({
      code: 'PLOTTER_INVALID_SECTOR_METADATA',
      reason: 's-bucket sizes differ from the contents map',
      sectorIndex,
    });
}
