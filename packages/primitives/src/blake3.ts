/**
 * BLAKE3 (256-bit output): plain and keyed, one-shot and streaming, plus `blake3_254`.
 *
 * Two engines give byte-identical results:
 * - a pure-TypeScript engine, always available and synchronous: one unrolled compression function
 *   over preallocated `Uint32Array`s, no allocation per call except the returned digest. It is the
 *   fastest we measured for inputs up to one chunk (1024 bytes; the protocol's hot paths hash
 *   millions of 32-80 byte inputs: ~2x hash-wasm there), and it does everything keyed;
 * - hash-wasm's WebAssembly BLAKE3 for unkeyed inputs over one chunk (~1.2x the TS engine), once
 *   loaded: {@link initBlake3}, or in the background from the first long input. WebAssembly is
 *   compiled asynchronously (browsers forbid compiling it synchronously on the main thread), so the
 *   API stays synchronous and uses the wasm engine when it is there: the bytes are the same either
 *   way, only the speed differs.
 *
 * See BLAKE3-NOTES.md for the measurements behind the thresholds.
 */
import { createBLAKE3, type IHasher } from 'hash-wasm';
import { abytes, auint, isBytes } from './assert.js';
import { BLAKE3_HASH_SIZE } from './constants.js';
import { PrimitivesError } from './errors.js';

// Output size of BLAKE3-256 in bytes (32). It lives with the network's sizes in constants.ts;
// re-exported here so this module is complete on its own (one binding, no ambiguity in index.ts).
export { BLAKE3_HASH_SIZE };
/** Key size of keyed BLAKE3 in bytes. @example abytes(key, BLAKE3_KEY_SIZE, 'key') */
export const BLAKE3_KEY_SIZE = 32;

const BLOCK_LEN = 64;
const CHUNK_LEN = 1024;
// Domain-separation flags of the compression function (BLAKE3 spec §2.1).
const CHUNK_START = 1;
const CHUNK_END = 2;
const PARENT = 4;
const ROOT = 8;
const KEYED_HASH = 16;
// Chunks longer than this are copied into an aligned buffer rather than read byte by byte.
const COPY_MIN_LEN = 128;
// A 2^64-byte input has 2^54 chunks: 54 stacked chaining values, plus one pushed before merging.
const MAX_STACK = 55;
// The same constants as SHA-256's initial hash value.
const IV = Uint32Array.of(
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
);
const IV0 = 0x6a09e667 | 0;
const IV1 = 0xbb67ae85 | 0;
const IV2 = 0x3c6ef372 | 0;
const IV3 = 0xa54ff53a | 0;

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

// Module-level scratch. Every function below runs to completion synchronously and never calls out,
// so one set of buffers serves all callers without allocation.
const M = new Uint32Array(16); // one message block
const CV = new Uint32Array(8); // the running chaining value
const KEY = new Uint32Array(8); // the key words of the current one-shot call
const STACK = new Uint32Array(MAX_STACK * 8); // chaining values of complete subtrees (one-shot)
const CHUNK_W = new Uint32Array(CHUNK_LEN / 4); // an aligned copy of one chunk when the input is not
const CHUNK_B = new Uint8Array(CHUNK_W.buffer);

/**
 * The compression function, truncated to its first 8 output words (no XOF here): compresses the 16
 * words `m[mPos..]` into the chaining value `cv[cvPos..]` and writes the result to `out[outPos..]`.
 * `out` may alias `cv` or `m`: everything is read into locals first. `| 0` keeps the additions in
 * int32 so V8 never leaves small-integer arithmetic.
 */
