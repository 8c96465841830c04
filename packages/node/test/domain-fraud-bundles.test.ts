/**
 * The InvalidBundles fraud proofs end to end in the node runtime (real executor, operator and
 * watchtower roles, consensus blocks executing the Domains calls):
 *
 * - good invalid: operator 2 (the crafter) puts a bad body in a bundle (an undecodable extrinsic,
 *   an inherent, an illegal transaction, a transaction outside its tx range, a wrong estimated
 *   weight); the consensus chain includes it (it cannot see inside) and operator 1 (malicious)
 *   submits the receipt of that domain block claiming the bundle valid;
 * - bad invalid: operator 1 submits a receipt that calls a valid bundle with a transfer `IllegalTx`.
 *
 * Each time the watchtower proves it with an `InvalidBundles` fraud proof of the matching kind, the
 * bad receipt is pruned, operator 1 is slashed, the honest receipt of that block replaces it and
 * confirms after the challenge period (and, for good-invalid cases, the crafter is slashed when
 * the receipt that calls its bundle invalid confirms).
 */
import {
  type ExecutionReceipt,
  hexOf,
  receiptHash,
  signBalancesExtrinsic,
  signerIdHash,
  signerInTxRange,
  vrfHashU256,
} from '@autonomys/decex';
import { type Sr25519Keypair, sr25519PairFromSeed } from '@autonomys/primitives';
import { describe, expect, it } from 'vitest';
import { domainsExtrinsic, encodeExtrinsic } from '../src/index.js';
import { hex, setup, user, user2 } from './domain-harness.js';

type Craft = NonNullable<Parameters<typeof setup>[0]['tamperBundle']>;
type Body = Parameters<Craft>[1];

const MALICIOUS = 1;
const CRAFTER = 2;

/** A key whose signer hash is (or is not) in the tx range of a bundle's VRF output. */
function signerFor(b: Body, inRange: boolean): Sr25519Keypair {
  const vrf = vrfHashU256(b.header.proofOfElection.vrfSignature);
  for (let i = 0; ; i++) {
    const k = sr25519PairFromSeed(
      new Uint8Array(32).fill(100 + (i % 100)).map((x, j) => (j === 0 ? i >> 8 : x)),
    );
    if (signerInTxRange(vrf, signerIdHash(k.publicKey)) === inRange) return k;
  }
}

const transfer = (k: Sr25519Keypair, nonce: number) =>
  signBalancesExtrinsic(k.secretKey, k.publicKey, nonce, 1n, {
    type: 'Transfer',
    dest: user2.publicKey,
    amount: 1n,
  });

const goodInvalid: [
  string,
  (b: Body) => { extrinsics: Uint8Array[]; estimatedBundleWeight?: { refTime: bigint; proofSize: bigint } },
][] = [
  ['UndecodableTx', () => ({ extrinsics: [Uint8Array.of(0x77, 1, 2)] })],
  ['InherentExtrinsic', () => ({ extrinsics: [new Uint8Array(9)] })],
  ['IllegalTx', (b) => ({ extrinsics: [transfer(signerFor(b, true), 99)] })],
  ['OutOfRangeTx', (b) => ({ extrinsics: [transfer(signerFor(b, false), 0)] })],
  ['InvalidBundleWeight', () => ({ extrinsics: [], estimatedBundleWeight: { refTime: 1n, proofSize: 0n } })],
];

const EMPTY_ROOT_HEX = '03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314';

interface Case {
  name: string;
  kind: string;
  good: boolean;
  craft?: (b: Body) => ReturnType<Craft>;
  lie: (er: ExecutionReceipt) => ExecutionReceipt;
}

const cases: Case[] = [
  ...goodInvalid.map(
    ([kind, craft]): Case => ({
      name: `good invalid (${kind})`,
      kind,
      good: true,
      craft,
      lie: (er) => ({
        ...er,
        inboxedBundles: er.inboxedBundles.map((b) =>
          b.bundle.type === 'Invalid'
            ? { ...b, bundle: { type: 'Valid', digest: new Uint8Array(32).fill(9) } }
            : b,
        ),
      }),
    }),
  ),
  {
    name: 'bad invalid (a valid bundle with a transfer called IllegalTx)',
    kind: 'IllegalTx',
    good: false,
    lie: (er) => {
      let done = false;
      return {
        ...er,
        inboxedBundles: er.inboxedBundles.map((b) => {
          if (done || b.bundle.type !== 'Valid' || hexOf(b.extrinsicsRoot) === EMPTY_ROOT_HEX) return b;
          done = true;
          return { ...b, bundle: { type: 'Invalid', invalid: { type: 'IllegalTx', index: 0 } } };
        }),
      };
    },
  },
];

