/**
 * Fraud proofs (decex §7): verification of every variant on the consensus side and generation by
 * an honest operator or watchtower that re-executes the block and proves the first mismatch.
 *
 * Compatibility: envelope and variant codecs, MMR and consensus storage-proof checks, the bundle
 * and extrinsics-root rules and the storage-proof variants (block hash, fees, transfers) follow the
 * network, and so does the InvalidXDM rule (decex §7a.7: `MmrRootHashes[X]` storage-proven in a
 * consensus state anchored by an MMR proof, the XDM's MMR proof verified statelessly against it).
 * Everything that executes domain code (InvalidStateTransition, IllegalTx, weights, decodability,
 * inherent detection, which extrinsic is an XDM, Valid bundle digests) runs our `DomainRuntime`
 * over storage proofs instead of the domain's WASM, so those proofs verify against the TS runtime
 * only.
 */
import { encodeCompact } from '@autonomys/primitives';
import { bundleWeight, type DerivedBlock, deduplicateAndShuffle, type SignedExtrinsic } from './block.js';
import {
  bundleDigestHash,
  bundleHash,
  type DomainHeader,
  domainBlockHash,
  encodeOpaqueExtrinsic,
  extrinsicDigest,
} from './bundle.js';
import {
  blockInherentExtrinsicDataKey,
  type ConsensusProofSource,
  mmrRootHashesKey,
  successfulBundlesKey,
} from './chain.js';
import { decodeWith, encodeWith, h256, vec } from './codec.js';
import { DecexError, fraudProofRejected } from './errors.js';
import { type MmrRootSource, verifyMmrProofAndExtractLeaf } from './mmr.js';
import {
  type BlockContext,
  type DomainRuntime,
  decodeStoredDigest,
  OverlayState,
  RecordingState,
} from './runtime.js';
import {
  buildTrie,
  createStorageProof,
  orderedTrieRoot,
  readStorageProof,
  TrieState,
  type TrieValue,
} from './trie.js';
import {
  type Bundle,
  type BundleValidity,
  blockFeesCodec,
  type ConsensusChainMmrLeafProof,
  checkingOrder,
  type ExecutionReceipt,
  type ExtrinsicDigest,
  type FraudProof,
  type H256,
  type InherentExtrinsicData,
  type InvalidBundleType,
  inherentExtrinsicDataCodec,
  type MmrRootProof,
  type OpaqueBundleWithProof,
  transfersCodec,
} from './types.js';
import { DEFAULT_TX_RANGE, signerIdHash, signerInTxRange, vrfHashU256 } from './vrf.js';
import { xdmMmrProofHolds } from './xdm-relay.js';

/** What verification needs: the disputed receipt, its parent, the consensus MMR roots, the runtime. */
export interface FraudProofContext {
  badReceipt: ExecutionReceipt;
  parentReceipt: ExecutionReceipt;
  mmr: MmrRootSource;
  runtime: DomainRuntime;
  /** tx range for OutOfRangeTx (default U256::MAX / 3) */
  txRange?: bigint;
}

function eq(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Runs `f`, mapping proof/encoding failures to the variant's rejection. */
function guarded<T>(reason: Parameters<typeof fraudProofRejected>[0], f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DecexError && e.type.code === 'DECEX_FRAUD_PROOF_REJECTED') throw e;
    if (e instanceof DecexError) throw fraudProofRejected(reason, e.message);
    throw e;
  }
}

/** `verify_mmr_proof_and_extract_state_root`: the consensus state root at `expected`. */
function consensusStateRoot(
  ctx: FraudProofContext,
  p: ConsensusChainMmrLeafProof | undefined,
  expected: number,
): H256 {
  if (p === undefined) throw fraudProofRejected('MissingMmrProof');
  let leaf: ReturnType<typeof verifyMmrProofAndExtractLeaf>;
  try {
    leaf = verifyMmrProofAndExtractLeaf(ctx.mmr, p);
  } catch (e) {
    throw fraudProofRejected('BadMmrProof', e instanceof Error ? e.message : String(e));
  }
  if (leaf.blockNumber !== expected)
    throw fraudProofRejected('UnexpectedMmrProof', `leaf of block ${leaf.blockNumber}`);
  return leaf.stateRoot;
}

/** Checks `bundle_with_proof`: the bundle's hash is `SuccessfulBundles[domain][bundle_index]` in consensus state. */
function checkBundleInConsensus(
  domainId: number,
  stateRoot: H256,
  b: OpaqueBundleWithProof,
  reason: 'InvalidBundleFraudProof' | 'BadValidBundleFraudProof',
): void {
  const v = guarded('InvalidStorageProof', () =>
    readStorageProof(stateRoot, b.bundleStorageProof, successfulBundlesKey(domainId)),
  );
  if (v === undefined) throw fraudProofRejected('InvalidStorageProof', 'SuccessfulBundles not in state');
  const hashes = guarded('InvalidStorageProof', () => decodeWith(vec(h256, 32), v, 'SuccessfulBundles'));
  const h = hashes[b.bundleIndex];
  if (h === undefined || !eq(h, bundleHash(b.bundle)))
    throw fraudProofRejected(reason, 'bundle not in consensus state at that index');
}

