import { NativeError } from './errors.js';

/** Throws unless `value` is a Uint8Array (of `length` bytes, or a multiple of `multipleOf`). */
export function abytes(value: unknown, what: string, length?: number, multipleOf?: number): Uint8Array {
  if (
    value instanceof Uint8Array &&
    (length === undefined || value.length === length) &&
    (multipleOf === undefined || value.length % multipleOf === 0)
  ) {
    return value;
  }
  const expected =
    length !== undefined
      ? `of length ${length}`
      : multipleOf !== undefined
        ? `of a length divisible by ${multipleOf}`
        : '';
  const got = value instanceof Uint8Array ? `length=${value.length}` : `type=${typeof value}`;
  throw new NativeError({
    code: 'NATIVE_INVALID_ARGUMENT',
    what,
    reason: `expected Uint8Array ${expected}, got ${got}`,
  });
}

/** Throws unless `value` is a safe integer in [min, max]. */
export function aint(value: unknown, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max)
    return value as number;
  throw new NativeError({
    code: 'NATIVE_INVALID_ARGUMENT',
    what,
    reason: `expected an integer in [${min}, ${max}], got ${String(value)}`,
  });
}
