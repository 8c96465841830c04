/**
 * Staking through `System.Account` (decex §3): genesis operators pay their stake from their
 * accounts, nominations / withdrawals / unlocks are signed transactions moving balance between the
 * accounts and the ledger, a slashed operator's stake and storage fund go to the treasury account,
 * and total issuance is conserved throughout.
 */
import { AI3, receiptHash, splitStorageFee } from '@autonomys/decex';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DOMAINS_STAKING_CALL_INDEX,
  type DomainsStakingCall,
  decodeDomainsStakingCall,
  EXISTENTIAL_DEPOSIT,
  encodeDomainsStakingCall,
  genesisState,
  IMMORTAL,
  signExtrinsic,
  TREASURY_ACCOUNT,
} from '../src/index.js';
import { corruptStateRoot, hex } from './domain-harness.js';
import {
  BALANCES,
  freeOf,
  issuanceGap,
  nominator,
  owners,
  poorNominator,
  stakeDomain,
  stakeSetup,
  stakeSpec,
  stakingTx,
} from './domain-stake-harness.js';

const balancesTotal = BALANCES.reduce((t, b) => t + b.balance, 0n);

function thrown(f: () => unknown): { code?: string; reason?: string } {
  try {
    f();
  } catch (e) {
    const x = e as { code?: string; type?: { reason?: string } };
    return {
      ...(x.code === undefined ? {} : { code: x.code }),
      ...(x.type?.reason === undefined ? {} : { reason: x.type.reason }),
    };
  }
  throw new Error('did not throw');
}

describe('signed staking calls', () => {
  const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
  const u128 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
  const call: fc.Arbitrary<DomainsStakingCall> = fc.oneof(
    fc.record({ type: fc.constant('nominate_operator' as const), operatorId: u64, amount: u128 }),
    fc.record({ type: fc.constant('withdraw_stake' as const), operatorId: u64, shares: u128 }),
    fc.record({
      type: fc.constantFrom(
        'deregister_operator' as const,
        'unlock_funds' as const,
        'unlock_nominator' as const,
      ),
      operatorId: u64,
    }),
  );

  it('round-trip: operator_id u64 LE then amount / shares u128 LE, pallet 12 with the pallet call indices', () => {
    fc.assert(
      fc.property(call, (c) => {
        const x = encodeDomainsStakingCall(c);
        expect(x.palletIndex).toBe(12);
        expect(x.callIndex).toBe(DOMAINS_STAKING_CALL_INDEX[c.type]);
        expect(x.args.length).toBe('amount' in c || 'shares' in c ? 24 : 8);
        expect(decodeDomainsStakingCall(x.callIndex, x.args)).toEqual(c);
      }),
    );
    expect(
      hex(encodeDomainsStakingCall({ type: 'nominate_operator', operatorId: 1n, amount: 2n }).args),
    ).toBe(`0100000000000000${'02'.padEnd(32, '0')}`);
  });

  it('random bytes decode or throw DECEX_INVALID_ENCODING / DECEX_INVALID_ARGUMENT', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }), (index, args) => {
        try {
          decodeDomainsStakingCall(index, args);
        } catch (e) {
          expect(['DECEX_INVALID_ENCODING', 'DECEX_INVALID_ARGUMENT']).toContain(
            (e as { code?: string }).code,
          );
        }
      }),
    );
  });
});

