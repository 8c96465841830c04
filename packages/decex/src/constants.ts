/**
 * Named constants of decoupled execution (decex.md). Mainnet values are the defaults; functions
 * that depend on a runtime parameter (challenge period, withdrawal period, epoch length) take it
 * as an option so tests can use the dev chain's small values on the same code paths.
 */

/** 1 AI3 in Shannon (18 decimals). */
export const AI3 = 10n ** 18n;

/** `SLOT_PROBABILITY` of the consensus chain: (1, 6). decex §2. */
export const SLOT_PROBABILITY: readonly [bigint, bigint] = [1n, 6n];
/** `MAX_BLOCK_LENGTH` of the consensus chain (5 MiB). */
export const MAX_BLOCK_LENGTH = 5 * 1024 * 1024;
/** `NORMAL_DISPATCH_RATIO` in percent. */
export const NORMAL_DISPATCH_RATIO_PERCENT = 75;
/** `MaxDomainBlockSize` = 75% of 5 MiB = 3_932_160 bytes. decex §2. */
export const MAX_DOMAIN_BLOCK_SIZE = (MAX_BLOCK_LENGTH * NORMAL_DISPATCH_RATIO_PERCENT) / 100;
/**
 * `MaxDomainBlockWeight`: the normal-class share (75%) of the consensus block weight (ref_time 2 s,
 * proof_size u64::MAX). Not given by decex.md: derived from the runtime's block weights, so every
 * function that uses it takes the limit as a parameter too.
 */
export const MAX_DOMAIN_BLOCK_WEIGHT = {
  refTime: (2n * 10n ** 12n * 75n) / 100n,
  proofSize: ((2n ** 64n - 1n) * 75n) / 100n,
} as const;

/** `MaxDomainNameLength`. */
export const MAX_DOMAIN_NAME_LENGTH = 32;
/** `DomainInstantiationDeposit`: 100 AI3. */
export const DOMAIN_INSTANTIATION_DEPOSIT = 100n * AI3;
/** `MaxInitialDomainAccounts`. */
export const MAX_INITIAL_DOMAIN_ACCOUNTS = 10;
/** `MinInitialDomainAccountBalance`: 1 AI3. */
export const MIN_INITIAL_DOMAIN_ACCOUNT_BALANCE = AI3;

/** `MinOperatorStake`: 100 AI3. decex §3. */
export const MIN_OPERATOR_STAKE = 100n * AI3;
/** `MinNominatorStake`: 1 AI3. */
export const MIN_NOMINATOR_STAKE = AI3;
/** `StakeEpochDuration` in domain blocks. */
export const STAKE_EPOCH_DURATION = 100;
/** `StakeWithdrawalLockingPeriod` default (domain blocks). */
export const STAKE_WITHDRAWAL_LOCKING_PERIOD = 14_400;
/** `BlockTreePruningDepth` default: the challenge period in domain blocks. */
export const BLOCK_TREE_PRUNING_DEPTH = 14_400;
/** Dev chain parameters: confirmation depth, pruning depth and withdrawal period are all 5. */
export const DEV_CHAIN_PARAMS = { confirmationDepthK: 5, pruningDepth: 5, withdrawalPeriod: 5 } as const;
/** `ConfirmationDepthK` of consensus archiving. */
export const CONFIRMATION_DEPTH_K = 100;
/** `MaxPendingStakingOperation` per domain per epoch. */
export const MAX_PENDING_STAKING_OPERATION = 512;
/** `WithdrawalLimit` per nominator. */
export const WITHDRAWAL_LIMIT = 32;
/** `OperatorActivationDelayInEpochs`. */
export const OPERATOR_ACTIVATION_DELAY_IN_EPOCHS = 5;
/** `BundleLongevity` in consensus blocks. */
export const BUNDLE_LONGEVITY = 5;
/** `BlockSlotCount`. */
export const BLOCK_SLOT_COUNT = 6;
/** `MaximumReceiptDrift`. */
export const MAXIMUM_RECEIPT_DRIFT = 128;
/** `InitialDomainTxRange`: the tx range is `U256::MAX / 3`. */
export const INITIAL_DOMAIN_TX_RANGE = 3n;
/** `STORAGE_FEE_RESERVE`: 20% of every deposit goes to the operator's storage fund (Perquintill parts). */
export const STORAGE_FEE_RESERVE_PARTS = 200_000_000_000_000_000n;
/** `MAX_NOMINATORS_TO_SLASH` per block. */
export const MAX_NOMINATORS_TO_SLASH = 10;
/** `DOMAIN_STORAGE_FEE_MULTIPLIER`. */
export const DOMAIN_STORAGE_FEE_MULTIPLIER = 3n;

