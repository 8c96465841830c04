/**
 * A thin SCALE (Substrate's codec) layer: fixed-width little-endian integers, strict compact
 * integers, byte vectors, options and enum tags. Decoding is as strict as parity-scale-codec:
 * compact integers must use their shortest mode, tags must exist, and whole-value decoders reject
 * trailing bytes. Every failure is a {@link PrimitivesError}.
 */
import { abytes } from './assert.js';
import { PrimitivesError } from './errors.js';

const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;

/** The encoded length of `Compact<u32>(value)`. @example compactLength(64) // 2 */
export function compactLength(value: number): number {
  if (value < 0x40) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x40000000) return 4;
  return 5;
}

/**
 * `Compact<u32>` (or any compact up to 2^53 - 1) as bytes.
 * @example encodeCompact(130023424) // 0200001f
 */
export function encodeCompact(value: number | bigint): Uint8Array {
  const w = new ScaleWriter(9);
  w.compact(value);
  return w.finish();
}

/** Reads a byte buffer front to back. Each read checks that enough bytes remain. */
export class ScaleReader {
  readonly bytes: Uint8Array;
  offset: number;
  /** What is being decoded, for error messages. */
  readonly what: string;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, what = 'SCALE value', offset = 0) {
    abytes(bytes, undefined, what);
    this.bytes = bytes;
    this.offset = offset;
    this.what = what;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(n: number, what: string): number {
    const at = this.offset;
    if (at + n > this.bytes.length) {
      throw new PrimitivesError({
        code: 'PRIMITIVES_UNEXPECTED_END',
        what: `${this.what}: ${what}`,
        needed: at + n,
        available: this.bytes.length,
      });
    }
    this.offset = at + n;
    return at;
  }

  u8(what = 'u8'): number {
    return this.bytes[this.need(1, what)]!;
  }

  u16(what = 'u16'): number {
    return this.view.getUint16(this.need(2, what), true);
  }

  u32(what = 'u32'): number {
    return this.view.getUint32(this.need(4, what), true);
  }

  /** A u64 as a bigint. */
  u64(what = 'u64'): bigint {
    return this.view.getBigUint64(this.need(8, what), true);
  }

  /** A u64 that must be a safe integer (e.g. a count); larger values are `PRIMITIVES_OUT_OF_RANGE`. */
  u64Number(what = 'u64'): number {
    const at = this.need(8, what);
    const lo = this.view.getUint32(at, true);
    const hi = this.view.getUint32(at + 4, true);
    if (hi > 0x1fffff) {
      throw new PrimitivesError({
        code: 'PRIMITIVES_OUT_OF_RANGE',
        what: `${this.what}: ${what}`,
        value: String(this.view.getBigUint64(at, true)),
        max: String(Number.MAX_SAFE_INTEGER),
      });
    }
    return hi * 2 ** 32 + lo;
  }

  /** `n` bytes as a view into the input (no copy). */
  bytesView(n: number, what = 'bytes'): Uint8Array {
    const at = this.need(n, what);
    return this.bytes.subarray(at, at + n);
  }

  /** `n` bytes as a fresh copy. */
  fixed(n: number, what = 'bytes'): Uint8Array {
    const at = this.need(n, what);
    return this.bytes.slice(at, at + n);
  }

  /** A strict `Compact<u32>`: the shortest mode, and the 5-byte mode only with prefix 0x03. */
  compactU32(what = 'Compact<u32>'): number {
    const v = this.compactBig(what, 4);
    return Number(v);
  }

  /**
   * A strict compact integer of up to `maxBytes` bytes in big mode (4 for u32, 8 for u64, 16 for
   * u128), as a bigint.
   */
  compactBig(what = 'Compact', maxBytes: 4 | 8 | 16 = 8): bigint {
    const first = this.u8(what);
    const mode = first & 3;
    if (mode === 0) return BigInt(first >>> 2);
    if (mode === 1) {
      const second = this.u8(what);
      const v = ((second << 8) | first) >>> 2;
      if (v < 0x40)
        throw new PrimitivesError({
          code: 'PRIMITIVES_NON_CANONICAL_COMPACT',
          what: `${this.what}: ${what}`,
        });
      return BigInt(v);
    }
    if (mode === 2) {
      this.offset -= 1;
      const v = this.u32(what) >>> 2;
      if (v < 0x4000)
        throw new PrimitivesError({
          code: 'PRIMITIVES_NON_CANONICAL_COMPACT',
          what: `${this.what}: ${what}`,
        });
      return BigInt(v);
    }
    const n = (first >>> 2) + 4;
    if (n > maxBytes) {
      throw new PrimitivesError({
        code: 'PRIMITIVES_OUT_OF_RANGE',
        what: `${this.what}: ${what}`,
        value: `${n}-byte compact`,
        max: `${maxBytes} bytes`,
      });
    }
    const at = this.need(n, what);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.bytes[at + i]!);
    // Shortest form: 4 bytes only for values >= 2^30; n > 4 bytes only when n - 1 would not do.
    const min = n === 4 ? 1n << 30n : 1n << BigInt(8 * (n - 1));
    if (v < min)
      throw new PrimitivesError({ code: 'PRIMITIVES_NON_CANONICAL_COMPACT', what: `${this.what}: ${what}` });
    return v;
  }

  /** A `Vec<u8>`: compact length then bytes (copied). `maxLength` bounds what a length may claim. */
  vecU8(what = 'Vec<u8>', maxLength = Number.MAX_SAFE_INTEGER): Uint8Array {
    const n = this.compactU32(`${what} length`);
    if (n > maxLength) {
      throw new PrimitivesError({
        code: 'PRIMITIVES_OUT_OF_RANGE',
        what: `${this.what}: ${what} length`,
        value: String(n),
        max: String(maxLength),
      });
    }
    return this.fixed(n, what);
  }

  /** An enum or Option tag that must be below `count`. */
  tag(count: number, what = 'tag'): number {
    const t = this.u8(what);
    if (t >= count)
      throw new PrimitivesError({ code: 'PRIMITIVES_INVALID_TAG', what: `${this.what}: ${what}`, tag: t });
    return t;
  }

  /** `Option<T>`: 0x00 is `undefined`, 0x01 then the value. */
  option<T>(read: (r: this) => T, what = 'Option'): T | undefined {
    return this.tag(2, what) === 1 ? read(this) : undefined;
  }

  /** Asserts every byte was consumed (a whole-value decoder ends with this). */
  finish(): void {
    if (this.offset !== this.bytes.length) {
      throw new PrimitivesError({
        code: 'PRIMITIVES_TRAILING_BYTES',
        what: this.what,
        remaining: this.bytes.length - this.offset,
      });
    }
  }
}

