/**
 * The consensus chain's Merkle Mountain Range (decex §7a): Keccak-256 leaves of `MmrLeaf::V0`
 * (101 bytes), post-order positions, peaks bagged right to left with the right part first, and the
 * single-leaf stateless proof of `polkadot-ckb-merkle-mountain-range` as pallet-mmr uses it. The
 * node runtime appends one leaf per block (`MmrBuilder.push`) and stores each root as
 * `MmrRootHashes[N]`; decex verifies proofs against those roots.
 */
import { decodeWith } from './codec.js';
import { MMR_LEAF_SIZE } from './constants.js';
import { DecexError } from './errors.js';
import { keccak256 } from './hash.js';
import { type ConsensusChainMmrLeafProof, type LeafProof, type MmrLeaf, mmrLeafCodec } from './types.js';

function mmrError(reason: string): DecexError {
  return new DecexError({ code: 'DECEX_INVALID_MMR_PROOF', reason });
}

function popcount(n: bigint): bigint {
  let c = 0n;
  for (let x = n; x > 0n; x >>= 1n) c += x & 1n;
  return c;
}
function trailingZeros(n: bigint): bigint {
  let c = 0n;
  for (let x = n; (x & 1n) === 0n && x > 0n; x >>= 1n) c++;
  return c;
}
function bitLength(n: bigint): bigint {
  let c = 0n;
  for (let x = n; x > 0n; x >>= 1n) c++;
  return c;
}

/** `mmr_size(leaf_count) = 2·n − popcount(n)`. */
export function mmrSize(leafCount: bigint): bigint {
  return 2n * leafCount - popcount(leafCount);
}
/** Position of leaf `i`. */
export function leafPos(i: bigint): bigint {
  return mmrSize(i + 1n) - trailingZeros(i + 1n) - 1n;
}
/** Height of the node at `pos` (0 for leaves). */
export function posHeight(pos: bigint): bigint {
  if (pos === 0n) return 0n;
  let p = pos;
  let s = (1n << bitLength(pos)) - 1n;
  while (s > 0n) {
    if (p >= s) p -= s;
    s >>= 1n;
  }
  return p;
}
/** Positions of the peaks of an MMR of `size` nodes, left (highest) first. */
export function peaks(size: bigint): bigint[] {
  const out: bigint[] = [];
  let p = size;
  let s = (1n << bitLength(size)) - 1n;
  let sum = 0n;
  while (s > 0n) {
    if (p >= s) {
      p -= s;
      out.push(sum + s - 1n);
      sum += s;
    }
    s >>= 1n;
  }
  return out;
}

/** `merge(l, r) = Keccak256(l ‖ r)`. */
export function mmrMerge(l: Uint8Array, r: Uint8Array): Uint8Array {
  const b = new Uint8Array(64);
  b.set(l);
  b.set(r, 32);
  return keccak256(b);
}

/** Bags peaks: `acc = P_last; acc = merge(acc, P_j)` for j from right to left. */
export function bagPeaks(peakHashes: readonly Uint8Array[]): Uint8Array {
  if (peakHashes.length === 0) throw mmrError('no peaks');
  let acc = peakHashes[peakHashes.length - 1]!;
  for (let j = peakHashes.length - 2; j >= 0; j--) acc = mmrMerge(acc, peakHashes[j]!);
  return acc;
}

/** The MMR node of a leaf: Keccak256 of its SCALE bytes. */
export function mmrLeafHash(leafBytes: Uint8Array): Uint8Array {
  return keccak256(leafBytes);
}

/**
 * An append-only MMR holding every node (what the node keeps off-chain to generate proofs).
 * `push(leafBytes)` appends a leaf and returns the new root.
 */
export class MmrBuilder {
  private readonly nodes: Uint8Array[] = [];
  private count = 0n;

  get leafCount(): bigint {
    return this.count;
  }
  get size(): bigint {
    return BigInt(this.nodes.length);
  }

  /** Appends a leaf (its SCALE bytes) and returns the root. */
  push(leafBytes: Uint8Array): Uint8Array {
    let h = mmrLeafHash(leafBytes);
    let height = 0n;
    this.nodes.push(h);
    // While the next position is higher, merge with the left sibling into the parent.
    while (posHeight(BigInt(this.nodes.length)) > height) {
      const pos = BigInt(this.nodes.length);
      const leftPos = pos - (2n << height);
      h = mmrMerge(this.nodes[Number(leftPos)]!, h);
      this.nodes.push(h);
      height++;
    }
    this.count++;
    return this.root();
  }

  /** The root of the first `leafCount` leaves (default: all). */
  root(leafCount = this.count): Uint8Array {
    if (leafCount === 0n || leafCount > this.count) throw mmrError('no such MMR size');
    return bagPeaks(peaks(mmrSize(leafCount)).map((p) => this.nodes[Number(p)]!));
  }

