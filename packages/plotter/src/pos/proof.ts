/**
 * Proofs (farming §3.5-3.7): finding the first proof of a challenge index in built tables, the
 * 160-byte encoding (64 K-bit x values, MSB-first), and the consensus verifier.
 */
import { blake3 } from '@autonomys/primitives';
import { PARAM_EXT, POS_PROOF_X_COUNT, proofSize } from '../constants.js';
import { chachaKey } from './chacha8.js';
import { challengeOf, f1Single, fnInto, metaWords, residuesMatch } from './core.js';
import type { PosTablesData, ProofMasks } from './table.js';

/** Writes 64 K-bit values MSB-first (8·K bytes). */
export function packXs(xs: ArrayLike<number>, k: number): Uint8Array {
  const out = new Uint8Array(proofSize(k));
  let acc = 0; // pending bits, left in the low `bits` bits
  let bits = 0;
  let o = 0;
  for (let i = 0; i < POS_PROOF_X_COUNT; i++) {
    const x = xs[i]!;
    // k ≤ 25 plus < 8 pending bits fits 32 bits; flush whole bytes as they form.
    acc = (acc << k) | x;
    bits += k;
    while (bits >= 8) {
      bits -= 8;
      out[o++] = acc >>> bits;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/** Reads 64 K-bit values MSB-first from 8·K bytes (no checks: callers check the length). */
export function unpackXs(
  proof: Uint8Array,
  k: number,
  out: Uint32Array = new Uint32Array(POS_PROOF_X_COUNT),
): Uint32Array {
  let acc = 0;
  let bits = 0;
  let i = 0;
  const mask = 2 ** k - 1;
  for (let o = 0; o < proof.length && i < POS_PROOF_X_COUNT; o++) {
    acc = ((acc << 8) | proof[o]!) >>> 0;
    bits += 8;
    if (bits >= k) {
      bits -= k;
      out[i++] = (acc >>> bits) & mask;
      acc &= (1 << bits) - 1;
    }
  }
  return out;
}

/** Index of the first table-7 entry whose y >> 6 equals `c`, or -1 (binary search: y7 is sorted). */
export function firstEntry(y7: Uint32Array, c: number): number {
  const target = c * (1 << PARAM_EXT);
  let lo = 0;
  let hi = y7.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (y7[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo < y7.length && y7[lo]! >>> PARAM_EXT === c ? lo : -1;
}

/**
 * The 64 x values of the first proof of a challenge index, in leaf order, or undefined (farming
 * §3.6): the first table-7 entry in (y, leftRank, rightRank) order, expanded left before right.
 */
export function findProofXs(tables: PosTablesData, index: number): Uint32Array | undefined {
  const e = firstEntry(tables.y7, challengeOf(index, tables.k));
  if (e < 0) return undefined;
  let cur = new Uint32Array(1);
  cur[0] = e;
  for (let t = 7; t >= 2; t--) {
    const pos = tables.positions[t - 2]!;
    const next = new Uint32Array(cur.length * 2);
    for (let i = 0; i < cur.length; i++) {
      next[2 * i] = pos[2 * cur[i]!]!;
      next[2 * i + 1] = pos[2 * cur[i]! + 1]!;
    }
    cur = next;
  }
  for (let i = 0; i < cur.length; i++) cur[i] = tables.x[cur[i]!]!;
  return cur;
}

/** Number of challenge indexes (s-buckets) a table answers: 2^16. */
export const CHALLENGE_INDEXES = 65_536;

/**
 * The chunk masks of the first `limit` proofs (TypeScript; the native kernel computes the same
 * bytes): {@link ProofMasks}.
 */
export function computeProofMasks(tables: PosTablesData, limit: number): ProofMasks {
  const sBuckets = new Uint32Array(limit);
  const masks = new Uint8Array(32 * limit);
  let count = 0;
  let s = 0;
  for (; s < CHALLENGE_INDEXES && count < limit; s++) {
    const xs = findProofXs(tables, s);
    if (xs === undefined) continue;
    sBuckets[count] = s;
    masks.set(blake3(packXs(xs, tables.k)), 32 * count);
    count++;
  }
  return { sBuckets: sBuckets.slice(0, count), masks: masks.slice(0, 32 * count), scanned: s };
}

/** The precomputed mask of an s-bucket: the mask, null without a proof, undefined if not covered. */
export function lookupProofMask(m: ProofMasks, s: number): Uint8Array | null | undefined {
  if (s >= m.scanned) return undefined;
  const b = m.sBuckets;
  let lo = 0;
  let hi = b.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (b[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  return lo < b.length && b[lo] === s ? m.masks.subarray(32 * lo, 32 * lo + 32) : null;
}

const vx = new Uint32Array(POS_PROOF_X_COUNT);
const vy = new Uint32Array(POS_PROOF_X_COUNT);
// Metadata of up to 64 entries of at most 4 words (K ≤ 25: 4K ≤ 100 bits), in place level by level.
const vmeta = new Uint32Array(POS_PROOF_X_COUNT * 4);
const vmetaNext = new Uint32Array(POS_PROOF_X_COUNT * 4);

/**
 * The consensus verifier (farming §3.7), inputs already checked: f1 of the 64 x values, then six
 * levels of pairs, each pair required to pass the residue-only match rule, and the final y must
 * carry the challenge.
 */
export function verifyProof(seed: Uint8Array, index: number, proof: Uint8Array, k: number): boolean {
  const key = chachaKey(seed);
  unpackXs(proof, k, vx);
  const shift = 32 - k;
  for (let i = 0; i < POS_PROOF_X_COUNT; i++) {
    vy[i] = f1Single(key, vx[i]!, k);
    vmeta[i] = vx[i]! << shift;
  }
  let meta = vmeta;
  let next = vmetaNext;
  for (let t = 2, n = POS_PROOF_X_COUNT; t <= 7; t++, n >>>= 1) {
    const pw = metaWords(k, t - 1);
    const ow = metaWords(k, t);
    for (let j = 0; j < n; j += 2) {
      const yl = vy[j]!;
      if (!residuesMatch(yl, vy[j + 1]!)) return false;
      vy[j >>> 1] = fnInto(k, t, yl, meta, j * pw, (j + 1) * pw, next, (j >>> 1) * ow);
    }
    const tmp = meta;
    meta = next;
    next = tmp;
  }
  return vy[0]! >>> PARAM_EXT === challengeOf(index, k);
}
