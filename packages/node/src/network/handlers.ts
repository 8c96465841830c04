/**
 * What a node serves on the storage network and the chain protocols, over its {@link ChainApi}:
 * its archived pieces (as a `PieceCache`, like the reference node's cache of recent segments), its
 * segment headers, and blocks for block requests.
 */
import { segmentGeometry } from '@autonomys/archiver';
import type { BlockData, BlockProvider, BlockRequest, PieceCache, SegmentHeaderStore } from '@autonomys/dsn';
import { equalBytes, type SegmentHeader } from '@autonomys/primitives';
import type { BlockInfo, ChainApi } from '../consensus/api.js';

type PieceSource = Pick<ChainApi, 'getPiece' | 'lastSegmentIndex' | 'spec'>;

/**
 * The chain's archived pieces as a `PieceCache`: `hasPiece` is true for every piece of a locally
 * archived segment (pieces of pruned segments answer "no piece" on `getPiece`).
 */
export function chainPieceCache(chain: PieceSource): PieceCache {
  const perSegment = BigInt(segmentGeometry(chain.spec.archiving).numPieces);
  return {
    getPiece: (i) => chain.getPiece(i),
    hasPiece: (i) => i >= 0n && i < (chain.lastSegmentIndex() + 1n) * perSegment,
  };
}

/** The chain's segment headers (segment 0 from genesis up to its last archived one). */
export function chainSegmentHeaderStore(
  chain: Pick<ChainApi, 'getSegmentHeader' | 'lastSegmentIndex'>,
): SegmentHeaderStore {
  return {
    getSegmentHeader: (i) => chain.getSegmentHeader(i),
    lastSegmentHeaders(limit) {
      const out: SegmentHeader[] = [];
      const last = chain.lastSegmentIndex();
      for (let i = last; i >= 0n && out.length < limit; i--) {
        const h = chain.getSegmentHeader(i);
        if (h === undefined) break;
        out.push(h);
      }
      return out.reverse();
    },
  };
}

/**
 * Answers block requests from the chain: descending follows parent hashes from the start block
 * (any known block); ascending follows the best chain from the start block while it is on it.
 */
export function chainBlockProvider(chain: Pick<ChainApi, 'getBlockInfo' | 'getBlockBytes'>): BlockProvider {
  return {
    async getBlocks(req: BlockRequest): Promise<BlockData[]> {
      let info: BlockInfo | undefined = chain.getBlockInfo(
        req.from.type === 'hash' ? req.from.hash : req.from.number,
      );
      const out: BlockData[] = [];
      while (info !== undefined && out.length < req.max) {
        const block = await chain.getBlockBytes(info.hash);
        if (block === undefined) break;
        out.push({ hash: info.hash, block });
        if (req.direction === 'descending') {
          info = info.number === 0 ? undefined : chain.getBlockInfo(info.parentHash);
        } else {
          const prev: BlockInfo = info;
          const next = chain.getBlockInfo(prev.number + 1);
          info = next !== undefined && equalBytes(next.parentHash, prev.hash) ? next : undefined;
        }
      }
      return out;
    },
  };
}
