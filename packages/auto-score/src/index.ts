/**
 * @autonomys/auto-score: Auto Score, a composable, probabilistic proof of personhood bound to
 * Auto IDs. Claims are verified by plug-ins (Reclaim zkTLS proofs, e-passport passive
 * authentication, ZK passport backends, Auto IDs, network participation), deduplicated through a
 * nullifier registry and combined by a versioned policy; the result is issued as a W3C VC.
 */
export * from './auto-id-factor.js';
export * from './claims.js';
export {
  DEFAULT_POLICY_VERSION,
  DEFAULT_SERVICE_IDS,
  FACTORS,
  HASH_SIZE,
  MAX_CLAIMS,
  MAX_DATA_GROUP,
  MAX_PROOF_BYTES,
  MAX_SOD_CERTIFICATES,
  MAX_STRING_LENGTH,
  MAX_WITNESS_SIGNATURES,
  OWN_CLAIM_TYPES,
  SDK_CLAIM_TYPES,
} from './constants.js';
export * from './credential.js';
export { AutoScoreError, type AutoScoreErrorCode, type AutoScoreErrorType } from './errors.js';
export * from './evaluate.js';
export { ageAt, decodeDg1, decodeMrz, type Mrz, mrzCheckDigit, mrzDate } from './mrz.js';
export * from './passport.js';
export * from './reclaim.js';
export * from './registry.js';
export * from './score.js';
export * from './verifier.js';
export * from './zk-passport.js';
