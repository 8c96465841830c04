/**
 * Proof-of-space table construction (farming §3.4) for `@autonomys/plotter`, in C (csrc/pos.c):
 * ChaCha8 f1, bucket matching, and fn with BLAKE3 eight hashes at a time. The plotter keeps a
 * byte-identical TypeScript path and calls this only when {@link hasPosTables} is true.
 */

import type { Status } from './addon.js';
import { addon } from './addon.js';
import { abytes, aint } from './assert.js';
import { NativeError } from './errors.js';
import { statusError } from './status.js';

/**
 * The tables as typed arrays: x of table 1, (left, right) rank pairs of tables 2..7, y of table 7.
 * Each array has an ArrayBuffer of its own (the kernel builds into it; with `spare` buffers it may be
 * longer than the array), so a worker can transfer it.
 */
export interface NativePosTables {
  k: number;
  x: Uint32Array;
  positions: Uint32Array[];
  y7: Uint32Array;
  /** With `proofMasks > 0`: the chunk masks of the first proofs. */
  proofMasks?: NativeProofMasks;
}

/**
 * BLAKE3 of the first proof (the chunk mask, farming §2.3) of each challenge index 0, 1, ... that has
 * one, up to a limit: `masks[32i..32i+32)` belongs to `sBuckets[i]`; indexes from `scanned` on were
 * not examined.
 */
export interface NativeProofMasks {
  sBuckets: Uint32Array;
  masks: Uint8Array;
  scanned: number;
}

/** Options of {@link posTables}. */
export interface PosTablesNativeOptions {
  /** Also hash the first proofs of this many challenge indexes (0..65536, default 0). */
  proofMasks?: number;
  /**
   * Threads for this one table (1 or 2, default 1): 2 splits matching, fn, the radix sorts, the
   * sorted-order gather and the proof-mask walk in halves (proving, where one table is on the
   * critical path); the tables are the same.
   */
  threads?: number;
  /**
   * ArrayBuffers of tables no longer used (e.g. `[x.buffer, ...positions.map((p) => p.buffer),
   * y7.buffer]` of a released table) to build into instead of fresh ones, the first large enough for
   * each output array: no zeroed memory to fault in and no external-memory growth (which costs the
   * thread a garbage collection per table). The buffers used are then owned by the new tables (arrays
   * possibly shorter than their buffer); the caller must not use the old arrays again.
   */
  spare?: ArrayBuffer[];
}

interface PosAddon {
  posTables?(
    seed: Uint8Array,
    k: number,
    maskLimit?: number,
    threads?: number,
    spare?: ArrayBuffer[],
  ): unknown[] | [number, number, number];
  frRecoverPoly?(
    out: Uint8Array,
    values: Uint8Array,
    present: Uint8Array,
    root2n: Uint8Array,
    scale: Uint8Array,
    threads: number,
  ): Status;
  frRecoverPlan?(present: Uint8Array, root2n: Uint8Array, threads: number): Uint8Array | Status;
  frRecoverPlanAsync?(present: Uint8Array, root2n: Uint8Array, threads: number): Promise<Uint8Array | Status>;
  frRecoverApply?(
    out: Uint8Array,
    values: Uint8Array,
    plan: Uint8Array,
    scale: Uint8Array,
    threads: number,
  ): Status;
}

const pos = addon as PosAddon | null;

/** True when the addon is loaded and has the PoS kernel. */
export const hasPosTables: boolean = typeof pos?.posTables === 'function';

/**
 * Builds the seven proof-of-space tables of a 32-byte seed for space parameter k (6..25) on the
 * calling thread (at K=20 with the masks below, ~0.33 s of CPU on an AMD Zen 4 core with AVX-512,
 * ~0.55-0.7 s on a Zen 3 with AVX2), optionally with the chunk masks of
 * the first proofs (~20-40 ms for 32 768). The kernel keeps its work buffers for the next build (at
 * most two sets of ~115 MB at K = 20, none above K = 21). Throws NATIVE_UNAVAILABLE without the addon.
 * @example const { x, positions, y7 } = posTables(seed, 20);
 */
