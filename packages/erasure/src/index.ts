/**
 * @autonomys/erasure: the rate-1/2 Reed-Solomon code of the Autonomys Network (archiving §2) over
 * the BLS12-381 scalar field, for scalars and for KZG commitments. Source values sit at the even
 * points of the 2n-domain ω_2n^i (natural order), parity at the odd ones. Byte-compatible with the
 * reference `subspace-erasure-coding`; blst's FFT through `@autonomys/native` when loaded.
 * @module
 */
export {
  defaultErasureBackend,
  type ErasureBackend,
  type ErasureOptions,
  hasNativeFft,
} from './backend.js';
export {
  planRecoverPoly,
  planRecoverPolyAsync,
  type RecoverPolyOptions,
  RecoverPolyPlan,
  recover,
  recoverColumns,
  recoverFr,
  recoverPoly,
  recoverPolyBytes,
  recoverPolyFr,
  recoverSource,
  type Shards,
} from './codec.js';
export {
  type ExtendCommitmentsAsyncOptions,
  extendCommitments,
  extendCommitmentsAsync,
} from './commitments.js';
export * from './constants.js';
export { ErasureError, type ErasureErrorCode, type ErasureErrorType } from './errors.js';
export { extend, extendColumns, extendFr } from './extend.js';
