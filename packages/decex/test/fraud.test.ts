import { beforeAll, describe, expect, it } from 'vitest';
import {
  AI3,
  type Bundle,
  bundleExtrinsicsRoot,
  DecexError,
  type ExecutionReceipt,
  executionTraceRoot,
  type FraudProof,
  hexOf,
  initDecex,
  receiptHash,
  sealBundleHeader,
  signBalancesExtrinsic,
  signerIdHash,
  signerInTxRange,
  verifyFraudProof,
  vrfHashU256,
} from '../src/index.js';

beforeAll(async () => {
  await initDecex();
});

import { Devnet, DOMAIN_ID } from './devnet.js';

const MALICIOUS = 1;
const CRAFTER = 2;

function withTrace(er: ExecutionReceipt, trace: Uint8Array[]): ExecutionReceipt {
  return {
    ...er,
    executionTrace: trace,
    executionTraceRoot: executionTraceRoot(trace)!,
    finalStateRoot: trace[trace.length - 1]!,
  };
}
const flip = (h: Uint8Array) => h.map((b, i) => (i === 0 ? b ^ 1 : b));

/**
 * Runs a devnet where the malicious operator alone submits the receipt of domain block `target`
 * after applying `fault`; the honest watchtower must catch it. Returns the net and the proof.
 */
function runFault(
  fault: (er: ExecutionReceipt) => ExecutionReceipt,
  opts: { craft?: (b: Bundle, op: number) => Bundle; craftAtBlock?: number; txs?: boolean } = {},
) {
  const net = new Devnet({ operators: 3, pruningDepth: 2 });
  const [a, b] = net.users;
  if (opts.txs !== false) {
    for (let n = 0; n < 3; n++)
      net.gossip(
        signBalancesExtrinsic(a!.secretKey, a!.publicKey, n, 7n, {
          type: 'Transfer',
          dest: b!.publicKey,
          amount: AI3,
        }),
      );
  }
  // warm up until the domain has a few blocks
  let guard = 0;
  while (net.operators[0]!.headNumber < 2 && guard++ < 20) net.step();
  // optionally a crafted bundle from the honest operator, inboxed in its own block
  if (opts.craft) {
    let done = false;
    for (let i = 0; i < 20 && !done; i++) {
      const acc = net.step({ submitters: [CRAFTER], craft: (op, bundle) => opts.craft!(bundle, op) });
      done = acc.length > 0;
    }
  }
  const target =
    net.dc.expectedReceiptNumber() === net.dc.headReceiptNumber
      ? net.dc.headReceiptNumber + 1
      : net.dc.expectedReceiptNumber();
  let badHash: Uint8Array | undefined;
  for (let i = 0; i < 30 && badHash === undefined; i++) {
    net.step({
      submitters: [MALICIOUS],
      tamper: (op, er) => (op === MALICIOUS && er.domainBlockNumber === target ? fault(er) : er),
    });
    const ev = net.events.find((e) => e.type === 'ReceiptAdded' && e.domainBlockNumber === target);
    if (ev?.type === 'ReceiptAdded') badHash = ev.receiptHash;
  }
  if (badHash === undefined) console.log(net.rejections);
  expect(badHash).toBeDefined();
  const honest = net.operators[0]!.receiptAt(target)!;
  expect(hexOf(badHash!)).not.toBe(hexOf(receiptHash(honest)));
  const fp = net.pendingFraudProofs[0];
  expect(fp).toBeDefined();
  const maliciousId = net.operators[MALICIOUS]!.operatorId;
  // the fraud proof lands in the next block
  for (let i = 0; i < 10 && net.dc.latestConfirmed.domainBlockNumber < target; i++)
    net.step({ submitters: [0] });
  expect(net.fraudProofsSubmitted.map((f) => hexOf(f.badReceiptHash))).toContain(hexOf(badHash!));
  expect(net.events.some((e) => e.type === 'FraudProofProcessed')).toBe(true);
  expect(net.ledger.operatorStatus(maliciousId)?.type).toBe('Slashed');
  // the honest receipt replaced the bad one and later blocks confirm
  expect(hexOf(receiptHash(net.dc.receiptAt(target) ?? net.dc.latestConfirmed))).toBeDefined();
  expect(net.dc.latestConfirmed.domainBlockNumber).toBeGreaterThanOrEqual(target);
  expect(net.operators[0]!.receiptAt(target)).toEqual(honest);
  return { net, fp: fp!, honest, target };
}

