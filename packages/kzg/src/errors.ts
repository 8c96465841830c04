/**
 * The error class of `@autonomys/kzg`. `err.code` is part of the API; `err.type` carries the data
 * to act on (which argument, which index, what was expected).
 */
import { AutonomysError } from '@autonomys/primitives';

export type KzgErrorType =
  /** A 32-byte big-endian scalar is not canonical (it is >= r). `index` is set inside a vector. */
  | { code: 'KZG_INVALID_SCALAR'; what: string; index?: number }
  /** Bytes that are not a point: bad flags, a coordinate >= p, a bad infinity encoding, not on the curve. */
  | { code: 'KZG_INVALID_POINT'; what: string; reason: string; index?: number }
  /** A point on the curve but outside the prime-order subgroup. */
  | { code: 'KZG_NOT_IN_SUBGROUP'; what: string; index?: number }
  /** A byte length (or element count) that the layout does not allow. */
  | { code: 'KZG_INVALID_LENGTH'; what: string; expected: number | string; actual: number }
  /** A domain size (or polynomial length) that is not a power of two, or too large. */
  | { code: 'KZG_INVALID_DOMAIN_SIZE'; what: string; size: number; max: number }
  /** An evaluation index outside [0, domainSize). */
  | { code: 'KZG_INDEX_OUT_OF_RANGE'; what: string; index: number; size: number }
  /** A polynomial has more coefficients than there are G1 powers in the parameters. */
  | { code: 'KZG_POLYNOMIAL_TOO_LARGE'; coefficients: number; available: number }
  /** The public parameters file was not found at any of the listed paths. */
  | { code: 'KZG_PARAMETERS_NOT_FOUND'; paths: string[] }
  /** The public parameters bytes do not have the expected size, digest or content. */
  | { code: 'KZG_PARAMETERS_CORRUPT'; reason: string }
  /** A caller passed something of the wrong kind (not bytes, not an integer, ...). */
  | { code: 'KZG_INVALID_ARGUMENT'; what: string; reason: string }
  /** An async operation's `signal` was aborted. */
  | { code: 'KZG_ABORTED' };

export type KzgErrorCode = KzgErrorType['code'];

/** The error class of `@autonomys/kzg`: `switch (err.type.code)` narrows the data. */
export class KzgError extends AutonomysError<KzgErrorType> {}
