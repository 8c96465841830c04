/**
 * Fetching an archived object back from pieces, given its mapping (archiving §3.7,
 * pot-consensus-dsn C.7). An object is a SCALE `Vec<u8>` (compact length, then the bytes) starting
 * at `offset` of the raw record of a source piece; it may run on into the following source pieces
 * and into the next segment, where the parent header and continuation framing intervene and the
 * previous segment's zero padding (0-5 bytes, not recorded anywhere) must be skipped: each possible
 * padding length is tried, and the bytes whose BLAKE3 equals the mapping's hash win.
 */
import {
  blake3,
  compactLength,
  equalBytes,
  type GlobalObject,
  readSegmentHeader,
  ScaleReader,
} from '@autonomys/primitives';
import { ArchiverError } from './errors.js';
import { type ArchivingParams, segmentGeometry } from './params.js';
import {
  SEGMENT_ITEM_BLOCK_CONTINUATION,
  SEGMENT_ITEM_PARENT_SEGMENT_HEADER,
  segmentItemEncodedSize,
} from './segment.js';

/** Returns the piece with this index (any source: a plot, a cache, the network), or undefined. */
export type PieceGetter = (
  pieceIndex: bigint,
  opts?: { signal?: AbortSignal },
) => Promise<Uint8Array | undefined>;

export interface FetchObjectOptions {
  readonly params?: ArchivingParams;
  readonly signal?: AbortSignal;
  /** Largest object accepted (default: about one segment, as the reference). */
  readonly maxObjectSize?: number;
}

/** Largest zero fill at the end of an encoded segment (archiving §3.4). */
const MAX_SEGMENT_PADDING = 5;

/**
 * Fetches the object a mapping points to and checks its hash.
 * @example const bytes = await fetchObject(mapping, (i) => store.getPiece(i));
 */
