/**
 * Segment geometry. The network's values are the defaults; tests and development networks may use
 * a small preset (e.g. {@link MINIMAL_ARCHIVING_PARAMS}) that runs the same code paths quickly.
 */
import { NUM_CHUNKS, NUM_RAW_RECORDS, SAFE_BYTES } from '@autonomys/primitives';
import { ArchiverError } from './errors.js';

export interface ArchivingParams {
  /** Chunks per record, a power of two ≤ 2^15. Network: 32 768. */
  readonly numChunks: number;
  /** Source records per segment, a power of two ≤ 128 (pieces per segment = twice this). Network: 128. */
  readonly numRawRecords: number;
}

/** The live network's geometry: 128 records of 32 768 chunks, 130 023 424-byte segments. */
export const NETWORK_ARCHIVING_PARAMS: ArchivingParams = Object.freeze({
  numChunks: NUM_CHUNKS,
  numRawRecords: NUM_RAW_RECORDS,
});

/**
 * A small geometry for tests and demos: 4 records of 32 chunks (3 968-byte segments, 8 pieces).
 * Not the network's: its segments and pieces are not interchangeable with the live ones.
 */
export const MINIMAL_ARCHIVING_PARAMS: ArchivingParams = Object.freeze({ numChunks: 32, numRawRecords: 4 });

/** Sizes derived from {@link ArchivingParams}. */
export interface SegmentGeometry extends ArchivingParams {
  /** Bytes of a raw record: `numChunks · 31`. */
  readonly rawRecordSize: number;
  /** Bytes of a record: `numChunks · 32`. */
  readonly recordSize: number;
  /** Bytes of a recorded history segment: `rawRecordSize · numRawRecords`. */
  readonly segmentSize: number;
  /** Pieces per archived segment: `2 · numRawRecords`. */
  readonly numPieces: number;
  /** Bytes of a piece: record, commitment, witness. */
  readonly pieceSize: number;
}

const isPow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** Validates parameters and derives the sizes. */
export function segmentGeometry(params: ArchivingParams = NETWORK_ARCHIVING_PARAMS): SegmentGeometry {
  const { numChunks, numRawRecords } = params;
  if (!isPow2(numChunks) || numChunks > NUM_CHUNKS || numChunks < 2) {
    throw new ArchiverError({
      code: 'ARCHIVER_INVALID_PARAMS',
      reason: `numChunks must be a power of two in [2, ${NUM_CHUNKS}], got ${numChunks}`,
    });
  }
  if (!isPow2(numRawRecords) || numRawRecords > NUM_RAW_RECORDS) {
    throw new ArchiverError({
      code: 'ARCHIVER_INVALID_PARAMS',
      reason: `numRawRecords must be a power of two ≤ ${NUM_RAW_RECORDS}, got ${numRawRecords}`,
    });
  }
  const rawRecordSize = numChunks * SAFE_BYTES;
  const recordSize = numChunks * 32;
  return {
    numChunks,
    numRawRecords,
    rawRecordSize,
    recordSize,
    segmentSize: rawRecordSize * numRawRecords,
    numPieces: numRawRecords * 2,
    pieceSize: recordSize + 48 + 48,
  };
}