  /** A proof of leaf `leafIndex` against the root of the first `leafCount` leaves (decex §7a.5). */
  proof(leafIndex: bigint, leafCount = this.count): LeafProof {
    if (leafIndex >= leafCount || leafCount > this.count) throw mmrError('leaf beyond MMR size');
    const size = mmrSize(leafCount);
    const pk = peaks(size);
    let pos = leafPos(leafIndex);
    const peakIdx = pk.findIndex((p) => pos <= p);
    const peak = pk[peakIdx]!;
    const items: Uint8Array[] = [];
    for (let i = 0; i < peakIdx; i++) items.push(this.nodes[Number(pk[i]!)]!);
    let h = 0n;
    while (pos !== peak) {
      if (posHeight(pos + 1n) > h) {
        items.push(this.nodes[Number(pos - ((2n << h) - 1n))]!);
        pos += 1n;
      } else {
        items.push(this.nodes[Number(pos + ((2n << h) - 1n))]!);
        pos += 2n << h;
      }
      h++;
    }
    const right = pk.slice(peakIdx + 1).map((p) => this.nodes[Number(p)]!);
    if (right.length === 1) items.push(right[0]!);
    else if (right.length > 1) items.push(bagPeaks(right));
    return { leafIndices: [leafIndex], leafCount, items };
  }
}

/**
 * Stateless single-leaf verification (ckb `calculate_root` + pallet `verify_leaves_proof`).
 * Returns whether `leafBytes` at `proof.leafIndices[0]` is in the MMR with `root`. A 1-leaf MMR
 * never verifies (the library returns the leaf as Data; decex §7a.5 note).
 */
export function verifyMmrLeafProof(root: Uint8Array, leafBytes: Uint8Array, proof: LeafProof): boolean {
  if (proof.leafIndices.length !== 1) return false;
  const size = mmrSize(proof.leafCount);
  const leafIndex = proof.leafIndices[0]!;
  if (proof.leafCount === 0n || leafIndex >= proof.leafCount) return false;
  if (size === 1n) return false;
  const pos = leafPos(leafIndex);
  const items = proof.items;
  let next = 0;
  const hashes: Uint8Array[] = [];
  let used = false;
  for (const pk of peaks(size)) {
    if (!used && pos <= pk) {
      let h = 0n;
      let p = pos;
      let n = mmrLeafHash(leafBytes);
      while (p !== pk) {
        const s = items[next++];
        if (s === undefined) return false;
        if (posHeight(p + 1n) > h) {
          n = mmrMerge(s, n);
          p += 1n;
        } else {
          n = mmrMerge(n, s);
          p += 2n << h;
        }
        h++;
        if (p > pk) return false;
      }
      hashes.push(n);
      used = true;
    } else {
      const x = items[next];
      if (x === undefined) break;
      next++;
      hashes.push(x);
    }
  }
  if (!used) return false;
  if (next < items.length) hashes.push(items[next++]!);
  if (next < items.length) return false;
  const got = bagPeaks(hashes);
  if (got.length !== root.length) return false;
  for (let i = 0; i < got.length; i++) if (got[i] !== root[i]) return false;
  return true;
}

/**
 * `verify_proof_stateless` of the consensus runtime: checks the proof against `root` and decodes
 * the leaf, which must be exactly 101 bytes. Throws `DECEX_INVALID_MMR_PROOF` on failure.
 */
export function verifyConsensusMmrProof(root: Uint8Array, p: ConsensusChainMmrLeafProof): MmrLeaf {
  if (p.opaqueMmrLeaf.length !== MMR_LEAF_SIZE)
    throw mmrError(`leaf is ${p.opaqueMmrLeaf.length} bytes, not 101`);
  if (!verifyMmrLeafProof(root, p.opaqueMmrLeaf, p.proof))
    throw mmrError('proof does not verify against the root');
  return decodeWith(mmrLeafCodec, p.opaqueMmrLeaf, 'MmrLeaf');
}

/**
 * What consensus-side verification needs from the chain: `MmrRootHashes[n]` of the current state
 * (the last 1024 roots). The node implements it over its runtime storage.
 */
export interface MmrRootSource {
  mmrRoot(consensusBlockNumber: number): Uint8Array | undefined;
}

/**
 * `verify_proof_and_extract_leaf` on the consensus chain: the root is `MmrRootHashes[p.consensus_block_number]`.
 */
export function verifyMmrProofAndExtractLeaf(source: MmrRootSource, p: ConsensusChainMmrLeafProof): MmrLeaf {
  const root = source.mmrRoot(p.consensusBlockNumber);
  if (root === undefined) throw mmrError(`no MMR root for block ${p.consensusBlockNumber}`);
  return verifyConsensusMmrProof(root, p);
}
