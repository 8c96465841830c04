/**
 * The API shared by the Node entry (./index.ts) and the browser entry (./browser.ts): everything but
 * the worker pool and the Node engines.
 */

// The slot's randomness and challenge (pot A.8) and the seed/key rules live in @autonomys/primitives.
export {
  globalChallenge,
  globalRandomness,
  type PotCheckpoints,
  type PotKey,
  type PotOutput,
  type PotSeed,
  potCheckpoint,
  potCheckpointsOutput,
  potKeyFromSeed,
  potOutputToSeed,
  potOutputToSeedWithEntropy,
  potSeedFromGenesis,
  slotGlobalChallenge,
} from '@autonomys/primitives';
export { aesChainTs } from './aes.js';
export { type CalibrateOptions, type Calibration, calibrateSlotIterations } from './calibrate.js';
export {
  assertPotNextSlotInput,
  decodePotNextSlotInput,
  decodePotParametersChange,
  encodePotNextSlotInput,
  encodePotParametersChange,
  genesisSlotInput,
  nextSlotInput,
  POT_NEXT_SLOT_INPUT_SIZE,
  POT_PARAMETERS_CHANGE_SIZE,
  type PotNextSlotInput,
  type PotParametersChange,
  type PotSlotProof,
  proveSlots,
} from './chain.js';
export * from './constants.js';
export {
  type AesChainState,
  availableEngines,
  defaultEngineName,
  type EngineOptions,
  getEngine,
  type PotEngine,
  type PotEngineName,
  registerEngine,
} from './engine.js';
export { PotError, type PotErrorCode, type PotErrorType } from './errors.js';
export {
  decodeGossipProof,
  encodeGossipProof,
  type GossipProof,
  type PotGossipOutcome,
  type PotGossipValidation,
  PotGossipValidator,
  type PotGossipValidatorInit,
  type PotPeerReport,
} from './gossip.js';
export {
  type AbortOptions,
  findCheckpointMismatch,
  findCheckpointMismatchAsync,
  findCheckpointMismatchWithKey,
  type PotChainRunner,
  type PotProgressEvent,
  type ProveAsyncOptions,
  prove,
  proveAsync,
  proveWithKey,
  type VerifyAsyncOptions,
  verify,
  verifyAsync,
  verifyOrThrow,
  verifyWithKey,
} from './prove.js';
export { Timekeeper, type TimekeeperInit, type TimekeeperSlotEvent } from './timekeeper.js';
export { type IsOutputValidOptions, PotVerifier, type PotVerifierInit } from './verifier.js';
