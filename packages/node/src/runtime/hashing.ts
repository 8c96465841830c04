/**
 * The storage hashers of Substrate (pot-consensus-dsn B.11): XXH64 and `twox128`, `Twox64Concat`,
 * `Blake2_128Concat`, and the `twox128(pallet) ‖ twox128(item)` prefixes. XXH64 is our own
 * BigInt implementation: it only hashes short storage keys.
 */
import { blake2b } from '@noble/hashes/blake2.js';

const M = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & M;
const round = (acc: bigint, lane: bigint): bigint => (rotl((acc + lane * P2) & M, 31n) * P1) & M;
const merge = (acc: bigint, val: bigint): bigint => ((acc ^ round(0n, val)) * P1 + P4) & M;

function u64At(b: Uint8Array, i: number): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(b[i + k]!);
  return v;
}
function u32At(b: Uint8Array, i: number): bigint {
  return BigInt((b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0);
}

/**
 * XXH64 of `data` with a u64 seed.
 * @example xxh64(new Uint8Array(0), 0n) // 0xef46db3751d8e999n
 */
export function xxh64(data: Uint8Array, seed: bigint): bigint {
  const len = data.length;
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (seed + P1 + P2) & M;
    let v2 = (seed + P2) & M;
    let v3 = seed & M;
    let v4 = (seed - P1) & M;
    while (i + 32 <= len) {
      v1 = round(v1, u64At(data, i));
      v2 = round(v2, u64At(data, i + 8));
      v3 = round(v3, u64At(data, i + 16));
      v4 = round(v4, u64At(data, i + 24));
      i += 32;
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M;
    h = merge(h, v1);
    h = merge(h, v2);
    h = merge(h, v3);
    h = merge(h, v4);
  } else {
    h = (seed + P5) & M;
  }
  h = (h + BigInt(len)) & M;
  while (i + 8 <= len) {
    h = (rotl(h ^ round(0n, u64At(data, i)), 27n) * P1 + P4) & M;
    i += 8;
  }
  if (i + 4 <= len) {
    h = (rotl(h ^ ((u32At(data, i) * P1) & M), 23n) * P2 + P3) & M;
    i += 4;
  }
  while (i < len) {
    h = (rotl(h ^ ((BigInt(data[i]!) * P5) & M), 11n) * P1) & M;
    i++;
  }
  h ^= h >> 33n;
  h = (h * P2) & M;
  h ^= h >> 29n;
  h = (h * P3) & M;
  h ^= h >> 32n;
  return h;
}

function le64(v: bigint, out: Uint8Array, at: number): void {
  for (let k = 0; k < 8; k++) out[at + k] = Number((v >> BigInt(8 * k)) & 0xffn);
}

/** `twox128(x) = xxh64(x, 0) LE ‖ xxh64(x, 1) LE`. */
export function twox128(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  le64(xxh64(data, 0n), out, 0);
  le64(xxh64(data, 1n), out, 8);
  return out;
}

const TWOX64_CACHE = new Map<string, Uint8Array>();
const TWOX64_CACHE_MAX = 8192;

/** `Twox64Concat(k) = xxh64(k) LE ‖ k` (short keys are memoised: block numbers, segment indexes). */
export function twox64Concat(key: Uint8Array): Uint8Array {
  const id = key.length <= 16 ? Buffer.from(key).toString('hex') : undefined;
  const cached = id === undefined ? undefined : TWOX64_CACHE.get(id);
  if (cached !== undefined) return cached.slice();
  const out = new Uint8Array(8 + key.length);
  le64(xxh64(key, 0n), out, 0);
  out.set(key, 8);
  if (id !== undefined) {
    if (TWOX64_CACHE.size >= TWOX64_CACHE_MAX) TWOX64_CACHE.clear();
    TWOX64_CACHE.set(id, out.slice());
  }
  return out;
}

/** `Blake2_128Concat(k) = blake2b-128(k) ‖ k`. */
export function blake2128Concat(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + key.length);
  out.set(blake2b(key, { dkLen: 16 }), 0);
  out.set(key, 16);
  return out;
}

const utf8 = new TextEncoder();

const PREFIXES = new Map<string, Uint8Array>();

/** The 32-byte prefix `twox128(pallet) ‖ twox128(item)` of a storage item (memoised). */
export function storagePrefix(pallet: string, item: string): Uint8Array {
  const key = `${pallet}\u0000${item}`;
  const cached = PREFIXES.get(key);
  if (cached !== undefined) return cached.slice();
  const out = new Uint8Array(32);
  out.set(twox128(utf8.encode(pallet)), 0);
  out.set(twox128(utf8.encode(item)), 16);
  PREFIXES.set(key, out.slice());
  return out;
}

/** A storage key: the item prefix followed by the hashed map keys. */
export function storageKey(pallet: string, item: string, ...hashedKeys: Uint8Array[]): Uint8Array {
  const prefix = storagePrefix(pallet, item);
  let len = prefix.length;
  for (const k of hashedKeys) len += k.length;
  const out = new Uint8Array(len);
  out.set(prefix, 0);
  let at = prefix.length;
  for (const k of hashedKeys) {
    out.set(k, at);
    at += k.length;
  }
  return out;
}
