/**
 * The consensus.json cases about the chain's formats and constants. Keys owned by later slices of
 * this package or by other packages are listed by owner; the last test fails on any key that is
 * neither tested here nor owned.
 */
import { blockForkWeight, deriveNextSolutionRange, solutionRangeToPieces } from '@autonomys/plotter';
import * as P from '@autonomys/primitives';
import { loadVectors } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import * as N from '../src/index.js';

type Vector = { id: string; values?: Record<string, unknown> } & Record<string, unknown>;
const vectors = loadVectors<{ vectors: Vector[] }>('consensus.json').vectors;
const byId = (id: string) => vectors.find((v) => v.id === id)!;
const tested = new Set<string>();
const check = (id: string, key: string, ours: unknown, theirs: unknown) => {
  expect(ours, `${id}.${key}`).toEqual(theirs);
  tested.add(`${id}.${key}`);
};

/** Keys this slice does not cover, by owner. */
const owned: Record<string, string[]> = {
  '@autonomys/primitives (test/vectors.test.ts)': [
    'consensus.runtime_constants.SLOT_DURATION_MS',
    'consensus.runtime_constants.BLOCK_AUTHORING_DELAY_SLOTS',
    'consensus.runtime_constants.SLOT_PROBABILITY',
    'consensus.runtime_constants.MAX_PIECES_IN_SECTOR',
    'consensus.runtime_constants.RECENT_SEGMENTS',
    'consensus.runtime_constants.RECENT_HISTORY_FRACTION',
    'consensus.runtime_constants.MIN_SECTOR_LIFETIME_SEGMENTS',
    'consensus.runtime_constants.NUM_CHECKPOINTS',
  ],
};

describe('consensus.json: runtime constants of the chain', () => {
  const id = 'consensus.runtime_constants';
  const v = byId(id).values!;
  it.each([
    ['POT_ENTROPY_INJECTION_INTERVAL_BLOCKS', N.POT_ENTROPY_INJECTION_INTERVAL_BLOCKS],
    ['POT_ENTROPY_INJECTION_LOOKBACK_DEPTH', N.POT_ENTROPY_INJECTION_LOOKBACK_DEPTH],
    ['POT_ENTROPY_INJECTION_DELAY_SLOTS', N.POT_ENTROPY_INJECTION_DELAY_SLOTS],
    ['ERA_DURATION_BLOCKS', N.ERA_DURATION_BLOCKS],
    ['EXPECTED_VOTES_PER_BLOCK', N.EXPECTED_VOTES_PER_BLOCK],
    ['BLOCK_SLOT_COUNT', N.BLOCK_SLOT_COUNT],
    ['SHOULD_ADJUST_SOLUTION_RANGE_DEFAULT', N.SHOULD_ADJUST_SOLUTION_RANGE_DEFAULT],
    ['MAX_BLOCK_LENGTH_BYTES', N.MAX_BLOCK_LENGTH_BYTES],
    ['NORMAL_DISPATCH_RATIO_PERCENT', N.NORMAL_DISPATCH_RATIO_PERCENT],
    ['SS58_PREFIX', N.SS58_PREFIX],
    ['DECIMALS', N.TOKEN_DECIMALS],
    ['CONFIRMATION_DEPTH_K_production', N.CONFIRMATION_DEPTH_K],
    ['CONFIRMATION_DEPTH_K_dev', N.CONFIRMATION_DEPTH_K_DEV],
    ['PROPOSER_TAX_ON_VOTES', [...N.PROPOSER_TAX_ON_VOTES]],
    ['AVG_BLOCKSPACE_USAGE_NUM_BLOCKS', N.AVG_BLOCKSPACE_USAGE_NUM_BLOCKS],
  ] as const)('%s', (key, ours) => check(id, key, ours, v[key]));

  it('the primitives the chain formats rely on agree with the pre-digest and justification layouts', () => {
    expect(N.PRE_DIGEST_SIZE).toBe(1 + 8 + P.SOLUTION_SIZE + 1 + 2 * P.POT_OUTPUT_SIZE);
    expect(N.POT_CHECKPOINTS_SIZE).toBe(P.POT_NUM_CHECKPOINTS * P.POT_OUTPUT_SIZE);
    expect(Buffer.from(N.SUBSPACE_ENGINE_ID).toString('latin1')).toBe('SUB_');
    expect(P.REWARD_SIGNING_CONTEXT).toBe('subspace_reward');
  });
});

