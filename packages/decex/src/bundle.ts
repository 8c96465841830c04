/**
 * Bundle and receipt hashing, signing and size limits (decex §2, §4, §6), and the domain header.
 */
import { concatBytes, encodeCompact, ScaleWriter, sr25519Sign, sr25519Verify } from '@autonomys/primitives';
import { encodeWith } from './codec.js';
import {
  MAX_DOMAIN_BLOCK_SIZE,
  MAX_DOMAIN_BLOCK_WEIGHT,
  OPERATOR_SIGNING_CONTEXT,
  SLOT_PROBABILITY,
} from './constants.js';
import { stakingRejected } from './errors.js';
import { blake2b256 } from './hash.js';
import { executionTraceRoot } from './merkle.js';
import { orderedTrieRoot } from './trie.js';
import {
  type BlockFees,
  type Bundle,
  type BundleDigest,
  type BundleHeader,
  bundleCodec,
  bundleDigestEntryCodec,
  bundleHeaderCodec,
  type ExecutionReceipt,
  type ExtrinsicDigest,
  executionReceiptV0Codec,
  type H256,
  type SealedBundleHeader,
  type SingletonReceipt,
  singletonReceiptCodec,
  type Transfers,
  type Weight,
} from './types.js';

/** An opaque extrinsic's own encoding: `compact(len) ‖ body`. */
export function encodeOpaqueExtrinsic(body: Uint8Array): Uint8Array {
  return concatBytes(encodeCompact(body.length), body);
}

/** `bundle_extrinsics_root`: ordered trie root over each extrinsic's encoding. */
export function bundleExtrinsicsRoot(extrinsics: readonly Uint8Array[]): H256 {
  return orderedTrieRoot(extrinsics.map(encodeOpaqueExtrinsic));
}

/** `body_size`: the sum of the extrinsics' encoded sizes. */
export function bundleBodySize(extrinsics: readonly Uint8Array[]): number {
  let n = 0;
  for (const x of extrinsics) n += encodeCompact(x.length).length + x.length;
  return n;
}

/** `pre_hash = BlakeTwo256(SCALE(BundleHeaderV0))`: what the operator signs. */
export function bundleHeaderPreHash(header: BundleHeader): H256 {
  return blake2b256(encodeWith(bundleHeaderCodec, header, 1024));
}

/** `bundle hash = BlakeTwo256(SCALE(Bundle))` (includes the version byte). */
export function bundleHash(bundle: Bundle): H256 {
  return blake2b256(encodeWith(bundleCodec, bundle, 4096));
}

/** The SCALE size of the whole bundle (what the storage fee is charged on). */
export function bundleEncodedSize(bundle: Bundle): number {
  return encodeWith(bundleCodec, bundle, 4096).length;
}

/** `ER hash = BlakeTwo256(SCALE(ExecutionReceiptV0))` (without the version byte). */
export function receiptHash(er: ExecutionReceipt): H256 {
  return blake2b256(encodeWith(executionReceiptV0Codec, er, 1024));
}

/** `BundleDigest { header_hash, extrinsics_root, size }` stored in the execution inbox. */
export function bundleDigest(bundle: Bundle): BundleDigest {
  return {
    headerHash: bundleHeaderPreHash(bundle.sealedHeader.header),
    extrinsicsRoot: bundle.sealedHeader.header.bundleExtrinsicsRoot,
    size: bundleBodySize(bundle.extrinsics),
  };
}

/** Signs a bundle header with the operator key (sr25519, Substrate context, over the pre-hash). */
export function sealBundleHeader(
  header: BundleHeader,
  secretKey: Uint8Array,
  publicKey: Uint8Array,
): SealedBundleHeader {
  return {
    header,
    signature: sr25519Sign(secretKey, publicKey, bundleHeaderPreHash(header), {
      context: OPERATOR_SIGNING_CONTEXT,
    }),
  };
}

/** Checks a sealed header's signature against the operator's signing key; malformed is false. */
export function verifyBundleSignature(sealed: SealedBundleHeader, signingKey: Uint8Array): boolean {
  try {
    return sr25519Verify(sealed.signature, bundleHeaderPreHash(sealed.header), signingKey, {
      context: OPERATOR_SIGNING_CONTEXT,
    });
  } catch {
    return false;
  }
}

/** `BlakeTwo256(SCALE(SingletonReceipt))`, what a singleton receipt's signature covers. */
export function singletonReceiptHash(s: SingletonReceipt): H256 {
  return blake2b256(encodeWith(singletonReceiptCodec, s, 1024));
}

/** `ExtrinsicDigest::new`: the encoding itself below 33 bytes, else its BlakeTwo256. */
export function extrinsicDigest(encodedExtrinsic: Uint8Array): ExtrinsicDigest {
  return encodedExtrinsic.length < 33
    ? { type: 'Data', data: encodedExtrinsic.slice() }
    : { type: 'Hash', hash: blake2b256(encodedExtrinsic) };
}

/** `bundle_digest_hash = BlakeTwo256(SCALE(Vec<(Option<AccountId>, ExtrinsicDigest)>))`. */
export function bundleDigestHash(entries: readonly [Uint8Array | undefined, ExtrinsicDigest][]): H256 {
  const w = new ScaleWriter(64 + entries.length * 40);
  w.compact(entries.length);
  for (const e of entries) bundleDigestEntryCodec.enc(w, e);
  return blake2b256(w.finish());
}

