/**
 * Table construction in TypeScript (farming §3.4), the byte-identical fallback of the native kernel.
 *
 * Everything is typed arrays: per table a sorted y array, left-aligned metadata words and the
 * (leftRank, rightRank) pairs; per bucket pair the right bucket's residues as a small bitmap (the 64
 * probes of each left entry stay in the L1 cache) beside a residue map; table 1 sorted by a stable LSD
 * radix sort, tables 2..7 by buckets of y's top bits sorted in cache (sortTable).
 * Cost model at K=20 (~6.3 s here): ~6.3 M BLAKE3 compressions with their bit packing (~1.9 s),
 * ~6 × 67 M target probes (~2.3 s), the sorts (~1.2 s).
 */
import { numBuckets, PARAM_B, PARAM_BC, PARAM_C, PARAM_EXT, PARAM_M } from '../constants.js';
import { chacha8Blocks, chachaKey } from './chacha8.js';
import { f1FromStream, fnTable, matchTables, metaWords } from './core.js';

/**
 * The part of the seven tables that proofs need, as transferable typed arrays: table 1 as x values in
 * rank order, tables 2..7 as (leftRank, rightRank) pairs into the previous table in rank order, and
 * the sorted y values of table 7.
 */
export interface PosTablesData {
  /** The space parameter K. */
  readonly k: number;
  /** Table 1: x values sorted by (f1(x), x). */
  readonly x: Uint32Array;
  /** Tables 2..7 (index t-2): [left0, right0, left1, right1, ...] ranks into table t-1. */
  readonly positions: readonly Uint32Array[];
  /** Table 7: y values, ascending. */
  readonly y7: Uint32Array;
  /** The chunk masks of the first proofs, when they were computed with the tables. */
  readonly proofMasks?: ProofMasks;
}

/**
 * BLAKE3 of the first proof (the chunk mask, farming §2.3) of each challenge index 0, 1, ... that has
 * a proof, up to a limit: `masks[32i..32i+32)` belongs to `sBuckets[i]` (ascending); challenge
 * indexes from `scanned` on were not examined. Plotting, reading and proving need the masks of the
 * first numChunks proofs of a record's table, so the table builder computes them (in its worker,
 * natively when it can).
 */
export interface ProofMasks {
  readonly sBuckets: Uint32Array;
  readonly masks: Uint8Array;
  readonly scanned: number;
}

/** Cancellation check between phases (the inline generator passes its AbortSignal through it). */
export type CheckAbort = () => void;

/**
 * Stable LSD radix sort of `keys[0..n)` (values < 2^bits): returns the sorted keys and the
 * permutation (sorted position -> original index). Equal keys keep their original order, which is
 * what makes (y, leftRank, rightRank) the final order when entries arrive in (leftRank, rightRank)
 * order.
 */
export function radixSort(
  keys: Uint32Array,
  n: number,
  bits: number,
): { keys: Uint32Array; perm: Uint32Array } {
  const passes = Math.max(1, Math.ceil(bits / 13));
  const digit = Math.ceil(bits / passes);
  const size = 1 << digit;
  const mask = size - 1;
  const counts = new Uint32Array(size);
  const k1 = new Uint32Array(n);
  const i1 = new Uint32Array(n);
  const k2 = passes > 1 ? new Uint32Array(n) : k1;
  const i2 = passes > 1 ? new Uint32Array(n) : i1;
  // Ping-pong between two owned buffer pairs; the first pass reads the caller's keys (not written).
  let srcK = keys;
  let srcI: Uint32Array | undefined;
  let dstK = k1;
  let dstI = i1;
  for (let p = 0, shift = 0; p < passes; p++, shift += digit) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(srcK[i]! >>> shift) & mask]!++;
    for (let d = 0, sum = 0; d < size; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = srcK[i]!;
      const pos = counts[(key >>> shift) & mask]!++;
      dstK[pos] = key;
      dstI[pos] = srcI === undefined ? i : srcI[i]!;
    }
    srcK = dstK;
    srcI = dstI;
    dstK = dstK === k1 ? k2 : k1;
    dstI = dstI === i1 ? i2 : i1;
  }
  return { keys: srcK, perm: srcI ?? new Uint32Array(0) };
}

