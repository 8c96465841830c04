import { thrownCode } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import {
  AI3,
  DecexError,
  perquintillFromRational,
  perquintillMulFloor,
  StakingLedger,
  sharePrice,
  sharesToStake,
  splitStorageFee,
  stakeToShares,
} from '../src/index.js';

const E = 10n ** 18n;
const key = new Uint8Array(32).fill(3);
const cfg = { signingKey: key, minimumNominatorStake: AI3, nominationTax: 5 };

function rejection(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DecexError && e.type.code === 'DECEX_STAKING_REJECTED') return e.type.reason;
    throw e;
  }
  throw new Error('no rejection');
}

describe('share math (Perquintill, rounding down)', () => {
  it('hand-computed prices and conversions', () => {
    expect(sharePrice(880n * E, 963_600_000_000_000_000_000n)).toBe(913_242_009_132_420_091n); // floor(880/963.6 · 1e18)
    expect(stakeToShares(913_242_009_132_420_091n, 3_520_000_000_000_000_000n)).toBe(
      3_214_611_872_146_118_720n,
    );
    // shares_to_stake adds one part to the price: 80e18 / 0.913242009132420092
    expect(sharesToStake(913_242_009_132_420_091n, 80n * E)).toBe(87_599_999_999_999_999_935n);
    // at price 1 the +1 saturates: exact
    expect(sharesToStake(E, 123n)).toBe(123n);
    expect(splitStorageFee(100n * E)).toEqual({ stake: 80n * E, storageFee: 20n * E });
    expect(splitStorageFee(7n)).toEqual({ stake: 6n, storageFee: 1n }); // 20% of 7 = 1.4 -> 1
    expect(perquintillMulFloor(perquintillFromRational(1n, 3n), 100n)).toBe(33n);
    expect(thrownCode(() => sharePrice(2n, 1n), DecexError)).toBe('DECEX_STAKING_REJECTED');
    expect(rejection(() => sharePrice(2n, 1n))).toBe('ShareOverflow');
    expect(rejection(() => sharePrice(0n, 1n))).toBe('ZeroSharePrice');
  });
});