// biome-ignore format: one G step per line keeps the 7 unrolled rounds readable (and 230 lines, not 700)
function compress(
  cv: Uint32Array,
  cvPos: number,
  m: Uint32Array,
  mPos: number,
  out: Uint32Array,
  outPos: number,
  counterLo: number,
  counterHi: number,
  blockLen: number,
  flags: number,
): void {
  let v0 = cv[cvPos]! | 0;
  let v1 = cv[cvPos + 1]! | 0;
  let v2 = cv[cvPos + 2]! | 0;
  let v3 = cv[cvPos + 3]! | 0;
  let v4 = cv[cvPos + 4]! | 0;
  let v5 = cv[cvPos + 5]! | 0;
  let v6 = cv[cvPos + 6]! | 0;
  let v7 = cv[cvPos + 7]! | 0;
  let v8 = IV0;
  let v9 = IV1;
  let v10 = IV2;
  let v11 = IV3;
  let v12 = counterLo | 0;
  let v13 = counterHi | 0;
  let v14 = blockLen | 0;
  let v15 = flags | 0;
  const m0 = m[mPos]! | 0;
  const m1 = m[mPos + 1]! | 0;
  const m2 = m[mPos + 2]! | 0;
  const m3 = m[mPos + 3]! | 0;
  const m4 = m[mPos + 4]! | 0;
  const m5 = m[mPos + 5]! | 0;
  const m6 = m[mPos + 6]! | 0;
  const m7 = m[mPos + 7]! | 0;
  const m8 = m[mPos + 8]! | 0;
  const m9 = m[mPos + 9]! | 0;
  const m10 = m[mPos + 10]! | 0;
  const m11 = m[mPos + 11]! | 0;
  const m12 = m[mPos + 12]! | 0;
  const m13 = m[mPos + 13]! | 0;
  const m14 = m[mPos + 14]! | 0;
  const m15 = m[mPos + 15]! | 0;
  // Seven rounds, unrolled (1.5-2x faster than a loop that permutes the message locals): each is
  // four column G's then four diagonal G's, with the message schedule (spec §2.2) applied to the
  // indices. One G is four lines: add, xor, rotate right by 16, 12, 8, 7.
  // Round 0.
  v0 = (v0 + v4 + m0) | 0; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 16);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 12) | (v4 << 20);
  v0 = (v0 + v4 + m1) | 0; v12 ^= v0; v12 = (v12 >>> 8) | (v12 << 24);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 7) | (v4 << 25);
  v1 = (v1 + v5 + m2) | 0; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 16);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 12) | (v5 << 20);
  v1 = (v1 + v5 + m3) | 0; v13 ^= v1; v13 = (v13 >>> 8) | (v13 << 24);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 7) | (v5 << 25);
  v2 = (v2 + v6 + m4) | 0; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 16);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 12) | (v6 << 20);
  v2 = (v2 + v6 + m5) | 0; v14 ^= v2; v14 = (v14 >>> 8) | (v14 << 24);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 7) | (v6 << 25);
  v3 = (v3 + v7 + m6) | 0; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 16);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 12) | (v7 << 20);
  v3 = (v3 + v7 + m7) | 0; v15 ^= v3; v15 = (v15 >>> 8) | (v15 << 24);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 7) | (v7 << 25);
  v0 = (v0 + v5 + m8) | 0; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 16);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 12) | (v5 << 20);
  v0 = (v0 + v5 + m9) | 0; v15 ^= v0; v15 = (v15 >>> 8) | (v15 << 24);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 7) | (v5 << 25);
  v1 = (v1 + v6 + m10) | 0; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 16);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 12) | (v6 << 20);
  v1 = (v1 + v6 + m11) | 0; v12 ^= v1; v12 = (v12 >>> 8) | (v12 << 24);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 7) | (v6 << 25);
  v2 = (v2 + v7 + m12) | 0; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 16);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 12) | (v7 << 20);
  v2 = (v2 + v7 + m13) | 0; v13 ^= v2; v13 = (v13 >>> 8) | (v13 << 24);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 7) | (v7 << 25);
  v3 = (v3 + v4 + m14) | 0; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 16);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 12) | (v4 << 20);
  v3 = (v3 + v4 + m15) | 0; v14 ^= v3; v14 = (v14 >>> 8) | (v14 << 24);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 7) | (v4 << 25);
  // Round 1.
  v0 = (v0 + v4 + m2) | 0; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 16);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 12) | (v4 << 20);
  v0 = (v0 + v4 + m6) | 0; v12 ^= v0; v12 = (v12 >>> 8) | (v12 << 24);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 7) | (v4 << 25);
  v1 = (v1 + v5 + m3) | 0; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 16);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 12) | (v5 << 20);
  v1 = (v1 + v5 + m10) | 0; v13 ^= v1; v13 = (v13 >>> 8) | (v13 << 24);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 7) | (v5 << 25);
  v2 = (v2 + v6 + m7) | 0; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 16);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 12) | (v6 << 20);
  v2 = (v2 + v6 + m0) | 0; v14 ^= v2; v14 = (v14 >>> 8) | (v14 << 24);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 7) | (v6 << 25);
  v3 = (v3 + v7 + m4) | 0; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 16);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 12) | (v7 << 20);
  v3 = (v3 + v7 + m13) | 0; v15 ^= v3; v15 = (v15 >>> 8) | (v15 << 24);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 7) | (v7 << 25);
  v0 = (v0 + v5 + m1) | 0; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 16);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 12) | (v5 << 20);
  v0 = (v0 + v5 + m11) | 0; v15 ^= v0; v15 = (v15 >>> 8) | (v15 << 24);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 7) | (v5 << 25);
  v1 = (v1 + v6 + m12) | 0; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 16);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 12) | (v6 << 20);
  v1 = (v1 + v6 + m5) | 0; v12 ^= v1; v12 = (v12 >>> 8) | (v12 << 24);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 7) | (v6 << 25);
  v2 = (v2 + v7 + m9) | 0; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 16);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 12) | (v7 << 20);
  v2 = (v2 + v7 + m14) | 0; v13 ^= v2; v13 = (v13 >>> 8) | (v13 << 24);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 7) | (v7 << 25);
  v3 = (v3 + v4 + m15) | 0; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 16);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 12) | (v4 << 20);
  v3 = (v3 + v4 + m8) | 0; v14 ^= v3; v14 = (v14 >>> 8) | (v14 << 24);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 7) | (v4 << 25);
  // Round 2.
  v0 = (v0 + v4 + m3) | 0; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 16);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 12) | (v4 << 20);
  v0 = (v0 + v4 + m4) | 0; v12 ^= v0; v12 = (v12 >>> 8) | (v12 << 24);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 7) | (v4 << 25);
  v1 = (v1 + v5 + m10) | 0; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 16);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 12) | (v5 << 20);
  v1 = (v1 + v5 + m12) | 0; v13 ^= v1; v13 = (v13 >>> 8) | (v13 << 24);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 7) | (v5 << 25);
  v2 = (v2 + v6 + m13) | 0; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 16);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 12) | (v6 << 20);
  v2 = (v2 + v6 + m2) | 0; v14 ^= v2; v14 = (v14 >>> 8) | (v14 << 24);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 7) | (v6 << 25);
  v3 = (v3 + v7 + m7) | 0; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 16);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 12) | (v7 << 20);
  v3 = (v3 + v7 + m14) | 0; v15 ^= v3; v15 = (v15 >>> 8) | (v15 << 24);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 7) | (v7 << 25);
  v0 = (v0 + v5 + m6) | 0; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 16);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 12) | (v5 << 20);
  v0 = (v0 + v5 + m5) | 0; v15 ^= v0; v15 = (v15 >>> 8) | (v15 << 24);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 7) | (v5 << 25);
  v1 = (v1 + v6 + m9) | 0; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 16);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 12) | (v6 << 20);
  v1 = (v1 + v6 + m0) | 0; v12 ^= v1; v12 = (v12 >>> 8) | (v12 << 24);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 7) | (v6 << 25);
  v2 = (v2 + v7 + m11) | 0; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 16);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 12) | (v7 << 20);
  v2 = (v2 + v7 + m15) | 0; v13 ^= v2; v13 = (v13 >>> 8) | (v13 << 24);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 7) | (v7 << 25);
  v3 = (v3 + v4 + m8) | 0; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 16);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 12) | (v4 << 20);
  v3 = (v3 + v4 + m1) | 0; v14 ^= v3; v14 = (v14 >>> 8) | (v14 << 24);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 7) | (v4 << 25);
  // Round 3.
  v0 = (v0 + v4 + m10) | 0; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 16);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 12) | (v4 << 20);
  v0 = (v0 + v4 + m7) | 0; v12 ^= v0; v12 = (v12 >>> 8) | (v12 << 24);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 7) | (v4 << 25);
  v1 = (v1 + v5 + m12) | 0; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 16);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 12) | (v5 << 20);
  v1 = (v1 + v5 + m9) | 0; v13 ^= v1; v13 = (v13 >>> 8) | (v13 << 24);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 7) | (v5 << 25);
  v2 = (v2 + v6 + m14) | 0; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 16);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 12) | (v6 << 20);
  v2 = (v2 + v6 + m3) | 0; v14 ^= v2; v14 = (v14 >>> 8) | (v14 << 24);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 7) | (v6 << 25);
  v3 = (v3 + v7 + m13) | 0; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 16);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 12) | (v7 << 20);
  v3 = (v3 + v7 + m15) | 0; v15 ^= v3; v15 = (v15 >>> 8) | (v15 << 24);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 7) | (v7 << 25);
  v0 = (v0 + v5 + m4) | 0; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 16);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 12) | (v5 << 20);
  v0 = (v0 + v5 + m0) | 0; v15 ^= v0; v15 = (v15 >>> 8) | (v15 << 24);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 7) | (v5 << 25);
  v1 = (v1 + v6 + m11) | 0; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 16);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 12) | (v6 << 20);
  v1 = (v1 + v6 + m2) | 0; v12 ^= v1; v12 = (v12 >>> 8) | (v12 << 24);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 7) | (v6 << 25);
  v2 = (v2 + v7 + m5) | 0; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 16);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 12) | (v7 << 20);
  v2 = (v2 + v7 + m8) | 0; v13 ^= v2; v13 = (v13 >>> 8) | (v13 << 24);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 7) | (v7 << 25);
  v3 = (v3 + v4 + m1) | 0; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 16);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 12) | (v4 << 20);
  v3 = (v3 + v4 + m6) | 0; v14 ^= v3; v14 = (v14 >>> 8) | (v14 << 24);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 7) | (v4 << 25);
  // Round 4.
  v0 = (v0 + v4 + m12) | 0; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 16);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 12) | (v4 << 20);
  v0 = (v0 + v4 + m13) | 0; v12 ^= v0; v12 = (v12 >>> 8) | (v12 << 24);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 7) | (v4 << 25);
  v1 = (v1 + v5 + m9) | 0; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 16);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 12) | (v5 << 20);
  v1 = (v1 + v5 + m11) | 0; v13 ^= v1; v13 = (v13 >>> 8) | (v13 << 24);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 7) | (v5 << 25);
  v2 = (v2 + v6 + m15) | 0; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 16);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 12) | (v6 << 20);
  v2 = (v2 + v6 + m10) | 0; v14 ^= v2; v14 = (v14 >>> 8) | (v14 << 24);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 7) | (v6 << 25);
  v3 = (v3 + v7 + m14) | 0; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 16);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 12) | (v7 << 20);
  v3 = (v3 + v7 + m8) | 0; v15 ^= v3; v15 = (v15 >>> 8) | (v15 << 24);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 7) | (v7 << 25);
  v0 = (v0 + v5 + m7) | 0; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 16);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 12) | (v5 << 20);
  v0 = (v0 + v5 + m2) | 0; v15 ^= v0; v15 = (v15 >>> 8) | (v15 << 24);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 7) | (v5 << 25);
  v1 = (v1 + v6 + m5) | 0; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 16);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 12) | (v6 << 20);
  v1 = (v1 + v6 + m3) | 0; v12 ^= v1; v12 = (v12 >>> 8) | (v12 << 24);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 7) | (v6 << 25);
  v2 = (v2 + v7 + m0) | 0; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 16);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 12) | (v7 << 20);
  v2 = (v2 + v7 + m1) | 0; v13 ^= v2; v13 = (v13 >>> 8) | (v13 << 24);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 7) | (v7 << 25);
  v3 = (v3 + v4 + m6) | 0; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 16);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 12) | (v4 << 20);
  v3 = (v3 + v4 + m4) | 0; v14 ^= v3; v14 = (v14 >>> 8) | (v14 << 24);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 7) | (v4 << 25);
  // Round 5.
  v0 = (v0 + v4 + m9) | 0; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 16);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 12) | (v4 << 20);
  v0 = (v0 + v4 + m14) | 0; v12 ^= v0; v12 = (v12 >>> 8) | (v12 << 24);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 7) | (v4 << 25);
  v1 = (v1 + v5 + m11) | 0; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 16);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 12) | (v5 << 20);
  v1 = (v1 + v5 + m5) | 0; v13 ^= v1; v13 = (v13 >>> 8) | (v13 << 24);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 7) | (v5 << 25);
  v2 = (v2 + v6 + m8) | 0; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 16);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 12) | (v6 << 20);
  v2 = (v2 + v6 + m12) | 0; v14 ^= v2; v14 = (v14 >>> 8) | (v14 << 24);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 7) | (v6 << 25);
  v3 = (v3 + v7 + m15) | 0; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 16);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 12) | (v7 << 20);
  v3 = (v3 + v7 + m1) | 0; v15 ^= v3; v15 = (v15 >>> 8) | (v15 << 24);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 7) | (v7 << 25);
  v0 = (v0 + v5 + m13) | 0; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 16);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 12) | (v5 << 20);
  v0 = (v0 + v5 + m3) | 0; v15 ^= v0; v15 = (v15 >>> 8) | (v15 << 24);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 7) | (v5 << 25);
  v1 = (v1 + v6 + m0) | 0; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 16);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 12) | (v6 << 20);
  v1 = (v1 + v6 + m10) | 0; v12 ^= v1; v12 = (v12 >>> 8) | (v12 << 24);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 7) | (v6 << 25);
  v2 = (v2 + v7 + m2) | 0; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 16);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 12) | (v7 << 20);
  v2 = (v2 + v7 + m6) | 0; v13 ^= v2; v13 = (v13 >>> 8) | (v13 << 24);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 7) | (v7 << 25);
  v3 = (v3 + v4 + m4) | 0; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 16);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 12) | (v4 << 20);
  v3 = (v3 + v4 + m7) | 0; v14 ^= v3; v14 = (v14 >>> 8) | (v14 << 24);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 7) | (v4 << 25);
  // Round 6.
  v0 = (v0 + v4 + m11) | 0; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 16);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 12) | (v4 << 20);
  v0 = (v0 + v4 + m15) | 0; v12 ^= v0; v12 = (v12 >>> 8) | (v12 << 24);
  v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 7) | (v4 << 25);
  v1 = (v1 + v5 + m5) | 0; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 16);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 12) | (v5 << 20);
  v1 = (v1 + v5 + m0) | 0; v13 ^= v1; v13 = (v13 >>> 8) | (v13 << 24);
  v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 7) | (v5 << 25);
  v2 = (v2 + v6 + m1) | 0; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 16);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 12) | (v6 << 20);
  v2 = (v2 + v6 + m9) | 0; v14 ^= v2; v14 = (v14 >>> 8) | (v14 << 24);
  v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 7) | (v6 << 25);
  v3 = (v3 + v7 + m8) | 0; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 16);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 12) | (v7 << 20);
  v3 = (v3 + v7 + m6) | 0; v15 ^= v3; v15 = (v15 >>> 8) | (v15 << 24);
  v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 7) | (v7 << 25);
  v0 = (v0 + v5 + m14) | 0; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 16);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 12) | (v5 << 20);
  v0 = (v0 + v5 + m10) | 0; v15 ^= v0; v15 = (v15 >>> 8) | (v15 << 24);
  v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 7) | (v5 << 25);
  v1 = (v1 + v6 + m2) | 0; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 16);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 12) | (v6 << 20);
  v1 = (v1 + v6 + m12) | 0; v12 ^= v1; v12 = (v12 >>> 8) | (v12 << 24);
  v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 7) | (v6 << 25);
  v2 = (v2 + v7 + m3) | 0; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 16);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 12) | (v7 << 20);
  v2 = (v2 + v7 + m4) | 0; v13 ^= v2; v13 = (v13 >>> 8) | (v13 << 24);
  v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 7) | (v7 << 25);
  v3 = (v3 + v4 + m7) | 0; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 16);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 12) | (v4 << 20);
  v3 = (v3 + v4 + m13) | 0; v14 ^= v3; v14 = (v14 >>> 8) | (v14 << 24);
  v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 7) | (v4 << 25);

  out[outPos] = v0 ^ v8;
  out[outPos + 1] = v1 ^ v9;
  out[outPos + 2] = v2 ^ v10;
  out[outPos + 3] = v3 ^ v11;
  out[outPos + 4] = v4 ^ v12;
  out[outPos + 5] = v5 ^ v13;
  out[outPos + 6] = v6 ^ v14;
  out[outPos + 7] = v7 ^ v15;
}

