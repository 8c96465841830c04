/**
 * The few protobuf pieces the format needs: unsigned varints (canonical only), length-delimited
 * fields, and a bounds-checked reader whose failures are DAG_MALFORMED_NODE.
 */
import { malformed } from './errors.js';

/** Bytes of the varint of a non-negative integer below 2^53. */
export function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** Bytes of the varint of a non-negative bigint. */
export function varintLengthBig(n: bigint): number {
  let len = 1;
  while (n >= 0x80n) {
    n >>= 7n;
    len++;
  }
  return len;
}

/** Writes a varint of a non-negative integer below 2^53; returns the next offset. */
export function writeVarint(out: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[pos++] = n;
  return pos;
}

/** Writes a varint of a non-negative bigint; returns the next offset. */
export function writeVarintBig(out: Uint8Array, pos: number, n: bigint): number {
  while (n >= 0x80n) {
    out[pos++] = Number(n & 0x7fn) | 0x80;
    n >>= 7n;
  }
  out[pos++] = Number(n);
  return pos;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
export const utf8Encoder = new TextEncoder();

/** A cursor over one message's bytes. */
export class ProtoReader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /**
   * A canonical varint up to 64 bits as a bigint (rarely needed: sizes over 2^53, negative int32).
   * Non-minimal encodings (a final 0x00 byte) are rejected: the SDK's encoder never writes them.
   */
  varintBig(what: string): bigint {
    const start = this.pos;
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) malformed(`${what}: varint runs past the end`, start);
      const b = this.bytes[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        if (b === 0 && i > 0) malformed(`${what}: non-minimal varint`, start);
        if (i === 9 && b > 1) malformed(`${what}: varint over 64 bits`, start);
        return result;
      }
      shift += 7n;
    }
    return malformed(`${what}: varint over 64 bits`, start);
  }

  /** A canonical varint below 2^53 as a number (the hot path: tags and lengths). */
  varint(what: string): number {
    const start = this.pos;
    const bytes = this.bytes;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) malformed(`${what}: varint runs past the end`, start);
      const b = bytes[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        if (b === 0 && i > 0) malformed(`${what}: non-minimal varint`, start);
        return result;
      }
      mul *= 128;
    }
    // 8 bytes hold 56 bits: beyond 2^53 fall back to the exact path and reject what does not fit.
    this.pos = start;
    const big = this.varintBig(what);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) malformed(`${what}: value too large`, start);
    return Number(big);
  }

  /** A length-delimited field's byte range: [start, end). */
  lengthDelimited(what: string): [number, number] {
    const at = this.pos;
    const len = this.varint(what);
    if (len > this.end - this.pos) malformed(`${what}: length ${len} runs past the end`, at);
    const start = this.pos;
    this.pos += len;
    return [start, this.pos];
  }

  /** A length-delimited field as a view into the input. */
  bytesField(what: string): Uint8Array {
    const [s, e] = this.lengthDelimited(what);
    return this.bytes.subarray(s, e);
  }

  /** A length-delimited UTF-8 string (invalid UTF-8 is malformed). */
  stringField(what: string): string {
    const at = this.pos;
    const b = this.bytesField(what);
    try {
      return utf8Decoder.decode(b);
    } catch {
      return malformed(`${what}: invalid UTF-8`, at);
    }
  }

  /** An int32 field: varint, negative values as 10-byte two's complement. */
  int32(what: string): number {
    const at = this.pos;
    const v = this.varintBig(what);
    const n = BigInt.asIntN(64, v);
    if (n < -2147483648n || n > 2147483647n) malformed(`${what}: not an int32`, at);
    return Number(n);
  }

  /** Skips a field of an unknown number by its wire type (varint, 64-bit, length-delimited, 32-bit). */
  skip(wireType: number, what: string): void {
    const at = this.pos;
    switch (wireType) {
      case 0:
        this.varintBig(what);
        return;
      case 1:
        if (this.end - this.pos < 8) malformed(`${what}: fixed64 runs past the end`, at);
        this.pos += 8;
        return;
      case 2:
        this.lengthDelimited(what);
        return;
      case 5:
        if (this.end - this.pos < 4) malformed(`${what}: fixed32 runs past the end`, at);
        this.pos += 4;
        return;
      default:
        malformed(`${what}: unsupported wire type ${wireType}`, at);
    }
  }
}