describe('StakingLedger: a hand-computed epoch table', () => {
  it('registration, nomination, rewards with tax, withdrawal and unlocking', () => {
    const l = new StakingLedger({ withdrawalPeriod: 5 });
    l.addDomain(0);
    l.mint('owner', 2_000n * AI3);
    l.mint('nom', 500n * AI3);
    const op = l.registerOperator('owner', 0, 1_000n * AI3, cfg);
    let o = l.operators.get(op)!;
    // epoch 0: 20% to the storage fund, 80% staked 1:1, joins next epoch
    expect([o.currentTotalStake, o.currentTotalShares, o.storageFund]).toEqual([
      800n * E,
      800n * E,
      200n * E,
    ]);
    expect(l.stakingSummary(0).currentOperators.size).toBe(0);
    l.nominateOperator('nom', op, 100n * AI3);
    expect([o.depositsInEpoch, o.storageFund, l.balance('nom')]).toEqual([80n * E, 220n * E, 400n * E]);
    l.transitionEpoch(0); // epoch 0 -> 1 at price 1.0
    o = l.operators.get(op)!;
    expect([o.currentTotalStake, o.currentTotalShares]).toEqual([880n * E, 880n * E]);
    expect(l.stakingSummary(0)).toMatchObject({ currentEpochIndex: 1, currentTotalStake: 880n * E });
    expect(l.epochSharePrices.get('0:0:0')).toBe(E);
    expect(l.position(op, 'nom').deposit!.knownShares).toBe(80n * E);
    // epoch 1: 88 AI3 of execution fees; 5% tax = 4.4 AI3 deposited for the owner (0.88 to the fund)
    l.distributeExecutionFee(0, [op], 88n * AI3);
    l.transitionEpoch(0);
    o = l.operators.get(op)!;
    expect(l.epochSharePrices.get('0:0:1')).toBe(913_242_009_132_420_091n);
    expect(o.currentTotalStake).toBe(967_120_000_000_000_000_000n); // 880 + 83.6 + 3.52
    expect(o.currentTotalShares).toBe(883_214_611_872_146_118_720n); // 880 + 3.2146…
    expect(o.storageFund).toBe(220_880_000_000_000_000_000n);
    // epoch 2: the nominator withdraws all 80 shares (worth 87.6 AI3 minus rounding)
    l.setHeadDomainNumber(0, 200);
    l.withdrawStake('nom', op, 80n * E);
    expect(l.operators.get(op)!.storageFund).toBe(220_880_000_000_000_000_000n - 19_999_999_999_999_999_785n);
    l.transitionEpoch(0);
    o = l.operators.get(op)!;
    expect(o.currentTotalStake).toBe(879_520_000_000_000_000_065n);
    expect(o.currentTotalShares).toBe(803_214_611_872_146_118_720n);
    // locked until HeadDomainNumber >= 205
    expect(rejection(() => l.unlockFunds('nom', op))).toBe('UnlockPeriodNotComplete');
    l.setHeadDomainNumber(0, 205);
    expect(l.unlockFunds('nom', op)).toBe(87_599_999_999_999_999_935n + 19_999_999_999_999_999_785n);
    expect(l.balance('nom')).toBe(400n * E + 107_599_999_999_999_999_720n);
  });

  it('typed rejections in the pallet order leave the ledger unchanged', () => {
    const l = new StakingLedger();
    l.addDomain(0, { type: 'Operators', accounts: [new Uint8Array(32).fill(0xaa)] });
    l.mint('owner', 2_000n * AI3);
    const snapshot = () =>
      JSON.stringify([...l.balances], (_, v) => (typeof v === 'bigint' ? v.toString() : v)) +
      l.operators.size;
    const before = snapshot();
    expect(
      rejection(() =>
        l.registerOperator('owner', 0, 1_000n * AI3, { ...cfg, signingKey: new Uint8Array(32) }),
      ),
    ).toBe('InvalidOperatorSigningKey');
    expect(
      rejection(() => l.registerOperator('owner', 0, 1_000n * AI3, { ...cfg, minimumNominatorStake: 1n })),
    ).toBe('MinimumNominatorStake');
    expect(rejection(() => l.registerOperator('owner', 9, 1_000n * AI3, cfg))).toBe('DomainNotInitialized');
    expect(rejection(() => l.registerOperator('owner', 0, 1_000n * AI3, cfg))).toBe('OperatorNotAllowed');
    expect(snapshot()).toBe(before);
    const owner = 'aa'.repeat(32);
    l.mint(owner, 2_000n * AI3);
    expect(rejection(() => l.registerOperator(owner, 0, 99n * AI3, cfg))).toBe('MinimumOperatorStake');
    const op = l.registerOperator(owner, 0, 100n * AI3, cfg);
    expect(rejection(() => l.nominateOperator('x', op, 0n))).toBe('ZeroDeposit');
    expect(rejection(() => l.nominateOperator('x', op, AI3))).toBe('InsufficientBalance');
    l.mint('x', AI3);
    expect(rejection(() => l.nominateOperator('x', op, AI3 / 2n))).toBe('MinimumNominatorStake');
    expect(rejection(() => l.withdrawStake('x', op, 0n))).toBe('ZeroWithdraw');
    expect(rejection(() => l.withdrawStake('x', op, 1n))).toBe('UnknownNominator');
    expect(rejection(() => l.withdrawStake('x', 77n, 1n))).toBe('UnknownOperator');
    expect(rejection(() => l.withdrawStake(owner, op, 1n))).toBe('MinimumOperatorStake');
    expect(rejection(() => l.withdrawStake(owner, op, 10n ** 30n))).toBe('InsufficientShares');
    expect(rejection(() => l.deregisterOperator('x', op))).toBe('NotOperatorOwner');
  });

  it('slashing moves every stake, deposit and the storage fund to the treasury (value conserved)', () => {
    const l = new StakingLedger();
    l.addDomain(0);
    l.mint('owner', 1_000n * AI3);
    l.mint('nom', 100n * AI3);
    const op = l.registerOperator('owner', 0, 500n * AI3, cfg);
    l.nominateOperator('nom', op, 50n * AI3);
    l.transitionEpoch(0);
    const total = l.totalValue();
    l.slashOperators(0, [op]);
    expect(l.operatorStatus(op)?.type).toBe('Slashed');
    expect(l.canSubmitBundle(op)).toBe(false);
    expect(l.treasury).toBe(550n * AI3);
    expect(l.totalValue()).toBe(total);
    expect(l.stakingSummary(0).currentOperators.has(op)).toBe(false);
  });

  it('deregistration then unlock_nominator returns stake and the storage fund share', () => {
    const l = new StakingLedger({ withdrawalPeriod: 5 });
    l.addDomain(0);
    l.mint('owner', 1_000n * AI3);
    const op = l.registerOperator('owner', 0, 500n * AI3, cfg);
    l.transitionEpoch(0);
    l.deregisterOperator('owner', op);
    expect(rejection(() => l.unlockNominator('owner', op))).toBe('UnlockPeriodNotComplete');
    l.setHeadDomainNumber(0, 5);
    expect(l.unlockNominator('owner', op)).toBe(500n * AI3);
    expect(l.balance('owner')).toBe(1_000n * AI3);
  });
});
