/**
 * The error class of `@autonomys/native`. It has the shape of `AutonomysError` from
 * `@autonomys/primitives` (a stable `code`, the data in `type`) but does not import it: this package
 * sits below every other one.
 */
export type NativeErrorType =
  /** The addon is not loaded (build failed, unsupported platform, or AUTONOMYS_NATIVE_DISABLE=1). */
  | { code: 'NATIVE_UNAVAILABLE'; what: string; reason: string }
  /** An argument has the wrong type, length or range. */
  | { code: 'NATIVE_INVALID_ARGUMENT'; what: string; reason: string }
  /** A point's bytes are not a valid encoding (flags, a coordinate >= p, a bad infinity encoding). */
  | { code: 'NATIVE_BAD_ENCODING'; what: string; index: number; group: 'G1' | 'G2' }
  /** The bytes decode to coordinates that are not on the curve. */
  | { code: 'NATIVE_NOT_ON_CURVE'; what: string; index: number; group: 'G1' | 'G2' }
  /** The point is on the curve but not in the prime-order subgroup. */
  | { code: 'NATIVE_NOT_IN_SUBGROUP'; what: string; index: number; group: 'G1' | 'G2' }
  /** A 32-byte big-endian scalar is not canonical (it is >= r). */
  | { code: 'NATIVE_INVALID_SCALAR'; what: string; index: number }
  /** The FFT root of unity does not have order exactly n (or is not canonical). */
  | { code: 'NATIVE_INVALID_ROOT'; what: string; size: number }
  /** The native side could not allocate its working memory. */
  | { code: 'NATIVE_OUT_OF_MEMORY'; what: string };

export type NativeErrorCode = NativeErrorType['code'];

export class NativeError extends Error {
  /** The discriminated error data: `switch (err.type.code)` narrows it. */
  readonly type: NativeErrorType;

  constructor(type: NativeErrorType, message?: string) {
    super(message ?? describe(type));
    this.type = type;
    this.name = 'NativeError';
  }

  /** The stable error code, e.g. `NATIVE_NOT_ON_CURVE`. */
  get code(): NativeErrorCode {
    return this.type.code;
  }
}

function describe(type: NativeErrorType): string {
  const { code, ...rest } = type as { code: string } & Record<string, unknown>;
  const fields = Object.entries(rest).map(
    ([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
  );
  return fields.length > 0 ? `${code}: ${fields.join(', ')}` : code;
}