/** Reads `len <= 64` bytes of `d` at `pos` into `M` as little-endian words, zero-padded. */
function loadBlock(d: Uint8Array, pos: number, len: number): void {
  const full = len >>> 2;
  let i = 0;
  for (; i < full; i++, pos += 4) {
    M[i] = d[pos]! | (d[pos + 1]! << 8) | (d[pos + 2]! << 16) | (d[pos + 3]! << 24);
  }
  if (i === 16) return;
  const rem = len & 3;
  let w = 0;
  for (let k = 0; k < rem; k++) w |= d[pos + k]! << (8 * k);
  M[i++] = w;
  for (; i < 16; i++) M[i] = 0;
}

/** Reads a 32-byte key into `dst` (little-endian words) and returns `dst`. */
function loadKey(key: Uint8Array, dst: Uint32Array): Uint32Array {
  for (let i = 0, p = 0; i < 8; i++, p += 4) {
    dst[i] = key[p]! | (key[p + 1]! << 8) | (key[p + 2]! << 16) | (key[p + 3]! << 24);
  }
  return dst;
}

/** Writes the 8 words of `w[wPos..]` little-endian into `out[outPos..outPos + 32]`. */
function storeWords(w: Uint32Array, wPos: number, out: Uint8Array, outPos: number): void {
  for (let i = 0; i < 8; i++, outPos += 4) {
    const x = w[wPos + i]!;
    out[outPos] = x;
    out[outPos + 1] = x >>> 8;
    out[outPos + 2] = x >>> 16;
    out[outPos + 3] = x >>> 24;
  }
}