function bundleEntries(runtime: DomainRuntime, bundle: Bundle): [Uint8Array | undefined, ExtrinsicDigest][] {
  return bundle.extrinsics.map((x) => [
    runtime.inspect(x)?.signer,
    extrinsicDigest(encodeOpaqueExtrinsic(x)),
  ]);
}

function header(
  er: ExecutionReceipt,
  parent: ExecutionReceipt,
  digest: Uint8Array[],
  stateRoot: H256,
  extrinsicsRoot: H256,
): DomainHeader {
  return {
    number: er.domainBlockNumber,
    parentHash: parent.domainBlockHash,
    stateRoot,
    extrinsicsRoot,
    digest,
  };
}

/**
 * Verifies a fraud proof's variant against the bad receipt. Returns normally iff the proof shows
 * the receipt wrong; otherwise throws `DECEX_FRAUD_PROOF_REJECTED` with the variant's reason.
 * (The block-tree pre-checks live in `DomainConsensus.submitFraudProof`.)
 */
export function verifyFraudProof(fp: FraudProof, ctx: FraudProofContext): void {
  const { badReceipt: er, parentReceipt: parent, runtime } = ctx;
  const p = fp.proof;
  if (p.type === 'InvalidDomainBlockHash' && fp.maybeDomainRuntimeCodeProof !== undefined)
    throw fraudProofRejected('UnexpectedDomainRuntimeCodeProof');
  const needsMmr =
    p.type === 'InvalidExtrinsicsRoot' || p.type === 'InvalidBundles' || p.type === 'ValidBundle';
  if (!needsMmr && fp.maybeMmrProof !== undefined) throw fraudProofRejected('UnexpectedMmrProof');
  if (needsMmr && fp.maybeMmrProof === undefined) throw fraudProofRejected('MissingMmrProof');

  switch (p.type) {
    case 'InvalidBlockFees': {
      const v = guarded('InvalidBlockFeesFraudProof', () =>
        readStorageProof(er.finalStateRoot, p.storageProof, runtime.keys.blockFees),
      );
      if (v === undefined) throw fraudProofRejected('InvalidBlockFeesFraudProof', 'no block fees in state');
      const bytes = guarded('InvalidBlockFeesFraudProof', () =>
        encodeWith(blockFeesCodec, decodeWith(blockFeesCodec, v, 'BlockFees')),
      );
      if (eq(bytes, encodeWith(blockFeesCodec, er.blockFees)))
        throw fraudProofRejected('InvalidBlockFeesFraudProof', 'fees match');
      return;
    }
    case 'InvalidTransfers': {
      const v = guarded('InvalidTransfersFraudProof', () =>
        readStorageProof(er.finalStateRoot, p.storageProof, runtime.keys.transfers),
      );
      if (v === undefined) throw fraudProofRejected('InvalidTransfersFraudProof', 'no transfers in state');
      const bytes = guarded('InvalidTransfersFraudProof', () =>
        encodeWith(transfersCodec, decodeWith(transfersCodec, v, 'Transfers')),
      );
      if (eq(bytes, encodeWith(transfersCodec, er.transfers)))
        throw fraudProofRejected('InvalidTransfersFraudProof', 'transfers match');
      return;
    }
    case 'InvalidDomainBlockHash': {
      const v = guarded('InvalidDomainBlockHashFraudProof', () =>
        readStorageProof(er.finalStateRoot, p.digestStorageProof, runtime.keys.digest),
      );
      if (v === undefined) throw fraudProofRejected('InvalidDomainBlockHashFraudProof', 'no digest in state');
      const digest = guarded('InvalidDomainBlockHashFraudProof', () => decodeStoredDigest(v));
      const h = domainBlockHash(header(er, parent, digest, er.finalStateRoot, er.domainBlockExtrinsicRoot));
      if (eq(h, er.domainBlockHash))
        throw fraudProofRejected('InvalidDomainBlockHashFraudProof', 'hash matches');
      return;
    }
    case 'InvalidStateTransition':
      verifyStateTransition(fp, ctx);
      return;
    case 'ValidBundle': {
      const root = consensusStateRoot(ctx, fp.maybeMmrProof, er.consensusBlockNumber);
      const b = p.bundleWithProof;
      checkBundleInConsensus(fp.domainId, root, b, 'BadValidBundleFraudProof');
      const entry = er.inboxedBundles[b.bundleIndex];
      if (entry === undefined || entry.bundle.type !== 'Valid')
        throw fraudProofRejected('BadValidBundleFraudProof', 'ER entry is not Valid');
      const digest = bundleDigestHash(bundleEntries(runtime, b.bundle));
      if (eq(digest, entry.bundle.digest))
        throw fraudProofRejected('BadValidBundleFraudProof', 'digest matches');
      return;
    }
    case 'InvalidExtrinsicsRoot': {
      const root = consensusStateRoot(ctx, fp.maybeMmrProof, er.consensusBlockNumber);
      const data = guarded('InvalidExtrinsicRootFraudProof', () => {
        const v = readStorageProof(root, p.invalidInherentExtrinsicProofs, blockInherentExtrinsicDataKey());
        if (v === undefined)
          throw fraudProofRejected('InvalidExtrinsicRootFraudProof', 'no inherent data in state');
        return decodeWith(inherentExtrinsicDataCodec, v, 'InherentExtrinsicData');
      });
      // Each valid bundle digest must hash to the ER's Valid entry, in order.
      const valid = er.inboxedBundles
        .map((b, i) => [b, i] as const)
        .filter(([b]) => b.bundle.type === 'Valid');
      if (valid.length !== p.validBundleDigests.length)
        throw fraudProofRejected('InvalidExtrinsicRootFraudProof', 'valid bundle count');
      const pairs: SignedExtrinsic[] = [];
      const digestOf = new Map<Uint8Array, ExtrinsicDigest>();
      p.validBundleDigests.forEach((d, k) => {
        const [entry, index] = valid[k]!;
        if (
          d.bundleIndex !== index ||
          entry.bundle.type !== 'Valid' ||
          !eq(bundleDigestHash(d.bundleDigest), entry.bundle.digest)
        )
          throw fraudProofRejected(
            'InvalidExtrinsicRootFraudProof',
            `bundle digest ${k} does not match the receipt`,
          );
        for (const [signer, xd] of d.bundleDigest) {
          // dedup compares extrinsics; equal encodings have equal digests and vice versa
          const id = encodeWith(
            {
              enc: (w, v: ExtrinsicDigest) =>
                v.type === 'Data' ? w.u8(0).vecU8(v.data) : w.u8(1).bytes(v.hash),
              dec: () => xd,
            },
            xd,
          );
          digestOf.set(id, xd);
          pairs.push({ signer, extrinsic: id });
        }
      });
      const ordered = deduplicateAndShuffle(pairs, data.extrinsicsShufflingSeed);
      const ctxB = inherentContext(er, parent, data);
      const values: TrieValue[] = [
        ...runtime.inherents(ctxB).map(encodeOpaqueExtrinsic),
        ...ordered.map((t) => {
          const d = digestOf.get(t.extrinsic)!;
          return d.type === 'Data' ? d.data : { hash: d.hash };
        }),
      ];
      if (eq(orderedTrieRoot(values), er.domainBlockExtrinsicRoot))
        throw fraudProofRejected('InvalidExtrinsicRootFraudProof', 'extrinsics root matches');
      return;
    }
    case 'InvalidBundles':
      verifyInvalidBundles(fp, ctx);
      return;
  }
}

