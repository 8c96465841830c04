/**
 * The consensus chain's constants (pot-consensus-dsn B.1, `vectors/consensus.json`). Those the
 * farmer and the timekeeper share (slot duration, authoring delay, sector parameters, checkpoints)
 * live in `@autonomys/primitives`.
 */

/** The Subspace consensus engine id `SUB_` (`53 55 42 5f`) of digest items and justifications. */
export const SUBSPACE_ENGINE_ID: Uint8Array = Uint8Array.of(0x53, 0x55, 0x42, 0x5f);

/** Block hashes, state and extrinsics roots: BLAKE2-256. */
export const HASH_SIZE = 32;
/** An sr25519 signature (the seal). */
export const SEAL_SIGNATURE_SIZE = 64;
/** `PreDigest::V0`: variant, slot u64, the 412-byte solution, `PreDigestPotInfo::V0` (1 + 16 + 16). */
export const PRE_DIGEST_SIZE = 1 + 8 + 412 + 33; // 454
/** One slot's `PotCheckpoints`: 8 outputs of 16 bytes. */
export const POT_CHECKPOINTS_SIZE = 128;

/** Blocks per era (solution range adjustment, B.6). */
export const ERA_DURATION_BLOCKS = 2016;
export const EXPECTED_VOTES_PER_BLOCK = 9;
/** The archiving depth K in production (B.10). */
export const CONFIRMATION_DEPTH_K = 100;
/** The archiving depth K of development chains. */
export const CONFIRMATION_DEPTH_K_DEV = 5;
/** How many recent block -> slot pairs the runtime keeps. */
export const BLOCK_SLOT_COUNT = 6;
export const POT_ENTROPY_INJECTION_INTERVAL_BLOCKS = 50;
export const POT_ENTROPY_INJECTION_LOOKBACK_DEPTH = 2;
export const POT_ENTROPY_INJECTION_DELAY_SLOTS = 15;
/** Solution range adjustment is off at genesis; root turns it on. */
export const SHOULD_ADJUST_SOLUTION_RANGE_DEFAULT = false;
/** 5 MiB. */
export const MAX_BLOCK_LENGTH_BYTES = 5 * 1024 * 1024;
/** Share of the block length and weight for normal extrinsics, in percent. */
export const NORMAL_DISPATCH_RATIO_PERCENT = 75;
/** Average blockspace usage window of the rewards pallet (B.8). */
export const AVG_BLOCKSPACE_USAGE_NUM_BLOCKS = 100;
/** Share of each vote reward paid to the block author (B.8). */
export const PROPOSER_TAX_ON_VOTES: readonly [number, number] = [1, 10];
export const SS58_PREFIX = 6094;
/** 1 AI3 = 10^18 Shannon. */
export const TOKEN_DECIMALS = 18;
export const TOKEN_SYMBOL = 'AI3';

/** `pieces_to_solution_range(MAX_PIECES_IN_SECTOR, SLOT_PROBABILITY)`: one sector wins 1 slot in 6. */
export const INITIAL_SOLUTION_RANGE = 6_148_914_691_236_495n;
/** The voting range at genesis when adjustment is enabled: the block range times (votes + 1). */
export const INITIAL_VOTING_SOLUTION_RANGE = INITIAL_SOLUTION_RANGE * BigInt(EXPECTED_VOTES_PER_BLOCK + 1);

/** Slot iterations of the development chain spec. */
export const DEV_POT_SLOT_ITERATIONS = 100_000_000;
/** Slot iterations of the devnet chain spec. */
export const DEVNET_POT_SLOT_ITERATIONS = 150_000_000;
/** The pallet's default when no chain spec sets them. */
export const PALLET_DEFAULT_POT_SLOT_ITERATIONS = 1;

/** When rewards start (pallet-subspace genesis config). */
export type EnableRewardsAt =
  | { readonly type: 'Height'; readonly height: number }
  | { readonly type: 'SolutionRange'; readonly solutionRange: bigint }
  | { readonly type: 'Manually' };

/** Who may author blocks (pallet-subspace genesis config). */
export type AllowAuthoringBy =
  | { readonly type: 'Anyone' }
  | { readonly type: 'FirstFarmer' }
  | { readonly type: 'RootFarmer'; readonly publicKey: string };

/** The consensus-relevant genesis configuration of a chain spec. */
export interface GenesisConfig {
  readonly potSlotIterations: number;
  readonly enableRewardsAt: EnableRewardsAt;
  readonly allowAuthoringBy: AllowAuthoringBy;
  readonly enableDomains: boolean;
  readonly enableBalanceTransfers: boolean;
  readonly enableDynamicCostOfStorage: boolean;
  readonly confirmationDepthK: number;
  readonly protocolId: string;
  /** In Shannon. */
  readonly remainingIssuance: bigint;
  /** `(block, subsidy in Shannon)`; proposer and voter points are the same list on mainnet. */
  readonly proposerSubsidyPoints: readonly (readonly [number, bigint])[];
  readonly voterSubsidyPoints: readonly (readonly [number, bigint])[];
}

const MAINNET_SUBSIDY_POINTS: readonly (readonly [number, bigint])[] = [
  [0, 454_545_454_545_455_000n],
  [10_512_000, 423_672_207_997_007_000n],
  [26_280_000, 333_635_878_252_228_000n],
  [42_048_000, 262_825_353_875_519_000n],
  [57_816_000, 207_116_053_874_914_000n],
  [73_584_000, 163_272_262_877_830_000n],
  [94_608_000, 118_963_574_070_561_000n],
  [120_888_000, 80_153_245_846_642_200n],
  [149_796_000, 51_971_522_998_131_200n],
  [183_960_000, 31_192_714_495_359_900n],
  [220_752_000, 18_033_114_698_427_300n],
];

/** Mainnet's genesis configuration (B.1). */
export const MAINNET_GENESIS: GenesisConfig = {
  potSlotIterations: 206_557_520,
  enableRewardsAt: { type: 'Manually' },
  allowAuthoringBy: {
    type: 'RootFarmer',
    publicKey: 'e6a489dab63b650cf475431fc46649f4256167443fea241fca0bb3f86b29837a',
  },
  enableDomains: false,
  enableBalanceTransfers: false,
  enableDynamicCostOfStorage: false,
  confirmationDepthK: CONFIRMATION_DEPTH_K,
  protocolId: 'autonomys-mainnet',
  remainingIssuance: 350_000_000n * 10n ** BigInt(TOKEN_DECIMALS),
  proposerSubsidyPoints: MAINNET_SUBSIDY_POINTS,
  voterSubsidyPoints: MAINNET_SUBSIDY_POINTS,
};
