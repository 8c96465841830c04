/**
 * The error class of `@autonomys/erasure`. `err.code` is part of the API; `err.type` carries the data
 * to act on (which argument, which index, how many shards were missing).
 */
import { AutonomysError } from '@autonomys/primitives';

export type ErasureErrorType =
  /** A byte length (or a list length) that the layout does not allow. */
  | { code: 'ERASURE_INVALID_LENGTH'; what: string; expected: number | string; actual: number }
  /** A count of values (or shards) that is not a power of two, is zero or is above the limit. */
  | { code: 'ERASURE_NOT_POWER_OF_TWO'; what: string; count: number; max: number }
  /** Fewer than half of the shards are present: the codeword cannot be recovered. */
  | { code: 'ERASURE_TOO_MANY_MISSING'; missing: number; shards: number; maxMissing: number }
  /** A 32-byte big-endian scalar that is not canonical (>= r); `index` is its position. */
  | { code: 'ERASURE_INVALID_SCALAR'; what: string; index: number }
  /** Bytes that are not a G1 point (bad flags, x >= p, not on the curve, outside the subgroup). */
  | { code: 'ERASURE_INVALID_POINT'; what: string; index: number; reason: string }
  /** A value of the wrong kind (not bytes, not an array, an unknown backend...). */
  | { code: 'ERASURE_INVALID_ARGUMENT'; what: string; reason: string }
  /** An async operation's `signal` was aborted. */
  | { code: 'ERASURE_ABORTED' };

export type ErasureErrorCode = ErasureErrorType['code'];

/** The error class of `@autonomys/erasure`: `switch (err.type.code)` narrows the data. */
export class ErasureError extends AutonomysError<ErasureErrorType> {}
