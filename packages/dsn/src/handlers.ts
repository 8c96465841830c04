/**
 * What a DSN node serves, as small interfaces the farmer and node roles implement (C.3).
 */
import type { SegmentHeader } from '@autonomys/primitives';

/** The farmer's L2 cache: plain pieces, cheap to read. */
export interface PieceCache {
  /** The cached piece, or undefined. */
  getPiece(pieceIndex: bigint): Promise<Uint8Array | undefined> | Uint8Array | undefined;
  /** Whether the piece is cached (answers `cached_pieces`). */
  hasPiece(pieceIndex: bigint): boolean;
}

/** The farmer's plots (L1): re-creates a piece from a plotted record (costs a table generation). */
export interface PlotReader {
  readPiece(pieceIndex: bigint, opts?: { signal?: AbortSignal }): Promise<Uint8Array | undefined>;
}

/** The segment headers the node knows (from its chain). */
export interface SegmentHeaderStore {
  getSegmentHeader(segmentIndex: bigint): SegmentHeader | undefined;
  /** The last `limit` headers, oldest first. */
  lastSegmentHeaders(limit: number): SegmentHeader[];
}

/** An in-memory {@link SegmentHeaderStore}, also used by DSN sync. */
export class MemorySegmentHeaderStore implements SegmentHeaderStore {
  private readonly headers: SegmentHeader[] = [];

  /** Appends headers in order (index = current count), ignoring ones already present. */
  add(...headers: SegmentHeader[]): void {
    for (const h of headers) {
      if (h.segmentIndex < BigInt(this.headers.length)) continue;
      if (h.segmentIndex !== BigInt(this.headers.length)) {
        throw new RangeError(
          `segment header ${h.segmentIndex} out of order (next is ${this.headers.length})`,
        );
      }
      this.headers.push(h);
    }
  }

  get count(): number {
    return this.headers.length;
  }

  getSegmentHeader(segmentIndex: bigint): SegmentHeader | undefined {
    return segmentIndex < BigInt(this.headers.length) ? this.headers[Number(segmentIndex)] : undefined;
  }

  lastSegmentHeaders(limit: number): SegmentHeader[] {
    return this.headers.slice(Math.max(0, this.headers.length - limit));
  }
}

/** A {@link PieceCache} over a Map (tests, a node's recent-segment cache). */
export class MemoryPieceCache implements PieceCache {
  readonly pieces = new Map<bigint, Uint8Array>();
  getPiece(pieceIndex: bigint): Uint8Array | undefined {
    return this.pieces.get(pieceIndex);
  }
  hasPiece(pieceIndex: bigint): boolean {
    return this.pieces.has(pieceIndex);
  }
}
