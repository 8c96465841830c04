import { beforeAll, describe, expect, it } from 'vitest';
import {
  AI3,
  type Bundle,
  bundleExtrinsicsRoot,
  calculateMaxBundleWeightAndSize,
  DecexError,
  deduplicateAndShuffle,
  type ExecutionReceipt,
  executionTraceRoot,
  extrinsicsShufflingSeed,
  hexOf,
  initDecex,
  receiptHash,
  sealBundleHeader,
  signBalancesExtrinsic,
} from '../src/index.js';
import { Devnet, keyOf, potOf, SLOTS_PER_BLOCK } from './devnet.js';

beforeAll(async () => {
  await initDecex();
});

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DecexError) return `${e.code}:${(e.type as { reason?: string }).reason ?? ''}`;
    throw e;
  }
  return 'accepted';
}

/** A devnet a few domain blocks in, and a fresh valid bundle from operator 0 for the next block. */
function ready() {
  const net = new Devnet({ operators: 2, pruningDepth: 3 });
  for (let i = 0; i < 4; i++) net.step();
  const C = net.blockNumber;
  net.dc.initializeBlock(C, net.chain.best.hash);
  const op = net.operators[0]!;
  const stake = net.ledger.operatorStakeInfo(0, op.operatorId)!;
  for (let s = 0; s < 60; s++) {
    const slot = BigInt(C * SLOTS_PER_BLOCK + (s % SLOTS_PER_BLOCK));
    const input = {
      slot,
      proofOfTime: potOf(slot),
      operatorStake: stake.stake,
      totalStake: stake.total,
      bundleSlotProbability: net.dc.params.bundleSlotProbability,
    };
    const vrf = op.elect(input);
    if (vrf === undefined) continue;
    const bundle = op.buildBundle(input, vrf, net.dc.expectedReceiptNumber(), net.dc.params);
    return { net, bundle, input, vrf };
  }
  throw new Error('operator 0 never elected');
}

const reseal = (
  b: Bundle,
  f: (h: Bundle['sealedHeader']['header']) => Bundle['sealedHeader']['header'],
  k = keyOf(1),
) => ({
  ...b,
  sealedHeader: sealBundleHeader(f(b.sealedHeader.header), k.secretKey, k.publicKey),
});
const withReceipt = (b: Bundle, f: (er: ExecutionReceipt) => ExecutionReceipt) =>
  reseal(b, (h) => ({ ...h, receipt: f(h.receipt) }));