/**
 * The chaining value (or, with `root`, the root output) of one chunk of `len <= 1024` bytes at
 * `d[pos..]`, into `CV`. `len` is 0 only for the empty input: one empty block.
 */
function chunkBytes(
  d: Uint8Array,
  pos: number,
  len: number,
  key: Uint32Array,
  counter: number,
  flags: number,
  root: boolean,
): void {
  const lo = counter | 0;
  const hi = (counter / 0x100000000) | 0;
  const end = CHUNK_END | (root ? ROOT : 0);
  if (len <= BLOCK_LEN) {
    loadBlock(d, pos, len);
    compress(key, 0, M, 0, CV, 0, lo, hi, len, flags | CHUNK_START | end);
    return;
  }
  const blocks = (len + BLOCK_LEN - 1) >>> 6;
  const last = len - (blocks - 1) * BLOCK_LEN;
  if (LITTLE_ENDIAN && len > COPY_MIN_LEN) {
    // Longer inputs: one copy into the aligned chunk buffer (zero-padded to whole blocks) beats
    // assembling every word from bytes.
    CHUNK_B.set(d.subarray(pos, pos + len));
    CHUNK_B.fill(0, len, blocks * BLOCK_LEN);
    compress(key, 0, CHUNK_W, 0, CV, 0, lo, hi, BLOCK_LEN, flags | CHUNK_START);
    for (let b = 1; b < blocks - 1; b++) compress(CV, 0, CHUNK_W, 16 * b, CV, 0, lo, hi, BLOCK_LEN, flags);
    compress(CV, 0, CHUNK_W, 16 * (blocks - 1), CV, 0, lo, hi, last, flags | end);
    return;
  }
  loadBlock(d, pos, BLOCK_LEN);
  compress(key, 0, M, 0, CV, 0, lo, hi, BLOCK_LEN, flags | CHUNK_START);
  for (let b = 1; b < blocks - 1; b++) {
    loadBlock(d, pos + b * BLOCK_LEN, BLOCK_LEN);
    compress(CV, 0, M, 0, CV, 0, lo, hi, BLOCK_LEN, flags);
  }
  loadBlock(d, pos + (blocks - 1) * BLOCK_LEN, last);
  compress(CV, 0, M, 0, CV, 0, lo, hi, last, flags | end);
}