/** First index of each bucket in a sorted y array, plus two sentinels (length numBuckets + 2). */
export function bucketStarts(y: Uint32Array, n: number, k: number): Uint32Array {
  const nb = numBuckets(k);
  const starts = new Uint32Array(nb + 2);
  for (let i = 0; i < n; i++) starts[Math.floor(y[i]! / PARAM_BC) + 1]!++;
  for (let b = 1; b <= nb + 1; b++) starts[b]! += starts[b - 1]!;
  return starts;
}

/** Growable (left, right) match list. */
interface Matches {
  left: Uint32Array;
  right: Uint32Array;
  count: number;
}

// The residue map of one right bucket: how many entries have residue r, and the first of them.
const rmapCountScratch = new Uint16Array(PARAM_BC);
const rmapFirstScratch = new Uint32Array(PARAM_BC);
// Residues below REPEAT (rows 0..M-2) are repeated at +BC, so a left entry's 64 target rows are
// contiguous; the residues present, one byte each (~23 KB: the probes stay in the L1 cache).
const REPEAT = (PARAM_M - 1) * PARAM_C;
const presentScratch = new Uint8Array(PARAM_BC + REPEAT);

/**
 * The matches of left entry l from its hit bits x (bit i: target mOff + i, in the repeated row space
 * at base + offs[o + m]), lowest first: per hit, its right entries (c of them from rank f) in order.
 */
function emitHits(
  x: number,
  mOff: number,
  l: number,
  base: number,
  o: number,
  offs: Uint16Array,
  rmapCount: Uint16Array,
  rmapFirst: Uint32Array,
  left: Uint32Array,
  right: Uint32Array,
  count: number,
): number {
  while (x !== 0) {
    const low = x & -x;
    x ^= low;
    let t = base + offs[o + mOff + 31 - Math.clz32(low)]!;
    if (t >= PARAM_BC) t -= PARAM_BC;
    const c = rmapCount[t]!;
    const f = rmapFirst[t]!;
    for (let e = 0; e < c; e++) {
      left[count] = l;
      right[count++] = f + e;
    }
  }
  return count;
}

/**
 * All matches between index-adjacent buckets (b, b+1) of a sorted table, in (leftRank, rightRank)
 * order (farming §3.4 steps 1-2).
 */
export function findMatches(y: Uint32Array, n: number, k: number): Matches {
  const { offs } = matchTables();
  const starts = bucketStarts(y, n, k);
  const nb = numBuckets(k);
  let cap = n + (n >>> 3) + 1024;
  let left = new Uint32Array(cap);
  let right = new Uint32Array(cap);
  let count = 0;
  for (let b = 0; b + 1 < nb; b++) {
    const ls = starts[b]!;
    const le = starts[b + 1]!;
    const re = starts[b + 2]!;
    if (ls === le || le === re) continue;
    // Each (l, e) pair matches at most once, so |L|·|R| bounds this pair's matches: grow before
    // matching, so that the hot loop needs no capacity check.
    const most = count + (le - ls) * (re - le);
    if (most > cap) {
      cap = Math.max(cap + (cap >>> 1), most);
      const nl = new Uint32Array(cap);
      nl.set(left.subarray(0, count));
      left = nl;
      const nr = new Uint32Array(cap);
      nr.set(right.subarray(0, count));
      right = nr;
    }
    count = matchPair(
      y,
      b,
      ls,
      le,
      re,
      left,
      right,
      count,
      offs,
      rmapCountScratch,
      rmapFirstScratch,
      presentScratch,
    );
  }
  return { left, right, count };
}

/**
 * Eight targets' presence as bits 0..7: targets p..p+7 of the offsets, from row base. Unrolled:
 * eight probes per step are ~1.4x faster in V8 than one.
 */
function probe8(present: Uint8Array, offs: Uint16Array, base: number, p: number): number {
  return (
    present[base + offs[p]!]! |
    (present[base + offs[p + 1]!]! << 1) |
    (present[base + offs[p + 2]!]! << 2) |
    (present[base + offs[p + 3]!]! << 3) |
    (present[base + offs[p + 4]!]! << 4) |
    (present[base + offs[p + 5]!]! << 5) |
    (present[base + offs[p + 6]!]! << 6) |
    (present[base + offs[p + 7]!]! << 7)
  );
}

/**
 * The matches of bucket pair (b, b+1): left entries [ls, le), right entries [le, re). Per left entry,
 * its 64 targets are probed without branches into two 32-bit hit masks, then the hits are emitted in
 * ascending residue order: from the first m whose row (rb + m) wraps past B (its residues are the
 * smallest), then the m before it. Appended at `count`; returns the new count. A small function of
 * typed-array arguments so V8 optimises it as a whole (not by on-stack replacement of one big loop).
 */
