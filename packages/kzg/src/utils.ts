/** Argument checks that throw KzgError (the success path first: they run on every call). */
import { isBytes } from '@autonomys/primitives';
import { KzgError } from './errors.js';

/** Asserts a Uint8Array, of exactly `length` bytes when given. */
export function abytesKzg(value: unknown, what: string, length?: number): asserts value is Uint8Array {
  if (!isBytes(value)) {
    throw new KzgError({
      code: 'KZG_INVALID_ARGUMENT',
      what,
      reason: `expected Uint8Array, got ${typeof value}`,
    });
  }
  if (length !== undefined && value.length !== length) {
    throw new KzgError({ code: 'KZG_INVALID_LENGTH', what, expected: length, actual: value.length });
  }
}

/** Asserts an integer in [0, size). */
export function aindex(index: unknown, size: number, what: string): number {
  if (typeof index !== 'number' || !Number.isSafeInteger(index)) {
    throw new KzgError({
      code: 'KZG_INVALID_ARGUMENT',
      what,
      reason: `expected an integer, got ${typeof index}`,
    });
  }
  if (index < 0 || index >= size) throw new KzgError({ code: 'KZG_INDEX_OUT_OF_RANGE', what, index, size });
  return index;
}
