/**
 * @autonomys/decex benchmarks: consensus-side bundle and receipt verification, the verification of
 * each fraud proof kind (the goal: under 10 ms excluding re-execution of the disputed
 * extrinsic), and executing a domain block of 1,000 transfers on the TypeScript runtime.
 *
 * Run: `node scripts/pnpm.mjs --filter @autonomys/decex bench` (about two minutes, most of it
 * signing the 1,000 transfers).
 */
import { type BenchCase, runBench } from '@autonomys/bench';
import { blake3, sr25519PairFromSeed } from '@autonomys/primitives';
import {
  AI3,
  BalancesRuntime,
  type Bundle,
  bundleExtrinsicsRoot,
  bundleWeight,
  consensusRelayMessage,
  deriveDomainBlock,
  type ExecutionReceipt,
  encodeMessage,
  encodeTransfer,
  executionTraceRoot,
  type FraudProof,
  initDecex,
  type Message,
  outboxKey,
  receiptHash,
  relayMessageExtrinsic,
  sealBundleHeader,
  signBalancesExtrinsic,
  TrieState,
  U256_MAX,
  verifyFraudProof,
} from '../src/index.js';
import { Devnet, potOf, SLOTS_PER_BLOCK } from '../test/devnet.js';

await initDecex();

// -- a devnet a few blocks in, with a fresh valid bundle for the next block --------------------
const net = new Devnet({ operators: 2, pruningDepth: 50 });
const [ua, ub] = net.users;
for (let n = 0; n < 4; n++)
  net.gossip(
    signBalancesExtrinsic(ua!.secretKey, ua!.publicKey, n, 5n, {
      type: 'Transfer',
      dest: ub!.publicKey,
      amount: AI3,
    }),
  );
for (let i = 0; i < 6; i++) net.step();
const C = net.blockNumber;
net.dc.initializeBlock(C, net.chain.best.hash);
const op0 = net.operators[0]!;
const stake = net.ledger.operatorStakeInfo(0, op0.operatorId)!;
let bundle: Bundle | undefined;
for (let s = 0; s < 600 && bundle === undefined; s++) {
  const slot = BigInt(C * SLOTS_PER_BLOCK + (s % SLOTS_PER_BLOCK));
  const input = {
    slot,
    proofOfTime: potOf(slot),
    operatorStake: stake.stake,
    totalStake: stake.total,
    bundleSlotProbability: net.dc.params.bundleSlotProbability,
  };
  const vrf = op0.elect(input);
  if (vrf !== undefined) bundle = op0.buildBundle(input, vrf, net.dc.expectedReceiptNumber(), net.dc.params);
}
if (bundle === undefined) throw new Error('no election');
const goodBundle = bundle;

// -- fraud proofs of each kind against tampered copies of the latest derived receipt ------------
// the latest block whose consensus block already has an MMR leaf (added with the next block)
const target = op0.headNumber - 1;
const honest = op0.receiptAt(target)!;
const parent = op0.receiptAt(target - 1)!;
const flip = (h: Uint8Array) => h.map((b, i) => (i === 0 ? b ^ 1 : b));
const withTrace = (er: ExecutionReceipt, t: Uint8Array[]) => ({
  ...er,
  executionTrace: t,
  executionTraceRoot: executionTraceRoot(t)!,
  finalStateRoot: t[t.length - 1]!,
});
const faults: [string, (er: ExecutionReceipt) => ExecutionReceipt][] = [
  [
    'InvalidStateTransition (apply)',
    (er) =>
      withTrace(
        er,
        er.executionTrace.map((h, i) => (i === 2 ? flip(h) : h)),
      ),
  ],
  [
    'InvalidStateTransition (init)',
    (er) =>
      withTrace(
        er,
        er.executionTrace.map((h, i) => (i === 0 ? flip(h) : h)),
      ),
  ],
  [
    'InvalidStateTransition (finalize)',
    (er) =>
      withTrace(
        er,
        er.executionTrace.map((h, i, a) => (i === a.length - 1 ? flip(h) : h)),
      ),
  ],
  // trace-length mismatches: a trace cut short (ApplyExtrinsic Shorter), one with an extra entry
  // (FinalizeBlock Longer)
  ['InvalidStateTransition (Shorter)', (er) => withTrace(er, er.executionTrace.slice(0, -1))],
  [
    'InvalidStateTransition (Longer)',
    (er) => withTrace(er, [...er.executionTrace, flip(er.executionTrace[er.executionTrace.length - 1]!)]),
  ],
  ['InvalidExtrinsicsRoot', (er) => ({ ...er, domainBlockExtrinsicRoot: flip(er.domainBlockExtrinsicRoot) })],
  [
    'ValidBundle',
    (er) => ({
      ...er,
      inboxedBundles: er.inboxedBundles.map((b) =>
        b.bundle.type === 'Valid'
          ? { ...b, bundle: { type: 'Valid' as const, digest: flip(b.bundle.digest) } }
          : b,
      ),
    }),
  ],
  [
    'InvalidBundles (IllegalTx, bad invalid)',
    (er) => ({
      ...er,
      inboxedBundles: er.inboxedBundles.map((b) => ({
        ...b,
        bundle: { type: 'Invalid' as const, invalid: { type: 'IllegalTx' as const, index: 0 } },
      })),
    }),
  ],
  ['InvalidDomainBlockHash', (er) => ({ ...er, domainBlockHash: flip(er.domainBlockHash) })],
  [
    'InvalidBlockFees',
    (er) => ({
      ...er,
      blockFees: { ...er.blockFees, domainExecutionFee: er.blockFees.domainExecutionFee + 1n },
    }),
  ],
  [
    'InvalidTransfers',
    (er) => ({ ...er, transfers: { ...er.transfers, transfersOut: new Map([['consensus' as const, 1n]]) } }),
  ],
];
const fraudCases: BenchCase[] = faults.map(([name, fault]) => {
  const bad = fault(honest);
  const fp = op0.checkReceipt(bad, net.chain) as FraudProof;
  if (fp === undefined) throw new Error(`no fraud proof for ${name}`);
  const ctx = { badReceipt: bad, parentReceipt: parent, mmr: net.chain, runtime: new BalancesRuntime() };
  verifyFraudProof(fp, ctx); // must hold
  return {
    name: `verify fraud proof: ${name}`,
    size: `${fp.proof.type}`,
    fn: () => verifyFraudProof(fp, ctx),
  };
});