function matchPair(
  y: Uint32Array,
  b: number,
  ls: number,
  le: number,
  re: number,
  left: Uint32Array,
  right: Uint32Array,
  count: number,
  offs: Uint16Array,
  rmapCount: Uint16Array,
  rmapFirst: Uint32Array,
  present: Uint8Array,
): number {
  const baseR = (b + 1) * PARAM_BC;
  for (let i = le; i < re; i++) {
    const r = y[i]! - baseR;
    if (rmapCount[r] === 0) rmapFirst[r] = i;
    rmapCount[r]!++;
    present[r] = 1;
    if (r < REPEAT) present[r + PARAM_BC] = 1;
  }
  const baseL = b * PARAM_BC;
  const qrow = (b & 1) * PARAM_C;
  for (let l = ls; l < le; l++) {
    const r = y[l]! - baseL;
    const rb = (r / PARAM_C) | 0;
    const o = (qrow + r - rb * PARAM_C) * PARAM_M;
    const base = rb * PARAM_C;
    let lo = 0;
    let hi = 0;
    for (let m = 0; m < 32; m += 8) {
      lo |= probe8(present, offs, base, o + m) << m;
      hi |= probe8(present, offs, base, o + 32 + m) << m;
    }
    if ((lo | hi) === 0) continue;
    const m0 = rb + PARAM_M - 1 >= PARAM_B ? PARAM_B - rb : 0;
    if (m0 === 0) {
      count = emitHits(lo, 0, l, base, o, offs, rmapCount, rmapFirst, left, right, count);
      count = emitHits(hi, 32, l, base, o, offs, rmapCount, rmapFirst, left, right, count);
    } else if (m0 < 32) {
      const from = -1 << m0;
      count = emitHits(lo & from, 0, l, base, o, offs, rmapCount, rmapFirst, left, right, count);
      count = emitHits(hi, 32, l, base, o, offs, rmapCount, rmapFirst, left, right, count);
      count = emitHits(lo & ~from, 0, l, base, o, offs, rmapCount, rmapFirst, left, right, count);
    } else {
      const from = -1 << (m0 - 32); // m0 = 32: all of hi
      count = emitHits(hi & from, 32, l, base, o, offs, rmapCount, rmapFirst, left, right, count);
      count = emitHits(lo, 0, l, base, o, offs, rmapCount, rmapFirst, left, right, count);
      count = emitHits(hi & ~from, 32, l, base, o, offs, rmapCount, rmapFirst, left, right, count);
    }
  }
  for (let i = le; i < re; i++) {
    const r = y[i]! - baseR;
    rmapCount[r] = 0;
    present[r] = 0;
    if (r < REPEAT) present[r + PARAM_BC] = 0;
  }
  return count;
}

/** One sorted table during construction. */
interface Level {
  y: Uint32Array;
  meta: Uint32Array;
  n: number;
}

/** Table 1 (farming §3.1): f1 over the whole keystream, sorted by (y, x). */
export function buildTable1(seed: Uint8Array, k: number): { level: Level; x: Uint32Array } {
  const n = 2 ** k;
  const streamBytes = (k * n) / 8;
  const blocks = Math.ceil(streamBytes / 64) + 1; // one spare block: the last x reads 4 bytes
  const ks = new Uint8Array(blocks * 64);
  chacha8Blocks(chachaKey(seed), 0, blocks, ks);
  const y = new Uint32Array(n);
  for (let x = 0, bit = 0; x < n; x++, bit += k) y[x] = f1FromStream(ks, bit >>> 3, bit & 7, x, k);
  const { keys, perm } = radixSort(y, n, k + PARAM_EXT);
  const meta = new Uint32Array(n);
  const shift = 32 - k;
  for (let i = 0; i < n; i++) meta[i] = perm[i]! << shift;
  return { level: { y: keys, meta, n }, x: perm };
}

/**
 * Table t (2..7) from table t-1 (farming §3.4): matches in (leftRank, rightRank) order, fn of each,
 * then a stable sort by y. Returns the sorted level (no metadata for table 7) and its positions.
 */
