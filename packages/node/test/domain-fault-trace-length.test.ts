/**
 * Trace-length faults in the node runtime (real executor, operator and watchtower roles on the
 * runtime harness): operator 0 submits a receipt whose execution trace is cut short or has extra
 * entries; the watchtower proves it with `InvalidStateTransition` (`ApplyExtrinsic::Shorter` /
 * `FinalizeBlock::Longer`), a consensus block verifies it, the receipt is pruned and operator 0
 * slashed, and the same proof aimed at the honest receipt that replaces it is dropped by a built
 * block with the pallet's reason and no state change.
 */
import { type ExecutionReceipt, executionTraceRoot, hexOf, receiptHash } from '@autonomys/decex';
import { describe, expect, it } from 'vitest';
import { domainsExtrinsic, encodeExtrinsic } from '../src/index.js';
import { hex, setup } from './domain-harness.js';

function withTrace(er: ExecutionReceipt, trace: Uint8Array[]): ExecutionReceipt {
  return {
    ...er,
    executionTrace: trace,
    executionTraceRoot: executionTraceRoot(trace)!,
    finalStateRoot: trace[trace.length - 1]!,
  };
}

const cases: [string, Record<string, unknown>, string, (er: ExecutionReceipt) => ExecutionReceipt][] = [
  [
    'cut short',
    { type: 'ApplyExtrinsic', mismatch: { type: 'Shorter' } },
    'InvalidExtrinsicProof',
    (er) => withTrace(er, er.executionTrace.slice(0, -1)),
  ],
  [
    'with extra entries',
    { type: 'FinalizeBlock', mismatch: { type: 'Longer' } },
    'InvalidLongerMismatchTraceIndex',
    (er) => withTrace(er, [...er.executionTrace, new Uint8Array(32).fill(0x5a)]),
  ],
];

describe('Domains in the node runtime: trace-length faults', () => {
  for (const [name, phase, reason, tamper] of cases)
    it(`a trace ${name}: proven, pruned and slashed; the proof against the honest receipt is dropped`, async () => {
      let badNumber: number | undefined;
      const t = setup({
        operators: 2,
        tamper: (op, er) => {
          if (op !== 0 || er.domainBlockNumber < 2) return er;
          if (badNumber !== undefined && er.domainBlockNumber !== badNumber) return er;
          badNumber = er.domainBlockNumber;
          return tamper(er);
        },
      });
      for (let i = 0; i < 30 && t.ledger().operatorStatus(0n)?.type !== 'Slashed'; i++) await t.step();
      expect(t.ledger().operatorStatus(0n)?.type).toBe('Slashed');
      const proofs = [...t.tower.fraudProofs.values()];
      expect(proofs).toHaveLength(1);
      expect(proofs[0]!.proof).toMatchObject({ type: 'InvalidStateTransition', executionPhase: phase });
      const ev = t.allEvents();
      const pruned = ev.find((e) => e.type === 'ReceiptPruned') as {
        receiptHash: Uint8Array;
        slashed: bigint[];
      };
      expect(pruned.slashed).toEqual([0n]);
      const processed = ev.find((e) => e.type === 'FraudProofProcessed') as {
        badReceiptHash: Uint8Array;
        domainBlockNumber: number;
      };
      expect(hex(processed.badReceiptHash)).toBe(hex(pruned.receiptHash));
      // the honest receipt of that block (operator 1's) takes its place
      const n = processed.domainBlockNumber;
      const honestHash = hexOf(receiptHash(t.ops[1]!.follower.derive.receiptAt(n)!));
      for (let i = 0; i < 20 && t.dc().blockTree.get(n) !== honestHash; i++) await t.step();
      expect(t.dc().blockTree.get(n)).toBe(honestHash);
      const against = encodeExtrinsic(
        domainsExtrinsic({
          type: 'submit_fraud_proof',
          fraudProof: { ...proofs[0]!, badReceiptHash: Buffer.from(honestHash, 'hex') },
        }),
      );
      const clean = t.chain.execute([]);
      const built = t.chain.execute([against]);
      expect(built.dropped.map((d) => d.detail)).toEqual([`Domains: DECEX_FRAUD_PROOF_REJECTED ${reason}`]);
      expect(hex(built.stateRoot)).toBe(hex(clean.stateRoot));
    });
});