describe('consensus.json: solution ranges (B.5, B.6) and PoT sampling during sync (B.9)', () => {
  const v = byId('consensus.solution_range') as Record<string, unknown>;
  it('initial range, pieces, fork weight, era adjustment as the runtime applies it', () => {
    const id = 'consensus.solution_range';
    check(id, 'initial_solution_range', N.INITIAL_SOLUTION_RANGE, BigInt(v.initial_solution_range as string));
    check(
      id,
      'initial_voting_solution_range',
      N.INITIAL_VOTING_SOLUTION_RANGE,
      BigInt(v.initial_voting_solution_range as string),
    );
    check(
      id,
      'solution_range_to_pieces_of_initial',
      solutionRangeToPieces(N.INITIAL_SOLUTION_RANGE),
      BigInt(v.solution_range_to_pieces_of_initial as number),
    );
    check(
      id,
      'fork_weight_of_initial_range',
      blockForkWeight(N.INITIAL_SOLUTION_RANGE),
      BigInt(v.fork_weight_of_initial_range as string),
    );
    const cases = v.next_range_cases as {
      start_slot: number;
      current_slot: number;
      current: string;
      expected_next: string;
    }[];
    for (const c of cases) {
      // The runtime's era change (executor `enactEraChange`) derives with the chain's era length.
      expect(
        deriveNextSolutionRange({
          eraStartSlot: BigInt(c.start_slot),
          currentSlot: BigInt(c.current_slot),
          currentSolutionRange: BigInt(c.current),
          eraDuration: BigInt(N.ERA_DURATION_BLOCKS),
        }),
      ).toBe(BigInt(c.expected_next));
    }
    tested.add(`${id}.next_range_cases`);
  });
  it('sample sizes of full PoT verification during sync', () => {
    const cases = (byId('consensus.pot_sampling_during_sync') as Record<string, unknown>).cases as {
      diff: number;
      sample_size: number | 'all';
    }[];
    for (const c of cases) expect(N.potVerificationSampleSize(c.diff), `diff ${c.diff}`).toBe(c.sample_size);
    expect(N.shouldVerifyPotFully(100, 50, () => 0.99)).toBe(true);
    expect(N.shouldVerifyPotFully(10_000_000, 0, () => 0.5)).toBe(false);
    tested.add('consensus.pot_sampling_during_sync.cases');
  });
});

describe('consensus.json: genesis configurations', () => {
  it('mainnet', () => {
    const id = 'consensus.genesis.mainnet';
    const v = byId(id).values!;
    const g = N.MAINNET_GENESIS;
    check(id, 'pot_slot_iterations_genesis', g.potSlotIterations, v.pot_slot_iterations_genesis);
    tested.add(`${id}.pot_slot_iterations_comment`);
    tested.add(`${id}.reward_points_note`);
    check(id, 'enable_rewards_at', g.enableRewardsAt.type, v.enable_rewards_at);
    const a = g.allowAuthoringBy;
    check(
      id,
      'allow_authoring_by',
      a.type === 'RootFarmer' ? `RootFarmer(${a.publicKey})` : a.type,
      v.allow_authoring_by,
    );
    check(id, 'enable_domains', g.enableDomains, v.enable_domains);
    check(id, 'enable_balance_transfers', g.enableBalanceTransfers, v.enable_balance_transfers);
    check(
      id,
      'enable_dynamic_cost_of_storage',
      g.enableDynamicCostOfStorage,
      v.enable_dynamic_cost_of_storage,
    );
    check(id, 'confirmation_depth_k', g.confirmationDepthK, v.confirmation_depth_k);
    check(id, 'protocol_id', g.protocolId, v.protocol_id);
    check(
      id,
      'remaining_issuance_AI3',
      g.remainingIssuance / 10n ** 18n,
      BigInt(v.remaining_issuance_AI3 as number),
    );
    const points = (v.subsidy_points as [number, string][]).map(([b, s]) => [b, BigInt(s)]);
    check(id, 'subsidy_points', g.proposerSubsidyPoints, points);
    expect(g.voterSubsidyPoints).toEqual(points);
  });

  it('devnet, dev and the pallet default', () => {
    const id = 'consensus.genesis.other';
    const v = byId(id).values!;
    check(id, 'devnet_pot_slot_iterations', N.DEVNET_POT_SLOT_ITERATIONS, v.devnet_pot_slot_iterations);
    check(id, 'dev_pot_slot_iterations', N.DEV_POT_SLOT_ITERATIONS, v.dev_pot_slot_iterations);
    check(
      id,
      'pallet_default_pot_slot_iterations',
      N.PALLET_DEFAULT_POT_SLOT_ITERATIONS,
      v.pallet_default_pot_slot_iterations,
    );
  });
});

describe('consensus.json: initial solution ranges', () => {
  it('the block and voting ranges at genesis', () => {
    const id = 'consensus.solution_range';
    const v = byId(id);
    check(id, 'initial_solution_range', N.INITIAL_SOLUTION_RANGE, BigInt(v.initial_solution_range as string));
    check(
      id,
      'initial_voting_solution_range',
      N.INITIAL_VOTING_SOLUTION_RANGE,
      BigInt(v.initial_voting_solution_range as string),
    );
  });
});

describe('consensus.json coverage', () => {
  it('every key is tested here or owned elsewhere', () => {
    const meta = new Set(['id', 'kind', 'source', 'note', 'values']);
    const keys = vectors.flatMap((v) => {
      const fields = v.values ?? Object.fromEntries(Object.entries(v).filter(([k]) => !meta.has(k)));
      return Object.keys(fields).map((k) => `${v.id}.${k}`);
    });
    const elsewhere = new Set(Object.values(owned).flat());
    expect(keys.filter((k) => !tested.has(k) && !elsewhere.has(k))).toEqual([]);
    // An owned key must exist, and must not also be claimed here.
    for (const k of elsewhere) {
      expect(keys).toContain(k);
      expect(tested.has(k)).toBe(false);
    }
  });
});
