/**
 * XDM inside domain bundles (decex §5 step 1d, §7a.7, §8): the relay extrinsic of `BalancesRuntime`
 * (credits once, replays and bad message proofs are illegal), block derivation's MMR check
 * (`InvalidXDM` at the first failing index, checking order against the other rules), and the
 * InvalidXDM fraud proof in both directions with its forgeries, on the test devnet.
 */
import { sr25519PairFromSeed } from '@autonomys/primitives';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AI3,
  BalancesRuntime,
  type Bundle,
  bundleExtrinsicsRoot,
  bundleWeight,
  type CrossDomainMessage,
  consensusRelayMessage,
  DecexError,
  decodeRelayMessageExtrinsic,
  deriveDomainBlock,
  type ExecutionReceipt,
  encodeMessage,
  encodeTransfer,
  executionTraceRoot,
  type FraudProof,
  genesisReceipt,
  hexOf,
  InMemoryConsensusChain,
  inboxNonceKey,
  inboxResponseKey,
  initDecex,
  type Message,
  outboxKey,
  readRuntimeTransfers,
  receiptHash,
  relayMessageExtrinsic,
  sealBundleHeader,
  signBalancesExtrinsic,
  TrieState,
  U256_MAX,
  verifyFraudProof,
  xdmVerifier,
} from '../src/index.js';
import { Devnet, DOMAIN_ID, keyOf } from './devnet.js';

beforeAll(async () => {
  await initDecex();
});

const receiver = sr25519PairFromSeed(new Uint8Array(32).fill(150)).publicKey;
const sender = new Uint8Array(32).fill(151);

function transferMessage(nonce: bigint, amount: bigint, channelId = 0n): Message {
  return {
    srcChainId: 'consensus',
    dstChainId: DOMAIN_ID,
    channelId,
    nonce,
    payload: {
      type: 'EndpointRequest',
      req: {
        srcEndpoint: 1n,
        dstEndpoint: 1n,
        payload: encodeTransfer({
          amount,
          sender: { chainId: 'consensus', accountId: { type: 'AccountId32', id: sender } },
          receiver: { chainId: DOMAIN_ID, accountId: { type: 'AccountId32', id: receiver } },
        }),
      },
      collectedFee: { srcChainFee: 0n, dstChainFee: 0n },
    },
    lastDeliveredMessageResponseNonce: undefined,
  };
}

/** The outbox writes of messages (for a consensus block's state). */
function outboxWrites(msgs: Message[]): [Uint8Array, Uint8Array][] {
  return msgs.map((m) => [outboxKey(m.dstChainId, m.channelId, m.nonce), encodeMessage(m)]);
}

/** A relay extrinsic of message `m` stored in block `n`, proven under `MmrRootHashes[at]`. */
function relayOf(chain: InMemoryConsensusChain, m: Message, n: number, at: number): Uint8Array {
  const messageProof = chain.storageProof(n, [outboxKey(m.dstChainId, m.channelId, m.nonce)]);
  return relayMessageExtrinsic(consensusRelayMessage(m, chain.mmrProof(n, at), messageProof));
}

/** The same relay with its MMR proof broken (the first item flipped). */
function withBadMmr(body: Uint8Array): Uint8Array {
  const msg = decodeRelayMessageExtrinsic(body)!;
  const p = msg.proof.consensusChainMmrProof;
  const items = p.proof.items.map((x, i) => (i === 0 ? x.map((b, j) => (j === 0 ? b ^ 1 : b)) : x));
  return relayMessageExtrinsic({
    ...msg,
    proof: { ...msg.proof, consensusChainMmrProof: { ...p, proof: { ...p.proof, items } } },
  } as CrossDomainMessage);
}

// ---------------------------------------------------------------------------------------------
// A small fixture: a consensus chain whose block 1 holds outbox messages, and derivation helpers.

const opKey = keyOf(1);
const user = keyOf(100);
const runtime = new BalancesRuntime({ chainId: DOMAIN_ID });
const genesis = BalancesRuntime.genesis([[user.publicKey, 1_000n * AI3]]);

