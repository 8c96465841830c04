/**
 * SCALE messages of the three request-response protocols (C.3). Every decoder checks lengths and
 * ranges and throws `DSN_INVALID_MESSAGE`; a message must be consumed exactly.
 *
 * Pieces are `Vec<u8>` of exactly the piece size (1 048 672 on the network: prefix `82 01 40 00`);
 * codecs take `pieceSize` so development networks with a small archiving preset use the same code.
 */
import {
  encodeCompact,
  PIECE_SIZE,
  readSegmentHeader,
  ScaleReader,
  ScaleWriter,
  type SegmentHeader,
  writeSegmentHeader,
} from '@autonomys/primitives';
import { MAX_CACHED_PIECES, MAX_SEGMENT_HEADERS_PER_REQUEST } from './constants.js';
import { DsnError } from './errors.js';

export interface CodecOptions {
  /** Bytes of a piece (default: the network's 1 048 672). */
  readonly pieceSize?: number;
}

/** Request of `/subspace/piece-by-index/0.1.0` and `/subspace/cached-piece-by-index/0.1.0`. */
export interface PieceRequest {
  readonly pieceIndex: bigint;
  /** "Which of these do you also have" (at most 128 are sent or looked at). */
  readonly cachedPieces: readonly bigint[];
}

/** Response of `/subspace/piece-by-index/0.1.0`. */
export interface PieceByIndexResponse {
  readonly piece: Uint8Array | undefined;
  readonly cachedPieces: readonly bigint[];
}

/** A peer in a `ClosestPeers` answer: its multihash bytes and addresses (each ending in `/p2p/<it>`). */
export interface ClosestPeer {
  /** The peer id's multihash bytes (`peerId.toMultihash().bytes`). */
  readonly peerId: Uint8Array;
  /** Binary multiaddrs. */
  readonly addresses: readonly Uint8Array[];
}

/** Response of `/subspace/cached-piece-by-index/0.1.0`. */
export interface CachedPieceByIndexResponse {
  readonly result:
    | { readonly type: 'piece'; readonly piece: Uint8Array }
    | { readonly type: 'closestPeers'; readonly peers: readonly ClosestPeer[] };
  readonly cachedPieces: readonly bigint[];
}

/** Request of `/subspace/segment-headers-by-indexes/0.1.0`. */
export type SegmentHeaderRequest =
  | { readonly type: 'segmentIndexes'; readonly segmentIndexes: readonly bigint[] }
  | { readonly type: 'lastSegmentHeaders'; readonly limit: number };

/** Response of `/subspace/segment-headers-by-indexes/0.1.0`. */
export interface SegmentHeaderResponse {
  readonly segmentHeaders: readonly SegmentHeader[];
}

function invalid(what: string, reason: string): DsnError {
  return new DsnError({ code: 'DSN_INVALID_MESSAGE', what, reason });
}

/** Runs a decoder, turning every failure into `DSN_INVALID_MESSAGE` and requiring all bytes consumed. */
function decode<T>(bytes: Uint8Array, what: string, f: (r: ScaleReader) => T): T {
  if (!(bytes instanceof Uint8Array)) throw invalid(what, 'expected a Uint8Array');
  try {
    const r = new ScaleReader(bytes, what);
    const v = f(r);
    r.finish();
    return v;
  } catch (e) {
    if (e instanceof DsnError) throw e;
    throw invalid(what, e instanceof Error ? e.message : String(e));
  }
}

const U64_MAX = (1n << 64n) - 1n;

function assertU64(v: bigint, what: string): void {
  if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) {
    throw new DsnError({ code: 'DSN_INVALID_ARGUMENT', what, reason: 'expected a u64 bigint' });
  }
}

function writeU64Vec(w: ScaleWriter, v: readonly bigint[], what: string): void {
  w.compact(v.length);
  for (const x of v) {
    assertU64(x, what);
    w.u64(x);
  }
}

