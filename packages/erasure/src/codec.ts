/**
 * The public recovery functions over bytes and over Fr vectors (archiving §2 `recover`,
 * `recover_poly`, `recover_source`; archiving §3.8-3.9 column-wise over records).
 */
import { FR_LIMBS, FR_ONE, type FrVector, frReadAt, isCanonicalAt, type Polynomial } from '@autonomys/kzg';
import { aarray, abytes, acount, apow2 } from './assert.js';
import { type ErasureOptions, engine, NATIVE_MIN_SIZE, nativeRoots } from './backend.js';
import { MAX_SHARDS, SCALAR_SIZE } from './constants.js';
import { ErasureError } from './errors.js';
import { frCount } from './extend.js';
import { rawFromBytes, rawToBytes, readRawAt, writeRawAt } from './field.js';
import { applyPlan, coefficientsOf, normalized, planRecovery, type RecoveryPlan } from './recover.js';

const L = FR_LIMBS;

/** Options of {@link recoverPoly}. */
export interface RecoverPolyOptions extends ErasureOptions {
  /**
   * Threads of the native recovery (1 or 2, default 1; the TypeScript path ignores it): proving
   * uses 2, its recovery being on the critical path.
   */
  threads?: number;
  /**
   * The erasure pattern's plan ({@link planRecoverPoly}): the shards must be present at every
   * position the plan has present (others are not read), and the plan's backend is used. The result
   * is the same as without it.
   */
  plan?: RecoverPolyPlan;
}

/**
 * The part of {@link recoverPoly} that depends on the erasure pattern alone (the zero polynomial of
 * the missing positions and its derivative: ~3/4 of the work at 2n = 2^16), made by
 * {@link planRecoverPoly} or {@link planRecoverPolyAsync}, applied by `recoverPoly(shards, { plan })`.
 * Proving makes it from the sector contents map while the record's table is being built.
 */
export class RecoverPolyPlan {
  /** @internal use {@link planRecoverPoly}. */
  constructor(
    /** 2n, the number of shards. */
    readonly shards: number,
    /** The pattern (1 = present), a copy made by the planner; not to be modified. */
    readonly present: Uint8Array,
    /** @internal the native plan (`frRecoverPlan`), or undefined for the TypeScript one. */
    readonly nativePlan: Uint8Array | undefined,
    /** @internal the TypeScript plan, when not native. */
    readonly tsPlan: RecoveryPlan | undefined,
  ) {}
}

/** The pattern as a 0/1 mask, checked: 2n a power of two (up to 2^16), at most n missing. */
function readPattern(present: ArrayLike<number | boolean>): Uint8Array {
  if (present === null || typeof present !== 'object' || typeof present.length !== 'number')
    throw new ErasureError({
      code: 'ERASURE_INVALID_ARGUMENT',
      what: 'present',
      reason: 'expected an array or a Uint8Array',
    });
  const count = apow2(present.length, 'present count', MAX_SHARDS);
  const mask = new Uint8Array(count);
  let missing = 0;
  for (let i = 0; i < count; i++) {
    const p = present[i];
    mask[i] = p === true || (typeof p === 'number' && p !== 0) ? 1 : 0;
    missing += 1 - mask[i]!;
  }
  const maxMissing = count >> 1;
  if (missing > maxMissing)
    throw new ErasureError({ code: 'ERASURE_TOO_MANY_MISSING', missing, shards: count, maxMissing });
  return mask;
}

function nativePlanning(opts: RecoverPolyOptions | undefined, count: number) {
  const nat = engine(opts);
  const threads = threadsOf(opts);
  const native = nat?.hasFrRecoverPlan === true && count >= NATIVE_MIN_SIZE ? nat : null;
  return { nat, native, threads };
}

/**
 * The plan of an erasure pattern for `recoverPoly(shards, { plan })`: `present[i]` truthy when shard
 * i will be there (2n entries, a power of two up to 2^16, at least n present; else
 * ERASURE_TOO_MANY_MISSING). `threads` (1 or 2) as in {@link recoverPoly}.
 * @example const plan = planRecoverPoly(present); const poly = recoverPoly(shards, { plan });
 */