export function posTables(seed: Uint8Array, k: number, opts: PosTablesNativeOptions = {}): NativePosTables {
  abytes(seed, 'seed', 32);
  aint(k, 'k', 6, 25);
  const limit = opts.proofMasks ?? 0;
  aint(limit, 'proofMasks', 0, 65_536);
  const threads = opts.threads ?? 1;
  aint(threads, 'threads', 1, 2);
  if (!hasPosTables)
    throw new NativeError({ code: 'NATIVE_UNAVAILABLE', what: 'posTables', reason: 'not built' });
  const spare = opts.spare;
  if (spare !== undefined && (!Array.isArray(spare) || !spare.every((b) => b instanceof ArrayBuffer)))
    throw new NativeError({
      code: 'NATIVE_INVALID_ARGUMENT',
      what: 'spare',
      reason: 'expected ArrayBuffers',
    });
  const r = pos!.posTables!(seed, k, limit, threads, spare);
  if (!(r[0] instanceof Uint32Array))
    throw new NativeError({ code: 'NATIVE_OUT_OF_MEMORY', what: 'posTables' });
  const a = r as Uint32Array[];
  const tables: NativePosTables = { k, x: a[0]!, positions: a.slice(1, 7), y7: a[7]! };
  if (limit > 0)
    tables.proofMasks = {
      sBuckets: a[8]!,
      masks: r[9] as Uint8Array,
      scanned: r[10] as number,
    };
  return tables;
}

/** True when the addon is loaded and has {@link frRecoverPoly}. */
export const hasFrRecoverPoly: boolean = typeof pos?.frRecoverPoly === 'function';

/** Throws NATIVE_INVALID_ARGUMENT when more than half of the n2 positions are missing. */
function checkMissing(present: Uint8Array, n2: number): void {
  let missing = 0;
  for (let i = 0; i < n2; i++) if (present[i] === 0) missing++;
  if (missing > n2 / 2)
    throw new NativeError({
      code: 'NATIVE_INVALID_ARGUMENT',
      what: 'present',
      reason: `${missing} of ${n2} values missing, at most ${n2 / 2} can be`,
    });
}

/** The number of 32-byte values (2n: a power of two from 2 to 2^28), or NATIVE_INVALID_ARGUMENT. */
function valuesCount(values: Uint8Array): number {
  abytes(values, 'values', undefined, 32);
  const n2 = values.length / 32;
  if (n2 < 2 || (n2 & (n2 - 1)) !== 0 || n2 > 2 ** 28)
    throw new NativeError({
      code: 'NATIVE_INVALID_ARGUMENT',
      what: 'values',
      reason: `${n2} values, not a power of two >= 2`,
    });
  return n2;
}

/**
 * The record polynomial for proving (farming §4.9, §6 step 4) in one call (csrc/pos-recover.c):
 * `values` holds 2n 32-byte big-endian canonical scalars (n a power of two, 2n ≤ 2^28), the values
 * on the 2n-domain of `rootOfUnity2n` (order exactly 2n) of a polynomial of degree < n, of which only
 * those with `present[i] !== 0` are read (at least n of them). Returns its n coefficients (lowest
 * first, 32-byte big-endian), each multiplied by the scalar `scale` (default 1), on `threads` threads
 * (1 or 2, default 1: the FFTs and the zero polynomial's product tree split in halves). The caller checks
 * that at least n values are present (else NATIVE_INVALID_ARGUMENT); a value ≥ r throws
 * NATIVE_INVALID_SCALAR with its index.
 * @example const coefficients = frRecoverPoly(values, present, omega65536);
 */
export function frRecoverPoly(
  values: Uint8Array,
  present: Uint8Array,
  rootOfUnity2n: Uint8Array,
  scale: Uint8Array = ONE,
  threads = 1,
): Uint8Array {
  const n2 = valuesCount(values);
  abytes(present, 'present', n2);
  abytes(rootOfUnity2n, 'rootOfUnity2n', 32);
  abytes(scale, 'scale', 32);
  aint(threads, 'threads', 1, 2);
  checkMissing(present, n2);
  if (!hasFrRecoverPoly)
    throw new NativeError({ code: 'NATIVE_UNAVAILABLE', what: 'frRecoverPoly', reason: 'not built' });
  const out = new Uint8Array(values.length / 2);
  const st = pos!.frRecoverPoly!(out, values, present, rootOfUnity2n, scale, threads);
  if (st !== undefined) throw statusError('frRecoverPoly', st, 0, n2);
  return out;
}