function inherentContext(
  er: ExecutionReceipt,
  parent: ExecutionReceipt,
  data: InherentExtrinsicData,
): BlockContext {
  return {
    number: er.domainBlockNumber,
    parentHash: parent.domainBlockHash,
    consensusBlockHash: er.consensusBlockHash,
    timestamp: data.timestamp,
    consensusTransactionByteFee: data.consensusTransactionByteFee,
  };
}

function verifyStateTransition(fp: FraudProof, ctx: FraudProofContext): void {
  const { badReceipt: er, parentReceipt: parent, runtime } = ctx;
  const p = fp.proof;
  if (p.type !== 'InvalidStateTransition') return;
  const trace = er.executionTrace;
  const L = trace.length;
  if (L < 2) throw fraudProofRejected('InvalidStateTransitionFraudProof', 'trace too short');
  const phase = p.executionPhase;
  let pre: H256;
  let post: H256;
  let run: (s: TrieState) => void;
  let isStateRootMismatch = true;
  if (phase.type === 'InitializeBlock') {
    pre = parent.finalStateRoot;
    post = trace[0]!;
    // Our inherent data (timestamp, byte fee) is applied as extrinsics, so initialization depends
    // only on the header fields the ER fixes.
    run = (s) =>
      runtime.initializeBlock(s, {
        number: er.domainBlockNumber,
        parentHash: parent.domainBlockHash,
        consensusBlockHash: er.consensusBlockHash,
        timestamp: 0n,
        consensusTransactionByteFee: 0n,
      });
  } else if (phase.type === 'ApplyExtrinsic') {
    let i: number;
    if (phase.mismatch.type === 'StateRoot') {
      i = phase.mismatch.index;
      if (i < 1 || i >= L - 1) throw fraudProofRejected('InvalidApplyExtrinsicTraceIndex');
    } else {
      i = L - 1;
      isStateRootMismatch = false;
    }
    pre = trace[i - 1]!;
    post = trace[i]!;
    const raw = guarded('InvalidExtrinsicProof', () =>
      readStorageProof(er.domainBlockExtrinsicRoot, phase.extrinsicProof, encodeCompact(i - 1)),
    );
    if (raw === undefined) throw fraudProofRejected('InvalidExtrinsicProof', `no extrinsic ${i - 1}`);
    const body = guarded('InvalidExtrinsicProof', () =>
      decodeWith({ enc: () => {}, dec: (r) => r.vecU8('extrinsic', r.remaining) }, raw, 'OpaqueExtrinsic'),
    );
    run = (s) => runtime.applyExtrinsic(s, body);
  } else {
    if (phase.mismatch.type === 'StateRoot') {
      pre = trace[L - 2]!;
      post = trace[L - 1]!;
    } else {
      const i = phase.mismatch.index;
      if (i < 1 || i >= L - 1) throw fraudProofRejected('InvalidLongerMismatchTraceIndex');
      pre = trace[i - 1]!;
      post = trace[i]!;
      isStateRootMismatch = false;
    }
    run = (s) => runtime.finalizeBlock(s);
  }
  const result = guarded('InvalidStateTransitionFraudProof', () => {
    const s = TrieState.fromProof(pre, p.executionProof);
    run(s);
    return s.root();
  });
  if (!eq(result, post) !== isStateRootMismatch)
    throw fraudProofRejected('InvalidStateTransitionFraudProof', 'execution agrees with the receipt');
}

