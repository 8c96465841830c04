/**
 * The error class of `@autonomys/plotter`: a stable, package-prefixed `code` (part of the API) and
 * the data to act on in `type`.
 */
import { AutonomysError } from '@autonomys/primitives';

export type PlotterErrorType =
  /** A value's byte length is not the one the layout requires (a seed, a proof). */
  | { code: 'PLOTTER_INVALID_LENGTH'; what: string; expected: number; actual: number }
  /** An integer argument is outside its allowed range (a challenge index, K, a table number, x). */
  | { code: 'PLOTTER_OUT_OF_RANGE'; what: string; value: string; min: string; max: string }
  /** An argument of the wrong kind (not bytes, not an integer, a table of another K). */
  | { code: 'PLOTTER_INVALID_ARGUMENT'; what: string; reason: string }
  /** Table generation was cancelled through its AbortSignal. */
  | { code: 'PLOTTER_ABORTED'; what: string; reason: string }
  /** A table worker failed (crashed, or exited before answering). */
  | { code: 'PLOTTER_WORKER_FAILED'; what: string; reason: string }
  /** The generator was used after `close()`. */
  | { code: 'PLOTTER_CLOSED'; what: string }
  /** A stored BLAKE3 checksum does not match its bytes (contents map, sector, metadata, piece). */
  | {
      code: 'PLOTTER_CHECKSUM_MISMATCH';
      what: 'sector contents map' | 'sector' | 'sector metadata' | 'piece';
      sectorIndex?: number;
      pieceOffset?: number;
    }
  /** A record of a sector contents map claims more encoded chunks than a record has (§4.5). */
  | { code: 'PLOTTER_INVALID_CONTENTS_MAP'; pieceOffset: number; encodedChunks: number; max: number }
  /** Sector metadata that cannot describe a sector (sizes that do not add up, history size 0). */
  | { code: 'PLOTTER_INVALID_SECTOR_METADATA'; reason: string; sectorIndex?: number }
  /** Sector bytes that decode to something no plotter writes (a masked chunk without a proof). */
  | { code: 'PLOTTER_CORRUPT_SECTOR'; sectorIndex: number; pieceOffset: number; reason: string }
  /** The piece getter failed or returned no piece. */
  | { code: 'PLOTTER_PIECE_GETTER_FAILED'; pieceIndex: bigint; reason: string }
  /**
   * A piece that is not one (wrong size, a non-canonical chunk) while plotting, or, in solution
   * verification, a record witness that does not open the segment commitment (`InvalidPiece`).
   */
  | { code: 'PLOTTER_INVALID_PIECE'; pieceIndex: bigint; reason: string }
  /** Solution verification (§7), in the reference's order: the proof of space does not verify. */
  | { code: 'PLOTTER_INVALID_PROOF_OF_SPACE' }
  /** The audit distance of the masked chunk is above half the solution range. */
  | { code: 'PLOTTER_OUTSIDE_SOLUTION_RANGE'; halfSolutionRange: bigint; distance: bigint }
  /** The chunk is not a canonical scalar. */
  | { code: 'PLOTTER_INVALID_CHUNK'; reason: string }
  /** The record commitment or chunk witness does not decode, or the chunk opening fails. */
  | { code: 'PLOTTER_INVALID_CHUNK_WITNESS' }
  /** The sector's history size is above the current history size + 1. */
  | { code: 'PLOTTER_FUTURE_HISTORY_SIZE'; current: bigint; solution: bigint }
  /** `piece_offset >= max_pieces_in_sector` (strict: the code, not the spec's ≤). */
  | { code: 'PLOTTER_INVALID_PIECE_OFFSET'; pieceOffset: number; maxPiecesInSector: number }
  /** The expiration history size overflows u64. */
  | { code: 'PLOTTER_INVALID_HISTORY_SIZE' }
  /** The sector expired: its expiration history size is ≤ the current history size. */
  | { code: 'PLOTTER_SECTOR_EXPIRED'; expirationHistorySize: bigint; currentHistorySize: bigint }
  /** `Plot.create` on a directory that already holds a plot (its metadata file exists). */
  | { code: 'PLOTTER_PLOT_EXISTS'; path: string }
  /** `Plot.open` on a directory without a plot metadata file. */
  | { code: 'PLOTTER_PLOT_NOT_FOUND'; path: string }
  /** The plot data file is not `sectorCount · sectorSize` bytes (truncated, extended, replaced). */
  | { code: 'PLOTTER_PLOT_WRONG_FILE_SIZE'; path: string; expected: number; actual: number }
  /** The plot belongs to another farmer: its header holds another public key. */
  | { code: 'PLOTTER_PLOT_PUBLIC_KEY_MISMATCH'; path: string }
  /** The plot metadata file does not decode (bad magic or version, wrong size, bad checksum, bad entry). */
  | { code: 'PLOTTER_PLOT_CORRUPT_METADATA'; path: string; reason: string }
  /** A recorded sector whose bytes no longer match its checksums or its metadata. */
  | { code: 'PLOTTER_PLOT_CORRUPT_SECTOR'; sectorIndex: number; reason: string }
  /** A sector index with no finished sector (never plotted, or being plotted). */
  | { code: 'PLOTTER_PLOT_SECTOR_NOT_PLOTTED'; sectorIndex: number }
  /** `plotSector` on an index this plot is already plotting. */
  | { code: 'PLOTTER_PLOT_SECTOR_BUSY'; sectorIndex: number };

export type PlotterErrorCode = PlotterErrorType['code'];

/**
 * Every failure of this package.
 * @example
 * try { parseProof(bytes); } catch (e) {
 *   if (e instanceof PlotterError && e.type.code === 'PLOTTER_INVALID_LENGTH') console.log(e.type.actual);
 * }
 */
export class PlotterError extends AutonomysError<PlotterErrorType> {}