describe('consensus-side checks: typed rejections with the spec reasons, no state change', () => {
  it('rejects bad bundles and receipts in the pallet order', () => {
    const { net, bundle } = ready();
    const dc = net.dc;
    const state = () =>
      [
        dc.headReceiptNumber,
        dc.headDomainNumber,
        dc.blockTree.size,
        dc.successfulBundles.length,
        net.ledger.operators.get(0n)!.storageFund,
      ].join();
    const before = state();
    const cases: [string, Bundle][] = [
      [
        'DECEX_BUNDLE_REJECTED:BadBundleSignature',
        { ...bundle, sealedHeader: { ...bundle.sealedHeader, signature: new Uint8Array(64) } },
      ],
      ['DECEX_BUNDLE_REJECTED:InvalidExtrinsicRoot', { ...bundle, extrinsics: [Uint8Array.of(1)] }],
      [
        'DECEX_BUNDLE_REJECTED:BundleTooHeavy',
        reseal(bundle, (h) => ({ ...h, estimatedBundleWeight: { refTime: 10n ** 16n, proofSize: 0n } })),
      ],
      // the storage fee is charged (step 3) before the operator is looked up: an unknown operator cannot pay
      [
        'DECEX_BUNDLE_REJECTED:UnableToPayBundleStorageFee',
        reseal(bundle, (h) => ({ ...h, proofOfElection: { ...h.proofOfElection, operatorId: 99n } })),
      ],
      [
        'DECEX_BUNDLE_REJECTED:BadBundleSignature',
        reseal(bundle, (h) => ({ ...h, proofOfElection: { ...h.proofOfElection, operatorId: 1n } })),
      ],
      [
        'DECEX_BUNDLE_REJECTED:InvalidProofOfTime',
        reseal(bundle, (h) => ({
          ...h,
          proofOfElection: { ...h.proofOfElection, proofOfTime: new Uint8Array(16) },
        })),
      ],
      [
        'DECEX_BUNDLE_REJECTED:SlotInTheFuture',
        reseal(bundle, (h) => ({ ...h, proofOfElection: { ...h.proofOfElection, slotNumber: 10n ** 6n } })),
      ],
      [
        'DECEX_BUNDLE_REJECTED:BadVrfProof',
        reseal(bundle, (h) => ({
          ...h,
          proofOfElection: {
            ...h.proofOfElection,
            vrfSignature: { ...h.proofOfElection.vrfSignature, proof: new Uint8Array(64) },
          },
        })),
      ],
      [
        'DECEX_RECEIPT_REJECTED:InFutureReceipt',
        withReceipt(bundle, (er) => ({ ...er, domainBlockNumber: er.domainBlockNumber + 5 })),
      ],
      [
        'DECEX_RECEIPT_REJECTED:NewBranchReceipt',
        withReceipt(bundle, (er) => ({ ...er, domainBlockNumber: er.domainBlockNumber - 1 })),
      ],
      [
        'DECEX_RECEIPT_REJECTED:UnknownParentBlockReceipt',
        withReceipt(bundle, (er) => ({ ...er, parentDomainBlockReceiptHash: new Uint8Array(32) })),
      ],
      [
        'DECEX_RECEIPT_REJECTED:InvalidTraceRoot',
        withReceipt(bundle, (er) => ({ ...er, executionTraceRoot: new Uint8Array(32) })),
      ],
      [
        'DECEX_RECEIPT_REJECTED:InvalidStateRoot',
        withReceipt(bundle, (er) => ({ ...er, finalStateRoot: new Uint8Array(32) })),
      ],
      [
        'DECEX_RECEIPT_REJECTED:InvalidExecutionTrace',
        withReceipt(bundle, (er) => ({
          ...er,
          executionTrace: [er.finalStateRoot],
          executionTraceRoot: er.finalStateRoot,
        })),
      ],
      [
        'DECEX_RECEIPT_REJECTED:BuiltOnUnknownConsensusBlock',
        withReceipt(bundle, (er) => ({ ...er, consensusBlockHash: new Uint8Array(32) })),
      ],
      [
        'DECEX_RECEIPT_REJECTED:InvalidExtrinsicsRoots',
        withReceipt(bundle, (er) => ({ ...er, inboxedBundles: [] })),
      ],
    ];
    for (const [want, b] of cases) {
      expect(code(() => dc.submitBundle(b))).toBe(want);
      expect(state()).toBe(before);
    }
    // an unelected operator: threshold zero by making its stake tiny is not possible here, so use a
    // pre-output above the threshold of a 1-in-2^100 probability domain
    const strict = { ...dc.params };
    (dc.params as { bundleSlotProbability: readonly [bigint, bigint] }).bundleSlotProbability = [
      1n,
      1n << 100n,
    ];
    expect(code(() => dc.submitBundle(bundle))).toBe('DECEX_BUNDLE_REJECTED:ThresholdUnsatisfied');
    (dc.params as { bundleSlotProbability: readonly [bigint, bigint] }).bundleSlotProbability =
      strict.bundleSlotProbability;
    // accepted once; the duplicate is an equivocation
    expect(code(() => dc.submitBundle(bundle))).toBe('accepted');
    expect(code(() => dc.submitBundle(bundle))).toMatch(/EquivocatedBundle|UnmatchedNewHeadReceipt/);
  });

  it('stale receipts and receipt gaps', () => {
    const { net, bundle } = ready();
    const dc = net.dc;
    const stale = net.operators[0]!.receiptAt(dc.headReceiptNumber - 1)!;
    expect(code(() => dc.submitBundle(withReceipt(bundle, () => stale)))).toBe(
      'DECEX_RECEIPT_REJECTED:StaleReceipt',
    );
    const gapHead = dc.headReceiptNumber;
    dc.headReceiptNumber = gapHead - 2; // as after a fraud proof two blocks back
    expect(code(() => dc.submitBundle(bundle))).toBe('DECEX_BUNDLE_REJECTED:UnexpectedReceiptGap');
    dc.headReceiptNumber = gapHead;
  });

  it('a fraud proof with a bad storage proof or for an unknown receipt is rejected', () => {
    const net = new Devnet({ operators: 2, pruningDepth: 3 });
    const [a, b] = net.users;
    net.gossip(
      signBalancesExtrinsic(a!.secretKey, a!.publicKey, 0, 3n, {
        type: 'Transfer',
        dest: b!.publicKey,
        amount: AI3,
      }),
    );
    for (let i = 0; i < 3; i++) net.step();
    const er = net.dc.receiptAt(net.dc.headReceiptNumber)!;
    const h = receiptHash(er);
    const fp = {
      domainId: 0,
      badReceiptHash: h,
      maybeMmrProof: undefined,
      maybeDomainRuntimeCodeProof: undefined,
      proof: { type: 'InvalidBlockFees' as const, storageProof: [Uint8Array.of(1, 2, 3)] },
    };
    expect(code(() => net.dc.submitFraudProof(fp))).toBe(
      'DECEX_FRAUD_PROOF_REJECTED:InvalidBlockFeesFraudProof',
    );
    expect(code(() => net.dc.submitFraudProof({ ...fp, badReceiptHash: new Uint8Array(32) }))).toBe(
      'DECEX_FRAUD_PROOF_REJECTED:BadReceiptNotFound',
    );
    expect(code(() => net.dc.submitFraudProof({ ...fp, maybeMmrProof: net.chain.mmrProof(1) }))).toBe(
      'DECEX_FRAUD_PROOF_REJECTED:UnexpectedMmrProof',
    );
    expect(
      code(() =>
        net.dc.submitFraudProof({
          ...fp,
          proof: {
            type: 'ValidBundle',
            bundleWithProof: {
              bundle: net.bundlesByBlock.get(1)![0]!,
              bundleIndex: 0,
              bundleStorageProof: [],
            },
          },
        }),
      ),
    ).toBe('DECEX_FRAUD_PROOF_REJECTED:MissingMmrProof');
    expect(
      code(() =>
        net.dc.submitFraudProof({ ...fp, badReceiptHash: receiptHash(net.operators[0]!.genesisReceipt) }),
      ),
    ).toMatch(/ChallengingGenesisReceipt|BadReceiptNotFound/);
    expect(net.dc.receiptAt(er.domainBlockNumber)).toBeDefined();
    void hexOf;
  });
});

