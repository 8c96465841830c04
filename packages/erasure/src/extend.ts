/**
 * Rate-1/2 Reed-Solomon extension (archiving §2 `extend`, farming §4.3): n source values are the
 * evaluations at the even points ω_2n^(2k) = ω_n^k of the unique polynomial of degree < n; the
 * parity values are its evaluations at the odd points ω_2n^(2k+1). Interleaved, [s0, p0, s1, p1, …]
 * is the polynomial on the 2n-domain in natural order.
 *
 * The reference pads the coefficients to 2n and runs a 2n-point FFT. We use the equivalent
 * half-size form: the odd points are the coset ω_2n·H_n, so parity = DFT_n(c_k·ω_2n^k) with
 * c = IDFT_n(source): two n-point FFTs and n multiplications (n^-1 folded into the twist).
 */
import { FR_LIMBS, type FrVector, frMulAt, getDomain, rootOfUnity as getRootOfUnity } from '@autonomys/kzg';
import { aarray, abytes, acount, apow2 } from './assert.js';
import { type ErasureOptions, engine, fft, NATIVE_MIN_SIZE, nativeRoots } from './backend.js';
import { MAX_SOURCE_VALUES, SCALAR_SIZE } from './constants.js';
import { ErasureError } from './errors.js';
import { mulPointwise, rawFromBytes, rawToBytes, readRawAt, twiddles, writeRawAt } from './field.js';

const L = FR_LIMBS;

type Native = NonNullable<ReturnType<typeof engine>>;

const twistCache = new Map<number, FrVector>();
const untwistCache = new Map<number, FrVector>();

/** ω_2n^k·n^-1 for k < n: the coset shift, with the inverse FFT's scaling folded in. */
export function twist(n: number): FrVector {
  let t = twistCache.get(n);
  if (t === undefined) {
    t = scaledTable(getDomain(2 * n).twiddles, n);
    twistCache.set(n, t);
  }
  return t;
}

/** ω_2n^-k·n^-1 for k < n: back from the coset (parity → coefficients). */
export function untwist(n: number): FrVector {
  let t = untwistCache.get(n);
  if (t === undefined) {
    t = scaledTable(twiddles(2 * n).inverse, n);
    untwistCache.set(n, t);
  }
  return t;
}

function scaledTable(powers: FrVector, n: number): FrVector {
  const inv = getDomain(n).sizeInverse;
  const t = new Float64Array(n * L);
  for (let k = 0; k < n; k++) frMulAt(t, k * L, powers, k * L, inv, 0);
  return t;
}

/** The n source values at element offset `base` of v become their n parity values, in place. */
export function extendInPlace(v: FrVector, base: number, n: number, nat: Native | null): void {
  fft(v, base, n, true, nat);
  mulPointwise(v, base, twist(n), 0, n);
  fft(v, base, n, false, nat);
}

/** The inverse of {@link extendInPlace}: n parity values at `base` become the n source values. */
export function unextendInPlace(v: FrVector, base: number, n: number, nat: Native | null): void {
  fft(v, base, n, true, nat);
  mulPointwise(v, base, untwist(n), 0, n);
  fft(v, base, n, false, nat);
}

/** Reads n·32 bytes of canonical scalars as raw limbs; ERASURE_INVALID_SCALAR names the first bad one. */
export function readScalarsRaw(bytes: Uint8Array, what: string): FrVector {
  const n = bytes.length / SCALAR_SIZE;
  const v = new Float64Array(n * L);
  for (let i = 0; i < n; i++)
    if (!readRawAt(v, i * L, bytes, i * SCALAR_SIZE))
      throw new ErasureError({ code: 'ERASURE_INVALID_SCALAR', what, index: i });
  return v;
}

/** The native FFT of validated-by-blst bytes, with blst's scalar error translated. */
function nativeFftBytes(
  nat: Native,
  bytes: Uint8Array,
  n: number,
  inverse: boolean,
  what: string,
): Uint8Array {
  const r = nativeRoots(n);
  try {
    return nat.frFft(bytes, false, inverse ? r.inverse : r.forward);
  } catch (e) {
    if (e instanceof nat.NativeError && e.type.code === 'NATIVE_INVALID_SCALAR')
      throw new ErasureError({ code: 'ERASURE_INVALID_SCALAR', what, index: e.type.index });
    throw e;
  }
}

/**
 * The n parity values of n source values (archiving §2 `extend`): n·32 bytes of canonical
 * big-endian scalars in, n·32 bytes out, n a power of two up to 2^15. Parity value k is the value
 * at ω_2n^(2k+1) of the polynomial taking source value k at ω_2n^(2k).
 * @example
 * const parity = extend(recordChunks); // 32 768 scalars → 32 768 parity scalars (farming §4.3)
 */