export function planRecoverPoly(
  present: ArrayLike<number | boolean>,
  opts?: RecoverPolyOptions,
): RecoverPolyPlan {
  const mask = readPattern(present);
  const { nat, native, threads } = nativePlanning(opts, mask.length);
  if (native !== null)
    return new RecoverPolyPlan(
      mask.length,
      mask,
      native.frRecoverPlan(mask, nativeRoots(mask.length).forward, threads),
      undefined,
    );
  return new RecoverPolyPlan(mask.length, mask, undefined, planRecovery(mask, nat));
}

/**
 * {@link planRecoverPoly} off the calling thread when native (libuv's thread pool), so that it runs
 * beside other work (proving: beside the record's table).
 * @example const plan = await planRecoverPolyAsync(present, { threads: 1 });
 */
export async function planRecoverPolyAsync(
  present: ArrayLike<number | boolean>,
  opts?: RecoverPolyOptions,
): Promise<RecoverPolyPlan> {
  const mask = readPattern(present);
  const { nat, native, threads } = nativePlanning(opts, mask.length);
  if (native !== null)
    return new RecoverPolyPlan(
      mask.length,
      mask,
      await native.frRecoverPlanAsync(mask, nativeRoots(mask.length).forward, threads),
      undefined,
    );
  return new RecoverPolyPlan(mask.length, mask, undefined, planRecovery(mask, nat));
}

function threadsOf(opts: RecoverPolyOptions | undefined): number {
  const threads = opts?.threads ?? 1;
  if (threads !== 1 && threads !== 2)
    throw new ErasureError({ code: 'ERASURE_INVALID_ARGUMENT', what: 'threads', reason: 'expected 1 or 2' });
  return threads;
}

/** recoverPoly with a plan: the shards checked against its pattern. */
function recoverPolyPlanned(
  shards: Shards,
  plan: RecoverPolyPlan,
  threads: number,
  opts: RecoverPolyOptions,
): Polynomial {
  checkPlan(plan);
  aarray(shards, 'shards');
  const count = plan.shards;
  if (shards.length !== count)
    throw new ErasureError({
      code: 'ERASURE_INVALID_LENGTH',
      what: 'shards',
      expected: count,
      actual: shards.length,
    });
  const canonical = plan.nativePlan !== undefined;
  const values = canonical ? new Uint8Array(count * SCALAR_SIZE) : undefined;
  const v = canonical ? undefined : new Float64Array(count * L);
  for (let i = 0; i < count; i++) {
    if (plan.present[i] === 0) continue;
    const s = shards[i];
    if (s === null || s === undefined)
      throw new ErasureError({
        code: 'ERASURE_INVALID_ARGUMENT',
        what: `shards[${i}]`,
        reason: 'missing, but present in the plan',
      });
    abytes(s, `shards[${i}]`, SCALAR_SIZE);
    const ok = values !== undefined ? s[0]! < 0x73 || isCanonicalAt(s, 0) : frReadAt(v!, i * L, s, 0);
    if (!ok) throw new ErasureError({ code: 'ERASURE_INVALID_SCALAR', what: 'shards', index: i });
    values?.set(s, i * SCALAR_SIZE);
  }
  return values !== undefined
    ? applyNativePlan(values, plan, threads)
    : polyFromPlan(v!, plan.present, plan.tsPlan!, engine(opts));
}

function checkPlan(plan: RecoverPolyPlan): void {
  if (!(plan instanceof RecoverPolyPlan))
    throw new ErasureError({
      code: 'ERASURE_INVALID_ARGUMENT',
      what: 'plan',
      reason: 'expected a plan of planRecoverPoly',
    });
}

function applyNativePlan(values: Uint8Array, plan: RecoverPolyPlan, threads: number): Polynomial {
  const nat = engine({ backend: 'native' })!;
  const out = nat.frRecoverApply(values, plan.nativePlan!, montgomeryR(), threads);
  const c = new Float64Array((plan.shards >> 1) * L);
  rawFromBytes(out, c, 0);
  return normalized(c);
}

