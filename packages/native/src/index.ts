/**
 * @autonomys/native: optional native kernels (blst, AES-NI) for the Autonomys packages, built at
 * install time. `isNative` says whether the addon loaded; the AES chains fall back to node:crypto,
 * the curve functions throw NATIVE_UNAVAILABLE (their TypeScript path lives in @autonomys/kzg).
 * @module
 */
import { addon } from './addon.js';

/** True when the compiled addon is loaded (false: build failed, unsupported platform, or disabled). */
export const isNative: boolean = addon !== null;

export { aesChain, aesChainAsync, aesChainMulti, aesChainMultiAsync, hasAesNi } from './aes.js';
export * from './constants.js';
export {
  frExtendColumns,
  frFft,
  frQuotient,
  G1FixedBase,
  type G1FixedBaseOptions,
  type G1MsmKernel,
  g1Add,
  g1Compress,
  g1Decompress,
  g1FixedBasePrepare,
  g1IsInSubgroup,
  g1Msm,
  g1MsmAsync,
  g1MsmParallel,
  g1PrepareAffine,
  g1PrepareAffineAsync,
  hasFrQuotient,
  hasG1FixedBase,
  type PairingPair,
  type PointCheckOptions,
  pairingCheck,
  type ThreadOptions,
} from './curve.js';
export { NativeError, type NativeErrorCode, type NativeErrorType } from './errors.js';
export { type G1FftOptions, g1Fft, g1FftAsync, hasG1Fft } from './g1fft.js';
export {
  frRecoverApply,
  frRecoverPlan,
  frRecoverPlanAsync,
  frRecoverPoly,
  hasFrRecoverPlan,
  hasFrRecoverPoly,
  hasPosTables,
  type NativePosTables,
  type NativeProofMasks,
  type PosTablesNativeOptions,
  posTables,
} from './pos.js';