export function extend(source: Uint8Array, opts?: ErasureOptions): Uint8Array {
  abytes(source, 'source');
  const n = apow2(acount(source, SCALAR_SIZE, 'source'), 'source count', MAX_SOURCE_VALUES);
  const nat = engine(opts);
  if (nat !== null && n >= NATIVE_MIN_SIZE) {
    // blst reads (and checks) the bytes itself; only the twist runs here, on raw limbs.
    const v = new Float64Array(n * L);
    rawFromBytes(nativeFftBytes(nat, source, n, true, 'source'), v, 0);
    mulPointwise(v, 0, twist(n), 0, n);
    return nativeFftBytes(nat, rawToBytes(v, 0, n), n, false, 'source');
  }
  const v = readScalarsRaw(source, 'source');
  extendInPlace(v, 0, n, null);
  return rawToBytes(v, 0, n);
}

/**
 * {@link extend} over an Fr vector of @autonomys/kzg (n elements, Montgomery form), without byte
 * conversions: for callers that keep scalars as vectors between steps. Returns a fresh vector.
 * @example const parity = extendFr(frVectorFromBytes(source, 'source'));
 */
export function extendFr(source: FrVector, opts?: ErasureOptions): FrVector {
  const n = frCount(source, 'source', MAX_SOURCE_VALUES);
  const v = source.slice();
  extendInPlace(v, 0, n, engine(opts));
  return v;
}

/** Asserts a Float64Array of whole elements whose count is a power of two; returns the count. */
export function frCount(v: unknown, what: string, max: number): number {
  if (!(v instanceof Float64Array))
    throw new ErasureError({
      code: 'ERASURE_INVALID_ARGUMENT',
      what,
      reason: 'expected a Float64Array (an Fr vector)',
    });
  if (v.length % L !== 0)
    throw new ErasureError({
      code: 'ERASURE_INVALID_LENGTH',
      what,
      expected: `a multiple of ${L}`,
      actual: v.length,
    });
  return apow2(v.length / L, `${what} count`, max);
}

/**
 * Column-wise extension over equal-length records (archiving §3.5 step 2): for every scalar offset
 * j, the values at j of the n source records are extended, and parity value k goes to offset j of
 * parity record k. With the 128 source records of a segment this returns its 128 parity records
 * (pieces 2k+1). Records are n·32-byte multiples of canonical scalars; n a power of two up to 2^15.
 * @example
 * const parityRecords = extendColumns(sourceRecords); // 128 × 1 MiB → 128 × 1 MiB
 */
export function extendColumns(records: readonly Uint8Array[], opts?: ErasureOptions): Uint8Array[] {
  aarray(records, 'records');
  const n = apow2(records.length, 'records count', MAX_SOURCE_VALUES);
  records.forEach((r, k) => {
    abytes(r, `records[${k}]`);
  });
  const size = records[0]!.length;
  records.forEach((r, k) => {
    if (r.length !== size)
      throw new ErasureError({
        code: 'ERASURE_INVALID_LENGTH',
        what: `records[${k}]`,
        expected: size,
        actual: r.length,
      });
  });
  const columns = acount(records[0]!, SCALAR_SIZE, 'records[0]');
  const nat = engine(opts);
  if (nat !== null && n >= 2 && typeof nat.frExtendColumns === 'function') {
    // One native call for every column (blst; no per-column byte conversions in JavaScript).
    const all = new Uint8Array(n * size);
    records.forEach((r, k) => {
      all.set(r, k * size);
    });
    let out: Uint8Array;
    try {
      out = nat.frExtendColumns(all, n, getRootOfUnity(2 * n));
    } catch (e) {
      if (e instanceof nat.NativeError && e.type.code === 'NATIVE_INVALID_SCALAR')
        throw new ErasureError({
          code: 'ERASURE_INVALID_SCALAR',
          what: `records[${Math.floor(e.type.index / columns)}]`,
          index: e.type.index % columns,
        });
      throw e;
    }
    return records.map((_, k) => out.slice(k * size, (k + 1) * size));
  }
  const parity = records.map(() => new Uint8Array(size));
  const v = new Float64Array(n * L);
  for (let j = 0, o = 0; j < columns; j++, o += SCALAR_SIZE) {
    for (let k = 0; k < n; k++) {
      if (!readRawAt(v, k * L, records[k]!, o))
        throw new ErasureError({ code: 'ERASURE_INVALID_SCALAR', what: `records[${k}]`, index: j });
    }
    extendInPlace(v, 0, n, nat);
    for (let k = 0; k < n; k++) writeRawAt(parity[k]!, o, v, k * L);
  }
  return parity;
}