/**
 * {@link recoverPoly} with a plan, from the codeword as one byte array: shard i at bytes
 * [32i, 32i + 32) of `values` (`plan.shards` × 32 bytes), read only where the plan has it present
 * (what is at the other positions does not matter). No array of shards is made: proving unmasks a
 * record in place and recovers it from that buffer. The same result as `recoverPoly(shards, { plan })`.
 * @throws ErasureError `ERASURE_INVALID_ARGUMENT` (not a plan, not a Uint8Array),
 *   `ERASURE_INVALID_LENGTH` (not plan.shards × 32 bytes), `ERASURE_INVALID_SCALAR` (index: the first
 *   present shard that is not a canonical scalar).
 * @example const poly = recoverPolyBytes(codeword, planRecoverPoly(present), { threads: 2 });
 */
export function recoverPolyBytes(
  values: Uint8Array,
  plan: RecoverPolyPlan,
  opts: Omit<RecoverPolyOptions, 'plan'> = {},
): Polynomial {
  checkPlan(plan);
  const threads = threadsOf(opts);
  const count = plan.shards;
  abytes(values, 'values');
  if (values.length !== count * SCALAR_SIZE)
    throw new ErasureError({
      code: 'ERASURE_INVALID_LENGTH',
      what: 'values',
      expected: count * SCALAR_SIZE,
      actual: values.length,
    });
  const present = plan.present;
  if (plan.nativePlan !== undefined) {
    // The addon checks every present scalar too; this check names the shard with the package's error.
    for (let i = 0; i < count; i++)
      if (present[i] !== 0 && values[i * SCALAR_SIZE]! >= 0x73 && !isCanonicalAt(values, i * SCALAR_SIZE))
        throw new ErasureError({ code: 'ERASURE_INVALID_SCALAR', what: 'values', index: i });
    return applyNativePlan(values, plan, threads);
  }
  const v = new Float64Array(count * L);
  for (let i = 0; i < count; i++)
    if (present[i] !== 0 && !frReadAt(v, i * L, values, i * SCALAR_SIZE))
      throw new ErasureError({ code: 'ERASURE_INVALID_SCALAR', what: 'values', index: i });
  return polyFromPlan(v, present, plan.tsPlan!, engine(opts));
}

/** 2n shards in codeword order (even = source, odd = parity): a 32-byte scalar, or null/undefined when missing. */
export type Shards = readonly (Uint8Array | null | undefined)[];

/** Reads shards into a vector (raw limbs, or Montgomery form) and a presence mask. */
function readShards(shards: Shards, montgomery: boolean): { v: FrVector; present: Uint8Array } {
  aarray(shards, 'shards');
  const count = apow2(shards.length, 'shards count', MAX_SHARDS);
  const v = new Float64Array(count * L);
  const present = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const s = shards[i];
    if (s === null || s === undefined) continue;
    abytes(s, `shards[${i}]`, SCALAR_SIZE);
    const ok = montgomery ? frReadAt(v, i * L, s, 0) : readRawAt(v, i * L, s, 0);
    if (!ok) throw new ErasureError({ code: 'ERASURE_INVALID_SCALAR', what: 'shards', index: i });
    present[i] = 1;
  }
  return { v, present };
}

/**
 * All 2n values of a codeword from any n or more of them (archiving §2 `recover`): `shards[i]` is
 * the value at ω_2n^i or null when missing; 2n a power of two up to 2^16. Returns 2n·32 bytes,
 * interleaved source/parity. Throws ERASURE_TOO_MANY_MISSING when fewer than half are present;
 * with nothing missing it returns the input's values. Present values must lie on one polynomial of
 * degree < n (verify pieces first): on inconsistent input the result is some other interpolant.
 * @example
 * const all = recover(shards); // 256 optional column values → 256 × 32 bytes
 */
export function recover(shards: Shards, opts?: ErasureOptions): Uint8Array {
  const nat = engine(opts);
  const { v, present } = readShards(shards, false);
  const plan = planRecovery(present, nat);
  applyPlan(plan, v, 0, new Float64Array(present.length * L), nat);
  return rawToBytes(v, 0, present.length);
}

/**
 * The n source values (even positions) of a codeword from any half of its shards: {@link recover}
 * without the parity, and without any work when every source shard is present.
 * @example const source = recoverSource(shards); // n × 32 bytes
 */
