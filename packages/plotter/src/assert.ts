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