function readU64Vec(r: ScaleReader, what: string, max = Number.MAX_SAFE_INTEGER): bigint[] {
  const n = r.compactU32(`${what} length`);
  // Each entry takes 8 bytes: refuse counts the remaining bytes cannot hold before allocating.
  if (n * 8 > r.remaining) throw invalid(what, `${n} entries do not fit in ${r.remaining} bytes`);
  if (n > max) throw invalid(what, `${n} entries, at most ${max}`);
  const out: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = r.u64(what);
  return out;
}

function pieceSizeOf(opts: CodecOptions): number {
  const n = opts.pieceSize ?? PIECE_SIZE;
  if (!Number.isInteger(n) || n <= 0) {
    throw new DsnError({ code: 'DSN_INVALID_ARGUMENT', what: 'pieceSize', reason: `got ${n}` });
  }
  return n;
}

function readPiece(r: ScaleReader, size: number): Uint8Array {
  const n = r.compactU32('piece length');
  if (n !== size) throw invalid('piece', `length ${n}, expected ${size}`);
  // A view, not a copy: a decoded piece shares the message's buffer (1 MiB per piece saved).
  return r.bytesView(n, 'piece');
}

/** Truncates a `cached_pieces` list to the protocol's 128 entries. */
export function truncateCachedPieces(v: readonly bigint[]): readonly bigint[] {
  return v.length > MAX_CACHED_PIECES ? v.slice(0, MAX_CACHED_PIECES) : v;
}

/** `{piece_index u64, cached_pieces Vec<u64>}`. @example encodePieceRequest({ pieceIndex: 1n, cachedPieces: [] }) */
export function encodePieceRequest(req: PieceRequest): Uint8Array {
  assertU64(req.pieceIndex, 'piece index');
  const w = new ScaleWriter(16 + req.cachedPieces.length * 8);
  w.u64(req.pieceIndex);
  writeU64Vec(w, req.cachedPieces, 'cached piece index');
  return w.finish();
}

/** Decodes a piece request (both piece protocols). */
export function decodePieceRequest(bytes: Uint8Array): PieceRequest {
  return decode(bytes, 'piece request', (r) => ({
    pieceIndex: r.u64('piece index'),
    cachedPieces: readU64Vec(r, 'cached pieces'),
  }));
}

/** `{piece Option<Piece>, cached_pieces Vec<u64>}`. */
export function encodePieceByIndexResponse(res: PieceByIndexResponse, opts: CodecOptions = {}): Uint8Array {
  const size = pieceSizeOf(opts);
  if (res.piece === undefined) {
    const w = new ScaleWriter(16 + res.cachedPieces.length * 8);
    w.u8(0);
    writeU64Vec(w, res.cachedPieces, 'cached piece index');
    return w.finish();
  }
  return withPiece(1, res.piece, size, res.cachedPieces);
}

