/**
 * Argument checks for public functions. The success path is first and cheap: these run on every
 * call. Internals trust their inputs and never re-check in hot loops.
 */
import { PrimitivesError } from './errors.js';

/** True for a Uint8Array (also across realms and for Node's Buffer, which subclasses it). */
export function isBytes(a: unknown): a is Uint8Array {
  return a instanceof Uint8Array || (ArrayBuffer.isView(a) && a.constructor.name === 'Uint8Array');
}

/**
 * Asserts `value` is a Uint8Array, of exactly `length` bytes when given.
 * @example abytes(seed, 16, 'seed') // PRIMITIVES_INVALID_LENGTH: what=seed, expected=16, actual=15
 */
export function abytes(value: unknown, length?: number, what = 'bytes'): asserts value is Uint8Array {
  if (!isBytes(value)) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_INVALID_ARGUMENT',
      what,
      reason: `expected Uint8Array, got ${typeOf(value)}`,
    });
  }
  if (length !== undefined && value.length !== length) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_INVALID_LENGTH',
      what,
      expected: length,
      actual: value.length,
    });
  }
}

/** Asserts a safe non-negative integer no larger than `max`. */
export function auint(
  value: unknown,
  what: string,
  max: number = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_INVALID_ARGUMENT',
      what,
      reason: `expected an integer, got ${typeOf(value)}`,
    });
  }
  if (value < 0 || value > max) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_OUT_OF_RANGE',
      what,
      value: String(value),
      min: '0',
      max: String(max),
    });
  }
}

/** Asserts a bigint in `[0, max]`. */
export function abigint(value: unknown, what: string, max: bigint): asserts value is bigint {
  if (typeof value !== 'bigint') {
    throw new PrimitivesError({
      code: 'PRIMITIVES_INVALID_ARGUMENT',
      what,
      reason: `expected a bigint, got ${typeOf(value)}`,
    });
  }
  if (value < 0n || value > max) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_OUT_OF_RANGE',
      what,
      value: String(value),
      min: '0',
      max: String(max),
    });
  }
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