// -- InvalidXDM: a devnet whose consensus block 1 holds a transfer in its outbox -----------------
const xnet = new Devnet({ operators: 3, pruningDepth: 50 });
const xmsg: Message = {
  srcChainId: 'consensus',
  dstChainId: 0,
  channelId: 0n,
  nonce: 0n,
  payload: {
    type: 'EndpointRequest',
    req: {
      srcEndpoint: 1n,
      dstEndpoint: 1n,
      payload: encodeTransfer({
        amount: AI3,
        sender: { chainId: 'consensus', accountId: { type: 'AccountId32', id: new Uint8Array(32) } },
        receiver: { chainId: 0, accountId: { type: 'AccountId32', id: ub!.publicKey } },
      }),
    },
    collectedFee: { srcChainFee: 0n, dstChainFee: 0n },
  },
  lastDeliveredMessageResponseNonce: undefined,
};
const xkey = outboxKey(0, 0n, 0n);
xnet.step({ writes: [[xkey, encodeMessage(xmsg)]] });
for (let i = 0; i < 3; i++) xnet.step();
const goodXdm = relayMessageExtrinsic(
  consensusRelayMessage(xmsg, xnet.chain.mmrProof(1, 2), xnet.chain.storageProof(1, [xkey])),
);
const badXdm = (() => {
  const p = xnet.chain.mmrProof(1, 2);
  const items = p.proof.items.map(flip);
  return relayMessageExtrinsic(
    consensusRelayMessage(xmsg, { ...p, proof: { ...p.proof, items } }, xnet.chain.storageProof(1, [xkey])),
  );
})();
/** Inboxes a bundle of operator 2 carrying `exts`; returns the domain block derived from it. */
function inboxXdm(exts: Uint8Array[]): number {
  for (let i = 0; i < 30; i++) {
    const acc = xnet.step({
      submitters: [2],
      craft: (o, b) => {
        const k = xnet.opKeys[o]!;
        const h = {
          ...b.sealedHeader.header,
          bundleExtrinsicsRoot: bundleExtrinsicsRoot(exts),
          estimatedBundleWeight: bundleWeight(rt, exts),
        };
        return { sealedHeader: sealBundleHeader(h, k.secretKey, k.publicKey), extrinsics: exts };
      },
      noWatch: true,
    });
    if (acc.length > 0) return xnet.operators[0]!.headNumber;
  }
  throw new Error('no XDM bundle inboxed');
}
const rt = new BalancesRuntime();
const xTargets = [inboxXdm([badXdm]), inboxXdm([goodXdm])];
xnet.step({ submitters: [0], noWatch: true }); // so the target blocks have MMR leaves
const xdmFaults: [string, number, (er: ExecutionReceipt) => ExecutionReceipt][] = [
  [
    'InvalidBundles (InvalidXDM, good invalid)',
    xTargets[0]!,
    (er) => ({
      ...er,
      inboxedBundles: er.inboxedBundles.map((b) => ({
        ...b,
        bundle: { type: 'Valid' as const, digest: new Uint8Array(32) },
      })),
    }),
  ],
  [
    'InvalidBundles (InvalidXDM, bad invalid)',
    xTargets[1]!,
    (er) => ({
      ...er,
      inboxedBundles: er.inboxedBundles.map((b) => ({
        ...b,
        bundle: { type: 'Invalid' as const, invalid: { type: 'InvalidXDM' as const, index: 0 } },
      })),
    }),
  ],
];
for (const [name, n, fault] of xdmFaults) {
  const x0 = xnet.operators[0]!;
  const bad = fault(x0.receiptAt(n)!);
  const fp = x0.checkReceipt(bad, xnet.chain) as FraudProof;
  if (fp?.proof.type !== 'InvalidBundles' || fp.proof.invalidBundleType.type !== 'InvalidXDM')
    throw new Error(`no InvalidXDM fraud proof for ${name}`);
  const ctx = { badReceipt: bad, parentReceipt: x0.receiptAt(n - 1)!, mmr: xnet.chain, runtime: rt };
  verifyFraudProof(fp, ctx); // must hold
  fraudCases.push({
    name: `verify fraud proof: ${name}`,
    size: 'InvalidBundles',
    fn: () => verifyFraudProof(fp, ctx),
  });
}

