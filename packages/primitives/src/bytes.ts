/**
 * Byte helpers: hex, concatenation, comparison, and fixed-width integer codecs (u8 to u256) in both
 * byte orders. Integers up to 53 bits travel as `number`; u64/u128/u256 as `bigint` (only at the
 * API boundary: hot paths read u64 halves with DataView).
 */
import { abigint, abytes, auint } from './assert.js';
import { PrimitivesError } from './errors.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex, no `0x`. @example bytesToHex(new Uint8Array([1, 171])) // '01ab' */
export function bytesToHex(bytes: Uint8Array): string {
  abytes(bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/**
 * Parses hex (an optional `0x` prefix, either case). With `length`, the result must have exactly
 * that many bytes.
 * @example hexToBytes('0x01ab') // Uint8Array [1, 171]
 */
export function hexToBytes(hex: string, length?: number, what = 'hex'): Uint8Array {
  if (typeof hex !== 'string') {
    throw new PrimitivesError({
      code: 'PRIMITIVES_INVALID_ARGUMENT',
      what,
      reason: `expected a string, got ${typeof hex}`,
    });
  }
  const start = hex.startsWith('0x') || hex.startsWith('0X') ? 2 : 0;
  const digits = hex.length - start;
  if (digits % 2 !== 0)
    throw new PrimitivesError({ code: 'PRIMITIVES_INVALID_HEX', what, reason: 'odd number of digits' });
  const out = new Uint8Array(digits / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(hex.charCodeAt(start + 2 * i));
    const lo = nibble(hex.charCodeAt(start + 2 * i + 1));
    if (hi < 0 || lo < 0) {
      throw new PrimitivesError({
        code: 'PRIMITIVES_INVALID_HEX',
        what,
        reason: `not a hex digit at ${start + 2 * i}`,
      });
    }
    out[i] = (hi << 4) | lo;
  }
  if (length !== undefined && out.length !== length) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_INVALID_LENGTH',
      what,
      expected: length,
      actual: out.length,
    });
  }
  return out;
}

/** Concatenates byte arrays into a fresh one. @example concatBytes(a, b) */
export function concatBytes(...arrays: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const a of arrays) {
    abytes(a);
    total += a.length;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

/** Byte-wise equality (not constant time: for public data). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  abytes(a, undefined, 'a');
  abytes(b, undefined, 'b');
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic comparison: negative, zero or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  abytes(a, undefined, 'a');
  abytes(b, undefined, 'b');
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** `a XOR b` into a fresh array; both must have the same length. */
export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  abytes(a, undefined, 'a');
  abytes(b, a.length, 'b');
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** Integer widths in bytes that the codecs below support. */
export type IntWidth = 1 | 2 | 4 | 8 | 16 | 32;

function aWidth(width: number): asserts width is IntWidth {
  if (width !== 1 && width !== 2 && width !== 4 && width !== 8 && width !== 16 && width !== 32) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_INVALID_ARGUMENT',
      what: 'width',
      reason: `unsupported width ${width}`,
    });
  }
}

/** Little-endian encoding of an unsigned integer of `width` bytes. @example uintToLe(1, 2) // [1, 0] */
export function uintToLe(value: number | bigint, width: IntWidth): Uint8Array {
  aWidth(width);
  const out = new Uint8Array(width);
  if (typeof value === 'number') {
    auint(value, 'value', width >= 7 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * width) - 1);
    let v = value;
    for (let i = 0; i < width && v > 0; i++) {
      out[i] = v % 256;
      v = Math.floor(v / 256);
    }
    return out;
  }
  abigint(value, 'value', (1n << BigInt(8 * width)) - 1n);
  let v = value;
  for (let i = 0; i < width; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Big-endian encoding of an unsigned integer of `width` bytes. */
export function uintToBe(value: number | bigint, width: IntWidth): Uint8Array {
  return uintToLe(value, width).reverse();
}

/** Reads an unsigned little-endian integer as a bigint (any width up to 32 bytes). */
export function leToBigint(bytes: Uint8Array): bigint {
  abytes(bytes);
  if (bytes.length > 32) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_INVALID_LENGTH',
      what: 'integer bytes',
      expected: '<= 32',
      actual: bytes.length,
    });
  }
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

/** Reads an unsigned big-endian integer as a bigint (any width up to 32 bytes). */
export function beToBigint(bytes: Uint8Array): bigint {
  abytes(bytes);
  if (bytes.length > 32) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_INVALID_LENGTH',
      what: 'integer bytes',
      expected: '<= 32',
      actual: bytes.length,
    });
  }
  let v = 0n;
  for (let i = 0; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

/** Reads a little-endian u16 at `offset`. */
export function readU16Le(bytes: Uint8Array, offset = 0): number {
  aRange(bytes, offset, 2);
  return bytes[offset]! | (bytes[offset + 1]! << 8);
}

/** Reads a little-endian u32 at `offset`. */
export function readU32Le(bytes: Uint8Array, offset = 0): number {
  aRange(bytes, offset, 4);
  return (
    (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>>
    0
  );
}

/** Reads a little-endian u64 at `offset` as a bigint. */
export function readU64Le(bytes: Uint8Array, offset = 0): bigint {
  aRange(bytes, offset, 8);
  const lo = readU32Le(bytes, offset);
  const hi = readU32Le(bytes, offset + 4);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function aRange(bytes: Uint8Array, offset: number, width: number): void {
  abytes(bytes);
  auint(offset, 'offset');
  if (offset + width > bytes.length) {
    throw new PrimitivesError({
      code: 'PRIMITIVES_UNEXPECTED_END',
      what: `u${8 * width}`,
      needed: offset + width,
      available: bytes.length,
    });
  }
}
