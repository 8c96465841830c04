/**
 * The consensus MMR in the node's runtime (decex.md §7a): one leaf per block with the parent's
 * data, `MmrRootHashes[N]` committing to blocks 0..N−1 in the state trie, the last 1024 roots kept,
 * the peaks-only on-chain state matching the full off-chain MMR, and leaf proofs from the headers
 * verifying against a state's roots (and failing when altered).
 */
import {
  DecexError,
  decodeMmrLeaf,
  encodeWith,
  MmrBuilder,
  mmrLeafCodec,
  mmrLeafHash,
  mmrRootHashesKey,
  TrieState,
} from '@autonomys/decex';
import { thrownCode } from '@autonomys/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  appendPeak,
  ConsensusMmr,
  genesisMmrState,
  genesisState,
  type MmrState,
  mmrOnInitialize,
  mmrRoot,
  mmrStorageEntries,
  stateRootOf,
  storageEntries,
  testChainSpec,
  verifyConsensusMmrLeaf,
} from '../src/index.js';
import { TestChain } from './domain-harness.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('consensus MMR', () => {
  it('peaks-only appends give the same roots as the full MMR', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 70 }),
        (leaves) => {
          const full = new MmrBuilder();
          let peaks: Uint8Array[] = [];
          leaves.forEach((leaf, i) => {
            const root = full.push(leaf);
            peaks = appendPeak(peaks, BigInt(i), mmrLeafHash(leaf));
            expect(peaks.length).toBe(popcount(i + 1));
            expect(
              hex(
                mmrRoot({ leafCount: BigInt(i + 1), peaks, rootHashes: new Map(), extrinsicsRoot: root }) ??
                  new Uint8Array(),
              ),
            ).toBe(hex(root));
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('genesis has no MMR entries (its state root is unchanged); block N commits blocks 0..N−1', () => {
    const spec = testChainSpec();
    const g = genesisState(spec);
    expect(mmrStorageEntries(g.mmr!)).toEqual([]);
    const chain = new TestChain();
    for (let i = 0; i < 11; i++) chain.produce();
    const mmr = new ConsensusMmr(chain);
    for (let n = 1; n <= 11; n++) {
      const s = chain.runtimeState(n).mmr!;
      expect(s.leafCount).toBe(BigInt(n));
      expect(hex(s.rootHashes.get(n)!)).toBe(hex(mmr.rootAt(n)));
      // every earlier root is still there
      for (let k = 1; k <= n; k++) expect(s.rootHashes.has(k)).toBe(true);
      // the leaf of block n − 1 carries its header fields
      const p = mmr.proof(n - 1, n);
      const leaf = decodeMmrLeaf(p.opaqueMmrLeaf);
      const h = chain.blocks[n - 1]!;
      expect(leaf.blockNumber).toBe(n - 1);
      expect(hex(leaf.blockHash)).toBe(hex(h.hash));
      expect(hex(leaf.stateRoot)).toBe(hex(h.header.stateRoot));
      expect(hex(leaf.extrinsicsRoot)).toBe(hex(h.header.extrinsicsRoot));
    }
    // the roots are in the state trie, under the spec's 44-byte key
    const entries = new Map(storageEntries(chain.runtimeState(11)).map(([k, v]) => [hex(k), hex(v)]));
    expect(mmrRootHashesKey(11).length).toBe(44);
    expect(entries.get(hex(mmrRootHashesKey(11)))).toBe(hex(chain.runtimeState(11).mmr!.rootHashes.get(11)!));
    // decex's trie computes the node's state root (storage proofs rely on it)
    const s11 = chain.runtimeState(11);
    expect(hex(TrieState.fromEntries(storageEntries(s11)).root())).toBe(hex(stateRootOf(s11)));
  });

  it('leaf proofs of every block verify against the best state, and altered ones do not', () => {
    const chain = new TestChain();
    for (let i = 0; i < 13; i++) chain.produce();
    const mmr = new ConsensusMmr(chain);
    const best = chain.runtimeState().mmr!;
    for (let n = 0; n < 13; n++) {
      const p = mmr.proof(n);
      expect(verifyConsensusMmrLeaf(best, p).blockNumber).toBe(n);
      // against an older root still in the state
      if (n < 9) expect(verifyConsensusMmrLeaf(best, mmr.proof(n, 9)).blockNumber).toBe(n);
    }
    const p = mmr.proof(5);
    const leaf = decodeMmrLeaf(p.opaqueMmrLeaf);
    const forged = {
      ...p,
      opaqueMmrLeaf: encodeWith(mmrLeafCodec, { ...leaf, stateRoot: new Uint8Array(32).fill(1) }),
    };
    expect(thrownCode(() => verifyConsensusMmrLeaf(best, forged), DecexError)).toBe(
      'DECEX_INVALID_MMR_PROOF',
    );
    const wrongRoot = { ...p, consensusBlockNumber: 12 };
    expect(thrownCode(() => verifyConsensusMmrLeaf(best, wrongRoot), DecexError)).toBe(
      'DECEX_INVALID_MMR_PROOF',
    );
    const unknownRoot = { ...p, consensusBlockNumber: 99 };
    expect(thrownCode(() => verifyConsensusMmrLeaf(best, unknownRoot), DecexError)).toBe(
      'DECEX_INVALID_MMR_PROOF',
    );
  });

  it('keeps the last 1024 roots', () => {
    let s: MmrState = genesisMmrState(new Uint8Array(32));
    for (let n = 1; n <= 1030; n++)
      s = mmrOnInitialize(s, n, { hash: new Uint8Array(32).fill(n & 0xff), stateRoot: new Uint8Array(32) });
    expect(s.rootHashes.size).toBe(1024);
    expect(s.rootHashes.has(6)).toBe(false);
    expect(s.rootHashes.has(7)).toBe(true);
    expect(s.leafCount).toBe(1030n);
  });
});

function popcount(n: number): number {
  let c = 0;
  for (let x = n; x > 0; x >>= 1) c += x & 1;
  return c;
}
