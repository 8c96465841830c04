/**
 * What decex needs from the consensus chain, as interfaces the node implements, plus
 * `InMemoryConsensusChain`, a small model of consensus blocks (state trie per block and the MMR
 * over them) that tests and examples use on the same code paths.
 *
 * Storage keys of consensus state that fraud proofs read. `MmrRootHashes` follows decex §7a.3
 * exactly; the `Domains` items use the pallet's names with the hashers stated below, which the
 * digest does not spell out (treat them as ours until checked against live metadata).
 */
import { concatBytes, ScaleWriter } from '@autonomys/primitives';
import { encodeWith } from './codec.js';
import { blake2b256, storagePrefix, twox64Concat } from './hash.js';
import { MmrBuilder, type MmrRootSource } from './mmr.js';
import { hexOf } from './staking.js';
import { createStorageProof, TrieState } from './trie.js';
import {
  type ConsensusChainMmrLeafProof,
  type H256,
  type MmrLeaf,
  mmrLeafCodec,
  type StorageProof,
} from './types.js';

function le32(n: number): Uint8Array {
  return new ScaleWriter(4).u32(n).finish();
}

/** `SubspaceMmr::MmrRootHashes[n]`: `twox128 ‖ twox128 ‖ twox64(le32 n) ‖ le32 n` (44 bytes). */
export function mmrRootHashesKey(n: number): Uint8Array {
  return concatBytes(storagePrefix('SubspaceMmr', 'MmrRootHashes'), twox64Concat(le32(n)));
}
/** `Domains::SuccessfulBundles[domain]` (`Identity` hasher over the u32 assumed): `Vec<H256>` of bundle hashes. */
export function successfulBundlesKey(domainId: number): Uint8Array {
  return concatBytes(storagePrefix('Domains', 'SuccessfulBundles'), le32(domainId));
}
/** `Domains::BlockInherentExtrinsicData`: `InherentExtrinsicData` of the block. */
export function blockInherentExtrinsicDataKey(): Uint8Array {
  return storagePrefix('Domains', 'BlockInherentExtrinsicData');
}

/** Proofs about consensus state that an operator or watchtower fetches from its consensus node. */
export interface ConsensusProofSource {
  /** An MMR leaf proof of consensus block `n` against the current best block's root. */
  mmrProof(n: number): ConsensusChainMmrLeafProof;
  /** A storage proof of `keys` in the state after consensus block `n`. */
  storageProof(n: number, keys: readonly Uint8Array[]): StorageProof;
}

/** The consensus block data an MMR leaf commits to. */
export interface ConsensusBlockRecord {
  number: number;
  hash: H256;
  state: TrieState;
  stateRoot: H256;
  extrinsicsRoot: H256;
}

/**
 * An in-memory consensus chain: each block has a state trie (the caller's writes) and a synthetic
 * header hash; block N's leaf (data of block N−1) is appended when block N is added and
 * `MmrRootHashes[N]` is written into N's state, as pallet-mmr does in `on_initialize`.
 */
export class InMemoryConsensusChain implements MmrRootSource, ConsensusProofSource {
  readonly blocks: ConsensusBlockRecord[] = [];
  readonly mmr = new MmrBuilder();
  private readonly roots = new Map<number, H256>();

  constructor() {
    this.addBlock([]);
  }

  get best(): ConsensusBlockRecord {
    return this.blocks[this.blocks.length - 1]!;
  }

  /** Adds block N with storage writes on top of N−1's state; returns it. */
  addBlock(writes: readonly (readonly [Uint8Array, Uint8Array])[]): ConsensusBlockRecord {
    const number = this.blocks.length;
    const parent = this.blocks[number - 1];
    const state = TrieState.fromEntries(parent === undefined ? [] : [...parentEntries(parent)]);
    if (parent !== undefined) {
      const leaf: MmrLeaf = {
        blockNumber: parent.number,
        blockHash: parent.hash,
        stateRoot: parent.stateRoot,
        extrinsicsRoot: parent.extrinsicsRoot,
      };
      const root = this.mmr.push(encodeWith(mmrLeafCodec, leaf));
      this.roots.set(number, root);
      state.set(mmrRootHashesKey(number), root);
    }
    for (const [k, v] of writes) state.set(k, v);
    const stateRoot = state.root();
    const extrinsicsRoot = blake2b256(le32(number));
    const hash = blake2b256(
      concatBytes(le32(number), parent?.hash ?? new Uint8Array(32), stateRoot, extrinsicsRoot),
    );
    const rec = { number, hash, state, stateRoot, extrinsicsRoot };
    entriesOf.set(
      rec,
      mergeEntries(
        parent,
        writes,
        number === 0 ? undefined : [mmrRootHashesKey(number), this.roots.get(number)!],
      ),
    );
    this.blocks.push(rec);
    return rec;
  }

  mmrRoot(n: number): H256 | undefined {
    // only the last 1024 roots are kept in state
    if (n + 1024 <= this.best.number) return undefined;
    return this.roots.get(n);
  }

  /** A proof of block `n`'s leaf against `MmrRootHashes[at]` (default: the best block's). */
  mmrProof(n: number, at = this.best.number): ConsensusChainMmrLeafProof {
    const best = at;
    const leaf = this.blocks[n]!;
    return {
      consensusBlockNumber: best,
      consensusBlockHash: this.blocks[best]!.hash,
      opaqueMmrLeaf: encodeWith(mmrLeafCodec, {
        blockNumber: leaf.number,
        blockHash: leaf.hash,
        stateRoot: leaf.stateRoot,
        extrinsicsRoot: leaf.extrinsicsRoot,
      }),
      proof: this.mmr.proof(BigInt(n), BigInt(best)),
    };
  }

  storageProof(n: number, keys: readonly Uint8Array[]): StorageProof {
    return createStorageProof(this.blocks[n]!.state.toTrie(), keys);
  }
}

// The key/value sets of each block (so a child block starts from its parent's storage).
const entriesOf = new WeakMap<ConsensusBlockRecord, Map<string, [Uint8Array, Uint8Array]>>();
function parentEntries(p: ConsensusBlockRecord): Iterable<[Uint8Array, Uint8Array]> {
  return entriesOf.get(p)!.values();
}
function mergeEntries(
  parent: ConsensusBlockRecord | undefined,
  writes: readonly (readonly [Uint8Array, Uint8Array])[],
  extra: [Uint8Array, Uint8Array] | undefined,
): Map<string, [Uint8Array, Uint8Array]> {
  const m = new Map(parent === undefined ? [] : entriesOf.get(parent)!);
  const put = (k: Uint8Array, v: Uint8Array) => m.set(hexOf(k), [k, v]);
  if (extra) put(extra[0], extra[1]);
  for (const [k, v] of writes) put(k, v);
  return m;
}
