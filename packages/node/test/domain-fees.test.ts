/**
 * Bundle storage fees (decex §3, §4 step 3): every bundle / singleton receipt pays
 * `byte fee × SCALE size` from its operator's storage fund to the block author, before the other
 * checks (a starved fund rejects the bundle, nothing changed); at confirmation the receipt's
 * `consensus_storage_fee` is minted back into the funds of valid bundle authors in proportion to
 * their bundle sizes, the remainder to the treasury.
 */
import {
  AI3,
  bundleDigest,
  type ExecutionReceipt,
  type OperatorId,
  perquintillFromRational,
  perquintillMulFloor,
  receiptHash,
} from '@autonomys/decex';
import { describe, expect, it } from 'vitest';
import {
  DOMAIN_CONSENSUS_BYTE_FEE,
  type DomainsCall,
  decodeDomainsCall,
  decodeExtrinsic,
  isDomainsCall,
  TRANSACTION_BYTE_FEE,
  TREASURY_ACCOUNT,
} from '../src/index.js';
import { hex } from './domain-harness.js';
import { author, freeOf, issuanceGap, stakeDomain, stakeSetup } from './domain-stake-harness.js';

/** The Domains calls of a block's extrinsics, with their SCALE sizes (the call arguments). */
function domainCalls(extrinsics: readonly Uint8Array[]): { call: DomainsCall; size: number }[] {
  const out: { call: DomainsCall; size: number }[] = [];
  for (const bytes of extrinsics) {
    const x = decodeExtrinsic(bytes);
    if (isDomainsCall(x.call))
      out.push({ call: decodeDomainsCall(x.call.callIndex, x.call.args), size: x.call.args.length });
  }
  return out;
}

function operatorOf(c: DomainsCall): OperatorId | undefined {
  if (c.type === 'submit_bundle') return c.bundle.sealedHeader.header.proofOfElection.operatorId;
  if (c.type === 'submit_receipt') return c.receipt.singletonReceipt.proofOfElection.operatorId;
  return undefined;
}