/** `check_expected_bundle_entry` + per-kind predicate (decex §7 InvalidBundles). */
function verifyInvalidBundles(fp: FraudProof, ctx: FraudProofContext): void {
  const { badReceipt: er, parentReceipt: parent, runtime } = ctx;
  const p = fp.proof;
  if (p.type !== 'InvalidBundles') return;
  const root = consensusStateRoot(ctx, fp.maybeMmrProof, er.consensusBlockNumber);
  const entry = er.inboxedBundles[p.bundleIndex];
  if (entry === undefined) throw fraudProofRejected('InvalidBundleFraudProof', 'no such inboxed bundle');
  const t = p.invalidBundleType;
  // target check
  if (p.isGoodInvalidFraudProof) {
    const ok = entry.bundle.type === 'Valid' || checkingOrder(entry.bundle.invalid) > checkingOrder(t);
    if (!ok) throw fraudProofRejected('UnexpectedTargetedBundleEntry');
  } else if (entry.bundle.type !== 'Invalid' || !sameType(entry.bundle.invalid, t)) {
    throw fraudProofRejected('UnexpectedTargetedBundleEntry');
  }
  const data = p.proofData;
  // fast path: an ER claiming Invalid at an index beyond the bundle's length
  if (
    !p.isGoodInvalidFraudProof &&
    t.type !== 'InvalidBundleWeight' &&
    (data.type === 'Bundle' || data.type === 'BundleAndExecution')
  ) {
    checkBundleInConsensus(fp.domainId, root, data.bundleWithProof, 'InvalidBundleFraudProof');
    if (data.bundleWithProof.bundle.extrinsics.length <= t.index) return;
  }
  let holds: boolean;
  switch (t.type) {
    case 'UndecodableTx':
    case 'InherentExtrinsic': {
      if (data.type !== 'Extrinsic') throw fraudProofRejected('UnexpectedInvalidBundleProofData');
      const raw = guarded('InvalidExtrinsicProof', () =>
        readStorageProof(entry.extrinsicsRoot, data.proof, encodeCompact(t.index)),
      );
      if (raw === undefined) throw fraudProofRejected('InvalidExtrinsicProof', `no extrinsic ${t.index}`);
      const body = guarded('InvalidExtrinsicProof', () =>
        decodeWith({ enc: () => {}, dec: (r) => r.vecU8('extrinsic', r.remaining) }, raw, 'OpaqueExtrinsic'),
      );
      const info = runtime.inspect(body);
      holds = t.type === 'UndecodableTx' ? info === undefined : info?.isInherent === true;
      break;
    }
    case 'OutOfRangeTx':
    case 'InvalidBundleWeight': {
      if (data.type !== 'Bundle') throw fraudProofRejected('UnexpectedInvalidBundleProofData');
      if (data.bundleWithProof.bundleIndex !== p.bundleIndex)
        throw fraudProofRejected('UnexpectedInvalidBundleProofData');
      checkBundleInConsensus(fp.domainId, root, data.bundleWithProof, 'InvalidBundleFraudProof');
      const bundle = data.bundleWithProof.bundle;
      if (t.type === 'OutOfRangeTx') {
        const x = bundle.extrinsics[t.index];
        const signer = x === undefined ? undefined : runtime.inspect(x)?.signer;
        const vrf = vrfHashU256(bundle.sealedHeader.header.proofOfElection.vrfSignature);
        holds =
          signer !== undefined &&
          !signerInTxRange(vrf, signerIdHash(signer), ctx.txRange ?? DEFAULT_TX_RANGE);
      } else {
        const w = bundleWeight(runtime, bundle.extrinsics);
        const est = bundle.sealedHeader.header.estimatedBundleWeight;
        holds = w.refTime !== est.refTime || w.proofSize !== est.proofSize;
      }
      break;
    }
    case 'IllegalTx': {
      if (data.type !== 'BundleAndExecution') throw fraudProofRejected('UnexpectedInvalidBundleProofData');
      if (data.bundleWithProof.bundleIndex !== p.bundleIndex)
        throw fraudProofRejected('UnexpectedInvalidBundleProofData');
      checkBundleInConsensus(fp.domainId, root, data.bundleWithProof, 'InvalidBundleFraudProof');
      const exts = data.bundleWithProof.bundle.extrinsics.slice(0, t.index + 1);
      const state = guarded('InvalidBundleFraudProof', () =>
        TrieState.fromProof(parent.finalStateRoot, data.executionProof),
      );
      const firstFail = guarded('InvalidBundleFraudProof', () => {
        const o = new OverlayState(state);
        for (let i = 0; i < exts.length; i++) if (!runtime.checkExtrinsic(o, exts[i]!)) return i;
        return -1;
      });
      holds = firstFail === t.index;
      break;
    }
    case 'InvalidXDM': {
      if (data.type !== 'InvalidXDMProofData') throw fraudProofRejected('UnexpectedInvalidBundleProofData');
      // tx i from the bundle's extrinsics root; a proven absence is "not an XDM"
      const raw = guarded('InvalidExtrinsicProof', () =>
        readStorageProof(entry.extrinsicsRoot, data.extrinsicProof, encodeCompact(t.index)),
      );
      const body =
        raw === undefined
          ? undefined
          : guarded('InvalidExtrinsicProof', () =>
              decodeWith(
                { enc: () => {}, dec: (r) => r.vecU8('extrinsic', r.remaining) },
                raw,
                'OpaqueExtrinsic',
              ),
            );
      const xp = body === undefined ? undefined : runtime.xdmMmrProof?.(body);
      if (xp === undefined) {
        // no XDM MMR proof to be invalid: only "the receipt's InvalidXDM is wrong" can hold
        if (p.isGoodInvalidFraudProof || data.mmrRootProof !== undefined)
          throw fraudProofRejected('InvalidBundleFraudProof', 'the extrinsic carries no XDM MMR proof');
        return;
      }
      holds = !xdmProofValidAt(ctx, xp, data.mmrRootProof, er.consensusBlockNumber);
      break;
    }
  }
  if (holds !== p.isGoodInvalidFraudProof)
    throw fraudProofRejected('InvalidBundleFraudProof', 'the bundle verdict in the receipt is right');
}

