/**
 * Domain block derivation (decex §5): bundle validity in the preprocessor's order, dedup and the
 * ChaCha8 shuffle of the valid extrinsics, inherents first, execution with the state root after
 * every step (the execution trace), and the resulting execution receipt.
 */
import { concatBytes } from '@autonomys/primitives';
import {
  bundleDigestHash,
  type DomainHeader,
  domainBlockHash,
  encodeOpaqueExtrinsic,
  extrinsicDigest,
  receiptHash,
  traceRootOrZero,
} from './bundle.js';
import { ChaCha8Rng, shuffleInPlace } from './chacha.js';
import { EXTRINSICS_SHUFFLING_SEED_SUBJECT } from './constants.js';
import { blake2b256 } from './hash.js';
import {
  type BlockContext,
  type DomainRuntime,
  decodeStoredDigest,
  type ExtrinsicInfo,
  OverlayState,
  readRuntimeBlockFees,
  readRuntimeTransfers,
} from './runtime.js';
import { orderedTrieRoot, type TrieState } from './trie.js';
import type {
  Bundle,
  BundleValidity,
  ExecutionReceipt,
  ExtrinsicDigest,
  H256,
  InvalidBundleType,
} from './types.js';
import { DEFAULT_TX_RANGE, signerIdHash, signerInTxRange, vrfHashU256 } from './vrf.js';

const SEED_SUBJECT = new TextEncoder().encode(EXTRINSICS_SHUFFLING_SEED_SUBJECT);

/** `S = BlakeTwo256(b"extrinsics-shuffling-seed" ‖ block_randomness)`. */
export function extrinsicsShufflingSeed(blockRandomness: Uint8Array): H256 {
  return blake2b256(concatBytes(SEED_SUBJECT, blockRandomness));
}

/** A (signer, extrinsic) pair from a valid bundle. */
export interface SignedExtrinsic {
  signer: Uint8Array | undefined;
  extrinsic: Uint8Array;
}

function keyOf(b: Uint8Array | undefined): string {
  if (b === undefined) return '';
  let s = '1';
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
}

/**
 * Dedup (first occurrence wins, compared on the extrinsic only) and shuffle the signers' slots
 * with ChaCha8 seeded by `seed`; each signer's own extrinsics keep their order.
 */
export function deduplicateAndShuffle(txs: readonly SignedExtrinsic[], seed: H256): SignedExtrinsic[] {
  const seen = new Set<string>();
  const unique: SignedExtrinsic[] = [];
  for (const t of txs) {
    const k = keyOf(t.extrinsic);
    if (seen.has(k)) continue;
    seen.add(k);
    unique.push(t);
  }
  const positions = unique.map((t) => t.signer);
  shuffleInPlace(positions, new ChaCha8Rng(seed));
  const groups = new Map<string, SignedExtrinsic[]>();
  for (const t of unique) {
    const k = keyOf(t.signer);
    let q = groups.get(k);
    if (q === undefined) {
      q = [];
      groups.set(k, q);
    }
    q.push(t);
  }
  const heads = new Map<string, number>();
  return positions.map((s) => {
    const k = keyOf(s);
    const i = heads.get(k) ?? 0;
    heads.set(k, i + 1);
    return groups.get(k)![i]!;
  });
}

/** Options of the bundle validity check. */
export interface BundleValidityOptions {
  txRange?: bigint;
  /** Checks an XDM extrinsic's consensus proof (decex §5 step 1d); absent = no XDMs checked. */
  verifyXdm?: (body: Uint8Array) => boolean | undefined;
}

/** The validity verdict of one bundle plus its valid extrinsics with signers. */
export interface BundleVerdict {
  validity: BundleValidity;
  extrinsics: SignedExtrinsic[];
}

/**
 * `batch_check_bundle_validity` for one bundle on top of the parent state `state` (side effects of
 * checks are kept in `overlay` between bundles, as the preprocessor does). decex §5 step 1.
 */