/** `tag ‖ Vec<u8>(piece) ‖ Vec<u64>(cached)` with the piece copied once into an exact-size buffer. */
function withPiece(
  tag: number,
  piece: Uint8Array,
  size: number,
  cachedPieces: readonly bigint[],
): Uint8Array {
  if (!(piece instanceof Uint8Array) || piece.length !== size) {
    throw new DsnError({ code: 'DSN_INVALID_ARGUMENT', what: 'piece', reason: `expected ${size} bytes` });
  }
  const w = new ScaleWriter(8 + cachedPieces.length * 8);
  writeU64Vec(w, cachedPieces, 'cached piece index');
  const tail = w.finish();
  const len = encodeCompact(size);
  const out = new Uint8Array(1 + len.length + size + tail.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(piece, 1 + len.length);
  out.set(tail, 1 + len.length + size);
  return out;
}

export function decodePieceByIndexResponse(bytes: Uint8Array, opts: CodecOptions = {}): PieceByIndexResponse {
  const size = pieceSizeOf(opts);
  return decode(bytes, 'piece-by-index response', (r) => {
    const tag = r.tag(2, 'Option<Piece>');
    const piece = tag === 1 ? readPiece(r, size) : undefined;
    return { piece, cachedPieces: readU64Vec(r, 'cached pieces') };
  });
}

/** The SCALE bytes of a peer id multihash: `code u64 LE ‖ size u8 ‖ digest`. */
function writePeerId(w: ScaleWriter, multihash: Uint8Array): void {
  const r = new ScaleReader(multihash, 'peer id multihash');
  // A libp2p peer id multihash: varint code (identity 0x00 or sha2-256 0x12), varint size, digest.
  const code = r.u8('multihash code');
  const size = r.u8('multihash size');
  if ((code !== 0x00 && code !== 0x12) || size >= 0x80 || r.remaining !== size || size > 64) {
    throw new DsnError({
      code: 'DSN_INVALID_ARGUMENT',
      what: 'peer id',
      reason: 'not an identity or sha2-256 multihash',
    });
  }
  w.u64(code).u8(size).bytes(r.fixed(size));
}

function readPeerId(r: ScaleReader): Uint8Array {
  const code = r.u64('peer id multihash code');
  const size = r.u8('peer id multihash size');
  if ((code !== 0n && code !== 0x12n) || size > 64)
    throw invalid('peer id', `multihash code ${code}, size ${size}`);
  const digest = r.fixed(size, 'peer id digest');
  const out = new Uint8Array(2 + size);
  out[0] = Number(code);
  out[1] = size;
  out.set(digest, 2);
  return out;
}

/** The `/p2p/` multiaddr component for a peer: code 0x01a5 (varint `a5 03`), varint length, multihash. */
function p2pSuffix(peerId: Uint8Array): Uint8Array {
  const len = encodeVarintSmall(peerId.length);
  const out = new Uint8Array(2 + len.length + peerId.length);
  out.set([0xa5, 0x03]);
  out.set(len, 2);
  out.set(peerId, 2 + len.length);
  return out;
}

function encodeVarintSmall(n: number): Uint8Array {
  return n < 0x80 ? Uint8Array.of(n) : Uint8Array.of((n & 0x7f) | 0x80, n >> 7);
}

/** True when the binary multiaddr ends with `/p2p/<peerId>`. */
export function multiaddrEndsWithPeer(address: Uint8Array, peerId: Uint8Array): boolean {
  const suffix = p2pSuffix(peerId);
  if (address.length <= suffix.length) return false;
  const at = address.length - suffix.length;
  for (let i = 0; i < suffix.length; i++) if (address[at + i] !== suffix[i]) return false;
  return true;
}

/** `{result: 0 Piece | 1 ClosestPeers(Vec<(PeerId, Vec<Multiaddr>)>), cached_pieces Vec<u64>}`. */
export function encodeCachedPieceByIndexResponse(
  res: CachedPieceByIndexResponse,
  opts: CodecOptions = {},
): Uint8Array {
  const size = pieceSizeOf(opts);
  if (res.result.type === 'piece') return withPiece(0, res.result.piece, size, res.cachedPieces);
  const w = new ScaleWriter(256);
  const peers = res.result.peers;
  if (peers.length === 0) {
    throw new DsnError({
      code: 'DSN_INVALID_ARGUMENT',
      what: 'closest peers',
      reason: 'the list must not be empty',
    });
  }
  w.u8(1).compact(peers.length);
  for (const p of peers) {
    writePeerId(w, p.peerId);
    w.compact(p.addresses.length);
    for (const a of p.addresses) {
      if (!multiaddrEndsWithPeer(a, p.peerId)) {
        throw new DsnError({
          code: 'DSN_INVALID_ARGUMENT',
          what: 'closest peer address',
          reason: 'must end with /p2p/<peer>',
        });
      }
      w.vecU8(a);
    }
  }
  writeU64Vec(w, res.cachedPieces, 'cached piece index');
  return w.finish();
}

/** Largest address and address count accepted in a `ClosestPeers` entry (memory bound, generous). */
const MAX_ADDRESS_BYTES = 1024;
const MAX_ADDRESSES_PER_PEER = 64;
const MAX_CLOSEST_PEERS = 256;

export function decodeCachedPieceByIndexResponse(
  bytes: Uint8Array,
  opts: CodecOptions = {},
): CachedPieceByIndexResponse {
  const size = pieceSizeOf(opts);
  return decode(bytes, 'cached-piece-by-index response', (r) => {
    const tag = r.tag(2, 'CachedPieceByIndexResult');
    let result: CachedPieceByIndexResponse['result'];
    if (tag === 0) result = { type: 'piece', piece: readPiece(r, size) };
    else {
      const n = r.compactU32('closest peers length');
      if (n === 0) throw invalid('closest peers', 'empty list');
      if (n > MAX_CLOSEST_PEERS) throw invalid('closest peers', `${n} peers, at most ${MAX_CLOSEST_PEERS}`);
      const peers: ClosestPeer[] = [];
      for (let i = 0; i < n; i++) {
        const peerId = readPeerId(r);
        const m = r.compactU32('addresses length');
        if (m > MAX_ADDRESSES_PER_PEER)
          throw invalid('closest peers', `${m} addresses, at most ${MAX_ADDRESSES_PER_PEER}`);
        const addresses: Uint8Array[] = [];
        for (let j = 0; j < m; j++) {
          const a = r.vecU8('multiaddr', MAX_ADDRESS_BYTES);
          if (!multiaddrEndsWithPeer(a, peerId))
            throw invalid('closest peers', 'an address does not end with /p2p/<peer>');
          addresses.push(a);
        }
        peers.push({ peerId, addresses });
      }
      result = { type: 'closestPeers', peers };
    }
    return { result, cachedPieces: readU64Vec(r, 'cached pieces') };
  });
}

/** `0 SegmentIndexes(Vec<u64>)` / `1 LastSegmentHeaders{limit u32}`. */
export function encodeSegmentHeaderRequest(req: SegmentHeaderRequest): Uint8Array {
  const w = new ScaleWriter(16);
  if (req.type === 'segmentIndexes') {
    w.u8(0);
    writeU64Vec(w, req.segmentIndexes, 'segment index');
  } else {
    if (!Number.isInteger(req.limit) || req.limit < 0 || req.limit > 0xffffffff) {
      throw new DsnError({ code: 'DSN_INVALID_ARGUMENT', what: 'limit', reason: 'expected a u32' });
    }
    w.u8(1).u32(req.limit);
  }
  return w.finish();
}

/** Decodes a segment header request. Lists above 1000 indexes are refused (the reference ignores them). */
export function decodeSegmentHeaderRequest(bytes: Uint8Array): SegmentHeaderRequest {
  return decode(bytes, 'segment header request', (r): SegmentHeaderRequest => {
    const tag = r.tag(2, 'SegmentHeaderRequest');
    if (tag === 0) {
      return {
        type: 'segmentIndexes',
        segmentIndexes: readU64Vec(r, 'segment indexes', MAX_SEGMENT_HEADERS_PER_REQUEST),
      };
    }
    return { type: 'lastSegmentHeaders', limit: r.u32('limit') };
  });
}

/** `{segment_headers Vec<SegmentHeader>}`. */
export function encodeSegmentHeaderResponse(res: SegmentHeaderResponse): Uint8Array {
  const w = new ScaleWriter(8 + res.segmentHeaders.length * 98);
  w.compact(res.segmentHeaders.length);
  for (const h of res.segmentHeaders) writeSegmentHeader(w, h);
  return w.finish();
}

export function decodeSegmentHeaderResponse(bytes: Uint8Array): SegmentHeaderResponse {
  return decode(bytes, 'segment header response', (r) => {
    const n = r.compactU32('segment headers length');
    // A header takes at least 94 bytes.
    if (n * 94 > r.remaining)
      throw invalid('segment headers', `${n} headers do not fit in ${r.remaining} bytes`);
    const segmentHeaders: SegmentHeader[] = [];
    for (let i = 0; i < n; i++) segmentHeaders.push(readSegmentHeader(r));
    return { segmentHeaders };
  });
}

export { encodeCompact };