export function recoverSource(shards: Shards, opts?: ErasureOptions): Uint8Array {
  const nat = engine(opts);
  const { v, present } = readShards(shards, false);
  const n = present.length >> 1;
  const plan = planRecovery(present, nat); // throws when too many are missing
  if (n === 0) return rawToBytes(v, 0, 1);
  let evensPresent = true;
  for (let k = 0; k < n && evensPresent; k++) evensPresent = present[2 * k] === 1;
  if (!evensPresent) applyPlan(plan, v, 0, new Float64Array(present.length * L), nat);
  const out = new Uint8Array(n * SCALAR_SIZE);
  for (let k = 0; k < n; k++) writeRawAt(out, k * SCALAR_SIZE, v, 2 * k * L);
  return out;
}

/**
 * The codeword's polynomial in coefficient form (archiving §2 `recover_poly`, farming §6 step 4):
 * n coefficients with trailing zeros stripped (at least one kept), as @autonomys/kzg's Polynomial,
 * ready for `Kzg.createWitness(poly, 2n, index)`.
 * @example const poly = recoverPoly(optionalChunks); // 65 536 optional scalars → ≤ 32 768 coefficients
 */
export function recoverPoly(shards: Shards, opts?: RecoverPolyOptions): Polynomial {
  const threads = threadsOf(opts);
  if (opts?.plan !== undefined) return recoverPolyPlanned(shards, opts.plan, threads, opts);
  const nat = engine(opts);
  if (nat?.hasFrRecoverPoly === true && shards.length >= NATIVE_MIN_SIZE)
    return recoverPolyNative(shards, nat, threads);
  const { v, present } = readShards(shards, true);
  return polyFrom(v, present, nat);
}

/**
 * {@link recoverPoly} in one native call (blst, Montgomery form throughout: ~10x the TypeScript
 * path at 2^16). The output is scaled by R = 2^264 (the limbs' Montgomery factor), so that reading it
 * as raw limbs gives the coefficients without a conversion.
 */
function recoverPolyNative(
  shards: Shards,
  nat: NonNullable<ReturnType<typeof engine>>,
  threads: number,
): Polynomial {
  aarray(shards, 'shards');
  const count = apow2(shards.length, 'shards count', MAX_SHARDS);
  const values = new Uint8Array(count * SCALAR_SIZE);
  const present = new Uint8Array(count);
  let missing = count;
  for (let i = 0; i < count; i++) {
    const s = shards[i];
    if (s === null || s === undefined) continue;
    abytes(s, `shards[${i}]`, SCALAR_SIZE);
    if (s[0]! >= 0x73 && !isCanonicalAt(s, 0))
      throw new ErasureError({ code: 'ERASURE_INVALID_SCALAR', what: 'shards', index: i });
    values.set(s, i * SCALAR_SIZE);
    present[i] = 1;
    missing--;
  }
  const maxMissing = count >> 1;
  if (missing > maxMissing)
    throw new ErasureError({ code: 'ERASURE_TOO_MANY_MISSING', missing, shards: count, maxMissing });
  const out = nat.frRecoverPoly(values, present, nativeRoots(count).forward, montgomeryR(), threads);
  const c = new Float64Array((count >> 1) * L);
  rawFromBytes(out, c, 0);
  return normalized(c);
}

let rBytes: Uint8Array | undefined;
/** R mod r as a 32-byte scalar: the raw limbs of one. */
function montgomeryR(): Uint8Array {
  rBytes ??= rawToBytes(FR_ONE, 0, 1);
  return rBytes;
}

function polyFrom(v: FrVector, present: Uint8Array, nat: ReturnType<typeof engine>): Polynomial {
  return polyFromPlan(v, present, planRecovery(present, nat), nat);
}

function polyFromPlan(
  v: FrVector,
  present: Uint8Array,
  plan: RecoveryPlan,
  nat: ReturnType<typeof engine>,
): Polynomial {
  const shards = present.length;
  if (shards === 1) return normalized(v.slice(0, L));
  let evensPresent = true;
  for (let k = 0; k < shards >> 1 && evensPresent; k++) evensPresent = present[2 * k] === 1;
  if (!evensPresent) applyPlan(plan, v, 0, new Float64Array(shards * L), nat);
  return normalized(coefficientsOf(v, 0, shards, nat));
}