export function buildNextTable(prev: Level, k: number, t: number): { level: Level; positions: Uint32Array } {
  const { left, right, count } = findMatches(prev.y, prev.n, k);
  const ow = metaWords(k, t);
  const y = new Uint32Array(count);
  const meta = new Uint32Array(count * ow);
  fnTable(k, t, count, left, right, prev.y, prev.meta, y, meta);
  return sortTable(y, left, right, meta, ow, count, k + PARAM_EXT);
}

/** Bits of y sorted per bucket in cache by {@link sortTable}: 2^8 buckets of ~4 K entries at K = 20. */
const LOCAL_BITS = 18;

/**
 * Table entries in emission order (y, the match's ranks, ow metadata words each) sorted by y, equal y
 * keeping the emission order (farming §3.4), without a random-order gather over the whole table: one
 * stable scatter of whole entries into buckets of y's top bits (sequential streams), then per bucket,
 * in cache, two stable passes over the low bits and the entries written in rank order.
 */
function sortTable(
  y: Uint32Array,
  left: Uint32Array,
  right: Uint32Array,
  meta: Uint32Array,
  ow: number,
  count: number,
  bits: number,
): { level: Level; positions: Uint32Array } {
  const low = Math.min(bits, LOCAL_BITS);
  const nb = 2 ** (bits - low);
  const starts = new Uint32Array(nb + 1);
  for (let i = 0; i < count; i++) starts[(y[i]! >>> low) + 1]!++;
  for (let b = 0; b < nb; b++) starts[b + 1]! += starts[b]!;
  const next = starts.slice(0, nb);
  const by = new Uint32Array(count);
  const bl = new Uint32Array(count);
  const br = new Uint32Array(count);
  const bmeta = new Uint32Array(count * ow);
  for (let i = 0; i < count; i++) {
    const v = y[i]!;
    const d = next[v >>> low]!++;
    by[d] = v;
    bl[d] = left[i]!;
    br[d] = right[i]!;
    for (let w = 0; w < ow; w++) bmeta[d * ow + w] = meta[i * ow + w]!;
  }
  let most = 0;
  for (let b = 0; b < nb; b++) most = Math.max(most, starts[b + 1]! - starts[b]!);
  const d0 = Math.ceil(low / 2);
  const mask0 = 2 ** d0 - 1;
  const mask1 = 2 ** (low - d0) - 1;
  const h0 = new Uint32Array(mask0 + 1);
  const h1 = new Uint32Array(mask1 + 1);
  const once = new Uint32Array(most);
  const twice = new Uint32Array(most);
  const outY = new Uint32Array(count);
  const positions = new Uint32Array(2 * count);
  const outMeta = new Uint32Array(count * ow);
  for (let b = 0; b < nb; b++) {
    const s = starts[b]!;
    const m = starts[b + 1]! - s;
    if (m === 0) continue;
    h0.fill(0);
    h1.fill(0);
    for (let i = 0; i < m; i++) {
      const v = by[s + i]!;
      h0[v & mask0]!++;
      h1[(v >>> d0) & mask1]!++;
    }
    for (let d = 0, sum = 0; d <= mask0; d++) {
      const c = h0[d]!;
      h0[d] = sum;
      sum += c;
    }
    for (let d = 0, sum = 0; d <= mask1; d++) {
      const c = h1[d]!;
      h1[d] = sum;
      sum += c;
    }
    for (let i = 0; i < m; i++) once[h0[by[s + i]! & mask0]!++] = i;
    for (let i = 0; i < m; i++) {
      const j = once[i]!;
      twice[h1[(by[s + j]! >>> d0) & mask1]!++] = j;
    }
    for (let i = 0; i < m; i++) {
      const j = s + twice[i]!;
      const o = s + i;
      outY[o] = by[j]!;
      positions[2 * o] = bl[j]!;
      positions[2 * o + 1] = br[j]!;
      for (let w = 0; w < ow; w++) outMeta[o * ow + w] = bmeta[j * ow + w]!;
    }
  }
  return { level: { y: outY, meta: outMeta, n: count }, positions };
}

/** Builds the seven tables of a seed in TypeScript on the calling thread. */
export function buildTablesJs(seed: Uint8Array, k: number, checkAbort?: CheckAbort): PosTablesData {
  const t1 = buildTable1(seed, k);
  let level = t1.level;
  const positions: Uint32Array[] = [];
  for (let t = 2; t <= 7; t++) {
    checkAbort?.();
    const next = buildNextTable(level, k, t);
    positions.push(next.positions);
    level = next.level;
  }
  return { k, x: t1.x, positions, y7: level.y.slice(0, level.n) };
}