// -- a bundle of 1,000 transfers from 100 accounts ----------------------------------------------
process.stderr.write('  signing 1,000 transfers...\n');
const users = Array.from({ length: 100 }, (_, i) =>
  sr25519PairFromSeed(new Uint8Array(32).fill(0).map((_, j) => (j === 0 ? i + 1 : 7))),
);
const genesis = BalancesRuntime.genesis(users.map((u) => [u.publicKey, 1_000n * AI3] as const));
const txs: Uint8Array[] = [];
for (let n = 0; n < 10; n++)
  for (const [i, u] of users.entries())
    txs.push(
      signBalancesExtrinsic(u.secretKey, u.publicKey, n, 1n, {
        type: 'Transfer',
        dest: users[(i + 1) % 100]!.publicKey,
        amount: 1n,
      }),
    );
const rt0 = new BalancesRuntime();
const bigHeader = {
  ...goodBundle.sealedHeader.header,
  bundleExtrinsicsRoot: bundleExtrinsicsRoot(txs),
  estimatedBundleWeight: bundleWeight(rt0, txs),
};
const bigBundle: Bundle = {
  sealedHeader: sealBundleHeader(bigHeader, net.opKeys[0]!.secretKey, net.opKeys[0]!.publicKey),
  extrinsics: txs,
};
const genesisState = TrieState.fromEntries(genesis);
const genesisTrie = genesisState.toTrie();
const parentRef = { receipt: op0.genesisReceipt, receiptHash: receiptHash(op0.genesisReceipt) };
const consensus = {
  number: 1,
  hash: new Uint8Array(32),
  blockRandomness: blake3(new Uint8Array(16)),
  timestamp: 0n,
  consensusTransactionByteFee: 1n,
};
function execute(runtime: BalancesRuntime) {
  const state = TrieState.fromProof(genesisTrie.root, [...genesisTrie.db.values()]);
  const b = deriveDomainBlock(runtime, parentRef, state, consensus, [bigBundle], { txRange: U256_MAX });
  if (b.verdicts[0]!.type !== 'Valid') throw new Error('the 1,000-transfer bundle should be valid');
  return b;
}
/** The runtime without the batch-verification hint: every signature verified on its own. */
class OneByOne extends BalancesRuntime {
  override prepare(): void {}
}
const cached = new BalancesRuntime();
execute(cached);

const cases: BenchCase[] = [
  {
    name: 'validate bundle (consensus side, incl. VRF + signature)',
    size: `${goodBundle.extrinsics.length} tx`,
    fn: () => net.dc.validateBundle(goodBundle),
  },
  {
    name: 'verify execution receipt (block tree checks)',
    size: `ER #${goodBundle.sealedHeader.header.receipt.domainBlockNumber}`,
    fn: () => net.dc.verifyReceipt(goodBundle.sealedHeader.header.receipt),
  },
  ...fraudCases,
  {
    name: 'derive domain block: 1,000 transfers (signatures checked one by one)',
    size: '1,000 tx',
    fn: () => execute(new OneByOne()),
    samples: 2,
    warmup: false,
  },
  {
    name: 'derive domain block: 1,000 transfers (signatures batch-verified)',
    size: '1,000 tx',
    fn: () => execute(new BalancesRuntime()),
    samples: 2,
    warmup: false,
  },
  {
    name: 'derive domain block: 1,000 transfers (signatures cached)',
    size: '1,000 tx',
    fn: () => execute(cached),
    samples: 3,
  },
];

await runBench({ package: 'decex', cases, time: 300, iterations: 5 });