function fixture() {
  const chain = new InMemoryConsensusChain();
  const msgs = [transferMessage(0n, 5n * AI3), transferMessage(1n, 7n * AI3)];
  chain.addBlock(outboxWrites(msgs)); // block 1
  for (let i = 0; i < 3; i++) chain.addBlock([]); // blocks 2..4
  const at = 3; // MmrRootHashes[3]: leaves of blocks 0..2
  return {
    chain,
    msgs,
    relay: (i: number) => relayOf(chain, msgs[i]!, 1, at),
  };
}

function bundleOf(exts: Uint8Array[], weight = bundleWeight(runtime, exts)): Bundle {
  const g = genesisReceipt(TrieState.fromEntries(genesis).root());
  const header = {
    proofOfElection: {
      domainId: DOMAIN_ID,
      slotNumber: 1n,
      proofOfTime: new Uint8Array(16),
      vrfSignature: { preOutput: new Uint8Array(32).fill(3), proof: new Uint8Array(64).fill(4) },
      operatorId: 0n,
    },
    receipt: g,
    estimatedBundleWeight: weight,
    bundleExtrinsicsRoot: bundleExtrinsicsRoot(exts),
  };
  return { sealedHeader: sealBundleHeader(header, opKey.secretKey, opKey.publicKey), extrinsics: exts };
}

/** Derives the block of consensus block `at` (default the chain's best) on top of `state`. */
function derive(
  f: ReturnType<typeof fixture>,
  bundles: Bundle[],
  state = TrieState.fromEntries(genesis),
  parent: ExecutionReceipt = genesisReceipt(TrieState.fromEntries(genesis).root()),
  at = f.chain.best.number,
) {
  const roots = { mmrRoot: (x: number) => (x >= 1 && x <= at ? f.chain.mmr.root(BigInt(x)) : undefined) };
  return deriveDomainBlock(
    runtime,
    { receipt: parent, receiptHash: receiptHash(parent) },
    state,
    {
      number: at,
      hash: f.chain.blocks[at]!.hash,
      blockRandomness: new Uint8Array(32).fill(at),
      timestamp: 6000n,
      consensusTransactionByteFee: 1n,
    },
    bundles,
    { verifyXdm: xdmVerifier(runtime, roots, at), txRange: U256_MAX },
  );
}

const balance = (s: TrieState) => runtime.account(s, receiver).free;
const signed = (nonce: number) =>
  signBalancesExtrinsic(user.secretKey, user.publicKey, nonce, 1n, {
    type: 'Transfer',
    dest: receiver,
    amount: 1n,
  });