describe('domain block derivation pieces', () => {
  it('dedup keeps the first occurrence; each signer keeps its order; the slots are shuffled', () => {
    const s = (i: number) => new Uint8Array(32).fill(i);
    const x = (i: number) => Uint8Array.of(i);
    const txs = [
      { signer: s(1), extrinsic: x(1) },
      { signer: s(2), extrinsic: x(2) },
      { signer: s(1), extrinsic: x(3) },
      { signer: undefined, extrinsic: x(4) },
      { signer: s(2), extrinsic: x(2) }, // duplicate
      { signer: s(1), extrinsic: x(5) },
    ];
    const out = deduplicateAndShuffle(txs, extrinsicsShufflingSeed(new Uint8Array(32)));
    expect(out.length).toBe(5);
    const ofSigner1 = out.filter((t) => t.signer?.[0] === 1).map((t) => t.extrinsic[0]);
    expect(ofSigner1).toEqual([1, 3, 5]);
    expect(new Set(out.map((t) => t.extrinsic[0]))).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it('default bundle limits: integer division, (1,1) gives 6 bundles per block, below 1/6 fails', () => {
    const l = calculateMaxBundleWeightAndSize([1n, 1n]);
    expect(l.maxBundleSize).toBe(Math.floor(3_932_160 / 6));
    const l2 = calculateMaxBundleWeightAndSize([1n, 3n]);
    expect(l2.maxBundleSize).toBe(3_932_160 / 2);
    expect(code(() => calculateMaxBundleWeightAndSize([1n, 7n]))).toBe(
      'DECEX_STAKING_REJECTED:BundleLimitCalculationOverflow',
    );
    expect(executionTraceRoot([])).toBeUndefined();
    expect(bundleExtrinsicsRoot([]).length).toBe(32);
  });
});

describe('fraud proof index rules', () => {
  it('InvalidStateTransition indexes outside 1..L-2 are rejected with the spec reasons', async () => {
    const { verifyFraudProof, BalancesRuntime } = await import('../src/index.js');
    const net = new Devnet({ operators: 2, pruningDepth: 3 });
    const [a, b] = net.users;
    net.gossip(
      signBalancesExtrinsic(a!.secretKey, a!.publicKey, 0, 3n, {
        type: 'Transfer',
        dest: b!.publicKey,
        amount: AI3,
      }),
    );
    for (let i = 0; i < 3; i++) net.step();
    const n = net.operators[0]!.headNumber;
    const er = net.operators[0]!.receiptAt(n)!;
    const parent = net.operators[0]!.receiptAt(n - 1)!;
    const ctx = { badReceipt: er, parentReceipt: parent, mmr: net.chain, runtime: new BalancesRuntime() };
    const base = {
      domainId: 0,
      badReceiptHash: receiptHash(er),
      maybeMmrProof: undefined,
      maybeDomainRuntimeCodeProof: undefined,
    };
    const L = er.executionTrace.length;
    const apply = (index: number) => ({
      ...base,
      proof: {
        type: 'InvalidStateTransition' as const,
        executionProof: [],
        executionPhase: {
          type: 'ApplyExtrinsic' as const,
          extrinsicProof: [],
          mismatch: { type: 'StateRoot' as const, index },
        },
      },
    });
    expect(code(() => verifyFraudProof(apply(0), ctx))).toBe(
      'DECEX_FRAUD_PROOF_REJECTED:InvalidApplyExtrinsicTraceIndex',
    );
    expect(code(() => verifyFraudProof(apply(L - 1), ctx))).toBe(
      'DECEX_FRAUD_PROOF_REJECTED:InvalidApplyExtrinsicTraceIndex',
    );
    const longer = {
      ...base,
      proof: {
        type: 'InvalidStateTransition' as const,
        executionProof: [],
        executionPhase: { type: 'FinalizeBlock' as const, mismatch: { type: 'Longer' as const, index: L } },
      },
    };
    expect(code(() => verifyFraudProof(longer, ctx))).toBe(
      'DECEX_FRAUD_PROOF_REJECTED:InvalidLongerMismatchTraceIndex',
    );
    // a well-indexed proof against the honest receipt: the missing extrinsic proof is rejected
    expect(code(() => verifyFraudProof(apply(1), ctx))).toBe(
      'DECEX_FRAUD_PROOF_REJECTED:InvalidExtrinsicProof',
    );
  });
});
