/**
 * From any half of a segment's pieces back to its recorded history bytes (archiving §3.8): the
 * records are recovered column by column with the erasure code, and the source records' 31-byte
 * payloads are concatenated.
 */
import { ErasureError, extendColumns, recoverColumns } from '@autonomys/erasure';
import type { Kzg } from '@autonomys/kzg';
import { isCanonicalScalarAt } from '@autonomys/primitives';
import { ArchiverError } from './errors.js';
import { type ArchivingParams, segmentGeometry } from './params.js';
import { isPieceValid } from './verify.js';

export interface RecoverSegmentOptions {
  /**
   * Check every given piece against the segment commitment first (recommended for pieces from
   * the network): pieces that fail are left out of the recovery and reported.
   */
  readonly verify?: { readonly kzg: Kzg; readonly segmentCommitment: Uint8Array };
}

export interface RecoveredSegment {
  /** The recorded history segment (`segmentSize` bytes), ready for the {@link Reconstructor}. */
  readonly segment: Uint8Array;
  /** Positions of given pieces that failed verification and were not used. */
  readonly inconsistentPieces: number[];
}

/**
 * Recovers a segment from its pieces in position order (`undefined` where missing). At least half
 * must be present (and valid, when verifying), else `ARCHIVER_DATA_SHARDS_RECONSTRUCTION` lists
 * what was wrong. Without verification, given pieces that do not form one codeword are detected
 * (unless exactly half are given: then any half is a codeword) and rejected the same way.
 * @example const { segment } = recoverSegment(pieces, undefined, { verify: { kzg, segmentCommitment } });
 */
export function recoverSegment(
  pieces: readonly (Uint8Array | undefined | null)[],
  params?: ArchivingParams,
  opts: RecoverSegmentOptions = {},
): RecoveredSegment {
  const g = segmentGeometry(params);
  if (!Array.isArray(pieces) || pieces.length !== g.numPieces) {
    throw new ArchiverError({
      code: 'ARCHIVER_INVALID_ARGUMENT',
      what: 'pieces',
      reason: `expected an array of ${g.numPieces} (optional) pieces`,
    });
  }
  const inconsistentPieces: number[] = [];
  const records: (Uint8Array | undefined)[] = pieces.map((p, i) => {
    if (p === undefined || p === null) return undefined;
    if (!(p instanceof Uint8Array) || p.length !== g.pieceSize) {
      throw new ArchiverError({
        code: 'ARCHIVER_INVALID_PIECE',
        position: i,
        reason: `expected ${g.pieceSize} bytes`,
      });
    }
    if (opts.verify && !isPieceValid(opts.verify.kzg, p, opts.verify.segmentCommitment, i, params)) {
      inconsistentPieces.push(i);
      return undefined;
    }
    const record = p.subarray(0, g.recordSize);
    for (let at = 0; at < g.recordSize; at += 32) {
      if (!isCanonicalScalarAt(record, at)) {
        inconsistentPieces.push(i);
        return undefined;
      }
    }
    return record;
  });
  const present = records.filter((r) => r !== undefined).length;
  if (present < g.numPieces / 2) {
    throw new ArchiverError({
      code: 'ARCHIVER_DATA_SHARDS_RECONSTRUCTION',
      reason: `${present} usable pieces of ${g.numPieces}, need ${g.numPieces / 2}`,
      inconsistentPieces,
    });
  }
  const allSources = records.every((r, i) => i % 2 === 1 || r !== undefined);
  let full: readonly (Uint8Array | undefined)[];
  try {
    if (allSources) {
      // Every source record is here: the parity ones follow by extension (and check the given ones).
      const parity = extendColumns(Array.from({ length: g.numRawRecords }, (_, k) => records[2 * k]!));
      full = records.map((r, i) => (i % 2 === 0 ? r : parity[(i - 1) / 2]));
    } else {
      full = recoverColumns(records);
    }
  } catch (e) {
    if (e instanceof ErasureError)
      throw new ArchiverError({
        code: 'ARCHIVER_DATA_SHARDS_RECONSTRUCTION',
        reason: e.message,
        inconsistentPieces,
      });
    throw e;
  }
  // Recovery trusts its inputs: every given piece must agree with the recovered codeword.
  const mismatched = records.flatMap((r, i) =>
    r !== undefined && Buffer.compare(r, full[i]!) !== 0 ? [i] : [],
  );
  if (mismatched.length > 0) {
    throw new ArchiverError({
      code: 'ARCHIVER_DATA_SHARDS_RECONSTRUCTION',
      reason:
        'the given pieces are not one codeword (verify them against the segment commitment to find the bad ones)',
      inconsistentPieces: [...inconsistentPieces, ...mismatched],
    });
  }
  const segment = new Uint8Array(g.segmentSize);
  for (let k = 0; k < g.numRawRecords; k++) {
    const record = full[2 * k]!;
    for (let j = 0; j < g.numChunks; j++) {
      // A source scalar always has a zero top byte; a recovered one without it means bad input.
      if (record[j * 32] !== 0) {
        throw new ArchiverError({
          code: 'ARCHIVER_DATA_SHARDS_RECONSTRUCTION',
          reason: `recovered source record ${k} is not 31-byte data`,
          inconsistentPieces,
        });
      }
      segment.set(record.subarray(j * 32 + 1, j * 32 + 32), k * g.rawRecordSize + j * 31);
    }
  }
  return { segment, inconsistentPieces };
}
