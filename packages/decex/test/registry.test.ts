import { describe, expect, it } from 'vitest';
import {
  AI3,
  DecexError,
  DomainBalances,
  DomainRegistry,
  type InstantiateDomainParams,
  StakingLedger,
} from '../src/index.js';

function reason(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DecexError && e.type.code === 'DECEX_STAKING_REJECTED') return e.type.reason;
    throw e;
  }
  throw new Error('no rejection');
}
const acc = (i: number) => ({ type: 'AccountId20' as const, id: new Uint8Array(20).fill(i) });

describe('DomainRegistry.instantiateDomain', () => {
  const base = (): InstantiateDomainParams => ({
    domainName: 'auto-evm',
    runtimeId: 0,
    bundleSlotProbability: [1n, 1n],
    operatorAllowList: { type: 'Anyone' },
    initialBalances: [[acc(1), 5n * AI3]],
    domainRuntimeInfo: { type: 'Evm', chainId: 870n, evmType: { type: 'Public' } },
  });
  it('derives limits, burns the initial issuance, holds the deposit, allocates ids sequentially', () => {
    const l = new StakingLedger();
    const b = new DomainBalances();
    const r = new DomainRegistry(l, b);
    r.registerRuntime('evm', 'Evm');
    l.mint('owner', 1_000n * AI3);
    const id = r.instantiateDomain('owner', base(), new Uint8Array(32));
    expect(id).toBe(0);
    expect(r.domains.get(0)!.domainConfig.maxBundleSize).toBe(Math.floor(3_932_160 / 6));
    expect(l.balance('owner')).toBe(1_000n * AI3 - 100n * AI3 - 5n * AI3);
    expect(b.balance(0)).toBe(5n * AI3);
    expect(
      r.instantiateDomain(
        'owner',
        { ...base(), domainRuntimeInfo: { type: 'Evm', chainId: 871n, evmType: { type: 'Public' } } },
        new Uint8Array(32),
      ),
    ).toBe(1);
  });
  it('rejects in the code order with the pallet names, changing nothing', () => {
    const l = new StakingLedger();
    const r = new DomainRegistry(l);
    r.registerRuntime('evm', 'Evm');
    l.mint('owner', 150n * AI3);
    expect(
      reason(() =>
        r.instantiateDomain('owner', { ...base(), bundleSlotProbability: [2n, 1n] }, new Uint8Array(32)),
      ),
    ).toBe('InvalidSlotProbability');
    expect(
      reason(() =>
        r.instantiateDomain('owner', { ...base(), bundleSlotProbability: [1n, 7n] }, new Uint8Array(32)),
      ),
    ).toBe('BundleLimitCalculationOverflow');
    expect(
      reason(() =>
        r.instantiateDomain('owner', { ...base(), domainName: 'x'.repeat(33) }, new Uint8Array(32)),
      ),
    ).toBe('DomainNameTooLong');
    expect(
      reason(() =>
        r.instantiateDomain(
          'owner',
          {
            ...base(),
            bundleLimits: { maxBundleSize: 4_000_000, maxBundleWeight: { refTime: 1n, proofSize: 1n } },
          },
          new Uint8Array(32),
        ),
      ),
    ).toBe('ExceedMaxDomainBlockSize');
    expect(reason(() => r.instantiateDomain('poor', base(), new Uint8Array(32)))).toBe('InsufficientFund');
    expect(
      reason(() =>
        r.instantiateDomain(
          'owner',
          {
            ...base(),
            initialBalances: [
              [acc(1), AI3],
              [acc(1), AI3],
            ],
          },
          new Uint8Array(32),
        ),
      ),
    ).toBe('DuplicateInitialAccounts');
    expect(
      reason(() =>
        r.instantiateDomain(
          'owner',
          {
            ...base(),
            initialBalances: Array.from(
              { length: 11 },
              (_, i) => [acc(i), AI3] as [ReturnType<typeof acc>, bigint],
            ),
          },
          new Uint8Array(32),
        ),
      ),
    ).toBe('MaxInitialDomainAccounts');
    expect(
      reason(() =>
        r.instantiateDomain(
          'owner',
          { ...base(), initialBalances: [[acc(1), AI3 - 1n]] },
          new Uint8Array(32),
        ),
      ),
    ).toBe('MinInitialAccountBalance');
    expect(
      reason(() =>
        r.instantiateDomain(
          'owner',
          { ...base(), domainRuntimeInfo: { type: 'AutoId' } },
          new Uint8Array(32),
        ),
      ),
    ).toBe('InvalidConfigForRuntimeType');
    expect(
      reason(() =>
        r.instantiateDomain(
          'owner',
          { ...base(), initialBalances: [[acc(1), 60n * AI3]] },
          new Uint8Array(32),
        ),
      ),
    ).toBe('InsufficientFund');
    expect(l.balance('owner')).toBe(150n * AI3);
    expect(r.nextDomainId).toBe(0);
    r.instantiateDomain('owner', base(), new Uint8Array(32));
    l.mint('owner', 500n * AI3);
    expect(reason(() => r.instantiateDomain('owner', base(), new Uint8Array(32)))).toBe('InvalidEVMChainId');
  });
});