describe('Domains in the node runtime: InvalidBundles fraud proofs', () => {
  for (const c of cases)
    it(`${c.name}: proven, pruned, slashed; the honest receipt confirms`, async () => {
      let crafted = false;
      const t = setup({
        operators: 3,
        tamper: (op, er) => (op === MALICIOUS ? c.lie(er) : er),
        ...(c.craft === undefined
          ? {}
          : {
              tamperBundle: (op, b) => {
                if (op !== CRAFTER || crafted || t.gate.only === undefined) return undefined;
                crafted = true;
                return c.craft!(b);
              },
            }),
      });
      // Warm up (honest receipts only: operator 1 lies only about blocks with the faults below).
      for (let i = 0; i < 3; i++) await t.step();
      const honest = t.ops[0]!.follower.derive;
      // The domain block the fault is about: one with the crafted bundle, or one with a transfer.
      const isTarget = (er: ExecutionReceipt) =>
        c.good
          ? er.inboxedBundles.some((b) => b.bundle.type === 'Invalid')
          : er.inboxedBundles.some(
              (b) => b.bundle.type === 'Valid' && hexOf(b.extrinsicsRoot) !== EMPTY_ROOT_HEX,
            );
      const findTarget = () => {
        for (let n = 1; n <= honest.headNumber; n++) if (isTarget(honest.receiptAt(n)!)) return n;
        return undefined;
      };
      // Pending operator extrinsics are forgotten when the gate changes.
      const clearPool = () => t.pool.onNewHead(t.chain.head().number, t.pool.take());
      if (c.good) {
        t.gate.only = new Set([CRAFTER]);
        clearPool();
      } else {
        for (const op of t.ops) for (let n = 0; n < 2; n++) op.submitTransaction(transfer(user, n));
      }
      let target = findTarget();
      for (let i = 0; i < 30 && target === undefined; i++) {
        await t.step();
        target = findTarget();
      }
      expect(target).toBeDefined();
      // Only the malicious operator submits until its receipt of the target block is in.
      t.gate.only = new Set([MALICIOUS]);
      clearPool();
      const honestHash = hexOf(receiptHash(honest.receiptAt(target!)!));
      for (let i = 0; i < 30 && t.dc().headReceiptNumber < target!; i++) await t.step();
      const bad = t.dc().receiptAt(target!)!;
      expect(hexOf(receiptHash(bad))).not.toBe(honestHash);
      t.gate.only = undefined;
      for (let i = 0; i < 20 && t.ledger().operatorStatus(BigInt(MALICIOUS))?.type !== 'Slashed'; i++)
        await t.step();
      const proofs = [...t.tower.fraudProofs.values()];
      expect(proofs).toHaveLength(1);
      expect(proofs[0]!.proof).toMatchObject({
        type: 'InvalidBundles',
        isGoodInvalidFraudProof: c.good,
        invalidBundleType: { type: c.kind },
      });
      const ev = t.allEvents();
      const pruned = ev.find((e) => e.type === 'ReceiptPruned') as {
        receiptHash: Uint8Array;
        slashed: bigint[];
      };
      expect(hex(pruned.receiptHash)).toBe(hexOf(receiptHash(bad)));
      expect(pruned.slashed).toEqual([BigInt(MALICIOUS)]);
      expect(t.ledger().operatorStatus(BigInt(MALICIOUS))?.type).toBe('Slashed');
      // The same proof aimed at the honest receipt that replaced the bad one is rejected (a built
      // block drops it with the pallet's reason and keeps its state root).
      for (let i = 0; i < 20 && t.dc().blockTree.get(target!) !== honestHash; i++) await t.step();
      expect(t.dc().blockTree.get(target!)).toBe(honestHash);
      const against = encodeExtrinsic(
        domainsExtrinsic({
          type: 'submit_fraud_proof',
          fraudProof: { ...proofs[0]!, badReceiptHash: Buffer.from(honestHash, 'hex') },
        }),
      );
      const clean = t.chain.execute([]);
      const built = t.chain.execute([against]);
      expect(built.dropped.map((d) => d.detail)).toEqual([
        // the honest receipt's entry is what the proof claims it should be
        'Domains: DECEX_FRAUD_PROOF_REJECTED UnexpectedTargetedBundleEntry',
      ]);
      expect(hex(built.stateRoot)).toBe(hex(clean.stateRoot));
      // The honest receipt of the target block confirms after the challenge period.
      const confirmed = () =>
        t.allEvents().some((e) => e.type === 'ReceiptConfirmed' && hex(e.receiptHash) === honestHash);
      for (let i = 0; i < 40 && !confirmed(); i++) await t.step();
      expect(confirmed()).toBe(true);
      if (c.good) expect(t.ledger().operatorStatus(BigInt(CRAFTER))?.type).toBe('Slashed');
      else expect(t.ledger().operatorStatus(0n)?.type).not.toBe('Slashed');
    });
});
