import { describe, expect, it } from 'vitest';
import { AI3, signBalancesExtrinsic } from '../src/index.js';
import { Devnet } from './devnet.js';

describe('devnet: honest operators', () => {
  it('produce bundles, derive identical blocks, and receipts confirm after the challenge period', () => {
    const net = new Devnet({ operators: 2, pruningDepth: 3 });
    const [a, b] = net.users;
    net.gossip(
      signBalancesExtrinsic(a!.secretKey, a!.publicKey, 0, 10n, {
        type: 'Transfer',
        dest: b!.publicKey,
        amount: 5n * AI3,
      }),
    );
    net.gossip(
      signBalancesExtrinsic(b!.secretKey, b!.publicKey, 0, 10n, {
        type: 'Transfer',
        dest: a!.publicKey,
        amount: 1n * AI3,
      }),
    );
    for (let i = 0; i < 12; i++) net.step();
    expect(net.rejections).toEqual([]);
    const [o1, o2] = net.operators;
    expect(o1!.headNumber).toBeGreaterThan(5);
    for (let n = 0; n <= o1!.headNumber; n++) expect(o1!.receiptAt(n)).toEqual(o2!.receiptAt(n));
    expect(net.events.some((e) => e.type === 'ReceiptConfirmed' && e.domainBlockNumber > 0)).toBe(true);
    expect(net.pendingFraudProofs).toEqual([]);
    // the transfers happened in the domain state
    const s = o1!.stateAt(o1!.headNumber)!;
    expect(net.runtime.account(s, b!.publicKey).free).toBe(1_000n * AI3 + 5n * AI3 - AI3 - 10n);
    // operators earned the execution fees at confirmation
    const rewards = net.ledger.stakingSummary(0).currentEpochRewards;
    expect([...rewards.values()].reduce((x, y) => x + y, 0n) + net.ledger.treasury).toBeGreaterThanOrEqual(
      20n,
    );
  });
});
