/**
 * The consensus chain's MMR (decex.md §7a) in the node's runtime: pallet-mmr + pallet-subspace-mmr.
 *
 * In block N's initialization one leaf is appended, `MmrLeaf::V0 { N − 1, hash(N − 1),
 * state_root(N − 1), extrinsics_root(N − 1) }` (so leaf index i = data of block i), the new root is
 * stored as `SubspaceMmr::MmrRootHashes[N]` (the last 1024 kept) and `Mmr::RootHash`, and
 * `Mmr::NumberOfLeaves` = N. Only the peaks live in the runtime state (`Mmr::Nodes` at the peak
 * positions), as on chain; no header digest carries the root (§7a.1).
 *
 * Proof generation needs every node, which Substrate keeps off-chain: {@link ConsensusMmr} rebuilds
 * them from the chain's headers (incrementally along the best chain) and produces
 * `ConsensusChainMmrLeafProof`s; {@link mmrRootSource} gives the consensus-side verifiers the
 * `MmrRootHashes` of a state.
 */

import {
  bagPeaks,
  type ConsensusChainMmrLeafProof,
  encodeMmrLeaf,
  type H256,
  MmrBuilder,
  type MmrLeaf,
  type MmrRootSource,
  mmrLeafHash,
  mmrMerge,
  mmrRootHashesKey,
  mmrSize,
  peaks as peakPositions,
  verifyMmrProofAndExtractLeaf,
} from '@autonomys/decex';
import { ScaleWriter } from '@autonomys/primitives';
import { type Header, headerHash } from '../chain/header.js';
import { storageKey } from './hashing.js';

/** `MmrRootHashCount`: how many `MmrRootHashes` entries the state keeps. */
export const MMR_ROOT_HASH_COUNT = 1024;
/**
 * How many of the newest `MmrRootHashes` entries go into the state trie: all of them, as the
 * pallet. The state root is computed incrementally (`TrieRootCache`, ./trie-cache.ts: only the
 * paths of changed entries are hashed again) and the entries' storage keys are memoized, so the
 * 1024 entries cost a few ms per block instead of about 60.
 */
export const MMR_ROOT_HASHES_IN_TRIE = MMR_ROOT_HASH_COUNT;

/** `SubspaceMmr::MmrRootHashes` storage keys by block number (a Twox64Concat hash each: memoized). */
const rootHashKeys = new Map<number, Uint8Array>();
function rootHashKey(n: number): Uint8Array {
  let k = rootHashKeys.get(n);
  if (k === undefined) {
    if (rootHashKeys.size >= 8 * MMR_ROOT_HASH_COUNT) rootHashKeys.clear();
    k = mmrRootHashesKey(n);
    rootHashKeys.set(n, k);
  }
  return k;
}

/** The MMR part of the runtime state after a block. */
export interface MmrState {
  /** `Mmr::NumberOfLeaves` (= the block number after block N ≥ 1). */
  readonly leafCount: bigint;
  /** Peak hashes, left (highest mountain) to right. */
  readonly peaks: readonly H256[];
  /** `SubspaceMmr::MmrRootHashes`: block number -> root (the last {@link MMR_ROOT_HASH_COUNT}). */
  readonly rootHashes: ReadonlyMap<number, H256>;
  /**
   * The extrinsics root of the block this state follows (block N's, needed by the leaf appended
   * in N + 1). Not in storage: the runtime reads it from the header database on chain.
   */
  readonly extrinsicsRoot: H256;
}

/** The MMR state of genesis: no leaf; the genesis extrinsics root is the empty trie's. */
export function genesisMmrState(emptyExtrinsicsRoot: Uint8Array): MmrState {
  return { leafCount: 0n, peaks: [], rootHashes: new Map(), extrinsicsRoot: emptyExtrinsicsRoot.slice() };
}

/** Appends a leaf hash to peaks of an MMR of `leafCount` leaves (the carry of a binary counter). */
export function appendPeak(peaks: readonly H256[], leafCount: bigint, leafHash: H256): H256[] {
  const out = [...peaks];
  let carry = leafHash;
  let n = leafCount;
  while ((n & 1n) === 1n) {
    carry = mmrMerge(out.pop()!, carry);
    n >>= 1n;
  }
  out.push(carry);
  return out;
}

/**
 * `pallet_mmr::on_initialize` + `SubspaceMmr::on_new_root` of block `number`: appends the leaf of
 * the parent block and records the new root. Returns the next MMR state.
 */
export function mmrOnInitialize(
  prev: MmrState,
  number: number,
  parent: { hash: H256; stateRoot: H256 },
): MmrState {
  const leaf: MmrLeaf = {
    blockNumber: number - 1,
    blockHash: parent.hash,
    stateRoot: parent.stateRoot,
    extrinsicsRoot: prev.extrinsicsRoot,
  };
  const peaks = appendPeak(prev.peaks, prev.leafCount, mmrLeafHash(encodeMmrLeaf(leaf)));
  const root = bagPeaks(peaks);
  const rootHashes = new Map(prev.rootHashes);
  rootHashes.set(number, root);
  rootHashes.delete(number - MMR_ROOT_HASH_COUNT);
  return { leafCount: prev.leafCount + 1n, peaks, rootHashes, extrinsicsRoot: prev.extrinsicsRoot };
}

