/**
 * The typed errors of `@autonomys/node`. `err.code` is stable and `err.type` carries the data to
 * act on (`switch (err.type.code)` narrows it).
 *
 * @example
 * try { decodeHeader(bytes); } catch (e) {
 *   if (e instanceof NodeError && e.type.code === 'NODE_MALFORMED') console.log(e.type.what, e.type.cause);
 * }
 */
import { AutonomysError, PrimitivesError, type PrimitivesErrorCode } from '@autonomys/primitives';

export type NodeErrorType =
  /** Bytes that do not decode as the layout (`cause` is the SCALE-level reason). */
  | { code: 'NODE_MALFORMED'; what: string; cause: PrimitivesErrorCode; detail: string }
  /** A value handed to an encoder does not fit its layout (wrong size, out of range, wrong kind). */
  | { code: 'NODE_INVALID_ARGUMENT'; what: string; reason: string }
  /** A single-valued Subspace digest item appears twice (B.2). */
  | { code: 'NODE_DIGEST_DUPLICATE_ITEM'; item: string }
  /** Two `SegmentCommitment` logs for the same segment index (B.2). */
  | { code: 'NODE_DIGEST_DUPLICATE_SEGMENT_COMMITMENT'; segmentIndex: bigint }
  /** A mandatory Subspace digest item (pre-digest, `PotSlotIterations`, `SolutionRange`) is absent. */
  | { code: 'NODE_DIGEST_MISSING_ITEM'; item: string }
  /** The header has no digest item to pop as its seal (B.4 step 4). */
  | { code: 'NODE_UNSEALED' }
  /** The last digest item is not a `SUB_` seal of a 64-byte signature (B.4 step 4). */
  | { code: 'NODE_BAD_SEAL'; reason: string }
  /** The justifications hold no `SUB_` justification (B.4 step 5). */
  | { code: 'NODE_MISSING_JUSTIFICATION' }
  /** The data directory is damaged: a record fails its checksum, has an unknown type, or replays inconsistently. */
  | { code: 'NODE_CORRUPT_DATA'; path: string; offset: number; reason: string }
  /** The data directory belongs to another chain (different genesis hash). */
  | { code: 'NODE_DATA_DIR_MISMATCH'; path: string; expected: string; found: string }
  /** The data directory is used by another process. */
  | { code: 'NODE_DATA_DIR_LOCKED'; path: string; pid: number }
  /** The chain was closed. */
  | { code: 'NODE_CLOSED' }
  /**
   * An object is mapped but some of its pieces are not available from any source yet (its segment is
   * not archived or not spread yet): retry later. Corrupted pieces are a different failure.
   */
  | { code: 'NODE_OBJECT_UNAVAILABLE'; hash: string; reason: string }
  /** The parent block of a build request is unknown, or the request does not fit the parent. */
  | { code: 'NODE_BUILD_FAILED'; reason: string };

/** The error class of `@autonomys/node`. */
export class NodeError extends AutonomysError<NodeErrorType> {}

export type NodeErrorCode = NodeErrorType['code'];

/** Runs a decoder; a `PrimitivesError` from the SCALE layer becomes `NODE_MALFORMED` about `what`. */
export function decoding<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PrimitivesError) {
      throw new NodeError({ code: 'NODE_MALFORMED', what, cause: e.code, detail: e.message });
    }
    throw e;
  }
}

/** Runs an encoder; a `PrimitivesError` about its input becomes `NODE_INVALID_ARGUMENT`. */
export function encoding<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PrimitivesError) {
      throw new NodeError({ code: 'NODE_INVALID_ARGUMENT', what, reason: e.message });
    }
    throw e;
  }
}