/**
 * Hashes `n` full chunks of `d` starting at `pos` (chunk counters `counter..counter+n-1`) and pushes
 * their chaining values onto `stack`, which holds `sl` entries, merging complete subtrees as it goes
 * (the lazy merge of the spec's reference: merge while the number of chunks so far is even, so the
 * last chunk is never merged before we know whether it is the last). Returns the new stack length.
 */
function fullChunks(
  d: Uint8Array,
  pos: number,
  n: number,
  key: Uint32Array,
  flags: number,
  counter: number,
  stack: Uint32Array,
  sl: number,
): number {
  // Fast path: read the words in place when the input is word-aligned (the common case: fresh
  // buffers are) on a little-endian machine. Otherwise copy each chunk into an aligned buffer.
  const start = d.byteOffset + pos;
  const inPlace = LITTLE_ENDIAN && (start & 3) === 0;
  const words = inPlace ? new Uint32Array(d.buffer, start, n * (CHUNK_LEN / 4)) : CHUNK_W;
  let wp = 0;
  for (let c = 0; c < n; c++, counter++, pos += CHUNK_LEN) {
    if (!inPlace) {
      if (LITTLE_ENDIAN) CHUNK_B.set(d.subarray(pos, pos + CHUNK_LEN));
      else
        for (let i = 0, p = pos; i < 256; i++, p += 4)
          CHUNK_W[i] = d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24);
      wp = 0;
    }
    const lo = counter | 0;
    const hi = (counter / 0x100000000) | 0;
    compress(key, 0, words, wp, CV, 0, lo, hi, BLOCK_LEN, flags | CHUNK_START);
    for (let b = 1; b < 15; b++) compress(CV, 0, words, wp + 16 * b, CV, 0, lo, hi, BLOCK_LEN, flags);
    const top = sl * 8;
    compress(CV, 0, words, wp + 240, stack, top, lo, hi, BLOCK_LEN, flags | CHUNK_END);
    wp += CHUNK_LEN / 4;
    sl++;
    // Merge while the count of chunks so far (counter + 1) has a trailing zero bit. The stack's top
    // two entries are contiguous, so they are the parent's message block as they lie.
    for (let total = counter + 1; total % 2 === 0; total /= 2) {
      sl--;
      const p = (sl - 1) * 8;
      compress(key, 0, stack, p, stack, p, 0, 0, BLOCK_LEN, flags | PARENT);
    }
  }
  return sl;
}

