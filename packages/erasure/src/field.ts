/**
 * The field plumbing under the codes: Fr vectors of @autonomys/kzg (11 limbs of 24 bits per element
 * in a Float64Array, Montgomery form, R = 2^264), radix-2 FFTs over sub-ranges of them, and the
 * byte codecs.
 *
 * Raw limbs. Every transform here is linear in the values, so the Montgomery conversions at the
 * boundary can be skipped: reading the integer v as limbs gives the element v·R^-1, the transform
 * maps it to out·R^-1, and writing those limbs gives the integer out. `readRawAt`/`writeRawAt` save
 * one multiplication per value each way (for 128 → 256 columns that is a quarter of the work).
 * The same trick hands vectors to blst: the limbs of x (in Montgomery form) are the integer x·R mod r,
 * a canonical scalar, so the native FFT maps them to FFT(x)·R, which read back is FFT(x) again.
 */
import {
  FR_LIMBS,
  FR_ONE,
  FR_ZERO,
  type FrVector,
  frAddSubAt,
  frButterflyAt,
  frFromBigint,
  frMulAt,
  frReadRawAt,
  frSubAt,
  frToBigint,
  frWriteRawAt,
  getDomain,
  invBigint,
  isCanonicalAt,
} from '@autonomys/kzg';
import { SCALAR_SIZE } from './constants.js';

const L = FR_LIMBS;

/**
 * Reads the 32-byte big-endian integer at bytes[bo] into out[oo] as limbs, without converting to
 * Montgomery form. Returns false, writing nothing, when it is not canonical (>= r).
 */
export function readRawAt(out: FrVector, oo: number, bytes: Uint8Array, bo: number): boolean {
  if (bytes[bo]! >= 0x73 && !isCanonicalAt(bytes, bo)) return false; // r = 0x73ed…: one compare mostly
  frReadRawAt(out, oo, bytes, bo);
  return true;
}

/** Writes the limbs at v[vo] as a 32-byte big-endian integer at bytes[bo] (no conversion). */
export const writeRawAt = frWriteRawAt;

/** n elements from double offset `base` as n·32 bytes, raw limbs (see the module comment). */
export function rawToBytes(
  v: FrVector,
  base: number,
  n: number,
  out = new Uint8Array(n * SCALAR_SIZE),
): Uint8Array {
  for (let i = 0; i < n; i++) writeRawAt(out, i * SCALAR_SIZE, v, base + i * L);
  return out;
}

/** n·32 trusted (canonical) bytes into v from double offset `base`, raw limbs. */
export function rawFromBytes(bytes: Uint8Array, v: FrVector, base: number): void {
  const n = bytes.length / SCALAR_SIZE;
  for (let i = 0; i < n; i++) readRawAt(v, base + i * L, bytes, i * SCALAR_SIZE);
}

/** Per-size tables: ω_n^j and ω_n^-j for j < n/2 (Montgomery form). */
interface Twiddles {
  readonly forward: FrVector;
  readonly inverse: FrVector;
}
const twiddleCache = new Map<number, Twiddles>();

export function twiddles(n: number): Twiddles {
  let t = twiddleCache.get(n);
  if (t === undefined) {
    const forward = getDomain(n).twiddles;
    const half = n >> 1;
    const inverse = new Float64Array(Math.max(1, half) * L);
    inverse.set(FR_ONE, 0);
    // ω^-j = ω^(n-j) = -ω^(n/2-j), since ω^(n/2) = -1.
    for (let j = 1; j < half; j++) frSubAt(inverse, j * L, FR_ZERO, 0, forward, (half - j) * L);
    t = { forward, inverse };
    twiddleCache.set(n, t);
  }
  return t;
}

/** Swaps elements at double offsets i and j. */
function swap(v: FrVector, i: number, j: number): void {
  for (let k = 0; k < L; k++) {
    const t = v[i + k]!;
    v[i + k] = v[j + k]!;
    v[j + k] = t;
  }
}

/**
 * The unscaled DFT of the n elements at element offset `base`, in place, natural order in and out:
 * out_k = Σ_j v_j·ω^(±jk). The inverse is NOT divided by n: callers fold n^-1 into a table they
 * multiply by anyway. Bit reversal, then decimation in time; the first butterfly of every block has
 * twiddle 1 and skips its multiplication.
 */
export function fftTs(v: FrVector, base: number, n: number, inverse: boolean): void {
  const tw = inverse ? twiddles(n).inverse : twiddles(n).forward;
  const b = base * L;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) swap(v, b + i * L, b + j * L);
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = (n / len) * L;
    const hl = half * L;
    for (let i = 0; i < n; i += len) {
      const p0 = b + i * L;
      frAddSubAt(v, p0, p0 + hl);
      for (let j = 1, wo = step, p = p0 + L; j < half; j++, wo += step, p += L)
        frButterflyAt(v, p, p + hl, tw, wo);
    }
  }
}

/** v[base + i] *= t[i] for i < n (element offsets). */
export function mulPointwise(v: FrVector, base: number, t: FrVector, tBase: number, n: number): void {
  for (let i = 0, p = base * L, q = tBase * L; i < n; i++, p += L, q += L) frMulAt(v, p, v, p, t, q);
}

/** Element i of a vector as a fresh one-element vector. */
export function element(v: FrVector, i: number): FrVector {
  return v.slice(i * L, i * L + L);
}

const constants = new Map<number, FrVector>();
/** The small integer k as an element (cached). */
export function frSmall(k: number): FrVector {
  let c = constants.get(k);
  if (c === undefined) {
    c = frFromBigint(BigInt(k));
    constants.set(k, c);
  }
  return c;
}

/**
 * Replaces the `count` elements at element offsets idx[0..count) of v by their inverses (Montgomery's
 * trick: one field inversion, on BigInt, for the whole batch). Every element must be non-zero.
 */
export function batchInvert(v: FrVector, idx: Int32Array | number[], count: number): void {
  if (count === 0) return;
  const prefix = new Float64Array(count * L);
  prefix.set(v.subarray(idx[0]! * L, idx[0]! * L + L), 0);
  for (let i = 1; i < count; i++) frMulAt(prefix, i * L, prefix, (i - 1) * L, v, idx[i]! * L);
  const inv = frFromBigint(invBigint(frToBigint(prefix, count - 1)));
  const t = new Float64Array(L);
  for (let i = count - 1; i > 0; i--) {
    const o = idx[i]! * L;
    frMulAt(t, 0, inv, 0, prefix, (i - 1) * L); // 1/x_i
    frMulAt(inv, 0, inv, 0, v, o); // 1/(x_0…x_{i-1})
    v.set(t, o);
  }
  v.set(inv, idx[0]! * L);
}

/** ω_n^i as an element (i in [0, n)), from the cached twiddles. */
export function domainElementAt(out: FrVector, oo: number, n: number, i: number): void {
  const half = n >> 1;
  const tw = twiddles(n).forward;
  if (n === 1) out.set(FR_ONE, oo);
  else if (i < half) out.set(tw.subarray(i * L, i * L + L), oo);
  else frSubAt(out, oo, FR_ZERO, 0, tw, (i - half) * L); // ω^(n/2) = -1
}
