/**
 * The piece getter of a farmer (and of DSN sync): the local chain first, then the storage network
 * (L2 caches, then L1 plots), every network piece validated against its segment header (C.6).
 */
import { type ArchivingParams, segmentGeometry } from '@autonomys/archiver';
import {
  ComposedPieceGetter,
  type DsnNode,
  L1PieceGetter,
  L2PieceGetter,
  localPieceGetter,
  type PieceGetter,
  type PieceValidator,
  rediscover,
  type SegmentHeaderSource,
} from '@autonomys/dsn';

export interface NetworkPieceGetterOptions {
  readonly node: DsnNode;
  readonly validator: PieceValidator;
  /** Verified segment headers (the chain's, then DSN sync's). */
  readonly segmentHeader: SegmentHeaderSource;
  /** Archiving geometry of the chain (default the network's). */
  readonly params?: ArchivingParams;
  /** Pieces at hand, tried first without validation (e.g. `(i) => chain.getPiece(i)`). */
  readonly local?: (pieceIndex: bigint) => Promise<Uint8Array | undefined> | Uint8Array | undefined;
  /** History size in pieces: larger indexes are refused at once. */
  readonly historyPieces?: () => bigint | undefined;
  /** Dialled again when peers are lost. */
  readonly bootstrapPeers?: readonly string[];
  /** Rounds over all getters before giving up (default 4). */
  readonly retries?: number;
  /** First backoff between rounds, ms (default 500). */
  readonly backoffMs?: number;
  readonly log?: (msg: string) => void;
}

/**
 * `local → L2 → L1`, retried with backoff and peer re-discovery (`ComposedPieceGetter`).
 * @example const getter = networkPieceGetter({ node, validator, segmentHeader: (s) => chain.getSegmentHeader(s), local: (i) => chain.getPiece(i) });
 * const piece = await getter.getPiece(300n);
 */
export function networkPieceGetter(o: NetworkPieceGetterOptions): ComposedPieceGetter {
  const piecesPerSegment = segmentGeometry(o.params).numPieces;
  const r = {
    node: o.node,
    validator: o.validator,
    segmentHeader: o.segmentHeader,
    piecesPerSegment,
    ...(o.log === undefined ? {} : { log: o.log }),
  };
  const getters: PieceGetter[] = [];
  if (o.local !== undefined) getters.push(localPieceGetter(o.local));
  getters.push(new L2PieceGetter(r), new L1PieceGetter(r));
  return new ComposedPieceGetter({
    getters,
    rediscover: () => rediscover(o.node, o.bootstrapPeers ?? []),
    ...(o.historyPieces === undefined ? {} : { historyPieces: o.historyPieces }),
    ...(o.retries === undefined ? {} : { retries: o.retries }),
    ...(o.backoffMs === undefined ? {} : { backoffMs: o.backoffMs }),
    ...(o.log === undefined ? {} : { log: o.log }),
  });
}

/** Adapts a {@link PieceGetter} to the plotter's / farmer role's `(index, opts) => piece` form. */
export function plotterPieceGetter(
  getter: PieceGetter,
): (pieceIndex: bigint, opts?: { signal?: AbortSignal }) => Promise<Uint8Array | undefined> {
  return (i, opts) => getter.getPiece(i, opts?.signal === undefined ? {} : { signal: opts.signal });
}