describe('the relay extrinsic (BalancesRuntime)', () => {
  it('a relayed transporter transfer credits the receiver once and records transfers_in', () => {
    const f = fixture();
    const b = derive(f, [bundleOf([f.relay(0)])]);
    expect(b.verdicts[0]!.type).toBe('Valid');
    expect(balance(b.state)).toBe(5n * AI3);
    expect(readRuntimeTransfers(b.state).transfersIn.get('consensus')).toBe(5n * AI3);
    expect(b.receipt.transfers.transfersIn.get('consensus')).toBe(5n * AI3);
    expect(b.state.get(inboxNonceKey('consensus', 0n))![0]).toBe(1);
    expect(b.state.get(inboxResponseKey('consensus', 0n, 0n))).toBeDefined();
    // the same relay in two bundles of one block: both valid on the parent state, deduplicated
    const f2 = fixture();
    const two = derive(f2, [bundleOf([f2.relay(0)]), bundleOf([f2.relay(0), f2.relay(1)])]);
    expect(two.verdicts.map((v) => v.type)).toEqual(['Valid', 'Valid']);
    expect(balance(two.state)).toBe(12n * AI3);
  });

  it('a replay is an illegal transaction, in the same bundle and in a later block; nothing is credited twice', () => {
    const f = fixture();
    const same = derive(f, [bundleOf([f.relay(0), f.relay(0)])]);
    expect(same.verdicts[0]).toEqual({ type: 'Invalid', invalid: { type: 'IllegalTx', index: 1 } });
    const first = derive(f, [bundleOf([f.relay(0)])]);
    const parentTrie = first.state.toTrie();
    const again = derive(
      f,
      [bundleOf([f.relay(0)])],
      TrieState.fromProof(parentTrie.root, [...parentTrie.db.values()]),
      first.receipt,
    );
    expect(again.verdicts[0]).toEqual({ type: 'Invalid', invalid: { type: 'IllegalTx', index: 0 } });
    expect(balance(again.state)).toBe(5n * AI3);
    // a gap (nonce 1 before 0) is illegal too
    expect(derive(f, [bundleOf([f.relay(1)])]).verdicts[0]).toEqual({
      type: 'Invalid',
      invalid: { type: 'IllegalTx', index: 0 },
    });
  });

  it('a bad message proof (good MMR proof) is IllegalTx; the MMR check passes', () => {
    const f = fixture();
    const msg = decodeRelayMessageExtrinsic(f.relay(0))!;
    const cases: CrossDomainMessage[] = [
      { ...msg, proof: { ...msg.proof, messageProof: [] } } as CrossDomainMessage,
      // the proof of another outbox entry under a key that does not match the message
      { ...msg, nonce: 1n },
      // a proof of nonce 0 relabelled as another channel
      { ...msg, channelId: 9n },
      // a message for another domain
      { ...msg, dstChainId: 5 },
    ];
    for (const c of cases) {
      const b = derive(f, [bundleOf([relayMessageExtrinsic(c)])]);
      expect(b.verdicts[0]).toEqual({ type: 'Invalid', invalid: { type: 'IllegalTx', index: 0 } });
      expect(balance(b.state)).toBe(0n);
    }
    // a message that is not a transfer to a domain account
    const notTransfer: Message = { ...transferMessage(0n, 1n), payload: { type: 'ProtocolChannelClose' } };
    const g = new InMemoryConsensusChain();
    g.addBlock(outboxWrites([notTransfer]));
    for (let i = 0; i < 3; i++) g.addBlock([]);
    const gf = { ...f, chain: g };
    const b = derive(gf, [bundleOf([relayOf(g, notTransfer, 1, 3)])]);
    expect(b.verdicts[0]).toEqual({ type: 'Invalid', invalid: { type: 'IllegalTx', index: 0 } });
  });

  it('codec: relay extrinsics round trip; random bytes never throw in inspect / check / apply', () => {
    const f = fixture();
    const good = f.relay(0);
    expect(relayMessageExtrinsic(decodeRelayMessageExtrinsic(good)!)).toEqual(good);
    expect(decodeRelayMessageExtrinsic(good.subarray(0, good.length - 1))).toBeUndefined();
    expect(decodeRelayMessageExtrinsic(Uint8Array.of(...good, 0))).toBeUndefined();
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
        fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
        fc.nat(0xffff),
        (channelId, nonce, dst) => {
          const msg = decodeRelayMessageExtrinsic(good)!;
          const m = { ...msg, channelId, nonce, dstChainId: dst };
          const x = relayMessageExtrinsic(m);
          expect(decodeRelayMessageExtrinsic(x)).toEqual(m);
        },
      ),
      { numRuns: 50 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(good.length), (noise, cut) => {
        for (const body of [Uint8Array.of(4, ...noise), Uint8Array.of(...good.subarray(0, cut), ...noise)]) {
          const m = decodeRelayMessageExtrinsic(body);
          if (m !== undefined) expect(relayMessageExtrinsic(m)).toEqual(body);
          const s = TrieState.fromEntries(genesis);
          runtime.inspect(body);
          runtime.xdmMmrProof(body);
          runtime.checkExtrinsic(s, body);
          runtime.applyExtrinsic(s, body);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('block derivation step 1d: XDM MMR proofs', () => {
  it('the first failing XDM makes the bundle InvalidXDM(i) and nothing of it is applied', () => {
    const f = fixture();
    const b = derive(f, [bundleOf([f.relay(0), withBadMmr(f.relay(1)), withBadMmr(f.relay(1))])]);
    expect(b.verdicts[0]).toEqual({ type: 'Invalid', invalid: { type: 'InvalidXDM', index: 1 } });
    expect(balance(b.state)).toBe(0n);
    // an MMR proof newer than the derived consensus block, or with a root the chain never had
    const early = derive(f, [bundleOf([f.relay(0)])], undefined, undefined, 2);
    expect(early.verdicts[0]).toEqual({ type: 'Invalid', invalid: { type: 'InvalidXDM', index: 0 } });
    const msg = decodeRelayMessageExtrinsic(f.relay(0))!;
    const p = msg.proof.consensusChainMmrProof;
    const wrongRoot = relayMessageExtrinsic({
      ...msg,
      proof: { ...msg.proof, consensusChainMmrProof: { ...p, consensusBlockNumber: 4 } },
    } as CrossDomainMessage);
    expect(derive(f, [bundleOf([wrongRoot])]).verdicts[0]).toEqual({
      type: 'Invalid',
      invalid: { type: 'InvalidXDM', index: 0 },
    });
  });

  it('the smallest checking order wins against the other rules', () => {
    const f = fixture();
    const bad = withBadMmr(f.relay(0));
    const inherent = new Uint8Array(9);
    const v = (exts: Uint8Array[]) => derive(f, [bundleOf(exts)]).verdicts[0];
    // an earlier undecodable / inherent extrinsic comes first; a later one loses to the XDM
    expect(v([Uint8Array.of(0x77), bad])).toMatchObject({ invalid: { type: 'UndecodableTx', index: 0 } });
    expect(v([bad, Uint8Array.of(0x77)])).toMatchObject({ invalid: { type: 'InvalidXDM', index: 0 } });
    expect(v([inherent, bad])).toMatchObject({ invalid: { type: 'InherentExtrinsic', index: 0 } });
    expect(v([bad, inherent])).toMatchObject({ invalid: { type: 'InvalidXDM', index: 0 } });
    // an illegal transaction before the XDM wins (step e on the truncated list); after it, the XDM
    expect(v([signed(5), bad])).toMatchObject({ invalid: { type: 'IllegalTx', index: 0 } });
    expect(v([bad, signed(5)])).toMatchObject({ invalid: { type: 'InvalidXDM', index: 0 } });
    // valid XDMs and signed transfers together: valid, weights exact
    expect(v([signed(0), f.relay(0)])).toMatchObject({ type: 'Valid' });
  });
});

// ---------------------------------------------------------------------------------------------
// InvalidXDM fraud proofs on the test devnet (as fraud.test.ts does for the other kinds)

const MALICIOUS = 1;
const CRAFTER = 2;

function recraft(b: Bundle, exts: Uint8Array[], op: number): Bundle {
  const k = keyOf(1 + op);
  const header = {
    ...b.sealedHeader.header,
    bundleExtrinsicsRoot: bundleExtrinsicsRoot(exts),
    estimatedBundleWeight: bundleWeight(new BalancesRuntime(), exts),
  };
  return { sealedHeader: sealBundleHeader(header, k.secretKey, k.publicKey), extrinsics: exts };
}

/** A devnet whose consensus block 1 holds two transfers to `receiver` in its outbox. */
function xdmNet() {
  const net = new Devnet({ operators: 3, pruningDepth: 2 });
  const msgs = [transferMessage(0n, 5n * AI3), transferMessage(1n, 7n * AI3)];
  net.step({ writes: outboxWrites(msgs) });
  let guard = 0;
  while (net.operators[0]!.headNumber < 2 && guard++ < 20) net.step();
  return { net, msgs, relay: (i: number) => relayOf(net.chain, msgs[i]!, 1, 2) };
}

/**
 * Puts `exts` in a bundle of `op` (alone) until one is inboxed; returns the domain block number
 * derived from it.
 */
function inbox(net: Devnet, op: number, exts: Uint8Array[]): number {
  for (let i = 0; i < 20; i++) {
    const acc = net.step({ submitters: [op], craft: (o, b) => recraft(b, exts, o) });
    if (acc.length > 0) return net.operators[0]!.headNumber;
  }
  throw new Error('not inboxed');
}

/** The malicious operator alone submits until its `fault`y receipt of `target` is in; returns the proof. */
function lie(net: Devnet, target: number, fault: (er: ExecutionReceipt) => ExecutionReceipt) {
  let bad: ExecutionReceipt | undefined;
  for (let i = 0; i < 30 && bad === undefined; i++) {
    net.step({
      submitters: [MALICIOUS],
      tamper: (op, er) => (op === MALICIOUS && er.domainBlockNumber === target ? fault(er) : er),
    });
    const ev = net.events.find((e) => e.type === 'ReceiptAdded' && e.domainBlockNumber === target);
    if (ev?.type === 'ReceiptAdded') bad = net.dc.node(ev.receiptHash)!.receipt;
  }
  expect(bad).toBeDefined();
  const fp = net.pendingFraudProofs[0]!;
  expect(fp).toBeDefined();
  const parent = net.dc.receiptAt(target - 1) ?? net.operators[0]!.receiptAt(target - 1)!;
  const ctx = { badReceipt: bad!, parentReceipt: parent, mmr: net.chain, runtime: net.runtime };
  // the proof lands, the liar is slashed, the honest receipt confirms
  for (let i = 0; i < 10 && net.dc.latestConfirmed.domainBlockNumber < target; i++)
    net.step({ submitters: [0] });
  expect(net.events.some((e) => e.type === 'FraudProofProcessed')).toBe(true);
  expect(net.ledger.operatorStatus(net.operators[MALICIOUS]!.operatorId)?.type).toBe('Slashed');
  expect(hexOf(receiptHash(net.dc.latestConfirmed))).not.toBe(hexOf(receiptHash(bad!)));
  expect(net.dc.latestConfirmed.domainBlockNumber).toBeGreaterThanOrEqual(target);
  return { fp, ctx, honest: net.operators[0]!.receiptAt(target)! };
}

function rejection(f: () => void): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DecexError);
    const t = (e as DecexError).type as { code: string; reason?: string };
    expect(t.code).toBe('DECEX_FRAUD_PROOF_REJECTED');
    return t.reason;
  }
  return undefined;
}

type XdmData = Extract<
  Extract<FraudProof['proof'], { type: 'InvalidBundles' }>['proofData'],
  { type: 'InvalidXDMProofData' }
>;
function withData(fp: FraudProof, f: (d: XdmData) => XdmData): FraudProof {
  const p = fp.proof as Extract<FraudProof['proof'], { type: 'InvalidBundles' }>;
  return { ...fp, proof: { ...p, proofData: f(p.proofData as XdmData) } };
}

describe('InvalidXDM fraud proofs', () => {
  it('good-invalid: a bundle with a bad-MMR-proof XDM called Valid is proven; forgeries are rejected', () => {
    const { net, relay } = xdmNet();
    const target = inbox(net, CRAFTER, [withBadMmr(relay(0))]);
    const verdict = net.operators[0]!.receiptAt(target)!.inboxedBundles[0]!.bundle;
    expect(verdict).toEqual({ type: 'Invalid', invalid: { type: 'InvalidXDM', index: 0 } });
    const { fp, ctx, honest } = lie(net, target, (er) => ({
      ...er,
      inboxedBundles: er.inboxedBundles.map((b) =>
        b.bundle.type === 'Invalid'
          ? { ...b, bundle: { type: 'Valid' as const, digest: new Uint8Array(32) } }
          : b,
      ),
    }));
    expect(fp.proof).toMatchObject({
      type: 'InvalidBundles',
      isGoodInvalidFraudProof: true,
      invalidBundleType: { type: 'InvalidXDM', index: 0 },
      proofData: { type: 'InvalidXDMProofData' },
    });
    const data = (fp.proof as { proofData: XdmData }).proofData;
    expect(data.mmrRootProof).toBeDefined();
    expect(data.mmrRootProof!.mmrProof.consensusBlockNumber).toBeGreaterThan(3);
    // verifies against the bad receipt (roots still in the 1024 window)
    expect(rejection(() => verifyFraudProof(fp, ctx))).toBeUndefined();
    // the same proof against the honest receipt
    expect(rejection(() => verifyFraudProof(fp, { ...ctx, badReceipt: honest }))).toBe(
      'UnexpectedTargetedBundleEntry',
    );
    // claimed as bad-invalid it does not hold
    const asBad: FraudProof = {
      ...fp,
      proof: { ...fp.proof, isGoodInvalidFraudProof: false } as FraudProof['proof'],
    };
    expect(rejection(() => verifyFraudProof(asBad, ctx))).toBe('UnexpectedTargetedBundleEntry');
    // a tampered MMR root storage proof, another block's root, no root proof
    const rp = data.mmrRootProof!;
    const tamperedNode = rp.mmrRootStorageProof.map((n, i) =>
      i === 0 ? n.map((b, j) => (j === 5 ? b ^ 1 : b)) : n,
    );
    expect(
      rejection(() =>
        verifyFraudProof(
          withData(fp, (d) => ({ ...d, mmrRootProof: { ...rp, mmrRootStorageProof: tamperedNode } })),
          ctx,
        ),
      ),
    ).toBe('InvalidStorageProof');
    expect(
      rejection(() =>
        verifyFraudProof(
          withData(fp, (d) => ({ ...d, mmrRootProof: { ...rp, mmrRootStorageProof: [] } })),
          ctx,
        ),
      ),
    ).toBe('InvalidStorageProof');
    expect(
      rejection(() =>
        verifyFraudProof(
          withData(fp, (d) => ({ ...d, mmrRootProof: undefined })),
          ctx,
        ),
      ),
    ).toBe('UnexpectedInvalidBundleProofData');
    // a bad MMR proof of the root's consensus block
    const badMmr = {
      ...rp.mmrProof,
      proof: { ...rp.mmrProof.proof, items: rp.mmrProof.proof.items.slice(1) },
    };
    expect(
      rejection(() =>
        verifyFraudProof(
          withData(fp, (d) => ({ ...d, mmrRootProof: { ...rp, mmrProof: badMmr } })),
          ctx,
        ),
      ),
    ).toBe('BadMmrProof');
    // a wrong extrinsic proof: none, or the proof of another index
    expect(
      rejection(() =>
        verifyFraudProof(
          withData(fp, (d) => ({ ...d, extrinsicProof: [] })),
          ctx,
        ),
      ),
    ).toBe('InvalidExtrinsicProof');
    // the fraud proof through the block tree changes nothing when rejected
    const before = [net.dc.headReceiptNumber, net.dc.blockTree.size];
    const forged: FraudProof = {
      ...fp,
      badReceiptHash: receiptHash(net.dc.receiptAt(net.dc.headReceiptNumber)!),
    };
    expect(() => net.dc.submitFraudProof(forged)).toThrow(DecexError);
    expect([net.dc.headReceiptNumber, net.dc.blockTree.size]).toEqual(before);
  });

  it('bad-invalid: a valid XDM called InvalidXDM is proven; the honest receipt cannot be hit', () => {
    const { net, relay } = xdmNet();
    const target = inbox(net, CRAFTER, [relay(0)]);
    const honestBlock = net.operators[0]!.receiptAt(target)!;
    expect(honestBlock.inboxedBundles[0]!.bundle.type).toBe('Valid');
    expect(honestBlock.transfers.transfersIn.get('consensus')).toBe(5n * AI3);
    const { fp, ctx, honest } = lie(net, target, (er) => ({
      ...er,
      inboxedBundles: er.inboxedBundles.map((b, i) =>
        i === 0
          ? { ...b, bundle: { type: 'Invalid' as const, invalid: { type: 'InvalidXDM' as const, index: 0 } } }
          : b,
      ),
    }));
    expect(fp.proof).toMatchObject({
      type: 'InvalidBundles',
      isGoodInvalidFraudProof: false,
      invalidBundleType: { type: 'InvalidXDM', index: 0 },
    });
    expect((fp.proof as { proofData: XdmData }).proofData.mmrRootProof).toBeDefined();
    expect(rejection(() => verifyFraudProof(fp, ctx))).toBeUndefined();
    expect(rejection(() => verifyFraudProof(fp, { ...ctx, badReceipt: honest }))).toBe(
      'UnexpectedTargetedBundleEntry',
    );
    // claimed as good-invalid (the XDM proof is in fact valid) it does not hold
    const asGood: FraudProof = {
      ...fp,
      proof: { ...fp.proof, isGoodInvalidFraudProof: true } as FraudProof['proof'],
    };
    expect(
      rejection(() =>
        verifyFraudProof(asGood, {
          ...ctx,
          badReceipt: { ...ctx.badReceipt, inboxedBundles: honest.inboxedBundles },
        }),
      ),
    ).toBe('InvalidBundleFraudProof');
  });

  it('a replayed relay is IllegalTx; a receipt calling it valid is proven on the inbox nonce (good-invalid IllegalTx)', () => {
    const { net, relay } = xdmNet();
    inbox(net, CRAFTER, [relay(0)]);
    const target = inbox(net, CRAFTER, [relay(0)]);
    expect(net.operators[0]!.receiptAt(target)!.inboxedBundles[0]!.bundle).toEqual({
      type: 'Invalid',
      invalid: { type: 'IllegalTx', index: 0 },
    });
    const { fp, ctx } = lie(net, target, (er) => ({
      ...er,
      inboxedBundles: er.inboxedBundles.map((b) =>
        b.bundle.type === 'Invalid'
          ? { ...b, bundle: { type: 'Valid' as const, digest: new Uint8Array(32) } }
          : b,
      ),
    }));
    expect(fp.proof).toMatchObject({
      type: 'InvalidBundles',
      isGoodInvalidFraudProof: true,
      invalidBundleType: { type: 'IllegalTx', index: 0 },
    });
    expect(rejection(() => verifyFraudProof(fp, ctx))).toBeUndefined();
    // credited once
    const head = net.operators[0]!;
    expect(net.runtime.account(head.stateAt(head.headNumber)!, receiver).free).toBe(5n * AI3);
  });

  it('a wrong state root after a relay extrinsic is proven by re-executing it (InvalidStateTransition)', () => {
    const { net, relay } = xdmNet();
    const target = inbox(net, CRAFTER, [relay(0)]);
    const honestTrace = net.operators[0]!.receiptAt(target)!.executionTrace;
    // init, timestamp, byte fee, the relay, finalize
    expect(honestTrace).toHaveLength(5);
    const { fp, ctx, honest } = lie(net, target, (er) => {
      const t = er.executionTrace.map((h, i) => (i === 3 ? h.map((v, j) => (j === 0 ? v ^ 1 : v)) : h));
      return { ...er, executionTrace: t, executionTraceRoot: executionTraceRoot(t)!, finalStateRoot: t[4]! };
    });
    expect(fp.proof).toMatchObject({
      type: 'InvalidStateTransition',
      executionPhase: { type: 'ApplyExtrinsic', mismatch: { type: 'StateRoot', index: 3 } },
    });
    expect(rejection(() => verifyFraudProof(fp, ctx))).toBeUndefined();
    expect(rejection(() => verifyFraudProof(fp, { ...ctx, badReceipt: honest }))).toBe(
      'InvalidStateTransitionFraudProof',
    );
  });

  it('bad-invalid: a transaction that is no XDM called InvalidXDM is proven without an MMR root proof', () => {
    const { net } = xdmNet();
    const u = net.users[0]!;
    const tx = signBalancesExtrinsic(u.secretKey, u.publicKey, 0, 1n, {
      type: 'Transfer',
      dest: receiver,
      amount: 1n,
    });
    net.gossip(tx);
    let target = 0;
    for (let i = 0; i < 20 && target === 0; i++) {
      const acc = net.step({ submitters: [0] });
      if (acc.some((b) => b.extrinsics.length > 0)) target = net.operators[0]!.headNumber;
    }
    expect(target).toBeGreaterThan(0);
    const { fp, ctx } = lie(net, target, (er) => ({
      ...er,
      inboxedBundles: er.inboxedBundles.map((b) =>
        b.bundle.type === 'Valid' && hexOf(b.extrinsicsRoot) !== hexOf(bundleExtrinsicsRoot([]))
          ? { ...b, bundle: { type: 'Invalid' as const, invalid: { type: 'InvalidXDM' as const, index: 0 } } }
          : b,
      ),
    }));
    expect(fp.proof).toMatchObject({ type: 'InvalidBundles', isGoodInvalidFraudProof: false });
    const data = (fp.proof as { proofData: XdmData }).proofData;
    expect(data.mmrRootProof).toBeUndefined();
    expect(rejection(() => verifyFraudProof(fp, ctx))).toBeUndefined();
    // with an MMR root proof attached, or as good-invalid, it is rejected
    const asGood: FraudProof = {
      ...fp,
      proof: { ...fp.proof, isGoodInvalidFraudProof: true } as FraudProof['proof'],
    };
    const badCtx = {
      ...ctx,
      badReceipt: {
        ...ctx.badReceipt,
        inboxedBundles: ctx.badReceipt.inboxedBundles.map((b) =>
          b.bundle.type === 'Invalid'
            ? { ...b, bundle: { type: 'Valid' as const, digest: new Uint8Array(32) } }
            : b,
        ),
      },
    };
    expect(rejection(() => verifyFraudProof(asGood, badCtx))).toBe('InvalidBundleFraudProof');
  });
});
