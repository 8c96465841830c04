/**
 * SCALE codec combinators over primitives' ScaleReader/ScaleWriter. A `Codec<T>` writes and reads
 * one value; `struct` keeps the field order of its object literal, which is the SCALE order.
 * Whole-value decoders (`decodeWith`) reject trailing bytes and turn every primitives error into a
 * `DECEX_INVALID_ENCODING` DecexError, so no foreign error escapes a decoder.
 */
import { PrimitivesError, ScaleReader, ScaleWriter } from '@autonomys/primitives';
import { DecexError } from './errors.js';

export interface Codec<T> {
  enc(w: ScaleWriter, v: T): void;
  dec(r: ScaleReader): T;
}

/** Raises a typed decoding error. */
export function badEncoding(what: string, reason: string): DecexError {
  return new DecexError({ code: 'DECEX_INVALID_ENCODING', what, reason });
}

/** Encodes one value. */
export function encodeWith<T>(codec: Codec<T>, v: T, capacity = 256): Uint8Array {
  const w = new ScaleWriter(capacity);
  codec.enc(w, v);
  return w.finish();
}

/** Decodes one whole value: every byte must be consumed; failures are `DECEX_INVALID_ENCODING`. */
export function decodeWith<T>(codec: Codec<T>, bytes: Uint8Array, what: string): T {
  if (!(bytes instanceof Uint8Array)) throw badEncoding(what, 'not a Uint8Array');
  try {
    const r = new ScaleReader(bytes, what);
    const v = codec.dec(r);
    r.finish();
    return v;
  } catch (e) {
    if (e instanceof DecexError) throw e;
    if (e instanceof PrimitivesError) throw badEncoding(what, e.message);
    if (e instanceof RangeError) throw badEncoding(what, e.message);
    throw e;
  }
}

export const u8: Codec<number> = { enc: (w, v) => w.u8(v), dec: (r) => r.u8() };
export const u32: Codec<number> = { enc: (w, v) => w.u32(v), dec: (r) => r.u32() };
export const u64: Codec<bigint> = { enc: (w, v) => w.u64(v), dec: (r) => r.u64() };
export const bool: Codec<boolean> = {
  enc: (w, v) => w.u8(v ? 1 : 0),
  dec: (r) => r.tag(2, 'bool') === 1,
};

/** Little-endian unsigned integer of `bytes` bytes as a bigint (u128, U256). */
export function uintLe(bytes: number): Codec<bigint> {
  const max = (1n << BigInt(8 * bytes)) - 1n;
  return {
    enc(w, v) {
      if (v < 0n || v > max) throw badEncoding(`u${bytes * 8}`, `value ${v} out of range`);
      let x = v;
      for (let i = 0; i < bytes; i++) {
        w.u8(Number(x & 0xffn));
        x >>= 8n;
      }
    },
    dec(r) {
      const b = r.bytesView(bytes, `u${bytes * 8}`);
      let v = 0n;
      for (let i = bytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
      return v;
    },
  };
}
export const u128 = uintLe(16);
export const u256 = uintLe(32);

/** `Compact<u64>` as a bigint. */
export const compactU64: Codec<bigint> = {
  enc: (w, v) => w.compact(v),
  dec: (r) => r.compactBig('Compact<u64>', 8),
};
/** `Compact<u32>` as a number. */
export const compactU32: Codec<number> = { enc: (w, v) => w.compact(v), dec: (r) => r.compactU32() };

/** Fixed-size bytes (`[u8; n]`, H256). */
export function fixed(n: number): Codec<Uint8Array> {
  return {
    enc(w, v) {
      if (v.length !== n) throw badEncoding(`[u8; ${n}]`, `length ${v.length}`);
      w.bytes(v);
    },
    dec: (r) => r.fixed(n, `[u8; ${n}]`),
  };
}
export const h256 = fixed(32);

/** `Vec<u8>`: compact length then bytes. Lengths beyond the remaining input fail fast. */
export const bytes: Codec<Uint8Array> = {
  enc: (w, v) => w.vecU8(v),
  dec: (r) => r.vecU8('Vec<u8>', r.remaining),
};

/** `Vec<T>`; a claimed count larger than the remaining input is rejected before allocating. */
export function vec<T>(item: Codec<T>, minItemSize = 1): Codec<T[]> {
  return {
    enc(w, v) {
      w.compact(v.length);
      for (const x of v) item.enc(w, x);
    },
    dec(r) {
      const n = r.compactU32('Vec length');
      if (n * minItemSize > r.remaining)
        throw badEncoding(r.what, `Vec claims ${n} items, ${r.remaining} bytes left`);
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(item.dec(r));
      return out;
    },
  };
}

/** `Option<T>` as `T | undefined`. */
export function option<T>(inner: Codec<T>): Codec<T | undefined> {
  return {
    enc(w, v) {
      if (v === undefined) w.u8(0);
      else {
        w.u8(1);
        inner.enc(w, v);
      }
    },
    dec: (r) => (r.tag(2, 'Option') === 1 ? inner.dec(r) : undefined),
  };
}

/** A tuple of two values. */
export function pair<A, B>(a: Codec<A>, b: Codec<B>): Codec<[A, B]> {
  return {
    enc(w, v) {
      a.enc(w, v[0]);
      b.enc(w, v[1]);
    },
    dec: (r) => [a.dec(r), b.dec(r)],
  };
}

/** A struct: fields in the order of the object literal (= SCALE order). */
export function struct<T extends object>(fields: { [K in keyof T]-?: Codec<T[K]> }): Codec<T> {
  const entries = Object.entries(fields) as [keyof T & string, Codec<unknown>][];
  return {
    enc(w, v) {
      for (const [k, c] of entries) c.enc(w, v[k]);
    },
    dec(r) {
      const out: Record<string, unknown> = {};
      for (const [k, c] of entries) out[k] = c.dec(r);
      return out as T;
    },
  };
}

/** A codec defined later (recursive or forward references). */
export function lazy<T>(get: () => Codec<T>): Codec<T> {
  return { enc: (w, v) => get().enc(w, v), dec: (r) => get().dec(r) };
}

/** A SCALE enum over a `{ type: ... }` union: tag i is `variants[i]`; `null` codecs carry no data. */
export function taggedEnum<T extends { type: string }>(
  what: string,
  variants: readonly { type: T['type']; tag?: number; codec: Codec<Omit<T, 'type'>> | null }[],
): Codec<T> {
  const byType = new Map<string, { tag: number; codec: Codec<Omit<T, 'type'>> | null }>();
  const byTag = new Map<number, { type: string; codec: Codec<Omit<T, 'type'>> | null }>();
  variants.forEach((v, i) => {
    const tag = v.tag ?? i;
    byType.set(v.type, { tag, codec: v.codec });
    byTag.set(tag, { type: v.type, codec: v.codec });
  });
  return {
    enc(w, v) {
      const x = byType.get(v.type);
      if (x === undefined) throw badEncoding(what, `unknown variant ${v.type}`);
      w.u8(x.tag);
      if (x.codec !== null) x.codec.enc(w, v);
    },
    dec(r) {
      const tag = r.u8(`${what} tag`);
      const x = byTag.get(tag);
      if (x === undefined) throw badEncoding(what, `unknown tag ${tag}`);
      if (x.codec === null) return { type: x.type } as T;
      return { type: x.type, ...x.codec.dec(r) } as T;
    },
  };
}
