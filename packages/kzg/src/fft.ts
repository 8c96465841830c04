/**
 * Radix-2 FFTs over the natural-order domains of domain.ts (archiving §1.4): forward
 * `out_k = Σ_j v_j·ω^(jk)`, inverse `out_k = n^-1·Σ_j v_j·ω^(-jk)`, natural order in and out.
 * Over scalars (Fr vectors, in place) and over G1 points (for the extension of commitments).
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { G1_SIZE, SCALAR_SIZE } from './constants.js';
import { assertDomainSize, domainPoint, getDomain } from './domain.js';
import { KzgError } from './errors.js';
import {
  FR_LIMBS,
  type FrVector,
  frButterflyAt,
  frMulAt,
  frVectorFromBytes,
  frVectorToBytes,
  invBigint,
} from './fr.js';
import { decodeG1At, encodeG1 } from './g1.js';
import { abytesKzg } from './utils.js';

/** Swaps elements i and j (FR_LIMBS doubles each). */
function swap(v: FrVector, i: number, j: number): void {
  for (let k = 0; k < FR_LIMBS; k++) {
    const t = v[i + k]!;
    v[i + k] = v[j + k]!;
    v[j + k] = t;
  }
}

/** The bit-reversal permutation of n = 2^log2 elements, in place. */
function bitReverse(v: FrVector, n: number): void {
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) swap(v, i * FR_LIMBS, j * FR_LIMBS);
  }
}

/**
 * The FFT (or inverse FFT) of a vector of n = 2^k elements (n ≤ 2^16), in place. The inverse uses
 * IDFT(v)_k = n^-1·DFT(v)_(n-k mod n), so one twiddle table serves both directions.
 */
export function fftInPlace(v: FrVector, inverse = false): FrVector {
  const n = v.length / FR_LIMBS;
  const domain = getDomain(n);
  bitReverse(v, n);
  const tw = domain.twiddles;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = (n / len) * FR_LIMBS;
    for (let i = 0; i < n; i += len) {
      for (let j = 0, wo = 0; j < half; j++, wo += step) {
        frButterflyAt(v, (i + j) * FR_LIMBS, (i + j + half) * FR_LIMBS, tw, wo);
      }
    }
  }
  if (inverse) {
    for (let i = 1, j = n - 1; i < j; i++, j--) swap(v, i * FR_LIMBS, j * FR_LIMBS);
    for (let i = 0; i < n; i++) frMulAt(v, i * FR_LIMBS, v, i * FR_LIMBS, domain.sizeInverse, 0);
  }
  return v;
}

function scalarsArg(values: Uint8Array, what: string): FrVector {
  abytesKzg(values, what);
  if (values.length % SCALAR_SIZE !== 0) {
    throw new KzgError({
      code: 'KZG_INVALID_LENGTH',
      what,
      expected: `a multiple of ${SCALAR_SIZE}`,
      actual: values.length,
    });
  }
  assertDomainSize(values.length / SCALAR_SIZE, `${what} count`);
  return frVectorFromBytes(values, what);
}

/**
 * The FFT of n scalars (n·32 bytes big-endian, n a power of two up to 2^16): the evaluations
 * at ω_n^0..ω_n^(n-1) of the polynomial with these coefficients.
 * @example const evaluations = fft(coefficients);
 */
export function fft(coefficients: Uint8Array): Uint8Array {
  return frVectorToBytes(fftInPlace(scalarsArg(coefficients, 'coefficients')));
}

/**
 * The inverse FFT of n scalars: the coefficients of the polynomial taking these values at
 * ω_n^0..ω_n^(n-1). `ifft(fft(c))` equals `c`.
 * @example const coefficients = ifft(evaluations);
 */
export function ifft(evaluations: Uint8Array): Uint8Array {
  return frVectorToBytes(fftInPlace(scalarsArg(evaluations, 'evaluations'), true));
}

type G1Point = InstanceType<typeof bls12_381.G1.Point>;

/**
 * The FFT (or inverse FFT) over G1 of n compressed points (n a power of two up to 2^16): the
 * group analogue of {@link fft}, used to extend commitments (erasure coding §2). Points are
 * decoded with on-curve and subgroup checks.
 * @example const coefficients = fftG1(commitments, { inverse: true });
 */
export function fftG1(points: readonly Uint8Array[], opts: { inverse?: boolean } = {}): Uint8Array[] {
  if (!Array.isArray(points))
    throw new KzgError({ code: 'KZG_INVALID_ARGUMENT', what: 'points', reason: 'expected an array' });
  const n = assertDomainSize(points.length, 'points count');
  const a: G1Point[] = points.map((p, i) => {
    abytesKzg(p, `points[${i}]`, G1_SIZE);
    return decodePoint(p, i);
  });
  const domain = getDomain(n);
  // Bit-reverse, then DIT butterflies with twiddles ω^(j·n/len) (as BigInt scalars: n is small here).
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) [a[i], a[j]] = [a[j]!, a[i]!];
  }
  const w = Array.from({ length: n }, (_, i) => domainPoint(domain, i));
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let i = 0; i < n; i += len) {
      for (let j = 0; j < half; j++) {
        const u = a[i + j]!;
        const x = a[i + j + half]!;
        const v = j === 0 || x.is0() ? x : x.multiplyUnsafe(w[j * step]!);
        a[i + j] = u.add(v);
        a[i + j + half] = u.subtract(v);
      }
    }
  }
  let out = a;
  if (opts.inverse === true) {
    const nInv = invBigint(BigInt(n));
    out = [a[0]!, ...a.slice(1).reverse()].map((p) => (p.is0() ? p : p.multiplyUnsafe(nInv)));
  }
  return out.map((p) => encodeG1(p.is0() ? null : p.toAffine()));
}

function decodePoint(bytes: Uint8Array, i: number): G1Point {
  const p = decodeG1At(bytes, 0, 'points', true, i);
  return p === null ? bls12_381.G1.Point.ZERO : bls12_381.G1.Point.fromAffine(p);
}