export function checkBundleValidity(
  runtime: DomainRuntime,
  overlay: OverlayState,
  bundle: Bundle,
  opts: BundleValidityOptions = {},
): BundleVerdict {
  let invalid: InvalidBundleType | undefined;
  const exts = bundle.extrinsics;
  const infos: ExtrinsicInfo[] = [];
  // a. longest decodable prefix
  for (let i = 0; i < exts.length; i++) {
    const info = runtime.inspect(exts[i]!);
    if (info === undefined) {
      invalid = { type: 'UndecodableTx', index: i };
      break;
    }
    infos.push(info);
  }
  // b. tx range
  const vrf = vrfHashU256(bundle.sealedHeader.header.proofOfElection.vrfSignature);
  const txRange = opts.txRange ?? DEFAULT_TX_RANGE;
  for (let j = 0; j < infos.length; j++) {
    const s = infos[j]!.signer;
    if (s !== undefined && !signerInTxRange(vrf, signerIdHash(s), txRange)) {
      invalid = { type: 'OutOfRangeTx', index: j };
      infos.length = j;
      break;
    }
  }
  // c. inherents
  for (let k = 0; k < infos.length; k++) {
    if (infos[k]!.isInherent) {
      invalid = { type: 'InherentExtrinsic', index: k };
      infos.length = k;
      break;
    }
  }
  // d. XDM proofs
  if (opts.verifyXdm !== undefined) {
    for (let m = 0; m < infos.length; m++) {
      if (opts.verifyXdm(exts[m]!) === false) {
        invalid = { type: 'InvalidXDM', index: m };
        infos.length = m;
        break;
      }
    }
  }
  // e. checks and pre-dispatch on the parent state, side effects kept (on a scratch overlay so
  // that an invalid bundle leaves no trace)
  const scratch = new OverlayState(overlay);
  for (let i = 0; i < infos.length; i++) {
    if (!runtime.checkExtrinsic(scratch, exts[i]!)) {
      invalid = { type: 'IllegalTx', index: i };
      break;
    }
  }
  if (invalid !== undefined) {
    // f. the smallest checking order wins (each later step found a smaller index)
    return { validity: { type: 'Invalid', invalid }, extrinsics: [] };
  }
  // g. exact weight equality
  let refTime = 0n;
  let proofSize = 0n;
  for (const i of infos) {
    refTime += i.weight.refTime;
    proofSize += i.weight.proofSize;
  }
  const est = bundle.sealedHeader.header.estimatedBundleWeight;
  if (est.refTime !== refTime || est.proofSize !== proofSize) {
    return { validity: { type: 'Invalid', invalid: { type: 'InvalidBundleWeight' } }, extrinsics: [] };
  }
  // h. valid: digest the extrinsics (each bundle is checked on the parent state alone)
  const entries: [Uint8Array | undefined, ExtrinsicDigest][] = exts.map((x, i) => [
    infos[i]!.signer,
    extrinsicDigest(encodeOpaqueExtrinsic(x)),
  ]);
  return {
    validity: { type: 'Valid', digest: bundleDigestHash(entries) },
    extrinsics: exts.map((x, i) => ({ signer: infos[i]!.signer, extrinsic: x })),
  };
}

/** The sum of the runtime weights of a bundle's extrinsics (what `estimated_bundle_weight` must equal). */
export function bundleWeight(runtime: DomainRuntime, extrinsics: readonly Uint8Array[]) {
  let refTime = 0n;
  let proofSize = 0n;
  for (const x of extrinsics) {
    const w = runtime.inspect(x)?.weight;
    if (w === undefined) continue;
    refTime += w.refTime;
    proofSize += w.proofSize;
  }
  return { refTime, proofSize };
}

/** The consensus block a domain block is derived from. */
export interface ConsensusBlockInfo {
  number: number;
  hash: H256;
  /** `BlockRandomness(B) = blake3(pot_output)`. */
  blockRandomness: H256;
  timestamp: bigint;
  consensusTransactionByteFee: bigint;
}