/**
 * decex §7a.7 InvalidXDM: whether an XDM's MMR proof `xp` (with `consensus_block_number` X) is
 * valid, with `MmrRootHashes[X]` read from consensus state: `mmr_root_proof.mmr_proof` is checked
 * against the current `MmrRootHashes` (failure: `BadMmrProof`) and gives a consensus state root
 * (of block X + 1 as generated; any later block still holding the entry works), from which
 * `mmr_root_storage_proof` reads `MmrRootHashes[X]` (failure: `InvalidStorageProof`); the XDM
 * proof is then verified statelessly against it. An XDM proof newer than the receipt's consensus
 * block `atBlock` is invalid without any root (derivation at that block could not verify it).
 */
function xdmProofValidAt(
  ctx: FraudProofContext,
  xp: ConsensusChainMmrLeafProof,
  rootProof: MmrRootProof | undefined,
  atBlock: number,
): boolean {
  const x = xp.consensusBlockNumber;
  if (x > atBlock) return false;
  if (rootProof === undefined)
    throw fraudProofRejected('UnexpectedInvalidBundleProofData', 'missing MMR root proof');
  let stateRoot: H256;
  try {
    stateRoot = verifyMmrProofAndExtractLeaf(ctx.mmr, rootProof.mmrProof).stateRoot;
  } catch (e) {
    throw fraudProofRejected('BadMmrProof', e instanceof Error ? e.message : String(e));
  }
  const rootX = guarded('InvalidStorageProof', () =>
    readStorageProof(stateRoot, rootProof.mmrRootStorageProof, mmrRootHashesKey(x)),
  );
  if (rootX === undefined || rootX.length !== 32)
    throw fraudProofRejected('InvalidStorageProof', `no MmrRootHashes[${x}] in that state`);
  return xdmMmrProofHolds(rootX, xp, atBlock);
}