/** Builds a SCALE encoding into a growing buffer. */
export class ScaleWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  private reserve(n: number): number {
    const at = this.length;
    if (at + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, at + n));
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.length = at + n;
    return at;
  }

  u8(v: number): this {
    const at = this.reserve(1);
    this.buf[at] = v;
    return this;
  }

  u16(v: number): this {
    const at = this.reserve(2); // before reading this.view: reserve may replace it
    this.view.setUint16(at, v, true);
    return this;
  }

  u32(v: number): this {
    const at = this.reserve(4); // before reading this.view: reserve may replace it
    this.view.setUint32(at, v, true);
    return this;
  }

  u64(v: bigint | number): this {
    const at = this.reserve(8);
    this.view.setBigUint64(at, BigInt(v), true);
    return this;
  }

  bytes(b: Uint8Array): this {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
    return this;
  }

  /** A compact integer in its shortest mode (values up to u128). */
  compact(value: number | bigint): this {
    if (typeof value === 'number' && value < 0x40000000) {
      if (value < 0x40) return this.u8(value << 2);
      if (value < 0x4000) return this.u16((value << 2) | 1);
      return this.u32(((value << 2) | 2) >>> 0);
    }
    const v = BigInt(value);
    if (v < 0x40000000n) return this.compact(Number(v));
    if (v > U128_MAX)
      throw new PrimitivesError({
        code: 'PRIMITIVES_OUT_OF_RANGE',
        what: 'compact',
        value: String(v),
        max: String(U128_MAX),
      });
    let n = 4;
    while (n < 16 && v >> BigInt(8 * n) > 0n) n++;
    this.u8(((n - 4) << 2) | 3);
    let x = v;
    for (let i = 0; i < n; i++) {
      this.u8(Number(x & 0xffn));
      x >>= 8n;
    }
    return this;
  }

  /** A `Vec<u8>`: compact length then the bytes. */
  vecU8(b: Uint8Array): this {
    return this.compact(b.length).bytes(b);
  }

  /** The encoded bytes (a fresh array of exactly `length` bytes). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export { U64_MAX };
