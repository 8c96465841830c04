/**
 * @autonomys/kzg: KZG polynomial commitments over BLS12-381 with the Autonomys Network's public
 * parameters, byte-compatible with the reference (subspace-kzg on rust-kzg/blst): scalars are
 * 32-byte big-endian, domains use ω_n = 7^((r-1)/n) in natural order, commitments and witnesses
 * are 48-byte compressed G1 points. Runs on blst through `@autonomys/native` when its addon is
 * loaded, else in TypeScript.
 * @module
 */
export {
  type FixedBaseMsm,
  type KzgAsyncOptions,
  type KzgBackend,
  type PairingPair,
  typescriptBackend,
} from './backend.js';

import { registerNodeDefaultBackend } from './backend-native.js';

// The Node entry: blst (when loaded) or TypeScript with worker threads is the default backend.
registerNodeDefaultBackend();

export { defaultBackend, nativeKzgBackend } from './backend-native.js';
export { type CacheOptions, cacheDirs } from './cache.js';
export * from './constants.js';
export { type Domain, getDomain, rootOfUnity } from './domain.js';
export { KzgError, type KzgErrorCode, type KzgErrorType } from './errors.js';
export { fft, fftG1, fftInPlace, ifft } from './fft.js';
/**
 * The low-level field API, for packages that keep scalars as Fr vectors between calls (erasure
 * coding, archiving): 11 limbs of 24 bits per element in a Float64Array, Montgomery form
 * (R = 2^264). Kernels take offsets in doubles (element i of a vector is at i·FR_LIMBS) and
 * require reduced inputs (< r); they do not validate.
 */
export {
  FR_LIMBS,
  FR_ONE,
  FR_ZERO,
  type FrVector,
  frAddAt,
  frAddSubAt,
  frButterflyAt,
  frFromBigint,
  frMulAt,
  frReadAt,
  frSubAt,
  frToBigint,
  frVectorFromBytes,
  frVectorToBytes,
  frWriteAt,
  invBigint,
  isCanonicalAt,
  powBigint,
  readLimbs as frReadRawAt,
  writeLimbs as frWriteRawAt,
} from './fr.js';
export {
  FIXED_BASE_AUTO_MIN_TERMS,
  FIXED_BASE_MAX_POINTS,
  Kzg,
  type KzgOpening,
  type KzgOptions,
} from './kzg.js';
export {
  decodePublicParameters,
  decodePublicParametersAsync,
  defaultParametersPaths,
  loadPublicParameters,
  loadPublicParametersSync,
  type PublicParameters,
  type PublicParametersOptions,
} from './parameters.js';
export { Polynomial, poly, type Scalars } from './polynomial.js';
