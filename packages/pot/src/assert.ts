/**
 * Argument checks for the public functions (success path first: they run on every call). Internals
 * trust their inputs.
 */
import { isBytes } from '@autonomys/primitives';
import { POT_ITERATIONS_MULTIPLE, POT_MAX_SLOT_ITERATIONS } from './constants.js';
import { PotError } from './errors.js';

/** Asserts a Uint8Array of exactly `length` bytes (any length when omitted). */
export function abytes(value: unknown, what: string, length?: number): asserts value is Uint8Array {
  if (isBytes(value) && (length === undefined || value.length === length)) return;
  if (!isBytes(value))
    throw new PotError({
      code: 'POT_INVALID_ARGUMENT',
      what,
      reason: `expected Uint8Array, got ${typeOf(value)}`,
    });
  throw new PotError({ code: 'POT_INVALID_LENGTH', what, expected: length ?? 0, actual: value.length });
}

/** Asserts an integer in `[0, max]`. */
export function auint(value: unknown, what: string, max: number): asserts value is number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) return;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new PotError({
      code: 'POT_INVALID_ARGUMENT',
      what,
      reason: `expected an integer, got ${typeOf(value)}`,
    });
  throw new PotError({ code: 'POT_OUT_OF_RANGE', what, value: String(value), max: String(max) });
}

/** Asserts a slot: a bigint in the u64 range. */
export function aslot(value: unknown, what = 'slot'): asserts value is bigint {
  if (typeof value === 'bigint' && value >= 0n && value <= 0xffff_ffff_ffff_ffffn) return;
  if (typeof value !== 'bigint')
    throw new PotError({
      code: 'POT_INVALID_ARGUMENT',
      what,
      reason: `expected a bigint, got ${typeOf(value)}`,
    });
  throw new PotError({ code: 'POT_OUT_OF_RANGE', what, value: String(value), max: '18446744073709551615' });
}

/**
 * Asserts a valid `slot_iterations`: a non-zero u32 multiple of 16. pot A.2 (prove and verify both
 * reject before doing any work).
 */
export function aslotIterations(value: unknown): asserts value is number {
  if (
    typeof value === 'number' &&
    value > 0 &&
    value <= POT_MAX_SLOT_ITERATIONS &&
    value % POT_ITERATIONS_MULTIPLE === 0
  )
    return;
  auint(value, 'slot iterations', 0xffff_ffff);
  if (value === 0) throw new PotError({ code: 'POT_ZERO_ITERATIONS', what: 'slot iterations' });
  throw new PotError({ code: 'POT_NOT_MULTIPLE_OF_CHECKPOINTS', slotIterations: value });
}

/** Asserts a non-zero iteration count per checkpoint (the key-level API), at most u32 / 8. */
export function acheckpointIterations(value: unknown): asserts value is number {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 0x1fff_ffff) return;
  auint(value, 'checkpoint iterations', 0x1fff_ffff);
  throw new PotError({ code: 'POT_ZERO_ITERATIONS', what: 'checkpoint iterations' });
}

/** Throws POT_ABORTED when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new PotError({ code: 'POT_ABORTED' });
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
