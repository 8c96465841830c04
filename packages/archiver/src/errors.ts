import { AutonomysError } from '@autonomys/primitives';

export type ArchiverErrorType =
  /** Restart state: the partially archived block has exactly as many bytes as were archived. */
  | { code: 'ARCHIVER_INVALID_LAST_ARCHIVED_BLOCK'; blockBytes: number }
  /** Restart state: the partially archived block is shorter than what was archived of it. */
  | { code: 'ARCHIVER_INVALID_BLOCK_SMALL_SIZE'; blockBytes: number; archivedBlockBytes: number }
  /** A block larger than the archiver accepts (its length must fit the u32 compact prefix). */
  | { code: 'ARCHIVER_BLOCK_TOO_LARGE'; blockBytes: number; maxBlockBytes: number }
  /** A block whose number is not the next one expected (out of order or duplicate). */
  | { code: 'ARCHIVER_UNEXPECTED_BLOCK_NUMBER'; expected: number; actual: number }
  /** An object mapping whose offset lies outside its block. */
  | { code: 'ARCHIVER_INVALID_OBJECT_OFFSET'; offset: number; blockBytes: number }
  /** Parameters that do not describe a valid segment layout. */
  | { code: 'ARCHIVER_INVALID_PARAMS'; reason: string }
  /** Reconstructed segment bytes that do not decode as a segment. */
  | { code: 'ARCHIVER_SEGMENT_DECODING'; reason: string }
  /** A segment fed to the reconstructor out of order. */
  | { code: 'ARCHIVER_INCORRECT_SEGMENT_ORDER'; expected: string; actual: string }
  /** Too few pieces, or inconsistent ones, to recover a segment's records. */
  | { code: 'ARCHIVER_DATA_SHARDS_RECONSTRUCTION'; reason: string; inconsistentPieces?: number[] }
  /** A piece of the wrong size, position or segment. */
  | { code: 'ARCHIVER_INVALID_PIECE'; position: number; reason: string }
  /** A segment header that does not continue the chain. */
  | { code: 'ARCHIVER_SEGMENT_HEADER_CHAIN'; segmentIndex: string; reason: string }
  /** A value of the wrong kind or size passed to the archiver's API. */
  | { code: 'ARCHIVER_INVALID_ARGUMENT'; what: string; reason: string }
  /** Work cancelled through an AbortSignal. */
  | { code: 'ARCHIVER_ABORTED' };

/** The error class of `@autonomys/archiver`. */
export class ArchiverError extends AutonomysError<ArchiverErrorType> {}

export type ArchiverErrorCode = ArchiverErrorType['code'];
