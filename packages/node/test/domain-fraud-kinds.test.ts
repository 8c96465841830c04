/**
 * Other fault kinds end to end in the node runtime (real executor, operator and watchtower roles):
 * operator 0 corrupts one field of a receipt; the watchtower's fraud proof is of the matching kind,
 * verifies in a consensus block, and the receipt is pruned with operator 0 slashed. (The wrong
 * state root case is in domain-runtime.test.ts; every kind is covered at the package level in
 * @autonomys/decex's fraud tests.)
 */
import type { ExecutionReceipt } from '@autonomys/decex';
import { describe, expect, it } from 'vitest';
import { hex, setup } from './domain-harness.js';

const fill = (b: number) => new Uint8Array(32).fill(b);
const kinds: [string, (er: ExecutionReceipt) => ExecutionReceipt][] = [
  ['InvalidDomainBlockHash', (er) => ({ ...er, domainBlockHash: fill(0xdd) })],
  ['InvalidExtrinsicsRoot', (er) => ({ ...er, domainBlockExtrinsicRoot: fill(0xcc) })],
  [
    'InvalidBlockFees',
    (er) => ({
      ...er,
      blockFees: { ...er.blockFees, domainExecutionFee: er.blockFees.domainExecutionFee + 1n },
    }),
  ],
  [
    'InvalidTransfers',
    (er) => ({ ...er, transfers: { ...er.transfers, transfersOut: new Map([['consensus', 1n]]) } }),
  ],
  [
    'ValidBundle',
    (er) => ({
      ...er,
      inboxedBundles: er.inboxedBundles.map((b, i) =>
        i === 0 && b.bundle.type === 'Valid' ? { ...b, bundle: { type: 'Valid', digest: fill(0xbb) } } : b,
      ),
    }),
  ],
];

describe('Domains in the node runtime: other fault kinds', () => {
  for (const [kind, tamper] of kinds)
    it(`${kind}: proven, pruned and slashed`, async () => {
      let done = false;
      const t = setup({
        operators: 2,
        tamper: (op, er) => (op === 0 && !done && er.domainBlockNumber >= 2 ? tamper(er) : er),
      });
      for (let i = 0; i < 30 && t.ledger().operatorStatus(0n)?.type !== 'Slashed'; i++) {
        await t.step();
        if (t.tower.fraudProofs.size > 0) done = true;
      }
      const kinds = t.events.flatMap((e) => (e.type === 'domain:fraud-proof' ? [e.kind] : []));
      expect(kinds).toEqual([kind]);
      const ev = t.allEvents();
      const pruned = ev.find((e) => e.type === 'ReceiptPruned') as {
        receiptHash: Uint8Array;
        slashed: bigint[];
      };
      expect(pruned.slashed).toEqual([0n]);
      const processed = ev.find((e) => e.type === 'FraudProofProcessed') as { badReceiptHash: Uint8Array };
      expect(hex(processed.badReceiptHash)).toBe(hex(pruned.receiptHash));
      expect(t.ledger().operatorStatus(0n)?.type).toBe('Slashed');
    });
});
