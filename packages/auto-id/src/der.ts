/**
 * A strict, minimal DER reader: just what the pallet's TBS decoding, signature algorithms and keys
 * need. Every element is a view into the input (no copies); every failure is AUTO_ID_MALFORMED_DER
 * with the offset of the element that broke.
 */
import { malformedDer } from './errors.js';

/** One DER element: tag class/number, and where its header and content lie in `bytes`. */
export interface DerElement {
  /** The identifier octet(s) as one number: class bits, constructed bit, and low tag number. */
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset one past the last content byte. */
  readonly end: number;
}

export const TAG_BOOLEAN = 0x01;
export const TAG_INTEGER = 0x02;
export const TAG_BIT_STRING = 0x03;
export const TAG_OCTET_STRING = 0x04;
export const TAG_NULL = 0x05;
export const TAG_OID = 0x06;
export const TAG_UTC_TIME = 0x17;
export const TAG_GENERALIZED_TIME = 0x18;
export const TAG_SEQUENCE = 0x30;
export const TAG_SET = 0x31;

/** Context-specific constructed tag `[n]` (n < 31). */
export const contextTag = (n: number): number => 0xa0 | n;

/**
 * Reads the element starting at `offset`, which must end by `limit`. Multi-byte tag numbers are
 * accepted (they are folded into `tag` above 0xff so they never equal a universal tag); lengths
 * must be definite and minimal, as DER requires.
 */
export function readElement(bytes: Uint8Array, offset: number, limit: number, what: string): DerElement {
  if (offset >= limit) malformedDer(what, 'expected an element, input ended', offset);
  let p = offset;
  let tag = bytes[p++]!;
  if ((tag & 0x1f) === 0x1f) {
    // High tag number form: base-128 digits, the first not 0x80 (minimal), at most 4 of them.
    let n = 0;
    let digits = 0;
    for (;;) {
      if (p >= limit) malformedDer(what, 'truncated tag', offset);
      const b = bytes[p++]!;
      if (digits === 0 && b === 0x80) malformedDer(what, 'non-minimal tag number', offset);
      n = n * 128 + (b & 0x7f);
      if (++digits > 4) malformedDer(what, 'tag number too large', offset);
      if ((b & 0x80) === 0) break;
    }
    if (n < 31) malformedDer(what, 'non-minimal tag number', offset);
    tag = 0x10000 * (tag & 0xe0) + n + 0x100;
  }
  if (p >= limit) malformedDer(what, 'truncated length', offset);
  const first = bytes[p++]!;
  let length = first;
  if (first >= 0x80) {
    const n = first & 0x7f;
    if (n === 0) malformedDer(what, 'indefinite length is not DER', offset);
    if (n > 4) malformedDer(what, 'length too large', offset);
    if (p + n > limit) malformedDer(what, 'truncated length', offset);
    if (bytes[p] === 0) malformedDer(what, 'non-minimal length', offset);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[p++]!;
    if (length < 0x80) malformedDer(what, 'non-minimal length', offset);
  }
  if (p + length > limit) malformedDer(what, `length ${length} runs past the end`, offset);
  return { tag, start: offset, contentStart: p, end: p + length };
}

/** Reads an element that must carry `tag`. */
export function expectElement(
  bytes: Uint8Array,
  offset: number,
  limit: number,
  tag: number,
  what: string,
): DerElement {
  const e = readElement(bytes, offset, limit, what);
  if (e.tag !== tag)
    malformedDer(what, `expected tag 0x${tag.toString(16)}, got 0x${e.tag.toString(16)}`, offset);
  return e;
}

/** The children of a constructed element, in order. */
export function children(bytes: Uint8Array, parent: DerElement, what: string): DerElement[] {
  const out: DerElement[] = [];
  for (let p = parent.contentStart; p < parent.end; ) {
    const e = readElement(bytes, p, parent.end, what);
    out.push(e);
    p = e.end;
  }
  return out;
}

/** The content bytes of an element (a view). */
export const content = (bytes: Uint8Array, e: DerElement): Uint8Array =>
  bytes.subarray(e.contentStart, e.end);

/** The whole encoding of an element, header included (a view). */
export const raw = (bytes: Uint8Array, e: DerElement): Uint8Array => bytes.subarray(e.start, e.end);

/** Decodes an OBJECT IDENTIFIER's content to dotted text (`1.2.840.113549.1.1.11`). */
export function decodeOid(bytes: Uint8Array, e: DerElement, what: string): string {
  if (e.tag !== TAG_OID) malformedDer(what, 'expected an OBJECT IDENTIFIER', e.start);
  if (e.end === e.contentStart) malformedDer(what, 'empty OBJECT IDENTIFIER', e.start);
  const arcs: bigint[] = [];
  let v = 0n;
  let fresh = true;
  for (let p = e.contentStart; p < e.end; p++) {
    const b = bytes[p]!;
    if (fresh && b === 0x80) malformedDer(what, 'non-minimal OID arc', e.start);
    v = (v << 7n) | BigInt(b & 0x7f);
    fresh = (b & 0x80) === 0;
    if (fresh) {
      arcs.push(v);
      v = 0n;
    }
  }
  if (!fresh) malformedDer(what, 'truncated OID arc', e.start);
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** Encodes dotted OID text as a full DER element (for building AlgorithmIdentifiers). */
export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map((s) => BigInt(s));
  const body: number[] = [];
  const push = (x: bigint) => {
    const digits: number[] = [Number(x & 0x7fn)];
    for (let y = x >> 7n; y > 0n; y >>= 7n) digits.unshift(Number(y & 0x7fn) | 0x80);
    body.push(...digits);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return Uint8Array.of(TAG_OID, body.length, ...body);
}

/** Wraps content in a header with the given tag (definite, minimal length). */
export function encodeElement(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  const len =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(1 + len.length + n);
  out[0] = tag;
  out.set(len, 1);
  out.set(body, 1 + len.length);
  return out;
}