/**
 * Finishes a hash: the last chunk (`len` bytes of `d` at `pos`, counter `counter`) and the `sl`
 * stacked subtree chaining values, merged right to left; the root output goes to `out[outPos..]`.
 * Leaves `stack` untouched, so a streaming hasher can keep going after a digest.
 */
function finish(
  d: Uint8Array,
  pos: number,
  len: number,
  key: Uint32Array,
  flags: number,
  counter: number,
  stack: Uint32Array,
  sl: number,
  out: Uint8Array,
  outPos: number,
): void {
  chunkBytes(d, pos, len, key, counter, flags, sl === 0);
  for (let i = sl - 1; i >= 0; i--) {
    M.set(stack.subarray(i * 8, i * 8 + 8));
    M.set(CV, 8);
    compress(key, 0, M, 0, CV, 0, 0, 0, BLOCK_LEN, flags | PARENT | (i === 0 ? ROOT : 0));
  }
  storeWords(CV, 0, out, outPos);
}

/** One-shot hash of `d` with the key words `key` into `out[outPos..]` (the pure-TS engine). */
function hashTs(d: Uint8Array, key: Uint32Array, flags: number, out: Uint8Array, outPos: number): void {
  const len = d.length;
  if (len <= BLOCK_LEN) {
    // One block: the hot path of short inputs.
    loadBlock(d, 0, len);
    compress(key, 0, M, 0, CV, 0, 0, 0, len, flags | CHUNK_START | CHUNK_END | ROOT);
    storeWords(CV, 0, out, outPos);
    return;
  }
  // All chunks but the last, which may be partial (1..1024 bytes) and ends the hash.
  const n = Math.floor((len - 1) / CHUNK_LEN);
  const sl = n === 0 ? 0 : fullChunks(d, 0, n, key, flags, 0, STACK, 0);
  finish(d, n * CHUNK_LEN, len - n * CHUNK_LEN, key, flags, n, STACK, sl, out, outPos);
}

// ---------------------------------------------------------------------------------------------
// The WebAssembly engine (hash-wasm), for long unkeyed inputs once loaded.

// Multi-chunk inputs go to the wasm engine when it is loaded: from 1025 bytes it is ~1.2x faster
// than the TS engine; up to one chunk (1024 bytes) its per-call cost (~470 ns) loses or ties.
const WASM_MIN_LEN = CHUNK_LEN + 1;
let wasm: IHasher | undefined;
let wasmLoading: Promise<boolean> | undefined;

/**
 * Loads the WebAssembly engine used for long unkeyed inputs (more than 1024 bytes, one-shot or
 * streamed; it is ~1.2x faster there). Optional: every function works synchronously without it, on the
 * pure-TypeScript engine, with the same bytes; and the first long input starts loading it in the
 * background anyway. Await it at startup to have long inputs at full speed from the first call.
 * Resolves to `false` where WebAssembly is unavailable (the TS engine then does everything).
 * @example
 * await initBlake3();
 * blake3(new Uint8Array(1 << 20)); // hashed by WebAssembly
 */
export function initBlake3(): Promise<boolean> {
  wasmLoading ??= createBLAKE3(256).then(
    (h) => {
      wasm = h;
      return true;
    },
    () => false,
  );
  return wasmLoading;
}

/** The wasm hasher if loaded (else start loading it and return undefined). */
function wasmEngine(): IHasher | undefined {
  if (wasm === undefined && wasmLoading === undefined) void initBlake3();
  return wasm;
}

/**
 * The one hash-wasm instance is shared: by one-shot calls and by the unkeyed streaming hashers
 * (created after it loaded) whose input passed one chunk. The stream whose state is in the instance is `wasmOwner`; anyone else who needs
 * the instance first saves the owner's state into it (`save()`, ~2 KB), and a stream that gets the
 * instance back loads its state (`load()`). Everything is synchronous, so no interleaving can occur
 * between a switch and the use that follows it.
 */
let wasmOwner: Blake3Stream | undefined;

function releaseWasm(): void {
  if (wasmOwner !== undefined) {
    wasmOwner.state = wasm!.save();
    wasmOwner = undefined;
  }
}

/** One-shot hash on the wasm engine into `out[outPos..]`. */
function hashWasm(h: IHasher, data: Uint8Array, out: Uint8Array, outPos: number): void {
  releaseWasm();
  out.set(h.init().update(data).digest('binary'), outPos);
}

// ---------------------------------------------------------------------------------------------
// Public API.

/**
 * BLAKE3-256 of `data`.
 * @example
 * bytesToHex(blake3(new Uint8Array(0))) // 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262'
 */
export function blake3(data: Uint8Array): Uint8Array {
  abytes(data, undefined, 'data');
  if (data.length >= WASM_MIN_LEN) {
    const h = wasmEngine();
    if (h !== undefined) {
      releaseWasm();
      return h.init().update(data).digest('binary');
    }
  }
  const out = new Uint8Array(BLAKE3_HASH_SIZE);
  hashTs(data, IV, 0, out, 0);
  return out;
}

/**
 * Keyed BLAKE3-256 (BLAKE3's MAC mode) of `data` under a 32-byte `key`.
 * @example
 * const mac = blake3Keyed(new Uint8Array(32).fill(7), hexToBytes('c0ffee')); // 32 bytes
 */
