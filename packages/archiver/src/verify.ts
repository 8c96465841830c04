/**
 * Piece verification (archiving §4): a piece is valid when its record commits to its embedded
 * record commitment and its witness opens the segment commitment at its position to the
 * commitment's 254-bit hash. This is what light clients and the network check before using a piece.
 */
import { type Kzg, poly } from '@autonomys/kzg';
import { blake3_254, equalBytes, isCanonicalScalarAt } from '@autonomys/primitives';
import { ArchiverError } from './errors.js';
import { type ArchivingParams, segmentGeometry } from './params.js';

/**
 * True when `piece` belongs at `position` (0 ≤ position < pieces per segment; for a piece index,
 * `index mod 256`) of the segment whose commitment is `segmentCommitment`. Content that does not
 * verify (a non-canonical chunk, an undecodable point, a wrong commitment or witness) is `false`;
 * a piece of the wrong size or a position out of range is an `ArchiverError`.
 * @example isPieceValid(kzg, piece, header.segmentCommitment, Number(pieceIndex % 256n))
 */
export function isPieceValid(
  kzg: Kzg,
  piece: Uint8Array,
  segmentCommitment: Uint8Array,
  position: number,
  params?: ArchivingParams,
): boolean {
  const g = segmentGeometry(params);
  if (!(piece instanceof Uint8Array) || piece.length !== g.pieceSize) {
    throw new ArchiverError({
      code: 'ARCHIVER_INVALID_PIECE',
      position,
      reason: `expected ${g.pieceSize} bytes`,
    });
  }
  if (!Number.isInteger(position) || position < 0 || position >= g.numPieces) {
    throw new ArchiverError({
      code: 'ARCHIVER_INVALID_PIECE',
      position,
      reason: `position outside [0, ${g.numPieces})`,
    });
  }
  if (!(segmentCommitment instanceof Uint8Array) || segmentCommitment.length !== 48) {
    throw new ArchiverError({
      code: 'ARCHIVER_INVALID_ARGUMENT',
      what: 'segment commitment',
      reason: 'expected 48 bytes',
    });
  }
  const record = piece.subarray(0, g.recordSize);
  const commitment = piece.subarray(g.recordSize, g.recordSize + 48);
  const witness = piece.subarray(g.recordSize + 48, g.recordSize + 96);
  for (let at = 0; at < g.recordSize; at += 32) if (!isCanonicalScalarAt(record, at)) return false;
  // The embedded commitment is compared as bytes, never parsed (as the reference does).
  if (!equalBytes(kzg.commit(poly(record)), commitment)) return false;
  return kzg.verify(segmentCommitment, g.numPieces, position, blake3_254(commitment), witness);
}