/** The parent domain block: its receipt (for hash, number, state root). */
export interface DerivedBlock {
  receipt: ExecutionReceipt;
  receiptHash: H256;
  header: DomainHeader;
  /** Every extrinsic of the block in order (inherents first), as bodies. */
  extrinsics: Uint8Array[];
  /** The state after the block. */
  state: TrieState;
  verdicts: BundleValidity[];
}

export interface DeriveOptions extends BundleValidityOptions {
  /** Called with the state after each step (init, each extrinsic, finalize). */
  onStep?: (step: number, root: H256) => void;
}

/**
 * Derives the domain block of consensus block `consensus` from its `bundles` on top of the parent
 * (its receipt and post-state), executing on `state` (mutated: pass a copy to keep the parent).
 */
export function deriveDomainBlock(
  runtime: DomainRuntime,
  parent: { receipt: ExecutionReceipt; receiptHash: H256 },
  state: TrieState,
  consensus: ConsensusBlockInfo,
  bundles: readonly Bundle[],
  opts: DeriveOptions = {},
): DerivedBlock {
  const overlay = new OverlayState(state);
  runtime.prepare?.(bundles.flatMap((b) => b.extrinsics));
  const verdicts: BundleValidity[] = [];
  const valid: SignedExtrinsic[] = [];
  for (const b of bundles) {
    const v = checkBundleValidity(runtime, overlay, b, opts);
    verdicts.push(v.validity);
    valid.push(...v.extrinsics);
  }
  const ordered = deduplicateAndShuffle(valid, extrinsicsShufflingSeed(consensus.blockRandomness));
  const ctx: BlockContext = {
    number: parent.receipt.domainBlockNumber + 1,
    parentHash: parent.receipt.domainBlockHash,
    consensusBlockHash: consensus.hash,
    timestamp: consensus.timestamp,
    consensusTransactionByteFee: consensus.consensusTransactionByteFee,
  };
  const extrinsics = [...runtime.inherents(ctx), ...ordered.map((t) => t.extrinsic)];
  const trace: H256[] = [];
  runtime.initializeBlock(state, ctx);
  trace.push(state.root());
  for (const x of extrinsics) {
    runtime.applyExtrinsic(state, x);
    trace.push(state.root());
  }
  runtime.finalizeBlock(state);
  const finalRoot = state.root();
  trace.push(finalRoot);
  for (const [i, r] of trace.entries()) opts.onStep?.(i, r);
  const extrinsicsRoot = orderedTrieRoot(extrinsics.map(encodeOpaqueExtrinsic));
  const digestBytes = state.get(runtime.keys.digest);
  const header: DomainHeader = {
    parentHash: ctx.parentHash,
    number: ctx.number,
    stateRoot: finalRoot,
    extrinsicsRoot,
    digest: digestBytes === undefined ? [] : decodeStoredDigest(digestBytes),
  };
  const receipt: ExecutionReceipt = {
    domainBlockNumber: ctx.number,
    domainBlockHash: domainBlockHash(header),
    domainBlockExtrinsicRoot: extrinsicsRoot,
    parentDomainBlockReceiptHash: parent.receiptHash,
    consensusBlockNumber: consensus.number,
    consensusBlockHash: consensus.hash,
    inboxedBundles: bundles.map((b, i) => ({
      bundle: verdicts[i]!,
      extrinsicsRoot: b.sealedHeader.header.bundleExtrinsicsRoot,
    })),
    finalStateRoot: finalRoot,
    executionTrace: trace,
    executionTraceRoot: traceRootOrZero(trace),
    blockFees: readRuntimeBlockFees(state),
    transfers: readRuntimeTransfers(state),
  };
  return { receipt, receiptHash: receiptHash(receipt), header, extrinsics, state, verdicts };
}
