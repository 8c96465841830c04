/**
 * Segment headers and the history indexes around them (archiving §3.2, §3.6): SegmentIndex,
 * PieceIndex, HistorySize, ArchivedBlockProgress, LastArchivedBlock, SegmentHeader.
 *
 * u64 values (segment and piece indexes, history sizes) are bigints: exact over the whole range.
 * Block numbers are u32 and byte counts fit u32, so they are numbers.
 */
import { abigint, abytes, auint } from './assert.js';
import { blake3 } from './blake3.js';
import {
  BLAKE3_HASH_SIZE,
  COMMITMENT_SIZE,
  MIN_SECTOR_LIFETIME,
  NUM_PIECES,
  SEGMENT_HEADER_SIZE_COMPLETE,
  SEGMENT_HEADER_SIZE_PARTIAL,
} from './constants.js';
import { PrimitivesError } from './errors.js';
import { ScaleReader, ScaleWriter, U64_MAX } from './scale.js';

const U32_MAX = 0xffff_ffff;
const PIECES = BigInt(NUM_PIECES);

/** A segment index (u64). */
export type SegmentIndex = bigint;
/** A piece index (u64): `segment_index · 256 + position`. */
export type PieceIndex = bigint;
/** The number of archived segments, at least 1 (`NonZeroU64`). */
export type HistorySize = bigint;

function aU64(v: unknown, what: string): asserts v is bigint {
  abigint(v, what, U64_MAX);
}

// ---- PieceIndex (archiving §3.6) ----

/** The segment a piece belongs to. @example pieceIndexSegmentIndex(300n) // 1n */
export function pieceIndexSegmentIndex(pieceIndex: PieceIndex): SegmentIndex {
  aU64(pieceIndex, 'piece index');
  return pieceIndex / PIECES;
}

/** The position of a piece in its segment, 0..255 (even: source, odd: parity). */
export function pieceIndexPosition(pieceIndex: PieceIndex): number {
  aU64(pieceIndex, 'piece index');
  return Number(pieceIndex % PIECES);
}

/** True for source pieces (even positions). */
export function isSourcePieceIndex(pieceIndex: PieceIndex): boolean {
  return pieceIndexPosition(pieceIndex) % 2 === 0;
}

/** The source record position (0..127) of a source piece; parity pieces are `PRIMITIVES_OUT_OF_RANGE`. */
export function pieceIndexSourcePosition(pieceIndex: PieceIndex): number {
  const p = pieceIndexPosition(pieceIndex);
  if (p % 2 !== 0) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_OUT_OF_RANGE',
      what: 'piece index (not a source piece)',
      value: String(pieceIndex),
    });
  }
  return p / 2;
}

/** The piece index of source record `sourcePosition` (0..127) of a segment. */
export function pieceIndexFromSourcePosition(sourcePosition: number, segmentIndex: SegmentIndex): PieceIndex {
  auint(sourcePosition, 'source position', NUM_PIECES / 2 - 1);
  return segmentFirstPieceIndex(segmentIndex) + BigInt(2 * sourcePosition);
}

/** `PieceIndex` SCALE: 8 bytes little-endian. */
export function encodePieceIndex(pieceIndex: PieceIndex): Uint8Array {
  aU64(pieceIndex, 'piece index');
  return new ScaleWriter(8).u64(pieceIndex).finish();
}

/** Decodes an 8-byte little-endian piece index. */
export function decodePieceIndex(bytes: Uint8Array): PieceIndex {
  abytes(bytes, 8, 'piece index');
  return new ScaleReader(bytes, 'piece index').u64();
}

// ---- SegmentIndex ----

/** The first piece of a segment. @example segmentFirstPieceIndex(2n) // 512n */
export function segmentFirstPieceIndex(segmentIndex: SegmentIndex): PieceIndex {
  aU64(segmentIndex, 'segment index');
  const first = segmentIndex * PIECES;
  if (first > U64_MAX)
    throw new PrimitivesError({
      code: 'PRIMITIVES_OUT_OF_RANGE',
      what: 'segment index',
      value: String(segmentIndex),
      max: String(U64_MAX / PIECES),
    });
  return first;
}

/** The last piece of a segment. */
export function segmentLastPieceIndex(segmentIndex: SegmentIndex): PieceIndex {
  return segmentFirstPieceIndex(segmentIndex) + PIECES - 1n;
}

/** The segment's 256 piece indexes in order. */
export function segmentPieceIndexes(segmentIndex: SegmentIndex): PieceIndex[] {
  const first = segmentFirstPieceIndex(segmentIndex);
  return Array.from({ length: NUM_PIECES }, (_, i) => first + BigInt(i));
}