/** Perquintill's denominator: 10^18 parts. */
export const PERQUINTILL = 10n ** 18n;

export const U32_MAX = 0xffff_ffff;
export const U64_MAX = (1n << 64n) - 1n;
export const U128_MAX = (1n << 128n) - 1n;
export const U256_MAX = (1n << 256n) - 1n;

/** Hash sizes: H256 and the 16-byte PoT output. */
export const HASH_SIZE = 32;
export const POT_OUTPUT_SIZE = 16;
export const OPERATOR_PUBLIC_KEY_SIZE = 32;
export const SIGNATURE_SIZE = 64;
export const VRF_PRE_OUTPUT_SIZE = 32;
export const VRF_PROOF_SIZE = 64;
export const ACCOUNT_ID_SIZE = 32;

/** `EMPTY_EXTRINSIC_ROOT`: the ordered trie root of zero items (= BlakeTwo256(0x00)). */
export const EMPTY_EXTRINSIC_ROOT_HEX = '03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314';

/** VRF transcript label and items of the bundle election. decex §4. */
export const BUNDLE_PRODUCER_ELECTION_LABEL = 'bundle_producer_election';
/** Subject of the extrinsic shuffling seed. decex §5. */
export const EXTRINSICS_SHUFFLING_SEED_SUBJECT = 'extrinsics-shuffling-seed';
/** sr25519 signing context of operator signatures (Substrate app-crypto). */
export const OPERATOR_SIGNING_CONTEXT = 'substrate';

/** `MmrRootHashCount`: roots kept in `SubspaceMmr::MmrRootHashes`. decex §7a.1. */
export const MMR_ROOT_HASH_COUNT = 1024;
/** SCALE size of `MmrLeaf::V0`. */
export const MMR_LEAF_SIZE = 101;

/** XDM. decex §8. */
export const CHANNEL_RESERVE_FEE = 100n * AI3;
export const CHANNEL_INIT_RESERVE_PORTION_PERCENT = 20n;
export const MAX_OUTGOING_MESSAGES = 10_000;
export const XDM_FEE_MULTIPLIER = 5n;
export const TRANSPORTER_ENDPOINT_ID = 1n;

/** Offline operator detection. decex §3. */
export const LN_1_OVER_TAU_0_5_PERCENT = 5_298_317_366_548_036_608n;
export const LN_1_OVER_TAU_1_PERCENT = 4_605_170_185_988_091_904n;
export const E_BASE = 3;
export const OFFLINE_SHORTFALL_FRACTION: readonly [bigint, bigint] = [1n, 3n];

/**
 * XDM fees (decex §8; values of the consensus runtime at the spec's commit, not in the digest):
 * `TransactionWeightFee` (Shannon per unit of ref_time), the `ParityDbWeight` read/write costs,
 * and the transporter's benchmarked `message()` / `message_response()` weights (ref_time, base +
 * 2 reads + 1 write, resp. base + 3 reads + 2 writes). The fee multiplier is a `FixedU128`.
 */
export const TRANSACTION_WEIGHT_FEE = 100_000n;
export const PARITY_DB_READ_WEIGHT = 8_000_000n;
export const PARITY_DB_WRITE_WEIGHT = 50_000_000n;
export const TRANSPORTER_MESSAGE_WEIGHT = 10_260_000n + 2n * PARITY_DB_READ_WEIGHT + PARITY_DB_WRITE_WEIGHT;
export const TRANSPORTER_MESSAGE_RESPONSE_WEIGHT =
  15_909_000n + 3n * PARITY_DB_READ_WEIGHT + 2n * PARITY_DB_WRITE_WEIGHT;
/** `FixedU128::one()` (inner value); also the `Perbill` denominator below. */
export const FIXED_U128_ONE = 10n ** 18n;
export const PERBILL = 1_000_000_000n;
/** `ChannelInitReservePortion` as `Perbill` parts. */
export const CHANNEL_INIT_RESERVE_PORTION_PERBILL = CHANNEL_INIT_RESERVE_PORTION_PERCENT * 10_000_000n;