function sameType(a: InvalidBundleType, b: InvalidBundleType): boolean {
  return (
    a.type === b.type &&
    (a.type === 'InvalidBundleWeight' || (a as { index: number }).index === (b as { index: number }).index)
  );
}

// ---------------------------------------------------------------------------------------------
// Generation

/** What a watchtower has: the honest derivation of the same domain block, and consensus proofs. */
export interface HonestExecution {
  /** The honest block (receipt, extrinsics, post-state). */
  block: DerivedBlock;
  /** The parent state (before the block). */
  parentState: TrieState;
  /** The bundles of the consensus block, in inbox order. */
  bundles: readonly Bundle[];
  /** Index of each bundle in `SuccessfulBundles` of its consensus block. */
  consensus: ConsensusProofSource;
  inherentData: InherentExtrinsicData;
}

/**
 * Replays the honest block step by step and records the keys step `j` touches, for its execution
 * proof. Steps: 0 = initialize, 1..=n = extrinsic `j − 1`, n + 1 = finalize. `finalizeAt` instead
 * records a finalization run right after `j − 1` honest steps (a trace cut short: decex §7,
 * `FinalizeBlock::StateRoot` at the last index of a shorter trace). Returns the proof and the
 * state root after the recorded step.
 */
function executionProofAt(
  runtime: DomainRuntime,
  h: HonestExecution,
  parent: ExecutionReceipt,
  er: ExecutionReceipt,
  j: number,
  finalizeAt = false,
) {
  const parentTrie = h.parentState.toTrie();
  const state = TrieState.fromProof(parentTrie.root, [...parentTrie.db.values()]);
  const ctx: BlockContext = inherentContext(er, parent, h.inherentData);
  const steps: ((s: RecordingState) => void)[] = [
    (s) => runtime.initializeBlock(s, { ...ctx, timestamp: 0n, consensusTransactionByteFee: 0n }),
    ...h.block.extrinsics.map((x) => (s: RecordingState) => runtime.applyExtrinsic(s, x)),
    (s) => runtime.finalizeBlock(s),
  ];
  for (let k = 0; k < j; k++) steps[k]!(new RecordingState(state));
  const preTrie = state.toTrie();
  const post = TrieState.fromProof(preTrie.root, [...preTrie.db.values()]);
  const rec = new RecordingState(post);
  if (finalizeAt) runtime.finalizeBlock(rec);
  else steps[j]!(rec);
  return { proof: createStorageProof(preTrie, [...rec.touched.values()]), postRoot: post.root() };
}

/**
 * Builds a fraud proof against `bad` (a receipt for the same domain block as `h.block.receipt`)
 * for the first mismatch, in the operator's order: inboxed bundles, extrinsics root, execution
 * trace, block fees, transfers, block hash. Returns `undefined` when the receipts agree.
 */
