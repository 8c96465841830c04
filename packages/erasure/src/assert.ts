/** Argument checks that throw ErasureError (the success path first: they run on every call). */
import { isBytes } from '@autonomys/primitives';
import { MAX_SHARDS } from './constants.js';
import { ErasureError } from './errors.js';

/** Asserts a Uint8Array, of exactly `length` bytes when given. */
export function abytes(value: unknown, what: string, length?: number): asserts value is Uint8Array {
  if (!isBytes(value)) {
    throw new ErasureError({
      code: 'ERASURE_INVALID_ARGUMENT',
      what,
      reason: `expected Uint8Array, got ${describe(value)}`,
    });
  }
  if (length !== undefined && value.length !== length)
    throw new ErasureError({ code: 'ERASURE_INVALID_LENGTH', what, expected: length, actual: value.length });
}

/** Asserts an array. */
export function aarray(value: unknown, what: string): asserts value is readonly unknown[] {
  if (!Array.isArray(value))
    throw new ErasureError({
      code: 'ERASURE_INVALID_ARGUMENT',
      what,
      reason: `expected an array, got ${describe(value)}`,
    });
}

/** Asserts a byte length that is a whole number of `size`-byte items, and returns the count. */
export function acount(bytes: Uint8Array, size: number, what: string): number {
  if (bytes.length % size !== 0)
    throw new ErasureError({
      code: 'ERASURE_INVALID_LENGTH',
      what,
      expected: `a multiple of ${size}`,
      actual: bytes.length,
    });
  return bytes.length / size;
}

/** Asserts a power of two in [1, max] (a count of values or shards) and returns it. */
export function apow2(count: number, what: string, max: number = MAX_SHARDS): number {
  if (count >= 1 && count <= max && (count & (count - 1)) === 0) return count;
  throw new ErasureError({ code: 'ERASURE_NOT_POWER_OF_TWO', what, count, max });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}
