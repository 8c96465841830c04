/**
 * @autonomys/dsn: the Autonomys distributed storage network on js-libp2p (pot-consensus-dsn C):
 * piece keys and distances, the three request-response protocols, a libp2p node with the
 * network's stack, the farmer's L2 piece cache, validated L2/L1 retrieval, segment
 * reconstruction, object fetching, DSN sync, and chain-networking protocols of our own.
 */
import { installPromiseWithResolvers } from './node20.js';

export { type BanEntry, BanList } from './bans.js';
export * from './chain.js';
export * from './constants.js';
export { DsnError, type DsnErrorCode, type DsnErrorType } from './errors.js';
export { frame, readFrame, writeFrame } from './framing.js';
export {
  MemoryPieceCache,
  MemorySegmentHeaderStore,
  type PieceCache,
  type PlotReader,
  type SegmentHeaderStore,
} from './handlers.js';
export {
  keyDistance,
  peerIdOf,
  peerKademliaKey,
  peerKeyFromFarmerSecret,
  pieceDistanceFrom,
  pieceIndexFromKey,
  pieceKey,
  sha256,
  sortPiecesByDistance,
} from './keys.js';
export * from './messages.js';
export {
  type ClosestPeerInfo,
  closestPeerFromWire,
  createDsnNode,
  DsnNode,
  type DsnNodeOptions,
  identifyVersion,
} from './node.js';
export { fetchObjectFromDsn } from './objects.js';
export {
  type CacheProgress,
  FarmerPieceCache,
  type PieceCacheOptions,
  type PieceFetcher,
  pieceFetcherFrom,
} from './piece-cache.js';
export {
  acceptPiece,
  type ComposedGetterOptions,
  ComposedPieceGetter,
  type GetPieceOptions,
  type L1Options,
  L1PieceGetter,
  type L2Options,
  L2PieceGetter,
  localPieceGetter,
  type PieceGetter,
  ProgressWatchdog,
  type RetrievalOptions,
  rediscover,
  type SegmentHeaderSource,
} from './retrieval.js';
export { downloadSegment, Limiter, type SegmentDownloadOptions } from './segments.js';
export {
  type BlockImporter,
  DsnSync,
  type DsnSyncOptions,
  type DsnSyncResult,
  majorityHeader,
} from './sync.js';
export { createPieceValidator, type PieceValidator, type PieceValidatorOptions } from './validation.js';
export { decodeVarint, encodeVarint } from './varint.js';

// Node 20: js-libp2p's modules call Promise.withResolvers (ES2024) without declaring an engine. A call,
// not a bare import, so that bundlers keep it.
installPromiseWithResolvers();