const ONE = new Uint8Array(32);
ONE[31] = 1;

/** True when the addon has the two-phase recovery ({@link frRecoverPlan}, {@link frRecoverApply}). */
export const hasFrRecoverPlan: boolean =
  typeof pos?.frRecoverPlan === 'function' &&
  typeof pos?.frRecoverPlanAsync === 'function' &&
  typeof pos?.frRecoverApply === 'function';

/**
 * The erasure pattern's part of {@link frRecoverPoly}, computed from `present` alone (2n entries,
 * 0 = missing, at most n missing): the zero polynomial of the missing positions on the domain of
 * `rootOfUnity2n` and its derivative there, ~3/4 of a recovery's work at 2n = 2^16. An opaque
 * Uint8Array (up to ~5 MB at 2^16) for {@link frRecoverApply}; `threads` as in frRecoverPoly.
 * @example const plan = frRecoverPlan(present, omega65536); frRecoverApply(values, plan);
 */
export function frRecoverPlan(present: Uint8Array, rootOfUnity2n: Uint8Array, threads = 1): Uint8Array {
  checkPlanArgs(present, rootOfUnity2n, threads);
  const r = pos!.frRecoverPlan!(present, rootOfUnity2n, threads);
  if (!(r instanceof Uint8Array)) throw statusError('frRecoverPlan', r ?? [6, 0, 0], 0, present.length);
  return r;
}

/**
 * {@link frRecoverPlan} on the libuv thread pool: proving computes it while the record's table is
 * being built. The `present` array is copied at the call.
 * @example const plan = await frRecoverPlanAsync(present, omega65536);
 */
export async function frRecoverPlanAsync(
  present: Uint8Array,
  rootOfUnity2n: Uint8Array,
  threads = 1,
): Promise<Uint8Array> {
  checkPlanArgs(present, rootOfUnity2n, threads);
  const r = await pos!.frRecoverPlanAsync!(present, rootOfUnity2n, threads);
  if (!(r instanceof Uint8Array)) throw statusError('frRecoverPlan', r ?? [6, 0, 0], 0, present.length);
  return r;
}

/**
 * The values' part of {@link frRecoverPoly}: the same n coefficients (times `scale`), from the 2n
 * values (32-byte big-endian; those at the plan's missing positions are not read) and a plan of
 * {@link frRecoverPlan} for their erasure pattern. A malformed plan throws NATIVE_BAD_ENCODING.
 * @example const coefficients = frRecoverApply(values, frRecoverPlan(present, omega65536));
 */
export function frRecoverApply(
  values: Uint8Array,
  plan: Uint8Array,
  scale: Uint8Array = ONE,
  threads = 1,
): Uint8Array {
  const n2 = valuesCount(values);
  abytes(plan, 'plan');
  abytes(scale, 'scale', 32);
  aint(threads, 'threads', 1, 2);
  if (!hasFrRecoverPlan)
    throw new NativeError({ code: 'NATIVE_UNAVAILABLE', what: 'frRecoverApply', reason: 'not built' });
  const out = new Uint8Array(values.length / 2);
  const st = pos!.frRecoverApply!(out, values, plan, scale, threads);
  if (st !== undefined) throw statusError('frRecoverApply', st, 0, n2);
  return out;
}

function checkPlanArgs(present: Uint8Array, rootOfUnity2n: Uint8Array, threads: number): void {
  abytes(present, 'present');
  const n2 = present.length;
  if (n2 < 2 || (n2 & (n2 - 1)) !== 0 || n2 > 2 ** 28)
    throw new NativeError({
      code: 'NATIVE_INVALID_ARGUMENT',
      what: 'present',
      reason: `${n2} positions, not a power of two >= 2`,
    });
  abytes(rootOfUnity2n, 'rootOfUnity2n', 32);
  aint(threads, 'threads', 1, 2);
  checkMissing(present, n2);
  if (!hasFrRecoverPlan)
    throw new NativeError({ code: 'NATIVE_UNAVAILABLE', what: 'frRecoverPlan', reason: 'not built' });
}
