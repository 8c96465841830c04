/**
 * Typed errors. Every package has one error class over {@link AutonomysError}; its `code` is a
 * package-prefixed string that is part of the public API, and `type` carries the data to act on.
 *
 * @example
 * try { decodeSegmentHeader(bytes); } catch (e) {
 *   if (e instanceof PrimitivesError && e.type.code === 'PRIMITIVES_INVALID_LENGTH') console.log(e.type.actual);
 * }
 */
export class AutonomysError<T extends { code: string } = { code: string }> extends Error {
  /** The discriminated error data: `switch (err.type.code)` narrows it. */
  readonly type: T;

  constructor(type: T, message?: string) {
    super(message ?? describe(type));
    this.type = type;
    this.name = new.target.name;
  }

  /** The stable error code, e.g. `PRIMITIVES_INVALID_LENGTH`. */
  get code(): T['code'] {
    return this.type.code;
  }
}

function describe(type: { code: string }): string {
  const { code, ...rest } = type as { code: string } & Record<string, unknown>;
  const fields = Object.entries(rest).map(
    ([k, v]) => `${k}=${typeof v === 'bigint' ? `${v}n` : typeof v === 'string' ? v : JSON.stringify(v)}`,
  );
  return fields.length > 0 ? `${code}: ${fields.join(', ')}` : code;
}

export type PrimitivesErrorType =
  /** A value's byte length is not the one the layout requires. */
  | { code: 'PRIMITIVES_INVALID_LENGTH'; what: string; expected: number | string; actual: number }
  /** A string is not even-length lowercase/uppercase hex. */
  | { code: 'PRIMITIVES_INVALID_HEX'; what: string; reason: string }
  /** An integer does not fit its type, or a value is outside its allowed range. */
  | { code: 'PRIMITIVES_OUT_OF_RANGE'; what: string; value: string; min?: string; max?: string }
  /** A 32-byte big-endian value is not a canonical BLS12-381 scalar (it is >= r). */
  | { code: 'PRIMITIVES_NON_CANONICAL_SCALAR'; what: string }
  /** A SCALE enum (or Option) tag that the type does not have. */
  | { code: 'PRIMITIVES_INVALID_TAG'; what: string; tag: number }
  /** A SCALE compact integer in a longer mode than its value needs (SCALE decoding is strict). */
  | { code: 'PRIMITIVES_NON_CANONICAL_COMPACT'; what: string }
  /** The input ended before the value did. */
  | { code: 'PRIMITIVES_UNEXPECTED_END'; what: string; needed: number; available: number }
  /** Bytes left over after a value that must fill its input. */
  | { code: 'PRIMITIVES_TRAILING_BYTES'; what: string; remaining: number }
  /** A caller passed something of the wrong kind (not bytes, not an integer, ...). */
  | { code: 'PRIMITIVES_INVALID_ARGUMENT'; what: string; reason: string };

/** The error class of `@autonomys/primitives`. */
export class PrimitivesError extends AutonomysError<PrimitivesErrorType> {}

export type PrimitivesErrorCode = PrimitivesErrorType['code'];
