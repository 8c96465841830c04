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

/** Asserts an integer in [min, max]. */
export function aint(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new KzgError({
      code: 'KZG_INVALID_ARGUMENT',
      what,
      reason: `expected an integer in [${min}, ${max}], got ${String(value)}`,
    });
  }
  return value;
}

/** Throws KZG_ABORTED when the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new KzgError({ code: 'KZG_ABORTED' });
}

/** `promise`, or a KZG_ABORTED rejection as soon as `signal` aborts (the work itself goes on). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new KzgError({ code: 'KZG_ABORTED' }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