/** Records the extrinsics root of the block just executed (the next leaf's). */
export function mmrOnFinalize(s: MmrState, extrinsicsRoot: H256): MmrState {
  return { ...s, extrinsicsRoot };
}

/** The current root (`Mmr::RootHash`), `undefined` before the first leaf. */
export function mmrRoot(s: MmrState): H256 | undefined {
  return s.peaks.length === 0 ? undefined : bagPeaks(s.peaks);
}

/** `MmrRootHashes` of a state as the verifiers' {@link MmrRootSource}. */
export function mmrRootSource(s: MmrState): MmrRootSource {
  return { mmrRoot: (n) => s.rootHashes.get(n) };
}

/**
 * Checks a consensus MMR proof against the `MmrRootHashes` of a state and returns its leaf
 * (throws `DECEX_INVALID_MMR_PROOF` otherwise). What bundle, fraud-proof and XDM checks use.
 */
export function verifyConsensusMmrLeaf(s: MmrState, proof: ConsensusChainMmrLeafProof): MmrLeaf {
  return verifyMmrProofAndExtractLeaf(mmrRootSource(s), proof);
}

/** The storage entries of the MMR (none before the first leaf, so genesis is unchanged). */
export function mmrStorageEntries(s: MmrState): [Uint8Array, Uint8Array][] {
  if (s.leafCount === 0n) return [];
  const out: [Uint8Array, Uint8Array][] = [];
  const newest = Number(s.leafCount);
  for (const [n, root] of s.rootHashes)
    if (n > newest - MMR_ROOT_HASHES_IN_TRIE) out.push([rootHashKey(n), root]);
  out.push([storageKey('Mmr', 'RootHash'), bagPeaks(s.peaks)]);
  out.push([storageKey('Mmr', 'NumberOfLeaves'), new ScaleWriter(8).u64(s.leafCount).finish()]);
  const positions = peakPositions(mmrSize(s.leafCount));
  positions.forEach((pos, i) => {
    out.push([storageKey('Mmr', 'Nodes', new ScaleWriter(8).u64(pos).finish()), s.peaks[i]!]);
  });
  return out;
}

/** What {@link ConsensusMmr} reads from the chain. */
export interface MmrHeaderSource {
  /** The best-chain header of a block number. */
  getHeader(id: number): Header | undefined;
  head(): { number: number };
}

/**
 * The off-chain MMR of a node (every node, for proofs), rebuilt from best-chain headers: leaf i is
 * block i's `(number, hash, state_root, extrinsics_root)`. Reorgs are detected by the leaf hashes
 * and rebuild from the fork point.
 */
export class ConsensusMmr {
  private builder = new MmrBuilder();
  private leafHashes: string[] = [];

  constructor(private readonly chain: MmrHeaderSource) {}

  private leafOf(n: number): MmrLeaf {
    const h = this.chain.getHeader(n);
    if (h === undefined) throw new RangeError(`block ${n} is not on the best chain`);
    return {
      blockNumber: n,
      blockHash: headerHash(h),
      stateRoot: h.stateRoot,
      extrinsicsRoot: h.extrinsicsRoot,
    };
  }

  /** Brings the MMR to `leafCount` leaves of the current best chain. */
  private sync(leafCount: number): void {
    // Find the first stored leaf that no longer matches the best chain.
    let keep = Math.min(this.leafHashes.length, leafCount);
    for (let i = 0; i < keep; i++) {
      const leaf = this.leafOf(i);
      if (Buffer.from(leaf.blockHash).toString('hex') !== this.leafHashes[i]) {
        keep = i;
        break;
      }
    }
    if (keep < this.leafHashes.length) {
      const old = this.leafHashes.slice(0, keep);
      this.builder = new MmrBuilder();
      this.leafHashes = [];
      for (let i = 0; i < old.length; i++) this.append(i);
    }
    for (let i = this.leafHashes.length; i < leafCount; i++) this.append(i);
  }

  private append(i: number): void {
    const leaf = this.leafOf(i);
    this.builder.push(encodeMmrLeaf(leaf));
    this.leafHashes.push(Buffer.from(leaf.blockHash).toString('hex'));
  }

  /** The root `MmrRootHashes[at]` commits to (blocks 0..at−1). */
  rootAt(at: number): H256 {
    this.sync(at);
    return this.builder.root(BigInt(at));
  }

  /**
   * A proof of block `n`'s leaf against `MmrRootHashes[at]` (default: the best block), as
   * `sc-domains::generate_mmr_proof` makes it (decex §7a.5).
   */
  proof(n: number, at = this.chain.head().number): ConsensusChainMmrLeafProof {
    if (!(n >= 0 && n < at)) throw new RangeError(`block ${n} has no leaf under the root of block ${at}`);
    this.sync(at);
    const atHeader = this.chain.getHeader(at);
    if (atHeader === undefined) throw new RangeError(`block ${at} is not on the best chain`);
    return {
      consensusBlockNumber: at,
      consensusBlockHash: headerHash(atHeader),
      opaqueMmrLeaf: encodeMmrLeaf(this.leafOf(n)),
      proof: this.builder.proof(BigInt(n), BigInt(at)),
    };
  }
}
