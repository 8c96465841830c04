import { describe, expect, it } from 'vitest';
import { AI3, signBalancesExtrinsic } from '../src/index.js';
import { Devnet } from './devnet.js';

describe('clone', () => {
  it('a cloned ledger and domain state evolve independently of the originals', () => {
    const net = new Devnet({ operators: 1, pruningDepth: 2 });
    const [a, b] = net.users;
    net.gossip(
      signBalancesExtrinsic(a!.secretKey, a!.publicKey, 0, 10n, {
        type: 'Transfer',
        dest: b!.publicKey,
        amount: AI3,
      }),
    );
    for (let i = 0; i < 4; i++) net.step();
    const ledger = net.ledger.clone();
    const dc = net.dc.clone({ ledger, mmr: net.chain, runtime: net.runtime });
    const before = {
      tree: [...net.dc.blockTree],
      head: net.dc.headReceiptNumber,
      balances: [...net.ledger.balances],
      status: net.ledger.operatorStatus(0n),
    };
    expect([...dc.blockTree]).toEqual(before.tree);
    expect(ledger.stakingSummary(0)).toEqual(net.ledger.stakingSummary(0));
    // mutate the copies
    ledger.slashOperators(0, [0n]);
    dc.initializeBlock(99, new Uint8Array(32));
    dc.blockTree.clear();
    expect(ledger.operatorStatus(0n)?.type).not.toBe(before.status?.type);
    // the originals are untouched and keep working
    expect([...net.dc.blockTree]).toEqual(before.tree);
    expect(net.dc.headReceiptNumber).toBe(before.head);
    expect([...net.ledger.balances]).toEqual(before.balances);
    expect(net.ledger.operatorStatus(0n)).toEqual(before.status);
    for (let i = 0; i < 3; i++) net.step();
    expect(net.rejections).toEqual([]);
    expect(net.dc.headReceiptNumber).toBeGreaterThan(before.head);
  });
});
