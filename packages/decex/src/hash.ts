/**
 * The hashers of decoupled execution, kept apart on purpose: BlakeTwo256 (BLAKE2b-256) for headers,
 * receipts, bundles and tries; Keccak-256 (Ethereum padding) for the consensus MMR only (decex
 * §7a.1); BLAKE3 (from primitives) for the election and tx range; xxHash64 ("twox") for storage keys.
 */
import { blake2b } from '@noble/hashes/blake2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { createBLAKE2b, type IHasher } from 'hash-wasm';

let wasm256: IHasher | undefined;
let wasm128: IHasher | undefined;
let loading: Promise<boolean> | undefined;

/**
 * Loads the WebAssembly BLAKE2b (~5x faster than the TypeScript one on short inputs, which tries
 * hash a lot of). Optional: every hash is the same bytes without it; the first hash starts loading
 * it in the background. Await it at startup for full speed from the first call.
 * @example await initDecex();
 */
export function initDecex(): Promise<boolean> {
  loading ??= Promise.all([createBLAKE2b(256), createBLAKE2b(128)]).then(
    ([h256, h128]) => {
      wasm256 = h256;
      wasm128 = h128;
      return true;
    },
    () => false,
  );
  return loading;
}

/** BlakeTwo256: BLAKE2b with a 32-byte digest. @example blake2b256(new Uint8Array(0)) */
export function blake2b256(data: Uint8Array): Uint8Array {
  const h = wasm256;
  if (h !== undefined) return h.init().update(data).digest('binary');
  if (loading === undefined) void initDecex();
  return blake2b(data, { dkLen: 32 });
}

/** BLAKE2b-128 (the `Blake2_128Concat` storage hasher's hash part). */
export function blake2b128(data: Uint8Array): Uint8Array {
  const h = wasm128;
  if (h !== undefined) return h.init().update(data).digest('binary');
  return blake2b(data, { dkLen: 16 });
}

/** Keccak-256 with Ethereum's 0x01 padding (not SHA3-256): the MMR's `Hashing`. */
export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}

const M64 = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & M64;
}
function round(acc: bigint, lane: bigint): bigint {
  return (rotl((acc + lane * P2) & M64, 31n) * P1) & M64;
}
function mergeRound(acc: bigint, v: bigint): bigint {
  return (((acc ^ round(0n, v)) * P1) & M64) + P4;
}

/** xxHash64 (XXH64) of `data` with a 64-bit seed, as a bigint. Storage keys only: not a hot path. */
export function xxh64(data: Uint8Array, seed = 0n): bigint {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const len = data.length;
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (seed + P1 + P2) & M64;
    let v2 = (seed + P2) & M64;
    let v3 = seed;
    let v4 = (seed - P1) & M64;
    while (i + 32 <= len) {
      v1 = round(v1, dv.getBigUint64(i, true));
      v2 = round(v2, dv.getBigUint64(i + 8, true));
      v3 = round(v3, dv.getBigUint64(i + 16, true));
      v4 = round(v4, dv.getBigUint64(i + 24, true));
      i += 32;
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M64;
    h = mergeRound(h, v1) & M64;
    h = mergeRound(h, v2) & M64;
    h = mergeRound(h, v3) & M64;
    h = mergeRound(h, v4) & M64;
  } else h = (seed + P5) & M64;
  h = (h + BigInt(len)) & M64;
  while (i + 8 <= len) {
    h ^= round(0n, dv.getBigUint64(i, true));
    h = ((rotl(h, 27n) * P1) & M64) + P4;
    h &= M64;
    i += 8;
  }
  if (i + 4 <= len) {
    h ^= (BigInt(dv.getUint32(i, true)) * P1) & M64;
    h = ((rotl(h, 23n) * P2) & M64) + P3;
    h &= M64;
    i += 4;
  }
  while (i < len) {
    h ^= (BigInt(data[i]!) * P5) & M64;
    h = (rotl(h, 11n) * P1) & M64;
    i++;
  }
  h ^= h >> 33n;
  h = (h * P2) & M64;
  h ^= h >> 29n;
  h = (h * P3) & M64;
  h ^= h >> 32n;
  return h;
}

function le64(x: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, x, true);
  return b;
}

/** `Twox64`: xxh64 seed 0, little-endian (8 bytes). */
export function twox64(data: Uint8Array): Uint8Array {
  return le64(xxh64(data, 0n));
}

/** `Twox128`: xxh64 seeds 0 and 1, each little-endian (16 bytes). */
export function twox128(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out.set(le64(xxh64(data, 0n)));
  out.set(le64(xxh64(data, 1n)), 8);
  return out;
}

const utf8 = new TextEncoder();

/** The key prefix of a storage item: `twox128(pallet) ‖ twox128(item)`. */
export function storagePrefix(pallet: string, item: string): Uint8Array {
  const out = new Uint8Array(32);
  out.set(twox128(utf8.encode(pallet)));
  out.set(twox128(utf8.encode(item)), 16);
  return out;
}

/** `Twox64Concat(k) = twox64(k) ‖ k`. */
export function twox64Concat(k: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + k.length);
  out.set(twox64(k));
  out.set(k, 8);
  return out;
}

/** `Blake2_128Concat(k) = blake2b128(k) ‖ k`. */
export function blake2128Concat(k: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + k.length);
  out.set(blake2b128(k));
  out.set(k, 16);
  return out;
}