/** The segment's piece indexes, sources first (`+0, +2, …, +254, +1, +3, …, +255`). */
export function segmentPieceIndexesSourceFirst(segmentIndex: SegmentIndex): PieceIndex[] {
  const first = segmentFirstPieceIndex(segmentIndex);
  const out: PieceIndex[] = [];
  for (let i = 0; i < NUM_PIECES; i += 2) out.push(first + BigInt(i));
  for (let i = 1; i < NUM_PIECES; i += 2) out.push(first + BigInt(i));
  return out;
}

/** `SegmentIndex` SCALE: 8 bytes little-endian. */
export function encodeSegmentIndex(segmentIndex: SegmentIndex): Uint8Array {
  aU64(segmentIndex, 'segment index');
  return new ScaleWriter(8).u64(segmentIndex).finish();
}

/** Decodes an 8-byte little-endian segment index. */
export function decodeSegmentIndex(bytes: Uint8Array): SegmentIndex {
  abytes(bytes, 8, 'segment index');
  return new ScaleReader(bytes, 'segment index').u64();
}

// ---- HistorySize ----

/** Asserts a valid history size (1 ..= 2^64 - 1). */
export function assertHistorySize(historySize: unknown): asserts historySize is HistorySize {
  aU64(historySize, 'history size');
  if (historySize === 0n)
    throw new PrimitivesError({
      code: 'PRIMITIVES_OUT_OF_RANGE',
      what: 'history size',
      value: '0',
      min: '1',
    });
}

/** The history size once segment `segmentIndex` is archived: `segmentIndex + 1`. */
export function historySizeFromSegmentIndex(segmentIndex: SegmentIndex): HistorySize {
  aU64(segmentIndex, 'segment index');
  if (segmentIndex === U64_MAX)
    throw new PrimitivesError({
      code: 'PRIMITIVES_OUT_OF_RANGE',
      what: 'segment index',
      value: String(segmentIndex),
    });
  return segmentIndex + 1n;
}

/** The last archived segment of a history: `historySize - 1`. */
export function historySizeSegmentIndex(historySize: HistorySize): SegmentIndex {
  assertHistorySize(historySize);
  return historySize - 1n;
}

/** The number of pieces in a history: `historySize · 256` (`PRIMITIVES_OUT_OF_RANGE` past u64). */
export function historySizeInPieces(historySize: HistorySize): bigint {
  assertHistorySize(historySize);
  const n = historySize * PIECES;
  if (n > U64_MAX)
    throw new PrimitivesError({
      code: 'PRIMITIVES_OUT_OF_RANGE',
      what: 'history size in pieces',
      value: String(n),
      max: String(U64_MAX),
    });
  return n;
}

/**
 * The history size at which a sector's expiration is decided: `historySize + MIN_SECTOR_LIFETIME`
 * (farming §4.8), or `undefined` on u64 overflow (which consensus reports as an invalid history size).
 */
export function sectorExpirationCheckHistorySize(
  historySize: HistorySize,
  minSectorLifetime = MIN_SECTOR_LIFETIME,
): HistorySize | undefined {
  assertHistorySize(historySize);
  auint(minSectorLifetime, 'min sector lifetime');
  const v = historySize + BigInt(minSectorLifetime);
  return v > U64_MAX ? undefined : v;
}

/** `HistorySize` SCALE: 8 bytes little-endian, never zero. */
export function encodeHistorySize(historySize: HistorySize): Uint8Array {
  assertHistorySize(historySize);
  return new ScaleWriter(8).u64(historySize).finish();
}

/** Decodes a history size; zero is `PRIMITIVES_OUT_OF_RANGE` (it is a `NonZeroU64`). */
export function decodeHistorySize(bytes: Uint8Array): HistorySize {
  abytes(bytes, 8, 'history size');
  const v = new ScaleReader(bytes, 'history size').u64();
  assertHistorySize(v);
  return v;
}

// ---- ArchivedBlockProgress, LastArchivedBlock ----

/** How much of the last archived block is in the archived history. */
export type ArchivedBlockProgress =
  | { readonly type: 'complete' }
  | { readonly type: 'partial'; readonly bytes: number };

/** The last block (partially) included in the archived history. */
export interface LastArchivedBlock {
  /** Block number (u32). */
  readonly number: number;
  readonly archivedProgress: ArchivedBlockProgress;
}

/** Writes `ArchivedBlockProgress`: `0x00` (Complete) or `0x01 ‖ u32 LE` (Partial). */
export function writeArchivedBlockProgress(w: ScaleWriter, p: ArchivedBlockProgress): void {
  if (p.type === 'complete') {
    w.u8(0);
    return;
  }
  if (p.type !== 'partial')
    throw new PrimitivesError({
      code: 'PRIMITIVES_INVALID_ARGUMENT',
      what: 'archived progress',
      reason: 'type must be complete or partial',
    });
  auint(p.bytes, 'archived progress bytes', U32_MAX);
  w.u8(1).u32(p.bytes);
}