export function generateFraudProof(
  domainId: number,
  runtime: DomainRuntime,
  bad: ExecutionReceipt,
  badHash: H256,
  parent: ExecutionReceipt,
  h: HonestExecution,
): FraudProof | undefined {
  const good = h.block.receipt;
  const base = { domainId, badReceiptHash: badHash, maybeDomainRuntimeCodeProof: undefined };
  const mmrFor = () => h.consensus.mmrProof(bad.consensusBlockNumber);
  const bundleWithProof = (i: number): OpaqueBundleWithProof => ({
    bundle: h.bundles[i]!,
    bundleIndex: i,
    bundleStorageProof: h.consensus.storageProof(bad.consensusBlockNumber, [successfulBundlesKey(domainId)]),
  });
  // 1. inboxed bundles
  for (let i = 0; i < good.inboxedBundles.length; i++) {
    const g = good.inboxedBundles[i]!.bundle;
    const b = bad.inboxedBundles[i]?.bundle;
    if (b === undefined || sameValidity(g, b)) continue;
    if (g.type === 'Valid' && b.type === 'Valid') {
      return {
        ...base,
        maybeMmrProof: mmrFor(),
        proof: { type: 'ValidBundle', bundleWithProof: bundleWithProof(i) },
      };
    }
    // good-invalid: the honest verdict is an earlier rule; bad-invalid: the ER's rule does not hold
    const goodInvalid =
      g.type === 'Invalid' && (b.type === 'Valid' || checkingOrder(b.invalid) > checkingOrder(g.invalid));
    const t = goodInvalid
      ? (g as { invalid: InvalidBundleType }).invalid
      : (b as { invalid: InvalidBundleType }).invalid;
    return {
      ...base,
      maybeMmrProof: mmrFor(),
      proof: {
        type: 'InvalidBundles',
        bundleIndex: i,
        invalidBundleType: t,
        isGoodInvalidFraudProof: goodInvalid,
        proofData: invalidBundleProofData(runtime, h, i, t, bundleWithProof),
      },
    };
  }
  // 2. extrinsics root
  if (!eq(good.domainBlockExtrinsicRoot, bad.domainBlockExtrinsicRoot)) {
    const validBundleDigests = good.inboxedBundles.flatMap((e, i) =>
      e.bundle.type === 'Valid'
        ? [{ bundleIndex: i, bundleDigest: bundleEntries(runtime, h.bundles[i]!) }]
        : [],
    );
    return {
      ...base,
      maybeMmrProof: mmrFor(),
      proof: {
        type: 'InvalidExtrinsicsRoot',
        validBundleDigests,
        invalidInherentExtrinsicProofs: h.consensus.storageProof(bad.consensusBlockNumber, [
          blockInherentExtrinsicDataKey(),
        ]),
        maybeDomainRuntimeUpgradedProof: { domainRuntimeUpgrades: [], newDomainRuntimeCode: undefined },
        domainChainAllowlistProof: [],
        domainSudoCallProof: [],
        evmDomainContractCreationAllowedByCallProof: [],
      },
    };
  }
  // 3. execution trace: the first differing entry, else a difference in length (decex §7).
  const trace = traceMismatchProof(runtime, h, parent, bad);
  if (trace !== undefined)
    return { ...base, maybeMmrProof: undefined, proof: { type: 'InvalidStateTransition', ...trace } };
  // 4–6. storage items of the final state, then the block hash
  const finalTrie = h.block.state.toTrie();
  if (!eq(encodeWith(blockFeesCodec, good.blockFees), encodeWith(blockFeesCodec, bad.blockFees)))
    return {
      ...base,
      maybeMmrProof: undefined,
      proof: {
        type: 'InvalidBlockFees',
        storageProof: createStorageProof(finalTrie, [runtime.keys.blockFees]),
      },
    };
  if (!eq(encodeWith(transfersCodec, good.transfers), encodeWith(transfersCodec, bad.transfers)))
    return {
      ...base,
      maybeMmrProof: undefined,
      proof: {
        type: 'InvalidTransfers',
        storageProof: createStorageProof(finalTrie, [runtime.keys.transfers]),
      },
    };
  if (!eq(good.domainBlockHash, bad.domainBlockHash))
    return {
      ...base,
      maybeMmrProof: undefined,
      proof: {
        type: 'InvalidDomainBlockHash',
        digestStorageProof: createStorageProof(finalTrie, [runtime.keys.digest]),
      },
    };
  return undefined;
}

/**
 * The `InvalidStateTransition` proof of the first trace mismatch between the honest receipt and
 * `bad` (trace indices: 0 = after initialize, i = after extrinsic i − 1, last = after finalize):
 *
 * - a differing entry j: `InitializeBlock` (j = 0), `FinalizeBlock::StateRoot` (j is the last
 *   index of both traces), `ApplyExtrinsic::StateRoot(j)` (extrinsic j − 1 in both);
 * - the bad trace is a strict prefix (shorter): `ApplyExtrinsic::Shorter` at its last index
 *   i = L − 1: applying extrinsic i − 1 to trace[i − 1] does give trace[i], so the block went on
 *   past the entry the receipt calls final;
 * - the honest trace is a strict prefix (longer): `FinalizeBlock::Longer(i)` at the honest last
 *   index i: finalizing trace[i − 1] gives trace[i], so the block ended there;
 * - a shorter trace whose last entry differs: `FinalizeBlock::StateRoot` when finalizing the
 *   honest intermediate state does not give that entry.
 *
 * Other shapes (a longer trace that differs at the honest last index) have no state transition
 * the verifier can replay; `undefined` then, and the later fields are compared.
 */
