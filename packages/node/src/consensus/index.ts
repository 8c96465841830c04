/** The chain core: `Chain`, chain specs and the published API types. */
export type * from './api.js';
export {
  archivedGenesisBytes,
  Chain,
  genesisHeader,
  type ImportTimings,
  kzgPowersFor,
  MAX_POOL_SIZE,
  MAX_SIGNED_BLOCK_SIZE,
  sealBlock,
} from './chain.js';
export { AI3, devChainSpec, networkSizeChainSpec, SMALL_ARCHIVING_PARAMS, testChainSpec } from './spec.js';
export { potVerificationSampleSize, shouldVerifyPotFully } from './sync.js';
export {
  applyVote,
  checkVote,
  decodeSignedVote,
  encodeSignedVote,
  encodeVote,
  SIGNED_VOTE_SIZE_BYTES,
  type SignedVote,
  signVote,
  VOTE_REJECTION_VALIDITY,
  VOTE_SIZE,
  type Vote,
  type VoteCheckEnv,
  type VoteCheckResult,
  type VoteRejectionCode,
  verifyVoteSignature,
  voteHash,
} from './vote.js';