describe('fraud proofs: each fault kind is caught, verified, the bad ER pruned and its operator slashed', () => {
  it('InvalidStateTransition (ApplyExtrinsic): a wrong state root mid-trace', () => {
    const { fp } = runFault((er) => {
      const t = [...er.executionTrace];
      t[2] = flip(t[2]!);
      return withTrace(er, t);
    });
    expect(fp.proof.type).toBe('InvalidStateTransition');
    if (fp.proof.type === 'InvalidStateTransition')
      expect(fp.proof.executionPhase).toMatchObject({
        type: 'ApplyExtrinsic',
        mismatch: { type: 'StateRoot', index: 2 },
      });
  });

  it('InvalidStateTransition (InitializeBlock): a wrong first trace entry', () => {
    const { fp } = runFault((er) => {
      const t = [...er.executionTrace];
      t[0] = flip(t[0]!);
      return withTrace(er, t);
    });
    expect(fp.proof).toMatchObject({
      type: 'InvalidStateTransition',
      executionPhase: { type: 'InitializeBlock' },
    });
  });

  it('InvalidStateTransition (FinalizeBlock): a wrong final state root', () => {
    const { fp } = runFault((er) => {
      const t = [...er.executionTrace];
      t[t.length - 1] = flip(t[t.length - 1]!);
      return withTrace(er, t);
    });
    expect(fp.proof).toMatchObject({
      type: 'InvalidStateTransition',
      executionPhase: { type: 'FinalizeBlock' },
    });
  });

  /** `fp` checked against the honest receipt of the same block (and its parent): rejected with `reason`. */
  function rejectedAgainstHonest(net: Devnet, fp: FraudProof, target: number, reason: string) {
    const honest = net.operators[0]!;
    let err: unknown;
    try {
      verifyFraudProof(fp, {
        badReceipt: honest.receiptAt(target)!,
        parentReceipt: honest.receiptAt(target - 1)!,
        mmr: net.chain,
        runtime: net.runtime,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DecexError);
    expect((err as DecexError).type).toMatchObject({ code: 'DECEX_FRAUD_PROOF_REJECTED', reason });
  }

  it('InvalidStateTransition (ApplyExtrinsic::Shorter): a trace cut before its last entries', () => {
    let cut = 0;
    const { net, fp, honest, target } = runFault((er) => {
      // drop the finalize entry and the last extrinsic's entry: a strict prefix of the honest trace
      cut = er.executionTrace.length - 2;
      return withTrace(er, er.executionTrace.slice(0, cut));
    });
    expect(cut).toBeGreaterThanOrEqual(2);
    expect(fp.proof).toMatchObject({
      type: 'InvalidStateTransition',
      executionPhase: { type: 'ApplyExtrinsic', mismatch: { type: 'Shorter' } },
    });
    expect(honest.executionTrace.length).toBe(cut + 2);
    // aimed at the correct receipt, the same proof names an extrinsic the block does not have
    const p = fp.proof as Extract<FraudProof['proof'], { type: 'InvalidStateTransition' }>;
    expect(p.executionPhase.type).toBe('ApplyExtrinsic');
    rejectedAgainstHonest(net, fp, target, 'InvalidExtrinsicProof');
  });

  it('InvalidStateTransition (FinalizeBlock::Longer): extra entries after the final state', () => {
    const { net, fp, honest, target } = runFault((er) =>
      withTrace(er, [...er.executionTrace, new Uint8Array(32).fill(0x5a), new Uint8Array(32).fill(0x5b)]),
    );
    expect(fp.proof).toMatchObject({
      type: 'InvalidStateTransition',
      executionPhase: {
        type: 'FinalizeBlock',
        mismatch: { type: 'Longer', index: honest.executionTrace.length - 1 },
      },
    });
    // against the correct receipt the index is its last one, which `Longer` may not name
    rejectedAgainstHonest(net, fp, target, 'InvalidLongerMismatchTraceIndex');
  });

  it('InvalidStateTransition (FinalizeBlock::StateRoot): a shorter trace whose last entry is wrong', () => {
    const { fp } = runFault((er) => {
      const t = er.executionTrace.slice(0, er.executionTrace.length - 1);
      t[t.length - 1] = flip(t[t.length - 1]!);
      return withTrace(er, t);
    });
    expect(fp.proof).toMatchObject({
      type: 'InvalidStateTransition',
      executionPhase: { type: 'FinalizeBlock', mismatch: { type: 'StateRoot' } },
    });
  });

  it('InvalidExtrinsicsRoot: a wrong domain block extrinsics root', () => {
    const { fp } = runFault((er) => ({ ...er, domainBlockExtrinsicRoot: flip(er.domainBlockExtrinsicRoot) }));
    expect(fp.proof.type).toBe('InvalidExtrinsicsRoot');
    expect(fp.maybeMmrProof).toBeDefined();
  });

  it('ValidBundle: a wrong Valid bundle digest', () => {
    const { fp } = runFault((er) => ({
      ...er,
      inboxedBundles: er.inboxedBundles.map((b) =>
        b.bundle.type === 'Valid' ? { ...b, bundle: { type: 'Valid', digest: flip(b.bundle.digest) } } : b,
      ),
    }));
    expect(fp.proof.type).toBe('ValidBundle');
  });

  it('InvalidBundles (bad invalid): a valid bundle claimed IllegalTx(0)', () => {
    const { fp } = runFault((er) => ({
      ...er,
      inboxedBundles: er.inboxedBundles.map((b) => ({
        ...b,
        bundle: { type: 'Invalid', invalid: { type: 'IllegalTx', index: 0 } },
      })),
    }));
    expect(fp.proof).toMatchObject({
      type: 'InvalidBundles',
      isGoodInvalidFraudProof: false,
      invalidBundleType: { type: 'IllegalTx', index: 0 },
    });
  });

  it('InvalidDomainBlockHash: a wrong domain block hash', () => {
    const { fp } = runFault((er) => ({ ...er, domainBlockHash: flip(er.domainBlockHash) }));
    expect(fp.proof.type).toBe('InvalidDomainBlockHash');
  });

  it('InvalidBlockFees: wrong block fees', () => {
    const { fp } = runFault((er) => ({
      ...er,
      blockFees: { ...er.blockFees, domainExecutionFee: er.blockFees.domainExecutionFee + 1n },
    }));
    expect(fp.proof.type).toBe('InvalidBlockFees');
  });

  it('InvalidTransfers: wrong transfers', () => {
    const { fp } = runFault((er) => ({
      ...er,
      transfers: { ...er.transfers, transfersOut: new Map([['consensus', 5n]]) },
    }));
    expect(fp.proof.type).toBe('InvalidTransfers');
  });

  // Good-invalid proofs: an honest operator's crafted bad bundle is inboxed; the malicious receipt calls it Valid.
  const goodInvalid = (name: string, craft: (b: Bundle, op: number, net?: unknown) => Bundle, kind: string) =>
    it(`InvalidBundles (good invalid, ${name})`, () => {
      const { fp } = runFault(
        (er) => ({
          ...er,
          inboxedBundles: er.inboxedBundles.map((b) =>
            b.bundle.type === 'Invalid'
              ? { ...b, bundle: { type: 'Valid', digest: new Uint8Array(32).fill(9) } }
              : b,
          ),
        }),
        { craft },
      );
      expect(fp.proof).toMatchObject({
        type: 'InvalidBundles',
        isGoodInvalidFraudProof: true,
        invalidBundleType: { type: kind },
      });
    });
  const recraft = (
    b: Bundle,
    exts: Uint8Array[],
    op: number,
    weight?: { refTime: bigint; proofSize: bigint },
  ) => {
    const k = keysFor(op);
    const header = {
      ...b.sealedHeader.header,
      bundleExtrinsicsRoot: bundleExtrinsicsRoot(exts),
      estimatedBundleWeight: weight ?? b.sealedHeader.header.estimatedBundleWeight,
    };
    return { sealedHeader: sealBundleHeader(header, k.secretKey, k.publicKey), extrinsics: exts };
  };
  goodInvalid('UndecodableTx', (b, op) => recraft(b, [Uint8Array.of(0x77, 1, 2)], op), 'UndecodableTx');
  goodInvalid('InherentExtrinsic', (b, op) => recraft(b, [new Uint8Array(9)], op), 'InherentExtrinsic');
  const userInRange = (b: Bundle, inRange: boolean) => {
    const vrf = vrfHashU256(b.sealedHeader.header.proofOfElection.vrfSignature);
    for (let i = 0; ; i++) {
      const u = keysForUser(i);
      if (signerInTxRange(vrf, signerIdHash(u.publicKey)) === inRange) return u;
    }
  };
  goodInvalid(
    'IllegalTx',
    (b, op) => {
      const u = userInRange(b, true);
      return recraft(
        b,
        [
          signBalancesExtrinsic(u.secretKey, u.publicKey, 99, 7n, {
            type: 'Transfer',
            dest: u.publicKey,
            amount: 1n,
          }),
        ],
        op,
      );
    },
    'IllegalTx',
  );
  goodInvalid(
    'OutOfRangeTx',
    (b, op) => {
      const u = userInRange(b, false);
      return recraft(
        b,
        [
          signBalancesExtrinsic(u.secretKey, u.publicKey, 0, 7n, {
            type: 'Transfer',
            dest: u.publicKey,
            amount: 1n,
          }),
        ],
        op,
      );
    },
    'OutOfRangeTx',
  );
  goodInvalid(
    'InvalidBundleWeight',
    (b, op) => recraft(b, [], op, { refTime: 1n, proofSize: 0n }),
    'InvalidBundleWeight',
  );

  it('a fraud proof against a correct receipt is rejected and changes nothing', () => {
    const { net, fp, target } = runFault((er) => ({ ...er, domainBlockHash: flip(er.domainBlockHash) }));
    // aim the same proof at the honest receipt that replaced the bad one
    const honestHash = net.dc.blockTree.get(target);
    if (honestHash === undefined) return; // already confirmed: then try the head
    const forged: FraudProof = { ...fp, badReceiptHash: Uint8Array.from(Buffer.from(honestHash, 'hex')) };
    const before = [net.dc.headReceiptNumber, net.dc.blockTree.size];
    expect(() => net.dc.submitFraudProof(forged)).toThrow(DecexError);
    try {
      net.dc.submitFraudProof(forged);
    } catch (e) {
      expect((e as DecexError).type).toMatchObject({
        code: 'DECEX_FRAUD_PROOF_REJECTED',
        reason: 'InvalidDomainBlockHashFraudProof',
      });
    }
    expect([net.dc.headReceiptNumber, net.dc.blockTree.size]).toEqual(before);
  });
});

import { keyOf } from './devnet.js';

function keysFor(op: number) {
  return keyOf(1 + op);
}
function keysForUser(i: number) {
  return keyOf(100 + i);
}
void DOMAIN_ID;
