/**
 * Domain roles across a consensus reorg, on the domain harness (consensus blocks executed by the
 * real `executeBlock`): the best chain switches to a longer fork from an earlier block; the
 * operators and the watchtower drop the domain blocks derived from the retracted blocks, derive
 * the enacted ones from their bundles, put the retracted transactions back into their pools, and
 * then build on the fork's receipts, which the chain accepts and confirms without slashing anyone.
 * A fraud proof in a retracted block is pooled again (the dev domain's reorg wiring) and slashes on
 * the new best chain.
 */
import { AI3, receiptHash, signBalancesExtrinsic } from '@autonomys/decex';
import { describe, expect, it } from 'vitest';
import {
  type BlockInfo,
  bundlesInBlock,
  type ChainApi,
  type DomainChainView,
  DomainExtrinsicPool,
  DomainFollower,
  decodeDomainsCall,
  decodeExtrinsic,
  devOperatorKey,
  domainRuntime,
  isDomainsCall,
  startDevDomain,
} from '../src/index.js';
import { corruptStateRoot, hex, setup, user, user2 } from './domain-harness.js';

describe('domain roles across a consensus reorg', () => {
  it('the domain head follows the new best chain; its receipts confirm; a retracted transfer is re-included', async () => {
    const t = setup({ operators: 2 });
    const roles = async () => {
      for (const o of t.ops) await o.onNewHead();
      await t.tower.onNewHead();
    };
    for (let i = 0; i < 5; i++) await t.step();
    const ancestor = t.chain.head().number;
    // The bundles pending after the ancestor carry receipts valid on both branches.
    const pendingAtAncestor = t.pool.take();
    expect(pendingAtAncestor.length).toBeGreaterThan(0);

    // Main branch: a transfer enters the pools after the ancestor and gets included.
    const transfer = signBalancesExtrinsic(user.secretKey, user.publicKey, 0, 10n, {
      type: 'Transfer',
      dest: user2.publicKey,
      amount: 7n * AI3,
    });
    for (const o of t.ops) o.submitTransaction(transfer);
    for (let i = 0; i < 3 || (t.ops.some((o) => o.pool.length > 0) && i < 40); i++) await t.step();
    const balance = (o: (typeof t.ops)[number]) => {
      const d = o.follower.derive;
      return domainRuntime().account(d.stateAt(d.headNumber)!, user2.publicKey).free;
    };
    expect(t.ops.map((o) => o.pool.length)).toEqual([0, 0]);
    expect(balance(t.ops[0]!)).toBe(17n * AI3);
    const oldHead = t.chain.head().number;
    const oldDomainHead = t.ops[0]!.follower.derive.headNumber;
    const retracted = new Set(t.chain.blocks.slice(ancestor + 1).map((b) => hex(b.hash)));

    // The fork: another author built on the ancestor, included the pending bundles in its first
    // block (other slots: other blocks) and nothing else, and is one block longer.
    const retractedBlocks = t.chain.blocks.splice(ancestor + 1);
    t.chain.produce(pendingAtAncestor, 2n);
    while (t.chain.head().number <= oldHead) t.chain.produce([]);
    const forkHashes = new Set(t.chain.blocks.map((b) => hex(b.hash)));
    // What the dev domain does on the chain's reorg event: no retracted bundle is pooled again
    // (only fraud proofs would be; there are none here).
    const pooled = t.pool.size;
    t.pool.onReorg(
      retractedBlocks.map((b) => b.extrinsics),
      t.chain.blocks.slice(ancestor + 1).map((b) => b.extrinsics),
    );
    expect(t.pool.size).toBe(pooled);
    await roles();

    // Every role reverted to the ancestor and derived the enacted blocks, exactly as a follower
    // deriving the fork from scratch does.
    const fresh = new DomainFollower(t.chain, t.cfg, 9n, devOperatorKey(9));
    await fresh.catchUp(() => undefined);
    const followers = [...t.ops.map((o) => o.follower), t.tower.follower];
    for (const f of followers) {
      expect(f.processed).toBe(t.chain.head().number);
      expect(f.reorgs.at(-1)).toMatchObject({ ancestor, oldProcessed: oldHead, oldDomainHead });
      expect(f.derive.headNumber).toBe(fresh.derive.headNumber);
      for (let n = 0; n <= fresh.derive.headNumber; n++)
        expect(hex(receiptHash(f.derive.receiptAt(n)!))).toBe(hex(receiptHash(fresh.derive.receiptAt(n)!)));
    }
    const enactedHead = fresh.derive.headNumber;
    // the fork's first block (the pending bundles) is derived; nothing from the retracted blocks is
    expect(enactedHead).toBe(t.ops[0]!.follower.reorgs.at(-1)!.domainHead + 1);
    for (let n = 1; n <= enactedHead; n++)
      expect(forkHashes.has(hex(fresh.derive.receiptAt(n)!.consensusBlockHash))).toBe(true);
    // the retracted transfer is back in every operator's pool and not in the domain state
    for (const o of t.ops) {
      expect(o.follower.reorgs.at(-1)!.returned).toBe(1);
      expect(o.pool.map(hex)).toEqual([hex(transfer)]);
      expect(balance(o)).toBe(10n * AI3);
    }

    // The fork goes on: bundles on the fork's receipts, confirmation, the transfer re-included.
    for (
      let i = 0;
      i < 40 &&
      (t.ops.some((o) => o.pool.length > 0) ||
        t.dc().latestConfirmed.domainBlockNumber < t.ops[0]!.follower.reorgs.at(-1)!.domainHead + 3);
      i++
    )
      await t.step();
    expect(t.ops.map((o) => o.pool.length)).toEqual([0, 0]);
    for (const o of t.ops) expect(balance(o)).toBe(17n * AI3);

    // No bundle on the fork carries a receipt of a retracted block, and the chain took bundles.
    const finalHashes = new Set(t.chain.blocks.map((b) => hex(b.hash)));
    let bundles = 0;
    for (const b of t.chain.blocks.slice(ancestor + 1)) {
      for (const bundle of bundlesInBlock(b.extrinsics, 0)) {
        bundles++;
        const er = bundle.sealedHeader.header.receipt;
        expect(retracted.has(hex(er.consensusBlockHash))).toBe(false);
        if (er.domainBlockNumber > 0) expect(finalHashes.has(hex(er.consensusBlockHash))).toBe(true);
      }
    }
    expect(bundles).toBeGreaterThan(3);

    // The block tree holds the operators' receipts of the fork; receipts of fork blocks confirmed.
    const dc = t.dc();
    const op = t.ops[0]!.follower.derive;
    for (const [n, h] of dc.blockTree) expect(h).toBe(hex(receiptHash(op.receiptAt(n)!)));
    expect(dc.headReceiptNumber).toBeGreaterThan(enactedHead);
    const events = t.allEvents();
    const confirmed = events.flatMap((e) => (e.type === 'ReceiptConfirmed' && e.block > ancestor ? [e] : []));
    expect(confirmed.some((e) => e.domainBlockNumber >= enactedHead)).toBe(true);
    for (const e of confirmed)
      expect(hex(e.receiptHash)).toBe(hex(receiptHash(op.receiptAt(e.domainBlockNumber)!)));

    // Nothing slashed, no fraud proof, no role error.
    expect(events.filter((e) => e.type === 'ReceiptPruned' || e.type === 'FraudProofProcessed')).toEqual([]);
    expect(t.tower.fraudProofs.size).toBe(0);
    for (const id of [0n, 1n]) expect(t.ledger().operatorStatus(id)?.type).not.toBe('Slashed');
    expect(t.events.filter((e) => e.type === 'domain:error' || e.type === 'domain:fraud-proof')).toEqual([]);
  });

  it('a fraud proof included in a retracted block is pooled again and slashes on the new best chain', async () => {
    let tampered: string | undefined;
    const t = setup({
      operators: 2,
      tamper: (op, er) => {
        if (op !== 0 || tampered !== undefined || er.domainBlockNumber < 2) return er;
        const bad = corruptStateRoot(er);
        tampered = hex(receiptHash(bad));
        return bad;
      },
    });
    const processedIn = () =>
      t.chain
        .runtimeState()
        .domains!.events.get(0)
        ?.some((e) => e.type === 'FraudProofProcessed');
    for (let i = 0; i < 22 && !processedIn(); i++) await t.step();
    expect(processedIn()).toBe(true);
    expect(t.ledger().operatorStatus(0n)?.type).toBe('Slashed');
    expect(t.tower.fraudProofs.size).toBe(1);
    // The block with the fraud proof is retracted; the fork has the bad receipt but not the proof.
    const ancestor = t.chain.head().number - 1;
    const proofBytes = t.chain.best.extrinsics.filter((x) => {
      const c = decodeExtrinsic(x).call;
      return isDomainsCall(c) && decodeDomainsCall(c.callIndex, c.args).type === 'submit_fraud_proof';
    });
    expect(proofBytes.length).toBe(1);

    // The dev domain's wiring: on the chain's `reorg` event its pool takes the fraud proof back.
    const listeners = new Map<string, (e: never) => void>();
    const evented = new Proxy(t.chain, {
      get(target, prop) {
        if (prop === 'on') return (ev: string, f: (e: never) => void) => listeners.set(ev, f);
        if (prop === 'off') return (ev: string) => listeners.delete(ev);
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as unknown as ChainApi & DomainChainView;
    const devPool = new DomainExtrinsicPool(t.chain);
    const dev = startDevDomain(evented, t.cfg, { watchtower: false }, devPool);
    await dev.idle();
    const info = (b: (typeof t.chain.blocks)[number]) =>
      ({ hash: b.hash, number: b.header.number }) as BlockInfo;
    (listeners.get('reorg') as (e: unknown) => void)({
      retracted: [info(t.chain.best)],
      enacted: [info(t.chain.blocks[ancestor]!)],
    });
    (listeners.get('newHead') as (e: unknown) => void)(info(t.chain.blocks[ancestor]!));
    await dev.idle();
    expect(devPool.take().map(hex)).toContain(hex(proofBytes[0]!));
    dev.stop();
    expect(listeners.size).toBe(0);

    // The block with the fraud proof is retracted; the fork has the bad receipt but not the proof.
    const retracted = t.chain.blocks.splice(ancestor + 1);
    expect(t.ledger().operatorStatus(0n)?.type).not.toBe('Slashed');
    t.pool.onReorg(
      retracted.map((b) => b.extrinsics),
      [],
    );
    expect(t.pool.take().map(hex)).toContain(hex(proofBytes[0]!));
    // the fork's author takes the pool, fraud proof included; the chain is one block longer
    t.chain.produce(t.pool.take(), 2n);
    t.chain.produce([]);
    for (const o of t.ops) await o.onNewHead();
    await t.tower.onNewHead();
    const ev = t.allEvents().filter((e) => e.block > ancestor);
    const pruned = ev.flatMap((e) => (e.type === 'ReceiptPruned' ? [e] : []));
    expect(pruned.map((e) => hex(e.receiptHash))).toEqual([tampered]);
    expect(pruned[0]!.slashed).toEqual([0n]);
    expect(t.ledger().operatorStatus(0n)?.type).toBe('Slashed');
    // the watchtower did not need a second proof; the honest operator goes on and confirms
    expect(t.tower.fraudProofs.size).toBe(1);
    for (let i = 0; i < 6; i++) await t.step();
    expect(t.ledger().operatorStatus(1n)?.type).not.toBe('Slashed');
    const dc = t.dc();
    const honest = t.ops[1]!.follower.derive;
    for (const [n, h] of dc.blockTree) expect(h).toBe(hex(receiptHash(honest.receiptAt(n)!)));
    expect(dc.latestConfirmed.domainBlockNumber).toBeGreaterThanOrEqual(pruned[0]!.domainBlockNumber);
  });
});
