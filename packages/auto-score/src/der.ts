/**
 * A strict, minimal DER reader and writer for what passive authentication needs (CMS SignedData,
 * LDSSecurityObject, certificates' names). Every failure is `AUTO_SCORE_MALFORMED_PROOF`.
 */
import { malformed } from './errors.js';

/** One TLV: its tag byte, where its content starts and ends, and where the whole element starts. */
export interface Der {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

export const T = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  PRINTABLE_STRING: 0x13,
  UTF8_STRING: 0x0c,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;
/** `[n]` constructed context-specific tag. */
export const ctx = (n: number): number => 0xa0 | n;

/** Reads the element at `offset`, which must end by `limit`. Only single-byte tags, definite lengths. */
export function read(b: Uint8Array, offset: number, limit: number, what: string): Der {
  if (offset + 2 > limit) malformed(what, 'truncated element');
  const tag = b[offset]!;
  if ((tag & 0x1f) === 0x1f) malformed(what, 'multi-byte tags are not used here');
  let len = b[offset + 1]!;
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) malformed(what, 'indefinite length');
    if (n > 4) malformed(what, 'length too large');
    if (p + n > limit) malformed(what, 'truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + i]!;
    if (len < 0x80 || (n > 1 && b[p] === 0)) malformed(what, 'non-minimal length');
    p += n;
  }
  if (p + len > limit) malformed(what, 'content runs past its parent');
  return { tag, start: offset, contentStart: p, end: p + len };
}

/** Reads an element and checks its tag. */
export function expect(b: Uint8Array, offset: number, limit: number, tag: number, what: string): Der {
  const e = read(b, offset, limit, what);
  if (e.tag !== tag) malformed(what, `expected tag 0x${tag.toString(16)}, got 0x${e.tag.toString(16)}`);
  return e;
}

/** The children of a constructed element. */
export function kids(b: Uint8Array, e: Der, what: string): Der[] {
  if (!(e.tag & 0x20)) malformed(what, 'not a constructed element');
  const out: Der[] = [];
  for (let p = e.contentStart; p < e.end; ) {
    const c = read(b, p, e.end, what);
    out.push(c);
    p = c.end;
    if (out.length > 4096) malformed(what, 'too many elements');
  }
  return out;
}

/** The children, checking the count range. */
export function kidsN(b: Uint8Array, e: Der, min: number, max: number, what: string): Der[] {
  const k = kids(b, e, what);
  if (k.length < min || k.length > max) malformed(what, `expected ${min}..${max} elements, got ${k.length}`);
  return k;
}

export const body = (b: Uint8Array, e: Der): Uint8Array => b.subarray(e.contentStart, e.end);
export const whole = (b: Uint8Array, e: Der): Uint8Array => b.subarray(e.start, e.end);

/** Dotted OID of an OBJECT IDENTIFIER element. */
export function oid(b: Uint8Array, e: Der, what: string): string {
  if (e.tag !== T.OID) malformed(what, 'expected an OBJECT IDENTIFIER');
  const c = body(b, e);
  if (c.length === 0 || c.length > 64) malformed(what, 'bad OID length');
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < c.length; i++) {
    const x = c[i]!;
    if (v === 0 && x === 0x80) malformed(what, 'non-minimal OID arc');
    v = v * 128 + (x & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) malformed(what, 'OID arc too large');
    if (!(x & 0x80)) {
      parts.push(v);
      v = 0;
    } else if (i === c.length - 1) malformed(what, 'truncated OID');
  }
  const first = parts[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...parts.slice(1)].join('.');
}

/** A small non-negative INTEGER (versions, data-group numbers). */
export function smallInt(b: Uint8Array, e: Der, what: string): number {
  if (e.tag !== T.INTEGER) malformed(what, 'expected an INTEGER');
  const c = body(b, e);
  if (c.length === 0 || c.length > 4) malformed(what, 'bad INTEGER length');
  if (c[0]! & 0x80) malformed(what, 'negative INTEGER');
  let v = 0;
  for (const x of c) v = v * 256 + x;
  return v;
}

// ---- writer (used to build the DER our verifiers re-encode and the test fixtures) ----

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** Encodes one TLV. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const len = content.reduce((n, c) => n + c.length, 0);
  const head = [tag, ...lengthBytes(len)];
  const out = new Uint8Array(head.length + len);
  out.set(head);
  let p = head.length;
  for (const c of content) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/** Encodes a dotted OID. */
export function encOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [];
  const push = (v: number) => {
    const tmp = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) tmp.unshift(0x80 | (x & 0x7f));
    bytes.push(...tmp);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(T.OID, Uint8Array.from(bytes));
}

/** Encodes a non-negative integer. */
export function encInt(v: number | bigint): Uint8Array {
  let x = BigInt(v);
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(x & 0xffn));
    x >>= 8n;
  } while (x > 0n);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(T.INTEGER, Uint8Array.from(bytes));
}

/** `AlgorithmIdentifier` with absent (or NULL) parameters. */
export const encAlg = (dotted: string, nullParams = false): Uint8Array =>
  nullParams ? tlv(T.SEQUENCE, encOid(dotted), tlv(T.NULL)) : tlv(T.SEQUENCE, encOid(dotted));
