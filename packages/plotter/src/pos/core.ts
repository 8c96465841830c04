/**
 * The arithmetic of proof of space (farming §3.1-3.3, §3.5), shared by the table builder and the
 * verifier. Internal: the public wrappers in `functions.ts` check their inputs.
 *
 * Representation: a y value is a u32 (K+6 ≤ 31 bits). Metadata of `mb` bits is a left-aligned bit
 * string in ceil(mb/32) u32 words (the first metadata bit is the most significant bit of word 0,
 * bits past `mb` are zero), which makes the fn input "y ‖ ml ‖ mr" a few shifts and ORs.
 */
import { metadataBits, PARAM_B, PARAM_BC, PARAM_C, PARAM_EXT, PARAM_M } from '../constants.js';
import { blake3Short } from './blake3.js';
import { chacha8Blocks } from './chacha8.js';

/** Byte-swaps a u32 (big-endian bit-stream words <-> BLAKE3's little-endian message words). */
export function bswap(x: number): number {
  return ((x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

/**
 * The K-bit challenge of a u32 challenge index (farming §3.5): the index is written little-endian
 * and the 4 bytes read back big-endian, then shifted down to K bits. For an s-bucket index s < 2^16
 * at K=20 this is ((s & 0xff) << 12) | ((s >>> 8) << 4), so only 2^16 of the 2^20 challenges ever
 * occur; the quirk is kept because every live plot depends on it.
 */
export function challengeOf(index: number, k: number): number {
  return bswap(index) >>> (32 - k);
}

/** Words of metadata of table t (1..7): ceil(mb/32). */
export function metaWords(k: number, table: number): number {
  return (metadataBits(k, table) + 31) >>> 5;
}

/** f1 from the 4 keystream bytes starting at byte `i` of `ks` (bit offset `bit` in the first one). */
export function f1FromStream(ks: Uint8Array, i: number, bit: number, x: number, k: number): number {
  const w = ((ks[i]! << 24) | (ks[i + 1]! << 16) | (ks[i + 2]! << 8) | ks[i + 3]!) << bit;
  return ((w >>> (32 - k)) * (1 << PARAM_EXT) + (x >>> (k - PARAM_EXT))) >>> 0;
}

const blocks2 = new Uint8Array(128 + 8);

/** f1(x) from the keystream of one or two ChaCha8 blocks (the verifier's path: ≤ 2 blocks per x). */
export function f1Single(key: Uint32Array, x: number, k: number): number {
  const bit = x * k; // < 2^31 for K ≤ 25
  const block = Math.floor(bit / 512);
  const off = bit % 512;
  chacha8Blocks(key, block, off + k > 512 ? 2 : 1, blocks2);
  return f1FromStream(blocks2, off >>> 3, off & 7, x, k);
}

// Scratch of fnInto: the input as big-endian bit-stream words (one spare), the BLAKE3 message, the
// output as little-endian words and as stream words (one spare zero word for the extract below).
const stream = new Uint32Array(17);
const msg = new Uint32Array(16);
const hout = new Uint32Array(8);
const hstream = new Uint32Array(9);

/** ORs `words` (a left-aligned bit string of `count` words) into `dst` at bit offset `off`. */
function orBits(dst: Uint32Array, off: number, src: Uint32Array, so: number, count: number): void {
  const sh = off & 31;
  let i = off >>> 5;
  if (sh === 0) {
    for (let j = 0; j < count; j++) dst[i++]! |= src[so + j]!;
    return;
  }
  for (let j = 0; j < count; j++, i++) {
    const w = src[so + j]!;
    dst[i]! |= w >>> sh;
    dst[i + 1]! |= w << (32 - sh);
  }
}

/** Copies bits [off, off + nbits) of the stream `src` to `dst` as a left-aligned bit string. */
function extractBits(src: Uint32Array, off: number, nbits: number, dst: Uint32Array, doff: number): void {
  const n = (nbits + 31) >>> 5;
  const sh = off & 31;
  const i0 = off >>> 5;
  for (let j = 0; j < n; j++) {
    dst[doff + j] = sh === 0 ? src[i0 + j]! : (src[i0 + j]! << sh) | (src[i0 + j + 1]! >>> (32 - sh));
  }
  const rem = nbits & 31;
  if (rem !== 0) dst[doff + n - 1]! &= ~0 << (32 - rem);
}

/**
 * fn_t (farming §3.3): hashes `yl ‖ ml ‖ mr` and returns the new y; writes the new metadata (tables
 * 2..6) at `outMeta[oo..]`. `ml` and `mr` are read from `meta` at word offsets `lo` and `ro`.
 */
export function fnInto(
  k: number,
  t: number,
  yl: number,
  meta: Uint32Array,
  lo: number,
  ro: number,
  outMeta: Uint32Array | undefined,
  oo: number,
): number {
  const yBits = k + PARAM_EXT;
  const mb = metadataBits(k, t - 1);
  const mw = (mb + 31) >>> 5;
  const mbo = metadataBits(k, t);
  const total = yBits + 2 * mb;
  const nw = (total + 31) >>> 5;
  stream.fill(0, 0, nw + 1);
  stream[0] = yl << (32 - yBits);
  orBits(stream, yBits, meta, lo, mw);
  orBits(stream, yBits + mb, meta, ro, mw);
  for (let j = 0; j < 16; j++) msg[j] = j < nw ? bswap(stream[j]!) : 0;
  const outBits = t >= 4 ? yBits + mbo : yBits;
  blake3Short(msg, (total + 7) >>> 3, hout, (outBits + 31) >>> 5 > 4 ? 8 : (outBits + 31) >>> 5);
  const y = bswap(hout[0]!) >>> (32 - yBits);
  if (outMeta !== undefined && mbo > 0) {
    if (t <= 3) {
      // tables 2, 3: the metadata is ml ‖ mr, i.e. the input stream after y
      extractBits(stream, yBits, mbo, outMeta, oo);
    } else {
      // tables 4..6: the hash bits after y
      const hw = (outBits + 31) >>> 5;
      for (let j = 0; j < hw; j++) hstream[j] = bswap(hout[j]!);
      hstream[hw] = 0;
      extractBits(hstream, yBits, mbo, outMeta, oo);
    }
  }
  return y;
}

// Scratch of fnTable (its own: fnInto's may be in use by a caller's verifier between tables).
const tStream = new Uint32Array(17);
const tMsg = new Uint32Array(16);
const tOut = new Uint32Array(8);
const tOutStream = new Uint32Array(9);

/**
 * fn_t (farming §3.3) of `count` matches, as {@link fnInto} for each: match i joins entries
 * left[i] and right[i] of table t-1 (y in `py`, metadata in `pm`); y[i] and its metadata
 * (`outMeta` from word i·ow, tables 2..6) are written. The sizes are worked out once per table, and
 * the message holds only the words the input fills (the rest stay zero). The loop body repeats
 * fnInto's on purpose: one shared per-input function, with the sizes in an object, made a K = 20
 * TypeScript table 1.9 s → 2.3-3.0 s (V8 does not inline it), so keep the two in step.
 */
export function fnTable(
  k: number,
  t: number,
  count: number,
  left: Uint32Array,
  right: Uint32Array,
  py: Uint32Array,
  pm: Uint32Array,
  y: Uint32Array,
  outMeta: Uint32Array,
): void {
  const yBits = k + PARAM_EXT;
  const ySh = 32 - yBits;
  const mb = metadataBits(k, t - 1);
  const mw = (mb + 31) >>> 5;
  const mbo = metadataBits(k, t);
  const ow = (mbo + 31) >>> 5;
  const total = yBits + 2 * mb;
  const nw = (total + 31) >>> 5;
  const blockLen = (total + 7) >>> 3;
  const outBits = t >= 4 ? yBits + mbo : yBits;
  const hw = (outBits + 31) >>> 5 > 4 ? 8 : (outBits + 31) >>> 5;
  const rOff = yBits + mb;
  const s = tStream;
  const m = tMsg;
  const h = tOut;
  const hs = tOutStream;
  m.fill(0);
  for (let i = 0; i < count; i++) {
    const l = left[i]!;
    for (let j = 1; j <= nw; j++) s[j] = 0;
    s[0] = py[l]! << ySh;
    orBits(s, yBits, pm, l * mw, mw);
    orBits(s, rOff, pm, right[i]! * mw, mw);
    for (let j = 0; j < nw; j++) m[j] = bswap(s[j]!);
    blake3Short(m, blockLen, h, hw);
    y[i] = bswap(h[0]!) >>> ySh;
    if (ow === 0) continue;
    if (t <= 3) {
      extractBits(s, yBits, mbo, outMeta, i * ow);
    } else {
      for (let j = 0; j < hw; j++) hs[j] = bswap(h[j]!);
      hs[hw] = 0;
      extractBits(hs, yBits, mbo, outMeta, i * ow);
    }
  }
}

/**
 * The verifier's match rule (farming §3.2, code `has_match`): the residue of `yr` is one of the 64
 * targets of `yl`. Bucket adjacency is deliberately NOT checked: the Rust nodes accept such pairs,
 * so checking it would fork from them.
 */
export function residuesMatch(yl: number, yr: number): boolean {
  const bl = Math.floor(yl / PARAM_BC);
  const rl = yl - bl * PARAM_BC;
  const rr = yr % PARAM_BC;
  // The 64 targets differ in their first term ((rl/C + m) mod B), so at most one m can fit.
  const m = (Math.floor(rr / PARAM_C) - Math.floor(rl / PARAM_C) + PARAM_B) % PARAM_B;
  if (m >= PARAM_M) return false;
  const q = 2 * m + (bl & 1);
  return (q * q + rl) % PARAM_C === rr % PARAM_C;
}

let targetTable: Uint16Array | undefined;

/**
 * For each parity p and residue r, the 64 targets T(p, r, m) sorted ascending (farming §3.2 and the
 * §3.4 emission order): row (p·BC + r)·64. 3.9 MB, built once per thread.
 */
export function matchTargets(): Uint16Array {
  if (targetTable !== undefined) return targetTable;
  const t = new Uint16Array(2 * PARAM_BC * PARAM_M);
  for (let p = 0; p < 2; p++) {
    for (let r = 0; r < PARAM_BC; r++) {
      const rb = Math.floor(r / PARAM_C);
      const rc = r % PARAM_C;
      // (rb + m) mod B is increasing in m except where it wraps: the wrapped ones are the smallest.
      const m0 = rb + PARAM_M - 1 >= PARAM_B ? PARAM_B - rb : 0;
      const row = (p * PARAM_BC + r) * PARAM_M;
      for (let j = 0; j < PARAM_M; j++) {
        const m = (m0 + j) % PARAM_M;
        const q = 2 * m + p;
        t[row + j] = ((rb + m) % PARAM_B) * PARAM_C + ((q * q + rc) % PARAM_C);
      }
    }
  }
  targetTable = t;
  return t;
}

let small: { offs: Uint16Array } | undefined;

/**
 * The offsets the builder composes targets from: target m of a left entry of residue r lies at
 * rb·C + offs[(p·C + rc)·64 + m] in the row space where rows 0..M-2 repeat after row B-1 (no wrap),
 * with rb = r / C, rc = r mod C, and offs = m·C + ((2m + p)^2 + rc) mod C. 32 KB.
 */
export function matchTables(): { offs: Uint16Array } {
  if (small !== undefined) return small;
  const offs = new Uint16Array(2 * PARAM_C * PARAM_M);
  for (let p = 0; p < 2; p++) {
    for (let rc = 0; rc < PARAM_C; rc++) {
      for (let m = 0; m < PARAM_M; m++)
        offs[(p * PARAM_C + rc) * PARAM_M + m] = m * PARAM_C + (((2 * m + p) ** 2 + rc) % PARAM_C);
    }
  }
  small = { offs };
  return small;
}