/** Checks a vector of 2n elements and its presence mask (1/true = present). */
function readMask(
  values: FrVector,
  present: ArrayLike<number | boolean>,
): { count: number; mask: Uint8Array } {
  const count = frCount(values, 'values', MAX_SHARDS);
  if (present === null || typeof present !== 'object' || typeof present.length !== 'number')
    throw new ErasureError({
      code: 'ERASURE_INVALID_ARGUMENT',
      what: 'present',
      reason: 'expected an array or a Uint8Array',
    });
  if (present.length !== count)
    throw new ErasureError({
      code: 'ERASURE_INVALID_LENGTH',
      what: 'present',
      expected: count,
      actual: present.length,
    });
  const mask = new Uint8Array(count);
  for (let i = 0; i < count; i++) mask[i] = present[i] ? 1 : 0;
  return { count, mask };
}

/**
 * {@link recover} over an Fr vector of @autonomys/kzg: `values` holds 2n elements (those at
 * positions where `present[i]` is false are ignored), the result is a fresh vector of all 2n.
 * @example const all = recoverFr(values, present);
 */
export function recoverFr(
  values: FrVector,
  present: ArrayLike<number | boolean>,
  opts?: ErasureOptions,
): FrVector {
  const nat = engine(opts);
  const { count, mask } = readMask(values, present);
  const v = values.slice();
  applyPlan(planRecovery(mask, nat), v, 0, new Float64Array(count * L), nat);
  return v;
}

/**
 * {@link recoverPoly} over an Fr vector of @autonomys/kzg and a presence mask.
 * @example const poly = recoverPolyFr(values, present);
 */
export function recoverPolyFr(
  values: FrVector,
  present: ArrayLike<number | boolean>,
  opts?: ErasureOptions,
): Polynomial {
  const nat = engine(opts);
  const { mask } = readMask(values, present);
  return polyFrom(values.slice(), mask, nat);
}

/**
 * Column-wise recovery over records (archiving §3.8-3.9): `records` holds the 2n records of a
 * segment in piece order (null when missing), every present one the same length; for every scalar
 * offset the column is recovered. The erasure pattern is the same for every column, so the zero
 * polynomial is computed once. Returns all 2n records (fresh copies).
 * @example const records = recoverColumns(pieceRecords); // 256 optional records → 256 records
 */
export function recoverColumns(
  records: readonly (Uint8Array | null | undefined)[],
  opts?: ErasureOptions,
): Uint8Array[] {
  aarray(records, 'records');
  const count = apow2(records.length, 'records count', MAX_SHARDS);
  const present = new Uint8Array(count);
  let size = -1;
  records.forEach((r, i) => {
    if (r === null || r === undefined) return;
    abytes(r, `records[${i}]`);
    if (size === -1) size = r.length;
    else if (r.length !== size)
      throw new ErasureError({
        code: 'ERASURE_INVALID_LENGTH',
        what: `records[${i}]`,
        expected: size,
        actual: r.length,
      });
    present[i] = 1;
  });
  const nat = engine(opts);
  const plan = planRecovery(present, nat); // throws when fewer than half are present
  const columns = acount(records.find((r) => r !== null && r !== undefined)!, SCALAR_SIZE, 'records');
  const out = records.map((r) => (r === null || r === undefined ? new Uint8Array(size) : r.slice()));
  const v = new Float64Array(count * L);
  const work = new Float64Array(count * L);
  const missing: number[] = [];
  for (let i = 0; i < count; i++) if (present[i] === 0) missing.push(i);
  for (let j = 0, o = 0; j < columns; j++, o += SCALAR_SIZE) {
    for (let i = 0; i < count; i++) {
      if (present[i] === 1 && !readRawAt(v, i * L, records[i]!, o))
        throw new ErasureError({ code: 'ERASURE_INVALID_SCALAR', what: `records[${i}]`, index: j });
    }
    applyPlan(plan, v, 0, work, nat);
    for (const i of missing) writeRawAt(out[i]!, o, v, i * L);
  }
  return out;
}
