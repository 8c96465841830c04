/**
 * Chain specs: the development preset (`autonomys dev`) and a helper for tests. Production values
 * (B.1) are in `../chain/constants.ts`.
 */
import { NETWORK_ARCHIVING_PARAMS } from '@autonomys/archiver';
import {
  CONFIRMATION_DEPTH_K_DEV,
  ERA_DURATION_BLOCKS,
  INITIAL_SOLUTION_RANGE,
  MAINNET_GENESIS,
} from '../chain/constants.js';
import type { ChainSpec } from './api.js';

/** 1 AI3 in Shannon. */
export const AI3 = 10n ** 18n;

/**
 * The small record preset: 32 chunks per record (1 KiB records), 128 raw records per segment (the
 * network's count: piece indexes of sectors assume 256 pieces per segment), so a segment is
 * 124 KiB and holds ~80 small blocks.
 */
export const SMALL_ARCHIVING_PARAMS = Object.freeze({ numChunks: 32, numRawRecords: 128 });

/**
 * The development chain spec: K = 5, {@link SMALL_ARCHIVING_PARAMS}, the shim proof of
 * space, a generous initial solution range (2^64 / 32: a sector of 16 pieces at 32 chunks per record
 * wins about one slot in three), rewards from block 1, transfers enabled, 2 016-block eras with
 * adjustment off (as on mainnet, so no votes), `Anyone` may author. Override anything.
 * @example const spec = devChainSpec({ potSlotIterations: 1 << 16, balances: [{ accountId, balance: 1000n * AI3 }] })
 */
export function devChainSpec(overrides: Partial<ChainSpec> = {}): ChainSpec {
  return {
    name: 'Autonomys Development',
    protocolId: 'autonomys-dev',
    potSlotIterations: 1 << 20,
    potExternalEntropy: '',
    confirmationDepthK: CONFIRMATION_DEPTH_K_DEV,
    eraDuration: ERA_DURATION_BLOCKS,
    initialSolutionRange: (1n << 64n) / 32n,
    adjustSolutionRange: false,
    allowAuthoringBy: 'Anyone',
    enableRewardsAt: { type: 'Height', height: 1 },
    proposerSubsidyPoints: MAINNET_GENESIS.proposerSubsidyPoints,
    voterSubsidyPoints: MAINNET_GENESIS.voterSubsidyPoints,
    remainingIssuance: MAINNET_GENESIS.remainingIssuance,
    enableBalanceTransfers: true,
    balances: [],
    maxPiecesInSector: 1000,
    archiving: SMALL_ARCHIVING_PARAMS,
    shimProofOfSpace: true,
    specVersion: 10,
    transactionVersion: 1,
    genesisTimestamp: 0n,
    ...overrides,
  };
}

/** The dev preset with 1 024-iteration slots: unit tests. */
export function testChainSpec(overrides: Partial<ChainSpec> = {}): ChainSpec {
  return devChainSpec({ potSlotIterations: 1024, ...overrides });
}

/** Network-size archiving and Chia proofs of space with the mainnet ranges (real-size checks). */
export function networkSizeChainSpec(overrides: Partial<ChainSpec> = {}): ChainSpec {
  return devChainSpec({
    archiving: NETWORK_ARCHIVING_PARAMS,
    shimProofOfSpace: false,
    initialSolutionRange: INITIAL_SOLUTION_RANGE,
    ...overrides,
  });
}