export function blake3Keyed(key: Uint8Array, data: Uint8Array): Uint8Array {
  abytes(key, BLAKE3_KEY_SIZE, 'key');
  abytes(data, undefined, 'data');
  const out = new Uint8Array(BLAKE3_HASH_SIZE);
  hashTs(data, loadKey(key, KEY), KEYED_HASH, out, 0);
  return out;
}

/**
 * Writes the BLAKE3-256 of `data` (keyed when `key` is given) into `out[outOffset..outOffset + 32]`
 * and returns `out`: the allocation-free form for hot loops. `out` may overlap `data`.
 * @example
 * const out = new Uint8Array(64);
 * blake3Into(out, piece, undefined, 32); // the hash fills out[32..64]
 */
export function blake3Into(out: Uint8Array, data: Uint8Array, key?: Uint8Array, outOffset = 0): Uint8Array {
  abytes(out, undefined, 'out');
  abytes(data, undefined, 'data');
  auint(outOffset, 'outOffset');
  if (out.length < outOffset + BLAKE3_HASH_SIZE) outTooShort(out, outOffset);
  if (key === undefined) {
    if (data.length >= WASM_MIN_LEN) {
      const h = wasmEngine();
      if (h !== undefined) {
        hashWasm(h, data, out, outOffset);
        return out;
      }
    }
    hashTs(data, IV, 0, out, outOffset);
  } else {
    abytes(key, BLAKE3_KEY_SIZE, 'key');
    hashTs(data, loadKey(key, KEY), KEYED_HASH, out, outOffset);
  }
  return out;
}

function outTooShort(out: Uint8Array, outOffset: number): never {
  throw new PrimitivesError({
    code: 'PRIMITIVES_INVALID_LENGTH',
    what: 'out',
    expected: `>= ${outOffset + BLAKE3_HASH_SIZE}`,
    actual: out.length,
  });
}

/**
 * `blake3_254`: BLAKE3-256 with the two most significant bits of the big-endian value cleared
 * (`out[0] &= 0x3f`), so that it is always below the BLS12-381 scalar modulus (digests: kzg).
 * @example
 * const c = new Uint8Array(48); c[0] = 0xc0; // the identity G1 commitment
 * bytesToHex(blake3_254(c)) // '076c361415fc7aadab46f0b51c2293a963c62b102dc8bca649a3e563f5c7851d'
 */
export function blake3_254(data: Uint8Array): Uint8Array {
  const out = blake3(data);
  out[0]! &= 0x3f;
  return out;
}

/**
 * Writes the keyed BLAKE3-256 of the 32 bytes `data[dataOffset..dataOffset + 32]` into
 * `out[outOffset..outOffset + 32]`. Made by {@link createBlake3Keyed32}.
 * @example
 * const audit: Blake3Keyed32 = createBlake3Keyed32(key);
 * audit(out, 0, sBucketChunks, 32 * i);
 */
export type Blake3Keyed32 = (
  out: Uint8Array,
  outOffset: number,
  data: Uint8Array,
  dataOffset: number,
) => void;

/**
 * Keyed BLAKE3-256 of many 32-byte inputs under one key: the audit shape
 * (`keyedBLAKE3(sectorSlotChallenge, chunk)` for every chunk of an s-bucket, millions per slot).
 * The key is read once; each call reads its chunk in place (no `subarray`) and writes into `out`
 * (no allocation). Offsets are checked (a range outside `data` or `out` throws PrimitivesError).
 * @example
 * const audit = createBlake3Keyed32(sectorSlotChallenge);
 * const out = new Uint8Array(32);
 * for (let i = 0; i < chunks.length; i += 32) audit(out, 0, chunks, i); // out = keyed hash of chunk i/32
 */
export function createBlake3Keyed32(key: Uint8Array): Blake3Keyed32 {
  abytes(key, BLAKE3_KEY_SIZE, 'key');
  const k = loadKey(key, new Uint32Array(8));
  return (out, outOffset, data, dataOffset) => {
    if (
      !(isBytes(out) && isBytes(data) && inRange(outOffset, out.length) && inRange(dataOffset, data.length))
    ) {
      badKeyed32(out, outOffset, data, dataOffset);
    }
    for (let i = 0, p = dataOffset; i < 8; i++, p += 4) {
      M[i] = data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16) | (data[p + 3]! << 24);
    }
    for (let i = 8; i < 16; i++) M[i] = 0;
    compress(k, 0, M, 0, CV, 0, 0, 0, BLAKE3_HASH_SIZE, KEYED_HASH | CHUNK_START | CHUNK_END | ROOT);
    storeWords(CV, 0, out, outOffset);
  };
}

/** True when `offset` is an integer and 32 bytes from it fit in `length`. */
function inRange(offset: number, length: number): boolean {
  return Number.isInteger(offset) && offset >= 0 && offset + BLAKE3_HASH_SIZE <= length;
}

function badKeyed32(out: unknown, outOffset: unknown, data: unknown, dataOffset: unknown): never {
  abytes(out, undefined, 'out');
  abytes(data, undefined, 'data');
  auint(outOffset, 'outOffset');
  auint(dataOffset, 'dataOffset');
  if (out.length < outOffset + BLAKE3_HASH_SIZE) outTooShort(out, outOffset);
  throw new PrimitivesError({
    code: 'PRIMITIVES_INVALID_LENGTH',
    what: 'data',
    expected: `>= ${dataOffset + BLAKE3_HASH_SIZE}`,
    actual: data.length,
  });
}