describe('bundle storage fees', () => {
  it('each bundle pays byte fee × its SCALE size from the storage fund to the block author', async () => {
    expect(DOMAIN_CONSENSUS_BYTE_FEE).toBe(TRANSACTION_BYTE_FEE);
    const t = stakeSetup(stakeDomain());
    const issuance = t.state().totalIssuance;
    let charged = 0n;
    for (let i = 0; i < 9; i++) {
      const funds = [0n, 1n].map((id) => t.ledger().operators.get(id)!.storageFund);
      const authorFree = freeOf(t.state(), author);
      const out = await t.step();
      const fees = new Map<OperatorId, bigint>();
      for (const { call, size } of domainCalls(out.extrinsics)) {
        const op = operatorOf(call);
        if (op !== undefined) fees.set(op, (fees.get(op) ?? 0n) + TRANSACTION_BYTE_FEE * BigInt(size));
      }
      let total = 0n;
      for (const id of [0n, 1n]) {
        const fee = fees.get(id) ?? 0n;
        total += fee;
        expect(t.ledger().operators.get(id)!.storageFund).toBe(funds[Number(id)]! - fee);
      }
      expect(freeOf(t.state(), author) - authorFree).toBe(total);
      charged += total;
      expect(t.state().totalIssuance).toBe(issuance);
      expect(issuanceGap(t.state())).toBe(0n);
    }
    expect(charged).toBeGreaterThan(0n);
    expect(t.dc().latestConfirmed.domainBlockNumber).toBeGreaterThan(0);
  }, 30_000);

  it('a starved storage fund rejects the bundle with UnableToPayBundleStorageFee, changing nothing', async () => {
    // 200 AI3 in the fund pays ~2 bundles at this byte fee
    const byteFee = 10n ** 17n;
    const t = stakeSetup(stakeDomain({ operators: 1, transactionByteFee: byteFee }));
    let rejected: { bytes: Uint8Array; detail: string } | undefined;
    let paid = 0;
    for (let i = 0; i < 10 && rejected === undefined; i++) {
      const out = await t.step();
      paid += domainCalls(out.extrinsics).filter((c) => operatorOf(c.call) === 0n).length;
      const d = out.dropped.find((x) => /UnableToPayBundleStorageFee/.test(x.detail));
      if (d !== undefined) rejected = { bytes: out.input[d.index - 1]!, detail: d.detail };
      expect(issuanceGap(t.state())).toBe(0n);
    }
    expect(paid).toBeGreaterThan(0);
    expect(rejected?.detail).toMatch(/DECEX_BUNDLE_REJECTED UnableToPayBundleStorageFee/);
    const x = decodeExtrinsic(rejected!.bytes);
    if (!isDomainsCall(x.call)) throw new Error('not a Domains call');
    const fee = byteFee * BigInt(x.call.args.length);
    const fund = t.ledger().operators.get(0n)!.storageFund;
    expect(fund).toBeLessThan(fee);
    // the block with it and without it are the same block
    const clean = t.chain.execute([]);
    const built = t.chain.execute([rejected!.bytes]);
    expect(built.dropped.map((d) => d.index)).toEqual([1]);
    expect(hex(built.stateRoot)).toBe(hex(clean.stateRoot));
    expect(built.state.domains!.ledger.operators.get(0n)!.storageFund).toBe(fund);
  }, 30_000);

  it('at confirmation the receipt’s consensus storage fee refunds the funds pro rata, the remainder to the treasury', async () => {
    // Every operator reports the same (wrong, unchallenged: no watchtower) consensus storage fee
    // in its receipts from domain block 1 on, re-linking each receipt to the altered parent.
    const fee = 1_000_003n;
    const altered = new Map<string, ExecutionReceipt>();
    const tamper = (_op: number, er: ExecutionReceipt): ExecutionReceipt => {
      if (er.domainBlockNumber === 0) return er;
      const key = hex(receiptHash(er));
      const known = altered.get(key);
      if (known !== undefined) return known;
      const parent = altered.get(hex(er.parentDomainBlockReceiptHash));
      const out: ExecutionReceipt = {
        ...er,
        blockFees: { ...er.blockFees, consensusStorageFee: fee },
        ...(parent === undefined ? {} : { parentDomainBlockReceiptHash: receiptHash(parent) }),
      };
      altered.set(key, out);
      return out;
    };
    const t = stakeSetup(stakeDomain(), { tamper });
    const issuance = t.state().totalIssuance;
    // paid sizes of each domain block's valid bundles, by operator (the inbox digests' sizes)
    const sizes = new Map<number, Map<OperatorId, number>>();
    let refunds = 0;
    let remainders = 0n;
    for (let i = 0; i < 12; i++) {
      const before = t.state();
      const funds = [0n, 1n].map((id) => before.domains!.ledger.operators.get(id)!.storageFund);
      const treasury = freeOf(before, TREASURY_ACCOUNT) + before.domains!.accumulatedTreasuryFunds;
      const out = await t.step();
      const domainNumber = t.dc().headDomainNumber;
      const charged = new Map<OperatorId, bigint>();
      for (const { call, size } of domainCalls(out.extrinsics)) {
        const op = operatorOf(call)!;
        charged.set(op, (charged.get(op) ?? 0n) + TRANSACTION_BYTE_FEE * BigInt(size));
        if (call.type !== 'submit_bundle') continue;
        const m = sizes.get(domainNumber) ?? new Map<OperatorId, number>();
        m.set(op, (m.get(op) ?? 0) + bundleDigest(call.bundle).size);
        sizes.set(domainNumber, m);
      }
      const confirmed = (t.state().domains!.events.get(0) ?? []).filter(
        (e) => e.type === 'ReceiptConfirmed' && e.domainBlockNumber > 0,
      );
      let expectedTreasury = 0n;
      const expectedRefund = new Map<OperatorId, bigint>();
      for (const e of confirmed) {
        const paid = sizes.get((e as { domainBlockNumber: number }).domainBlockNumber)!;
        let total = 0n;
        for (const s of paid.values()) total += BigInt(s);
        let given = 0n;
        for (const [op, s] of paid) {
          const share = perquintillMulFloor(perquintillFromRational(BigInt(s), total), fee);
          expectedRefund.set(op, (expectedRefund.get(op) ?? 0n) + share);
          given += share;
        }
        expectedTreasury += fee - given;
        refunds++;
      }
      for (const id of [0n, 1n]) {
        const now = t.ledger().operators.get(id)!.storageFund;
        expect(now - funds[Number(id)]!).toBe((expectedRefund.get(id) ?? 0n) - (charged.get(id) ?? 0n));
      }
      const treasuryNow = freeOf(t.state(), TREASURY_ACCOUNT) + t.state().domains!.accumulatedTreasuryFunds;
      expect(treasuryNow - treasury).toBe(expectedTreasury);
      remainders += expectedTreasury;
      // the refund is minted: the issuance grows by the confirmed receipts' fees
      expect(t.state().totalIssuance).toBe(issuance + fee * BigInt(refunds));
      expect(issuanceGap(t.state())).toBe(0n);
    }
    expect(refunds).toBeGreaterThanOrEqual(3);
    // the treasury's remainders are dust below the existential deposit: accumulated, not lost
    expect(freeOf(t.state(), TREASURY_ACCOUNT)).toBe(0n);
    expect(t.state().domains!.accumulatedTreasuryFunds).toBe(remainders);
    expect(remainders).toBeLessThan(AI3);
  }, 30_000);
});
