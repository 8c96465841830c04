/** Input checks of the encoders: cheap on success, a `NODE_INVALID_ARGUMENT` naming the argument otherwise. */
import { NodeError } from '../errors.js';

const U64_MAX = (1n << 64n) - 1n;

export function abytes(
  value: unknown,
  length: number | undefined,
  what: string,
): asserts value is Uint8Array {
  if (value instanceof Uint8Array && (length === undefined || value.length === length)) return;
  const got = value instanceof Uint8Array ? `length=${value.length}` : typeof value;
  throw new NodeError({
    code: 'NODE_INVALID_ARGUMENT',
    what,
    reason: `expected Uint8Array${length === undefined ? '' : ` of length ${length}`}, got ${got}`,
  });
}

export function au32(value: unknown, what: string): asserts value is number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return;
  throw new NodeError({
    code: 'NODE_INVALID_ARGUMENT',
    what,
    reason: `expected a u32, got ${String(value)}`,
  });
}

export function au64(value: unknown, what: string): asserts value is bigint {
  if (typeof value === 'bigint' && value >= 0n && value <= U64_MAX) return;
  throw new NodeError({
    code: 'NODE_INVALID_ARGUMENT',
    what,
    reason: `expected a u64 bigint, got ${String(value)}`,
  });
}

export function aarray(value: unknown, what: string): asserts value is readonly unknown[] {
  if (Array.isArray(value)) return;
  throw new NodeError({
    code: 'NODE_INVALID_ARGUMENT',
    what,
    reason: `expected an array, got ${typeof value}`,
  });
}