function traceMismatchProof(
  runtime: DomainRuntime,
  h: HonestExecution,
  parent: ExecutionReceipt,
  bad: ExecutionReceipt,
):
  | Pick<
      Extract<FraudProof['proof'], { type: 'InvalidStateTransition' }>,
      'executionProof' | 'executionPhase'
    >
  | undefined {
  const gt = h.block.receipt.executionTrace;
  const bt = bad.executionTrace;
  const G = gt.length;
  const L = bt.length;
  if (L < 2) return undefined; // the block tree rejects such receipts; nothing to replay
  const step = (j: number, finalizeAt = false) => executionProofAt(runtime, h, parent, bad, j, finalizeAt);
  const extrinsicProof = (i: number) =>
    createStorageProof(orderedTrieTrie(h.block.extrinsics), [encodeCompact(i - 1)]);
  let j = 0;
  const n = Math.min(G, L);
  while (j < n && eq(gt[j]!, bt[j]!)) j++;
  if (j < n) {
    if (j === 0) return { executionProof: step(0).proof, executionPhase: { type: 'InitializeBlock' } };
    if (j === L - 1 && j === G - 1)
      return {
        executionProof: step(j).proof,
        executionPhase: { type: 'FinalizeBlock', mismatch: { type: 'StateRoot' } },
      };
    if (j < L - 1 && j < G - 1)
      return {
        executionProof: step(j).proof,
        executionPhase: {
          type: 'ApplyExtrinsic',
          extrinsicProof: extrinsicProof(j),
          mismatch: { type: 'StateRoot', index: j },
        },
      };
    if (j === L - 1) {
      // shorter, last entry wrong: finalizing the honest state before it must not give it
      const s = step(j, true);
      if (!eq(s.postRoot, bt[j]!))
        return {
          executionProof: s.proof,
          executionPhase: { type: 'FinalizeBlock', mismatch: { type: 'StateRoot' } },
        };
    }
    return undefined;
  }
  if (L < G)
    return {
      executionProof: step(L - 1).proof,
      executionPhase: {
        type: 'ApplyExtrinsic',
        extrinsicProof: extrinsicProof(L - 1),
        mismatch: { type: 'Shorter' },
      },
    };
  if (L > G)
    return {
      executionProof: step(G - 1).proof,
      executionPhase: { type: 'FinalizeBlock', mismatch: { type: 'Longer', index: G - 1 } },
    };
  return undefined;
}

function orderedTrieTrie(extrinsics: readonly Uint8Array[]) {
  return buildTrie(extrinsics.map((x, i) => [encodeCompact(i), encodeOpaqueExtrinsic(x)] as const));
}

function sameValidity(a: BundleValidity, b: BundleValidity): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'Valid' && b.type === 'Valid') return eq(a.digest, b.digest);
  return sameType(
    (a as { invalid: InvalidBundleType }).invalid,
    (b as { invalid: InvalidBundleType }).invalid,
  );
}

function invalidBundleProofData(
  runtime: DomainRuntime,
  h: HonestExecution,
  i: number,
  t: InvalidBundleType,
  bundleWithProof: (i: number) => OpaqueBundleWithProof,
) {
  switch (t.type) {
    case 'UndecodableTx':
    case 'InherentExtrinsic': {
      const exts = h.bundles[i]!.extrinsics;
      const trie = orderedTrieTrie(exts);
      return { type: 'Extrinsic' as const, proof: createStorageProof(trie, [encodeCompact(t.index)]) };
    }
    case 'OutOfRangeTx':
    case 'InvalidBundleWeight':
      return { type: 'Bundle' as const, bundleWithProof: bundleWithProof(i) };
    case 'IllegalTx': {
      // keys touched by checking extrinsics 0..=index on the parent state
      const parentTrie = h.parentState.toTrie();
      const rec = new RecordingState(new OverlayState(h.parentState));
      const exts = h.bundles[i]!.extrinsics.slice(0, t.index + 1);
      for (const x of exts) if (!runtime.checkExtrinsic(rec, x)) break;
      return {
        type: 'BundleAndExecution' as const,
        bundleWithProof: bundleWithProof(i),
        executionProof: createStorageProof(parentTrie, [...rec.touched.values()]),
      };
    }
    case 'InvalidXDM': {
      // tx i against the bundle's extrinsics root, and MmrRootHashes[X] proven in the state of
      // consensus block X + 1 (decex §7a.6) when tx i has an XDM MMR proof the verifier must check
      const exts = h.bundles[i]!.extrinsics;
      const extrinsicProof = createStorageProof(orderedTrieTrie(exts), [encodeCompact(t.index)]);
      const body = exts[t.index];
      const xp = body === undefined ? undefined : runtime.xdmMmrProof?.(body);
      const atBlock = h.block.receipt.consensusBlockNumber;
      let mmrRootProof: MmrRootProof | undefined;
      if (xp !== undefined && xp.consensusBlockNumber <= atBlock) {
        const x = xp.consensusBlockNumber;
        mmrRootProof = {
          mmrProof: h.consensus.mmrProof(x + 1),
          mmrRootStorageProof: h.consensus.storageProof(x + 1, [mmrRootHashesKey(x)]),
        };
      }
      return { type: 'InvalidXDMProofData' as const, extrinsicProof, mmrRootProof };
    }
  }
}
