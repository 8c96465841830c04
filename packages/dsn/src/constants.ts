/**
 * Named constants of the storage network (pot-consensus-dsn C.1-C.5). One place for every protocol
 * id, size limit and timeout the package uses.
 */
import { NUM_PIECES, PIECE_SIZE } from '@autonomys/primitives';

/** Request-response protocol: a piece from a farmer's L2 cache, else from its plot (C.3). */
export const PIECE_BY_INDEX_PROTOCOL = '/subspace/piece-by-index/0.1.0';
/** Request-response protocol: a piece from a farmer's L2 cache only, else closest peers (C.3). */
export const CACHED_PIECE_BY_INDEX_PROTOCOL = '/subspace/cached-piece-by-index/0.1.0';
/** Request-response protocol: segment headers by indexes or the last N (C.3). */
export const SEGMENT_HEADERS_PROTOCOL = '/subspace/segment-headers-by-indexes/0.1.0';
/** Kademlia protocol id of the storage network (C.1). */
export const KADEMLIA_PROTOCOL = '/subspace/kad/0.1.0';
/** The standard identify protocol id on which the version string is announced. */
export const IDENTIFY_PROTOCOL = '/ipfs/id/1.0.0';

/** Our own chain-networking protocols (not the live network's; see the README). */
export const BLOCK_ANNOUNCE_PROTOCOL = '/autonomys/block-announces/1';
export const BLOCK_REQUEST_PROTOCOL = '/autonomys/block-request/1';
export const POT_GOSSIP_PROTOCOL = '/autonomys/pot-gossip/1';

/** `/subspace/2/{hex(genesis hash)}` (C.1). */
export const IDENTIFY_VERSION_PREFIX = '/subspace/2/';

/** Multihash code of piece keys (C.2); as an unsigned varint: `90 b2 ce 05`. */
export const PIECE_KEY_MULTIHASH_CODE = 0xb39910;
/** Bytes of a piece key: 4-byte varint code, 1-byte length, 8-byte LE index. */
export const PIECE_KEY_SIZE = 13;

/** Largest request payload (C.1): 1 MiB. */
export const MAX_REQUEST_SIZE = 1024 * 1024;
/** Largest response payload (C.1): 16 MiB. */
export const MAX_RESPONSE_SIZE = 16 * 1024 * 1024;
/** Request-response timeout (C.1): 20 s. */
export const REQUEST_TIMEOUT_MS = 20_000;
/** `cached_pieces` lists are truncated to this many entries (C.3). */
export const MAX_CACHED_PIECES = 128;
/** More segment indexes than this in one request get no response; `limit` is clamped to it (C.3). */
export const MAX_SEGMENT_HEADERS_PER_REQUEST = 1000;
/** The SCALE compact length prefix of a network piece: `82 01 40 00` (1 048 672). */
export const PIECE_SCALE_PREFIX = Uint8Array.of(0x82, 0x01, 0x40, 0x00);

/** Temporary bans: exponential backoff from 5 s up to 30 min (C.1). */
export const BAN_INITIAL_MS = 5_000;
export const BAN_MAX_MS = 30 * 60_000;

/** Connection limits (C.1): node 100 in / 100 out; farmer 300 in / 100 out. */
export const NODE_CONNECTION_LIMITS = Object.freeze({ maxIncoming: 100, maxOutgoing: 100 });
export const FARMER_CONNECTION_LIMITS = Object.freeze({ maxIncoming: 300, maxOutgoing: 100 });
/** Connection upgrade timeout (C.1): 10 s. */
export const UPGRADE_TIMEOUT_MS = 10_000;
/** Kademlia query timeout (C.1): 40 s. */
export const KADEMLIA_QUERY_TIMEOUT_MS = 40_000;

/** Initial cache fill: batches of 256 pieces, 4 concurrent (C.4). */
export const CACHE_SYNC_BATCH = 256;
export const CACHE_SYNC_CONCURRENCY = 4;

/** DSN sync (C.9): peers asked for their last segment headers, and how many each. */
export const SYNC_SEGMENT_HEADER_PEERS = 20;
export const SYNC_LAST_SEGMENT_HEADERS = 2;

/** A retrieval that made no progress for this long is reported by the watchdog. */
export const WATCHDOG_MS = 60_000;

export { NUM_PIECES, PIECE_SIZE };
