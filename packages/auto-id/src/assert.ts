/** Argument checks of the public functions (success path first: they run on every call). */
import { isBytes } from '@autonomys/primitives';
import { invalidArgument } from './errors.js';

/** Asserts a Uint8Array, of exactly `length` bytes when given. */
export function abytes(value: unknown, what: string, length?: number): asserts value is Uint8Array {
  if (isBytes(value) && (length === undefined || value.length === length)) return;
  if (!isBytes(value)) invalidArgument(what, `expected Uint8Array, got ${typeOf(value)}`);
  invalidArgument(what, `expected ${length} bytes, got ${value.length}`);
}

/** Asserts a bigint in [0, 2^256). */
export function au256(value: unknown, what: string): asserts value is bigint {
  if (typeof value === 'bigint' && value >= 0n && value < 1n << 256n) return;
  invalidArgument(what, `expected a bigint in [0, 2^256), got ${typeOf(value)}`);
}

/** Asserts a u64 (a number or a bigint), returning it as a bigint. */
export function au64(value: unknown, what: string): bigint {
  if (typeof value === 'bigint' && value >= 0n && value < 1n << 64n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return invalidArgument(what, `expected a u64 (number or bigint), got ${typeOf(value)}`);
}

export function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
