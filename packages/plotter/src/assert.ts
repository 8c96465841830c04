/** Input checks at the public boundary (noble style: cheap success path, messages name the argument). */
import { POS_K_MAX, POS_K_MIN } from './constants.js';
import { PlotterError } from './errors.js';

/** Asserts a Uint8Array, of exactly `length` bytes when given. */
export function abytes(
  value: unknown,
  length: number | undefined,
  what: string,
): asserts value is Uint8Array {
  if (value instanceof Uint8Array) {
    if (length === undefined || value.length === length) return;
    throw new PlotterError({ code: 'PLOTTER_INVALID_LENGTH', what, expected: length, actual: value.length });
  }
  throw new PlotterError({
    code: 'PLOTTER_INVALID_ARGUMENT',
    what,
    reason: `expected Uint8Array, got ${value === null ? 'null' : typeof value}`,
  });
}

/** Asserts an integer in [min, max]. */
export function aint(value: unknown, min: number, max: number, what: string): asserts value is number {
  if (Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max) return;
  if (typeof value !== 'number')
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what,
      reason: `expected an integer, got ${typeof value}`,
    });
  throw new PlotterError({
    code: 'PLOTTER_OUT_OF_RANGE',
    what,
    value: String(value),
    min: String(min),
    max: String(max),
  });
}

/** Asserts a u32 challenge index (farming passes an s-bucket index, but any u32 is defined, §3.5). */
export function aindex(value: unknown, what = 'sBucket'): asserts value is number {
  aint(value, 0, 0xffffffff, what);
}

/** Asserts a supported space parameter and returns it (default: mainnet K = 20). */
export function ak(k: unknown, fallback: number): number {
  const v = k === undefined ? fallback : k;
  aint(v, POS_K_MIN, POS_K_MAX, 'k');
  return v;
}

/** Asserts a history size: a bigint in [1, 2^64 / 256) (its piece count must fit a u64). */
export function ahistorySize(v: unknown, what = 'historySize'): asserts v is bigint {
  if (typeof v !== 'bigint')
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what,
      reason: `expected a bigint, got ${typeof v}`,
    });
  if (v < 1n || v > MAX_HISTORY_SIZE)
    throw new PlotterError({
      code: 'PLOTTER_OUT_OF_RANGE',
      what,
      value: String(v),
      min: '1',
      max: String(MAX_HISTORY_SIZE),
    });
}

const MAX_HISTORY_SIZE = 0xffffffffffffffffn / 256n;

/** Asserts a u64 bigint. */
export function au64(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint')
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what,
      reason: `expected a bigint, got ${typeof v}`,
    });
  if (v < 0n || v > 0xffffffffffffffffn)
    throw new PlotterError({
      code: 'PLOTTER_OUT_OF_RANGE',
      what,
      value: String(v),
      min: '0',
      max: '18446744073709551615',
    });
}
