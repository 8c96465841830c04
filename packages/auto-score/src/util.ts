/** Small helpers shared by the modules (not exported from the package entry). */
import { bytesToHex, hexToBytes } from '@autonomys/primitives';
import { blake2b } from '@noble/hashes/blake2.js';
import { HASH_SIZE, MAX_STRING_LENGTH } from './constants.js';
import { invalidArgument, malformed, oversized } from './errors.js';

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export const utf8 = (s: string): Uint8Array => encoder.encode(s);

/** blake2b with a 32-byte digest, as `sp_core::blake2_256` and the SDK's `blake2b_256`. */
export const blake2b256 = (data: Uint8Array): Uint8Array => blake2b(data, { dkLen: HASH_SIZE });

/** Asserts a Uint8Array, optionally of an exact length. */
export function abytes(value: unknown, what: string, length?: number): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) invalidArgument(what, `expected Uint8Array, got ${typeOf(value)}`);
  if (length !== undefined && value.length !== length)
    invalidArgument(what, `expected ${length} bytes, got ${value.length}`);
}

/** Asserts a finite, safe, non-negative integer (milliseconds, counts). */
export function auint(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    invalidArgument(what, `expected a non-negative safe integer, got ${String(value)}`);
}

/** A string field of a proof: a string within the size limit. */
export function pstring(value: unknown, what: string, max = MAX_STRING_LENGTH): string {
  if (typeof value !== 'string') malformed(what, `expected a string, got ${typeOf(value)}`);
  if (value.length > max) oversized(what, value.length, max);
  return value;
}

/** Hex of an exact byte length in a proof (with or without 0x); a malformed proof otherwise. */
export function phex(value: unknown, what: string, length?: number): Uint8Array {
  const s = pstring(value, what);
  if (!/^(0x)?([0-9a-fA-F]{2})*$/.test(s)) malformed(what, 'not hex');
  const bytes = hexToBytes(s);
  if (length !== undefined && bytes.length !== length)
    malformed(what, `expected ${length} bytes, got ${bytes.length}`);
  return bytes;
}

/** A plain object (not null, not an array). */
export function pobject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    malformed(what, `expected an object, got ${typeOf(value)}`);
  return value as Record<string, unknown>;
}

/** `0x`-prefixed lowercase hex. */
export const hex0x = (b: Uint8Array): string => `0x${bytesToHex(b)}`;

export function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  return typeof v;
}

/** Constant-shape equality of byte arrays. */
export function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
