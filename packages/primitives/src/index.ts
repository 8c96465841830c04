/**
 * @autonomys/primitives: the lowest layer of the Autonomys packages. Named constants of the
 * network, byte helpers, BLAKE3, BLS12-381 scalar encoding, SCALE codecs of the core types, slot
 * challenge derivations, sector id derivations and the typed error base.
 */

export { abytes, isBytes } from './assert.js';
export * from './blake3.js';
export * from './bytes.js';
export * from './constants.js';
export {
  AutonomysError,
  PrimitivesError,
  type PrimitivesErrorCode,
  type PrimitivesErrorType,
} from './errors.js';
export * from './objects.js';
export * from './pot.js';
export * from './scalar.js';
export { compactLength, encodeCompact, ScaleReader, ScaleWriter } from './scale.js';
export * from './sectors.js';
export * from './segments.js';
export * from './solution.js';
export * from './sr25519.js';
