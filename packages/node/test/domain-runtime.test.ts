/**
 * The Domains pallet in the node's runtime, with the operator and watchtower roles, on consensus
 * blocks executed by the real `executeBlock` (synthetic pre-digests): bundles and receipts each
 * block, confirmation after the challenge period, a wrong state root caught by the watchtower's
 * fraud proof (pruned, operator slashed, honest receipts confirm), a fraud proof against a correct
 * receipt rejected, and bad input rejected with the pallet's reasons and no state change.
 */
import {
  AI3,
  bundleCodec,
  decodeWith,
  type FraudProof,
  receiptHash,
  signBalancesExtrinsic,
} from '@autonomys/decex';
import { describe, expect, it } from 'vitest';
import {
  BlockExecutionError,
  decodeExtrinsic,
  domainGenesisReceipt,
  domainRuntime,
  domainsExtrinsic,
  encodeExtrinsic,
} from '../src/index.js';
import { corruptStateRoot, hex, setup, TestChain, user, user2 } from './domain-harness.js';

describe('Domains in the node runtime', () => {
  it('an operator bundles every block; receipts confirm after the challenge period; transfers execute', async () => {
    const t = setup({ operators: 1 });
    // the genesis receipt is the domain's genesis state
    expect(hex(receiptHash(t.dc().latestConfirmed))).toBe(hex(receiptHash(domainGenesisReceipt(t.cfg))));
    t.ops[0]!.submitTransaction(
      signBalancesExtrinsic(user.secretKey, user.publicKey, 0, 10n, {
        type: 'Transfer',
        dest: user2.publicKey,
        amount: 5n * AI3,
      }),
    );
    // A bundle takes a transaction only when its signer falls in the bundle's tx range (a third of
    // the space, chosen by the VRF): keep producing until it is in.
    for (let i = 0; i < 9 || (t.ops[0]!.pool.length > 0 && i < 40); i++) await t.step();
    const dc = t.dc();
    expect(dc.headDomainNumber).toBeGreaterThanOrEqual(7);
    expect(dc.headReceiptNumber).toBe(dc.headDomainNumber - 1);
    expect(dc.latestConfirmed.domainBlockNumber).toBe(dc.headReceiptNumber - 3);
    const ev = t.allEvents();
    expect(ev.filter((e) => e.type === 'BundleStored').length).toBeGreaterThanOrEqual(7);
    expect(ev.some((e) => e.type === 'ReceiptConfirmed' && e.domainBlockNumber > 0)).toBe(true);
    expect(t.tower.fraudProofs.size).toBe(0);
    // the transfer happened in the derived domain state, identically for the watchtower
    const op = t.ops[0]!.follower.derive;
    expect(op.pool).toEqual([]);
    expect(domainRuntime().account(op.stateAt(op.headNumber)!, user2.publicKey).free).toBe(15n * AI3);
    for (let n = 0; n <= op.headNumber; n++)
      expect(hex(receiptHash(op.receiptAt(n)!))).toBe(
        hex(receiptHash(t.tower.follower.derive.receiptAt(n)!)),
      );
    // the block tree's receipts are the operator's
    for (const [n, h] of dc.blockTree) expect(h).toBe(hex(receiptHash(op.receiptAt(n)!)));
    // replaying the blocks in import mode from genesis (what a restart does) gives the same roots
    const replay = new TestChain([t.cfg]);
    for (const b of t.chain.blocks.slice(1)) {
      const out = replay.execute(b.extrinsics.slice(1), 'import');
      expect(hex(out.stateRoot)).toBe(hex(b.header.stateRoot));
      replay.produce(b.extrinsics.slice(1));
    }
  });

  it('a wrong state root: fraud proof verified on chain, bad receipt pruned, operator slashed, honest receipts confirm', async () => {
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
    for (let i = 0; i < 22 && t.ledger().operatorStatus(0n)?.type !== 'Slashed'; i++) await t.step();
    expect(tampered).toBeDefined();
    const ev = t.allEvents();
    const added = ev.find((e) => e.type === 'ReceiptAdded' && hex(e.receiptHash) === tampered);
    expect(added).toBeDefined();
    const processed = ev.find((e) => e.type === 'FraudProofProcessed');
    expect(processed && hex((processed as { badReceiptHash: Uint8Array }).badReceiptHash)).toBe(tampered);
    const pruned = ev.find((e) => e.type === 'ReceiptPruned');
    expect(pruned && hex((pruned as { receiptHash: Uint8Array }).receiptHash)).toBe(tampered);
    expect((pruned as { slashed: bigint[] }).slashed).toEqual([0n]);
    expect(t.ledger().operatorStatus(0n)?.type).toBe('Slashed');
    expect(t.tower.fraudProofs.size).toBe(1);
    const badNumber = (added as { domainBlockNumber: number }).domainBlockNumber;
    // honest operator 1 continues alone; its receipts confirm past the disputed number
    for (let i = 0; i < 8; i++) await t.step();
    const dc = t.dc();
    expect(dc.latestConfirmed.domainBlockNumber).toBeGreaterThanOrEqual(badNumber);
    const honest = t.ops[1]!.follower.derive;
    expect(hex(receiptHash(dc.latestConfirmed))).toBe(
      hex(receiptHash(honest.receiptAt(dc.latestConfirmed.domainBlockNumber)!)),
    );
    expect(t.tower.fraudProofs.size).toBe(1);
  });

  it('a fraud proof against a correct receipt is rejected; bad input is rejected with no state change', async () => {
    let fp: FraudProof | undefined;
    const t = setup({
      operators: 2,
      tamper: (op, er) =>
        op === 0 && fp === undefined && er.domainBlockNumber >= 2 ? corruptStateRoot(er) : er,
    });
    for (let i = 0; i < 22 && t.tower.fraudProofs.size === 0; i++) await t.step();
    fp = [...t.tower.fraudProofs.values()][0]!;
    for (let i = 0; i < 6; i++) await t.step();
    // retarget the proof at the honest receipt that now holds the disputed number
    const dc = t.dc();
    const disputed = t.ops[1]!.follower.derive.receiptAt(dc.headReceiptNumber)!;
    expect(dc.blockTree.get(disputed.domainBlockNumber)).toBe(hex(receiptHash(disputed)));
    const against = { ...fp, badReceiptHash: receiptHash(disputed) };
    const fpx = encodeExtrinsic(domainsExtrinsic({ type: 'submit_fraud_proof', fraudProof: against }));

    const bundle = decodeFirstBundle(t);
    const badExtrinsics: [string, Uint8Array][] = [
      ['fraud proof against a correct receipt', fpx],
      [
        'malformed bundle',
        encodeExtrinsic({
          type: 'Bare',
          version: 5,
          call: { type: 'Opaque', palletIndex: 12, callIndex: 0, args: Uint8Array.of(1, 2, 3) },
        }),
      ],
      [
        'unknown Domains call',
        encodeExtrinsic({
          type: 'Bare',
          version: 5,
          call: { type: 'Opaque', palletIndex: 12, callIndex: 0x63, args: new Uint8Array() },
        }),
      ],
      [
        'stale bundle (old slot, old receipt)',
        encodeExtrinsic(domainsExtrinsic({ type: 'submit_bundle', bundle })),
      ],
      [
        'bundle from an unknown operator',
        encodeExtrinsic(domainsExtrinsic({ type: 'submit_bundle', bundle: withOperator(bundle, 99n) })),
      ],
    ];
    const clean = t.chain.execute([]);
    for (const [what, x] of badExtrinsics) {
      // building: dropped, and the block's state root is that of the block without it
      const built = t.chain.execute([x]);
      expect(
        built.dropped.map((d) => d.index),
        what,
      ).toEqual([1]);
      expect(hex(built.stateRoot), what).toBe(hex(clean.stateRoot));
      // importing: the block is invalid
      let err: unknown;
      try {
        t.chain.execute([x], 'import');
      } catch (e) {
        err = e;
      }
      expect(err, what).toBeInstanceOf(BlockExecutionError);
      expect((err as BlockExecutionError).kind).toBe('INVALID_EXTRINSIC');
    }
    const reasons = badExtrinsics.map(([, x]) => t.chain.execute([x]).dropped[0]!.detail);
    expect(reasons[0]).toMatch(/DECEX_FRAUD_PROOF_REJECTED/);
    expect(reasons[1]).toMatch(/DECEX_INVALID_ENCODING/);
    expect(reasons[2]).toMatch(/DECEX_INVALID_ARGUMENT/);
    expect(reasons[3]).toMatch(/DECEX_(BUNDLE|RECEIPT)_REJECTED/);
    // the storage fee is charged before the other checks (decex §4 step 3): an unknown operator has no fund
    expect(reasons[4]).toMatch(/UnableToPayBundleStorageFee/);
    // a duplicate in one block: the first is taken, the second rejected (equivocation)
    const fresh = t.pool.take();
    expect(fresh.length).toBeGreaterThan(0);
    const dup = t.chain.execute([fresh[0]!, fresh[0]!]);
    expect(dup.dropped.map((d) => d.index)).toEqual([2]);
    expect(dup.dropped[0]!.detail).toMatch(/EquivocatedBundle/);
  });
});

function decodeFirstBundle(t: ReturnType<typeof setup>) {
  for (const b of t.chain.blocks)
    for (const x of b.extrinsics) {
      const call = decodeExtrinsic(x).call;
      if (call.type === 'Opaque' && call.palletIndex === 12 && call.callIndex === 0)
        return decodeWith(bundleCodec, call.args, 'bundle');
    }
  throw new Error('no bundle');
}

function withOperator(b: ReturnType<typeof decodeFirstBundle>, operatorId: bigint) {
  const h = b.sealedHeader.header;
  return {
    ...b,
    sealedHeader: {
      ...b.sealedHeader,
      header: { ...h, proofOfElection: { ...h.proofOfElection, operatorId } },
    },
  };
}
