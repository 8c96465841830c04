import { describe, expect, it } from 'vitest';
import {
  AI3,
  CHANNEL_RESERVE_FEE,
  type ChainId,
  channelInitReservePortion,
  DEFAULT_XDM_FEE_MODEL,
  DecexError,
  DomainChainRewards,
  emptyBlockFees,
  FIXED_U128_ONE,
  Messenger,
  noteXdmRewardsInBlockFees,
  payConfirmedChainRewards,
  payConsensusXdmRewards,
  perbillMul,
  StakingLedger,
  TRANSPORTER_MESSAGE_RESPONSE_WEIGHT,
  TRANSPORTER_MESSAGE_WEIGHT,
  Transporter,
  xdmCollectedFee,
  xdmWeightToFee,
} from '../src/index.js';

describe('XDM fee model', () => {
  it('weight to fee: ref_time x TransactionWeightFee x FixedU128 multiplier (floor) x XdmFeeMultipler', () => {
    // 10_260_000 + 2 reads (8e6) + 1 write (5e7); 15_909_000 + 3 reads + 2 writes
    expect(TRANSPORTER_MESSAGE_WEIGHT).toBe(76_260_000n);
    expect(TRANSPORTER_MESSAGE_RESPONSE_WEIGHT).toBe(139_909_000n);
    expect(xdmWeightToFee(TRANSPORTER_MESSAGE_WEIGHT)).toBe(76_260_000n * 100_000n * 5n);
    expect(
      xdmCollectedFee({ message: TRANSPORTER_MESSAGE_WEIGHT, response: TRANSPORTER_MESSAGE_RESPONSE_WEIGHT }),
    ).toEqual({
      dstChainFee: 38_130_000_000_000n,
      srcChainFee: 69_954_500_000_000n,
    });
    // multiplier 1.5 and 1/3: the adjusted fee is rounded down before the x5
    const m = (feeMultiplier: bigint) => ({ ...DEFAULT_XDM_FEE_MODEL, feeMultiplier });
    expect(xdmWeightToFee(7n, m((3n * FIXED_U128_ONE) / 2n))).toBe(1_050_000n * 5n);
    expect(
      xdmWeightToFee(1n, {
        transactionWeightFee: 1n,
        feeMultiplier: FIXED_U128_ONE / 3n,
        xdmFeeMultiplier: 5n,
      }),
    ).toBe(0n);
    expect(
      xdmWeightToFee(10n, {
        transactionWeightFee: 1n,
        feeMultiplier: FIXED_U128_ONE / 3n,
        xdmFeeMultiplier: 5n,
      }),
    ).toBe(15n);
    expect(xdmWeightToFee(0n)).toBe(0n);
    expect(() => xdmWeightToFee(-1n)).toThrow(DecexError);
  });

  it('the transporter charges its benchmarked weights at the messenger fee model', () => {
    const t = new Transporter(new Messenger('consensus'));
    expect(t.fee()).toEqual({ dstChainFee: 38_130_000_000_000n, srcChainFee: 69_954_500_000_000n });
  });

  it('channel reserve portion: Perbill, nearest with ties down', () => {
    expect(channelInitReservePortion(CHANNEL_RESERVE_FEE)).toBe(20n * AI3);
    expect(perbillMul(500_000_000n, 3n)).toBe(1n); // 1.5 -> 1
    expect(perbillMul(600_000_000n, 3n)).toBe(2n); // 1.8 -> 2
    expect(perbillMul(200_000_000n, 7n)).toBe(1n); // 1.4 -> 1
    expect(channelInitReservePortion(8n)).toBe(2n); // 1.6 -> 2
  });
});

describe('XDM rewards', () => {
  it('a domain notes them in its BlockFees', () => {
    const fees = {
      ...emptyBlockFees(),
      domainExecutionFee: 5n,
      chainRewards: new Map([['consensus' as const, 1n]]),
    };
    const out = noteXdmRewardsInBlockFees(fees, {
      operatorRewards: 10n,
      chainProtocolFees: new Map([['consensus', 4n]]),
    });
    expect(out.domainExecutionFee).toBe(15n);
    expect(out.chainRewards.get('consensus')).toBe(5n);
    expect(fees.chainRewards.get('consensus')).toBe(1n);
  });

  it('the consensus chain pays the block author and owes protocol fees to the domain operators', () => {
    const ledger = new StakingLedger();
    ledger.addDomain(0);
    const store = new DomainChainRewards();
    payConsensusXdmRewards(
      ledger,
      'author',
      { operatorRewards: 7n, chainProtocolFees: new Map([[0, 20n]]) },
      store,
    );
    expect(ledger.balance('author')).toBe(7n);
    expect(store.get(0)).toBe(20n);
    expect(() =>
      payConsensusXdmRewards(
        ledger,
        'author',
        { operatorRewards: 0n, chainProtocolFees: new Map([['consensus', 1n]]) },
        store,
      ),
    ).toThrow(DecexError);
    // a confirmed receipt's chain_rewards: the consensus share to the author, domain shares to the domain
    payConfirmedChainRewards(
      ledger,
      'author',
      new Map<ChainId, bigint>([
        ['consensus', 3n],
        [0, 81n],
      ]),
      store,
    );
    expect(ledger.balance('author')).toBe(10n);
    expect(store.total()).toBe(101n);
    const copy = store.clone();
    copy.note(0, 1n);
    expect(store.get(0)).toBe(101n);
    expect(copy.get(0)).toBe(102n);
  });

  it('at the epoch transition DomainChainRewards split equally among the rewarded operators', () => {
    const ledger = new StakingLedger();
    ledger.addDomain(0);
    const store = new DomainChainRewards();
    // nobody earned rewards: everything to the treasury
    store.note(0, 9n);
    expect(store.distribute(ledger, 0)).toBe(9n);
    expect(ledger.treasury).toBe(9n);
    // operators 2 and 5 earned rewards this epoch (5 with weight 2: floor(1/3 · 30) = 9, floor(2/3 · 30) = 19)
    ledger.distributeExecutionFee(0, [2n, 5n, 5n], 30n);
    expect(ledger.stakingSummary(0).currentEpochRewards).toEqual(
      new Map([
        [2n, 9n],
        [5n, 19n],
      ]),
    );
    expect(ledger.treasury).toBe(11n);
    // the chain rewards: equally, floor(101 / 2) = 50 each, 1 to the treasury
    store.note(0, 101n);
    store.distribute(ledger, 0);
    expect(ledger.stakingSummary(0).currentEpochRewards).toEqual(
      new Map([
        [2n, 59n],
        [5n, 69n],
      ]),
    );
    expect(ledger.treasury).toBe(12n);
    expect(store.get(0)).toBe(0n);
    expect(store.distribute(ledger, 0)).toBe(0n);
  });
});
