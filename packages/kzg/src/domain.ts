/**
 * Radix-2 evaluation domains (archiving §1.3): ω_n = 7^((r-1)/n) and the points ω_n^i for
 * i = 0..n-1 in natural order (no bit reversal). Domains nest: ω_2n^2 = ω_n.
 */
import { BLS12_381_R } from '@autonomys/primitives';
import { MAX_DOMAIN_SIZE, ROOTS_OF_UNITY_GENERATOR, SCALAR_SIZE } from './constants.js';
import { KzgError } from './errors.js';
import {
  FR_LIMBS,
  FR_ONE,
  type FrVector,
  frFromBigint,
  frMulAt,
  frToBigint,
  invBigint,
  powBigint,
} from './fr.js';

/** A radix-2 domain of `size` = 2^log2 points. */
export interface Domain {
  readonly size: number;
  readonly log2: number;
  /** ω_n (the generator of the domain) as a BigInt. */
  readonly omega: bigint;
  /** ω_n^j for j in [0, n/2) (Montgomery form): the FFT twiddles. */
  readonly twiddles: FrVector;
  /** n^-1 (Montgomery form), for the inverse FFT. */
  readonly sizeInverse: FrVector;
}

const domains = new Map<number, Domain>();

/** Throws KZG_INVALID_DOMAIN_SIZE unless `size` is a power of two in [1, max]. */
export function assertDomainSize(size: unknown, what: string, max: number = MAX_DOMAIN_SIZE): number {
  if (
    typeof size !== 'number' ||
    !Number.isSafeInteger(size) ||
    size < 1 ||
    size > max ||
    (size & (size - 1)) !== 0
  ) {
    throw new KzgError({ code: 'KZG_INVALID_DOMAIN_SIZE', what, size: Number(size), max });
  }
  return size;
}

/**
 * The domain of `size` points (a power of two up to 2^16), built once and cached.
 * @example getDomain(256).omega // ω_256
 */
export function getDomain(size: number): Domain {
  const cached = domains.get(size);
  if (cached !== undefined) return cached;
  assertDomainSize(size, 'domain size');
  const log2 = Math.log2(size);
  const omega = powBigint(ROOTS_OF_UNITY_GENERATOR, (BLS12_381_R - 1n) / BigInt(size));
  const half = Math.max(1, size >> 1);
  const twiddles = new Float64Array(half * FR_LIMBS);
  twiddles.set(FR_ONE, 0);
  const w = frFromBigint(omega);
  for (let j = 1; j < half; j++) frMulAt(twiddles, j * FR_LIMBS, twiddles, (j - 1) * FR_LIMBS, w, 0);
  const domain: Domain = {
    size,
    log2,
    omega,
    twiddles,
    sizeInverse: frFromBigint(invBigint(BigInt(size))),
  };
  domains.set(size, domain);
  return domain;
}

/** ω_n^index as a BigInt (index in [0, n)). */
export function domainPoint(domain: Domain, index: number): bigint {
  const half = domain.size >> 1;
  if (index < half) return frToBigint(domain.twiddles, index);
  // ω^(n/2) = -1
  const v = frToBigint(domain.twiddles, index - half);
  return v === 0n ? 0n : BLS12_381_R - v;
}

/**
 * ω_n = 7^((r-1)/n) as a 32-byte big-endian scalar, for n a power of two up to 2^16.
 * @example bytesToHex(rootOfUnity(256)) // '4f9b4098…694b'
 */
export function rootOfUnity(size: number): Uint8Array {
  const omega = getDomain(size).omega;
  const out = new Uint8Array(SCALAR_SIZE);
  let v = omega;
  for (let i = SCALAR_SIZE - 1; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}