describe('staking from System.Account', () => {
  it('genesis operators pay their stake from their accounts; issuance is unchanged', () => {
    const s = genesisState(stakeSpec(stakeDomain()));
    const stake = 1_000n * AI3;
    expect(s.totalIssuance).toBe(balancesTotal);
    expect(freeOf(s, owners[0]!.publicKey)).toBe(1_001n * AI3 - stake);
    expect(freeOf(s, owners[1]!.publicKey)).toBe(2_000n * AI3 - stake);
    const ledger = s.domains!.ledger;
    const { stake: staked, storageFee } = splitStorageFee(stake);
    expect(storageFee).toBe(200n * AI3);
    for (const id of [0n, 1n]) {
      const o = ledger.operators.get(id)!;
      expect(o.owner).toBe(hex(owners[Number(id)]!.publicKey));
      expect(o.currentTotalStake).toBe(staked);
      expect(o.storageFund).toBe(storageFee);
    }
    expect(ledger.heldValue()).toBe(2n * stake);
    expect(issuanceGap(s)).toBe(0n);
    // the ledger of a stored state reads the accounts but cannot change them
    expect(ledger.balance(hex(nominator.publicKey))).toBe(500n * AI3 - EXISTENTIAL_DEPOSIT);
    expect(thrown(() => ledger.nominateOperator(hex(nominator.publicKey), 0n, AI3)).code).toBe(
      'NODE_INVALID_ARGUMENT',
    );
  });

  it('a label owner is endowed at genesis (added to the issuance)', () => {
    const cfg = stakeDomain({ operators: 1 });
    const s = genesisState(stakeSpec({ ...cfg, operators: [{ ...cfg.operators[0]!, owner: 'label' }] }));
    expect(s.totalIssuance).toBe(balancesTotal + 1_000n * AI3);
    expect(freeOf(s, owners[0]!.publicKey)).toBe(1_001n * AI3);
    expect(issuanceGap(s)).toBe(0n);
  });

  it('an operator whose account cannot pay is rejected (InsufficientBalance; the existential deposit stays)', () => {
    const cfg = stakeDomain({ operators: 1 });
    const exact = BALANCES.map((b) =>
      b.accountId === owners[0]!.publicKey ? { ...b, balance: 1_000n * AI3 } : b,
    );
    expect(thrown(() => genesisState(stakeSpec(cfg, exact)))).toEqual({
      code: 'DECEX_STAKING_REJECTED',
      reason: 'InsufficientBalance',
    });
    const missing = BALANCES.filter((b) => b.accountId !== owners[0]!.publicKey);
    expect(thrown(() => genesisState(stakeSpec(cfg, missing))).reason).toBe('InsufficientBalance');
  });

  it('nominate, withdraw and unlock move balance between the account and the ledger; issuance is conserved', async () => {
    const t = stakeSetup(stakeDomain());
    const issuance = t.state().totalIssuance;
    const who = hex(nominator.publicKey);
    await t.step();
    const before = freeOf(t.state(), nominator.publicKey);
    const held = t.ledger().heldValue();
    // nominate 100 AI3 to operator 0; a nominator who cannot pay is rejected (nonce bumped, nothing else)
    const poorBefore = freeOf(t.state(), poorNominator.publicKey);
    const txs = [
      stakingTx(t.chain, nominator, 0, { type: 'nominate_operator', operatorId: 0n, amount: 100n * AI3 }),
      stakingTx(t.chain, poorNominator, 0, { type: 'nominate_operator', operatorId: 0n, amount: 10n * AI3 }),
    ];
    const out = await t.step(txs);
    expect(out.extrinsics.slice(-2).map(hex)).toEqual(txs.map(hex));
    expect(freeOf(t.state(), nominator.publicKey)).toBe(before - 100n * AI3);
    expect(freeOf(t.state(), poorNominator.publicKey)).toBe(poorBefore);
    expect(t.state().accounts.get(hex(poorNominator.publicKey))!.nonce).toBe(1);
    expect(t.ledger().position(0n, hex(poorNominator.publicKey)).deposit).toBeUndefined();
    // the storage fees of this block's bundles left the ledger for the author
    expect(t.ledger().heldValue()).toBeLessThanOrEqual(held + 100n * AI3);
    expect(t.state().totalIssuance).toBe(issuance);
    expect(issuanceGap(t.state())).toBe(0n);
    // the deposit becomes shares at the epoch's end (epochs of 2 domain blocks)
    let shares = 0n;
    for (let i = 0; i < 6 && shares === 0n; i++) {
      await t.step();
      shares = t.ledger().clone().position(0n, who).deposit?.knownShares ?? 0n;
    }
    expect(shares).toBe(80n * AI3);
    await t.step([stakingTx(t.chain, nominator, 1, { type: 'withdraw_stake', operatorId: 0n, shares })]);
    expect(t.ledger().clone().position(0n, who).deposit?.knownShares).toBe(0n);
    // unlock after the epoch ends and the locking period passes: rejected until then
    let released = 0n;
    let nonce = 2;
    for (let i = 0; i < 10 && released === 0n; i++) {
      const free = freeOf(t.state(), nominator.publicKey);
      await t.step([stakingTx(t.chain, nominator, nonce++, { type: 'unlock_funds', operatorId: 0n })]);
      released = freeOf(t.state(), nominator.publicKey) - free;
      expect(t.state().totalIssuance).toBe(issuance);
      expect(issuanceGap(t.state())).toBe(0n);
    }
    // 80 AI3 of stake (share price 1) and the storage-fund share, less the fees the fund paid since
    expect(released).toBeGreaterThan(99n * AI3);
    expect(released).toBeLessThanOrEqual(100n * AI3);
    expect(t.ledger().clone().position(0n, who).withdrawal).toBeUndefined();
    expect(t.state().totalIssuance).toBe(issuance);
  }, 30_000);

  it('a staking call whose arguments do not decode is an invalid transaction (CALL)', () => {
    const t = stakeSetup(stakeDomain());
    const bad = signExtrinsic(
      {
        type: 'Opaque',
        palletIndex: 12,
        callIndex: DOMAINS_STAKING_CALL_INDEX.unlock_funds,
        args: Uint8Array.of(1, 2, 3),
      },
      { era: IMMORTAL, nonce: 0, tip: 0n },
      {
        specVersion: t.chain.spec.specVersion,
        transactionVersion: t.chain.spec.transactionVersion,
        genesisHash: t.chain.blocks[0]!.hash,
        birthHash: t.chain.blocks[0]!.hash,
      },
      nominator.secretKey,
      nominator.publicKey,
    );
    const out = t.chain.execute([bad]);
    expect(out.dropped.map((d) => [d.index, d.code])).toEqual([[1, 'CALL']]);
  });

  it('a slashed operator’s stake and storage fund go to the treasury account; issuance is conserved', async () => {
    let tampered = false;
    const t = stakeSetup(stakeDomain(), {
      watchtower: true,
      tamper: (op, er) => {
        if (op !== 0 || tampered || er.domainBlockNumber < 2) return er;
        tampered = true;
        return corruptStateRoot(er);
      },
    });
    const issuance = t.state().totalIssuance;
    const ownerFree = freeOf(t.state(), owners[0]!.publicKey);
    let value = 0n;
    for (let i = 0; i < 22 && t.ledger().operatorStatus(0n)?.type !== 'Slashed'; i++) {
      const o = t.ledger().operators.get(0n)!;
      value = o.currentTotalStake + o.depositsInEpoch + o.storageFund;
      await t.step();
      expect(t.state().totalIssuance).toBe(issuance);
      expect(issuanceGap(t.state())).toBe(0n);
    }
    expect(t.ledger().operatorStatus(0n)?.type).toBe('Slashed');
    // the operator's stake (800 AI3) and what is left of its fund (less any fee paid in the
    // slashing block), in the treasury account
    expect(value).toBeGreaterThan(999n * AI3);
    const treasury = freeOf(t.state(), TREASURY_ACCOUNT);
    expect(treasury).toBeLessThanOrEqual(value);
    expect(value - treasury).toBeLessThan(10_000n);
    const o = t.ledger().operators.get(0n)!;
    expect([o.currentTotalStake, o.storageFund]).toEqual([0n, 0n]);
    expect(freeOf(t.state(), owners[0]!.publicKey)).toBe(ownerFree);
    expect(t.ledger().heldValue()).toBeLessThan(1_101n * AI3);
    // the honest operator's receipts keep confirming
    const confirmed = t.dc().latestConfirmed;
    for (let i = 0; i < 5; i++) await t.step();
    expect(t.dc().latestConfirmed.domainBlockNumber).toBeGreaterThan(confirmed.domainBlockNumber);
    expect(hex(receiptHash(t.dc().latestConfirmed))).not.toBe(hex(receiptHash(confirmed)));
    expect(t.state().totalIssuance).toBe(issuance);
    expect(issuanceGap(t.state())).toBe(0n);
  }, 30_000);
});