/** Options of {@link createBlake3}. @example createBlake3({ key: sectorKey }) */
export interface Blake3Options {
  /** A 32-byte key: keyed BLAKE3 (MAC mode). */
  key?: Uint8Array;
}

/**
 * An incremental BLAKE3-256 hasher, made by {@link createBlake3}.
 * @example
 * const h: Blake3Hasher = createBlake3();
 * h.update(header).update(body);
 * const digest = h.digest(); // === blake3(concat(header, body))
 */
export interface Blake3Hasher {
  /** Absorbs `data` (which is neither kept nor mutated). */
  update(data: Uint8Array): this;
  /** The hash of everything absorbed so far; the hasher can keep absorbing after it. */
  digest(): Uint8Array;
  /** Forgets everything absorbed (the key stays). */
  reset(): this;
}

/**
 * The streaming hasher. Input is buffered a chunk at a time and hashed by the TS engine; an
 * unkeyed stream created once wasm has loaded moves to the wasm engine as soon as its input
 * exceeds one chunk (so short streams keep the TS engine's low per-call cost, long ones get wasm's
 * ~1.2x). Up to that point nothing has been hashed yet, so the move is a plain replay of the buffer.
 */
class Blake3Stream implements Blake3Hasher {
  private readonly key: Uint32Array;
  private readonly flags: number;
  private readonly stack = new Uint32Array(MAX_STACK * 8);
  private sl = 0; // entries on the stack
  private chunks = 0; // complete chunks hashed (the counter of the buffered chunk)
  // The current chunk: 1..1024 bytes once any input arrived. It is hashed only when more input
  // follows, since the last chunk is finalized differently.
  private readonly buf = new Uint8Array(CHUNK_LEN);
  private bufLen = 0;
  private readonly wasmCapable: boolean;
  /** True once the input went to the wasm engine. */
  private inWasm = false;
  /** Our wasm state while another user has the instance (undefined while we own it). */
  state: Uint8Array | undefined;

  constructor(key: Uint32Array, flags: number, wasmCapable: boolean) {
    this.key = key;
    this.flags = flags;
    this.wasmCapable = wasmCapable;
  }

  update(data: Uint8Array): this {
    abytes(data, undefined, 'data');
    if (this.inWasm) {
      this.acquire().update(data);
      return this;
    }
    if (this.wasmCapable && this.bufLen + data.length > CHUNK_LEN) {
      const h = this.acquire();
      h.init();
      h.update(this.buf.subarray(0, this.bufLen)).update(data);
      this.inWasm = true;
      return this;
    }
    let pos = 0;
    let rem = data.length;
    while (rem > 0) {
      if (this.bufLen === CHUNK_LEN) {
        // A full buffered chunk and more input: it was not the last one.
        this.sl = fullChunks(this.buf, 0, 1, this.key, this.flags, this.chunks, this.stack, this.sl);
        this.chunks++;
        this.bufLen = 0;
      }
      if (this.bufLen === 0 && rem > CHUNK_LEN) {
        // Whole chunks straight from the input, keeping at least one byte for the buffer.
        const n = Math.floor((rem - 1) / CHUNK_LEN);
        this.sl = fullChunks(data, pos, n, this.key, this.flags, this.chunks, this.stack, this.sl);
        this.chunks += n;
        pos += n * CHUNK_LEN;
        rem -= n * CHUNK_LEN;
      }
      const take = Math.min(rem, CHUNK_LEN - this.bufLen);
      this.buf.set(data.subarray(pos, pos + take), this.bufLen);
      this.bufLen += take;
      pos += take;
      rem -= take;
    }
    return this;
  }

  digest(): Uint8Array {
    if (this.inWasm) {
      const h = this.acquire();
      // hash-wasm's digest ends its state; keep ours so the stream can go on.
      const saved = h.save();
      const out = h.digest('binary');
      h.load(saved);
      return out;
    }
    const out = new Uint8Array(BLAKE3_HASH_SIZE);
    finish(this.buf, 0, this.bufLen, this.key, this.flags, this.chunks, this.stack, this.sl, out, 0);
    return out;
  }

  reset(): this {
    this.sl = 0;
    this.chunks = 0;
    this.bufLen = 0;
    this.inWasm = false;
    this.state = undefined;
    if (wasmOwner === this) wasmOwner = undefined;
    return this;
  }

  /** The shared wasm instance with our state in it (see `wasmOwner`). */
  private acquire(): IHasher {
    const h = wasm!;
    if (wasmOwner !== this) {
      releaseWasm();
      if (this.state !== undefined) h.load(this.state);
      this.state = undefined;
      wasmOwner = this;
    }
    return h;
  }
}

/**
 * An incremental BLAKE3-256 hasher (keyed with `opts.key`): the digest of any split of the input
 * equals the one-shot hash of the whole.
 * @example
 * const h = createBlake3();
 * for await (const chunk of stream) h.update(chunk);
 * const digest = h.digest();
 */
export function createBlake3(opts: Blake3Options = {}): Blake3Hasher {
  const key = opts.key;
  if (key === undefined) return new Blake3Stream(IV, 0, wasm !== undefined);
  abytes(key, BLAKE3_KEY_SIZE, 'key');
  return new Blake3Stream(loadKey(key, new Uint32Array(8)), KEYED_HASH, false);
}