/**
 * `calculate_max_bundle_weight_and_size`: limits derived from the bundle slot probability, with
 * the code's integer division. Throws `BundleLimitCalculationOverflow` when fewer than one bundle
 * per block is expected.
 */
export function calculateMaxBundleWeightAndSize(
  bundleSlotProbability: readonly [bigint, bigint],
  opts: { maxDomainBlockSize?: number; maxDomainBlockWeight?: Weight } = {},
): { maxBundleSize: number; maxBundleWeight: Weight } {
  const maxSize = BigInt(opts.maxDomainBlockSize ?? MAX_DOMAIN_BLOCK_SIZE);
  const maxWeight = opts.maxDomainBlockWeight ?? MAX_DOMAIN_BLOCK_WEIGHT;
  const [num, den] = bundleSlotProbability;
  const denom = den * SLOT_PROBABILITY[0];
  if (denom === 0n) throw stakingRejected('BundleLimitCalculationOverflow');
  const expected = (num * SLOT_PROBABILITY[1]) / denom;
  if (expected === 0n) throw stakingRejected('BundleLimitCalculationOverflow');
  return {
    maxBundleSize: Number(maxSize / expected),
    maxBundleWeight: { refTime: maxWeight.refTime / expected, proofSize: maxWeight.proofSize },
  };
}

// ---------------------------------------------------------------------------------------------
// Domain header: Substrate `Header<u32, BlakeTwo256>`.

/** A `DigestItem` kept as its SCALE bytes (tag + body). */
export interface DomainHeader {
  parentHash: H256;
  number: number;
  stateRoot: H256;
  extrinsicsRoot: H256;
  digest: Uint8Array[];
}

/** SCALE(header): parent_hash ‖ Compact(number) ‖ state_root ‖ extrinsics_root ‖ Vec<DigestItem>. */
export function encodeDomainHeader(h: DomainHeader): Uint8Array {
  const w = new ScaleWriter(160);
  w.bytes(h.parentHash).compact(h.number).bytes(h.stateRoot).bytes(h.extrinsicsRoot).compact(h.digest.length);
  for (const d of h.digest) w.bytes(d);
  return w.finish();
}

/** Domain block hash = BlakeTwo256(SCALE(header)). */
export function domainBlockHash(h: DomainHeader): H256 {
  return blake2b256(encodeDomainHeader(h));
}

/**
 * The digest item carrying the consensus block hash of a domain block (`consensus_block_info`):
 * `DigestItem::Other` (tag 0) wrapping our encoding `0x00 ‖ hash` (compact length prefix included).
 * This is our TS runtime's choice, not the network's byte layout.
 */
export function consensusBlockInfoDigest(consensusBlockHash: H256): Uint8Array {
  const inner = concatBytes(Uint8Array.of(0), consensusBlockHash);
  return concatBytes(Uint8Array.of(0), encodeCompact(inner.length), inner);
}

/** Default (empty) block fees and transfers. */
export function emptyBlockFees(): BlockFees {
  return { consensusStorageFee: 0n, domainExecutionFee: 0n, burnedBalance: 0n, chainRewards: new Map() };
}
export function emptyTransfers(): Transfers {
  return {
    transfersIn: new Map(),
    transfersOut: new Map(),
    rejectedTransfersClaimed: new Map(),
    transfersRejected: new Map(),
  };
}

/**
 * The genesis receipt (decex §2): number 0, zero parent and consensus fields, trace `[stateRoot]`,
 * trace root 0, default fees and transfers; the domain genesis hash is that of the header with
 * the empty extrinsics root and no digest.
 */
export function genesisReceipt(genesisStateRoot: H256): ExecutionReceipt {
  const zero = new Uint8Array(32);
  const emptyRoot = orderedTrieRoot([]);
  const header: DomainHeader = {
    parentHash: zero,
    number: 0,
    stateRoot: genesisStateRoot,
    extrinsicsRoot: emptyRoot,
    digest: [],
  };
  return {
    domainBlockNumber: 0,
    domainBlockHash: domainBlockHash(header),
    domainBlockExtrinsicRoot: emptyRoot,
    parentDomainBlockReceiptHash: zero,
    consensusBlockNumber: 0,
    consensusBlockHash: zero,
    inboxedBundles: [],
    finalStateRoot: genesisStateRoot,
    executionTrace: [genesisStateRoot],
    executionTraceRoot: zero,
    blockFees: emptyBlockFees(),
    transfers: emptyTransfers(),
  };
}

/** `executionTraceRoot` as the ER field (zero hash for an empty trace). */
export function traceRootOrZero(trace: readonly H256[]): H256 {
  return executionTraceRoot(trace) ?? new Uint8Array(32);
}

/** Signs a singleton receipt (`submit_receipt`) over `BlakeTwo256(SCALE(SingletonReceipt))`. */
export function sealSingletonReceipt(
  s: SingletonReceipt,
  secretKey: Uint8Array,
  publicKey: Uint8Array,
): { singletonReceipt: SingletonReceipt; signature: Uint8Array } {
  return {
    singletonReceipt: s,
    signature: sr25519Sign(secretKey, publicKey, singletonReceiptHash(s), {
      context: OPERATOR_SIGNING_CONTEXT,
    }),
  };
}