export function readArchivedBlockProgress(r: ScaleReader): ArchivedBlockProgress {
  return r.tag(2, 'ArchivedBlockProgress') === 0
    ? { type: 'complete' }
    : { type: 'partial', bytes: r.u32('partial bytes') };
}

export function writeLastArchivedBlock(w: ScaleWriter, b: LastArchivedBlock): void {
  auint(b.number, 'block number', U32_MAX);
  w.u32(b.number);
  writeArchivedBlockProgress(w, b.archivedProgress);
}

export function readLastArchivedBlock(r: ScaleReader): LastArchivedBlock {
  const number = r.u32('block number');
  return { number, archivedProgress: readArchivedBlockProgress(r) };
}

/** `LastArchivedBlock` SCALE: `number u32 LE ‖ progress` (5 or 9 bytes). */
export function encodeLastArchivedBlock(b: LastArchivedBlock): Uint8Array {
  const w = new ScaleWriter(9);
  writeLastArchivedBlock(w, b);
  return w.finish();
}

export function decodeLastArchivedBlock(bytes: Uint8Array): LastArchivedBlock {
  const r = new ScaleReader(bytes, 'LastArchivedBlock');
  const v = readLastArchivedBlock(r);
  r.finish();
  return v;
}

// ---- SegmentHeader (archiving §3.2) ----

/** `SegmentHeader::V0`, the only version. */
export interface SegmentHeader {
  readonly segmentIndex: SegmentIndex;
  /** 48-byte KZG commitment to the segment's 256 record-commitment hashes. */
  readonly segmentCommitment: Uint8Array;
  /** BLAKE3 of the previous header's SCALE bytes; 32 zero bytes for segment 0. */
  readonly prevSegmentHeaderHash: Uint8Array;
  readonly lastArchivedBlock: LastArchivedBlock;
}

/** Writes `0x00 ‖ index u64 ‖ commitment 48 ‖ prev hash 32 ‖ last archived block`. */
export function writeSegmentHeader(w: ScaleWriter, h: SegmentHeader): void {
  aU64(h.segmentIndex, 'segment index');
  abytes(h.segmentCommitment, COMMITMENT_SIZE, 'segment commitment');
  abytes(h.prevSegmentHeaderHash, BLAKE3_HASH_SIZE, 'previous segment header hash');
  w.u8(0).u64(h.segmentIndex).bytes(h.segmentCommitment).bytes(h.prevSegmentHeaderHash);
  writeLastArchivedBlock(w, h.lastArchivedBlock);
}

export function readSegmentHeader(r: ScaleReader): SegmentHeader {
  r.tag(1, 'SegmentHeader version');
  return {
    segmentIndex: r.u64('segment index'),
    segmentCommitment: r.fixed(COMMITMENT_SIZE, 'segment commitment'),
    prevSegmentHeaderHash: r.fixed(BLAKE3_HASH_SIZE, 'previous segment header hash'),
    lastArchivedBlock: readLastArchivedBlock(r),
  };
}

/**
 * SCALE bytes of a segment header (94 bytes, or 98 when the last block is partial).
 * @example encodeSegmentHeader(header).length // 94
 */
export function encodeSegmentHeader(h: SegmentHeader): Uint8Array {
  const w = new ScaleWriter(SEGMENT_HEADER_SIZE_PARTIAL);
  writeSegmentHeader(w, h);
  return w.finish();
}

/** Decodes a segment header; anything but exactly one V0 header is a `PrimitivesError`. */
export function decodeSegmentHeader(bytes: Uint8Array): SegmentHeader {
  abytes(bytes, undefined, 'segment header');
  if (bytes.length !== SEGMENT_HEADER_SIZE_COMPLETE && bytes.length !== SEGMENT_HEADER_SIZE_PARTIAL) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_INVALID_LENGTH',
      what: 'segment header',
      expected: `${SEGMENT_HEADER_SIZE_COMPLETE} or ${SEGMENT_HEADER_SIZE_PARTIAL}`,
      actual: bytes.length,
    });
  }
  const r = new ScaleReader(bytes, 'segment header');
  const h = readSegmentHeader(r);
  r.finish();
  return h;
}

/** `SegmentHeader::hash()`: BLAKE3-256 of the header's SCALE bytes (what the next header chains to). */
export function segmentHeaderHash(h: SegmentHeader): Uint8Array {
  return blake3(encodeSegmentHeader(h));
}

/** Equality of two headers by value. */
export function segmentHeadersEqual(a: SegmentHeader, b: SegmentHeader): boolean {
  const ea = encodeSegmentHeader(a);
  const eb = encodeSegmentHeader(b);
  return ea.length === eb.length && ea.every((x, i) => x === eb[i]);
}
