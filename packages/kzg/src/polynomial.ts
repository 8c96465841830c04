/**
 * Polynomials over Fr in coefficient form, and `poly(values)`: the polynomial taking `values` on
 * the natural-order domain of their count (archiving §1.4, an inverse FFT).
 */
import { SCALAR_SIZE } from './constants.js';
import { assertDomainSize, domainPoint, getDomain } from './domain.js';
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
} from './fr.js';
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

/** A polynomial Σ c_k·X^k held as its coefficients (Fr, Montgomery form). Immutable. */
export class Polynomial {
  /** @internal the coefficients; use {@link Polynomial.coefficients} for bytes. */
  readonly vector: FrVector;

  private constructor(vector: FrVector) {
    this.vector = vector;
  }

  /** @internal wraps a vector without copying. */
  static fromVector(vector: FrVector): Polynomial {
    return new Polynomial(vector);
  }

  /**
   * The polynomial with these coefficients (lowest degree first; canonical 32-byte BE scalars).
   * @example Polynomial.fromCoefficients([scalarFromBigint(5n)]) // the constant 5
   */
  static fromCoefficients(coefficients: Scalars): Polynomial {
    return new Polynomial(readScalars(coefficients, 'coefficients'));
  }

  /** The number of coefficients (trailing zeros included: nothing is normalized away). */
  get length(): number {
    return this.vector.length / FR_LIMBS;
  }

  /** The coefficients as length·32 bytes, big-endian, lowest degree first. */
  coefficients(): Uint8Array {
    return frVectorToBytes(this.vector);
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
  const v = readScalars(values, 'values');
  assertDomainSize(v.length / FR_LIMBS, 'values count');
  return Polynomial.fromVector(fftInPlace(v, true));
}
