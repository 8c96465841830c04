/**
 * Polynomials over Fr in coefficient form, and `poly(values)`: the polynomial taking `values` on
 * the natural-order domain of their count (archiving §1.4, an inverse FFT).
 */

import { defaultBackend } from './backend-default.js';
import { SCALAR_SIZE } from './constants.js';
import { assertDomainSize, domainPoint, getDomain, rootOfUnity } from './domain.js';
import { KzgError } from './errors.js';
import { fftInPlace } from './fft.js';
import {
  FR_LIMBS,
  type FrVector,
  frAddAt,
  frFromBigint,
  frMulAt,
  frReadAt,
  frVectorFromBytes,
  frVectorToBytes,
  frWriteAt,
  isCanonicalAt,
} from './fr.js';

/** From this size on, the native FFT beats the TypeScript one including its byte conversions. */
const NATIVE_FFT_MIN = 64;

import { abytesKzg, aindex } from './utils.js';

/** n scalars given as n·32 concatenated bytes or as an array of 32-byte scalars. */
export type Scalars = Uint8Array | readonly Uint8Array[];

/** Reads n scalars (each canonical) into a vector; KZG_INVALID_SCALAR names the first bad one. */
export function readScalars(values: Scalars, what: string): FrVector {
  if (Array.isArray(values)) {
    const out = new Float64Array(values.length * FR_LIMBS);
    values.forEach((v, i) => {
      abytesKzg(v, `${what}[${i}]`, SCALAR_SIZE);
      if (!frReadAt(out, i * FR_LIMBS, v, 0))
        throw new KzgError({ code: 'KZG_INVALID_SCALAR', what, index: i });
    });
    return out;
  }
  abytesKzg(values, what);
  return frVectorFromBytes(values as Uint8Array, what);
}

/**
 * A polynomial Σ c_k·X^k held as its coefficients: as an Fr vector (Montgomery form), as canonical
 * big-endian bytes, or both (each derived from the other on first use). Immutable.
 */
export class Polynomial {
  private vectorForm: FrVector | undefined;
  private bytesForm: Uint8Array | undefined;

  private constructor(vector: FrVector | undefined, bytes: Uint8Array | undefined) {
    this.vectorForm = vector;
    this.bytesForm = bytes;
  }

  /** @internal the coefficients as an Fr vector; use {@link Polynomial.coefficients} for bytes. */
  get vector(): FrVector {
    this.vectorForm ??= frVectorFromBytes(this.bytesForm!, 'coefficients');
    return this.vectorForm;
  }

  /** @internal the coefficients as canonical bytes, without a copy (do not modify). */
  coefficientBytes(): Uint8Array {
    this.bytesForm ??= frVectorToBytes(this.vectorForm!);
    return this.bytesForm;
  }

  /** @internal whether the coefficients are held as bytes already (no conversion needed). */
  hasBytes(): boolean {
    return this.bytesForm !== undefined;
  }

  /** @internal wraps a vector without copying. */
  static fromVector(vector: FrVector): Polynomial {
    return new Polynomial(vector, undefined);
  }

  /** @internal wraps canonical coefficient bytes (already checked) without copying. */
  static fromCanonicalBytes(bytes: Uint8Array): Polynomial {
    return new Polynomial(undefined, bytes);
  }

  /**
   * The polynomial with these coefficients (lowest degree first; canonical 32-byte BE scalars).
   * @example Polynomial.fromCoefficients([scalarFromBigint(5n)]) // the constant 5
   */
  static fromCoefficients(coefficients: Scalars): Polynomial {
    return new Polynomial(readScalars(coefficients, 'coefficients'), undefined);
  }

  /** The number of coefficients (trailing zeros included: nothing is normalized away). */
  get length(): number {
    return this.vectorForm ? this.vectorForm.length / FR_LIMBS : this.bytesForm!.length / SCALAR_SIZE;
  }

  /** The coefficients as length·32 bytes, big-endian, lowest degree first (a fresh copy). */
  coefficients(): Uint8Array {
    return this.coefficientBytes().slice();
  }

  /**
   * P(x) for a 32-byte scalar x (Horner).
   * @example p.evaluate(scalarFromBigint(0n)) // the constant coefficient
   */
  evaluate(x: Uint8Array): Uint8Array {
    abytesKzg(x, 'x', SCALAR_SIZE);
    const xv = new Float64Array(FR_LIMBS);
    if (!frReadAt(xv, 0, x, 0)) throw new KzgError({ code: 'KZG_INVALID_SCALAR', what: 'x' });
    const out = new Uint8Array(SCALAR_SIZE);
    frWriteAt(out, 0, this.evaluateVector(xv), 0);
    return out;
  }

  /**
   * P(ω_n^index): the value at point `index` of the domain of `domainSize` points.
   * @example poly(values).evaluateAt(values.length / 32, 3) // values[3]
   */
  evaluateAt(domainSize: number, index: number): Uint8Array {
    const domain = getDomain(assertDomainSize(domainSize, 'domainSize'));
    aindex(index, domain.size, 'index');
    const out = new Uint8Array(SCALAR_SIZE);
    frWriteAt(out, 0, this.evaluateVector(frFromBigint(domainPoint(domain, index))), 0);
    return out;
  }

  /** @internal P(x) for x in Montgomery form. */
  evaluateVector(x: FrVector): FrVector {
    const acc = new Float64Array(FR_LIMBS);
    const c = this.vector;
    for (let k = this.length - 1; k >= 0; k--) {
      frMulAt(acc, 0, acc, 0, x, 0);
      frAddAt(acc, 0, acc, 0, c, k * FR_LIMBS);
    }
    return acc;
  }
}

/**
 * The polynomial whose values on the domain of n = values.length points are `values`
 * (P(ω_n^j) = values[j]); n must be a power of two up to 2^16. archiving §1.4
 * @example const p = poly(recordChunks); // 32 768 scalars → 32 768 coefficients
 */
export function poly(values: Scalars): Polynomial {
  const backend = defaultBackend();
  // The backend's FFT (blst) when there is one: bytes in, bytes out, the vector form only if needed.
  if (backend.fftFr && values instanceof Uint8Array && values.length >= NATIVE_FFT_MIN * SCALAR_SIZE) {
    if (values.length % SCALAR_SIZE !== 0) readScalars(values, 'values'); // throws the usual error
    const n = assertDomainSize(values.length / SCALAR_SIZE, 'values count');
    for (let i = 0; i < n; i++) {
      if (!isCanonicalAt(values, i * SCALAR_SIZE))
        throw new KzgError({ code: 'KZG_INVALID_SCALAR', what: 'values', index: i });
    }
    return Polynomial.fromCanonicalBytes(backend.fftFr(values, true, rootOfUnity(n)));
  }
  const v = readScalars(values, 'values');
  assertDomainSize(v.length / FR_LIMBS, 'values count');
  return Polynomial.fromVector(fftInPlace(v, true));
}
