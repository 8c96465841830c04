/**
 * Transactions a consensus reorg returns to an operator's pool are re-validated against the new
 * best chain once its blocks are derived: one whose nonce the new chain used (a conflicting
 * transaction) is dropped, one still valid stays and is included again.
 */
import { AI3, signBalancesExtrinsic } from '@autonomys/decex';
import { describe, expect, it } from 'vitest';
import { DomainExtrinsicPool, DomainOperatorRole, devOperatorKey, domainRuntime } from '../src/index.js';
import { hex, potOf, setup, user, user2 } from './domain-harness.js';

describe('reorg-returned domain transactions', () => {
  it('a returned transaction conflicting with the new chain is dropped; a valid one stays', async () => {
    const t = setup({ operators: 1 });
    for (let i = 0; i < 4; i++) await t.step();
    const ancestor = t.chain.head().number;
    const op = t.ops[0]!;
    const transfer = (from: typeof user, nonce: number, dest: Uint8Array, amount: bigint) =>
      signBalancesExtrinsic(from.secretKey, from.publicKey, nonce, 10n, { type: 'Transfer', dest, amount });
    // main branch: user's nonce-0 transfer and user2's nonce-0 transfer are included
    const a = transfer(user, 0, user2.publicKey, 7n * AI3);
    const b = transfer(user2, 0, user.publicKey, AI3);
    op.submitTransaction(a);
    op.submitTransaction(b);
    for (let i = 0; i < 40 && op.pool.length > 0; i++) await t.step();
    expect(op.pool).toEqual([]);
    const oldHead = t.chain.head().number;

    // the fork from the ancestor: another operator node (same operator) includes a conflicting
    // nonce-0 transfer of user instead
    t.chain.blocks.splice(ancestor + 1);
    const forkPool = new DomainExtrinsicPool(t.chain);
    const forkOp = new DomainOperatorRole({
      chain: t.chain,
      config: t.cfg,
      operatorId: 0n,
      keys: devOperatorKey(0),
      slotPot: potOf,
      submit: (x) => forkPool.submit(x),
    });
    const conflicting = transfer(user, 0, user2.publicKey, 3n * AI3);
    await forkOp.onNewHead();
    forkOp.submitTransaction(conflicting);
    for (let i = 0; i < 40 && (forkOp.pool.length > 0 || t.chain.head().number <= oldHead); i++) {
      const out = t.chain.produce(forkPool.take(), 2n);
      forkPool.onNewHead(t.chain.head().number, out.extrinsics);
      await forkOp.onNewHead();
    }
    expect(forkOp.pool).toEqual([]);

    // the operator follows the reorg: both transactions come back, the conflicting one is dropped
    await op.onNewHead();
    const r = op.follower.reorgs.at(-1)!;
    expect(r).toMatchObject({ ancestor, oldProcessed: oldHead, returned: 2, dropped: 1 });
    expect(op.pool.map(hex)).toEqual([hex(b)]);
    const d = op.follower.derive;
    const rt = domainRuntime();
    expect(rt.account(d.stateAt(d.headNumber)!, user.publicKey).nonce).toBe(1);
    expect(rt.account(d.stateAt(d.headNumber)!, user2.publicKey).free).toBe(13n * AI3);
    // the valid one is included again on the new chain
    for (let i = 0; i < 40 && op.pool.length > 0; i++) await t.step();
    expect(op.pool).toEqual([]);
    expect(rt.account(d.stateAt(d.headNumber)!, user2.publicKey).nonce).toBe(1);
  }, 60_000);
});