export async function fetchObject(
  mapping: GlobalObject,
  getPiece: PieceGetter,
  opts: FetchObjectOptions = {},
): Promise<Uint8Array> {
  const g = segmentGeometry(opts.params);
  const position = Number(mapping.pieceIndex % BigInt(g.numPieces));
  if (position % 2 !== 0) {
    throw new ArchiverError({
      code: 'ARCHIVER_INVALID_ARGUMENT',
      what: 'object mapping',
      reason: 'points into a parity piece',
    });
  }
  if (!Number.isInteger(mapping.offset) || mapping.offset < 0 || mapping.offset >= g.rawRecordSize) {
    throw new ArchiverError({
      code: 'ARCHIVER_INVALID_ARGUMENT',
      what: 'object mapping',
      reason: `offset ${mapping.offset} outside the raw record`,
    });
  }
  const maxObjectSize = opts.maxObjectSize ?? g.segmentSize;
  const segmentIndex = mapping.pieceIndex / BigInt(g.numPieces);
  const pieces = new Map<bigint, Uint8Array>();

  /** Source piece `k` of segment `s` (fetched once per call). */
  const sourcePiece = async (s: bigint, k: number): Promise<Uint8Array> => {
    const pieceIndex = s * BigInt(g.numPieces) + BigInt(2 * k);
    const cached = pieces.get(pieceIndex);
    if (cached) return cached;
    if (opts.signal?.aborted) throw new ArchiverError({ code: 'ARCHIVER_ABORTED' });
    const piece = await getPiece(pieceIndex, opts.signal ? { signal: opts.signal } : {});
    if (!(piece instanceof Uint8Array) || piece.length !== g.pieceSize) {
      throw new ArchiverError({
        code: 'ARCHIVER_INVALID_PIECE',
        position: 2 * k,
        reason: piece ? `piece ${pieceIndex} has ${piece.length} bytes` : `piece ${pieceIndex} unavailable`,
      });
    }
    pieces.set(pieceIndex, piece);
    return piece;
  };

  /**
   * Bytes `[from, to)` of the recorded history segment `s`: the raw records are the 31 data bytes
   * of each 32-byte chunk, so only the chunks covering the range are copied (an object never pays
   * for decoding the whole ~1 MiB record it lies in).
   */
  const segmentBytes = async (s: bigint, from: number, to: number): Promise<Uint8Array> => {
    const out = new Uint8Array(to - from);
    let at = from;
    while (at < to) {
      const k = Math.floor(at / g.rawRecordSize);
      const recordEnd = Math.min((k + 1) * g.rawRecordSize, to);
      const piece = await sourcePiece(s, k);
      while (at < recordEnd) {
        const inRecord = at - k * g.rawRecordSize;
        const chunk = Math.floor(inRecord / 31);
        const within = inRecord - chunk * 31;
        const n = Math.min(31 - within, recordEnd - at);
        const src = chunk * 32 + 1 + within;
        out.set(piece.subarray(src, src + n), at - from);
        at += n;
      }
    }
    return out;
  };

  /** Where block bytes continue in segment `s`: after the V0 tag, the parent header and the continuation's framing. */
  const continuationStart = async (s: bigint): Promise<{ start: number; length: number }> => {
    const head = await segmentBytes(s, 0, Math.min(g.segmentSize, 1 + 99 + 1 + 5));
    try {
      const r = new ScaleReader(head, 'segment start');
      r.tag(1, 'Segment version');
      if (r.u8('item') !== SEGMENT_ITEM_PARENT_SEGMENT_HEADER) throw new Error('no parent segment header');
      r.offset -= 1;
      const headerItemSize = segmentItemEncodedSize({
        type: 'parentSegmentHeader',
        header: readHeaderItem(r),
      });
      if (r.u8('item') !== SEGMENT_ITEM_BLOCK_CONTINUATION) throw new Error('no block continuation');
      const length = r.compactU32('continuation length');
      return { start: 1 + headerItemSize + 1 + compactLength(length), length };
    } catch (e) {
      throw new ArchiverError({
        code: 'ARCHIVER_SEGMENT_DECODING',
        reason: `segment ${s}: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  };

  /**
   * `n` bytes of block data from (segment `s`, offset `at`), trying every padding length at each
   * segment end; `accept` decides whether a candidate is the one.
   */
  const read = async (
    s: bigint,
    at: number,
    n: number,
    accept: (bytes: Uint8Array) => boolean,
  ): Promise<Uint8Array | undefined> => {
    if (at + n <= g.segmentSize - MAX_SEGMENT_PADDING) {
      const bytes = await segmentBytes(s, at, at + n);
      return accept(bytes) ? bytes : undefined;
    }
    for (let p = 0; p <= MAX_SEGMENT_PADDING; p++) {
      const end = g.segmentSize - p;
      if (at + n <= end) {
        const bytes = await segmentBytes(s, at, at + n);
        if (accept(bytes)) return bytes;
        continue;
      }
      if (at > end) continue;
      const head = await segmentBytes(s, at, end);
      const next = await continuationStart(s + 1n);
      const rest = await read(s + 1n, next.start, n - head.length, (tail) => {
        const joined = new Uint8Array(n);
        joined.set(head);
        joined.set(tail, head.length);
        return accept(joined);
      });
      if (rest) {
        const joined = new Uint8Array(n);
        joined.set(head);
        joined.set(rest, head.length);
        return joined;
      }
    }
    return undefined;
  };

  const start = (position / 2) * g.rawRecordSize + mapping.offset;
  let found: Uint8Array | undefined;
  // The compact length prefix (1-5 bytes) may itself straddle a segment end: try the prefix, then the body.
  for (let prefixLen = 1; prefixLen <= 5 && found === undefined; prefixLen++) {
    const prefix = await read(
      segmentIndex,
      start,
      prefixLen,
      (b) => canonicalCompactOfLength(b) !== undefined,
    );
    if (prefix === undefined) continue;
    const length = canonicalCompactOfLength(prefix)!;
    if (length > maxObjectSize) {
      throw new ArchiverError({
        code: 'ARCHIVER_INVALID_ARGUMENT',
        what: 'object',
        reason: `length ${length} exceeds ${maxObjectSize}`,
      });
    }
    const whole = await read(segmentIndex, start, prefixLen + length, (b) =>
      equalBytes(blake3(b.subarray(prefixLen)), mapping.hash),
    );
    if (whole) found = whole.subarray(prefixLen);
  }
  if (found === undefined) {
    throw new ArchiverError({
      code: 'ARCHIVER_DATA_SHARDS_RECONSTRUCTION',
      reason: 'no bytes at the mapping match its hash',
    });
  }
  return found.slice();
}

/** The value of `bytes` if they are exactly one canonical compact integer, else undefined. */
function canonicalCompactOfLength(bytes: Uint8Array): number | undefined {
  try {
    const r = new ScaleReader(bytes, 'object length');
    const v = r.compactU32();
    r.finish();
    return v;
  } catch {
    return undefined;
  }
}

function readHeaderItem(r: ScaleReader) {
  r.u8('parent header tag');
  return readSegmentHeader(r);
}
